"""What a model is: a formula with adjustable parameters, fitted to data (chapter 3).

The running example is a thought experiment after Galileo: drop a ball from a height
``h`` and time its fall.  Without air resistance the fall takes exactly

    t(h) = sqrt(2 h / g)

(from ``h = g t^2 / 2``).  We pretend not to know this, take measurements (with or
without timing noise), and fit formulas with a few free parameters by least squares:
``a + b h``, ``a + b h + c h^2``, ``a + b/h + c sin h`` (:data:`BASES`) and polynomials of
any degree (:func:`poly_fit`).  The fitted parameters are the model's "knobs"; the degree
of the polynomial is a knob of another kind, chosen by comparing errors on measurements
the fit never saw (:func:`degree_sweep`).  :func:`ngram_order_sweep` does the same for the
order of the n-gram models of chapter 2.

Least squares: with the design matrix ``A[i, k] = f_k(x_i)`` of the basis functions, the
parameters minimise ``|A theta - y|^2``; :func:`numpy.linalg.lstsq` solves it (through
the SVD, so a rank-deficient ``A`` still gets the minimum-norm answer).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .checks import check_array, check_float, check_int, check_xy

__all__ = ["G", "TowerConfig", "fall_time", "tower_drops", "random_drops", "BASES",
           "LeastSquaresFit", "fit_basis", "poly_fit", "rms_error", "degree_sweep",
           "ngram_order_sweep"]

#: Standard gravity, m/s^2 (the conventional value; real g at Pisa differs by ~0.1%).
G = 9.80665


@dataclass(frozen=True)
class TowerConfig:
    """A tower of ``floors`` floors, ``floor_height`` metres apart; clock noise ``noise``
    seconds (standard deviation of a normal timing error, 0 for perfect timing)."""
    floors: int = 8
    floor_height: float = 7.0
    g: float = G
    noise: float = 0.0

    def __post_init__(self):
        check_int(self.floors, "floors", min=1)
        check_float(self.floor_height, "floor_height", min=0.0, open_min=True)
        check_float(self.g, "g", min=0.0, open_min=True)
        check_float(self.noise, "noise", min=0.0)

    @property
    def heights(self) -> np.ndarray:
        """Height of each floor above the ground, metres: ``floor_height * (1 .. floors)``."""
        return self.floor_height * np.arange(1, self.floors + 1, dtype=np.float64)


def fall_time(h: object, g: float = G) -> np.ndarray:
    """Exact fall time ``sqrt(2 h / g)`` in seconds from height ``h`` metres (h >= 0)."""
    ha = check_array(np.atleast_1d(h), "h", ndim=1)
    if (ha < 0).any():
        raise ValueError(f"h must be heights >= 0 metres, got a minimum of {ha.min():g}")
    g = check_float(g, "g", min=0.0, open_min=True)
    return np.sqrt(2 * ha / g)


def tower_drops(config: TowerConfig = TowerConfig(), seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """One timed drop from every floor: ``(heights, measured times)``; with
    ``config.noise > 0`` each time carries a normal error drawn from ``seed``."""
    seed = check_int(seed, "seed", min=0)
    h = config.heights
    t = fall_time(h, config.g)
    if config.noise > 0:
        t = t + np.random.default_rng(seed).normal(0.0, config.noise, size=len(t))
    return h, t


def random_drops(n: int, noise: float, seed: int, h_max: float = 56.0, h_min: float = 1.0,
                 g: float = G) -> tuple[np.ndarray, np.ndarray]:
    """``n`` drops from heights uniform in ``[h_min, h_max]`` metres, timed with normal
    errors of standard deviation ``noise`` seconds, all drawn from ``seed``."""
    n = check_int(n, "n", min=1)
    noise = check_float(noise, "noise", min=0.0)
    seed = check_int(seed, "seed", min=0)
    h_min = check_float(h_min, "h_min", min=0.0)
    h_max = check_float(h_max, "h_max", min=h_min, open_min=True)
    rng = np.random.default_rng(seed)
    h = rng.uniform(h_min, h_max, size=n)
    return h, fall_time(h, g) + rng.normal(0.0, noise, size=n)


#: Named bases: the formula as text, and its basis functions f_k(x).
BASES: dict[str, list[Callable[[np.ndarray], np.ndarray]]] = {
    "a + b x": [np.ones_like, lambda x: x],
    "a + b x + c x²": [np.ones_like, lambda x: x, lambda x: x ** 2],
    "a + b/x + c sin x": [np.ones_like, lambda x: 1 / x, np.sin],
}



@dataclass(frozen=True)
class LeastSquaresFit:
    """A fitted model ``y = sum_k coef[k] f_k(x)``; call it on new ``x``."""
    name: str
    coef: np.ndarray
    functions: tuple[Callable[[np.ndarray], np.ndarray], ...]
    center: float = 0.0
    scale: float = 1.0

    def __call__(self, x: object) -> np.ndarray:
        xa = (check_array(np.atleast_1d(x), "x", ndim=1) - self.center) / self.scale
        return np.column_stack([f(xa) for f in self.functions]) @ self.coef

    @property
    def n_params(self) -> int:
        return len(self.coef)


def fit_basis(x: object, y: object, basis: str | Sequence[Callable[[np.ndarray], np.ndarray]],
              name: str | None = None) -> LeastSquaresFit:
    """Least-squares fit of ``y`` on the basis functions of ``basis`` (a name in
    :data:`BASES` or a list of functions of x)."""
    xa, ya = check_xy(x, y)
    if isinstance(basis, str):
        if basis not in BASES:
            raise ValueError(f"basis must be one of {', '.join(map(repr, BASES))} or a list of "
                             f"functions, got {basis!r}")
        name, funcs = basis, tuple(BASES[basis])
    else:
        funcs = tuple(basis)
        if not funcs or not all(callable(f) for f in funcs):
            raise TypeError("basis must be a name from BASES or a non-empty list of functions")
        name = name or f"{len(funcs)} basis functions"
    A = np.column_stack([np.broadcast_to(f(xa), xa.shape) for f in funcs]).astype(np.float64)
    coef, *_ = np.linalg.lstsq(A, ya, rcond=None)
    return LeastSquaresFit(name, coef, funcs)


def _power(k: int) -> Callable[[np.ndarray], np.ndarray]:
    return lambda u: u ** k


def poly_fit(x: object, y: object, degree: int) -> LeastSquaresFit:
    """Least-squares polynomial of ``degree`` (an integer >= 0).  x is first mapped onto
    [-1, 1] (by the range of the data), which keeps the design matrix well conditioned;
    ``coef`` are the coefficients of powers of that scaled x."""
    degree = check_int(degree, "degree (of the polynomial)", min=0)
    xa, ya = check_xy(x, y)
    lo, hi = float(xa.min()), float(xa.max())
    center, scale = (lo + hi) / 2, ((hi - lo) / 2 or 1.0)
    funcs = tuple(_power(k) for k in range(degree + 1))
    A = np.column_stack([((xa - center) / scale) ** k for k in range(degree + 1)])
    coef, *_ = np.linalg.lstsq(A, ya, rcond=None)
    return LeastSquaresFit(f"degree {degree}", coef, funcs, center, scale)


def rms_error(fit: Callable[[np.ndarray], np.ndarray], x: object, y: object) -> float:
    """Root-mean-square difference between ``fit(x)`` and ``y``."""
    xa, ya = check_xy(x, y)
    return float(np.sqrt(np.mean((fit(xa) - ya) ** 2)))


def degree_sweep(x_train: object, y_train: object, x_test: object, y_test: object,
                 degrees: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Train and test RMS error of the polynomial fit of every degree in ``degrees``."""
    if len(degrees) == 0:
        raise ValueError("degrees must hold at least one degree")
    check_xy(x_train, y_train)
    check_xy(x_test, y_test)
    fits = [poly_fit(x_train, y_train, d) for d in degrees]
    return (np.array([rms_error(f, x_train, y_train) for f in fits]),
            np.array([rms_error(f, x_test, y_test) for f in fits]))


def ngram_order_sweep(counts, train_ids: object, val_ids: object, orders: Sequence[int],
                      k: float = 0.01) -> tuple[np.ndarray, np.ndarray]:
    """Cross-entropy (nats per token) of the add-k n-gram of every order on text it was
    counted from (``train_ids``, a part of the training text) and on held-out text.

    ``counts`` is an :class:`lmlab.ngram.NGramCounts` of the training text."""
    from .ngram import NGramCounts
    from .ngram.smoothing import add_k_log_probs
    if not isinstance(counts, NGramCounts):
        raise TypeError(f"counts must be an lmlab.ngram.NGramCounts, got {type(counts).__name__}")
    k = check_float(k, "k (the pseudo-count)", min=0.0, open_min=True)
    tr = check_array(train_ids, "train_ids", ndim=1, dtype=np.int64)
    va = check_array(val_ids, "val_ids", ndim=1, dtype=np.int64)
    if len(orders) == 0:
        raise ValueError("orders must hold at least one order")
    return (np.array([-add_k_log_probs(counts, tr, n, k).mean() for n in orders]),
            np.array([-add_k_log_probs(counts, va, n, k).mean() for n in orders]))
