"""Figures of chapter 10, "BERT".

Pure functions from arrays and lists (cosines per layer, similarity matrices, fill-in
candidates, masked batches) to plotly figures or HTML. Nothing here imports torch or runs a
model: the chapter computes with :mod:`lmlab.bert` and passes the results in. Attention maps
use :func:`lmlab.fig.attention.attention_map_figure`; learning curves
:func:`lmlab.fig.training.loss_curve_figure`. Interactive figures carry their own plotly
buttons over precomputed data, so they work in the static HTML.
"""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from . import COLORWAY, TEMPLATE, as_vector
from .sampling import set_title
from .tokens import show_token

__all__ = ["layer_similarity_figure", "similarity_heatmap_figure", "fill_in_figure",
           "short_label", "masking_html"]


def short_label(text: str, width: int = 22) -> str:
    """``text`` cut to ``width`` characters with an ellipsis (axis labels that fit a phone)."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def layer_similarity_figure(cosines: Mapping[str, Sequence[float]],
                            title: str = "One word in two contexts, layer by layer",
                            height: int = 400) -> go.Figure:
    """Cosine similarity of a word's vectors in two contexts at each layer (0 = the
    embeddings), one line per pair: ``cosines`` maps a name (``"crane: bird vs machine"``)
    to ``n_layer + 1`` values in [-1, 1]."""
    if not isinstance(cosines, Mapping) or not cosines:
        raise TypeError("cosines must be a non-empty dict {name: cosines per layer}")
    fig = go.Figure()
    n = None
    for i, (name, values) in enumerate(cosines.items()):
        v = as_vector(f"cosines[{name!r}]", values)
        if n is not None and len(v) != n:
            raise ValueError(f"every entry needs the same number of layers; {name!r} has {len(v)}, not {n}")
        if (np.abs(v) > 1 + 1e-6).any():
            raise ValueError(f"cosines[{name!r}] must lie in [-1, 1]")
        n = len(v)
        fig.add_trace(go.Scatter(x=np.arange(n), y=v, name=html.escape(name), mode="lines+markers",
                                 line=dict(color=COLORWAY[i % len(COLORWAY)], width=2),
                                 hovertemplate=f"{html.escape(name)}<br>layer %{{x}}: cosine %{{y:.3f}}<extra></extra>"))
    fig.update_layout(template=TEMPLATE, height=height,
                      xaxis=dict(title="layer (0 = embeddings)", dtick=1),
                      yaxis=dict(title="cosine similarity"),
                      legend=dict(orientation="h", x=0, y=-0.22, yanchor="top"),
                      margin=dict(b=110))
    return set_title(fig, title)


def similarity_heatmap_figure(matrix: object, sentences: Sequence[str],
                              title: str = "Sentence similarity (cosine of embeddings)",
                              height: int = 520) -> go.Figure:
    """An ``N x N`` similarity matrix as a heatmap. The rows are labelled by the sentences'
    numbers and first words (:func:`short_label`), the columns by the numbers alone (they
    fit a phone); hover gives both sentences in full. The colour scale starts at 0, or at
    the lowest cosine rounded down to a tenth when one is negative."""
    m = np.asarray(matrix, dtype=np.float64)
    sentences = [str(s) for s in sentences]
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] != len(sentences) or not len(m):
        raise ValueError(f"matrix must be N x N with one sentence per row; got shape {m.shape} "
                         f"and {len(sentences)} sentences")
    if not np.isfinite(m).all():
        raise ValueError("matrix must be finite")
    labels = [f"{i + 1}. {html.escape(short_label(s, 16))}" for i, s in enumerate(sentences)]
    full = [html.escape(s) for s in sentences]
    hover = np.array([[f"{full[i]}<br>{full[j]}" for j in range(len(m))] for i in range(len(m))])
    numbers = [str(i + 1) for i in range(len(m))]
    fig = go.Figure(go.Heatmap(
        x=numbers, y=labels, z=m.astype(np.float32), zmin=min(0.0, np.floor(m.min() * 10) / 10), zmax=1,
        colorscale="Viridis", customdata=hover, xgap=1, ygap=1,
        hovertemplate="%{customdata}<br>cosine %{z:.3f}<extra></extra>",
        colorbar=dict(title=dict(text="cosine"), thickness=12)))
    fig.update_layout(template=TEMPLATE, height=height,
                      xaxis=dict(type="category", tickangle=0, showgrid=False, title="sentence"),
                      yaxis=dict(type="category", autorange="reversed", showgrid=False),
                      margin=dict(l=10, r=10, b=10))
    return set_title(fig, title)


def fill_in_figure(sentences: Sequence[str], candidates: Sequence[Sequence[tuple[str, float]]],
                   title: str = "Filling in the blank", active: int = 0,
                   height: int = 420) -> go.Figure:
    """The top candidates for a blank and their probabilities, one sentence at a time
    behind buttons. ``candidates[i]`` is the list of ``(word, probability)`` for sentence
    ``i`` (best first)."""
    sentences = [str(s) for s in sentences]
    if not sentences or len(candidates) != len(sentences):
        raise ValueError(f"need one candidate list per sentence; got {len(sentences)} sentences and "
                         f"{len(candidates)} lists")
    if not 0 <= active < len(sentences):
        raise ValueError(f"active must lie in 0..{len(sentences) - 1}, got {active}")
    k = max(len(c) for c in candidates)
    if k == 0:
        raise ValueError("every candidate list must be non-empty")
    bars = []
    for s, cands in zip(sentences, candidates):
        for w, p in cands:
            if not 0 <= float(p) <= 1 + 1e-9:
                raise ValueError(f"probability of {w!r} must lie in [0, 1], got {p}")
        words = [show_token(w) for w, _ in cands]
        bars.append((words, [float(p) for _, p in cands], html.escape(s)))
    top = max(max(p) for _, p, _ in bars)
    w0, p0, s0 = bars[active]
    fig = go.Figure(go.Bar(x=p0, y=w0, orientation="h", marker_color=COLORWAY[0],
                           hovertemplate="%{y}: p = %{x:.3f}<extra></extra>"))
    fig.update_layout(template=TEMPLATE, height=height,
                      xaxis=dict(title="probability", range=[0, min(1.0, top * 1.1)]),
                      yaxis=dict(autorange="reversed", type="category"),
                      margin=dict(l=10, r=10, b=50))
    set_title(fig, s0, below=40, lines=2)
    if len(bars) > 1:
        fig.update_layout(updatemenus=[dict(
            type="dropdown", direction="down", x=0.0, xanchor="left", y=1.0, yanchor="bottom",
            pad=dict(b=8), active=active, showactive=True,
            buttons=[dict(label=short_label(s, 34), method="update",
                          args=[{"x": [p], "y": [w]}, {"title.text": s}])
                     for w, p, s in bars])])
    return fig


def masking_html(tokens: Sequence[str], inputs: Sequence[str], chosen: Sequence[bool]) -> str:
    """A sentence before and after masking, as an HTML table: the original ``tokens``, what
    the model reads (``inputs``: ``[MASK]``, a random word, or the same word), and which
    positions are scored (``chosen``)."""
    if not (len(tokens) == len(inputs) == len(chosen)) or not len(tokens):
        raise ValueError("tokens, inputs and chosen must be non-empty and of one length")
    cell = "padding:2px 5px;border:1px solid #ccc;text-align:center;font-family:monospace"
    colours = {"[MASK]": "#fde0c5", "random": "#f6c6d0", "same": "#d4ecd4"}

    def kind(t, x, c):
        if not c:
            return ""
        return "[MASK]" if x == "[MASK]" else ("same" if x == t else "random")

    rows_in, rows_out = [], []
    for t, x, c in zip(tokens, inputs, chosen):
        k = kind(t, x, c)
        bg = f"background:{colours[k]};" if k else ""
        rows_in.append(f'<td style="{cell}">{html.escape(str(t))}</td>')
        rows_out.append(f'<td style="{cell};{bg}" title="{k or "not scored"}">{html.escape(str(x))}</td>')
    legend = " · ".join(f'<span style="background:{c};padding:0 4px">{html.escape(n)}</span>'
                        for n, c in (("replaced by [MASK]", colours["[MASK]"]),
                                     ("replaced by a random word", colours["random"]),
                                     ("kept, but scored", colours["same"])))
    return ('<div style="overflow-x:auto"><table style="border-collapse:collapse;font-size:13px">'
            f'<tr><th style="{cell}">text</th>{"".join(rows_in)}</tr>'
            f'<tr><th style="{cell}">model reads</th>{"".join(rows_out)}</tr></table>'
            f'<div style="font-size:12px;margin-top:4px">{legend}</div></div>')
