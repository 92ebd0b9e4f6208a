"""Tests of the chapter 9 figures (lmlab.fig.gpt)."""
import math

import numpy as np
import pytest

import lmlab.fig  # noqa: F401
from lmlab.fig import gpt as F


def test_parameter_figure_shares_sum_to_100_and_hover_counts():
    fig = F.parameter_figure({"small": {"embeddings": 30, "attention": 50, "MLP": 20},
                              "big": {"embeddings": 1, "attention": 3, "MLP": 6}})
    shares = np.array([t.x for t in fig.data])
    np.testing.assert_allclose(shares.sum(axis=0), 100)
    np.testing.assert_allclose(fig.data[2].x, [20, 60])
    assert list(fig.data[1].customdata) == [50, 3]
    assert "100" in fig.data[0].y[0]                       # totals in the labels
    with pytest.raises(ValueError):
        F.parameter_figure({})


def test_bits_comparison_sorted_worst_first_in_bits():
    fig = F.bits_comparison_figure({"good": 1.0, "bad": 3.0, "mid": 2.0}, highlight=["good"])
    bar = fig.data[0]
    assert list(bar.y) == ["bad", "mid", "good"]
    np.testing.assert_allclose(bar.x, np.array([3.0, 2.0, 1.0]) / math.log(2))
    assert bar.marker.color[2] != bar.marker.color[0]
    with pytest.raises(ValueError):
        F.bits_comparison_figure({"x": float("nan")})


def test_kv_cache_figure_ms_and_ratio():
    fig = F.kv_cache_figure([10, 20], {"cache": [0.001, 0.001], "no cache": [0.002, 0.004]})
    np.testing.assert_allclose(fig.data[1].y, [2.0, 4.0])
    np.testing.assert_allclose(fig.data[1].customdata, [2.0, 4.0])


def test_samples_figure_slider_shows_one_text():
    fig = F.samples_figure(["T = 0.5", "T = 1"], ["a<b", "c\nd"], prompt="P", active=1)
    assert [t.visible for t in fig.data] == [False, True]
    assert fig.data[1].cells.values[0][0] == "<b>P</b>c<br>d"
    assert fig.data[0].cells.values[0][0] == "<b>P</b>a&lt;b"
    steps = fig.layout.sliders[0].steps
    assert [s.args[0]["visible"] for s in steps] == [[True, False], [False, True]]
    with pytest.raises(ValueError):
        F.samples_figure(["a"], ["x", "y"])
