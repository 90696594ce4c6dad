"""What a newcomer reads in the report and the feedback: quick runs say they are not evidence,
statistics read as words and small tables, commands paste, points print as people write them,
figure labels stay inside the figure."""

import matplotlib

matplotlib.use("Agg")

from derivlab.claims import NumericResult  # noqa: E402
from derivlab.reports.claim_views import numeric_view, readable  # noqa: E402
from derivlab.reports.templating import format_points, render_string  # noqa: E402
from derivlab.reports.transformers_section import _caption, _claim_row  # noqa: E402

CLAIM = {"text": "keys and queries differ", "holds_in": 0, "of": 2, "metric": "cosine", "values": [0.9, 0.8]}


def test_a_quick_run_never_says_a_claim_is_not_borne_out():
    quick = _claim_row(CLAIM, quick=True)["answer"]
    assert "borne out" not in quick and "quick run" in quick and "(0 of 2)" in quick
    full = _claim_row(CLAIM)["answer"]
    assert "not borne out" in full  # a full run still says so


def test_nested_statistics_become_a_small_table_and_names_become_words():
    details = {"headline": "h", "size": [50, 10], "keep_probability": 0.7,
               "conventions": {"keep-mask": {"relative_error_averaged": 0.0074, "agrees": True},
                               "torch-dropout": {"relative_error_averaged": 0.0084, "agrees": True}}}
    view = numeric_view(NumericResult("torch-sgd", "agrees", 1.0, details))
    names = [str(n) for n, _ in view["rows"]]
    assert names == ["size", "keep probability"]
    assert not any("conventions" in n for n in names)
    (group,) = view["groups"]
    assert group["columns"] == ["relative error averaged", "agrees"]
    assert group["rows"] == [("keep-mask", ["0.0074", "true"]), ("torch-dropout", ["0.0084", "true"])]
    assert readable("targets.keep-mask") == "targets, keep-mask"


def test_the_appendix_command_pastes_without_an_en_dash():
    from derivlab.reports.templating import environment

    source = environment().loader.get_source(environment(), "solutions.tex.j2")[0]
    line = next(l for l in source.splitlines() if l.startswith(r"\item Command:"))
    assert "-{}-quick" in line and " --quick" not in line


def test_points_print_whole_or_with_two_decimals():
    assert format_points(16 / 3) == "5.33" and format_points(18) == "18" and format_points(2.6666667) == "2.67"
    assert render_string(r"\VAR{s|points} / \VAR{m|points}", s=16 / 3, m=18.0) == "5.33 / 18"


def test_the_heatmap_caption_explains_the_colour_scales_without_carets():
    from pathlib import Path

    caption = _caption("first", Path("compare_first_heatmaps_seed0.pdf"))
    assert "colour" in caption and "^" not in caption and "rescaled to [0, 1]" not in caption


def test_the_loss_plot_labels_fit_inside_the_figure():
    from derivlab.transformers.comparison_figures import loss_plot
    from derivlab.transformers.multiseed import train_many
    from derivlab.transformers.tasks import TASKS

    fig = loss_plot(TASKS["first"], train_many("first", [0], steps=60))
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    box = fig.bbox
    ax = fig.axes[0]
    for label in (ax.yaxis.label, ax.xaxis.label, ax.title):
        extent = label.get_window_extent(renderer)
        assert extent.x0 >= box.x0 and extent.x1 <= box.x1 and extent.y0 >= box.y0 and extent.y1 <= box.y1
