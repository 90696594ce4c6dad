"""Problem contexts: what the names in a derivation mean.

A context is a TOML file (the built-in ``dropout`` ships as
``derivlab/checking/contexts/dropout.toml``; instructors pass their own path):
size symbols, symbols with shapes, domains and spellings, random variables with
their distribution (i.i.d. Bernoulli entries), and definitions written in the
same LaTeX the students use, parsed by the checker's grammar (never eval'd).

A ``Scope`` is a context plus the student's own definitions so far; it is
immutable: ``define`` returns a new scope.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from derivlab.checking import limits
from derivlab.checking.expr import SCALAR, Expr, Identity, Named, Ones, Var, map_tree, shape_text
from derivlab.checking.failures import IllTyped, StepFailure
from derivlab.errors import InputError

DOMAINS = ("reals", "(0, 1)", "positive")


@dataclass(frozen=True)
class RandomSpec:
    """``name`` has i.i.d. Bernoulli(``parameter``) entries (``parameter`` a deterministic scalar)."""

    name: str
    parameter: Expr
    parameter_text: str


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

    # -- lookups used by the parser
    def lookup(self, key: str) -> Expr | None:
        return self.keys.get(key)

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
        return Scope(self.name, self.sizes, self.variables, self.domains, self.random, keys, display, self.slices)


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
        if random_text is not None:
            m = re.fullmatch(r"\s*Bernoulli\s*\((.+)\)\s*", str(random_text))
            if not m:
                raise InputError(f"context {origin}: symbols.{sym}: random must be 'Bernoulli(<scalar>)'")
            param = parse_expression(m.group(1), scope)
            if not param.is_scalar:
                raise InputError(f"context {origin}: symbols.{sym}: the Bernoulli parameter must be a scalar")
            scope.random[sym] = RandomSpec(sym, param, m.group(1).strip())
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
    return scope


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
