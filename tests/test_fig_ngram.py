"""Tests of the chapter 2 figures (lmlab.fig.ngram): traces, axis titles, hover text,
and that every slider step or button changes the trace data (x, y, z or visible)."""
import math

import numpy as np
import plotly.graph_objects as go
import pytest

import lmlab.fig  # noqa: F401  (registers the house template)
from lmlab.fig import ngram as F
from lmlab.fig.tokens import show_token
from lmlab.ngram import NGramCounts
from lmlab.vocab import char_vocab

LN2 = math.log(2)


def _title(axis):
    return axis.title.text


def _menu_steps(fig):
    steps = []
    for s in fig.layout.sliders:
        steps += list(s.steps)
    for m in fig.layout.updatemenus:
        steps += list(m.buttons)
    return steps


def test_letter_frequency_sorted_with_hover():
    fig = F.letter_frequency_figure([" ", "a", "b"], [5, 20, 75])
    bar = fig.data[0]
    assert list(bar.x) == ["b", "a", "␣"]
    np.testing.assert_allclose(bar.y, [75, 20, 5])          # percent of 100 characters
    assert "times" in bar.hovertemplate
    assert _title(fig.layout.xaxis) and "%" in _title(fig.layout.yaxis)
    assert fig.layout.title.text
    with pytest.raises(ValueError):
        F.letter_frequency_figure(["a", "b"], [1, 2, 3])
    with pytest.raises(ValueError):
        F.letter_frequency_figure(["a"], [0])


@pytest.fixture(scope="module")
def small_pairs():
    text = "the quick brown fox jumps over the lazy dog quietly " * 3
    v = char_vocab(text)
    return v, NGramCounts.from_text(v, text, 2).matrix()


def test_bigram_heatmap_orientation_and_buttons(small_pairs):
    v, m = small_pairs
    fig = F.bigram_heatmap_figure(v.symbols, m)
    hm = fig.data[0]
    assert isinstance(hm, go.Heatmap)
    q, u = v.index["q"], v.index["u"]
    # x = first letter (columns), y = second letter (rows)
    assert list(hm.x) == [show_token(s, visible_whitespace=True) for s in v.symbols] == list(hm.y)
    z = np.array(hm.z, dtype=float)
    assert z[u, q] == pytest.approx(math.log10(m[q, u]))
    assert np.isnan(z[v.index["a"], q])                      # 'q' never followed by 'a'
    assert np.array(hm.customdata)[u, q, 0] == m[q, u]
    assert np.array(hm.customdata)[u, q, 1] == pytest.approx(1.0)   # p(u | q) = 1 here
    assert "followed by" in hm.hovertemplate and "times" in hm.hovertemplate
    assert _title(fig.layout.xaxis) == "first letter"
    assert "second" in _title(fig.layout.yaxis)
    buttons = fig.layout.updatemenus[0].buttons
    assert len(buttons) == 2
    z_prob = np.array(buttons[1].args[0]["z"][0], dtype=float)
    col = m[q].sum()
    assert z_prob[u, q] == pytest.approx(math.log10(m[q, u] / col))
    assert not np.array_equal(np.nan_to_num(z_prob), np.nan_to_num(z))   # the step changes z
    assert list(buttons[1].args[1]) == [0]
    with pytest.raises(ValueError):
        F.bigram_heatmap_figure(v.symbols[:-1], m)


def test_generation_figure_slider_toggles_one_table():
    texts = ["aaa", "b <unk>\nc", "x" * 200]
    fig = F.generation_figure([1, 2, 3], texts, bits=[4.0, 3.0, 2.5], active=1, width=50)
    assert len(fig.data) == 3 and all(isinstance(t, go.Table) for t in fig.data)
    assert [t.visible for t in fig.data] == [False, True, False]
    assert "&lt;unk&gt;" in fig.data[1].cells.values[0][0]
    assert max(len(line) for line in fig.data[2].cells.values[0][0].split("<br>")) <= 50
    assert "3.00 bits" in fig.data[1].header.values[0]
    (slider,) = fig.layout.sliders
    assert len(slider.steps) == 3 and slider.active == 1
    for i, step in enumerate(slider.steps):
        vis = step.args[0]["visible"]
        traces = step.args[1]
        assert all(0 <= t < len(fig.data) for t in traces)
        assert [vis[traces.index(j)] for j in range(3)] == [j == i for j in range(3)]
    with pytest.raises(ValueError):
        F.generation_figure([1, 2], ["a"])


def test_cross_entropy_figure_bits_nats_buttons():
    nats = np.array([3.0, 2.5, 2.0])
    fig = F.cross_entropy_figure({"KN": ([1, 2, 3], nats)}, baselines={"uniform": 4.0})
    assert len(fig.data) == 2
    np.testing.assert_allclose(fig.data[0].y, nats / LN2)
    np.testing.assert_allclose(fig.data[1].y, [4.0 / LN2] * 2)
    assert "bits" in _title(fig.layout.yaxis) and _title(fig.layout.xaxis)
    bits_b, nats_b = fig.layout.updatemenus[0].buttons
    assert nats_b.method == "update"
    np.testing.assert_allclose(nats_b.args[0]["y"][0], nats)
    assert nats_b.args[1]["yaxis.title.text"].startswith("nats")
    assert list(nats_b.args[2]) == [0, 1]
    np.testing.assert_allclose(bits_b.args[0]["y"][0], nats / LN2)
    assert "perplexity" in fig.data[0].hovertemplate
    with pytest.raises(ValueError):
        F.cross_entropy_figure({})
    with pytest.raises(ValueError):
        F.cross_entropy_figure({"x": ([1, 2], [1.0])})


def test_unseen_fraction_figure():
    fig = F.unseen_fraction_figure({"characters": ([1, 2, 3], [0.0, 0.1, 0.5])})
    np.testing.assert_allclose(fig.data[0].y, [0, 10, 50])
    assert _title(fig.layout.xaxis) and "%" in _title(fig.layout.yaxis)
    assert "never occur" in fig.data[0].hovertemplate
    with pytest.raises(ValueError):
        F.unseen_fraction_figure({"c": ([1], [1.5])})


def test_learning_curve_figure():
    fig = F.learning_curve_figure([0, 1, 10], [4.0, 3.0, 2.5], 2.49, train_loss=[3.5] * 10)
    np.testing.assert_allclose(fig.data[0].x, np.arange(1, 10))   # loss after 1..9 steps
    names = [t.name for t in fig.data]
    assert names[0] == "training loss" and len(fig.data) == 3
    held = fig.data[1]
    np.testing.assert_allclose(held.x, [1, 10])                 # step 0 is off the log axis
    np.testing.assert_allclose(held.y, np.array([3.0, 2.5]) / LN2)
    np.testing.assert_allclose(fig.data[2].y, [2.49 / LN2] * 2)
    assert fig.layout.xaxis.type == "log" and _title(fig.layout.yaxis)
    with pytest.raises(ValueError):
        F.learning_curve_figure([0], [4.0], 2.0)


def test_explosion_figure_log_panels():
    panel = {"possible": ([1, 2], [10.0, 100.0]), "seen": ([1, 2], [10.0, 50.0])}
    fig = F.explosion_figure({"chars": panel, "words": panel})
    assert len(fig.data) == 4
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis2.type == "log"
    assert [t.showlegend for t in fig.data] == [True, True, False, False]
    assert fig.data[0].line.color == fig.data[2].line.color
    assert _title(fig.layout.xaxis) == "n" and _title(fig.layout.yaxis)


def test_figures_serialise():
    fig = F.generation_figure([1], ["abc"])
    assert '"type":"table"' in fig.to_json().replace(" ", "")
