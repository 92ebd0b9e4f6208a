"""Backpropagation written out in numpy (float64) for a small multilayer perceptron.

The net is the one of :mod:`lmlab.mlp` (same :class:`~lmlab.mlp.MLPConfig`, same layout
of weights as ``torch.nn.Linear``): its parameters are a flat list
``[W1, b1, W2, b2, ...]`` with ``Wk`` of shape ``(out, in)`` and ``bk`` of shape ``(out,)``.
Layer ``k`` computes ``z_k = a_{k-1} W_k^T + b_k`` and, except for the last layer,
``a_k = f(z_k)``; ``a_0 = x``.

The backward pass is the chain rule applied layer by layer from the output down::

    delta_L = dLoss/dz_L                          (from the loss)
    dW_k = delta_k^T a_{k-1},   db_k = sum over the batch of delta_k
    delta_{k-1} = (delta_k W_k) * f'(z_{k-1})

Three ways to get the same gradient, for checking one against the others:

* :func:`loss_and_grads`: the backward pass above;
* :func:`finite_difference_grads`: central differences, ``(L(w + h) - L(w - h)) / 2h``
  for every single weight (slow: two forward passes per weight);
* :func:`torch_grads`: PyTorch's autograd on the same numbers in float64.

:func:`relative_error` compares two of them.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .checks import check_array, check_choice, check_float, check_int
from .mlp import MLPConfig

__all__ = ["ACTIVATIONS", "LOSSES", "init_params", "params_from_module", "forward",
           "backward", "loss_and_grads", "loss_value", "finite_difference_grads",
           "torch_forward", "torch_grads", "relative_error", "check_gradients"]

LOSSES = ("mse", "cross_entropy")


_ERF = np.frompyfunc(math.erf, 1, 1)


def _erf(z: np.ndarray) -> np.ndarray:
    return _ERF(z).astype(np.float64)


def _gelu(z):
    return 0.5 * z * (1.0 + _erf(z / np.sqrt(2.0)))


def _gelu_prime(z):
    return 0.5 * (1.0 + _erf(z / np.sqrt(2.0))) + z * np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


#: name -> (f, f') acting on the pre-activation z.
ACTIVATIONS = {
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(np.float64)),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z))),
    "gelu": (_gelu, _gelu_prime),
}


def init_params(config: MLPConfig, seed: int = 0) -> list[np.ndarray]:
    """Weights and biases ``[W1, b1, ...]`` (float64) uniform in ``+-1/sqrt(fan_in)``, as
    ``torch.nn.Linear`` draws them, from ``numpy.random.default_rng(seed)``."""
    if not isinstance(config, MLPConfig):
        raise TypeError(f"config must be an lmlab.mlp.MLPConfig, got {type(config).__name__}")
    rng = np.random.default_rng(check_int(seed, "seed", min=0))
    params = []
    for n_in, n_out in zip(config.widths[:-1], config.widths[1:]):
        bound = 1.0 / np.sqrt(n_in)
        params.append(rng.uniform(-bound, bound, size=(n_out, n_in)))
        params.append(rng.uniform(-bound, bound, size=n_out))
    return params


def params_from_module(model) -> list[np.ndarray]:
    """The weights of an :class:`lmlab.mlp.MLP` (or any stack of ``nn.Linear``) as float64
    arrays ``[W1, b1, ...]``."""
    out = []
    for layer in model.layers:
        out += [layer.weight.detach().double().numpy().copy(),
                layer.bias.detach().double().numpy().copy()]
    return out


def _check_params(params: Sequence[np.ndarray]) -> list[np.ndarray]:
    params = list(params)
    if len(params) < 2 or len(params) % 2:
        raise ValueError(f"params must be [W1, b1, W2, b2, ...] (an even number >= 2 of arrays), "
                         f"got {len(params)}")
    prev = None
    for k in range(0, len(params), 2):
        W, b = np.asarray(params[k]), np.asarray(params[k + 1])
        if W.ndim != 2 or b.shape != (W.shape[0],):
            raise ValueError(f"layer {k // 2 + 1}: W must be (out, in) and b (out,), "
                             f"got {W.shape} and {b.shape}")
        if prev is not None and W.shape[1] != prev:
            raise ValueError(f"layer {k // 2 + 1} takes {W.shape[1]} inputs but layer "
                             f"{k // 2} gives {prev}")
        prev = W.shape[0]
    return params


def _check_xy(params, x, y, loss):
    x = check_array(x, "x", ndim=2)
    n_in, n_out = params[0].shape[1], params[-2].shape[0]
    if x.shape[1] != n_in:
        raise ValueError(f"x must have {n_in} columns (the net's inputs), got {x.shape[1]}")
    if loss == "mse":
        y = check_array(y, "y", dtype=np.float64)
        if y.ndim == 1 and n_out == 1:
            y = y[:, None]
        if y.shape != (len(x), n_out):
            raise ValueError(f"y must have shape ({len(x)}, {n_out}) to match x and the outputs, "
                             f"got {y.shape}")
    else:
        y = check_array(y, "y", ndim=1, dtype=np.int64)
        if len(y) != len(x):
            raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
        if y.min() < 0 or y.max() >= n_out:
            raise ValueError(f"y must hold class labels 0..{n_out - 1}")
    return x, y


def forward(params: Sequence[np.ndarray], x: np.ndarray, activation: str = "tanh"
            ) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """Output ``(B, n_out)`` and the cache ``[(a_{k-1}, z_k) for each layer]`` that
    :func:`backward` needs."""
    f, _ = ACTIVATIONS[check_choice(activation, "activation", tuple(ACTIVATIONS))]
    a = np.asarray(x, dtype=np.float64)
    cache = []
    n_layers = len(params) // 2
    for k in range(n_layers):
        W, b = params[2 * k], params[2 * k + 1]
        z = a @ W.T + b                      # (B, out)
        cache.append((a, z))
        a = f(z) if k < n_layers - 1 else z
    return a, cache


def backward(params: Sequence[np.ndarray], cache, d_out: np.ndarray, activation: str = "tanh"
             ) -> list[np.ndarray]:
    """Gradients ``[dW1, db1, ...]`` of a loss whose derivative with respect to the output
    is ``d_out`` (B, n_out), by the chain rule from the last layer down."""
    _, fprime = ACTIVATIONS[check_choice(activation, "activation", tuple(ACTIVATIONS))]
    n_layers = len(params) // 2
    grads: list[np.ndarray] = [None] * len(params)  # type: ignore[list-item]
    delta = d_out                                    # dLoss/dz of the current layer
    for k in reversed(range(n_layers)):
        a_prev, _ = cache[k]
        grads[2 * k] = delta.T @ a_prev              # (out, in)
        grads[2 * k + 1] = delta.sum(axis=0)         # (out,)
        if k > 0:
            _, z_prev = cache[k - 1]
            delta = (delta @ params[2 * k]) * fprime(z_prev)
    return grads


def _loss_and_dout(out: np.ndarray, y: np.ndarray, loss: str) -> tuple[float, np.ndarray]:
    if loss == "mse":                                # mean over every entry, as torch's mse_loss
        r = out - y
        return float(np.mean(r * r)), 2.0 * r / r.size
    z = out - out.max(axis=1, keepdims=True)         # cross-entropy of softmax(out)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n = len(y)
    d = np.exp(logp)
    d[np.arange(n), y] -= 1.0
    return float(-logp[np.arange(n), y].mean()), d / n


def loss_and_grads(params: Sequence[np.ndarray], x: object, y: object, activation: str = "tanh",
                   loss: str = "mse") -> tuple[float, list[np.ndarray]]:
    """Loss of the net on ``(x, y)`` and its gradient with respect to every parameter.

    ``loss="mse"``: mean of ``(output - y)^2`` over every entry (``y`` real, (B, n_out) or
    (B,) for one output); ``loss="cross_entropy"``: mean of ``-ln softmax(output)[y]``
    (``y`` class labels).
    """
    check_choice(loss, "loss", LOSSES)
    params = _check_params(params)
    x, y = _check_xy(params, x, y, loss)
    out, cache = forward(params, x, activation)
    value, d_out = _loss_and_dout(out, y, loss)
    return value, backward(params, cache, d_out, activation)


def loss_value(params: Sequence[np.ndarray], x: object, y: object, activation: str = "tanh",
               loss: str = "mse") -> float:
    """The loss alone (one forward pass)."""
    check_choice(loss, "loss", LOSSES)
    params = _check_params(params)
    x, y = _check_xy(params, x, y, loss)
    return _loss_and_dout(forward(params, x, activation)[0], y, loss)[0]


def finite_difference_grads(params: Sequence[np.ndarray], x: object, y: object,
                            activation: str = "tanh", loss: str = "mse", h: float = 1e-6
                            ) -> list[np.ndarray]:
    """Central differences ``(L(w + h) - L(w - h)) / (2h)``, one weight at a time.  The
    error is of order ``h^2`` times the third derivative plus rounding of order
    ``1e-16 / h``: about ``1e-10`` for ``h = 1e-6`` on a smooth loss of order 1."""
    h = check_float(h, "h", min=0.0, open_min=True)
    check_choice(loss, "loss", LOSSES)
    params = [np.array(p, dtype=np.float64) for p in _check_params(params)]
    x, y = _check_xy(params, x, y, loss)

    def L():
        return _loss_and_dout(forward(params, x, activation)[0], y, loss)[0]

    grads = []
    for p in params:
        g = np.empty_like(p)
        flat, gflat = p.reshape(-1), g.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + h
            up = L()
            flat[i] = old - h
            down = L()
            flat[i] = old
            gflat[i] = (up - down) / (2 * h)
        grads.append(g)
    return grads


def torch_forward(tensors, x, activation: str = "tanh"):
    """The same net in torch, on tensors ``[W1, b1, ...]`` (any dtype): for autograd."""
    import torch
    fns = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid,
           "gelu": torch.nn.functional.gelu}
    f = fns[check_choice(activation, "activation", tuple(fns))]
    a = x
    n_layers = len(tensors) // 2
    for k in range(n_layers):
        a = a @ tensors[2 * k].T + tensors[2 * k + 1]
        if k < n_layers - 1:
            a = f(a)
    return a


def torch_grads(params: Sequence[np.ndarray], x: object, y: object, activation: str = "tanh",
                loss: str = "mse") -> tuple[float, list[np.ndarray]]:
    """Loss and gradients from PyTorch's autograd, in float64, for comparison."""
    import torch
    check_choice(loss, "loss", LOSSES)
    params = _check_params(params)
    x, y = _check_xy(params, x, y, loss)
    ts = [torch.tensor(np.asarray(p, dtype=np.float64), requires_grad=True) for p in params]
    out = torch_forward(ts, torch.from_numpy(x), activation)
    if loss == "mse":
        value = torch.nn.functional.mse_loss(out, torch.from_numpy(y))
    else:
        value = torch.nn.functional.cross_entropy(out, torch.from_numpy(y))
    value.backward()
    return float(value.detach()), [t.grad.numpy().copy() for t in ts]


def relative_error(a: Sequence[np.ndarray], b: Sequence[np.ndarray]) -> float:
    """``|a - b| / max(|a|, |b|)`` with ``|.|`` the Euclidean norm over all parameters
    together (0 when both are zero)."""
    fa = np.concatenate([np.ravel(v) for v in a])
    fb = np.concatenate([np.ravel(v) for v in b])
    if fa.shape != fb.shape:
        raise ValueError(f"a and b hold {fa.size} and {fb.size} numbers; they must match")
    scale = max(np.linalg.norm(fa), np.linalg.norm(fb))
    return 0.0 if scale == 0 else float(np.linalg.norm(fa - fb) / scale)


def check_gradients(config: MLPConfig = MLPConfig(3, (8, 8), 2, "tanh"), n_points: int = 16,
                    loss: str = "mse", seed: int = 0) -> dict[str, float]:
    """Backprop vs finite differences vs torch autograd on a random net and random data:
    ``{"backprop_vs_fd": ..., "backprop_vs_torch": ..., "fd_vs_torch": ...}`` (relative
    errors, see :func:`relative_error`)."""
    n_points = check_int(n_points, "n_points", min=1)
    params = init_params(config, seed)
    rng = np.random.default_rng(seed + 1)
    x = rng.normal(size=(n_points, config.n_in))
    y = (rng.normal(size=(n_points, config.n_out)) if loss == "mse"
         else rng.integers(0, config.n_out, size=n_points))
    _, ours = loss_and_grads(params, x, y, config.activation, loss)
    fd = finite_difference_grads(params, x, y, config.activation, loss)
    _, tg = torch_grads(params, x, y, config.activation, loss)
    return {"backprop_vs_fd": relative_error(ours, fd), "backprop_vs_torch": relative_error(ours, tg),
            "fd_vs_torch": relative_error(fd, tg)}
