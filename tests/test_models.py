"""lmlab.models: fall times, least-squares fits against numpy references, overfitting sweep."""
import numpy as np
import pytest

from lmlab import models


def test_fall_time_is_the_law():
    # h = g t^2 / 2: from h = g/2 the fall takes exactly one second
    assert models.fall_time(models.G / 2)[0] == pytest.approx(1.0, rel=1e-15)
    h = np.array([0.0, 7.0, 56.0])
    np.testing.assert_allclose(models.fall_time(h), np.sqrt(2 * h / models.G))


def test_tower_drops_noise_is_seeded():
    cfg = models.TowerConfig(noise=0.05)
    h, t0 = models.tower_drops(cfg, seed=3)
    _, t1 = models.tower_drops(cfg, seed=3)
    _, t2 = models.tower_drops(cfg, seed=4)
    np.testing.assert_array_equal(t0, t1)
    assert not np.array_equal(t0, t2)
    np.testing.assert_allclose(h, 7.0 * np.arange(1, 9))
    _, exact = models.tower_drops(models.TowerConfig())
    np.testing.assert_allclose(exact, models.fall_time(h))


def test_random_drops_noise_has_the_given_spread():
    h, t = models.random_drops(20_000, noise=0.05, seed=0)
    resid = t - models.fall_time(h)
    assert abs(resid.std() - 0.05) < 0.002 and abs(resid.mean()) < 0.002
    assert h.min() >= 1.0 and h.max() <= 56.0


@pytest.mark.parametrize("name", list(models.BASES))
def test_fit_basis_equals_lstsq(name):
    h, t = models.tower_drops(models.TowerConfig(noise=0.05), seed=0)
    fit = models.fit_basis(h, t, name)
    A = np.column_stack([np.broadcast_to(f(h), h.shape) for f in models.BASES[name]])
    ref = np.linalg.lstsq(A, t, rcond=None)[0]
    np.testing.assert_allclose(fit.coef, ref, rtol=1e-10)
    np.testing.assert_allclose(fit(h), A @ ref, rtol=1e-10)
    # the normal equations hold at the minimum: the residual is orthogonal to every column
    np.testing.assert_allclose(A.T @ (A @ fit.coef - t), 0, atol=1e-8)


def test_poly_fit_matches_numpy_polynomial():
    rng = np.random.default_rng(1)
    x = rng.uniform(1, 56, 30)
    y = np.sqrt(x) + rng.normal(0, 0.05, 30)
    for d in range(6):
        ours = models.poly_fit(x, y, d)
        ref = np.polynomial.Polynomial.fit(x, y, d)
        xs = np.linspace(1, 56, 50)
        np.testing.assert_allclose(ours(xs), ref(xs), rtol=1e-8, atol=1e-10)


def test_poly_fit_recovers_a_polynomial_and_interpolates():
    x = np.linspace(-3, 5, 12)
    y = 2 - x + 0.5 * x ** 3
    fit = models.poly_fit(x, y, 3)
    np.testing.assert_allclose(fit(np.array([10.0, -7.0])), 2 - np.array([10.0, -7.0]) + 0.5 * np.array([1000.0, -343.0]), rtol=1e-9)
    # degree N - 1 passes through all N points
    xs, ys = models.random_drops(8, 0.05, seed=2)
    assert models.rms_error(models.poly_fit(xs, ys, 7), xs, ys) < 1e-8


def test_training_error_never_rises_with_degree_and_test_error_turns_up():
    xtr, ytr = models.random_drops(10, 0.05, seed=0)
    xte, yte = models.random_drops(200, 0.05, seed=1)
    tr, te = models.degree_sweep(xtr, ytr, xte, yte, range(10))
    assert np.all(np.diff(tr) <= 1e-12)                 # nested models: proved
    best = int(np.argmin(te))
    assert 1 <= best <= 6 and te[9] > 2 * te[best]        # measured: overfitting with noise
    # without noise the same heights give no such rise
    xp, yp = models.random_drops(10, 0.0, seed=0)
    xq, yq = models.random_drops(200, 0.0, seed=1)
    _, te0 = models.degree_sweep(xp, yp, xq, yq, range(10))
    assert te0[9] < te0[3]


def test_ngram_order_sweep_matches_evaluate():
    from lmlab import lm, ngram, vocab
    text = "the cat sat on the mat. the dog sat on the log. " * 20
    v = vocab.char_vocab(text)
    counts = ngram.NGramCounts.from_text(v, text[:700], max_order=4)
    held = text[700:]
    tr, he = models.ngram_order_sweep(counts, v.encode(text[:300]), v.encode(held), [1, 2, 3], k=0.5)
    for i, n in enumerate([1, 2, 3]):
        model = ngram.NGramModel(v, counts, ngram.NGramConfig(n, "add-k", 0.5))
        assert he[i] == pytest.approx(lm.evaluate(model, held).nats_per_token, rel=1e-10)
        assert tr[i] == pytest.approx(lm.evaluate(model, text[:300]).nats_per_token, rel=1e-10)


@pytest.mark.parametrize("degree, exc", [(-1, ValueError), (2.5, TypeError), (True, TypeError), ("3", TypeError)])
def test_bad_degree(degree, exc):
    with pytest.raises(exc, match="degree"):
        models.poly_fit([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], degree)


def test_bad_data():
    with pytest.raises(ValueError, match="x"):
        models.poly_fit([], [], 1)
    with pytest.raises(ValueError, match="same length"):
        models.fit_basis([1.0, 2.0, 3.0], [1.0, 2.0], "a + b x")
    with pytest.raises(ValueError, match="finite"):
        models.poly_fit([1.0, np.nan], [1.0, 2.0], 1)
    with pytest.raises(ValueError, match="basis"):
        models.fit_basis([1.0, 2.0], [1.0, 2.0], "a + b exp(x)")
    with pytest.raises(ValueError, match="h must be heights"):
        models.fall_time(-1.0)
    with pytest.raises(ValueError, match="noise"):
        models.TowerConfig(noise=-0.1)
    with pytest.raises(ValueError, match="degrees"):
        models.degree_sweep([1.0, 2.0], [1.0, 2.0], [1.0], [1.0], [])
    with pytest.raises(ValueError, match="k"):
        from lmlab import ngram, vocab
        v = vocab.char_vocab("abc")
        models.ngram_order_sweep(ngram.NGramCounts.from_text(v, "abcabc", 2), [0], [1], [1], k=0.0)
