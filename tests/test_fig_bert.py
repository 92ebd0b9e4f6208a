"""Tests of the chapter 10 figures (lmlab.fig.bert)."""
import numpy as np
import pytest

import lmlab.fig  # noqa: F401
from lmlab.fig import bert as F


def test_layer_similarity_one_line_per_pair():
    fig = F.layer_similarity_figure({"bank: same": [1, 0.9, 0.8], "bank: <different>": [0.99, 0.7, 0.6]})
    assert len(fig.data) == 2
    np.testing.assert_allclose(fig.data[1].y, [0.99, 0.7, 0.6])
    assert list(fig.data[0].x) == [0, 1, 2]
    assert "&lt;different&gt;" in fig.data[1].name               # names are escaped
    with pytest.raises(ValueError, match="same number of layers"):
        F.layer_similarity_figure({"a": [1, 0.5], "b": [1, 0.5, 0.2]})
    with pytest.raises(ValueError, match=r"must lie in \[-1, 1\]"):
        F.layer_similarity_figure({"a": [1, 1.5]})


def test_similarity_heatmap_labels_and_hover():
    m = np.array([[1, 0.2], [0.2, 1.0]])
    fig = F.similarity_heatmap_figure(m, ["The cat sat on the mat and slept all day long.", "A dog."])
    hm = fig.data[0]
    assert hm.y[0].startswith("1. The cat") and hm.y[0].endswith("…") and hm.y[1] == "2. A dog."
    assert list(hm.x) == ["1", "2"] and hm.zmin == 0
    assert "A dog." in hm.customdata[0][1] and "slept all day long" in hm.customdata[0][1]
    with pytest.raises(ValueError, match="one sentence per row"):
        F.similarity_heatmap_figure(m, ["only one"])


def test_fill_in_buttons_switch_sentences():
    fig = F.fill_in_figure(["a [MASK] b", "c [MASK]"], [[("x", 0.5), ("y", 0.2)], [("z", 0.9)]])
    assert list(fig.data[0].y) == ["x", "y"] and list(fig.data[0].x) == [0.5, 0.2]
    buttons = fig.layout.updatemenus[0].buttons
    assert len(buttons) == 2 and buttons[1].args[0]["y"] == [["z"]]
    assert buttons[1].args[1]["title.text"] == "c [MASK]"
    with pytest.raises(ValueError, match="one candidate list per sentence"):
        F.fill_in_figure(["a"], [])
    with pytest.raises(ValueError, match="must lie in"):
        F.fill_in_figure(["a"], [[("x", 1.5)]])


def test_masking_html_marks_the_three_kinds():
    h = F.masking_html(["to", "be", "or", "<not>"], ["to", "[MASK]", "cat", "<not>"], [False, True, True, True])
    assert h.count('title="not scored"') == 1
    assert 'title="[MASK]"' in h and 'title="random"' in h and 'title="same"' in h
    assert "&lt;not&gt;" in h and "<not>" not in h
    with pytest.raises(ValueError):
        F.masking_html(["a"], ["a", "b"], [True])
