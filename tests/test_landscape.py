"""Loss surfaces over two weights and the optimizers' paths across them."""
import numpy as np
import pytest

from lmlab import landscape as L


@pytest.fixture(scope="module")
def valley():
    return L.get_surface("valley")


@pytest.fixture(scope="module")
def waves():
    return L.get_surface("waves")


def test_gradients_match_finite_differences(valley, waves):
    rng = np.random.default_rng(0)
    for s in (valley, waves):
        for p in rng.uniform([s.w_range[0], s.b_range[0]], [s.w_range[1], s.b_range[1]], size=(5, 2)):
            h = 1e-6
            fd = [(s.loss(p + e) - s.loss(p - e)) / (2 * h) for e in np.eye(2) * h]
            assert np.allclose(s.grad(p), fd, rtol=1e-6, atol=1e-8)


def test_valley_minimum_is_least_squares_and_hessian_exact(valley):
    w, b = valley.minimum
    assert np.allclose(valley.grad(np.array([w, b])), 0, atol=1e-12)
    x = valley.x
    H = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    assert np.allclose(L.hessian(valley, (w, b)), H, rtol=1e-7)
    assert np.isclose(L.critical_lr(valley), 2 / np.linalg.eigvalsh(H)[-1], rtol=1e-7)


def test_critical_learning_rate_separates_convergence_from_divergence(valley):
    """Proved for a quadratic: plain gradient descent converges iff lr < 2 / lambda_max."""
    lc = L.critical_lr(valley)
    best = valley(*valley.minimum)
    below = L.descend(valley, (-1.0, 3.5), "sgd", 0.97 * lc, 2000)
    above = L.descend(valley, (-1.0, 3.5), "sgd", 1.03 * lc, 2000)
    assert not below.diverged and below.final_loss - best < 1e-6
    assert above.diverged and np.isnan(above.points[-1]).all()


def test_momentum_and_adam_beat_plain_sgd_in_the_valley(valley):
    best = valley(*valley.minimum)
    paths = {name: L.descend(valley, (-1.0, 3.5), name, lr, 200)
             for name, lr in (("sgd", 0.02), ("momentum", 0.02), ("adam", 0.1))}
    steps = {n: p.steps_to(best + 0.01) for n, p in paths.items()}
    assert steps["sgd"] is None or steps["sgd"] > 100
    assert steps["momentum"] is not None and steps["momentum"] < 60
    assert steps["adam"] is not None and steps["adam"] < 100


def test_waves_have_several_minima_and_starts_end_in_different_ones(waves):
    b = L.basins(waves, L.grid_starts(waves, 4), "momentum", 0.02, 300)
    assert len(b.minima) >= 3
    assert np.isclose(b.losses[0], 0, atol=1e-6) and np.allclose(b.minima[0], [2.0, 0.5], atol=1e-3)
    assert (b.losses[1:] > 0.1).all()       # the other lakes are really higher
    assert b.counts.sum() == 16 and 0 < b.counts[0] < 16


def test_loss_grid_orientation(valley):
    ws, bs, Z = L.loss_grid(valley, 11)
    assert Z.shape == (11, 11)
    assert np.isclose(Z[3, 7], valley(ws[7], bs[3]))


def test_bad_input(valley):
    for lr in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="lr"):
            L.descend(valley, (0, 0), "sgd", lr)
    with pytest.raises(ValueError, match="x and y"):
        L.line_fit_surface([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="x"):
        L.line_fit_surface([], [])
    with pytest.raises(ValueError, match="start"):
        L.descend(valley, (0, 0, 0))
    with pytest.raises(ValueError, match="resolution"):
        L.loss_grid(valley, 1)
    with pytest.raises(ValueError, match="surface"):
        L.get_surface("bowl")
    with pytest.raises(ValueError, match="diverge"):
        L.basins(valley, [[0.0, 0.0]], "sgd", 1.0, 100)
