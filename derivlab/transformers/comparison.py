"""``derivlab compare``: learned twins against the hand-coded design, the written claims measured.

    >>> report = compare_task("identity", seeds=2, steps=500)      # doctest: +SKIP
    >>> [(c.id, c.holds_in, c.of) for c in report.claims]           # doctest: +SKIP

K models are trained together (``multiseed.train_many``, the notebook's setup: default init,
SGD lr 3e-2, MSE, one random sequence per step, 10,001 steps; qk_dim, v_dim and pos_dim of the
design), each is measured against ``hand_coded_design(task)`` on every input of the task
(``comparison_metrics``), and every written claim becomes "holds in j of K"
(``claims_measured``). A claim that fails is a finding, so the exit code is 0 when the
comparison ran.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derivlab.errors import InputError
from derivlab.progress import stage
from derivlab.transformers.claims_measured import (
    ATTENTION_TV,
    FIRST_MASS,
    MOST_DIFFER,
    OUTPUT_DIFF,
    ROUGHLY_SAME_COSINE,
    MeasuredClaim,
    measure_claims,
)
from derivlab.transformers.comparison_metrics import compare_with_design
from derivlab.transformers.tasks import TASKS, exhaustive_batch
from derivlab.transformers.training import NOTEBOOK_LR, NOTEBOOK_STEPS, TrainedModel

MAX_SEEDS = 32
MAX_STEPS = 200_000
MAX_SEED_STEPS = 1_000_000  # seeds x steps: the pre-generated sequence streams stay under ~200 MB


@dataclass(frozen=True)
class ComparisonReport:
    """Per-seed metrics of the learned models and the measured claims of one task."""

    task: str
    seeds: int
    first_seed: int
    steps: int
    models: tuple[dict, ...]
    claims: tuple[MeasuredClaim, ...]
    figures: tuple[str, ...]
    setup: dict
    training_seconds: float
    exit_code: int = 0

    def to_json(self) -> dict:
        return {
            "task": self.task, "seeds": self.seeds, "first_seed": self.first_seed, "steps": self.steps,
            "setup": self.setup, "training_seconds": round(self.training_seconds, 3),
            "thresholds": {"roughly_same_cosine": ROUGHLY_SAME_COSINE, "attention_mean_tv": ATTENTION_TV,
                           "output_max_abs_diff": OUTPUT_DIFF, "first_position_mass": FIRST_MASS,
                           "most_differ_of_8": MOST_DIFFER},
            "models": list(self.models), "claims": [c.to_json() for c in self.claims],
            "figures": list(self.figures),
        }

    def render(self, console: Any) -> None:
        from rich.table import Table

        models = Table(title=f"derivlab compare --task {self.task}: {self.seeds} learned models, {self.steps} steps each "
                             f"(trained together in {self.training_seconds:.1f} s)")
        for col in ("seed", "final loss", "MSE, all inputs", "solves (notebook criterion)",
                    "argmax/sign = target", "max |err|"):
            models.add_column(col)
        for m in self.models:
            models.add_row(str(m["seed"]), f"{m['final_loss']:.2e}", f"{m['exhaustive_mse']:.2e}",
                           "yes" if m["solves"] else "no", f"{m['agreement_with_target']:.3f}",
                           f"{m['output_max_abs_error']:.3f}")
        console.print(models)
        claims = Table(title="the written claims, measured (a failing claim is a finding)")
        claims.add_column("claim (and its metric)", ratio=3)
        for col in ("holds in", "threshold", "values per seed"):
            claims.add_column(col, ratio=1)
        for c in self.claims:
            values = ", ".join("n/a" if v is None else f"{v:.3g}" for v in c.values)
            colour = "green" if c.holds_in == c.of else ("red" if c.holds_in == 0 else "yellow")
            claims.add_row(f"[bold]{c.id}[/]: {c.text}\n[dim]{c.metric}[/]", f"[{colour}]{c.holds_in} of {c.of}[/]",
                           f"{c.comparison} {c.threshold:g}", values)
        console.print(claims)
        for path in self.figures:
            console.print(f"figure: {path}")


def _model_row(model: TrainedModel, metrics: dict) -> dict:
    trained = model.to_json()
    return {"seed": model.seed, "final_loss": model.final_loss, "final_step_loss": trained["final_step_loss"],
            **metrics, "loss_curve": trained["loss_curve"], "weights": trained["weights"]}


def _check_options(task: str, seeds: int, steps: int) -> None:
    if task not in TASKS:
        raise InputError(f"unknown task {task!r} (identity, first, unique)")
    if not 1 <= seeds <= MAX_SEEDS:
        raise InputError(f"--seeds must be between 1 and {MAX_SEEDS}, got {seeds}")
    if not 1 <= steps <= MAX_STEPS:
        raise InputError(f"--steps must be between 1 and {MAX_STEPS}, got {steps}")
    if seeds * steps > MAX_SEED_STEPS:
        raise InputError(f"seeds x steps = {seeds * steps} is above {MAX_SEED_STEPS}; use fewer seeds or steps")


def compare_task(task: str, seeds: int = 4, first_seed: int = 0, steps: int | None = None,
                 out_dir: Path | None = None) -> ComparisonReport:
    """Train ``seeds`` learned twins (seeds first_seed, first_seed + 1, ...) and measure the claims of ``task``."""
    from derivlab.transformers.designs import hand_coded_design
    from derivlab.transformers.multiseed import train_many

    steps = NOTEBOOK_STEPS if steps is None else int(steps)
    _check_options(task, seeds, steps)
    spec, design = TASKS[task], hand_coded_design(task)
    setup = {"qk_dim": design.qk_dim, "v_dim": int(design.Vm.shape[1]), "pos_dim": design.pos_dim or None,
             "max_seq_len": spec.max_seq_len, "lr": NOTEBOOK_LR, "remove_cls": spec.has_cls,
             "loss": "MSE of one random sequence per step", "init": "torch.manual_seed(seed); PytorchTransformer defaults",
             "design_params": dict(design.params)}
    seed_list = list(range(first_seed, first_seed + seeds))
    start = time.perf_counter()
    models = train_many(task, seed_list, setup["qk_dim"], setup["v_dim"], pos_dim=setup["pos_dim"],
                        max_seq_len=spec.max_seq_len, steps=steps, lr=NOTEBOOK_LR, remove_cls=spec.has_cls)
    training_seconds = time.perf_counter() - start
    with stage(f"measuring {seeds} models on every {task} input"):
        batch = exhaustive_batch(spec)
        per_seed = [compare_with_design(spec, batch, m.model(), design) for m in models]
    claims = measure_claims(task, per_seed)
    figures: list[str] = []
    if out_dir is not None:
        from derivlab.transformers.comparison_figures import write_figures

        with stage("writing figures"):
            try:
                figures = write_figures(spec, design, models, Path(out_dir))
            except OSError as exc:
                raise InputError(f"cannot write figures to {out_dir}: {exc.strerror or exc}") from None
    rows = tuple(_model_row(m, metrics) for m, metrics in zip(models, per_seed))
    return ComparisonReport(task, seeds, first_seed, steps, rows, claims, tuple(figures), setup, training_seconds)
