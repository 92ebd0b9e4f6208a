"""Tests of the chapter 1 figures (lmlab.fig.sampling): expected traces, labelled axes,
and slider steps that reference existing traces and change their data."""
import numpy as np
import plotly.graph_objects as go
import pytest

from lmlab import sampling
from lmlab.fig import sampling as fs


def _axis_titles(fig):
    return fig.layout.xaxis.title.text, fig.layout.yaxis.title.text


def _check_slider(fig, attr="y"):
    """Every step references existing traces; consecutive steps differ in ``attr``."""
    (slider,) = fig.layout.sliders
    n = len(fig.data)
    values = []
    for step in slider.steps:
        data, traces = step.args[0], step.args[-1]
        assert all(0 <= t < n for t in traces)
        assert attr in data and len(data[attr]) == len(traces)
        values.append(data[attr])
    assert len(values) >= 2
    for a, b in zip(values, values[1:]):
        assert any(not np.array_equal(np.asarray(x, dtype=object), np.asarray(y, dtype=object))
                   for x, y in zip(a, b))
    return slider


def test_next_token_bars():
    fig = fs.next_token_figure(["be", "<unk>", "the"], [0.5, 0.2, 0.1], rest=0.2, context="to")
    assert isinstance(fig, go.Figure) and len(fig.data) == 2
    assert list(fig.data[0].x) == ["be", "&lt;unk&gt;", "the"]
    np.testing.assert_allclose(fig.data[0].y, [0.5, 0.2, 0.1])
    assert fig.data[1].y == (0.2,)
    assert all(_axis_titles(fig)) and fig.layout.title.text
    assert "p = " in fig.data[0].hovertemplate
    assert len(fs.next_token_figure(["a"], [1.0]).data) == 1
    with pytest.raises(ValueError):
        fs.next_token_figure(["a", "b"], [1.0])
    with pytest.raises(ValueError):
        fs.next_token_figure(["a"], [1.5])


def test_temperature_bars_slider_steps_are_softmax():
    z = np.log(np.array([0.5, 0.3, 0.15, 0.05]))
    temps = np.geomspace(0.1, 10, 5)
    P = np.array([sampling.softmax(z, t) for t in temps])
    fig = fs.temperature_figure(list("abc"), P[:, :3], temps, rest_by_t=P[:, 3],
                              entropies=[sampling.entropy(p) for p in P], context="x")
    assert len(fig.data) == 2 and all(_axis_titles(fig))
    slider = _check_slider(fig)
    assert len(slider.steps) == 5 and slider.active == 2        # T = 1 shown first
    np.testing.assert_allclose(fig.data[0].y, P[2, :3])
    for j, step in enumerate(slider.steps):
        np.testing.assert_allclose(step.args[0]["y"][0], P[j, :3])
        np.testing.assert_allclose(step.args[0]["y"][1], [P[j, 3]])
        assert "entropy" in step.args[1]["title.text"]
    with pytest.raises(ValueError):
        fs.temperature_figure(list("ab"), P[:, :3], temps)


def test_entropy_vs_temperature():
    z = np.log(np.array([0.7, 0.2, 0.1]))
    t = np.geomspace(0.1, 100, 20)
    fig = fs.entropy_temperature_figure(t, {"ctx": sampling.temperature_entropy(z, t)},
                                    limit=np.log(3), mark=0.8)
    assert len(fig.data) == 2 and fig.layout.xaxis.type == "log" and all(_axis_titles(fig))
    np.testing.assert_allclose(fig.data[0].y, sampling.temperature_entropy(z, t))
    assert fig.data[1].y == (np.log(3), np.log(3))
    assert len(fig.layout.shapes) == 1 and fig.layout.shapes[0].x0 == 0.8
    with pytest.raises(ValueError):
        fs.entropy_temperature_figure(t, {"ctx": [1.0, 2.0]})


def test_repetition_vs_temperature():
    t = [0.1, 0.5, 1.0]
    runs = np.array([[0.6, 0.1, 0.0], [0.4, 0.0, 0.0]])
    fig = fs.repetition_temperature_figure(t, runs, greedy_share=0.8)
    assert [tr.name for tr in fig.data] == ["one text", "mean", "greedy (T → 0)"]
    np.testing.assert_allclose(fig.data[1].y, [0.5, 0.05, 0.0])
    assert len(fig.data[0].x) == 6 and all(_axis_titles(fig))
    assert len(fs.repetition_temperature_figure(t, runs[0]).data) == 1
    with pytest.raises(ValueError):
        fs.repetition_temperature_figure(t, [0.1, 0.2])


def test_top_k_mass():
    p = np.sort(np.random.default_rng(0).dirichlet(np.ones(500)))[::-1]
    fig = fs.top_k_mass_figure({"ctx": np.cumsum(p)}, mark=200)
    (tr,) = fig.data
    assert tr.x[0] == 1 and tr.x[-1] == 500
    np.testing.assert_allclose(tr.y, np.cumsum(p)[np.asarray(tr.x) - 1])
    assert fig.layout.xaxis.type == "log" and all(_axis_titles(fig))
    assert "500" in fig.layout.xaxis.title.text


def test_text_steps_toggle_visibility():
    rows = [["aa", "ab"], ["ba", "bb"], ["ca", "<unk> cb"]]
    fig = fs.text_steps_figure(["greedy", "T = 1", "T = 2"], rows, ["seed 0", "seed 1"], active=1)
    assert len(fig.data) == 3 and all(isinstance(t, go.Table) for t in fig.data)
    assert [t.visible for t in fig.data] == [False, True, False]
    assert list(fig.data[2].cells.values[1]) == ["ca", "&lt;unk&gt; cb"]
    slider = _check_slider(fig, "visible")
    for j, step in enumerate(slider.steps):
        assert step.args[0]["visible"] == [i == j for i in range(3)]
    with pytest.raises(ValueError):
        fs.text_steps_figure(["a"], rows, ["seed 0", "seed 1"])
