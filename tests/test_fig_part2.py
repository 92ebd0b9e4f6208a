"""Figures of chapters 3 and 4 (lmlab.fig.models, .attractors, .digits): traces, slider
steps that switch the precomputed data, and compact pages."""
import numpy as np
import plotly.io as pio
import pytest

from lmlab import attractors as att
from lmlab.fig import attractors as fa
from lmlab.fig import digits as fd
from lmlab.fig import models as fm


def test_fits_figure_buttons_switch_datasets():
    h = np.arange(1.0, 9.0)
    hc = np.linspace(1, 10, 5)
    fig = fm.fits_figure({"a": (h, h, {"f": hc, "g": hc}), "b": (h, 2 * h, {"f": hc, "g": hc})}, hc, exact=hc)
    assert len(fig.data) == 7
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.args[0]["visible"] for b in buttons] == [[True] * 3 + [False] * 3 + [True],
                                                       [False] * 3 + [True] * 3 + [True]]


def test_degree_figure_slider_swaps_the_curve_and_marker():
    x = np.linspace(1, 5, 6)
    xc = np.linspace(1, 5, 20)
    curves = np.stack([xc * d for d in range(3)])
    fig = fm.degree_figure(x, x, x, x, xc, curves, [0, 1, 2], [3, 2, 1], [3, 1, 2], active=1)
    steps = fig.layout.sliders[0].steps
    assert len(steps) == 3 and list(steps[2].args[1]) == [0, 1]
    np.testing.assert_allclose(steps[2].args[0]["y"][0], curves[2])
    assert list(steps[2].args[0]["x"][1]) == [2]
    np.testing.assert_allclose(fig.data[0].y, curves[1])            # the active step is drawn
    with pytest.raises(ValueError, match="curves"):
        fm.degree_figure(x, x, x, x, xc, curves[:2], [0, 1, 2], [3, 2, 1], [3, 1, 2])


def test_order_figure_marks_the_best_order():
    fig = fm.order_figure([1, 2, 3, 4], [3, 2, 1.5, 1], [3, 2.1, 1.9, 2.5])
    assert list(fig.data[2].x) == [3]


def test_basins_figure_one_step_per_set():
    g = att.make_grid(20)
    sets = {k: (p, att.basin_map(p, g)) for k, p in att.PRESETS.items()}
    fig = fa.basins_figure(g.xs, sets)
    assert len(fig.data) == 2 * len(sets)
    steps = fig.layout.sliders[0].steps
    assert len(steps) == len(sets)
    assert steps[1].args[0]["visible"] == [False, False, True, True] + [False] * (2 * len(sets) - 4)
    np.testing.assert_array_equal(fig.data[2].z, sets["four in a row"][1])


def test_regions_figure_shows_wrong_points_and_stays_compact():
    g = att.make_grid(100)
    pts = att.PRESETS["three"]
    ex = att.basin_map(pts, g)
    maps = [np.roll(ex, i, axis=1) for i in range(9)]
    fig = fa.regions_figure(g.xs, maps, list(range(9)), pts, exact=ex, notes=[str(i) for i in range(9)], active=3)
    assert len(fig.data) == 2 * 9 + 1
    assert [t.visible for t in fig.data[:-1]].count(True) == 2 and fig.data[6].visible and fig.data[7].visible
    np.testing.assert_array_equal(np.asarray(fig.data[7].z), (maps[3] != ex).astype(np.int8))
    assert "<sup>3</sup>" in fig.layout.title.text
    assert len(pio.to_json(fig)) < 330_000          # base64 int8 maps, not JSON lists


def test_agreement_figure():
    fig = fa.agreement_figure([1, 2, 4], [1, 2], np.full((2, 3, 2), 0.9))
    assert len(fig.data) == 2 and fig.data[0].error_y.visible
    with pytest.raises(ValueError, match="table"):
        fa.agreement_figure([1, 2, 4], [1, 2], np.zeros((3, 2)))


def test_digit_figures():
    imgs = np.random.default_rng(0).uniform(0, 1, (12, 8, 8))
    fig = fd.gallery_figure(imgs, list(range(12)), [0] * 12, columns=5)
    z = np.asarray(fig.data[0].z)
    assert z.shape == (33, 44)
    np.testing.assert_allclose(z[11:19, 9:17], imgs[6])                 # row 1, column 1
    red = [a for a in fig.layout.annotations if a.font.color == "#D55E00"]
    assert len(red) == 11
    C = np.diag(np.arange(1, 11))
    assert fd.confusion_figure(C).data[0].text[2][2] == "3"
    probs = np.full((3, 10), 0.1)
    probs[2, 4] = 0.5
    fig = fd.blur_figure(imgs[:3], probs, [0, 1, 2], label=1)
    steps = fig.layout.sliders[0].steps
    assert len(fig.data) == 6 and "says 4" in steps[2].args[1]["title.text"]
