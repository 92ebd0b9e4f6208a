"""A 1-input, 1-output net learning a function of one variable."""
import numpy as np
import pytest

from lmlab import function_fit as F


@pytest.fixture(scope="module")
def fit():
    return F.train_function_net(F.FunctionFitConfig(steps=600, lr=0.02), seed=0,
                                snapshot_steps=[0, 600])


def test_training_lowers_the_l2_loss(fit):
    assert fit.losses[0] > 0.1 and fit.losses[-1] < 0.01
    assert np.isclose(fit.losses[-1], np.mean((fit.predict(fit.x) - fit.y) ** 2), rtol=1e-9)
    assert set(fit.snapshots) == {0, 600}


def test_same_seed_same_net_different_seed_different_net():
    cfg = F.FunctionFitConfig(steps=50)
    a, b, c = (F.train_function_net(cfg, s) for s in (1, 1, 2))
    assert np.array_equal(a.losses, b.losses)
    assert not np.allclose(a.predict(a.grid), c.predict(c.grid))


def test_seeds_agree_on_the_data_but_not_beyond():
    cfg = F.FunctionFitConfig(steps=1500, lr=0.02, activation="relu")
    grid = np.array([-4.0, -1.0, 0.0, 1.0, 4.0])
    preds, finals = F.seed_fits(cfg, [0, 1, 2, 3], grid)
    assert (finals < 0.01).all()
    spread = preds.max(axis=0) - preds.min(axis=0)
    assert spread[1:4].max() < 0.1 and min(spread[0], spread[4]) > 0.3


def test_bad_input():
    with pytest.raises(ValueError, match="lr"):
        F.FunctionFitConfig(lr=0.0)
    with pytest.raises(ValueError, match="lr"):
        F.FunctionFitConfig(lr=float("inf"))
    with pytest.raises(ValueError, match="hidden"):
        F.FunctionFitConfig(hidden=(4, 0))
    with pytest.raises(ValueError, match="x and y"):
        F.train_function_net(F.FunctionFitConfig(steps=1), x=[0.0, 1.0], y=[1.0])
    with pytest.raises(ValueError, match="x"):
        F.train_function_net(F.FunctionFitConfig(steps=1), x=[], y=[])
