"""Figures of chapter 5: the sliders carry the precomputed steps."""
import numpy as np
import pytest

from lmlab import landscape, quantize
from lmlab.fig import landscape as fl


@pytest.fixture(scope="module")
def valley():
    return landscape.get_surface("valley")


def test_step_marks():
    m = fl.step_marks(100)
    assert m[0] == 0 and m[-1] == 100 and m == sorted(set(m))
    assert fl.step_marks(0) == [0]


def test_paths_figure_slider_grows_paths(valley):
    ws, bs, Z = landscape.loss_grid(valley, 21)
    paths = {n: landscape.descend(valley, (-1, 3.5), n, 0.05, 30) for n in ("sgd", "adam")}
    fig = fl.paths_figure(ws, bs, Z, paths)
    steps = fig.layout.sliders[0].steps
    first, last = steps[0].args[0]["x"], steps[-1].args[0]["x"]
    assert len(first[0]) == 1 and len(last[0]) == 31
    assert np.allclose(fig.data[1].x, paths["sgd"].points[:, 0], atol=1e-4)


def test_learning_rate_figure_cuts_diverged_paths(valley):
    ws, bs, Z = landscape.loss_grid(valley, 21)
    paths = [landscape.descend(valley, (-1, 3.5), "sgd", lr, 100) for lr in (0.05, 0.2)]
    fig = fl.learning_rate_figure(ws, bs, Z, paths, ["0.05", "0.2"])
    xs = fig.layout.sliders[0].steps[1].args[0]["x"][0]
    assert None not in xs and len(xs) < 101
    with pytest.raises(ValueError):
        fl.learning_rate_figure(ws, bs, Z, paths, ["only one label"])


def test_surface_3d_and_basins():
    w = landscape.get_surface("waves")
    ws, bs, Z = landscape.loss_grid(w, 21)
    b = landscape.basins(w, landscape.grid_starts(w, 3), "momentum", 0.02, 100, tol=0.1)
    fig = fl.basins_figure(ws, bs, Z, b)
    assert len(fig.layout.sliders[0].steps[0].args[0]["x"][0]) == 9
    fig3 = fl.surface_3d_figure(ws, bs, Z, {"a": b.paths[0]}, z_max=1.0)
    assert max(max(r) for r in fig3.data[0].z) <= 1.0
    with pytest.raises(ValueError, match="shape"):
        fl.surface_3d_figure(ws, bs, Z[:-1], {"a": b.paths[0]})


def test_quantization_and_seed_figures():
    fig = fl.quantization_figure([8, 4, 2], {"a": [0.9, 0.8, 0.5]}, 0.91, n_test=100)
    assert list(fig.data[0].y) == [90.0, 80.0, 50.0]
    g = np.linspace(-1, 1, 5)
    fig = fl.seed_fits_figure(g, {"tanh": (np.zeros((2, 5)), [0, 1]), "relu": (np.ones((2, 5)), [0, 1])},
                              [0.0], [0.0])
    assert len(fig.layout.updatemenus[0].buttons) == 2
