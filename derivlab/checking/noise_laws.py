"""Noise laws in context files: ``random = "<law>"`` with ``layout = "entries" | "rows" | "columns"``.

Laws (parameters are LaTeX scalars the checker's grammar reads, never eval'd):

* ``Bernoulli(p)`` — p a scalar; with ``layout = "entries"`` this is the checker's native keep mask;
  ``Bernoulli(p)`` with p a VECTOR of length d (``[symbols.p] shape = ["d"]``) is a keep probability
  per column (R_ij ~ Bernoulli(p_j) independent; ``layout = "entries"`` only), native too;
* ``Normal(mu, v)`` / ``Gaussian(mu, v)`` — v the VARIANCE (write ``\\sigma^2``);
* ``Rademacher`` — ±1 with probability 1/2;
* ``Uniform{a, b}`` — the two values a and b with probability 1/2 each.

Every law has exact moments (``derivlab.derivations.moments``; Gaussian ones by Isserlis):
``NoiseLaw.spec(values)`` gives the ``NoiseSpec`` at given parameter values, so E, Var and Cov of
any monomial are exact rationals. A context writes each law through a random variable the checker's
evaluator reads ("the coin", ``evaluate.py`` / ``exact.py``), exactly, at every degree:

* Bernoulli with a scalar p and i.i.d. entries is the checker's native keep mask; with p a d-vector,
  a keep probability per column (per-mask parameters); one variable per row / column: N = c 𝟏_dᵀ, 𝟏_n cᵀ;
* Rademacher: 2c − 𝟏 with c ~ Bernoulli(1/2); Uniform{a, b}: a + (b − a)c;
* Normal(μ, v): the coin itself, an entry with the law's exact moments E[Z^k] (the mixed field of
  ``exact.Field``: noise entries keep their powers, Bernoulli masks are idempotent), in every layout.
  Only an integrand that is not polynomial in a Gaussian entry (a root or an inverse of it) is ``unknown``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from derivlab.derivations import moments
from derivlab.derivations.proof import as_sympy
from derivlab.errors import InputError

FAMILIES = ("Bernoulli", "Normal", "Rademacher", "Uniform")
_LAW = re.compile(r"\s*(Bernoulli|Normal|Gaussian|Rademacher|Uniform)\s*(.*?)\s*", re.S)


@dataclass(frozen=True)
class NoiseLaw:
    """A random symbol's declared law: family, parameter texts (LaTeX), layout, and the lowering used."""

    name: str
    family: str
    parameter_texts: tuple[str, ...]
    layout: str
    lowering: str  # "native" | "exact"

    @property
    def text(self) -> str:
        args = ", ".join(self.parameter_texts)
        if self.family == "Uniform":
            return f"Uniform{{{args}}}"
        return f"{self.family}({args})" if args else self.family

    def model(self, values: tuple[Any, ...]) -> moments.NoiseModel:
        """The distribution at parameter values (Fractions, or a list for a per-column p)."""
        v = [as_sympy(x) if not isinstance(x, (list, tuple)) else [as_sympy(y) for y in x] for x in values]
        if self.family == "Bernoulli":
            return moments.ColumnBernoulli(v[0]) if isinstance(v[0], list) else moments.Bernoulli(v[0])
        if self.family == "Normal":
            return moments.Normal(v[0], v[1])
        if self.family == "Rademacher":
            return moments.Rademacher()
        return moments.UniformPair(v[0], v[1])

    def spec(self, values: tuple[Any, ...]) -> moments.NoiseSpec:
        """Exact moments, Var and Cov of this law's entries (``NoiseSpec``) at the given parameter values."""
        return moments.NoiseSpec(self.model(values), self.layout)


def split_law(text: str, where: str) -> tuple[str, tuple[str, ...]]:
    """('Normal', ('0', '\\sigma^2')) for 'Normal(0, \\sigma^2)'; an InputError names the accepted forms."""
    m = _LAW.fullmatch(str(text))
    accepted = "'Bernoulli(p)', 'Normal(mu, sigma^2)', 'Gaussian(mu, sigma^2)', 'Rademacher', 'Uniform{a, b}'"
    if not m:
        raise InputError(f"context {where}: random must be one of {accepted}")
    family, rest = ("Normal" if m.group(1) == "Gaussian" else m.group(1)), m.group(2)
    if family == "Rademacher":
        if rest not in ("", "()"):
            raise InputError(f"context {where}: Rademacher takes no parameters")
        return family, ()
    opening, closing = ("{", "}") if family == "Uniform" else ("(", ")")
    if family == "Uniform" and rest.startswith("\\{"):
        rest = "{" + rest[2:-2] + "}" if rest.endswith("\\}") else rest
    if not (rest.startswith(opening) and rest.endswith(closing)):
        raise InputError(f"context {where}: random must be one of {accepted}")
    args = _split_top_level(rest[1:-1])
    wanted = {"Bernoulli": 1, "Normal": 2, "Uniform": 2}[family]
    if len(args) != wanted or not all(args):
        raise InputError(f"context {where}: {family} takes {wanted} parameter{'s' if wanted > 1 else ''}")
    return family, tuple(args)


def _split_top_level(body: str) -> list[str]:
    """Split on commas outside (), {}, []."""
    parts, depth, current = [], 0, ""
    for ch in body:
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return parts


def unit_latex(family: str, texts: tuple[str, ...], coin: str, ones: str) -> str:
    """LaTeX of one noise variable in terms of the Bernoulli coin ``coin`` (``ones`` = the all-ones of its shape)."""
    if family == "Rademacher":
        return rf"\left(2{coin} - {ones}\right)"
    if family == "Uniform":
        a, b = texts
        return rf"\left(({a}){ones} + \left(({b}) - ({a})\right){coin}\right)"
    return coin  # Bernoulli: the coin itself


def coin_parameter(family: str, texts: tuple[str, ...]) -> str:
    """The Bernoulli parameter of the coin a law is lowered to."""
    return texts[0] if family == "Bernoulli" else r"\frac{1}{2}"
