"""Figures of chapter 8, "Attention".

Pure functions from arrays (attention weights, scores, positional encodings, embedding
vectors) to plotly figures. Nothing here imports torch or runs a model: a chapter computes
the arrays with :mod:`lmlab.attention` or :mod:`lmlab.gpt` and passes them in as numpy
arrays. Interactive figures carry their own plotly buttons or dropdowns over precomputed
arrays, so they work in the static HTML.

Conventions: an attention map ``w[t, s]`` is the weight that the token at position ``t``
(the query, a row, drawn top to bottom) gives to the token at position ``s`` (the key, a
column); each row sums to 1.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import COLORWAY, TEMPLATE
from .tokens import show_token

__all__ = [
    "token_labels", "attention_map_figure", "attention_grid_figure",
    "attention_steps_figure", "positional_encoding_figure", "embedding_figure",
    "softmax_scaling_figure",
]


def _f4(a: np.ndarray) -> np.ndarray:
    """Single precision for the page: plotly writes numpy arrays as typed binary, and
    four bytes per value are plenty for a colour (the page stays small)."""
    return np.asarray(a, dtype=np.float32)


def token_labels(tokens: Sequence[str]) -> list[str]:
    """Unique axis labels for a token sequence: ``"3·l"`` is the token 'l' at position 3
    (plotly merges equal category labels, so the position is part of the label); spaces and
    line breaks are shown as ``␣`` and ``↵``."""
    return [f"{i}·{show_token(t, visible_whitespace=True)}" for i, t in enumerate(tokens)]


def _as_maps(weights: object) -> np.ndarray:
    """Attention weights as a float array (L, H, T, T) from (T, T), (H, T, T) or (L, H, T, T)."""
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim == 2:
        w = w[None, None]
    elif w.ndim == 3:
        w = w[None]
    if w.ndim != 4 or w.shape[-1] != w.shape[-2]:
        raise ValueError("weights must have shape (T, T), (heads, T, T) or (layers, heads, T, T) "
                         f"with square maps, got {np.shape(weights)}")
    if not np.isfinite(w).all() or (w < -1e-9).any():
        raise ValueError("weights must be finite and non-negative (probabilities)")
    return w


def _check_tokens(tokens: Sequence[str], T: int) -> list[str]:
    if isinstance(tokens, str):
        tokens = list(tokens)
    if len(tokens) != T:
        raise ValueError(f"tokens has {len(tokens)} entries but the maps are {T} x {T}")
    return token_labels(tokens)


def _menu_room(fig: go.Figure) -> None:
    """Title at the very top and room for a row of buttons between it and the plot, so that
    neither covers the other at phone width (375 px)."""
    fig.update_layout(title=dict(y=0.985, yref="container", yanchor="top"),
                      margin=dict(t=118))


_HOVER = ("query %{y} gives key %{x}<br>weight %{z:.3f}<extra></extra>")


def _map_layout(fig: go.Figure, T: int, title: str, height: int | None = None) -> None:
    if T > 24:                                  # cell borders would hide small cells
        fig.update_traces(xgap=0, ygap=0)
    fig.update_layout(
        template=TEMPLATE, title=title, height=height or max(420, min(680, 10 * T + 260)),
        xaxis=dict(title="key (attended-to token)", type="category", side="bottom",
                   showgrid=False, tickangle=-90),
        yaxis=dict(title="query (attending token)", type="category", autorange="reversed",
                   showgrid=False),
    )


def attention_map_figure(weights: object, tokens: Sequence[str], title: str = "Attention weights",
                         active: int = 0, layer_names: Sequence[str] | None = None) -> go.Figure:
    """One attention map as a heatmap, with a dropdown over every (layer, head).

    ``weights`` has shape ``(T, T)``, ``(H, T, T)`` or ``(L, H, T, T)``; ``tokens`` are the
    ``T`` tokens (strings). Row ``t`` (the query) is the distribution over keys ``s``; the
    colour is the weight from 0 to 1 on a fixed scale, so maps of different heads compare.
    The dropdown (one entry per head, ``"layer 1, head 2"``) swaps the precomputed map
    in; ``active`` is the index of the map shown first (layer-major order).
    """
    w = _as_maps(weights)
    L, H, T, _ = w.shape
    labels = _check_tokens(tokens, T)
    names = list(layer_names) if layer_names is not None else [f"layer {i + 1}" for i in range(L)]
    if len(names) != L:
        raise ValueError(f"layer_names has {len(names)} entries for {L} layers")
    entries = [(f"{names[i]}, head {h + 1}" if H > 1 else names[i], _f4(w[i, h]))
               for i in range(L) for h in range(H)]
    if not 0 <= active < len(entries):
        raise ValueError(f"active={active} outside 0..{len(entries) - 1}")
    fig = go.Figure(go.Heatmap(x=labels, y=labels, z=entries[active][1], zmin=0, zmax=1,
                               colorscale="Viridis", hovertemplate=_HOVER, xgap=1, ygap=1,
                               colorbar=dict(title=dict(text="weight"), thickness=12)))
    _map_layout(fig, T, title)
    if len(entries) > 1:
        _menu_room(fig)
        fig.update_layout(
            updatemenus=[dict(
                type="dropdown", direction="down", x=0.0, xanchor="left", y=1.0,
                yanchor="bottom", pad=dict(b=12), active=active, showactive=True,
                buttons=[dict(label=name, method="restyle", args=[{"z": [m]}, [0]])
                         for name, m in entries])])
    return fig


def attention_grid_figure(weights: object, tokens: Sequence[str] | None = None,
                          title: str = "Every head of every layer",
                          layer_names: Sequence[str] | None = None) -> go.Figure:
    """Small multiples: one thumbnail per head (columns) and layer (rows), all on one colour
    scale from 0 to 1. Meant for seeing the *kinds* of pattern (the diagonal, the previous
    token, the first token) at a glance; hover names the tokens when ``tokens`` is given."""
    w = _as_maps(weights)
    L, H, T, _ = w.shape
    labels = _check_tokens(tokens, T) if tokens is not None else [str(i) for i in range(T)]
    names = list(layer_names) if layer_names is not None else [f"layer {i + 1}" for i in range(L)]
    if len(names) != L:
        raise ValueError(f"layer_names has {len(names)} entries for {L} layers")
    fig = make_subplots(rows=L, cols=H, horizontal_spacing=0.02, vertical_spacing=0.03,
                        column_titles=[f"head {h + 1}" for h in range(H)], row_titles=names)
    for i in range(L):
        for h in range(H):
            fig.add_trace(go.Heatmap(
                x=labels, y=labels, z=_f4(w[i, h]), zmin=0, zmax=1, coloraxis="coloraxis",
                hovertemplate=f"{names[i]}, head {h + 1}<br>" + _HOVER), row=i + 1, col=h + 1)
    fig.update_xaxes(showticklabels=False, showgrid=False, type="category", ticks="")
    fig.update_yaxes(showticklabels=False, showgrid=False, type="category", ticks="",
                     autorange="reversed")
    fig.update_layout(template=TEMPLATE, title=title, height=max(360, 130 * L + 110),
                      coloraxis=dict(colorscale="Viridis", cmin=0, cmax=1,
                                     colorbar=dict(title=dict(text="weight"), thickness=12)),
                      margin=dict(l=24, r=48, t=88, b=24))
    return fig


def attention_steps_figure(scores: object, tokens: Sequence[str],
                           title: str = "From scores to attention weights") -> go.Figure:
    """The three steps of causal attention for one head, behind three buttons.

    ``scores[t, s]`` is the scaled dot product ``q_t · k_s / sqrt(d)`` (shape ``(T, T)``).
    Buttons show (1) the scores, (2) the scores with the future (``s > t``) masked out
    (blank cells: minus infinity) and (3) the softmax of each masked row, the attention
    weights (each row sums to 1).
    """
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim != 2 or s.shape[0] != s.shape[1] or not np.isfinite(s).all():
        raise ValueError(f"scores must be a finite square (T, T) array, got shape {s.shape}")
    T = s.shape[0]
    labels = _check_tokens(tokens, T)
    future = np.triu(np.ones((T, T), dtype=bool), k=1)
    masked = np.where(future, np.nan, s)
    e = np.where(future, 0.0, np.exp(s - np.where(future, -np.inf, s).max(axis=1, keepdims=True)))
    weights = e / e.sum(axis=1, keepdims=True)
    weights = np.where(future, np.nan, weights)
    lim = float(np.abs(s).max()) or 1.0
    views = [
        ("1 scores", _f4(s), "RdBu", -lim, lim, "score"),
        ("2 masked", _f4(masked), "RdBu", -lim, lim, "score"),
        ("3 softmax", _f4(weights), "Viridis", 0.0, 1.0, "weight"),
    ]
    fig = go.Figure(go.Heatmap(
        x=labels, y=labels, z=views[2][1], colorscale="Viridis", zmin=0, zmax=1, xgap=1, ygap=1,
        hoverongaps=False, colorbar=dict(title=dict(text="weight"), thickness=12),
        hovertemplate="query %{y}, key %{x}<br>%{z:.3f}<extra></extra>"))
    _map_layout(fig, T, title)
    _menu_room(fig)
    fig.update_layout(
        updatemenus=[dict(
            type="buttons", direction="right", x=0.0, xanchor="left", y=1.0, yanchor="bottom",
            pad=dict(b=12), active=2, showactive=True,
            buttons=[dict(label=name, method="restyle",
                          args=[{"z": [z], "colorscale": [cs], "zmin": [lo], "zmax": [hi],
                                 "colorbar.title.text": [unit]}, [0]])
                     for name, z, cs, lo, hi, unit in views])])
    return fig


def positional_encoding_figure(encoding: object, title: str = "Sinusoidal positional encoding",
                               n_positions_shown: int | None = None) -> go.Figure:
    """The positional encoding ``PE[pos, j]`` as a heatmap (position down, dimension
    across), and, behind a second button, the dot products ``PE[p] · PE[q]`` of every pair
    of positions (for the sinusoidal encoding they depend on ``p - q`` only: constant along
    each diagonal)."""
    pe = np.asarray(encoding, dtype=np.float64)
    if pe.ndim != 2 or not np.isfinite(pe).all():
        raise ValueError(f"encoding must be a finite 2-D array (positions, dims), got shape {pe.shape}")
    if n_positions_shown is not None:
        pe = pe[:n_positions_shown]
    P, D = pe.shape
    dots = pe @ pe.T
    pe, dots = _f4(pe), _f4(dots)
    lim = float(np.abs(pe).max()) or 1.0
    dlim = float(np.abs(dots).max()) or 1.0
    fig = go.Figure(go.Heatmap(
        z=pe, x=np.arange(D), y=np.arange(P), colorscale="RdBu", zmin=-lim, zmax=lim,
        colorbar=dict(title=dict(text="value"), thickness=12),
        hovertemplate="position %{y}, dimension %{x}<br>value %{z:.3f}<extra></extra>"))
    axes_pe = {"xaxis.title.text": "dimension j", "yaxis.title.text": "position"}
    axes_dot = {"xaxis.title.text": "position q", "yaxis.title.text": "position p"}
    fig.update_layout(
        template=TEMPLATE, title=title, height=480,
        xaxis=dict(title="dimension j", showgrid=False),
        yaxis=dict(title="position", autorange="reversed", showgrid=False),
        updatemenus=[dict(
            type="buttons", direction="right", x=0.0, xanchor="left", y=1.0, yanchor="bottom",
            pad=dict(b=12), active=0, showactive=True,
            buttons=[
                dict(label="encoding", method="update",
                     args=[{"z": [pe], "x": [np.arange(D)], "zmin": [-lim], "zmax": [lim],
                            "hovertemplate": ["position %{y}, dimension %{x}<br>"
                                              "value %{z:.3f}<extra></extra>"]}, axes_pe, [0]]),
                dict(label="dot products", method="update",
                     args=[{"z": [dots], "x": [np.arange(P)], "zmin": [-dlim], "zmax": [dlim],
                            "hovertemplate": ["PE[%{y}] · PE[%{x}] = %{z:.2f}<extra></extra>"]},
                           axes_dot, [0]]),
            ])])
    _menu_room(fig)
    return fig


def embedding_figure(tokens: Sequence[str], token_vectors: object, position_vectors: object,
                     title: str = "What the first block sees: token + position",
                     dims_shown: int | None = None) -> go.Figure:
    """The input vectors of a transformer for one token sequence, as heatmaps (one row per
    position, one column per embedding dimension), behind three buttons: the token
    embedding, the position embedding, and their sum (what the first block receives)."""
    tv = np.asarray(token_vectors, dtype=np.float64)
    pv = np.asarray(position_vectors, dtype=np.float64)
    if tv.ndim != 2 or tv.shape != pv.shape:
        raise ValueError("token_vectors and position_vectors must be 2-D of the same shape "
                         f"(T, d), got {tv.shape} and {pv.shape}")
    T, D = tv.shape
    labels = _check_tokens(tokens, T)
    if dims_shown is not None:
        tv, pv, D = tv[:, :dims_shown], pv[:, :dims_shown], min(D, dims_shown)
    views = [("token", _f4(tv)), ("position", _f4(pv)), ("sum", _f4(tv + pv))]
    lim = float(max(np.abs(v).max() for _, v in views)) or 1.0
    fig = go.Figure(go.Heatmap(
        z=views[2][1], x=np.arange(D), y=labels, colorscale="RdBu", zmin=-lim, zmax=lim,
        colorbar=dict(title=dict(text="value"), thickness=12),
        hovertemplate="%{y}, dimension %{x}<br>value %{z:.3f}<extra></extra>"))
    fig.update_layout(
        template=TEMPLATE, title=title, height=max(420, min(760, 7 * T + 220)),
        xaxis=dict(title="embedding dimension", showgrid=False),
        yaxis=dict(title="position · token", type="category", autorange="reversed",
                   showgrid=False),
        updatemenus=[dict(
            type="buttons", direction="right", x=0.0, xanchor="left", y=1.0, yanchor="bottom",
            pad=dict(b=12), active=2, showactive=True,
            buttons=[dict(label=name, method="restyle", args=[{"z": [z]}, [0]])
                     for name, z in views])])
    _menu_room(fig)
    return fig


def softmax_scaling_figure(dims: Sequence[int], entropy: Mapping[str, Sequence[float]],
                           max_entropy: float | None = None,
                           title: str = "Why divide by √d: spread of the attention weights"
                           ) -> go.Figure:
    """Mean entropy (nats) of the attention weights against the head width ``d``, one line
    per scoring rule (e.g. ``{"q·k/√d": ..., "q·k": ...}``), with the uniform maximum
    ``ln T`` dashed. Log-scaled ``d`` axis."""
    d = np.asarray(dims, dtype=np.float64)
    if d.ndim != 1 or (d <= 0).any():
        raise ValueError("dims must be a 1-D sequence of positive widths")
    fig = go.Figure()
    for i, (name, ys) in enumerate(entropy.items()):
        y = np.asarray(ys, dtype=np.float64)
        if y.shape != d.shape:
            raise ValueError(f"entropy[{name!r}] has {y.shape} values for {d.shape} widths")
        fig.add_trace(go.Scatter(x=d, y=y, mode="lines+markers", name=name,
                                 line=dict(color=COLORWAY[i % len(COLORWAY)]),
                                 hovertemplate=f"{name}<br>d = %{{x:.0f}}: %{{y:.3f}} nats"
                                               "<extra></extra>"))
    if max_entropy is not None:
        fig.add_hline(y=max_entropy, line=dict(dash="dash", color="#777"),
                      annotation_text="uniform (ln T)", annotation_position="bottom right")
    fig.update_layout(template=TEMPLATE, title=title, height=420,
                      xaxis=dict(title="head width d", type="log"),
                      yaxis=dict(title="entropy of the weights (nats)", rangemode="tozero"),
                      legend=dict(orientation="h", y=-0.25, x=0))
    return fig

