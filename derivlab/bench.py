"""Side-by-side benchmarks: ours against a baseline in the same process, after a
warm-up, median of several repeats; the result is a ratio (baseline_s / ours_s),
never an absolute threshold, because these machines are noisy.

Each topic contributes its benchmarks through one function below
(``_dropout_benchmarks``, ``_attention_benchmarks``, ...).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from derivlab.errors import InputError


@dataclass(frozen=True)
class Benchmark:
    """``ours(ctx)`` against ``baseline(ctx)``, where ``ctx = setup()`` is built once, untimed."""

    name: str
    ours: Callable[[Any], Any]
    baseline: Callable[[Any], Any] | None = None
    baseline_label: str | None = None
    setup: Callable[[], Any] = lambda: None
    repeats: int = 3
    baseline_repeats: int = 1
    warmup: bool = True
    describe: Callable[[Any], str] | None = None  # detail text from ours' return value
    goal: str = ""


@dataclass(frozen=True)
class BenchResult:
    name: str
    ours_s: float
    baseline: str | None
    baseline_s: float | None
    ratio: float | None
    detail: str

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "ours_s": round(self.ours_s, 6),
            "baseline": self.baseline,
            "baseline_s": None if self.baseline_s is None else round(self.baseline_s, 6),
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class BenchReport:
    benchmarks: tuple[BenchResult, ...]
    exit_code: int = 0

    def to_json(self) -> dict:
        return {"benchmarks": [b.to_json() for b in self.benchmarks]}

    def render(self, console: Any) -> None:
        from rich.table import Table

        table = Table(title="derivlab bench (ratio = baseline_s / ours_s, median of repeats)")
        for col in ("name", "ours (s)", "baseline", "baseline (s)", "ratio", "detail"):
            table.add_column(col)
        for b in self.benchmarks:
            table.add_row(
                b.name,
                f"{b.ours_s:.4f}",
                b.baseline or "-",
                "-" if b.baseline_s is None else f"{b.baseline_s:.4f}",
                "-" if b.ratio is None else f"{b.ratio:.1f}x",
                b.detail,
            )
        console.print(table)


def _median_seconds(fn: Callable[[Any], Any], ctx: Any, repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        result = fn(ctx)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def run_benchmark(bench: Benchmark, *, quick: bool = False) -> BenchResult:
    """Warm up, then time ours and the baseline side by side in this process."""
    ctx = bench.setup()
    if bench.warmup:
        bench.ours(ctx)
    ours_s, result = _median_seconds(bench.ours, ctx, 1 if quick else bench.repeats)
    base_s = None
    if bench.baseline is not None:
        base_s, _ = _median_seconds(bench.baseline, ctx, 1 if quick else bench.baseline_repeats)
    detail = bench.describe(result) if bench.describe else ""
    if bench.goal:
        detail = f"{detail}; goal: {bench.goal}" if detail else f"goal: {bench.goal}"
    ratio = None if base_s is None or ours_s <= 0 else base_s / ours_s
    return BenchResult(bench.name, ours_s, bench.baseline_label, base_s, ratio, detail)


# --- topic benchmarks ---------------------------------------------------------------


def _dropout_benchmarks() -> list[Benchmark]:
    """The exact 8x8 proof vs sympy.stats.E (~13 s on this objective as defined); the general proof alone."""
    from derivlab.derivations.dropout_concrete import concrete_identity_proof, sympy_stats_identity_check
    from derivlab.derivations.dropout_general import general_identity_proof

    def exact_8x8(_: Any) -> Any:
        proof = concrete_identity_proof(8, 8)
        if not proof.holds:
            raise RuntimeError("the 8x8 identity did not verify")
        return proof

    def baseline_8x8(_: Any) -> bool:
        if not sympy_stats_identity_check(8, 8):
            raise RuntimeError("sympy.stats.E disagreed with the closed form")
        return True

    return [
        Benchmark("dropout-symbolic-8x8", exact_8x8, baseline_8x8, "sympy.stats.E", repeats=5, baseline_repeats=1,
                  describe=lambda proof: f"n=d=8: {proof.detail}; both compared in Z[R,x,y,w,p]",
                  goal=">= 50x"),
        Benchmark("dropout-general-proof", lambda _: general_identity_proof(), repeats=3,
                  describe=lambda proof: f"{len(proof.steps)} steps + {len(proof.extras['lemmas'])} lemmas, "
                                         f"holds={proof.holds}", goal="< 3 s"),
    ]


def _attention_benchmarks() -> list[Benchmark]:
    return [_attention_exhaustive_benchmark(), _training_multiseed_benchmark()]


def _attention_exhaustive_benchmark() -> Benchmark:
    """``check weights`` on a design file (all 1092 identity sequences, one batched pass) vs a loop of
    the notebook's NumpyTransformer.forward + np.allclose over the same, pre-encoded sequences."""
    import json
    import tempfile
    from pathlib import Path

    def setup() -> Any:
        import numpy as np

        from derivlab.transformers.designs import hand_coded_design
        from derivlab.transformers.tasks import TASKS, all_token_sequences, encode, target

        design = hand_coded_design("identity")
        folder = Path(tempfile.mkdtemp(prefix="derivlab-bench-"))
        path = folder / "identity.json"
        path.write_text(json.dumps({k: v.tolist() for k, v in design.weights().items()}))
        task = TASKS["identity"]
        cases = [(encode(task, t), target(task, t)) for t in all_token_sequences(task)]
        return {"path": path, "design": design, "cases": cases, "np": np}

    def ours(ctx: Any) -> Any:
        from derivlab.checking.weights import check_weights_file

        return check_weights_file(ctx["path"], "identity")

    def baseline(ctx: Any) -> Any:
        from derivlab.transformers.numpy_model import NumpyTransformer

        d = ctx["design"]
        model = NumpyTransformer(d.Km, d.Qm, d.Vm, d.pos)
        allclose = ctx["np"].allclose
        return sum(not allclose(model.forward(seq), want, rtol=1e-3, atol=1e-8) for seq, want in ctx["cases"])

    def describe(report: Any) -> str:
        return (f"identity design (c = 8) from a JSON file, {report.sequences_checked} sequences, verdict "
                f"{report.verdict}; ours includes reading and validating the file")

    return Benchmark("attention-exhaustive-identity", ours, baseline, "per-sequence NumpyTransformer.forward + np.allclose",
                     setup=setup, repeats=7, baseline_repeats=3, describe=describe, goal=">= 20x")


def _training_multiseed_benchmark(steps: int = 3000, seeds: int = 8) -> Benchmark:
    """8 identity twins trained together (hand-written batched gradient) vs 8 notebook loops, same steps."""
    from derivlab.transformers.multiseed import torch_threads, train_many
    from derivlab.transformers.training import train_loop

    def ours(_: Any) -> Any:
        with torch_threads(1):
            return train_many("identity", range(seeds), qk_dim=3, v_dim=3, steps=steps)

    def baseline(_: Any) -> Any:
        with torch_threads(1):
            return [train_loop("identity", qk_dim=3, v_dim=3, steps=steps, seed=s) for s in range(seeds)]

    def describe(models: Any) -> str:
        losses = ", ".join(f"{m.final_loss:.3f}" for m in models)
        return (f"identity, {seeds} seeds x {steps} SGD steps each (notebook: 10,001), one torch thread for both; "
                f"final losses {losses}")

    return Benchmark("training-multiseed", ours, baseline, f"{seeds} sequential notebook train_loop runs",
                     describe=describe, goal=">= 5x")


def _checker_benchmarks() -> list[Benchmark]:
    """checker-13-steps: a correct 13-step dropout derivation, checked in-process (no guard)."""
    from importlib import resources

    def setup() -> str:
        return resources.files("derivlab.checking").joinpath("examples", "dropout_13_steps.tex").read_text("utf-8")

    def ours(text: str):
        from derivlab.checking.derivation import check_derivation_text

        report = check_derivation_text(text)
        if report.verdict != "valid" or len(report.steps) != 13:
            raise RuntimeError(f"benchmark derivation judged {report.verdict} ({len(report.steps)} steps)")
        return report

    def describe(report) -> str:
        per_step = [s.seconds for s in report.steps]
        return (f"{len(per_step)} steps, all valid; per step mean {sum(per_step) / len(per_step) * 1000:.0f} ms, "
                f"max {max(per_step) * 1000:.0f} ms")

    return [Benchmark("checker-13-steps", ours, setup=setup, describe=describe, repeats=3,
                      goal="a correct 13-step derivation in under 2 s"),
            _checker_entrywise_benchmark(), _checker_minimiser_benchmark()]


def _example_derivation_benchmark(name: str, example: str, what: str, goal: str) -> Benchmark:
    """``name``: the correct 10-step example derivation ``examples/<example>`` checked in-process (all valid)."""
    from importlib import resources

    def setup() -> str:
        return resources.files("derivlab.checking").joinpath("examples", example).read_text("utf-8")

    def ours(text: str):
        from derivlab.checking.derivation import check_derivation_text

        report = check_derivation_text(text)
        if report.verdict != "valid" or len(report.steps) != 10:
            raise RuntimeError(f"benchmark derivation judged {report.verdict} ({len(report.steps)} steps)")
        return report

    def describe(report) -> str:
        per_step = ", ".join(f"{s.index}: {s.seconds * 1000:.0f}" for s in report.steps)
        return f"{len(report.steps)} {what}, all valid; per-step ms {per_step}"

    return Benchmark(name, ours, setup=setup, describe=describe, repeats=3, goal=goal)


def _checker_entrywise_benchmark() -> Benchmark:
    """checker-entrywise: a correct 10-step entry-wise derivation (entries, sums, δ, cases), in-process."""
    return _example_derivation_benchmark("checker-entrywise", "entrywise_10_steps.tex", "entry-wise steps",
                                         "a correct 10-step entry-wise derivation in under 1.5 s")


def _checker_minimiser_benchmark() -> Benchmark:
    """checker-minimiser: a correct 10-step derivation of the dropout minimiser (a gradient, a condition solved by
    implications, an inverse, the ridge rescaling), in-process."""
    return _example_derivation_benchmark("checker-minimiser", "minimiser_10_steps.tex",
                                         "steps (gradient, condition, implications, inverse)",
                                         "a correct 10-step minimiser derivation in under 1.5 s")


def _grading_benchmarks() -> list[Benchmark]:
    from derivlab.reports import throughput

    return [Benchmark(
        "grading-throughput",
        ours=lambda setup: (setup, throughput.grade_with(setup, jobs=None)),
        baseline=lambda setup: throughput.grade_with(setup, jobs=1),
        baseline_label="the same 100 submissions one at a time (jobs=1)",
        setup=lambda: throughput.prepare(100),
        repeats=1, baseline_repeats=1, warmup=False,  # prepare() grades two submissions as the warm-up
        describe=lambda result: throughput.describe(*result),
    )]


def all_benchmarks() -> dict[str, Benchmark]:
    found: dict[str, Benchmark] = {}
    for group in (_dropout_benchmarks, _attention_benchmarks, _checker_benchmarks, _grading_benchmarks):
        for b in group():
            found[b.name] = b
    return found


def run_benchmarks(
    only: Iterable[str] | None = None,
    *,
    quick: bool = False,
    progress: Callable[[str], None] | None = None,
) -> BenchReport:
    registry = all_benchmarks()
    names = list(only) if only else list(registry)
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise InputError(f"unknown benchmark {unknown[0]!r} (known: {', '.join(registry) or 'none'})")
    results = []
    for name in names:
        if progress:
            progress(name)
        results.append(run_benchmark(registry[name], quick=quick))
    return BenchReport(tuple(results))
