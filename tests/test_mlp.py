"""lmlab.mlp: the tiny net against a numpy forward pass, its formula, its training through
lmlab.train (equal to a plain full-batch Adam loop), the basins it learns, input checks."""
import re

import numpy as np
import pytest
import torch

from lmlab import attractors as att
from lmlab import mlp

torch.set_num_threads(1)


def numpy_forward(model, x):
    acts = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z))}
    f = acts[model.config.activation]
    h = np.asarray(x, dtype=np.float64)
    for k, layer in enumerate(model.layers):
        h = h @ layer.weight.detach().double().numpy().T + layer.bias.detach().double().numpy()
        if k < len(model.layers) - 1:
            h = f(h)
    return h


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_forward_equals_numpy(activation):
    model = mlp.MLP(mlp.MLPConfig(2, (5, 3), 4, activation), seed=1)
    x = np.random.default_rng(0).uniform(-1, 1, (50, 2))
    ours = model(torch.tensor(x, dtype=torch.float32)).detach().double().numpy()
    np.testing.assert_allclose(ours, numpy_forward(model, x), atol=1e-5)


def test_gelu_is_the_erf_form():
    from math import erf, sqrt
    z = torch.linspace(-3, 3, 13, dtype=torch.float64)
    ref = [float(v) * 0.5 * (1 + erf(float(v) / sqrt(2))) for v in z]
    np.testing.assert_allclose(mlp.activation_fn("gelu")(z).numpy(), ref, atol=1e-12)


def test_init_is_seeded_and_like_nn_linear():
    a, b, c = (mlp.MLP(mlp.MLPConfig(2, (8,), 3), seed=s) for s in (0, 0, 1))
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)
    assert not torch.equal(a.layers[0].weight, c.layers[0].weight)
    big = mlp.MLP(mlp.MLPConfig(16, (400,), 3), seed=0)
    w = big.layers[0].weight
    assert w.abs().max() <= 1 / 4 and w.abs().max() > 0.24       # uniform in +-1/sqrt(16)
    assert a.n_params == 2 * 8 + 8 + 8 * 3 + 3


def test_formula_evaluates_to_the_logits():
    model = mlp.MLP(mlp.MLPConfig(2, (3, 2), 3), seed=4)
    text = mlp.formula(model, digits=6)
    lines = text.splitlines()
    assert len(lines) == 3 + 2 + 3 and lines[0].startswith("a1 = relu(") and lines[-1].startswith("z3 = ")
    x, y = 0.3, -0.7
    env = {"x": x, "y": y, "relu": lambda v: max(v, 0.0)}
    for line in lines:
        name, expr = line.split(" = ", 1)
        expr = expr.replace("−", "-")
        expr = re.sub(r"(\d) ([a-z]\d*)\b", r"\1*\2", expr)
        env[name] = eval(expr, {}, env)
    logits = model(torch.tensor([[x, y]])).detach().numpy()[0]
    np.testing.assert_allclose([env["z1"], env["z2"], env["z3"]], logits, atol=1e-5)


def test_parameters_by_name():
    model = mlp.MLP(mlp.MLPConfig(2, (4,), 3), seed=0)
    names = mlp.parameter_names(model)
    assert len(names) == model.n_params and names[0] == "W1[0,0]" and names[-1] == "b2[2]"
    mlp.set_parameter(model, "W1[2,1]", 1.25)
    assert model.layers[0].weight[2, 1].item() == 1.25 and mlp.get_parameter(model, "W1[2,1]") == 1.25
    mlp.set_parameter(model, "b2[1]", -0.5)
    assert model.layers[1].bias[1].item() == -0.5
    with pytest.raises(ValueError, match="name"):
        mlp.set_parameter(model, "W3[0,0]", 1.0)
    with pytest.raises(ValueError, match="value"):
        mlp.set_parameter(model, "b1[0]", float("nan"))


def test_fit_equals_a_plain_full_batch_adam_loop():
    pts = att.PRESETS["three"]
    x = att.sample_points(300, seed=0)
    y = att.nearest(pts, x)
    cfg = mlp.MLPConfig(2, (6,), 3)
    ours = mlp.MLP(cfg, seed=2)
    seen = []
    losses = mlp.fit(ours, x, y, mlp.FitConfig(steps=60, lr=0.02), callback=lambda s, m: seen.append(s))
    assert seen == list(range(61)) and len(losses) == 61
    ref = mlp.MLP(cfg, seed=2)
    opt = torch.optim.Adam(ref.parameters(), lr=0.02)
    xt, yt = torch.tensor(x, dtype=torch.float32), torch.tensor(y)
    ref_losses = []
    for _ in range(60):
        loss = torch.nn.functional.cross_entropy(ref(xt), yt)
        ref_losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    np.testing.assert_allclose(losses[:60], ref_losses, rtol=1e-4, atol=1e-6)
    for p, q in zip(ours.parameters(), ref.parameters()):
        torch.testing.assert_close(p, q, rtol=1e-4, atol=1e-5)
    assert losses[-1] < 0.5 * losses[0]


def test_fit_is_reproducible():
    x = att.sample_points(200, seed=0)
    y = att.nearest(att.PRESETS["five"], x)
    runs = []
    for _ in range(2):
        m = mlp.MLP(mlp.MLPConfig(2, (8, 8), 5), seed=0)
        runs.append(mlp.fit(m, x, y, mlp.FitConfig(steps=30)))
    np.testing.assert_array_equal(runs[0], runs[1])


def test_two_basins_need_one_line():
    net = mlp.train_basin_net(att.PRESETS["two"], hidden=(2,), fit_config=mlp.FitConfig(steps=300, lr=0.05),
                              n_train=500, seed=0, grid=att.make_grid(60), snapshot_steps=[0, 300])
    assert net.agreement > 0.99
    assert set(net.snapshots) == {0, 300} and net.snapshots[300].shape == (60, 60)


def test_agreement_table_shape_and_a_wide_net_is_good():
    t = mlp.agreement_table(att.PRESETS["three"], [1, 8], [1], fit_config=mlp.FitConfig(steps=300, lr=0.05),
                            n_train=600, seeds=(0, 1), grid=att.make_grid(50))
    assert t.shape == (1, 2, 2)
    assert t[0, 1].min() > 0.97
    t2, nets = mlp.agreement_table(att.PRESETS["three"], [8], [1], fit_config=mlp.FitConfig(steps=300, lr=0.05),
                                   n_train=600, seeds=(1,), grid=att.make_grid(50), return_nets=True)
    assert set(nets) == {(1, 8, 1)} and nets[(1, 8, 1)].agreement == t2[0, 0, 0] == t[0, 1, 1]


@pytest.mark.parametrize("kwargs, exc, match", [
    (dict(hidden=(4, 0)), ValueError, r"hidden\[1\]"),
    (dict(hidden=(4, 2.5)), TypeError, r"hidden\[1\]"),
    (dict(hidden=3), TypeError, "hidden"),
    (dict(activation="swish"), ValueError, "activation"),
    (dict(n_out=0), ValueError, "n_out"),
])
def test_bad_config(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        mlp.MLPConfig(**kwargs)


@pytest.mark.parametrize("lr", [0.0, -0.1, float("inf"), float("nan")])
def test_bad_learning_rate(lr):
    with pytest.raises(ValueError, match="lr"):
        mlp.FitConfig(lr=lr)


def test_bad_data():
    model = mlp.MLP(mlp.MLPConfig(2, (3,), 2))
    with pytest.raises(ValueError, match="same length"):
        mlp.fit(model, np.zeros((5, 2)), np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match="x"):
        mlp.fit(model, np.zeros((0, 2)), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match="columns"):
        mlp.fit(model, np.zeros((5, 3)), np.zeros(5, dtype=int))
    with pytest.raises(ValueError, match="class labels"):
        mlp.fit(model, np.zeros((5, 2)), np.full(5, 2))
    with pytest.raises(ValueError, match="widths"):
        mlp.agreement_table(att.PRESETS["two"], [0], [1])
