"""``derivlab check derivation``: judge a LaTeX derivation step by step.

    >>> from derivlab.checking.derivation import check_derivation_text
    >>> report = check_derivation_text(r"\\[ \\mathbb{E}_R[(R \\odot X)^\\top] = p X^\\top \\]")
    >>> report.verdict, report.steps[0].verdict
    ('valid', 'valid')

Step k is the k-th equality e(k−1) = e(k) of the file (chain names and
definitions are not steps). Verdicts: valid | invalid | unparsed | ill-typed |
unknown. The derivation is valid only if every step is; a file with no step at
all is ``unparsed`` ("no derivation found", exit 1). Unreadable, missing or
oversized files raise InputError (exit 2).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derivlab.checking import limits
from derivlab.checking.blocks import Definition, SourceMap, find_blocks, inline_definitions, rows_of
from derivlab.checking.chains import Expression, assemble
from derivlab.checking.context import Scope, load_context
from derivlab.checking.failures import IllTyped, StepFailure, Unparsed
from derivlab.checking.macros import expand_macros
from derivlab.checking.texsource import Problem, brace_problems, hide_unread, structure_problems
from derivlab.errors import InputError

VERDICTS = ("valid", "invalid", "unparsed", "ill-typed", "unknown")


@dataclass(frozen=True)
class StepVerdict:
    """The judgement of one step ``lhs_latex = rhs_latex`` (line of its '=' sign)."""

    index: int
    line: int
    lhs_latex: str
    rhs_latex: str
    verdict: str
    method: str
    message: str
    counterexample: dict | None = None
    hint: str | None = None
    column: int | None = None
    error_probability: float | None = None
    seconds: float = 0.0
    premise: str | None = None  # an implication's condition (``lhs = rhs`` is what it concludes), else None

    def to_json(self) -> dict:
        return {
            "index": self.index, "line": self.line, "lhs_latex": self.lhs_latex, "rhs_latex": self.rhs_latex,
            "verdict": self.verdict, "method": self.method, "message": self.message,
            "counterexample": self.counterexample, "hint": self.hint, "column": self.column,
            "error_probability": self.error_probability, "seconds": round(self.seconds, 4),
            "premise": self.premise,
        }


@dataclass(frozen=True)
class DerivationReport:
    """Every step's verdict; ``verdict`` is that of the first step that is not valid."""

    file: str
    context: str
    verdict: str
    first_bad_step: int | None
    steps: tuple[StepVerdict, ...]
    notes: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return 0 if self.verdict == "valid" else 1

    def to_json(self) -> dict:
        return {"file": self.file, "context": self.context, "verdict": self.verdict,
                "first_bad_step": self.first_bad_step, "steps": [s.to_json() for s in self.steps],
                "notes": list(self.notes), "seconds": round(self.seconds, 4)}

    def render(self, console: Any) -> None:
        from derivlab.checking.render import render_report

        render_report(self, console)

    def _repr_html_(self) -> str:
        from derivlab.checking.render import report_html

        return report_html(self)


# ---- reading ----------------------------------------------------------------------------------------


def read_derivation(path: Path) -> str:
    """The text of ``path``; InputError when missing, unreadable, oversized or not UTF-8."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such file: {path}")
    if not path.is_file():
        raise InputError(f"not a file: {path}")
    size = path.stat().st_size
    if size > limits.MAX_FILE_BYTES:
        raise InputError(f"{path} is {size} bytes; the limit is {limits.MAX_FILE_BYTES} bytes")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (byte {exc.start})") from None


def check_derivation_file(path: Path, *, context: str = "dropout", seed: int = 0, guarded: bool = True,
                          seconds: float = limits.GUARD_SECONDS, memory_mb: int = limits.GUARD_MEMORY_MB
                          ) -> DerivationReport:
    """Check the derivation in ``path`` against ``context`` (a built-in name or a TOML file).

    With ``guarded`` (the default, used by the CLI) the checking runs in a child process
    under ``seconds`` of wall clock and ``memory_mb`` of memory (``limits.run_limited``).
    """
    text = read_derivation(Path(path))
    if not guarded:
        return check_derivation_text(text, context=context, seed=seed, file=str(path))
    started = time.monotonic()
    try:
        return limits.run_limited(check_derivation_text, text, context=context, seed=seed, file=str(path),
                                  seconds=seconds, memory_mb=memory_mb)
    except limits.LimitExceeded as exc:  # an exhausted budget is a verdict, not an unusable input
        return DerivationReport(str(path), str(context), "unknown", None, (),
                                (f"undecided: {exc} while checking this file",), time.monotonic() - started)


# ---- checking -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Document:
    """A .tex text read into steps: (lhs, rhs, '=' offset) in order, with its definitions."""

    source: str
    where: SourceMap
    pairs: list
    definitions: list
    conditions: dict = field(default_factory=dict)  # '=' offset → the chain's side condition ("(j \\neq k)")
    problems: list = field(default_factory=list)  # texsource.Problem, offsets in the file
    notes: list = field(default_factory=list)  # (offset in ``source``, text): what was seen but not read
    links: dict = field(default_factory=dict)  # conclusion '=' offset → (condition '=' offset, 'implies' | 'iff')
    chains: list = field(default_factory=list)  # chains.Chain, in document order

    def problem_at(self, offset: int) -> Problem | None:
        """The document problem (unclosed environment, formula cut off, …) that covers ``offset``, if any."""
        file_offset = self.where.positions.source_offset(offset) if self.where.positions else offset
        return next((p for p in self.problems if p.covers(file_offset)), None)


def _read_document(text: str, scope: Scope) -> _Document:
    """The stages of reading: hide what TeX never reads → expand macros → find broken structure → blocks →
    rows → chains → steps; definitions from rows and prose."""
    if len(text.encode("utf-8", "surrogatepass")) > limits.MAX_FILE_BYTES:
        raise InputError(f"the derivation is larger than {limits.MAX_FILE_BYTES} bytes")
    hidden, problems = hide_unread(text)
    source, positions, macro_problems = expand_macros(hidden)
    blocks = find_blocks(source)
    found = structure_problems(source) + [p for b in blocks for p in brace_problems(b.text, b.start)]
    problems += macro_problems + [Problem(positions.source_offset(p.offset), p.reason,
                                          None if p.end is None else positions.source_offset(p.end)) for p in found]
    rows = [row for i, block in enumerate(blocks) for row in rows_of(block, i)]
    definitions = sorted(inline_definitions(source, blocks) + [d for r in rows for d in r.definitions],
                         key=lambda d: d.effective)
    notes = sorted(n for r in rows for n in r.notes)
    chains = assemble(rows, _block_leads(source, blocks))
    named = _named_chains(chains, scope)
    definitions = sorted(definitions + _chain_functions(chains, named), key=lambda d: d.effective)
    return _Document(source, SourceMap(text, positions), list(_step_pairs(chains, named)), definitions,
                     _chain_conditions(chains), sorted(problems, key=lambda p: p.offset), notes,
                     _implication_links(chains), chains)


_OPENER = re.compile(r"(\\begin\s*\{[^{}]*\}(\{\d+\})?|\\\[|\$\$)\s*\Z")


def _named_chains(chains, scope: Scope) -> set[int]:
    """The chains whose first expression is an undeclared function of an argument (``\\mathcal{L}(\\tilde w)``):
    it names the chain and is not a step (by index in ``chains``)."""
    from derivlab.checking.parse import chain_name

    return {k for k, chain in enumerate(chains)
            if len(chain.expressions) > 1 and chain.expressions[0].fragments and "(" in chain.expressions[0].text
            and chain_name(chain.expressions[0].text, scope)}


def _chain_functions(chains, named: set[int]) -> list[Definition]:
    """A chain named by a function of an argument (``\\mathcal{L}(\\tilde w) = E… = …``) defines that function as
    its first expression, from that chain on (``∇_{\\tilde w}\\mathcal{L}(\\tilde w)``, ``∇\\mathcal{L}``)."""
    from derivlab.checking.spans import Span

    out = []
    for k in sorted(named):
        exprs = chains[k].expressions
        if exprs[1].fragments:
            out.append(Definition(Span(exprs[0].text, exprs[0].start), Span(exprs[1].text, exprs[1].start),
                                  "function", chains[k].equals[0]))
    return out


def _block_leads(source: str, blocks) -> dict[int, str]:
    """For each display block, the connective the prose just before it ends with ("…, hence", "Solving for $w$:")."""
    from derivlab.checking.prose import prose_connective

    out, previous_end = {}, 0
    for i, block in enumerate(blocks):
        before = _OPENER.sub("", source[max(previous_end, block.start - 200):block.start])
        found = prose_connective(before)
        if found:
            out[i] = found
        previous_end = block.start + len(block.text)
    return out


def _implication_links(chains) -> dict:
    """An implied chain's first step is the conclusion of the previous chain's last step (its condition)."""
    out = {}
    for before, chain in zip(chains, chains[1:]):
        if chain.implied and chain.equals and before.equals and before.expressions[-1].fragments:
            out[chain.equals[0]] = (before.equals[-1], chain.implied)
    return out


def _chain_conditions(chains) -> dict:
    """A side condition at the end of any row of a chain is claimed for every step of that chain."""
    from derivlab.checking.indices import join, split_condition

    out = {}
    for chain in chains:
        found = join(*(split_condition(e.text)[1] for e in chain.expressions if e.fragments))
        if found is not None:
            out.update({eq: found for eq in chain.equals})
    return out


def _scoped_pairs(doc: _Document, scope: Scope, notes: list[str]):
    """(index, lhs, rhs, '=' offset, scope at that step): definitions apply from where they are made."""
    pending = list(doc.definitions)
    for index, (lhs, rhs, eq_offset) in enumerate(doc.pairs, start=1):
        while pending and pending[0].effective <= rhs.start:
            scope = _apply_definition(scope, pending.pop(0), doc.where, notes)
        yield index, lhs, rhs, eq_offset, scope


# seconds of the file's budget kept to list the steps left unjudged: listing takes ~7 µs a step on an idle core
# (40,000 steps: 0.3 s), so 20 µs a step leaves room for a loaded machine
LISTING_RESERVE = 0.2
LISTING_SECONDS_PER_STEP = 2e-5


def check_derivation_text(text: str, *, context: str | Scope = "dropout", seed: int = 0,
                          file: str = "<text>") -> DerivationReport:
    """Check the LaTeX ``text`` step by step (no process guard; bounded per step by ``limits``)."""
    from derivlab import progress

    started = time.monotonic()
    total = limits.Deadline(limits.TOTAL_SECONDS, "the whole file")  # reading the file counts too
    scope = context if isinstance(context, Scope) else load_context(context)
    context_name = scope.name if isinstance(context, Scope) else str(context)
    doc = _read_document(text, scope)
    notes: list[str] = list(scope.assumptions)  # what the verdicts rely on (noise_laws: moment matching)
    notes += [f"{_place(doc.where, p.offset)}: {p.reason}" for p in doc.problems]
    notes += [f"line {doc.where.line_col(offset)[0]}: {note}" for offset, note in doc.notes]
    steps: list[StepVerdict] = []
    listed = list(_scoped_pairs(doc, scope, notes))
    scope_at = {eq: step_scope for _i, _l, _r, eq, step_scope in listed}  # a conclusion is read in its own scope
    scoped = iter(listed)  # one iterator: the steps left when the budget runs out are listed from it
    premises = {premise: conclusion for conclusion, (premise, _kind) in doc.links.items()}
    by_offset = {eq: (lhs, rhs) for lhs, rhs, eq in doc.pairs}
    conditions: dict[int, Any] = {}  # conclusion '=' offset → (the condition, the unknown)
    following = {a: b for c in doc.chains if c.implied for a, b in zip(c.equals, c.equals[1:])}
    for index, lhs, rhs, eq_offset, step_scope in progress.track(scoped, "checking steps", total=len(doc.pairs)):
        line = doc.where.line_col(eq_offset)[0]
        problem = doc.problem_at(eq_offset)
        if problem is not None:
            steps.append(StepVerdict(index, line, lhs.latex(), rhs.latex(), "unparsed", "document",
                                     f"{_place(doc.where, problem.offset)}: {problem.reason}; this step is not judged",
                                     column=doc.where.file_line_col(problem.offset)[1]))
            continue
        reserve = LISTING_RESERVE + LISTING_SECONDS_PER_STEP * (len(listed) - len(steps))
        if total.remaining() <= reserve:  # this step and every later one: listed, not judged
            spent = f"time budget of {limits.TOTAL_SECONDS:g} s for the file exhausted"
            steps.append(StepVerdict(index, line, lhs.latex(), rhs.latex(), "unknown", "none", spent))
            for index, lhs, rhs, eq_offset, _scope in scoped:
                steps.append(StepVerdict(index, doc.where.line_col(eq_offset)[0], lhs.latex(), rhs.latex(),
                                         "unknown", "none", spent))
            break
        deadline = limits.Deadline(min(limits.STEP_SECONDS, total.remaining() - reserve))
        if eq_offset in conditions:  # the conclusion of an implication: judged from its condition
            condition, unknown = conditions.pop(eq_offset)
            steps.append(check_implication(index, line, condition, lhs, rhs, unknown, step_scope, doc.where,
                                           both_ways=doc.links.get(eq_offset, (0, ""))[1] == "iff", seed=seed,
                                           deadline=deadline, condition_of_chain=doc.conditions.get(eq_offset)))
            if eq_offset in following:  # the rest of a concluded chain holds under the same condition
                conditions[following[eq_offset]] = (condition, unknown)
            if eq_offset in premises and premises[eq_offset] in by_offset:  # what it concluded implies the next
                found = read_condition(lhs, rhs, *by_offset[premises[eq_offset]], step_scope, concluded=True,
                                       conclusion_scope=scope_at[premises[eq_offset]])
                if found is not None:
                    conditions[premises[eq_offset]] = found
            continue
        if eq_offset in premises and premises[eq_offset] in by_offset:
            found = read_condition(lhs, rhs, *by_offset[premises[eq_offset]], step_scope,
                                   conclusion_scope=scope_at[premises[eq_offset]])
            if found is not None:
                conditions[premises[eq_offset]] = found
                steps.append(condition_verdict(index, line, lhs, rhs, found, doc, eq_offset, step_scope, seed=seed,
                                               deadline=deadline))
                continue
        steps.append(check_step(index, line, lhs, rhs, step_scope, doc.where, seed=seed, deadline=deadline,
                                condition=doc.conditions.get(eq_offset)))
    if not steps:
        notes.insert(0, "no derivation found: no chain e0 = e1 in any math block "
                        "(align, equation, gather, \\[ \\], $$ $$)")
    first_bad = next((s for s in steps if s.verdict != "valid"), None)
    verdict = "unparsed" if not steps or doc.problems and not first_bad else first_bad.verdict if first_bad else "valid"
    return DerivationReport(file, context_name, verdict, first_bad.index if first_bad else None, tuple(steps),
                            tuple(notes), time.monotonic() - started)


def _place(where: SourceMap, file_offset: int) -> str:
    line, column = where.file_line_col(file_offset)
    return f"line {line}, column {column}"


@dataclass(frozen=True)
class TypedStep:
    """Step ``index`` read into typed expressions, with the scope (definitions) in force there."""

    index: int
    lhs: Any
    rhs: Any
    scope: Scope
    chain: int = 0  # steps of one chain e0 = e1 = e2 share it (step k's left side is step k-1's right side)


def typed_steps(text: str, *, context: str | Scope = "dropout", limit: int | None = None) -> list[TypedStep]:
    """Every step whose two sides parse (of the first ``limit`` steps), as typed expressions."""
    from derivlab.checking.indices import bind_step
    from derivlab.checking.parse import parse_side

    scope = context if isinstance(context, Scope) else load_context(context)
    doc = _read_document(text, scope)
    out, chain, previous = [], 0, None
    for index, lhs, rhs, _eq, step_scope in _scoped_pairs(doc, scope, []):
        if limit is not None and index > limit:
            break
        chain, previous = chain + (lhs is not previous), rhs
        try:
            left, right = bind_step(parse_side(lhs.text, step_scope)[0], parse_side(rhs.text, step_scope)[0])
            out.append(TypedStep(index, left, right, step_scope, chain))
        except StepFailure:
            continue
    return out


def step_chains(text: str, *, context: str | Scope = "dropout") -> list[int]:
    """The chain of every step, in step order (``typed_steps``' ``chain``; no step is parsed)."""
    scope = context if isinstance(context, Scope) else load_context(context)
    out, chain, previous = [], 0, None
    for lhs, rhs, _eq in _read_document(text, scope).pairs:
        chain, previous = chain + (lhs is not previous), rhs
        out.append(chain)
    return out


def _step_pairs(chains, named: set[int]):
    for k, chain in enumerate(chains):
        exprs = chain.expressions
        if len(exprs) == 1 and exprs[0].fragments and "=" in exprs[0].text and not _balanced(exprs[0].text):
            yield exprs[0], Expression(()), exprs[0].start  # '=' hidden by an unclosed bracket: report it
            continue
        first = 1 if k in named else 0  # a chain name is not a step
        for j in range(first + 1, len(exprs)):
            yield exprs[j - 1], exprs[j], chain.equals[j - 1]


def _balanced(text: str) -> bool:
    depth = 0
    for i, ch in enumerate(text):
        if ch in "{[(" :
            depth += 1
        elif ch in "}])":
            depth -= 1
        if depth < 0:
            return False
    return depth == 0


def _apply_definition(scope: Scope, definition: Definition, where: SourceMap, notes: list[str]) -> Scope:
    from derivlab.checking.definitions import definition_problem
    from derivlab.checking.parse import parse_expression, symbol_key

    line = where.line_col(definition.name.start)[0]
    name = definition.name.text.strip()
    if definition.kind == "function":
        return _apply_function(scope, definition, name, line, notes)
    try:
        key = symbol_key(name)
    except StepFailure:
        notes.append(f"line {line}: '{name}' is not a name, so this definition was not used")
        return scope
    try:
        body = parse_expression(definition.body.text, scope)
        refused = definition_problem(scope, key, body, name)
        if refused:
            notes.append(f"line {line}: the definition of {name} was refused and not used: {refused}")
            return scope
        substituted = scope.lookup(key) is not None
        scope = scope.define(key, body, name)
        if substituted:  # the steps from here on depend on it: say so
            notes.append(f"line {line}: {name} = {' '.join(definition.body.text.split())} is substituted "
                         "in the steps from here on")
        return scope
    except StepFailure as exc:
        notes.append(f"line {line}: the definition of {name} could not be read: {exc.message}")
        return scope


def _apply_function(scope: Scope, definition: Definition, name: str, line: int, notes: list[str]) -> Scope:
    from derivlab.checking.parse import function_head, parse_expression

    try:
        key, argument = function_head(name, scope)
        body = parse_expression(definition.body.text, scope)
    except StepFailure:
        return scope  # the chain's own first step reports what cannot be read
    if key in scope.keys:
        return scope
    return scope.define_function(key, argument, body, " ".join(name.split()))


def check_step(index: int, line: int, lhs: Expression, rhs: Expression, scope: Scope, where: SourceMap, *,
               seed: int = 0, deadline: limits.Deadline | None = None, condition=None) -> StepVerdict:
    """Parse both sides, check shapes, decide equality (under the chain's side ``condition``, if any),
    and explain a wrong step."""
    from derivlab.checking.equivalence import decide
    from derivlab.checking.hints import find_hint
    from derivlab.checking.indices import bind_step, join
    from derivlab.checking.parse import fit_sides, parse_side

    deadline = deadline or limits.Deadline(limits.STEP_SECONDS)
    t0 = time.monotonic()
    base = dict(index=index, line=line, lhs_latex=lhs.latex(), rhs_latex=rhs.latex())
    side = "left"
    try:
        if not lhs.fragments:
            raise Unparsed("the chain starts with '=': there is no left-hand side", None)
        left, left_condition = parse_side(lhs.text, scope)
        side = "right"
        if not rhs.fragments:
            raise Unparsed("nothing after '='", None)
        right, right_condition = parse_side(rhs.text, scope)
        side = "both"
        condition = join(condition, left_condition, right_condition)
        left, right = fit_sides(*bind_step(left, right))
        outcome = decide(left, right, scope, seed=seed * 100_003 + index, deadline=deadline, condition=condition)
    except Unparsed as exc:
        expr = lhs if side == "left" else rhs
        column = None
        message = exc.message
        if exc.offset is not None and expr.fragments:
            ln, column = where.line_col(expr.file_offset(exc.offset))
            message = f"line {ln}, column {column}: {exc.message}"
        return StepVerdict(**base, verdict="unparsed", method="parser", message=f"{side} side: {message}",
                           hint=exc.hint, column=column, seconds=time.monotonic() - t0)
    except IllTyped as exc:
        where_text = f"{side} side: " if side != "both" else ""
        return StepVerdict(**base, verdict="ill-typed", method="shape check", message=where_text + exc.message,
                           hint=exc.hint, seconds=time.monotonic() - t0)
    except StepFailure as exc:
        return StepVerdict(**base, verdict=exc.verdict, method="limits", message=exc.message, hint=exc.hint,
                           seconds=time.monotonic() - t0)
    if outcome.verdict == "invalid":
        hint = find_hint(left, right, scope, deadline)
        return StepVerdict(**base, verdict="invalid", method=outcome.method, message=_difference(outcome.counterexample),
                           counterexample=outcome.counterexample, hint=hint, seconds=time.monotonic() - t0)
    method, message = outcome.method, outcome.message
    confirmation = _confirm_symbolically(left, right, scope, deadline, condition)
    if confirmation.agrees is False:
        return StepVerdict(**base, verdict="unknown", method=method + f"; SymPy at {confirmation.sizes}",
                           message=f"the two methods disagree: the exact randomized test finds the sides equal, "
                                   f"but {confirmation.note}", seconds=time.monotonic() - t0)
    method += "; " + confirmation.note
    return StepVerdict(**base, verdict="valid", method=method, message=message,
                       error_probability=outcome.error_probability, seconds=time.monotonic() - t0)


def _typed_equation(lhs: Expression, rhs: Expression, scope: Scope, text: str = ""):
    """``lhs = rhs`` read as an ``implication.Equation`` (sides parsed, indices bound, identities sized)."""
    from derivlab.checking.implication import Equation
    from derivlab.checking.indices import bind_step
    from derivlab.checking.parse import fit_sides, parse_side

    return Equation(*fit_sides(*bind_step(parse_side(lhs.text, scope)[0], parse_side(rhs.text, scope)[0])), text)


def read_condition(lhs: Expression, rhs: Expression, concl_lhs: Expression, concl_rhs: Expression, scope: Scope, *,
                   concluded: bool = False, conclusion_scope: Scope | None = None):
    """(the condition, the unknown) when ``lhs = rhs`` is an equation the next step solves (``implication``), else
    None (then it is an ordinary step). Nothing here is judged: an unreadable side makes it an ordinary step.
    ``concluded``: ``lhs = rhs`` is itself the conclusion of an implication, so any system for the unknown is one.
    ``conclusion_scope``: the definitions in force at the conclusion (made between the two steps), else ``scope``."""
    from derivlab.checking.implication import is_condition

    if not (lhs.fragments and rhs.fragments and concl_lhs.fragments and concl_rhs.fragments):
        return None
    try:
        condition = _typed_equation(lhs, rhs, scope, f"{lhs.latex()} = {rhs.latex()}")
    except StepFailure:
        return None
    try:  # a conclusion that cannot be read is reported at its own step; a zero-side condition does not need it
        conclusion = _typed_equation(concl_lhs, concl_rhs, conclusion_scope or scope)
    except StepFailure:
        conclusion = None
    unknown = is_condition(condition, conclusion, scope, concluded=concluded)
    return None if unknown is None else (condition, unknown)


def condition_verdict(index: int, line: int, lhs: Expression, rhs: Expression, found, doc: _Document, eq_offset: int,
                      scope: Scope, *, seed: int = 0, deadline: limits.Deadline | None = None) -> StepVerdict:
    """A condition is the equation the next step solves. It is ``valid`` only where the write-up derives it: as
    the end of a chain that starts with a gradient (∇f = … = 0), or restating (both ways) a gradient derived in
    the chain just before it; a condition nobody derived is ``unknown``, and a wrong restatement ``invalid``."""
    from derivlab.checking.implication import Equation, decide_implication

    condition, unknown = found
    base = dict(index=index, line=line, lhs_latex=lhs.latex(), rhs_latex=rhs.latex())
    if _gradient_set_to_zero(condition):
        return StepVerdict(**base, verdict="valid", method="condition",
                           message=f"a gradient set to zero: a condition on {unknown.name} that the next step solves")
    k = next((i for i, c in enumerate(doc.chains) if eq_offset in c.equals), None)
    chain = doc.chains[k] if k is not None else None
    if chain is not None and chain.equals.index(eq_offset) > 0 and _starts_with_gradient(chain, scope):
        return StepVerdict(**base, verdict="valid", method="condition",
                           message=f"the gradient derived in this chain set to zero: a condition on {unknown.name} "
                                   f"that the next step solves")
    before = doc.chains[k - 1] if k else None
    if chain is not None and chain.equals.index(eq_offset) == 0 and before is not None \
            and _starts_with_gradient(before, scope):
        t0 = time.monotonic()
        try:
            derived = _typed(before.expressions[-1], scope)
            zero = _typed_zero(derived)
            outcome = decide_implication(Equation(derived, zero), condition, unknown, scope, both_ways=True,
                                         seed=seed * 100_003 + index, deadline=deadline)
        except StepFailure as exc:
            return StepVerdict(**base, verdict="unknown", method="condition",
                               message=f"this condition should restate the gradient derived just before it set to "
                                       f"zero, which could not be checked: {exc.message}",
                               seconds=time.monotonic() - t0)
        if outcome.verdict == "valid":
            return StepVerdict(**base, verdict="valid", method="condition; " + outcome.method,
                               message=f"restates the gradient derived just before it, set to zero (the same "
                                       f"solution for {unknown.name}, checked both ways)", seconds=time.monotonic() - t0)
        example = outcome.counterexample or {}
        at = ", ".join(f"{k} = {v}" for k, v in example.get("solution", {}).items())
        where_text = f"where that gradient vanishes ({at}), the sides of this condition are {example.get('lhs')} and " \
                     f"{example.get('rhs')}" if "lhs" in example else outcome.message
        return StepVerdict(**base, verdict="invalid", method="condition; " + outcome.method,
                           message=f"this is not the gradient derived just before it set to zero: {where_text}",
                           counterexample=outcome.counterexample, seconds=time.monotonic() - t0)
    return StepVerdict(**base, verdict="unknown", method="condition",
                       message=f"a condition on {unknown.name} that this write-up does not derive: write the "
                               f"gradient first (∇_{unknown.name} f = … = 0), or restate the one derived just before")


def _gradient_set_to_zero(condition) -> bool:
    """∇f = 0 written as it is: one side a gradient (times constants), the other zero."""
    from derivlab.checking.expr import Gradient
    from derivlab.checking.implication import is_zero

    for side, other in ((condition.lhs, condition.rhs), (condition.rhs, condition.lhs)):
        if is_zero(other) and isinstance(side, Gradient):
            return True
    return False


def _starts_with_gradient(chain, scope: Scope) -> bool:
    """Does the chain's first expression contain a gradient ∇ / ∂ (it derives a stationarity condition)?"""
    from derivlab.checking.expr import Gradient, walk

    first = chain.expressions[0] if chain.expressions and chain.expressions[0].fragments else None
    if first is None:
        return False
    try:
        return any(isinstance(n, Gradient) for n in walk(_typed(first, scope)))
    except StepFailure:
        return False


def _typed(expression: Expression, scope: Scope):
    from derivlab.checking.parse import parse_side

    return parse_side(expression.text, scope)[0]


def _typed_zero(like):
    from fractions import Fraction

    from derivlab.checking.expr import SCALAR, Const
    from derivlab.checking.shapes import zero_like

    return zero_like(Const(SCALAR, "0", Fraction(0)), like)


def check_implication(index: int, line: int, condition, lhs: Expression, rhs: Expression, unknown, scope: Scope,
                      where: SourceMap, *, both_ways: bool = False, seed: int = 0,
                      deadline: limits.Deadline | None = None, condition_of_chain=None) -> StepVerdict:
    """The conclusion ``lhs = rhs`` of an implication from ``condition`` (``implication.decide_implication``).
    A link that does not involve the unknown is an ordinary step (an identity, with its full guarantee); one
    that names another variable (``w_{new} = p\\tilde w^*``) is a name for a value, not a claim."""
    from derivlab.checking.expr import Var, free_variables
    from derivlab.checking.implication import decide_implication

    t0 = time.monotonic()
    base = dict(index=index, line=line, lhs_latex=lhs.latex(), rhs_latex=rhs.latex(), premise=condition.text)
    try:
        conclusion = _typed_equation(lhs, rhs, scope)
        used = {**free_variables(conclusion.lhs), **free_variables(conclusion.rhs)}
        if unknown.name not in used:
            return check_step(index, line, lhs, rhs, scope, where, seed=seed, deadline=deadline,
                              condition=condition_of_chain)
        named = conclusion.lhs
        before = {**free_variables(condition.lhs), **free_variables(condition.rhs)}
        if isinstance(named, Var) and not named.random and named.name != unknown.name \
                and named.name not in before and named.name not in free_variables(conclusion.rhs):
            return StepVerdict(**base, verdict="valid", method="a name",
                               message=f"names {named.name} for a value at the solution of the condition; not a claim",
                               seconds=time.monotonic() - t0)
        outcome = decide_implication(condition, conclusion, unknown, scope, both_ways=both_ways,
                                     seed=seed * 100_003 + index, deadline=deadline)
    except Unparsed as exc:
        return StepVerdict(**base, verdict="unparsed", method="parser", message=exc.message, hint=exc.hint,
                           seconds=time.monotonic() - t0)
    except IllTyped as exc:
        return StepVerdict(**base, verdict="ill-typed", method="shape check", message=exc.message, hint=exc.hint,
                           seconds=time.monotonic() - t0)
    except StepFailure as exc:
        return StepVerdict(**base, verdict=exc.verdict, method="limits", message=exc.message, hint=exc.hint,
                           seconds=time.monotonic() - t0)
    return StepVerdict(**base, verdict=outcome.verdict, method=outcome.method, message=outcome.message,
                       counterexample=outcome.counterexample, seconds=time.monotonic() - t0)


def _difference(example: dict | None) -> str:
    """'the two sides differ, e.g. at n=1, d=1: left 1/2, right 1/4'."""
    if not example:
        return "the two sides differ"
    sizes = ", ".join(f"{k}={v}" for k, v in example["sizes"].items())
    where = f" at {sizes}" if sizes else ""
    if isinstance(example["lhs"], str):
        return f"the two sides differ, e.g.{where}: left {example['lhs']}, right {example['rhs']} (see the counterexample)"
    return f"the two sides differ, e.g.{where} (see the counterexample)"


SYMBOLIC_MAX_NODES = 120
SYMBOLIC_MAX_DEGREE = 8       # SymPy expands lhs − rhs: beyond this degree the confirmation is skipped
SYMBOLIC_MIN_SECONDS = 1.0
SYMBOLIC_MAX_SECONDS = 2.0


@dataclass(frozen=True)
class Confirmation:
    """The SymPy cross-check of a valid step: agrees True (proved at ``sizes``), False (disproved or failed),
    None (not attempted: too large, no time, switched off); ``note`` says which, for the method text."""

    agrees: bool | None
    sizes: str
    note: str


def _confirm_symbolically(left, right, scope: Scope, deadline: limits.Deadline, condition=None) -> Confirmation:
    """SymPy at n = d = 2 with symbolic entries, inside the step's clock (an alarm stops a runaway expansion)."""
    from derivlab.checking import bounds
    from derivlab.checking.expr import walk
    from derivlab.checking.indices import assignments, free_indices
    from derivlab.checking.symbolic import confirm

    sizes = {s: 2 for s in scope.sizes}
    where = ", ".join(f"{k}={v}" for k, v in sizes.items()) or "scalar size"
    nodes = sum(1 for _ in walk(left)) + sum(1 for _ in walk(right))
    if not symbolic_enabled():
        return Confirmation(None, where, "SymPy confirmation switched off")
    if nodes > SYMBOLIC_MAX_NODES:
        return Confirmation(None, where, f"SymPy confirmation skipped ({nodes} nodes)")
    try:
        degree = bounds.difference_degree(bounds.degree(left, sizes), bounds.degree(right, sizes))
    except StepFailure:
        degree = SYMBOLIC_MAX_DEGREE + 1
    if degree > SYMBOLIC_MAX_DEGREE:
        return Confirmation(None, where, f"SymPy confirmation skipped (degree {degree})")
    seconds = min(SYMBOLIC_MAX_SECONDS, deadline.remaining())
    if seconds < SYMBOLIC_MIN_SECONDS:
        return Confirmation(None, where, "SymPy confirmation skipped (no time left)")
    try:
        with limits.alarm(seconds):
            free = free_indices(left, right)
            ok = confirm(left, right, scope, sizes, assignments(free, sizes, condition) if free else None)
    except limits.AlarmExpired:  # not a disagreement: the cross-check is skipped, and the method says so
        return Confirmation(None, where, f"SymPy confirmation at {where} did not finish within {seconds:.1f} s")
    except limits.AlarmUnavailable:
        return Confirmation(None, where, "SymPy confirmation skipped (not on the main thread)")
    except (ValueError, TypeError, ZeroDivisionError, ArithmeticError, StepFailure) as exc:
        return Confirmation(False, where, f"the SymPy confirmation at {where} failed ({type(exc).__name__})")
    if ok:
        return Confirmation(True, where, f"confirmed by SymPy at {where}")
    return Confirmation(False, where, f"SymPy at {where} does not reduce lhs − rhs to 0")


_SYMBOLIC = {"on": True}


def symbolic_enabled() -> bool:
    return _SYMBOLIC["on"]
