"""Index letters of entry-wise reasoning: their ranges, the step's free indices, side conditions.

An index's range comes from where it is used: in X_{ij}, i runs over the rows of X
(1..n) and j over its columns (1..d); ``\\sum_{i=1}^{n}`` states it. A letter used
with two ranges, or a sum bound that contradicts the shape, is ill-typed. Letters
bound by a sum are local to it; the others are the step's FREE indices, and a step
claims its equality for every value of them (under its side condition).

    >>> parse_condition(r"\\text{for } j \\neq k").text()
    'j ≠ k'
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import product as cartesian

from derivlab.checking.expr import (
    Condition, Dim, Entry, Expr, Indicator, Named, Slice, Sum, describe, map_tree, walk,
)
from derivlab.checking.failures import IllTyped, Unparsed

Ranges = dict[str, tuple[Dim, str]]  # index → (range 1..dim, where that was read)


def _meet(ranges: Ranges, index: str, dim: Dim, where: str) -> None:
    if dim == 1:
        return
    old = ranges.get(index)
    if old is None:
        ranges[index] = (dim, where)
    elif old[0] != dim:
        raise IllTyped(f"the index {index} runs over 1..{old[0]} as {old[1]} but over 1..{dim} as {where}; "
                       f"one index letter cannot have two ranges")


def _uses(expr: Expr) -> list[tuple[str, Dim, str]]:
    """(index, dim, where) for every index letter used in an entry or slice of ``expr``, sums not entered."""
    out = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Entry):
            name = describe(node.arg)
            if isinstance(node.row, str):
                out.append((node.row, node.arg.shape[0], f"a row index of {name} (in {describe(node)})"))
            if isinstance(node.col, str):
                out.append((node.col, node.arg.shape[1], f"a column index of {name} (in {describe(node)})"))
        elif isinstance(node, Slice) and isinstance(node.index, str):
            dim = node.arg.shape[0] if node.axis == 0 else node.arg.shape[1]
            kind = "a row" if node.axis == 0 else "a column"
            out.append((node.index, dim, f"{kind} of {describe(node.arg)} (in {describe(node)})"))
        if isinstance(node, (Sum, Named)):
            continue
        stack.extend(node.children())
    return out


def resolve(expr: Expr) -> tuple[Expr, Ranges]:
    """``expr`` with every sum's range filled in, and the ranges of its free indices."""
    free: Ranges = {}
    for index, dim, where in _uses(expr):
        _meet(free, index, dim, where)
    kids = expr.children()
    if isinstance(expr, Named):
        return expr, free
    new_kids = []
    for kid in kids:
        if isinstance(kid, Sum):
            kid, inner = _resolve_sum(kid)
        else:
            kid, inner = resolve(kid)
        for index, (dim, where) in inner.items():
            _meet(free, index, dim, where)
        new_kids.append(kid)
    if any(a is not b for a, b in zip(new_kids, kids)):
        expr = expr.with_children(tuple(new_kids))
    if isinstance(expr, Sum):
        return _resolve_sum(expr)
    return expr, free


def _resolve_sum(node: Sum) -> tuple[Expr, Ranges]:
    body, inner = resolve(node.body)
    used = inner.pop(node.index, None)
    dim = node.dim
    if dim is not None and used is not None and used[0] != dim:
        raise IllTyped(f"the sum over {node.index} runs to {dim}, but {node.index} is used as {used[1]}, which "
                       f"runs to {used[0]}")
    if dim is None and used is None and node.implicit and isinstance(body, Sum):
        dim = body.dim  # the k of \sum_{j \neq k} is compared with j: it has j's range
    if dim is None:
        if used is None:
            raise IllTyped(f"cannot tell the range of the index {node.index} of {describe(node)}: give its bounds "
                           f"(\\sum_{{{node.index}=1}}^{{n}}) or use it in an entry")
        dim = used[0]
    return replace(node, body=body, dim=dim), inner


def _letters_outside_implicit(expr: Expr) -> set[str]:
    """Index letters used in ``expr`` outside every implicit sum and not bound by an ordinary one."""
    out: set[str] = set()
    stack: list[tuple[Expr, frozenset]] = [(expr, frozenset())]
    while stack:
        node, bound = stack.pop()
        if isinstance(node, Sum):
            if node.implicit:
                continue
            bound = bound | {node.index}
        if isinstance(node, Entry):
            out |= {t for t in (node.row, node.col) if isinstance(t, str) and t not in bound}
        elif isinstance(node, Slice) and isinstance(node.index, str) and node.index not in bound:
            out.add(node.index)
        elif isinstance(node, Indicator):
            out |= node.condition.indices() - bound
        if not isinstance(node, Named):
            stack.extend((kid, bound) for kid in node.children())
    return out


def bind_step(lhs: Expr, rhs: Expr) -> tuple[Expr, Expr]:
    r"""``\sum_{j \neq k}`` sums over k too only when the step does not use k elsewhere: where k is a free
    index of the step, the sum is over j alone (j ≠ k)."""
    if not any(isinstance(n, Sum) and n.implicit for side in (lhs, rhs) for n in walk(side)):
        return lhs, rhs
    used = _letters_outside_implicit(lhs) | _letters_outside_implicit(rhs)

    def unbind(node: Expr):
        if isinstance(node, Sum) and node.implicit and node.index in used:
            return map_tree(node.body, unbind)
        return None

    return map_tree(lhs, unbind), map_tree(rhs, unbind)


def free_indices(lhs: Expr, rhs: Expr) -> Ranges:
    """The free index letters of a step (both sides together), with their ranges."""
    ranges: Ranges = {}
    for side in (lhs, rhs):
        for index, (dim, where) in resolve(side)[1].items():
            _meet(ranges, index, dim, where)
    for side in (lhs, rhs):
        for node in walk(side):
            if isinstance(node, Indicator):
                for index in node.condition.indices():
                    if index not in ranges and not _bound_somewhere(side, index):
                        raise IllTyped(f"the index {index} in {describe(node)} is not used in any entry, so its "
                                       f"range is unknown")
    return ranges


def _bound_somewhere(expr: Expr, index: str) -> bool:
    return any(isinstance(n, Sum) and n.index == index for n in walk(expr))


def assignments(ranges: Ranges, sizes: dict[str, int], condition: Condition | None = None) -> list[dict[str, int]]:
    """Every value (1-based) of the free indices at ``sizes`` under ``condition``."""
    names = sorted(ranges)
    grids = [range(1, (1 if ranges[n][0] == 1 else sizes[ranges[n][0]]) + 1) for n in names]
    out = []
    for combo in cartesian(*grids):
        env = dict(zip(names, combo))
        if condition is None or condition.holds(env):
            out.append(env)
    return out


# ---- side conditions ---------------------------------------------------------------------------------

_REL = r"(=|\\neq?(?![a-zA-Z])|\\not\s*=|≠)"
_RELATION = re.compile(r"\s*([a-zA-Z]|\d+)\s*" + _REL + r"\s*([a-zA-Z]|\d+)\s*")
_LEAD = re.compile(r"^\s*(\\(text|mathrm|textrm)\s*\{\s*(for|if|when|where|with)\s*(all\s*)?\}|for|if|when|where)\s*")
_FORALL = re.compile(r"^\s*(\\forall|\\text\s*\{\s*for\s+all\s*\}|\\text\s*\{\s*for\s+every\s*\})\s*[a-zA-Z](\s*,\s*[a-zA-Z])*"
                     r"(\s*\\in\s*.*)?\s*$")
_TRAILING = re.compile(
    r"(\\(quad|qquad)|\\[,;]|\s)*"
    r"((\\left\s*)?\(\s*(\\text\s*\{\s*(for|if)\s*\}\s*)?[a-zA-Z0-9,\s]*" + _REL + r"[a-zA-Z0-9,=\\neq\s]*(\\right\s*)?\)"
    r"|\\text\s*\{\s*(for|if|when)\s*\}\s*[a-zA-Z0-9,\s]*" + _REL + r"[a-zA-Z0-9,=\\neq\s]*"
    r"|(\\quad|\\qquad|,)\s*[a-zA-Z]\s*" + _REL + r"\s*[a-zA-Z]\s*"
    r"|\\forall\s*[a-zA-Z](\s*,\s*[a-zA-Z])*)\s*[.,]?\s*$")


def parse_condition(text: str) -> Condition:
    """'(i \\neq j)', '\\text{for } j \\neq k', 'if i = j', 'j \\ne k, i = l', '\\forall j' → a Condition
    (the document layer passes the condition text of a row here). Unparsed when it is not one."""
    body = text.strip().rstrip(".,").strip()
    body = re.sub(r"^\\left\s*\(|\\right\s*\)$", lambda m: "(" if "(" in m.group(0) else ")", body)
    if body.startswith("(") and body.endswith(")"):
        body = body[1:-1]
    if _FORALL.match(body):
        return Condition()
    body = _LEAD.sub("", body, count=1)
    relations = []
    for part in re.split(r",|\\text\s*\{\s*and\s*\}|\\land|\\wedge", body):
        if not part.strip():
            continue
        m = _RELATION.fullmatch(part)
        if not m:
            raise Unparsed(f"the side condition '{text.strip()}' is not read: write it like (j \\neq k) or "
                           f"\\text{{for }} i = j", None)
        a, op, b = m.group(1), m.group(2), m.group(3)
        relations.append((int(a) if a.isdigit() else a, "=" if op == "=" else "≠", int(b) if b.isdigit() else b))
    return Condition(tuple(relations))


def split_condition(text: str) -> tuple[str, Condition | None]:
    """A side's text without its trailing side condition, and the condition (None if there is none):
    'p^2 \\quad (j \\neq k)' → ('p^2 ', j ≠ k). Blanked to the same length, so positions still hold."""
    m = _TRAILING.search(text)
    if not m or not m.group(3) or not text[:m.start()].strip():
        return text, None
    try:
        condition = parse_condition(re.sub(r"^\s*(\\quad|\\qquad|,)", "", m.group(3)))
    except Unparsed:
        return text, None
    return text[:m.start()] + " " * (len(text) - m.start()), condition


def join(*conditions: Condition | None) -> Condition | None:
    found = [c for c in conditions if c is not None]
    if not found:
        return None
    return Condition(tuple(dict.fromkeys(r for c in found for r in c.relations)))
