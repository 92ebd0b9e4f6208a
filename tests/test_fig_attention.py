"""Tests of the chapter 8 figures (lmlab.fig.attention): orientation, shapes, hover text,
that every button or dropdown entry swaps in the precomputed data, and clear errors."""
import numpy as np
import pytest

import lmlab.fig  # noqa: F401  (registers the house template)
from lmlab.fig import attention as F


def _maps(L=2, H=3, T=5, seed=0):
    return np.random.default_rng(seed).dirichlet(np.ones(T), size=(L, H, T))


def test_token_labels_are_unique_and_visible():
    assert F.token_labels("a a\n") == ["0·a", "1·␣", "2·a", "3·↵"]


def test_attention_map_dropdown_has_every_head_and_swaps_maps():
    w = _maps()
    fig = F.attention_map_figure(w, "hello", active=4)
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons][:4] == ["layer 1, head 1", "layer 1, head 2",
                                              "layer 1, head 3", "layer 2, head 1"]
    assert len(buttons) == 6
    np.testing.assert_allclose(fig.data[0].z, w[1, 1])              # active = layer 2, head 2
    for i, b in enumerate(buttons):
        np.testing.assert_allclose(b.args[0]["z"][0], w[i // 3, i % 3], rtol=1e-6)
    assert list(fig.data[0].x) == F.token_labels("hello") == list(fig.data[0].y)
    assert fig.layout.yaxis.autorange == "reversed"                 # query 0 on top
    assert "query" in fig.data[0].hovertemplate and "key" in fig.data[0].hovertemplate
    assert (fig.data[0].zmin, fig.data[0].zmax) == (0, 1)


def test_single_map_has_no_menu_and_errors_are_clear():
    fig = F.attention_map_figure(_maps()[0, 0], "hello")
    assert not fig.layout.updatemenus
    with pytest.raises(ValueError, match="tokens"):
        F.attention_map_figure(_maps(), "hell")
    with pytest.raises(ValueError, match="square"):
        F.attention_map_figure(np.ones((2, 3)), "ab")
    with pytest.raises(ValueError, match="active"):
        F.attention_map_figure(_maps(), "hello", active=6)
    with pytest.raises(ValueError, match="non-negative"):
        F.attention_map_figure(-np.ones((2, 2)), "ab")


def test_attention_grid_one_panel_per_head():
    w = _maps(L=2, H=3)
    fig = F.attention_grid_figure(w, "hello")
    assert len(fig.data) == 6
    np.testing.assert_allclose(fig.data[4].z, w[1, 1], rtol=1e-6)
    assert all(t.coloraxis == "coloraxis" for t in fig.data)        # one colour scale
    assert "layer 2, head 2" in fig.data[4].hovertemplate


def test_attention_steps_masks_the_future_and_normalises():
    s = np.random.default_rng(1).normal(size=(4, 4))
    fig = F.attention_steps_figure(s, "abcd")
    buttons = fig.layout.updatemenus[0].buttons
    assert len(buttons) == 3
    raw, masked, weights = (np.asarray(b.args[0]["z"][0], dtype=float) for b in buttons)
    np.testing.assert_allclose(raw, s, rtol=1e-6)
    assert np.isnan(masked[np.triu_indices(4, 1)]).all()
    np.testing.assert_allclose(masked[np.tril_indices(4)], s[np.tril_indices(4)], rtol=1e-6)
    np.testing.assert_allclose(np.nansum(weights, axis=1), 1.0, rtol=1e-6)
    # row 2: softmax of its first three scores
    e = np.exp(s[2, :3] - s[2, :3].max())
    np.testing.assert_allclose(weights[2, :3], e / e.sum(), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(fig.data[0].z, dtype=float)[~np.isnan(weights)],
                               weights[~np.isnan(weights)])


def test_positional_encoding_figure_buttons():
    pe = np.random.default_rng(2).normal(size=(10, 6))
    fig = F.positional_encoding_figure(pe)
    enc, dots = fig.layout.updatemenus[0].buttons
    np.testing.assert_allclose(enc.args[0]["z"][0], pe, rtol=1e-6)
    np.testing.assert_allclose(dots.args[0]["z"][0], pe @ pe.T, rtol=1e-6)
    assert dots.args[1]["xaxis.title.text"] == "position q"
    with pytest.raises(ValueError):
        F.positional_encoding_figure(np.ones(5))


def test_embedding_figure_sum_view():
    tv, pv = np.ones((3, 4)), np.arange(12.0).reshape(3, 4)
    fig = F.embedding_figure("abc", tv, pv)
    labels = [b.label for b in fig.layout.updatemenus[0].buttons]
    assert labels == ["token", "position", "sum"]
    np.testing.assert_allclose(fig.data[0].z, tv + pv, rtol=1e-6)
    with pytest.raises(ValueError, match="same shape"):
        F.embedding_figure("abc", tv, pv[:2])


def test_softmax_scaling_figure():
    fig = F.softmax_scaling_figure([1, 4, 16], {"scaled": [3, 3, 3], "raw": [3, 2, 1]}, 4.16)
    assert [t.name for t in fig.data] == ["scaled", "raw"]
    assert fig.layout.xaxis.type == "log"
    with pytest.raises(ValueError):
        F.softmax_scaling_figure([1, 4], {"a": [1, 2, 3]})
