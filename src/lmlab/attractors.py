"""Nearest-attractor classification of the plane: basins that form a Voronoi diagram.

Given attractor points ``a_1 ... a_K`` in the plane, every point ``p`` belongs to the
basin of its nearest attractor, ``argmin_k |p - a_k|``.  The boundary between two
basins is the perpendicular bisector of the two attractors (``|p - a_i| = |p - a_j|``
is a linear equation in ``p``), so the basins are convex polygons: a Voronoi diagram.
Ties (points exactly on a boundary) go to the lower index.

The plane is sampled on a square :class:`Grid` ``[-lim, lim]^2``; :func:`basin_map` is the
exact answer a neural net (:mod:`lmlab.mlp`) tries to reproduce, and :func:`agreement`
scores a net's map against it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .checks import check_array, check_float, check_int

__all__ = ["PRESETS", "Grid", "make_grid", "check_attractors", "nearest", "basin_map",
           "agreement", "sample_points", "margin", "parse_points"]

#: A few attractor sets for the static figures (coordinates in the square [-1, 1]^2).
PRESETS: dict[str, np.ndarray] = {
    "three": np.array([[-0.5, -0.4], [0.55, -0.3], [0.0, 0.6]]),
    "four in a row": np.array([[-0.75, -0.2], [-0.25, 0.2], [0.25, -0.2], [0.75, 0.2]]),
    "five": np.array([[-0.6, 0.55], [0.5, 0.7], [0.0, 0.0], [-0.55, -0.6], [0.65, -0.45]]),
    "two": np.array([[-0.4, -0.3], [0.4, 0.3]]),
}


@dataclass(frozen=True)
class Grid:
    """A ``resolution x resolution`` grid of points over ``[-lim, lim]^2``."""
    resolution: int
    lim: float

    def __post_init__(self):
        check_int(self.resolution, "resolution (points per side of the grid)", min=2)
        check_float(self.lim, "lim", min=0.0, open_min=True)

    @property
    def xs(self) -> np.ndarray:
        return np.linspace(-self.lim, self.lim, self.resolution)

    @property
    def ys(self) -> np.ndarray:
        return self.xs

    @property
    def shape(self) -> tuple[int, int]:
        return (self.resolution, self.resolution)

    @cached_property
    def points(self) -> np.ndarray:
        """All grid points, (resolution**2, 2), row-major: ``points[i * R + j] = (xs[j], ys[i])``
        (computed once, read-only)."""
        X, Y = np.meshgrid(self.xs, self.ys)
        pts = np.column_stack([X.ravel(), Y.ravel()])
        pts.setflags(write=False)
        return pts


def make_grid(resolution: int = 200, lim: float = 1.0) -> Grid:
    """The grid of ``resolution`` points per side over ``[-lim, lim]^2``."""
    return Grid(resolution, lim)


def check_attractors(points: object, name: str = "attractors") -> np.ndarray:
    """``points`` as a float64 array (K, 2): at least 2 points, finite, all different."""
    pts = check_array(points, name, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(f"{name} must be a list of (x, y) points, shape (K, 2), got shape {pts.shape}")
    if len(pts) < 2:
        raise ValueError(f"{name} must hold at least 2 points to make basins, got {len(pts)}")
    _, first, counts = np.unique(pts, axis=0, return_index=True, return_counts=True)
    if (counts > 1).any():
        dup = pts[first[np.argmax(counts > 1)]]
        raise ValueError(f"{name} must be different points; ({dup[0]:g}, {dup[1]:g}) appears "
                         f"{counts.max()} times")
    return pts


def _sq_dists(attractors: np.ndarray, points: np.ndarray) -> np.ndarray:
    # |p - a|^2 for every point (rows) and attractor (columns): (N, K)
    return ((points[:, None, :] - attractors[None, :, :]) ** 2).sum(axis=2)


def nearest(attractors: object, points: object) -> np.ndarray:
    """Index of the nearest attractor for each of ``points`` (N, 2): int64 (N,)."""
    a = check_attractors(attractors)
    p = check_array(points, "points", ndim=2, shape=(None, 2))
    # |p - a|^2 = |p|^2 - 2 p.a + |a|^2, and |p|^2 is the same for every attractor: one
    # matrix product; near-ties (points on a boundary, up to rounding) are decided by the
    # squared distances themselves, so that ties go to the lower index exactly
    scores = (a * a).sum(axis=1)[None, :] - 2.0 * (p @ a.T)
    best = np.argmin(scores, axis=1)
    if len(a) > 1:
        two = np.partition(scores, 1, axis=1)[:, :2]
        close = np.flatnonzero(two[:, 1] - two[:, 0] <= 1e-9 * (1.0 + np.abs(two[:, 0])))
        if len(close):
            best[close] = np.argmin(_sq_dists(a, p[close]), axis=1)
    return best


def basin_map(attractors: object, grid: Grid) -> np.ndarray:
    """The exact basins on ``grid``: int8 (R, R), row ``i`` at ``y = ys[i]``."""
    if not isinstance(grid, Grid):
        raise TypeError(f"grid must be an attractors.Grid (see make_grid), got {type(grid).__name__}")
    return nearest(attractors, grid.points).reshape(grid.shape).astype(np.int8)


def margin(attractors: object, grid: Grid) -> np.ndarray:
    """Distance from each grid point to the nearest basin boundary, (R, R).

    For the nearest attractor ``a_i`` and any other ``a_j`` the distance from ``p`` to
    their bisector is ``(|p - a_j|^2 - |p - a_i|^2) / (2 |a_i - a_j|)``; the boundary of
    the basin is the closest of these bisectors (exact, since the basin is their
    intersection of half-planes).
    """
    a = check_attractors(attractors)
    p = grid.points
    d2 = _sq_dists(a, p)
    i = np.argmin(d2, axis=1)
    sep = np.linalg.norm(a[:, None, :] - a[None, :, :], axis=2)     # (K, K)
    dist = (d2 - d2[np.arange(len(p)), i][:, None]) / (2 * np.where(sep[i] > 0, sep[i], np.inf))
    dist[np.arange(len(p)), i] = np.inf
    return dist.min(axis=1).reshape(grid.shape)


def agreement(predicted: object, exact: object) -> float:
    """Share of grid points where ``predicted`` equals ``exact`` (same shapes)."""
    p, e = np.asarray(predicted), np.asarray(exact)
    if p.shape != e.shape or p.size == 0:
        raise ValueError(f"predicted and exact must be non-empty maps of the same shape, "
                         f"got {p.shape} and {e.shape}")
    return float((p == e).mean())


def sample_points(n: int, seed: int = 0, lim: float = 1.0) -> np.ndarray:
    """``n`` points drawn uniformly from ``[-lim, lim]^2`` with ``seed``: (n, 2)."""
    n = check_int(n, "n", min=1)
    seed = check_int(seed, "seed", min=0)
    lim = check_float(lim, "lim", min=0.0, open_min=True)
    return np.random.default_rng(seed).uniform(-lim, lim, size=(n, 2))


def parse_points(text: str) -> np.ndarray:
    """Points typed as ``"x1, y1; x2, y2; ..."`` (or one pair per line) -> (K, 2) array,
    checked with :func:`check_attractors`."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string like '0.1, 0.2; -0.5, 0.3', got {type(text).__name__}")
    pairs = [s for s in text.replace("\n", ";").split(";") if s.strip()]
    pts = []
    for s in pairs:
        parts = [v for v in s.replace(",", " ").split() if v]
        if len(parts) != 2:
            raise ValueError(f"each point must be two numbers 'x, y'; could not read {s.strip()!r}")
        try:
            pts.append([float(parts[0]), float(parts[1])])
        except ValueError:
            raise ValueError(f"each point must be two numbers 'x, y'; could not read {s.strip()!r}") from None
    return check_attractors(np.array(pts) if pts else np.zeros((0, 2)), "points")
