"""Widgets of chapters 3 and 4: each control recomputes through the computation layer."""
import numpy as np
import pytest
import torch

from lmlab import attractors as att
from lmlab import mlp, models
from lmlab.ui import attractors as ua
from lmlab.ui import models as um

torch.set_num_threads(1)


def test_degree_explorer_refits():
    box = um.degree_explorer(degree=2, noise=0.05, n_train=10, seed=0)
    assert set(box.controls) == {"degree", "noise", "n_train", "seed"}
    box.controls["degree"].value = 5
    box.controls["seed"].value = 3
    x, y = models.random_drops(10, 0.05, seed=3)
    fit = models.poly_fit(x, y, 5)
    np.testing.assert_allclose(box.state["fit"].coef, fit.coef)
    assert box.state["train_error"] == pytest.approx(models.rms_error(fit, x, y))
    np.testing.assert_allclose(box.figure.data[1].x, x)
    assert "degree 5" in box.output.value
    with pytest.raises(ValueError, match="degree"):
        um.degree_explorer(degree=-1)


def test_basin_explorer_redraws_and_reports_bad_input():
    box = ua.basin_explorer("0, 0; 0.5, 0.5", resolution=30)
    box.controls["points"].value = "-0.5, 0; 0.5, 0; 0, 0.7"
    g = att.make_grid(30)
    np.testing.assert_array_equal(ua.map_of(box.figure.data[0].z), att.basin_map([[-0.5, 0], [0.5, 0], [0, 0.7]], g))
    assert len(box.figure.data[1].x) == 3
    box.controls["points"].value = "0, 0; 0, 0"
    assert "different points" in box.output.value
    assert len(box.state["attractors"]) == 3                    # the last good map stays
    with pytest.raises(ValueError, match="points"):
        ua.basin_explorer("1, 2")


def test_weight_explorer_moves_one_parameter_of_a_copy():
    pts = att.PRESETS["three"]
    net = mlp.train_basin_net(pts, (4,), fit_config=mlp.FitConfig(steps=100, lr=0.05), n_train=300,
                              grid=att.make_grid(20))
    before = mlp.get_parameter(net.model, "b1[1]")
    box = ua.weight_explorer(net.model, pts, resolution=40)
    assert len(box.controls) == 12
    box.controls["b1[1]"].value = round(before + 1.5, 2)
    assert mlp.get_parameter(net.model, "b1[1]") == before        # the model itself is untouched
    changed = box.state["model"]
    assert mlp.get_parameter(changed, "b1[1]") == pytest.approx(before + 1.5, abs=0.006)
    g = att.make_grid(40)
    np.testing.assert_array_equal(ua.map_of(box.figure.data[0].z), mlp.predict_map(changed, g))
    assert box.state["agreement"] == att.agreement(mlp.predict_map(changed, g), att.basin_map(pts, g))
    with pytest.raises(ValueError, match="outputs"):
        ua.weight_explorer(net.model, att.PRESETS["five"])
    with pytest.raises(ValueError, match="name"):
        ua.weight_explorer(net.model, pts, names=["W9[0,0]"])
