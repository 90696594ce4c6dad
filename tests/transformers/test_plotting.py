"""The notebook's 8-heatmap picture: the right matrices, transposed as the notebook does, drawn with
colour scales that show their values (a constant matrix is not drawn as zero)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from derivlab.transformers.attention import attention_parts  # noqa: E402
from derivlab.transformers.designs import hand_coded_design  # noqa: E402
from derivlab.transformers.plotting import (  # noqa: E402
    PANELS,
    colour_limits,
    heatmap_matrices,
    plot_heatmaps,
    rescale_unit,
)
from derivlab.transformers.tasks import TASKS, encode  # noqa: E402


@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=st.floats(-1e6, 1e6)))
def test_rescaled_entries_lie_in_the_unit_interval(m):
    r = rescale_unit(m)
    assert r.shape == m.shape and r.min() >= 0.0 and r.max() <= 1.0 + 1e-12
    if m.max() > m.min():
        assert r.min() == 0.0 and np.isclose(r.max(), 1.0)


def test_constant_matrix_is_drawn_as_zero():
    assert not rescale_unit(np.full((2, 3), 7.0)).any()


def test_panels_are_the_notebook_eight_with_the_notebook_orientation():
    d = hand_coded_design("first")
    seq = encode(TASKS["first"], (0, 1, 1))
    parts = attention_parts(seq, d.Km, d.Qm, d.Vm, d.pos)
    mats = heatmap_matrices(d.Km, d.Qm, d.Vm, parts)
    assert [name for _, name in PANELS] == ["Kmᵀ", "Qmᵀ", "Vmᵀ", "Kᵀ", "Qᵀ", "Vᵀ", "attention", "outputᵀ"]
    assert [m.shape for m in mats] == [(1, 7), (1, 7), (3, 7), (1, 3), (1, 3), (3, 3), (3, 3), (3, 3)]
    assert np.array_equal(mats[6], parts["weights"]) and np.array_equal(mats[7], parts["out"].T)


def _drawn(fig):
    """(image array, (vmin, vmax)) of every heatmap panel, and how many colour bars the figure has."""
    panels = [ax for ax in fig.axes if ax.get_images() and ax.get_title()]
    bars = [ax for ax in fig.axes if ax.get_images() == [] and ax.get_label() == "<colorbar>"]
    return [(ax.get_images()[0].get_array(), ax.get_images()[0].get_clim()) for ax in panels], len(bars)


def test_plot_draws_each_matrix_as_it_is_with_a_colour_bar():
    d = hand_coded_design("identity")
    parts = attention_parts(encode(TASKS["identity"], (0, 1, 1, 2, 2)), d.Km, d.Qm, d.Vm)
    fig = plot_heatmaps(d.Km, d.Qm, d.Vm, parts, fig=Figure(), title="t", labels=list("ABBCC"))
    drawn, bars = _drawn(fig)
    assert len(drawn) == 8 and bars == 8
    for (img, _), mat in zip(drawn, heatmap_matrices(d.Km, d.Qm, d.Vm, parts)):
        assert np.allclose(img, mat)


def test_the_constant_hand_coded_q_of_first_is_not_drawn_as_zero():
    d = hand_coded_design("first")
    parts = attention_parts(encode(TASKS["first"], (0, 1, 1)), d.Km, d.Qm, d.Vm, d.pos)
    assert np.all(parts["Q"] == 6.0)  # every entry 6: the notebook's rescaling drew it all zero
    drawn, _ = _drawn(plot_heatmaps(d.Km, d.Qm, d.Vm, parts, fig=Figure()))
    q_image, (vmin, vmax) = drawn[4]
    assert np.all(q_image == 6.0) and vmax == 6.0 and vmin == -6.0  # drawn at the top of its scale
    attention_clim = drawn[6][1]
    assert attention_clim == (0.0, 1.0)


def test_shared_scales_are_symmetric_per_group():
    d = hand_coded_design("unique")
    parts = attention_parts(encode(TASKS["unique"], (3, 0, 1, 1)), d.Km, d.Qm, d.Vm, d.pos)
    mats = dict(zip([k for k, _ in PANELS], heatmap_matrices(d.Km, d.Qm, d.Vm, parts)))
    limits = colour_limits(mats)
    top = max(np.abs(mats[k]).max() for k in ("Km", "Qm", "Vm"))
    assert limits["Km"] == limits["Qm"] == limits["Vm"] == (-top, top)
    assert limits["K"] == limits["Q"] == limits["V"]
    assert limits["weights"] == (0.0, 1.0)
    assert colour_limits({"out": np.zeros((2, 2))})["out"] == (-1.0, 1.0)


def test_the_notebook_scale_is_still_available():
    d = hand_coded_design("identity")
    parts = attention_parts(encode(TASKS["identity"], (0, 1)), d.Km, d.Qm, d.Vm)
    drawn, _ = _drawn(plot_heatmaps(d.Km, d.Qm, d.Vm, parts, fig=Figure(), scale="notebook"))
    for (img, _), mat in zip(drawn, heatmap_matrices(d.Km, d.Qm, d.Vm, parts)):
        assert np.allclose(img, rescale_unit(mat))


def test_numpy_transformer_forward_plot_runs_headless():
    import matplotlib.pyplot as plt

    d = hand_coded_design("identity")
    out = d.model().forward(encode(TASKS["identity"], (0, 2)), plot=True)
    assert np.allclose(out, encode(TASKS["identity"], (0, 2)), atol=1e-6)
    assert len([ax for ax in plt.gcf().axes if ax.get_title()]) == 8
    plt.close("all")
