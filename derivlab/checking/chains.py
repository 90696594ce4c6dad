"""Rows → chains ``e0 = e1 = e2 = …``, the unit a derivation is checked in.

A row starting with ``=`` continues the current chain (also across blocks: a block
that starts with ``=`` continues the previous one); a row starting with + − \\cdot
\\odot continues the current expression within its block; any other row starts a
new chain. Each expression keeps its fragments' file positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from derivlab.checking.blocks import Row
from derivlab.checking.prose import PLAIN_EQUALS
from derivlab.checking.spans import Span, find_top_level

_EQUALS = PLAIN_EQUALS
_CONTINUES = re.compile(r"\s*(\+|-|−|\\cdot(?![a-zA-Z])|\\times(?![a-zA-Z])|\\odot(?![a-zA-Z]))")


@dataclass(frozen=True)
class Expression:
    """One side, possibly spread over several rows (fragments joined by a space)."""

    fragments: tuple[Span, ...]

    @property
    def text(self) -> str:
        return " ".join(f.text for f in self.fragments)

    @property
    def start(self) -> int:
        return self.fragments[0].start if self.fragments else -1

    def file_offset(self, index: int) -> int:
        """File offset of character ``index`` of ``text``."""
        for frag in self.fragments:
            if index <= len(frag.text):
                return frag.start + index
            index -= len(frag.text) + 1
        last = self.fragments[-1] if self.fragments else Span("", 0)
        return last.start + len(last.text)

    def latex(self) -> str:
        return re.sub(r"\s+", " ", self.text).strip()


@dataclass
class Chain:
    expressions: list[Expression] = field(default_factory=list)
    equals: list[int] = field(default_factory=list)  # file offset of the '=' before expressions[k], k ≥ 1
    block: int = -1
    implied: str = ""  # 'implies' / 'iff': an arrow or "hence", "so", … links this chain to the one before


def assemble(rows: list[Row], block_leads: dict[int, str] | None = None) -> list[Chain]:
    """Group the math rows of every block into chains, in document order. ``block_leads``: the connective the
    prose before a block ends with ("…, hence"), which links that block's first chain to the chain before."""
    chains: list[Chain] = []
    current: Chain | None = None
    seen_blocks: set[int] = set()
    for row in rows:
        if row.math is None:
            continue
        lead = row.lead
        if row.block not in seen_blocks:
            seen_blocks.add(row.block)
            lead = lead or (block_leads or {}).get(row.block, "")
        before = len(chains)
        current = _add_row(chains, None if row.lead else current, row.math, row.block)
        if lead and len(chains) > before and chains[-1] is current:
            current.implied = lead
        for span, link in zip(row.more, row.links or ("",) * len(row.more)):
            current = _add_row(chains, None, span, row.block)  # a second equality beside the first: its own chain
            current.implied = link
    return chains


def _add_row(chains: list[Chain], current: Chain | None, span: Span, block: int) -> Chain | None:
    """Add the chain material of one row segment: continue ``current`` or start a new chain."""
    cuts = find_top_level(span.text, _EQUALS)
    pieces, pos = [], 0
    for a, b in cuts:
        pieces.append((span.sub(pos, a).stripped(), a))
        pos = b
    pieces.append((span.sub(pos, len(span.text)).stripped(), None))
    first = pieces[0][0]
    if not first.text and cuts:  # row starts with '='
        if current is None:
            current = Chain([Expression(())], [], block)
            chains.append(current)
    elif current is not None and current.block == block and _CONTINUES.match(first.text) and current.expressions:
        last = current.expressions[-1]
        current.expressions[-1] = Expression(last.fragments + (first,))
    else:
        current = Chain([Expression((first,))], [], block)
        chains.append(current)
    for k in range(1, len(pieces)):
        eq_offset = span.start + cuts[k - 1][0]
        frag = pieces[k][0]
        current.expressions.append(Expression((frag,) if frag.text else ()))
        current.equals.append(eq_offset)
    current.block = block
    return current
