"""Gradient-descent optimizers written out in numpy: plain SGD, SGD with momentum, and Adam.

Each optimizer holds a list of float64 numpy arrays (the parameters) and updates them in
place from a list of gradients of the same shapes, one :meth:`Optimizer.step` at a time.
The update rules are exactly those of ``torch.optim.SGD`` and ``torch.optim.Adam``
(PyTorch 2, ``dampening=0``, ``amsgrad=False``); :func:`compare_with_torch` runs ours and
torch's side by side on the same problem and reports how far apart the parameters drift.

With gradient :math:`g_t` at step :math:`t = 1, 2, \\dots` and learning rate
:math:`\\eta`:

* SGD: :math:`w \\leftarrow w - \\eta g_t`.
* Momentum (heavy ball, Polyak 1964; the form used by PyTorch and Sutskever et al. 2013):
  :math:`v_t = \\mu v_{t-1} + g_t` (with :math:`v_1 = g_1`),
  :math:`w \\leftarrow w - \\eta v_t`; Nesterov's variant steps along
  :math:`g_t + \\mu v_t` instead.
* Adam (Kingma & Ba 2015): :math:`m_t = \\beta_1 m_{t-1} + (1-\\beta_1) g_t`,
  :math:`v_t = \\beta_2 v_{t-1} + (1-\\beta_2) g_t^2`,
  :math:`w \\leftarrow w - \\eta\\, \\hat m_t / (\\sqrt{\\hat v_t} + \\epsilon)` with the
  bias-corrected :math:`\\hat m_t = m_t/(1-\\beta_1^t)`,
  :math:`\\hat v_t = v_t/(1-\\beta_2^t)`.

``weight_decay`` adds ``weight_decay * w`` to every gradient first (L2 regularisation, as
torch does for these two classes).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .checks import check_choice, check_float, check_int

__all__ = ["Optimizer", "SGD", "Adam", "OPTIMIZERS", "make_optimizer", "check_lr",
           "compare_with_torch"]


def check_lr(lr: object, name: str = "lr") -> float:
    """A learning rate: a finite number > 0 (else a ``ValueError``/``TypeError`` naming it)."""
    return check_float(lr, f"{name} (the learning rate)", min=0.0, open_min=True)


def _as_params(params: Sequence[np.ndarray]) -> list[np.ndarray]:
    if isinstance(params, np.ndarray):
        params = [params]
    params = list(params)
    if not params:
        raise ValueError("params must hold at least one array")
    for i, p in enumerate(params):
        if not isinstance(p, np.ndarray) or p.dtype != np.float64:
            raise TypeError(f"params[{i}] must be a float64 numpy array (updated in place), "
                            f"got {type(p).__name__}{'' if not hasattr(p, 'dtype') else ' ' + str(p.dtype)}")
    return params


class Optimizer:
    """Base class: ``params`` (float64 arrays, updated in place), ``lr``, ``t`` (steps done)."""

    def __init__(self, params: Sequence[np.ndarray], lr: float):
        self.params = _as_params(params)
        self.lr = check_lr(lr)
        self.t = 0

    def _grads(self, grads: Sequence[np.ndarray]) -> list[np.ndarray]:
        if isinstance(grads, np.ndarray):
            grads = [grads]
        grads = [np.asarray(g, dtype=np.float64) for g in grads]
        if len(grads) != len(self.params):
            raise ValueError(f"grads must hold one array per parameter ({len(self.params)}), "
                             f"got {len(grads)}")
        for i, (g, p) in enumerate(zip(grads, self.params)):
            if g.shape != p.shape:
                raise ValueError(f"grads[{i}] has shape {g.shape}, but params[{i}] has {p.shape}")
        return grads

    def step(self, grads: Sequence[np.ndarray]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum ``mu`` (``momentum``) and
    Nesterov's look-ahead; the same update as ``torch.optim.SGD(..., dampening=0)``."""

    def __init__(self, params: Sequence[np.ndarray], lr: float, momentum: float = 0.0,
                 nesterov: bool = False, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.momentum = check_float(momentum, "momentum", min=0.0, max=1.0)
        self.weight_decay = check_float(weight_decay, "weight_decay", min=0.0)
        self.nesterov = bool(nesterov)
        if self.nesterov and self.momentum == 0:
            raise ValueError("nesterov=True needs momentum > 0")
        self.buffers: list[np.ndarray | None] = [None] * len(self.params)

    def step(self, grads: Sequence[np.ndarray]) -> None:
        """One update of every parameter from its gradient."""
        grads = self._grads(grads)
        self.t += 1
        for i, (p, g) in enumerate(zip(self.params, grads)):
            d = g + self.weight_decay * p if self.weight_decay else g
            if self.momentum:
                buf = self.buffers[i]
                buf = d.copy() if buf is None else self.momentum * buf + d
                self.buffers[i] = buf
                d = d + self.momentum * buf if self.nesterov else buf
            p -= self.lr * d


class Adam(Optimizer):
    """Adam with bias correction; the same update as ``torch.optim.Adam`` (no amsgrad)."""

    def __init__(self, params: Sequence[np.ndarray], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        if len(tuple(betas)) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        b1, b2 = betas
        self.beta1 = check_float(b1, "betas[0]", min=0.0, max=1.0)
        self.beta2 = check_float(b2, "betas[1]", min=0.0, max=1.0)
        if self.beta1 >= 1 or self.beta2 >= 1:
            raise ValueError(f"betas must each lie in [0, 1), got {betas!r}")
        self.eps = check_float(eps, "eps", min=0.0, open_min=True)
        self.weight_decay = check_float(weight_decay, "weight_decay", min=0.0)
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]

    def step(self, grads: Sequence[np.ndarray]) -> None:
        """One update of every parameter from its gradient."""
        grads = self._grads(grads)
        self.t += 1
        bc1 = 1.0 - self.beta1 ** self.t
        bc2 = 1.0 - self.beta2 ** self.t
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            d = g + self.weight_decay * p if self.weight_decay else g
            m += (1.0 - self.beta1) * (d - m)          # m = beta1 m + (1 - beta1) d
            v *= self.beta2
            v += (1.0 - self.beta2) * d * d
            denom = np.sqrt(v) / np.sqrt(bc2) + self.eps
            p -= (self.lr / bc1) * m / denom


#: The optimizers of the chapter by name: ``"sgd"``, ``"momentum"`` (mu = 0.9), ``"adam"``.
OPTIMIZERS = ("sgd", "momentum", "adam")


def make_optimizer(name: str, params: Sequence[np.ndarray], lr: float, **options) -> Optimizer:
    """``"sgd"`` -> :class:`SGD`; ``"momentum"`` -> :class:`SGD` with ``momentum=0.9``
    (unless given); ``"adam"`` -> :class:`Adam`.  ``options`` go to the class."""
    check_choice(name, "optimizer", OPTIMIZERS)
    if name == "sgd":
        return SGD(params, lr, **options)
    if name == "momentum":
        return SGD(params, lr, **{"momentum": 0.9, **options})
    return Adam(params, lr, **options)


def _torch_optimizer(name: str, tensors, lr: float, **options):
    import torch
    if name == "sgd":
        return torch.optim.SGD(tensors, lr=lr, **options)
    if name == "momentum":
        return torch.optim.SGD(tensors, lr=lr, **{"momentum": 0.9, **options})
    return torch.optim.Adam(tensors, lr=lr, **options)


def compare_with_torch(name: str, lr: float, steps: int = 100, seed: int = 0,
                       widths: Sequence[int] = (3, 8, 8, 2), n_points: int = 32,
                       **options) -> np.ndarray:
    """Train the same small tanh MLP (``widths``, mean squared error on ``n_points`` random
    points) with our optimizer ``name`` and with torch's, both in float64, from the same
    initial weights; our gradients come from :func:`lmlab.backprop.loss_and_grads`,
    torch's from autograd.  Returns, for each step ``1..steps``, the largest relative
    difference between the two sets of parameters,
    ``max_i |ours_i - torch_i| / max(1, |torch_i|)`` (shape ``(steps,)``).
    """
    import torch

    from . import backprop
    from .mlp import MLPConfig

    check_choice(name, "optimizer", OPTIMIZERS)
    lr = check_lr(lr)
    steps = check_int(steps, "steps", min=1)
    seed = check_int(seed, "seed", min=0)
    cfg = MLPConfig(widths[0], tuple(widths[1:-1]), widths[-1], "tanh")
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n_points, cfg.n_in))
    y = rng.normal(size=(n_points, cfg.n_out))
    ours = backprop.init_params(cfg, seed)
    theirs = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in ours]
    opt = make_optimizer(name, ours, lr, **options)
    topt = _torch_optimizer(name, theirs, lr, **options)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    diffs = np.empty(steps)
    for s in range(steps):
        _, grads = backprop.loss_and_grads(ours, x, y, cfg.activation, "mse")
        opt.step(grads)
        topt.zero_grad()
        loss = torch.nn.functional.mse_loss(backprop.torch_forward(theirs, xt, cfg.activation), yt)
        loss.backward()
        topt.step()
        diffs[s] = max(float(np.max(np.abs(a - b.detach().numpy()) / np.maximum(1.0, np.abs(b.detach().numpy())))
                             ) for a, b in zip(ours, theirs))
    return diffs


def run(optimizer: Optimizer, grad_fn: Callable[[list[np.ndarray]], list[np.ndarray]],
        steps: int) -> None:
    """Take ``steps`` steps of ``optimizer`` with gradients ``grad_fn(params)``."""
    for _ in range(check_int(steps, "steps", min=0)):
        optimizer.step(grad_fn(optimizer.params))
