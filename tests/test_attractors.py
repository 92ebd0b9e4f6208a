"""lmlab.attractors: exact basins against brute force, boundary distances, input checks."""
import numpy as np
import pytest

from lmlab import attractors as att


def brute_force(points, xs):
    out = np.empty((len(xs), len(xs)), dtype=int)
    for i, y in enumerate(xs):
        for j, x in enumerate(xs):
            out[i, j] = min(range(len(points)), key=lambda k: (x - points[k][0]) ** 2 + (y - points[k][1]) ** 2)
    return out


@pytest.mark.parametrize("name", list(att.PRESETS))
def test_basin_map_equals_brute_force(name):
    g = att.make_grid(23)
    np.testing.assert_array_equal(att.basin_map(att.PRESETS[name], g), brute_force(att.PRESETS[name], g.xs))


def test_grid_layout():
    g = att.make_grid(5, lim=2.0)
    np.testing.assert_allclose(g.xs, [-2, -1, 0, 1, 2])
    assert g.points.shape == (25, 2)
    np.testing.assert_allclose(g.points[1 * 5 + 3], [g.xs[3], g.ys[1]])   # row i at y_i, column j at x_j


def test_two_attractors_split_along_the_bisector():
    pts = np.array([[-0.5, 0.0], [0.5, 0.0]])
    g = att.make_grid(40)
    m = att.basin_map(pts, g)
    np.testing.assert_array_equal(m, np.broadcast_to((g.xs > 0).astype(int), m.shape))


def test_margin_is_the_distance_to_the_nearest_boundary():
    pts = att.PRESETS["five"]
    g = att.make_grid(41)
    dist = att.margin(pts, g)
    # a dense sample of the plane: the nearest point with another label bounds the distance
    rng = np.random.default_rng(0)
    q = rng.uniform(-1.5, 1.5, size=(60_000, 2))
    lq = att.nearest(pts, q)
    lp = att.nearest(pts, g.points)
    for idx in rng.choice(len(g.points), 40, replace=False):
        other = q[lq != lp[idx]]
        upper = np.linalg.norm(other - g.points[idx], axis=1).min()
        assert dist.ravel()[idx] <= upper + 1e-12
        assert dist.ravel()[idx] >= upper - 0.03          # the sample is dense to about 0.01
    # along the bisector of two attractors the margin is zero
    two = np.array([[-0.5, 0.0], [0.5, 0.0]])
    g2 = att.make_grid(11)
    np.testing.assert_allclose(att.margin(two, g2), np.broadcast_to(np.abs(g2.xs), (11, 11)), atol=1e-12)


def test_agreement_and_sampling():
    a = np.zeros((4, 4), dtype=int)
    b = a.copy()
    b[0, :2] = 1
    assert att.agreement(a, b) == 14 / 16
    p = att.sample_points(1000, seed=1)
    np.testing.assert_array_equal(p, att.sample_points(1000, seed=1))
    assert p.shape == (1000, 2) and np.abs(p).max() <= 1.0


def test_parse_points():
    np.testing.assert_allclose(att.parse_points("0.1, 0.2; -0.5 0.3\n1,1"), [[0.1, 0.2], [-0.5, 0.3], [1, 1]])
    with pytest.raises(ValueError, match="could not read"):
        att.parse_points("0.1, 0.2; x, y")
    with pytest.raises(ValueError, match="at least 2"):
        att.parse_points("0.1, 0.2")


@pytest.mark.parametrize("points, match", [
    ([[0.0, 0.0]], "at least 2 points"),
    ([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]], "different points"),
    ([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]], r"shape \(K, 2\)"),
    ([[0.0, np.nan], [1.0, 1.0]], "finite"),
    ([], "at least"),
])
def test_bad_attractors(points, match):
    with pytest.raises(ValueError, match=match):
        att.basin_map(points, att.make_grid(10))


def test_bad_grid():
    with pytest.raises(ValueError, match="resolution"):
        att.make_grid(1)
    with pytest.raises(TypeError, match="resolution"):
        att.make_grid(10.5)
    with pytest.raises(TypeError, match="grid"):
        att.basin_map(att.PRESETS["two"], 100)
    with pytest.raises(ValueError, match="same shape"):
        att.agreement(np.zeros((3, 3)), np.zeros((4, 4)))
