"""Where does a student's chain go? Judged on the PARSED chain, never by adding text to the file.

Valid steps alone prove nothing about the question (``E[..] = E[..]`` is valid), so
grading also asks, for each chain ``e0 = e1 = …`` of the file (parsed with the
definitions in force there, which ``checking.definitions`` keeps honest):

* is ``e0`` the objective (2), an expectation equal to it (an
  expression without one that equals it is (4), not a start)? The first chain that
  does (preferring one that reaches (4) through valid steps) is the MAIN chain;
* which right side of the main chain first equals (4), the Tikhonov form, with no expectation left in it (every expression of a valid chain from (2) equals (4)
  in value; (4) is the closed form)?
* which steps are trivial: both sides the same expression once parsed, up to padding
  (``p = p``, ``e = e + 0``; ``checking.sameness``)?

(2) and (4) are parsed by the checker's grammar with the context's Γ and λ (a student's own λ
cannot change them) and the student's accepted substitutions of variables, and compared with
its exact randomized test (``equivalence.decide``) under a small time budget.

    >>> text = r"\\[ \\mathbb{E}_R\\left[\\|y - (R \\odot X)w\\|_2^2\\right] = \\mathbb{E}_R\\|y - (R \\odot X)w\\|^2 \\]"
    >>> ends = judge_chains(text)
    >>> ends.starts_at_objective, ends.main_chain, ends.trivial
    (True, (1,), (1,))
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from derivlab.checking import limits
from derivlab.checking.expr import Expectation, walk
from derivlab.checking.failures import StepFailure
from derivlab.derivations.statements import IDENTITY
from derivlab.errors import DerivlabError

OBJECTIVE_LATEX, TIKHONOV_LATEX = IDENTITY.lhs, IDENTITY.rhs  # (2) and (4), from the claim's statement
OBJECTIVE_TEXT, TIKHONOV_TEXT = IDENTITY.lhs_text, IDENTITY.rhs_text
MAX_STEPS = 200          # steps read for the endpoints (later ones are still graded as steps)
MAX_CHAINS = 40          # chains whose first expression is compared with (2)
SECONDS = 8.0            # for every comparison together
COMPARE_SECONDS = 2.0    # one comparison


@dataclass(frozen=True)
class Endpoints:
    """The chain structure grading needs (step indices are 1-based, as in the checker's report)."""

    starts_at_objective: bool
    reached_at: int | None
    start_detail: str
    goal_detail: str
    main_chain: tuple[int, ...] = ()   # the steps of the main chain, in order
    trivial: tuple[int, ...] = ()      # steps whose two sides are the same expression

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Endpoints:
        return cls(bool(data["starts_at_objective"]), data.get("reached_at"), str(data["start_detail"]),
                   str(data["goal_detail"]), tuple(data.get("main_chain") or ()), tuple(data.get("trivial") or ()))


def has_expectation(expr) -> bool:
    """True when the typed expression ``expr`` still contains an expectation (so it is not (4))."""
    return any(isinstance(node, Expectation) for node in walk(expr))


def judge_chains(text: str, *, context: str = "dropout", valid: frozenset[int] | None = None,
                 seed: int = 0) -> Endpoints:
    """The endpoints of the chains in ``text``; ``valid`` = the steps the checker judged valid (when
    known, a main chain that reaches (4) through valid steps is preferred)."""
    from derivlab.checking.derivation import step_chains, typed_steps
    from derivlab.checking.sameness import same_expression

    budget = limits.Deadline(SECONDS, "judging the ends of the chain")
    typed = typed_steps(text, context=context, limit=MAX_STEPS)
    chains = step_chains(text, context=context)[:MAX_STEPS]
    if not chains:
        reason = "no checked steps, so the chain's ends cannot be compared with (2) and (4)"
        return Endpoints(False, None, reason, reason)
    by_index = {t.index: t for t in typed}
    trivial = tuple(t.index for t in typed if same_expression(t.lhs, t.rhs))
    members: dict[int, list[int]] = {}
    for index, chain in enumerate(chains, start=1):
        members.setdefault(chain, []).append(index)
    starting = []  # chains whose first expression equals (2), in document order
    for chain, steps in list(members.items())[:MAX_CHAINS]:
        first = by_index.get(steps[0])
        if first is not None and has_expectation(first.lhs) and \
                _equals(first.lhs, OBJECTIVE_LATEX, first.scope, budget, seed) is True:
            starting.append(chain)
    if not starting:
        first = by_index.get(1)
        shown = _shown(first.lhs) if first else "the first expression"
        reason = (f"No chain starts at the objective {OBJECTIVE_TEXT}: the first expression of each chain "
                  f"(e.g. {shown}) is not shown equal to it, so no step earns credit.")
        return Endpoints(False, None, reason, "No chain starts at (2), so none can reach (4) from it.",
                         (), trivial)
    best = None
    for chain in starting:
        reached = _reaches(members[chain], by_index, budget, seed)
        if best is None:
            best = (chain, reached)
        if reached is not None and (valid is None or all(k in valid for k in members[chain] if k <= reached)):
            best = (chain, reached)
            break
    chain, reached = best
    steps = members[chain]
    start = by_index[steps[0]]
    start_detail = (f"The chain of steps {steps[0]}–{steps[-1]} starts at {_shown(start.lhs)}, which equals "
                    f"the objective {OBJECTIVE_TEXT}.")
    goal_detail = (f"Step {reached} reaches {TIKHONOV_TEXT} (no expectation left)." if reached else
                   f"No right side of the chain that starts at (2) is shown equal to {TIKHONOV_TEXT} "
                   f"without an expectation.")
    return Endpoints(True, reached, start_detail, goal_detail, tuple(steps), trivial)


def _reaches(steps: list[int], by_index: dict, budget: limits.Deadline, seed: int) -> int | None:
    for k in steps:
        step = by_index.get(k)
        if step is not None and not has_expectation(step.rhs) and \
                _equals(step.rhs, TIKHONOV_LATEX, step.scope, budget, seed) is True:
            return k
    return None


def _equals(expr, latex: str, scope, budget: limits.Deadline, seed: int) -> bool | None:
    """``expr`` = the context's ``latex`` (parsed in ``scope``); None when undecided in time."""
    from derivlab.checking.equivalence import decide

    left = budget.remaining()
    if left <= 0:
        return None
    try:
        target = _target(latex, scope)
        if target.shape != expr.shape:
            return False
        outcome = decide(expr, target, scope, seed=seed, deadline=limits.Deadline(min(COMPARE_SECONDS, left)))
    except StepFailure:
        return None
    return outcome.verdict == "valid"


def _target(latex: str, scope):
    """(2) or (4) with the CONTEXT's Γ and λ, and the student's accepted substitutions of variables
    (``\\tilde w = w_{new}/p``) replayed, so that no redefinition changes what the ends mean."""
    from derivlab.checking.context import load_context
    from derivlab.checking.expr import Var, free_variables, map_tree
    from derivlab.checking.parse import parse_expression

    try:
        context = load_context(scope.name)
    except DerivlabError:  # an instructor's TOML context: its name is not a built-in one
        context = scope
    base = parse_expression(latex, context)

    def substituted(node):  # variable-for-variable substitutions only: a number (p = 1/2) specialises the problem
        if isinstance(node, Var) and not node.random:
            now = scope.lookup(node.name)
            return now if now is not None and now != node and free_variables(now) else None
        return None

    return map_tree(base, substituted)


def _shown(expr) -> str:
    from derivlab.checking.expr import render

    text = render(expr)
    return text if len(text) <= 80 else text[:77] + "..."
