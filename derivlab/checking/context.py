"""Problem contexts: what the names in a derivation mean.

A context is a TOML file (the built-in ``dropout`` ships as
``derivlab/checking/contexts/dropout.toml``; instructors pass their own path):
size symbols, symbols with shapes, domains and spellings, random variables with
their law and layout (``noise_laws``: Bernoulli, Normal/Gaussian, Rademacher,
Uniform{a, b}; i.i.d. entries, one per row or one per column; a Bernoulli keep
probability may be a d-vector, one per column of an n x d mask; exact moments in
``derivlab.derivations.moments``), and definitions written in the
same LaTeX the students use, parsed by the checker's grammar (never eval'd).

A ``Scope`` is a context plus the student's own definitions so far; it is
immutable: ``define`` returns a new scope.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

from derivlab.checking import limits, noise_laws
from derivlab.checking.expr import SCALAR, UNSIZED, Const, Expr, Identity, Named, Ones, Var, map_tree, shape_text
from derivlab.checking.failures import IllTyped, StepFailure
from derivlab.derivations.moments import LAYOUTS
from derivlab.errors import InputError

DOMAINS = ("reals", "(0, 1)", "positive")


@dataclass(frozen=True)
class RandomSpec:
    """``name`` has independent Bernoulli(``parameter``) entries: ``parameter`` a deterministic scalar
    (i.i.d. entries), or a vector over the columns (entry (i, j) ~ Bernoulli(parameter_j)). With ``moments`` =
    ("Normal", (μ, v)) its entries are i.i.d. Normal(μ, v) instead, judged with their exact moments."""

    name: str
    parameter: Expr
    parameter_text: str
    moments: tuple | None = None

    def parameter_exprs(self) -> tuple[Expr, ...]:
        """Every deterministic expression the law depends on (their variables get values at each point)."""
        return tuple(self.moments[1]) if self.moments else (self.parameter,)


@dataclass(frozen=True)
class Scope:
    """Names → typed expressions, for one context and the student's definitions so far."""

    name: str
    sizes: tuple[str, ...]
    variables: dict[str, Var]
    domains: dict[str, str]
    random: dict[str, RandomSpec]
    keys: dict[str, Expr]
    display: dict[str, str] = field(default_factory=dict)
    slices: dict[str, tuple[Var, int]] = field(default_factory=dict)  # 'x' → (X, 0): x_i is row i of X
    noise: dict[str, "noise_laws.NoiseLaw"] = field(default_factory=dict)  # declared laws (exact moments)
    aliases: dict[str, str] = field(default_factory=dict)  # a lowered noise symbol → its Bernoulli coin
    assumptions: tuple[str, ...] = ()  # what a verdict in this context relies on (moment matching)
    unknowns: tuple[str, ...] = ()  # what a minimiser solves for (``unknown = true``): ∇ alone, implications
    functions: dict[str, tuple[Expr, Expr]] = field(default_factory=dict)  # 'cal:L' → (its argument, Named body)

    # -- lookups used by the parser
    def lookup(self, key: str) -> Expr | None:
        """The meaning of a name; I, \\mathbf{I}, I_d (identities) and \\mathbf{0} when the context does not
        declare them itself."""
        found = self.keys.get(key)
        if found is not None:
            return found
        if key in ("I", "bb:I", "bold:I"):
            return Identity((UNSIZED, UNSIZED), "I")
        base, _, sub = key.partition("_")
        if base == "I" and sub in self.sizes:
            return Identity((sub, sub), key)
        if key == "bold:0":
            return Const(SCALAR, "0", Fraction(0))
        return None

    def explain_unknown(self, key: str) -> str | None:
        """A specific reason for an unknown subscripted name of a declared base ('w_old'), or None."""
        base, _, sub = key.partition("_")
        if sub and base in self.keys:
            return (f"unknown symbol '{key}': the context '{self.name}' declares '{base}' but not '{key}' "
                    f"(entries are written like X_{{ij}}, y_i)")
        return None

    def spelling_examples(self) -> list[str]:
        return list(dict.fromkeys(self.display.values()))[:12]

    def random_names(self) -> tuple[str, ...]:
        return tuple(self.random)

    def random_variable(self, key: Any, distribution: Any) -> str:
        """The random variable an expectation's subscript names (checks the stated distribution)."""
        found = self.keys.get(key.key)
        if found is None:
            base = key.key.partition("_")[0]
            found = self.keys.get(base)
        if isinstance(found, Named) and found.name in self.aliases:  # a lowered law: E over its coin
            if distribution is not None:
                raise IllTyped(f"{found.name} ~ {self.noise[found.name].text} in the context '{self.name}', "
                               f"not the distribution written here")
            return self.aliases[found.name]
        if not isinstance(found, Var) or not found.random:
            raise IllTyped(f"the expectation is over '{key.key}', which is not a random variable of the context "
                           f"'{self.name}' (random: {', '.join(self.random) or 'none'})")
        if distribution is not None:
            _, param = distribution
            spec = self.random[found.name]
            if param != spec.parameter:
                raise IllTyped(f"{found.name} ~ Bernoulli({spec.parameter_text}) in the context '{self.name}', "
                               f"not the distribution written here")
        return found.name

    # -- student definitions
    def define_function(self, key: str, argument: Expr, body: Expr, label: str) -> "Scope":
        """A new scope where ``label`` (e.g. 𝓛(w̃), named by a chain ``𝓛(w̃) = …``) stands for ``body`` at
        ``argument``: ``𝓛(w̃)`` and a bare ``𝓛`` read as the body, at no other argument."""
        return replace(self, functions={**self.functions, key: (argument, Named(body.shape, label, label, body))})

    def define(self, key: str, expr: Expr, label: str) -> "Scope":
        """A new scope where ``key`` means ``expr``. Redefining a base variable is a
        substitution: every spelling of it, and every definition using it, follows."""
        named = Named(expr.shape, label, label, expr)
        old = self.keys.get(key)
        keys = dict(self.keys)
        display = dict(self.display)
        if isinstance(old, Var) and not old.random:
            if old.shape != expr.shape:
                raise IllTyped(f"{label} is {shape_text(old.shape)} but the substitution makes it {shape_text(expr.shape)}")
            target = old.name

            def swap(node: Expr) -> Expr | None:
                return named if isinstance(node, Var) and node.name == target else None

            for k, v in self.keys.items():
                keys[k] = named if v == old else map_tree(v, swap)
        else:
            keys[key] = named
            display[label] = label
        return replace(self, keys=keys, display=display)


# ---- loading a context file ------------------------------------------------------------------


def builtin_contexts() -> list[str]:
    folder = resources.files("derivlab.checking").joinpath("contexts")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_context(name_or_path: str | Path) -> Scope:
    """The built-in context ``name_or_path`` (e.g. "dropout") or a context TOML file."""
    text_name = str(name_or_path)
    if text_name in builtin_contexts():
        source = resources.files("derivlab.checking").joinpath("contexts", f"{text_name}.toml").read_text("utf-8")
        return context_from_toml(source, origin=text_name)
    path = Path(name_or_path)
    if not path.is_file():
        raise InputError(f"unknown context {text_name!r}: not a built-in ({', '.join(builtin_contexts())}) "
                         f"and no such file")
    if path.stat().st_size > limits.MAX_FILE_BYTES:
        raise InputError(f"context file {path} is larger than {limits.MAX_FILE_BYTES} bytes")
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read context file {path}: {exc}") from None
    return context_from_toml(source, origin=str(path))


def context_from_toml(source: str, origin: str = "<toml>") -> Scope:
    """Build a ``Scope`` from the text of a context file (schema in the README)."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"context {origin}: invalid TOML: {exc}") from None
    try:
        return _build(data, origin)
    except StepFailure as exc:
        raise InputError(f"context {origin}: {exc.message}") from None


def _build(data: dict, origin: str) -> Scope:
    from derivlab.checking.parse import parse_expression, symbol_key

    name = str(data.get("name", origin))
    sizes = tuple(str(s) for s in data.get("sizes", {}))
    scope = Scope(name, sizes, {}, {}, {}, {}, {})
    assumptions: tuple[str, ...] = ()
    unknowns: tuple[str, ...] = ()
    for sym, spec in _table(data, "symbols", origin).items():
        shape = _shape(spec.get("shape", []), sizes, f"{origin}: symbols.{sym}")
        spellings = _spellings(spec, sym)
        constant = spec.get("constant")
        random_text = spec.get("random")
        if constant == "ones":
            node: Expr = Ones(shape, sym)
        elif constant == "identity":
            if shape[0] != shape[1]:
                raise InputError(f"context {origin}: symbols.{sym}: an identity must be square")
            node = Identity(shape, sym)
        elif constant is not None:
            raise InputError(f"context {origin}: symbols.{sym}: constant must be 'ones' or 'identity'")
        else:
            node = Var(shape, sym, sym, random_text is not None)
            scope.variables[sym] = node
            domain = _domain(spec.get("domain", "reals"), f"{origin}: symbols.{sym}")
            scope.domains[sym] = domain
            if spec.get("unknown") is True:
                unknowns += (sym,)
        if random_text is not None:
            where = f"{origin}: symbols.{sym}"
            family, texts = noise_laws.split_law(str(random_text), where)
            layout = str(spec.get("layout", "entries"))
            if layout not in LAYOUTS:
                raise InputError(f"context {where}: layout must be one of {', '.join(LAYOUTS)}")
            params = [parse_expression(t, scope) for t in texts]
            _check_parameters(family, params, shape, layout, where)
            if family == "Bernoulli" and layout == "entries":
                scope.random[sym] = RandomSpec(sym, params[0], texts[0])
                scope.noise[sym] = noise_laws.NoiseLaw(sym, family, texts, layout, "native")
            else:
                node, assumption = _lower(scope, sym, family, texts, layout, shape, spec, where)
                scope.variables.pop(sym, None)
                scope.domains.pop(sym, None)
                assumptions += (assumption,) if assumption else ()
        for spelling in spellings:
            scope.keys[symbol_key(spelling)] = node
        scope.display[sym] = str(spec.get("display", spellings[0]))
        for axis, kind in enumerate(("rows", "columns")):
            if kind in spec and isinstance(node, Var):
                scope.slices[symbol_key(str(spec[kind]))] = (node, axis)
    for dname, spec in _table(data, "definitions", origin).items():
        if "latex" not in spec:
            raise InputError(f"context {origin}: definitions.{dname} needs latex = \"...\"")
        body = parse_expression(str(spec["latex"]), scope)
        label = str(spec.get("display", dname))
        named = Named(body.shape, label, label, body)
        for spelling in _spellings(spec, dname):
            scope.keys[symbol_key(spelling)] = named
        scope.display[dname] = label
    return replace(scope, assumptions=assumptions, unknowns=unknowns)


def _check_parameters(family: str, params: list, shape: tuple, layout: str, where: str) -> None:
    for param in params:
        if any(v.random for v in _free_vars(param).values()):
            raise InputError(f"context {where}: a {family} parameter must not be random")
    if family == "Bernoulli" and not params[0].is_scalar:
        if params[0].shape != (shape[1], 1) or shape[1] == 1:
            raise InputError(f"context {where}: the Bernoulli parameter must be a scalar or a vector over the "
                             f"columns ({shape_text((shape[1], 1))})")
        if layout != "entries":  # one keep probability per column: entry (i, j) ~ Bernoulli(p_j)
            raise InputError(f"context {where}: a keep probability per column needs layout = \"entries\"")
    if family != "Bernoulli" and not all(p.is_scalar for p in params):
        raise InputError(f"context {where}: the {family} parameters must be scalars")


def _free_vars(expr: Expr) -> dict:
    from derivlab.checking.expr import free_variables

    return free_variables(expr)


def _ones_latex(scope: Scope, dim: Any) -> str:
    """A LaTeX spelling of the all-ones vector of length ``dim`` (registered in ``scope`` on first use)."""
    if dim == 1:
        return "1"
    key = f"ones_{dim}"
    if key not in scope.keys:
        scope.keys[key] = Ones((dim, 1), "𝟏")
    return rf"\text{{ones}}_{{{dim}}}"


def _lower(scope: Scope, sym: str, family: str, texts: tuple[str, ...], layout: str, shape: tuple, spec: dict,
           where: str) -> tuple[Expr, str | None]:
    """Write ``sym`` through a Bernoulli coin the evaluator reads (see ``noise_laws``); returns its node."""
    from derivlab.checking.parse import parse_expression

    lowering = "exact"  # a Normal law: its own entries with exact moments (checked_as = "two-point" is ignored)
    rows, cols = shape
    if layout != "entries" and (rows == 1 or cols == 1):
        raise InputError(f"context {where}: layout = \"{layout}\" needs a matrix (two sizes)")
    coin_shape = {"entries": shape, "rows": (rows, 1), "columns": (cols, 1)}[layout]
    letter = "abcdefghijklmnopqrstuvwxyz"[len(scope.aliases) % 26]
    coin = f"{sym}_coin"  # the name messages and counterexamples show: N = law of the 0/1 coin
    coin_latex = rf"\text{{coin}}_{{{letter}}}"
    node = Var(coin_shape, coin, coin, True)
    scope.variables[coin] = node
    scope.keys[f"coin_{letter}"] = node
    parameter_text = noise_laws.coin_parameter(family, texts)
    moments = ("Normal", tuple(parse_expression(t, scope) for t in texts)) if family == "Normal" else None
    scope.random[coin] = RandomSpec(coin, parse_expression(parameter_text, scope), parameter_text, moments)
    if coin_shape == shape:
        ones = (rf"{_ones_latex(scope, rows)}{_ones_latex(scope, cols)}^\top" if rows != 1 and cols != 1
                else _ones_latex(scope, rows if cols == 1 else cols))
        if shape == SCALAR:
            ones = "1"
        body_latex = noise_laws.unit_latex(family, texts, coin_latex, ones)
    else:
        unit = noise_laws.unit_latex(family, texts, coin_latex, _ones_latex(scope, coin_shape[0]))
        body_latex = (rf"{unit}{_ones_latex(scope, cols)}^\top" if layout == "rows"
                      else rf"{_ones_latex(scope, rows)}{unit}^\top")
    body = parse_expression(body_latex, scope)
    law = noise_laws.NoiseLaw(sym, family, texts, layout, lowering)
    scope.noise[sym] = law
    scope.aliases[sym] = coin
    return Named(body.shape, sym, sym, body), None


def _table(data: dict, key: str, origin: str) -> dict:
    table = data.get(key, {})
    if not isinstance(table, dict) or not all(isinstance(v, dict) for v in table.values()):
        raise InputError(f"context {origin}: [{key}.NAME] tables expected")
    return table


def _spellings(spec: dict, default: str) -> list[str]:
    spellings = spec.get("spellings", [default])
    if isinstance(spellings, str):
        spellings = [spellings]
    return [str(s) for s in spellings]


def _shape(raw: Any, sizes: tuple[str, ...], where: str) -> tuple:
    if not isinstance(raw, list) or len(raw) > 2:
        raise InputError(f"context {where}: shape must be [], [size] or [rows, cols]")
    dims = []
    for d in raw:
        if d == 1 or d == "1":
            dims.append(1)
        elif isinstance(d, str) and d in sizes:
            dims.append(d)
        else:
            raise InputError(f"context {where}: unknown size {d!r} (declared sizes: {', '.join(sizes)})")
    if not dims:
        return SCALAR
    if len(dims) == 1:
        return (dims[0], 1)
    return (dims[0], dims[1])


def _domain(raw: Any, where: str) -> str:
    text = re.sub(r"\s+", "", str(raw))
    for d in DOMAINS:
        if text == d.replace(" ", ""):
            return d
    raise InputError(f"context {where}: domain must be one of {', '.join(DOMAINS)}")
