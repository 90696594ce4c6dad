"""The notebook's 8-heatmap picture: the right matrices, transposed as the notebook does, each in [0, 1]."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from derivlab.transformers.attention import attention_parts  # noqa: E402
from derivlab.transformers.designs import hand_coded_design  # noqa: E402
from derivlab.transformers.plotting import PANELS, heatmap_matrices, plot_heatmaps, rescale_unit  # noqa: E402
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


def test_plot_draws_each_rescaled_matrix_into_a_given_figure():
    d = hand_coded_design("identity")
    parts = attention_parts(encode(TASKS["identity"], (0, 1, 1, 2, 2)), d.Km, d.Qm, d.Vm)
    fig = plot_heatmaps(d.Km, d.Qm, d.Vm, parts, fig=Figure(), title="t", labels=list("ABBCC"))
    images = [ax.get_images()[0].get_array() for ax in fig.axes]
    assert len(images) == 8
    for img, mat in zip(images, heatmap_matrices(d.Km, d.Qm, d.Vm, parts)):
        assert np.allclose(img, rescale_unit(mat))


def test_numpy_transformer_forward_plot_runs_headless():
    import matplotlib.pyplot as plt

    d = hand_coded_design("identity")
    out = d.model().forward(encode(TASKS["identity"], (0, 2)), plot=True)
    assert np.allclose(out, encode(TASKS["identity"], (0, 2)), atol=1e-6)
    assert len(plt.gcf().axes) == 8
    plt.close("all")
