"""Exact scalars for the checker: rationals, square roots and Bernoulli mask monomials.

A value is a dict ``{(mask, s): coefficient}`` meaning
Σ coefficient · ∏_{m ∈ mask} R_m · √s, coefficients Fractions.

* Masks: R_m ∈ {0, 1}, so R_m² = R_m (IDEMPOTENT: masks are sets) and two
  multilinear polynomials are equal as functions of the masks iff their
  coefficients are equal. E[∏_{m ∈ S} R_m] = ∏_{m ∈ S} p_m for independent entries:
  p^|S| when the variable has one parameter, a product of per-entry parameters
  when it has one per column (R_ij ~ Bernoulli(p_j)).
* Radicals: a term carries √s for a SQUAREFREE integer s (s = 1: rational), found
  by factoring (column norms of X, √λ). The √s of distinct squarefree s are linearly
  independent over Q, so the representation is canonical: a value is zero iff its
  dict is empty.

The "mistaken" arithmetics used by hints: ``idempotent=False`` keeps powers of a
mask entry (E[R²] = p², the classic slip), and the caller can give every entry of
a mask the same id (one shared coin: drops the diag in E[(R⊙X)ᵀ(R⊙X)]).
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import gcd, isqrt
from typing import Iterable

from sympy import factorint, isprime

from derivlab.checking import limits
from derivlab.checking.failures import Undecided

Scalar = dict  # {(mask, squarefree s): Fraction}
ONE = Fraction(1)


class NonPolynomial(Exception):
    """A square root or inverse of a mask-dependent value: not polynomial in the masks."""


def _dedupe(m: tuple, keep_powers: set[int]) -> tuple:
    """A sorted monomial with repeated idempotent ids collapsed (ids in ``keep_powers`` keep their powers)."""
    out: list[int] = []
    for mid in m:
        if out and out[-1] == mid and mid not in keep_powers:
            continue
        out.append(mid)
    return tuple(out)


class EvalError(Exception):
    """The expression is undefined at this point (division by zero, √ of a negative)."""


class Field:
    """Arithmetic on exact scalars at one evaluation point (shares the mask ids and the square-root cache)."""

    def __init__(self, *, idempotent: bool = True, flipped_roots: frozenset[int] = frozenset(), mixed: bool = False):
        # ``mixed``: Bernoulli masks (idempotent, R² = R) beside noise entries with MOMENTS (a Gaussian N_ij:
        # powers kept, E[N^k] from ``moments[owner](k)``); monomials are then sorted tuples of ids
        self.mixed = mixed
        self.moment_ids: set[int] = set()
        self.moments: dict[str, object] = {}  # random variable → k ↦ E[Z^k] (a Fraction)
        idempotent = idempotent and not mixed
        self.idempotent = idempotent
        # Square roots of VARIABLE arguments met, keyed by the integer under the root (√(a/b) ↦ a·b):
        # the decision re-evaluates with one of them negated to see whether the step depends on its sign.
        self.variable_roots: dict[int, None] = {}
        self.flipped_roots = flipped_roots
        self.empty: tuple | frozenset = frozenset() if idempotent else ()
        self.owner: list[str] = []  # mask id → random variable name
        # squarefree s > 1 met by square roots of constants (√2): never sign-tested, so they enter the bound
        self.constant_radicands: set[int] = set()
        self._sqrt_cache: dict[int, tuple[int, int]] = {}

    # -- construction
    def const(self, q: Fraction | int) -> Scalar:
        q = Fraction(q)
        return {(self.empty, 1): q} if q else {}

    def mask(self, owner: str, *, moments: bool = False) -> int:
        self.owner.append(owner)
        if moments:
            if not self.mixed:
                raise EvalError("a noise entry with moments needs the mixed field")
            self.moment_ids.add(len(self.owner) - 1)
        return len(self.owner) - 1

    def mask_value(self, mask_id: int) -> Scalar:
        return {(frozenset((mask_id,)) if self.idempotent else (mask_id,), 1): ONE}

    # -- ring operations
    def add(self, a: Scalar, b: Scalar) -> Scalar:
        if not b:
            return a
        out = dict(a)
        for k, v in b.items():
            s = out.get(k, 0) + v
            if s:
                out[k] = s
            else:
                out.pop(k, None)
        return out

    def neg(self, a: Scalar) -> Scalar:
        return {k: -v for k, v in a.items()}

    def scale(self, a: Scalar, q: Fraction) -> Scalar:
        return {k: v * q for k, v in a.items()} if q else {}

    def mul(self, a: Scalar, b: Scalar) -> Scalar:
        if not a or not b:
            return {}
        empty = (self.empty, 1)
        if len(a) == 1 and empty in a:  # a plain rational times anything: a scaling
            q = a[empty]
            return {k: v * q for k, v in b.items()}
        if len(b) == 1 and empty in b:
            q = b[empty]
            return {k: v * q for k, v in a.items()}
        out: dict = {}
        idem = self.idempotent
        for (m1, r1), c1 in a.items():
            for (m2, r2), c2 in b.items():
                if idem:
                    m = m1 | m2 if m2 else m1
                elif not m2:
                    m = m1
                elif not m1:
                    m = m2
                else:
                    m = tuple(sorted(m1 + m2))
                    if self.mixed:  # R² = R for the Bernoulli ids; powers of noise entries stay
                        m = _dedupe(m, self.moment_ids)
                c = c1 * c2
                if r1 == 1 or r2 == 1:
                    r = r1 * r2
                else:
                    g = gcd(r1, r2)
                    c *= g
                    r = (r1 // g) * (r2 // g)
                key = (m, r)
                out[key] = out.get(key, 0) + c
        out = {k: v for k, v in out.items() if v}
        if len(out) > limits.MAX_TERMS:
            raise Undecided(f"an intermediate value has more than {limits.MAX_TERMS} terms")
        return out

    def power(self, a: Scalar, k: int) -> Scalar:
        if k < 0:
            return self.power(self.inverse(a), -k)
        result, base = self.const(1), a
        while k:
            if k & 1:
                result = self.mul(result, base)
            k >>= 1
            if k:
                base = self.mul(base, base)
        return result

    # -- non-polynomial operations (mask-free values only)
    def is_mask_free(self, a: Scalar) -> bool:
        return all(not m for (m, _r) in a)

    def sqrt(self, a: Scalar, *, variable: bool = True) -> Scalar:
        """The principal root; ``variable`` roots are recorded (and negated when listed in ``flipped_roots``)."""
        if not a:
            return {}
        if not self.is_mask_free(a):
            raise NonPolynomial("square root of a random quantity")
        if len(a) != 1 or next(iter(a))[1] != 1:
            raise Undecided("square root of a sum involving square roots is not supported")
        q = next(iter(a.values()))
        if q < 0:
            raise EvalError("square root of a negative number")
        key = q.numerator * q.denominator
        coef, radicand = self._sqrt_integer(key)
        if not variable and radicand != 1:
            self.constant_radicands.add(radicand)
        if variable:
            self.variable_roots[key] = None
            if key in self.flipped_roots:
                coef = -coef
        return {(self.empty, radicand): Fraction(coef, q.denominator)}

    def inverse(self, a: Scalar) -> Scalar:
        if not a:
            raise EvalError("division by zero")
        if not self.is_mask_free(a):
            raise NonPolynomial("division by a random quantity")
        numerator, current = self.const(1), a
        while True:  # multiply by conjugates √q → −√q, one prime q at a time
            prime = next((q for (_m, r) in current if r != 1 for q in _primes(r)), None)
            if prime is None:
                break
            conjugate = {k: (-v if k[1] % prime == 0 else v) for k, v in current.items()}
            numerator, current = self.mul(numerator, conjugate), self.mul(current, conjugate)
        q = current.get((self.empty, 1), 0)
        if not q:  # pragma: no cover - a nonzero field element has a nonzero norm
            raise EvalError("division by zero")
        return self.scale(numerator, 1 / q)

    def expect(self, a: Scalar, bound: Iterable[str], params: dict[str, Fraction | None],
               per_mask: dict[int, Fraction] | None = None) -> Scalar:
        """E over the masks owned by ``bound``: each bound mask factor becomes its parameter,
        ``params[rv]``, or ``per_mask[mask id]`` where ``params[rv]`` is None (one parameter per entry)."""
        bound = set(bound)
        if self.mixed:
            return self._expect_moments(a, bound, params, per_mask)
        out: dict = {}
        owner = self.owner
        for (m, r), c in a.items():
            keep = []
            for mid in m:
                rv = owner[mid]
                if rv in bound:
                    q = params[rv]
                    c = c * (q if q is not None else per_mask[mid])  # type: ignore[index]
                else:
                    keep.append(mid)
            mask = (frozenset(keep) if self.idempotent else tuple(keep)) if len(keep) != len(m) else m
            key = (mask, r)
            out[key] = out.get(key, 0) + c
        return {k: v for k, v in out.items() if v}

    def _expect_moments(self, a: Scalar, bound: set, params: dict, per_mask: dict | None) -> Scalar:
        """E in the mixed field: a distinct Bernoulli id gives its parameter, a noise entry met k times E[Z^k]."""
        out: dict = {}
        owner = self.owner
        for (m, r), c in a.items():
            keep: list[int] = []
            counts: dict[int, int] = {}
            for mid in m:
                if owner[mid] in bound:
                    counts[mid] = counts.get(mid, 0) + 1
                else:
                    keep.append(mid)
            for mid, k in counts.items():
                rv = owner[mid]
                if mid in self.moment_ids:
                    c = c * self.moments[rv](k)
                else:
                    q = params[rv]
                    c = c * (q if q is not None else per_mask[mid])  # type: ignore[index]
                if not c:
                    break
            if not c:
                continue
            key = (tuple(keep), r)
            out[key] = out.get(key, 0) + c
        return {k: v for k, v in out.items() if v}

    # -- radicals
    def _sqrt_integer(self, n: int) -> tuple[int, int]:
        """√n = k·√s with s squarefree."""
        if n in self._sqrt_cache:
            return self._sqrt_cache[n]
        root = isqrt(n)
        if root * root == n:
            found = (root, 1)
        else:
            if n.bit_length() > 200:
                raise Undecided("a square root of a number with more than 60 digits")
            k, s = 1, 1
            for prime, exp in _factor(n).items():
                k *= prime ** (exp // 2)
                if exp % 2:
                    s *= prime
            found = (k, s)
        self._sqrt_cache[n] = found
        return found

    # -- output
    def text(self, a: Scalar) -> str:
        """'3/7', '2*sqrt(5) + 1/2' (mask-free values)."""
        if not a:
            return "0"
        parts = []
        for (m, r), c in sorted(a.items(), key=lambda kv: (len(kv[0][0]), kv[0][1])):
            factor = []
            if r != 1:
                factor.append(f"sqrt({short_number(Fraction(r))})")
            if m:
                factor.extend(f"{self.owner[i]}[{i}]" for i in sorted(m))
            if not factor:
                parts.append(short_number(c))
            elif c == 1:
                parts.append("*".join(factor))
            else:
                parts.append(f"{short_number(c)}*" + "*".join(factor))
        return " + ".join(parts).replace("+ -", "- ")


FACTOR_SECONDS = 0.5  # factoring a radicand (two 30-digit primes would take minutes): beyond this, `unknown`


def _factor(n: int) -> dict[int, int]:
    """The prime factorisation of ``n``, within ``FACTOR_SECONDS`` (Undecided beyond)."""
    if n.bit_length() <= 64:
        return factorint(n)
    try:
        with limits.alarm(FACTOR_SECONDS):
            return factorint(n)
    except limits.AlarmExpired:
        raise Undecided(f"a square root of a number that cannot be factored within {FACTOR_SECONDS:g} s "
                        f"({len(str(n))} digits)") from None
    except limits.AlarmUnavailable:  # off the main thread: a bounded search, and only primes are accepted
        found = factorint(n, limit=10**6)
        if any(not isprime(f) for f in found):
            raise Undecided(f"a square root of a number that cannot be factored quickly ({len(str(n))} digits)") from None
        return found


SHORT_DIGITS = 60  # numbers with more digits are shown shortened (Python refuses str() beyond 4300 digits)


def short_number(x: Fraction) -> str:
    """``str(x)``, or for a huge number (more than SHORT_DIGITS digits) its sign, 9 digits and exponent: "1.23456780e+2560"."""
    num, den = x.numerator, x.denominator
    if max(num.bit_length(), den.bit_length()) <= 3.32 * SHORT_DIGITS:
        return str(x)
    return f"{'-' if num < 0 else ''}{_scientific(abs(num), den)}"


def _scientific(num: int, den: int) -> str:
    import math

    exponent = int((num.bit_length() - den.bit_length()) * math.log10(2))  # within 1 of log10(num/den)
    scaled = Fraction(num, den) / Fraction(10) ** exponent
    while scaled >= 10:
        scaled, exponent = scaled / 10, exponent + 1
    while scaled < 1:
        scaled, exponent = scaled * 10, exponent - 1
    mantissa = int(scaled * 10**8)
    return f"{mantissa // 10**8}.{mantissa % 10**8:08d}e{exponent:+d}"


@lru_cache(maxsize=4096)
def _primes(s: int) -> list[int]:
    """Prime factors of a squarefree s (small: s comes from ``factorint`` above)."""
    return sorted(factorint(s))
