"""Equality of matrix and index expressions for EVERY size n, d, by an index normal form.

An expression (course notation: products, transposes, ⊙, diag, ‖.‖², E_R, or
explicit indexed sums with Kronecker deltas) becomes a finite sum of terms
``coefficient · Σ_{dummies} monomial``, with symbolic ranges 1..n and 1..d.
Only sound rules are used, each an identity for every size:

* entries by definition: (AB)_ab = Σ_k A_ak B_kb, (Aᵀ)_ab = A_ba,
  (A ⊙ B)_ab = A_ab B_ab, diag(M)_ab = δ_ab M_ab, ‖v‖² = Σ_k v_k²;
* distributivity of finite sums, linearity of E_R over them;
* the moment rule for the keep mask (``indexed_monomial_expectation``), or for
  another noise model when ``IndexRules.noise`` is a ``moments.NoiseSpec``;
* Σ_k δ_ak f(k) = f(a) when a lies in k's range; a summand free of k
  contributes (range size) times itself;
* renaming summation dummies (the form is minimised over renamings).

Two expressions with equal normal forms are equal for every n, d (the
converse need not hold: a mismatch is "not shown", never "shown unequal").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from derivlab.derivations.bernoulli_moments import indexed_monomial_expectation
from derivlab.derivations.notation import DiagPart, MaskMean, Mean, SquaredNorm

Limit = tuple[Any, Any, Any]  # (dummy, lower, upper)


@dataclass(frozen=True)
class IndexRules:
    """What the symbols mean: the mask's name, p, diagonal square roots, definitions.

    ``diagonal_roots`` maps a diagonal matrix's name (e.g. "Gamma") to M with
    Γ² = diag(M); ``matrix_definitions``/``scalar_definitions`` are substituted
    first (e.g. Γ_new = √λ Γ, λ = (1 − p)/p); ``free_ranges`` gives the range
    of each free index (e.g. j, l in 1..d).
    """

    mask: str
    keep_probability: Any
    diagonal_roots: dict = field(default_factory=dict)
    matrix_definitions: dict = field(default_factory=dict)
    scalar_definitions: dict = field(default_factory=dict)
    free_ranges: dict = field(default_factory=dict)
    noise: Any = None  # a moments.NoiseSpec for ``mask``; None = i.i.d. Bernoulli(keep_probability)


def _fresh() -> sp.Dummy:
    return sp.Dummy("k", integer=True)


def entry(m: Any, a: Any, b: Any, rules: IndexRules) -> Any:
    """The (a, b) entry of the matrix expression ``m`` as an indexed scalar (fresh dummies)."""
    if isinstance(m, sp.MatrixSymbol):
        if m.name in rules.diagonal_roots:
            return sp.KroneckerDelta(a, b) * sp.IndexedBase(f"root_{m.name}")[a]
        base = sp.IndexedBase(m.name)
        return base[a] if m.shape[1] == 1 else base[a, b]
    if isinstance(m, sp.Transpose):
        return entry(m.arg, b, a, rules)
    if isinstance(m, sp.MatAdd):
        return sp.Add(*[entry(t, a, b, rules) for t in m.args])
    if isinstance(m, sp.MatMul):
        coeff, matrices = m.as_coeff_matrices()
        indices, limits = [a], []
        for left in matrices[:-1]:
            inner = left.shape[1]
            if inner == 1:
                indices.append(sp.Integer(1))
            else:
                k = _fresh()
                indices.append(k)
                limits.append((k, 1, inner))
        indices.append(b)
        body = sp.Mul(*[entry(f, indices[t], indices[t + 1], rules) for t, f in enumerate(matrices)])
        return coeff * (sp.Sum(body, *limits) if limits else body)
    if isinstance(m, sp.HadamardProduct):
        return sp.Mul(*[entry(f, a, b, rules) for f in m.args])
    if isinstance(m, DiagPart):
        return sp.KroneckerDelta(a, b) * entry(m.arg, a, b, rules)
    if isinstance(m, Mean):
        return MaskMean(entry(m.arg, a, b, rules))
    if isinstance(m, SquaredNorm):
        rows = m.arg.shape[0]
        if rows == 1:
            return entry(m.arg, 1, 1, rules) ** 2
        k = _fresh()
        return sp.Sum(entry(m.arg, k, 1, rules) ** 2, (k, 1, rows))
    if isinstance(m, sp.Identity):
        return sp.KroneckerDelta(a, b)
    if isinstance(m, sp.ZeroMatrix):
        return sp.Integer(0)
    if isinstance(m, sp.OneMatrix):
        return sp.Integer(1)
    raise NotImplementedError(f"no entry rule for {type(m).__name__}")


def _terms(expr: Any, rules: IndexRules) -> list[tuple[tuple[Limit, ...], Any]]:
    """``expr`` as a list of (limits, summand) with summands free of Σ and E_R."""
    if isinstance(expr, MatrixElement):
        return _terms(entry(expr.parent, expr.i, expr.j, rules), rules)
    if isinstance(expr, MatrixExpr):
        if tuple(expr.shape) != (1, 1):
            raise ValueError("only scalars (1 x 1 matrices) or explicit entries have a normal form")
        return _terms(entry(expr, sp.Integer(1), sp.Integer(1), rules), rules)
    if isinstance(expr, sp.Add):
        return [t for arg in expr.args for t in _terms(arg, rules)]
    if isinstance(expr, sp.Mul):
        out: list[tuple[tuple[Limit, ...], Any]] = [((), sp.Integer(1))]
        for factor in expr.args:
            out = [(l1 + l2, s1 * s2) for l1, s1 in out for l2, s2 in _terms(factor, rules)]
        return out
    if isinstance(expr, sp.Pow) and _is_compound(expr.base) and not _is_coefficient(expr.base):
        if not (expr.exp.is_Integer and expr.exp >= 0):
            raise NotImplementedError(f"no normal form for the power {expr}")
        return _terms(sp.Mul(*[expr.base] * int(expr.exp), evaluate=False), rules)
    if isinstance(expr, sp.Sum):
        body, limits = expr.function, []
        for var, lo, hi in expr.limits:
            k = _fresh()
            body = body.xreplace({var: k})
            limits.append((k, lo, hi))
        return [(tuple(limits) + lim, s) for lim, s in _terms(body, rules)]
    if isinstance(expr, MaskMean):
        return [(lim, _expect(s, rules)) for lim, s in _terms(expr.args[0], rules)]
    return [((), expr)]


def _is_coefficient(e: Any) -> bool:
    """A scalar free of entries, sums and expectations (e.g. 1 + α): any power of it is a coefficient."""
    return not isinstance(e, MatrixExpr) and not e.atoms(sp.Sum, MaskMean, MatrixElement, sp.Indexed,
                                                          sp.KroneckerDelta)


def _is_compound(e: Any) -> bool:
    return bool(e.atoms(sp.Sum, MaskMean, MatrixElement)) or isinstance(e, (sp.Add, sp.Mul, MatrixExpr))


def _expect(summand: Any, rules: IndexRules) -> Any:
    """E_R of a Σ-free summand: expand, then the moment rule on each monomial's mask entries."""
    total = sp.Integer(0)
    for mono in sp.Add.make_args(sp.expand(summand)):
        entries, rest = [], []
        for factor in sp.Mul.make_args(mono):
            base = factor.base if isinstance(factor, sp.Pow) else factor
            if isinstance(base, sp.Indexed) and base.base.label.name == rules.mask:
                entries.append(tuple(base.indices))
            else:
                rest.append(factor)
        moment = (rules.noise.indexed_monomial_expectation(entries) if rules.noise is not None
                  else indexed_monomial_expectation(entries, rules.keep_probability))
        total += sp.Mul(*rest) * moment
    return total


def normal_form(expr: Any, rules: IndexRules) -> dict:
    """{(ranges, canonical monomial): coefficient} for ``expr``; see the module docstring."""
    expr = _substitute_definitions(expr, rules)
    form: dict = {}
    for limits, summand in _terms(expr, rules):
        _accumulate(form, limits, summand, rules)
    return form


def _substitute_definitions(expr: Any, rules: IndexRules) -> Any:
    if rules.matrix_definitions:
        expr = expr.xreplace(rules.matrix_definitions)
    return expr


def _accumulate(form: dict, limits: tuple[Limit, ...], summand: Any, rules: IndexRules) -> None:
    for mono in sp.Add.make_args(sp.expand(summand)):
        mono, lims = _contract_deltas(mono, list(limits), rules)
        if mono == 0:
            continue
        root = _root_factor(mono, rules)
        if root is not None:
            for extra, s in _terms(root, rules):
                _accumulate(form, tuple(lims) + extra, s, rules)
            continue
        coeff, structure, used = _split(mono, lims)
        for var, lo, hi in lims:
            if var not in used:
                coeff *= hi - lo + 1
        key = _canonical_key(structure, [lim for lim in lims if lim[0] in used])
        form[key] = form.get(key, sp.Integer(0)) + coeff


def _contract_deltas(mono: Any, limits: list[Limit], rules: IndexRules) -> tuple[Any, list[Limit]]:
    """Σ_k δ_ak f(k) = f(a), repeatedly, for every δ that touches a summation dummy."""
    while True:
        dummies = {lim[0]: lim for lim in limits}
        found = None
        for factor in sp.Mul.make_args(mono):
            delta = factor.base if isinstance(factor, sp.Pow) else factor
            if isinstance(delta, sp.KroneckerDelta):
                i, j = delta.args
                if j in dummies or i in dummies:
                    found = (factor, i, j) if j in dummies else (factor, j, i)
                    break
        if found is None:
            return _identify_free(mono), limits
        factor, keep, drop = found
        _check_in_range(keep, dummies[drop], dummies, rules)
        rest = sp.Mul(*[f for f in sp.Mul.make_args(mono) if f is not factor])
        mono = rest.xreplace({drop: keep})
        limits = [lim for lim in limits if lim[0] != drop]


def _identify_free(mono: Any) -> Any:
    """δ_ab f(a, b) = δ_ab f(a, a) for free indices a, b (the larger name is replaced by the smaller); δ^k = δ."""
    mono = mono.replace(lambda e: isinstance(e, sp.Pow) and isinstance(e.base, sp.KroneckerDelta), lambda e: e.base)
    for factor in sp.Mul.make_args(mono):
        delta = factor.base if isinstance(factor, sp.Pow) else factor
        if isinstance(delta, sp.KroneckerDelta) and all(x.is_Symbol for x in delta.args):
            keep, drop = sorted(delta.args, key=str)
            rest = sp.Mul(*[f for f in sp.Mul.make_args(mono) if f is not factor])
            if rest.has(drop):
                return _identify_free(delta * rest.xreplace({drop: keep}))
    return mono


def _check_in_range(index: Any, limit: Limit, dummies: dict, rules: IndexRules) -> None:
    _, lo, hi = limit
    if index in dummies:
        ok = (dummies[index][1], dummies[index][2]) == (lo, hi)
    elif index in rules.free_ranges:
        ok = tuple(rules.free_ranges[index]) == (lo, hi)
    elif index.is_Integer:
        ok = bool(sp.Ge(index, lo)) and sp.Ge(hi, index) is sp.true
    else:
        ok = False
    if not ok:
        raise ValueError(f"cannot contract a Kronecker delta: {index} may lie outside {lo}..{hi}")


def _root_factor(mono: Any, rules: IndexRules) -> Any:
    """Replace root_Γ[a]^(2m) by ((M)_aa)^m (Γ² = diag(M)); None when there is nothing to replace."""
    replaced = False
    factors = []
    for factor in sp.Mul.make_args(mono):
        base, exp = (factor.base, factor.exp) if isinstance(factor, sp.Pow) else (factor, sp.Integer(1))
        if isinstance(base, sp.Indexed) and base.base.label.name.startswith("root_"):
            name = base.base.label.name[len("root_"):]
            if not (exp.is_Integer and exp % 2 == 0):
                raise NotImplementedError(f"{name} appears to an odd power: no rule for its square root")
            a = base.indices[0]
            factors.append(entry(rules.diagonal_roots[name], a, a, rules) ** (exp // 2))
            replaced = True
        else:
            factors.append(factor)
    return sp.Mul(*factors) if replaced else None


def _split(mono: Any, limits: list[Limit]) -> tuple[Any, Any, set]:
    dummies = {lim[0] for lim in limits}
    coeff, structure = [], []
    for factor in sp.Mul.make_args(mono):
        if factor.atoms(sp.Indexed, sp.KroneckerDelta) or factor.free_symbols & dummies:
            structure.append(factor)
        else:
            coeff.append(factor)
    structure_expr = sp.Mul(*structure)
    return sp.Mul(*coeff), structure_expr, structure_expr.free_symbols & dummies


def _canonical_key(structure: Any, limits: list[Limit]) -> tuple:
    groups: dict[tuple[Any, Any], list[Any]] = {}
    for var, lo, hi in limits:
        groups.setdefault((lo, hi), []).append(var)
    ranges = sorted(groups, key=str)
    best = None
    for perms in itertools.product(*[itertools.permutations(groups[r]) for r in ranges]):
        mapping = {}
        for g, r in enumerate(ranges):
            for k, var in enumerate(perms[g]):
                mapping[var] = sp.Symbol(f"_s{g}_{k}", integer=True)
        candidate = structure.xreplace(mapping)
        if best is None or str(candidate) < str(best):
            best = candidate
    range_key = tuple((str(r), len(groups[r])) for r in ranges)
    return range_key, str(best)


def equal_for_all_sizes(lhs: Any, rhs: Any, rules: IndexRules) -> bool:
    """True when the normal forms of ``lhs`` and ``rhs`` agree (so they are equal for every n, d, p).

    Matrices are compared entry (a, b) with free indices a, b over their ranges.
    """
    if isinstance(lhs, MatrixExpr) and tuple(lhs.shape) != (1, 1):
        if tuple(lhs.shape) != tuple(rhs.shape):
            return False
        a, b = sp.Symbol("_row", integer=True), sp.Symbol("_col", integer=True)
        a_, b_ = (a if lhs.shape[0] != 1 else sp.Integer(0)), (b if lhs.shape[1] != 1 else sp.Integer(0))
        free = dict(rules.free_ranges)
        free.update({a: (1, lhs.shape[0]), b: (1, lhs.shape[1])})
        rules = replace(rules, free_ranges=free)
        lhs, rhs = MatrixElement(lhs, a_, b_), MatrixElement(rhs, a_, b_)
    left, right = normal_form(lhs, rules), normal_form(rhs, rules)
    for key in set(left) | set(right):
        diff = left.get(key, sp.Integer(0)) - right.get(key, sp.Integer(0))
        diff = diff.subs(rules.scalar_definitions) if rules.scalar_definitions else diff
        if sp.cancel(sp.expand(diff)) != 0 and sp.simplify(diff) != 0:
            return False
    return True
