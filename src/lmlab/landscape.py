"""Loss landscapes over two weights, and the paths that optimizers take across them.

A model with two parameters has a loss that is a surface over the plane of its weights.
Two real ones, each the mean squared error of a tiny model on fixed data:

* :func:`line_fit_surface` ("valley"): a single linear neuron ``y = w x + b`` fitted to
  points on a line.  Its loss is an exact quadratic in ``(w, b)``, a long, narrow valley,
  so everything about gradient descent on it can be proved: it converges for every start
  if and only if the learning rate is below ``2 / lambda_max`` (the largest eigenvalue of
  the Hessian, :func:`critical_lr`).
* :func:`wave_fit_surface` ("waves"): ``y = sin(w x + b)`` fitted to a sampled sine
  wave.  Its loss has one global minimum (the true frequency and phase) and several
  local minima, lakes in the hills, at wrong frequencies; where gradient descent ends
  depends on where it starts.

:func:`descend` runs one of the optimizers of :mod:`lmlab.optim` (``"sgd"``,
``"momentum"``, ``"adam"``) from a start point and returns the :class:`Path`;
:func:`loss_grid` tabulates a surface for contour and 3-D plots; :func:`basins` sends
many starts downhill and groups them by the minimum they reach.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import optim
from .checks import check_array, check_choice, check_float, check_int, check_xy

__all__ = ["Surface", "line_fit_surface", "wave_fit_surface", "SURFACES", "get_surface",
           "Path", "descend", "loss_grid", "hessian", "critical_lr", "Basins", "basins",
           "grid_starts"]


@dataclass(frozen=True)
class Surface:
    """A loss ``L(w, b)`` over two weights with its gradient, for plotting and descent.

    ``loss(W)`` and ``grad(W)`` take points ``W`` of shape ``(..., 2)`` (columns ``w`` and
    ``b``) and return shapes ``(...)`` and ``(..., 2)``.  ``w_range`` and ``b_range`` are
    the plotted window; ``minimum`` the global minimum, where known; ``x``/``y`` the data.
    """
    name: str
    title: str
    loss: Callable[[np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray], np.ndarray]
    w_range: tuple[float, float]
    b_range: tuple[float, float]
    x: np.ndarray
    y: np.ndarray
    minimum: tuple[float, float] | None = None
    model: str = ""

    def __call__(self, w: float, b: float) -> float:
        return float(self.loss(np.array([w, b], dtype=np.float64)))



def line_fit_surface(x: object | None = None, y: object | None = None) -> Surface:
    """Mean squared error of ``w x + b`` on the points ``(x, y)``:
    ``L(w, b) = mean((w x_i + b - y_i)^2)``.

    Default data: 20 points ``x`` evenly spaced on ``[0, 4]`` with ``y = 0.5 x + 1`` plus
    a fixed pattern of noise (seed 0, standard deviation 0.2).
    """
    if x is None and y is None:
        x = np.linspace(0.0, 4.0, 20)
        y = 0.5 * x + 1.0 + 0.2 * np.random.default_rng(0).normal(size=x.size)
    elif x is None or y is None:
        raise ValueError("give both x and y, or neither (for the default data)")
    x, y = check_xy(x, y)
    A = np.stack([x, np.ones_like(x)], axis=1)
    w_opt, b_opt = np.linalg.lstsq(A, y, rcond=None)[0]

    def loss(W):
        W = np.asarray(W, dtype=np.float64)
        r = W[..., 0, None] * x + W[..., 1, None] - y          # (..., N)
        return np.mean(r * r, axis=-1)

    def grad(W):
        W = np.asarray(W, dtype=np.float64)
        r = W[..., 0, None] * x + W[..., 1, None] - y
        return np.stack([2 * np.mean(r * x, axis=-1), 2 * np.mean(r, axis=-1)], axis=-1)

    return Surface("valley", "A line fitted to points: L(w, b) = mean((w x + b − y)²)",
                   loss, grad, (-1.5, 2.5), (-2.0, 4.0), x, y, (float(w_opt), float(b_opt)),
                   "y = w x + b")


def wave_fit_surface(x: object | None = None, y: object | None = None) -> Surface:
    """Mean squared error of ``sin(w x + b)`` on the points ``(x, y)``:
    ``L(w, b) = mean((sin(w x_i + b) - y_i)^2)``.

    Default data: 40 points ``x`` evenly spaced on ``[0, 6]`` with ``y = sin(2 x + 0.5)``
    (no noise), so the global minimum is ``L = 0`` at ``(w, b) = (2, 0.5)``.
    """
    true = None
    if x is None and y is None:
        x = np.linspace(0.0, 6.0, 40)
        y = np.sin(2.0 * x + 0.5)
        true = (2.0, 0.5)
    elif x is None or y is None:
        raise ValueError("give both x and y, or neither (for the default data)")
    x, y = check_xy(x, y)

    def loss(W):
        W = np.asarray(W, dtype=np.float64)
        r = np.sin(W[..., 0, None] * x + W[..., 1, None]) - y
        return np.mean(r * r, axis=-1)

    def grad(W):
        W = np.asarray(W, dtype=np.float64)
        u = W[..., 0, None] * x + W[..., 1, None]
        rc = (np.sin(u) - y) * np.cos(u)
        return np.stack([2 * np.mean(rc * x, axis=-1), 2 * np.mean(rc, axis=-1)], axis=-1)

    return Surface("waves", "A sine wave fitted to samples: L(w, b) = mean((sin(w x + b) − y)²)",
                   loss, grad, (0.0, 4.5), (-1.5, 2.5), x, y, true, "y = sin(w x + b)")


#: The surfaces of the chapter by name.
SURFACES = {"valley": line_fit_surface, "waves": wave_fit_surface}


def get_surface(name: str) -> Surface:
    """The default surface called ``name`` (``"valley"`` or ``"waves"``)."""
    return SURFACES[check_choice(name, "surface", tuple(SURFACES))]()


def _check_surface(surface: object) -> Surface:
    if not isinstance(surface, Surface):
        raise TypeError(f"surface must be an lmlab.landscape.Surface, got {type(surface).__name__}")
    return surface


def _check_point(p: object, name: str) -> np.ndarray:
    return check_array(p, name, shape=(2,))


@dataclass
class Path:
    """Where an optimizer went: ``points`` (steps + 1, 2) from the start, the ``losses``
    there, and whether it ``diverged`` (left every sensible scale; the rest of the path
    is then NaN)."""
    optimizer: str
    lr: float
    points: np.ndarray
    losses: np.ndarray
    diverged: bool
    options: dict = field(default_factory=dict)

    @property
    def end(self) -> np.ndarray:
        """The last point reached (the last finite one if it diverged)."""
        ok = np.isfinite(self.points).all(axis=1)
        return self.points[ok][-1]

    @property
    def final_loss(self) -> float:
        ok = np.isfinite(self.losses)
        return float(self.losses[ok][-1])

    def steps_to(self, loss: float) -> int | None:
        """The first step at which the loss is at most ``loss`` (None if never)."""
        hit = np.nonzero(self.losses <= loss)[0]
        return int(hit[0]) if len(hit) else None


#: A path whose loss exceeds this many times its starting loss (or 1e6) counts as diverged.
_BLOWUP = 1e6


def descend(surface: Surface, start: object, optimizer: str = "sgd", lr: float = 0.05,
            steps: int = 100, **options) -> Path:
    """Follow ``optimizer`` (:data:`lmlab.optim.OPTIMIZERS`) with learning rate ``lr`` for
    ``steps`` steps from ``start = (w, b)`` on ``surface``.  ``options`` go to the
    optimizer (e.g. ``momentum=0.5``, ``betas=(0.9, 0.99)``).  If the loss exceeds
    ``1e6`` times its start (and ``1e6``), the path stops there and counts as diverged."""
    surface = _check_surface(surface)
    p = _check_point(start, "start").copy()
    lr = optim.check_lr(lr)
    steps = check_int(steps, "steps", min=0)
    opt = optim.make_optimizer(optimizer, [p], lr, **options)
    points = np.full((steps + 1, 2), np.nan)
    losses = np.full(steps + 1, np.nan)
    points[0], losses[0] = p, surface.loss(p)
    limit = _BLOWUP * max(1.0, losses[0])
    diverged = False
    for t in range(1, steps + 1):
        opt.step([surface.grad(p)])
        loss = surface.loss(p)
        if not np.isfinite(loss) or loss > limit:
            diverged = True
            break
        points[t], losses[t] = p, loss
    return Path(optimizer, lr, points, losses, diverged, dict(options))


def loss_grid(surface: Surface, n: int = 81, w_range: Sequence[float] | None = None,
              b_range: Sequence[float] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ws (n,), bs (n,), Z (n, n))`` with ``Z[i, j] = L(ws[j], bs[i])`` over the
    surface's window (or the ranges given)."""
    surface = _check_surface(surface)
    n = check_int(n, "n (the grid resolution)", min=2)
    wr = tuple(surface.w_range if w_range is None else w_range)
    br = tuple(surface.b_range if b_range is None else b_range)
    for name, r in (("w_range", wr), ("b_range", br)):
        if len(r) != 2 or not r[0] < r[1]:
            raise ValueError(f"{name} must be (low, high) with low < high, got {r}")
    ws, bs = np.linspace(*wr, n), np.linspace(*br, n)
    W = np.stack(np.meshgrid(ws, bs), axis=-1)                 # (n, n, 2), [i, j] = (ws[j], bs[i])
    return ws, bs, surface.loss(W)


def hessian(surface: Surface, point: object, h: float = 1e-5) -> np.ndarray:
    """The 2 x 2 Hessian of the loss at ``point``, by central differences of the exact
    gradient (exact up to rounding for the quadratic ``valley``)."""
    surface = _check_surface(surface)
    p = _check_point(point, "point")
    h = check_float(h, "h", min=0.0, open_min=True)
    H = np.empty((2, 2))
    for k in range(2):
        e = np.zeros(2)
        e[k] = h
        H[:, k] = (surface.grad(p + e) - surface.grad(p - e)) / (2 * h)
    return 0.5 * (H + H.T)


def critical_lr(surface: Surface, point: object | None = None) -> float:
    """``2 / lambda_max``, the largest eigenvalue of the Hessian at ``point`` (default:
    the surface's minimum).  On a quadratic, plain gradient descent converges from every
    start if and only if ``lr < 2 / lambda_max`` (proved: each eigen-direction is
    multiplied by ``1 - lr * lambda`` per step); elsewhere it is the local limit near
    ``point``."""
    surface = _check_surface(surface)
    if point is None:
        if surface.minimum is None:
            raise ValueError("this surface has no known minimum; give point")
        point = surface.minimum
    lam = np.linalg.eigvalsh(hessian(surface, point))
    if lam[-1] <= 0:
        raise ValueError(f"the Hessian at {tuple(point)} has no positive eigenvalue")
    return float(2.0 / lam[-1])


def grid_starts(surface: Surface, n: int = 5, margin: float = 0.1) -> np.ndarray:
    """``n x n`` start points evenly spread over the surface's window (shape (n*n, 2)),
    ``margin`` (a share of each range) away from its edges."""
    surface = _check_surface(surface)
    n = check_int(n, "n", min=1)
    margin = check_float(margin, "margin", min=0.0, max=0.49)
    (w0, w1), (b0, b1) = surface.w_range, surface.b_range
    dw, db = (w1 - w0) * margin, (b1 - b0) * margin
    ws = np.linspace(w0 + dw, w1 - dw, n)
    bs = np.linspace(b0 + db, b1 - db, n)
    return np.stack(np.meshgrid(ws, bs), axis=-1).reshape(-1, 2)


@dataclass
class Basins:
    """Many starts sent downhill: the ``paths``, the distinct ``minima`` reached (sorted by
    loss, lowest first), their ``losses``, and for each start the index of its minimum
    in ``labels``."""
    paths: list[Path]
    minima: np.ndarray
    losses: np.ndarray
    labels: np.ndarray

    @property
    def counts(self) -> np.ndarray:
        """How many starts end in each minimum."""
        return np.bincount(self.labels, minlength=len(self.minima))


def basins(surface: Surface, starts: object, optimizer: str = "sgd", lr: float = 0.05,
           steps: int = 300, tol: float = 0.05, **options) -> Basins:
    """Run :func:`descend` from every start and group the end points: two ends closer
    than ``tol`` (in both ``w`` and ``b``) count as the same minimum.  Diverged paths
    are not allowed (choose a smaller ``lr``)."""
    st = check_array(starts, "starts", ndim=2, shape=(None, 2))
    tol = check_float(tol, "tol", min=0.0, open_min=True)
    paths = [descend(surface, s, optimizer, lr, steps, **options) for s in st]
    if any(p.diverged for p in paths):
        raise ValueError(f"lr={lr} makes some paths diverge; choose a smaller learning rate")
    ends = np.array([p.end for p in paths])
    minima: list[np.ndarray] = []
    labels = np.empty(len(ends), dtype=np.int64)
    for i, e in enumerate(ends):
        for k, m in enumerate(minima):
            if np.all(np.abs(e - m) < tol):
                labels[i] = k
                break
        else:
            minima.append(e)
            labels[i] = len(minima) - 1
    M = np.array(minima)
    L = surface.loss(M)
    order = np.argsort(L, kind="stable")
    relabel = np.empty_like(order)
    relabel[order] = np.arange(len(order))
    return Basins(paths, M[order], L[order], relabel[labels])
