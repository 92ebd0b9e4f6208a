"""Tests of the Zipf figure (lmlab.fig.zipf): traces, log axes, and buttons that switch
between texts by toggling visibility."""
import numpy as np
import pytest

from lmlab import zipf
from lmlab.fig import zipf as fz


def _zipf_text(n_words, s, seed):
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, n_words + 1) ** s
    return [f"w{i}" for i in rng.choice(n_words, size=20_000, p=p / p.sum())]


def test_sample_ranks():
    r = fz.sample_ranks(10_000, 100)
    assert r[0] == 1 and r[-1] == 10_000 and np.all(np.diff(r) > 0) and len(r) <= 100
    np.testing.assert_array_equal(fz.sample_ranks(5, 100), [1, 2, 3, 4, 5])
    with pytest.raises(ValueError):
        fz.sample_ranks(0)


def test_one_series():
    rf = zipf.rank_frequency(_zipf_text(300, 1.0, 0))
    fit = zipf.fit_zipf(rf, 1, 50)
    fig = fz.rank_frequency_figure({"text": (rf, fit)}, max_points=50)
    data, fitted, c_over_r = fig.data
    r = np.asarray(data.x)
    np.testing.assert_allclose(data.y, rf.freqs[r - 1])
    assert data.customdata[0][0] == rf.words[0]
    np.testing.assert_allclose(fitted.y, fit.predict(np.asarray(fitted.x)))
    np.testing.assert_allclose(np.asarray(c_over_r.y) * np.asarray(c_over_r.x), fit.constant)
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert f"{fit.exponent:.3f}" in fig.layout.title.text
    assert not fig.layout.updatemenus


def test_buttons_switch_between_texts():
    series = {}
    for name, s in (("flat", 0.8), ("steep", 1.2)):
        rf = zipf.rank_frequency(_zipf_text(300, s, 1))
        series[name] = (rf, zipf.fit_zipf(rf, 1, 50))
    fig = fz.rank_frequency_figure(series, active=1)
    assert len(fig.data) == 6
    assert [bool(t.visible) for t in fig.data] == [False] * 3 + [True] * 3
    (menu,) = fig.layout.updatemenus
    assert [b.label for b in menu.buttons] == ["flat", "steep"]
    for j, b in enumerate(menu.buttons):
        vis = b.args[0]["visible"]
        assert len(vis) == len(fig.data) and vis == [i // 3 == j for i in range(6)]
        assert f"{series[b.label][1].exponent:.3f}" in b.args[1]["title.text"]
    with pytest.raises(ValueError):
        fz.rank_frequency_figure({})
    with pytest.raises(TypeError):
        fz.rank_frequency_figure({"x": (1, 2)})
