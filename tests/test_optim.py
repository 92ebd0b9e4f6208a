"""Our numpy optimizers against torch.optim, step by step, and their argument checks."""
import numpy as np
import pytest

from lmlab import optim


@pytest.mark.parametrize("name, lr, options", [
    ("sgd", 0.1, {}),
    ("momentum", 0.05, {}),
    ("momentum", 0.05, {"momentum": 0.5, "nesterov": True}),
    ("sgd", 0.05, {"weight_decay": 0.01}),
    ("adam", 0.01, {}),
    ("adam", 0.02, {"betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.01}),
])
def test_matches_torch_over_100_steps(name, lr, options):
    diffs = optim.compare_with_torch(name, lr, steps=100, seed=3, **options)
    assert diffs.shape == (100,)
    assert diffs.max() <= 1e-6, f"{name} drifts from torch.optim by {diffs.max():.2e}"


def test_compare_can_fail_when_the_rule_differs(monkeypatch):
    """The comparison is sensitive: a bias-correction slip is caught at once."""
    real = optim.Adam.step

    def no_bias_correction(self, grads):
        grads = self._grads(grads)
        self.t += 1
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m += (1 - self.beta1) * (g - m)
            v *= self.beta2
            v += (1 - self.beta2) * g * g
            p -= self.lr * m / (np.sqrt(v) + self.eps)

    monkeypatch.setattr(optim.Adam, "step", no_bias_correction)
    assert optim.compare_with_torch("adam", 0.01, steps=5).max() > 1e-3
    monkeypatch.setattr(optim.Adam, "step", real)


def test_sgd_on_a_quadratic_by_hand():
    w = np.array([1.0, -2.0])
    opt = optim.SGD([w], lr=0.1)
    opt.step([2 * w])                      # gradient of |w|^2
    assert np.allclose(w, [0.8, -1.6])
    mom = optim.SGD([v := np.array([1.0])], lr=0.1, momentum=0.9)
    mom.step([np.array([1.0])])
    mom.step([np.array([1.0])])            # buffer 1, then 0.9 + 1 = 1.9
    assert np.allclose(v, [1.0 - 0.1 - 0.19])


def test_adam_first_step_is_lr_times_sign():
    """With bias correction, Adam's first step is lr * g / (|g| + eps): about lr per weight."""
    w = np.array([3.0, -1.0, 0.5])
    optim.Adam([w], lr=0.01).step([np.array([10.0, -0.001, 2.0])])
    assert np.allclose(w, [2.99, -0.99, 0.49], atol=1e-6)


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan"), float("inf")])
def test_bad_learning_rate_names_it(lr):
    with pytest.raises(ValueError, match="lr"):
        optim.SGD([np.zeros(2)], lr=lr)
    with pytest.raises(ValueError, match="lr"):
        optim.make_optimizer("adam", [np.zeros(2)], lr)


def test_bad_inputs():
    with pytest.raises(ValueError, match="params"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="params"):
        optim.SGD([np.zeros(2, dtype=np.float32)], lr=0.1)
    opt = optim.SGD([np.zeros(2)], lr=0.1)
    with pytest.raises(ValueError, match="grads"):
        opt.step([np.zeros(3)])
    with pytest.raises(ValueError, match="optimizer"):
        optim.make_optimizer("rmsprop", [np.zeros(2)], 0.1)
    with pytest.raises(ValueError, match="betas"):
        optim.Adam([np.zeros(2)], lr=0.1, betas=(0.9, 1.0))
