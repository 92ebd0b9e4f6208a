"""A tiny multilayer perceptron (MLP) in torch, small enough to write out as a formula.

Chapter 4 trains nets with two inputs ``(x, y)``, a few hidden layers of a few neurons and
one output per class (the attractor whose basin a point lies in), and chapter 5 reuses
the same class for the digit classifier and for 1-D fits.  Each neuron computes

    h = f(w . x + b)

with an activation ``f`` from :data:`ACTIVATIONS`; the last layer has no activation and
gives one *logit* per class; ``softmax(logits)`` is the predicted class distribution.

* :class:`MLPConfig` / :class:`MLP`: the architecture and the module (weights initialised
  from a seed, as torch's ``nn.Linear`` does: uniform in ``+-1/sqrt(fan_in)``).
* :class:`FitConfig` / :func:`fit`: full-batch training on the cross-entropy through the
  book's trainer :func:`lmlab.train.train` (a few thousand points fit in one batch).
* :func:`predict_map`, :func:`formula`, :func:`set_parameter`, :func:`parameter_names`:
  what the chapter shows of a trained net.
* :func:`train_basin_net`, :func:`agreement_table`: nets that learn the nearest-attractor
  map of :mod:`lmlab.attractors`, and how well they reproduce it against width and depth.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from . import attractors as _att
from .checks import check_array, check_choice, check_float, check_int

__all__ = ["ACTIVATIONS", "activation_fn", "MLPConfig", "MLP", "FitConfig", "fit",
           "predict_map", "formula", "parameter_names", "get_parameter", "set_parameter",
           "BasinNet", "train_basin_net", "agreement_table", "n_neurons"]

#: Activation functions by name (the torch functions; ``"gelu"`` is the exact erf form).
ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "gelu": nn.functional.gelu,
}


def activation_fn(name: str) -> Callable[[torch.Tensor], torch.Tensor]:
    """The activation function called ``name`` (one of :data:`ACTIVATIONS`)."""
    return ACTIVATIONS[check_choice(name, "activation", tuple(ACTIVATIONS))]


@dataclass(frozen=True)
class MLPConfig:
    """Architecture: ``n_in`` inputs, hidden layers of widths ``hidden``, ``n_out`` outputs."""
    n_in: int = 2
    hidden: tuple[int, ...] = (8, 8)
    n_out: int = 3
    activation: str = "relu"

    def __post_init__(self):
        check_int(self.n_in, "n_in", min=1)
        check_int(self.n_out, "n_out", min=1)
        if isinstance(self.hidden, (int, np.integer)) or not isinstance(self.hidden, Sequence):
            raise TypeError(f"hidden must be a tuple of layer widths, got {self.hidden!r}")
        for i, w in enumerate(self.hidden):
            check_int(w, f"hidden[{i}] (the width of hidden layer {i + 1})", min=1)
        object.__setattr__(self, "hidden", tuple(int(w) for w in self.hidden))
        check_choice(self.activation, "activation", tuple(ACTIVATIONS))

    @property
    def widths(self) -> tuple[int, ...]:
        """All layer widths, inputs to outputs."""
        return (self.n_in, *self.hidden, self.n_out)


class MLP(nn.Module):
    """``n_in -> hidden[0] -> ... -> n_out`` with ``activation`` after every hidden layer.

    ``forward(x)``: ``x`` (B, n_in) float32 -> logits (B, n_out).
    """

    def __init__(self, config: MLPConfig = MLPConfig(), seed: int = 0):
        super().__init__()
        if not isinstance(config, MLPConfig):
            raise TypeError(f"config must be an MLPConfig, got {type(config).__name__}")
        seed = check_int(seed, "seed", min=0)
        self.config = config
        self.act = ACTIVATIONS[config.activation]
        g = torch.Generator().manual_seed(seed)
        w = config.widths
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(w[:-1], w[1:]))
        with torch.no_grad():
            for layer in self.layers:
                bound = 1.0 / math.sqrt(layer.in_features)
                layer.weight.copy_(torch.rand(layer.weight.shape, generator=g) * 2 * bound - bound)
                layer.bias.copy_(torch.rand(layer.bias.shape, generator=g) * 2 * bound - bound)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers[:-1]:
            x = self.act(layer(x))          # (B, width)
        return self.layers[-1](x)           # (B, n_out)

    def hidden_layers(self, x: torch.Tensor) -> list[torch.Tensor]:
        """The activations of every hidden layer for inputs ``x``."""
        out = []
        for layer in self.layers[:-1]:
            x = self.act(layer(x))
            out.append(x)
        return out

    @property
    def n_params(self) -> int:
        return sum(p.numel() for p in self.parameters())


def n_neurons(config: MLPConfig) -> int:
    """Neurons that compute something: every hidden neuron plus the outputs."""
    return sum(config.hidden) + config.n_out


@dataclass(frozen=True)
class FitConfig:
    """Full-batch training: ``steps`` AdamW steps at a constant learning rate ``lr``, with
    decoupled ``weight_decay`` on the weight matrices (none on biases)."""
    steps: int = 2000
    lr: float = 0.02
    weight_decay: float = 0.0

    def __post_init__(self):
        check_int(self.steps, "steps", min=1)
        check_float(self.lr, "lr (the learning rate)", min=0.0, open_min=True)
        check_float(self.weight_decay, "weight_decay", min=0.0)

    def train_config(self, n_points: int) -> "TrainConfig":
        """The :class:`lmlab.train.TrainConfig` that :func:`fit` hands to the book's trainer:
        every point in every batch, no warm-up, no decay of the learning rate, no clipping,
        Adam's usual betas (0.9, 0.999)."""
        from .train import TrainConfig
        return TrainConfig(steps=self.steps, batch_size=n_points, lr=self.lr, warmup_steps=0,
                           min_lr=self.lr, weight_decay=self.weight_decay, betas=(0.9, 0.999),
                           grad_clip=None, eval_every=0, eval_batches=1, log_every=1)


def _as_xy(x: object, y: object, n_in: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    xa = check_array(x, "x", ndim=2, dtype=np.float32)
    ya = check_array(y, "y", ndim=1, dtype=np.int64)
    if len(xa) != len(ya):
        raise ValueError(f"x and y must have the same length, got {len(xa)} points and {len(ya)} labels")
    if n_in is not None and xa.shape[1] != n_in:
        raise ValueError(f"x must have {n_in} columns (the net's inputs), got {xa.shape[1]}")
    return torch.from_numpy(np.ascontiguousarray(xa)), torch.from_numpy(ya)


def _cross_entropy(model: nn.Module, batch: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    x, y = batch
    return nn.functional.cross_entropy(model(x), y)


def fit(model: MLP, x: object, y: object, config: FitConfig = FitConfig(),
        callback: Callable[[int, MLP], None] | None = None) -> np.ndarray:
    """Train ``model`` in place on points ``x`` (N, n_in) with class labels ``y`` (N,) by
    :func:`lmlab.train.train` (the book's one trainer), every point in every step
    (full batch), cross-entropy loss, settings of :meth:`FitConfig.train_config`.

    ``callback(step, model)`` runs with the model after ``step`` steps, for ``step = 0``
    (the initial weights) and after each step ``1..steps``.  Returns the training loss
    before each step and after the last (``steps + 1`` values).
    """
    from .train import train
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an lmlab.mlp.MLP, got {type(model).__name__}")
    if not isinstance(config, FitConfig):
        raise TypeError(f"config must be a FitConfig, got {type(config).__name__}")
    xt, yt = _as_xy(x, y, model.config.n_in)
    if yt.min() < 0 or yt.max() >= model.config.n_out:
        raise ValueError(f"y must hold class labels 0..{model.config.n_out - 1}, "
                         f"got values from {int(yt.min())} to {int(yt.max())}")
    batch = (xt, yt)
    callbacks = []
    if callback is not None:
        callback(0, model)
        callbacks.append(lambda step, metrics: callback(step, model) if metrics["event"] != "end" else None)
    result = train(model, lambda split, generator: batch, config.train_config(len(xt)),
                   loss_fn=_cross_entropy, callbacks=callbacks)
    with torch.no_grad():
        final = float(_cross_entropy(model, batch))
    return np.array([*result.losses, final])


@torch.no_grad()
def predict(model: MLP, x: object) -> np.ndarray:
    """Class probabilities ``softmax(model(x))`` as a float64 array (N, n_out)."""
    xa = torch.from_numpy(np.ascontiguousarray(check_array(x, "x", ndim=2, dtype=np.float32)))
    return torch.softmax(model(xa), dim=1).double().numpy()


@torch.no_grad()
def predict_map(model: MLP, grid: "_att.Grid") -> np.ndarray:
    """The predicted class at every point of ``grid``: int array (resolution, resolution),
    row ``i`` at ``y = grid.ys[i]``, column ``j`` at ``x = grid.xs[j]``."""
    xt = torch.from_numpy(grid.points.astype(np.float32))
    return model(xt).argmax(dim=1).numpy().reshape(grid.shape).astype(np.int8)


def parameter_names(model: MLP) -> list[str]:
    """Names of every single weight and bias: ``"W1[j,i]"`` is the weight from input (or
    neuron) ``i`` of layer 0 to neuron ``j`` of layer 1, ``"b1[j]"`` that neuron's bias;
    layers count from 1, neurons from 0."""
    names = []
    for k, layer in enumerate(model.layers, start=1):
        o, i = layer.weight.shape
        names += [f"W{k}[{a},{b}]" for a in range(o) for b in range(i)]
        names += [f"b{k}[{a}]" for a in range(o)]
    return names


def _locate(model: MLP, name: str) -> tuple[torch.Tensor, tuple[int, ...]]:
    if not isinstance(name, str) or name not in parameter_names(model):
        raise ValueError(f"name must be a parameter of this net such as 'W1[0,1]' or 'b2[0]' "
                         f"(see parameter_names), got {name!r}")
    kind, rest = name[0], name[1:]
    k, idx = rest.split("[")
    layer = model.layers[int(k) - 1]
    index = tuple(int(v) for v in idx.rstrip("]").split(","))
    return (layer.weight if kind == "W" else layer.bias), index


def get_parameter(model: MLP, name: str) -> float:
    """The value of one weight or bias (see :func:`parameter_names`)."""
    t, index = _locate(model, name)
    return float(t.detach()[index])


@torch.no_grad()
def set_parameter(model: MLP, name: str, value: float) -> None:
    """Set one weight or bias (see :func:`parameter_names`) in place."""
    t, index = _locate(model, name)
    t[index] = check_float(value, "value")


def _linear_text(w: np.ndarray, b: float, inputs: Sequence[str], digits: int) -> str:
    terms = []
    for coef, name in zip(w, inputs):
        c = round(float(coef), digits)
        if c == 0:
            continue
        sign = "−" if c < 0 else "+"
        terms.append((sign, f"{abs(c):.{digits}f} {name}"))
    bb = round(float(b), digits)
    if bb != 0 or not terms:
        terms.append(("−" if bb < 0 else "+", f"{abs(bb):.{digits}f}"))
    first_sign, first = terms[0]
    text = ("−" if first_sign == "−" else "") + first
    for sign, t in terms[1:]:
        text += f" {sign} {t}"
    return text


def formula(model: MLP, digits: int = 2, inputs: Sequence[str] = ("x", "y")) -> str:
    """The net written out, one line per neuron, weights rounded to ``digits`` decimals::

        a1 = relu(1.31 x − 0.52 y + 0.07)
        ...
        z1 = 0.88 a1 − 1.02 a2 + 0.31      (logit of class 0, ...)

    Hidden neurons are ``a1, a2, ...`` in layer 1, ``b1, ...`` in layer 2, and so on;
    outputs are ``z1 ... zK``.  Evaluating these lines with the rounded numbers gives the
    net's logits up to the rounding.
    """
    digits = check_int(digits, "digits", min=0, max=6)
    cfg = model.config
    if len(inputs) != cfg.n_in:
        raise ValueError(f"inputs must name the {cfg.n_in} inputs, got {list(inputs)}")
    names = list(inputs)
    lines = []
    letters = "abcdefghijklmnopqrstuvw"
    for k, layer in enumerate(model.layers):
        W = layer.weight.detach().double().numpy()
        b = layer.bias.detach().double().numpy()
        last = k == len(model.layers) - 1
        new = [f"z{j + 1}" if last else f"{letters[k]}{j + 1}" for j in range(W.shape[0])]
        for j in range(W.shape[0]):
            lin = _linear_text(W[j], b[j], names, digits)
            lines.append(f"{new[j]} = {lin}" if last else f"{new[j]} = {cfg.activation}({lin})")
        names = new
    return "\n".join(lines)


# ------------------------------------------------------------------ nets for the basins
@dataclass
class BasinNet:
    """A net trained on the nearest-attractor map: model, the attractors, its training
    loss curve, and its agreement with the exact map on the evaluation grid."""
    model: MLP
    attractors: np.ndarray
    losses: np.ndarray
    agreement: float
    snapshots: dict[int, np.ndarray] = field(default_factory=dict)


def train_basin_net(attractors: object, hidden: Sequence[int] = (8, 8), activation: str = "relu",
                    fit_config: FitConfig = FitConfig(), n_train: int = 2000, seed: int = 0,
                    grid: "_att.Grid | None" = None, snapshot_steps: Sequence[int] = ()) -> BasinNet:
    """Train an MLP with 2 inputs and one output per attractor on ``n_train`` uniformly
    random points of the square (labels: nearest attractor), and measure its agreement
    with the exact basin map on ``grid`` (default: 200 x 200 over the square).
    ``snapshot_steps``: training steps at which to store the predicted map on ``grid``
    (``snapshots[step]``).  Everything is drawn from ``seed``.
    """
    pts = _att.check_attractors(attractors)
    n_train = check_int(n_train, "n_train", min=1)
    seed = check_int(seed, "seed", min=0)
    grid = _att.make_grid(200) if grid is None else grid
    x = _att.sample_points(n_train, seed=seed, lim=grid.lim)
    y = _att.nearest(pts, x)
    model = MLP(MLPConfig(2, tuple(hidden), len(pts), activation), seed=seed)
    wanted = {check_int(s, "snapshot_steps[i]", min=0) for s in snapshot_steps}
    snaps: dict[int, np.ndarray] = {}

    def keep(step, m):
        if step in wanted:
            snaps[step] = predict_map(m, grid)

    losses = fit(model, x, y, fit_config, keep if wanted else None)
    exact = _att.basin_map(pts, grid)
    return BasinNet(model, pts, losses, _att.agreement(predict_map(model, grid), exact), snaps)


def agreement_table(attractors: object, widths: Sequence[int], depths: Sequence[int],
                    activation: str = "relu", fit_config: FitConfig = FitConfig(),
                    n_train: int = 2000, seeds: Sequence[int] = (0,),
                    grid: "_att.Grid | None" = None, return_nets: bool = False):
    """Agreement with the exact basin map for every (depth, width): array
    ``(len(depths), len(widths), len(seeds))``; depth = number of hidden layers, all of
    the same width.  With ``return_nets``, also the trained nets:
    ``nets[(depth, width, seed)]`` is a :class:`BasinNet`."""
    for i, w in enumerate(widths):
        check_int(w, f"widths[{i}] (a layer width)", min=1)
    for i, d in enumerate(depths):
        check_int(d, f"depths[{i}] (a number of hidden layers)", min=1)
    if len(widths) == 0 or len(depths) == 0 or len(seeds) == 0:
        raise ValueError("widths, depths and seeds must each hold at least one value")
    grid = _att.make_grid(200) if grid is None else grid
    out = np.empty((len(depths), len(widths), len(seeds)))
    nets = {}
    for a, d in enumerate(depths):
        for b, w in enumerate(widths):
            for c, s in enumerate(seeds):
                net = train_basin_net(attractors, (w,) * d, activation, fit_config, n_train, s, grid)
                out[a, b, c] = net.agreement
                if return_nets:
                    nets[(d, w, s)] = net
    return (out, nets) if return_nets else out
