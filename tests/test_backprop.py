"""Backpropagation in numpy against finite differences and torch autograd (float64)."""
import numpy as np
import pytest

from lmlab import backprop
from lmlab.mlp import MLP, MLPConfig


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "gelu"])
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_backprop_matches_finite_differences_and_torch(activation, loss):
    errs = backprop.check_gradients(MLPConfig(3, (8, 8), 2, activation), n_points=16, loss=loss, seed=2)
    assert errs["backprop_vs_fd"] <= 1e-6, errs
    assert errs["backprop_vs_torch"] <= 1e-12, errs


def test_a_wrong_derivative_is_caught(monkeypatch):
    """Drop the activation's derivative (a classic slip): the check must notice."""
    f, _ = backprop.ACTIVATIONS["tanh"]
    monkeypatch.setitem(backprop.ACTIVATIONS, "tanh", (f, lambda z: np.ones_like(z)))
    errs = backprop.check_gradients(MLPConfig(2, (5,), 1, "tanh"), n_points=8)
    assert errs["backprop_vs_fd"] > 1e-2


def test_gradient_shapes_and_params_from_module():
    model = MLP(MLPConfig(2, (4, 3), 2, "relu"), seed=1)
    params = backprop.params_from_module(model)
    assert [p.shape for p in params] == [(4, 2), (4,), (3, 4), (3,), (2, 3), (2,)]
    x = np.random.default_rng(0).normal(size=(5, 2))
    import torch
    with torch.no_grad():
        ref = model(torch.tensor(x, dtype=torch.float32)).double().numpy()
    out, _ = backprop.forward(params, x, "relu")
    assert np.allclose(out, ref, atol=1e-5)
    _, grads = backprop.loss_and_grads(params, x, np.array([0, 1, 1, 0, 1]), "relu", "cross_entropy")
    assert [g.shape for g in grads] == [p.shape for p in params]


def test_mse_gradient_of_a_linear_neuron_by_hand():
    """One linear neuron y = w x + b: dL/dw = 2 mean(r x), dL/db = 2 mean(r)."""
    x = np.array([[1.0], [2.0], [3.0]])
    y = np.array([1.0, 1.0, 4.0])
    params = [np.array([[0.5]]), np.array([0.25])]
    loss, (dw, db) = backprop.loss_and_grads(params, x, y, loss="mse")
    r = 0.5 * x[:, 0] + 0.25 - y
    assert np.isclose(loss, np.mean(r ** 2))
    assert np.isclose(dw[0, 0], 2 * np.mean(r * x[:, 0])) and np.isclose(db[0], 2 * np.mean(r))


def test_relative_error():
    assert backprop.relative_error([np.ones(3)], [np.ones(3)]) == 0.0
    assert np.isclose(backprop.relative_error([np.array([1.0, 0.0])], [np.array([0.0, 0.0])]), 1.0)
    with pytest.raises(ValueError, match="match"):
        backprop.relative_error([np.ones(3)], [np.ones(2)])


def test_bad_input_names_the_argument():
    params = backprop.init_params(MLPConfig(2, (3,), 1), 0)
    with pytest.raises(ValueError, match="x"):
        backprop.loss_and_grads(params, np.zeros((0, 2)), np.zeros(0))
    with pytest.raises(ValueError, match="y"):
        backprop.loss_and_grads(params, np.zeros((4, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="columns"):
        backprop.loss_and_grads(params, np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match="params"):
        backprop.loss_and_grads(params[:3], np.zeros((4, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="hidden"):
        backprop.init_params(MLPConfig(2, (0,), 1), 0)
    with pytest.raises(ValueError, match="loss"):
        backprop.loss_and_grads(params, np.zeros((4, 2)), np.zeros(4), loss="l1")
