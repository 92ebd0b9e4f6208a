"""Figures of chapter 2, "Letters, 2-grams and n-grams".

Pure functions from computed results (counts, cross-entropies, samples) to plotly
figures; nothing here counts a corpus or trains a model. Interactive figures carry their
own plotly sliders or buttons over precomputed data, so they work in the static HTML.

Symbols that would be invisible on an axis or in a table are shown as ``␣`` (space) and
``↵`` (line break): see :func:`lmlab.fig.tokens.show_token`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import COLORWAY, TEMPLATE, add_step_slider
from .tokens import show_token, text_to_html

__all__ = [
    "letter_frequency_figure", "bigram_heatmap_figure", "generation_figure",
    "cross_entropy_figure", "unseen_fraction_figure", "learning_curve_figure",
    "explosion_figure",
]

LN2 = math.log(2)


def _check_1d(name: str, values: object, length: int | None = None) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}")
    if length is not None and len(arr) != length:
        raise ValueError(f"{name} has {len(arr)} entries, expected {length}")
    return arr


# ----- 1. letter frequencies -------------------------------------------------------------
def letter_frequency_figure(symbols: Sequence[str], counts: Sequence[int],
                            title: str = "How often each character occurs") -> go.Figure:
    """Bar chart of symbol counts, most frequent first; hover gives count and share."""
    c = _check_1d("counts", counts, len(symbols))
    order = np.argsort(-c, kind="stable")
    total = c.sum()
    if total <= 0:
        raise ValueError("counts must not all be zero")
    labels = [show_token(symbols[i], visible_whitespace=True) for i in order]
    share = c[order] / total
    fig = go.Figure(go.Bar(
        x=labels, y=share * 100, customdata=np.stack([c[order], share * 100], axis=1),
        marker_color=COLORWAY[0],
        hovertemplate="'%{x}': %{customdata[0]:,.0f} times (%{customdata[1]:.2f}% of all "
                      "characters)<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title=title, height=380, bargap=0.15,
                      xaxis=dict(title="character (␣ = space, ↵ = line break)", type="category",
                                 tickangle=0, tickfont=dict(size=10)),
                      yaxis=dict(title="share of all characters (%)"))
    return fig


# ----- 2. the 2-gram table ---------------------------------------------------------------
def _log_ticks(lo: float, hi: float, fmt) -> tuple[list[float], list[str]]:
    """Tick positions (log10 values) at whole decades between lo and hi."""
    vals = list(range(int(math.floor(lo)), int(math.ceil(hi)) + 1))
    return [float(v) for v in vals], [fmt(v) for v in vals]


def bigram_heatmap_figure(symbols: Sequence[str], matrix: object,
                   title: str = "2-gram counts: which letter follows which") -> go.Figure:
    """The 2-gram table as a heatmap, first symbol across, second symbol down.

    ``matrix[a, b]`` is the number of times symbol ``b`` followed symbol ``a`` (as
    :meth:`lmlab.ngram.NGramCounts.matrix` returns it). Colour is log-scaled; empty cells
    (pairs never seen) are left blank. Two buttons switch the colour between raw counts and
    the conditional probability ``p(second | first)`` (each column sums to 1). Hover says
    ``'q' followed by 'u': N times``.
    """
    m = np.asarray(matrix, dtype=np.float64)
    V = len(symbols)
    if m.shape != (V, V):
        raise ValueError(f"matrix must have shape ({V}, {V}) for {V} symbols, got {m.shape}")
    if (m < 0).any():
        raise ValueError("matrix must hold non-negative counts")
    labels = [show_token(s, visible_whitespace=True) for s in symbols]
    counts = m.T                                        # rows: second symbol, cols: first
    col = counts.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        prob = np.where(col > 0, counts / np.where(col > 0, col, 1), 0.0)
        z_count = np.where(counts > 0, np.log10(np.where(counts > 0, counts, 1)), np.nan)
        z_prob = np.where(prob > 0, np.log10(np.where(prob > 0, prob, 1)), np.nan)
    custom = np.stack([counts, prob], axis=-1)

    def finite_range(z):
        f = z[np.isfinite(z)]
        return (float(f.min()), float(f.max())) if f.size else (0.0, 1.0)

    tv_c, tt_c = _log_ticks(*finite_range(z_count), lambda v: f"{10 ** v:,}")
    tv_p, tt_p = _log_ticks(*finite_range(z_prob), lambda v: f"{10.0 ** v:g}")
    fig = go.Figure(go.Heatmap(
        x=labels, y=labels, z=z_count, customdata=custom, colorscale="Viridis",
        hoverongaps=True, xgap=1, ygap=1,
        colorbar=dict(title=dict(text="count"), tickvals=tv_c, ticktext=tt_c),
        hovertemplate="'%{x}' followed by '%{y}': %{customdata[0]:,.0f} times<br>"
                      "p('%{y}' | '%{x}') = %{customdata[1]:.4f}<extra></extra>"))
    size = max(460, min(760, 20 * V + 200))
    fig.update_layout(
        template=TEMPLATE, title=title, height=size,
        xaxis=dict(title="first letter", type="category", side="top", tickangle=0,
                   showgrid=False, constrain="domain"),
        yaxis=dict(title="second letter (follows the first)", type="category",
                   autorange="reversed", showgrid=False, scaleanchor="x"),
        margin=dict(t=110),
        updatemenus=[dict(
            type="buttons", direction="right", x=1.0, xanchor="right", y=1.0, yanchor="bottom",
            pad=dict(b=40), showactive=True, active=0,
            buttons=[
                dict(label="counts", method="restyle",
                     args=[{"z": [z_count], "colorbar.tickvals": [tv_c],
                            "colorbar.ticktext": [tt_c], "colorbar.title.text": ["count"]}, [0]]),
                dict(label="p(second | first)", method="restyle",
                     args=[{"z": [z_prob], "colorbar.tickvals": [tv_p],
                            "colorbar.ticktext": [tt_p],
                            "colorbar.title.text": ["p(second | first)"]}, [0]]),
            ])],
    )
    return fig


# ----- 3. generated text for each n ------------------------------------------------------
def generation_figure(orders: Sequence[int], texts: Sequence[str],
                      bits: Sequence[float] | None = None,
                      title: str = "Text generated by letter n-gram models",
                      active: int = 0, width: int = 72) -> go.Figure:
    """One table per model order with its generated text; a slider over ``n`` shows one.

    ``bits`` (optional) is each model's held-out cross-entropy in bits per character,
    shown above its text. Lines are wrapped at ``width`` characters.
    """
    if len(orders) != len(texts) or not orders:
        raise ValueError("orders and texts must be non-empty and of the same length")
    if bits is not None and len(bits) != len(orders):
        raise ValueError("bits must have one entry per order")
    fig = go.Figure()
    for i, (n, text) in enumerate(zip(orders, texts)):
        head = f"<b>n = {n}</b>: each character drawn given the {n - 1} before it"
        if n == 1:
            head = "<b>n = 1</b>: each character drawn from the letter frequencies alone"
        if bits is not None:
            head += f" (held-out {bits[i]:.2f} bits per character)"
        fig.add_trace(go.Table(
            header=dict(values=[head], align="left", fill_color="#F2F2F2",
                        font=dict(size=14)),
            cells=dict(values=[[text_to_html(text, width)]], align="left",
                       font=dict(family="DejaVu Sans Mono, Menlo, Consolas, monospace", size=13),
                       height=28),
            columnwidth=[1], visible=(i == active), name=f"n = {n}"))
    add_step_slider(fig, [{"visible": [j == i for j in range(len(orders))]}
                          for i in range(len(orders))],
                    labels=[str(n) for n in orders], prefix="n = ", active=active,
                    y=0, yanchor="top")
    fig.update_layout(template=TEMPLATE, title=title, height=470,
                      margin=dict(l=24, r=24, t=64, b=90))
    return fig


# ----- 4. cross-entropy ------------------------------------------------------------------
def cross_entropy_figure(curves: Mapping[str, tuple[Sequence[int], Sequence[float]]],
                         baselines: Mapping[str, float] | None = None,
                         title: str = "Held-out cross-entropy of n-gram models",
                         token: str = "character", xaxis_title: str = "n (model order)",
                         ) -> go.Figure:
    """Cross-entropy against model order, one line per model family.

    ``curves`` maps a label to ``(orders, nats)``; ``baselines`` maps a label to a value in
    nats drawn as a dashed horizontal line (e.g. the uniform model, ln V). Two buttons
    switch the y axis between bits and nats per ``token``.
    """
    if not curves:
        raise ValueError("curves must hold at least one model family")
    baselines = dict(baselines or {})
    fig = go.Figure()
    nats_y, bits_y = [], []
    all_x = []
    for i, (label, (orders, nats)) in enumerate(curves.items()):
        x = [int(n) for n in orders]
        y = _check_1d(f"curves[{label!r}]", nats, len(x))
        all_x += x
        nats_y.append(y)
        bits_y.append(y / LN2)
        fig.add_trace(go.Scatter(
            x=x, y=y / LN2, mode="lines+markers", name=label,
            line=dict(color=COLORWAY[i % len(COLORWAY)], width=2.5), marker=dict(size=8),
            customdata=np.stack([y / LN2, y, np.exp(y)], axis=1),
            hovertemplate=f"{label}, n = %{{x}}<br>%{{customdata[0]:.3f}} bits = "
                          f"%{{customdata[1]:.3f}} nats per {token}<br>perplexity "
                          "%{customdata[2]:.2f}<extra></extra>"))
    lo, hi = (min(all_x), max(all_x)) if all_x else (1, 2)
    for j, (label, value) in enumerate(baselines.items()):
        y = np.array([value, value], dtype=float)
        nats_y.append(y)
        bits_y.append(y / LN2)
        fig.add_trace(go.Scatter(
            x=[lo, hi], y=y / LN2, mode="lines", name=label,
            line=dict(color="#777777", dash="dash" if j == 0 else "dot", width=1.5),
            hovertemplate=f"{label}: {value / LN2:.3f} bits = {value:.3f} nats per {token}"
                          "<extra></extra>"))
    traces = list(range(len(fig.data)))
    fig.update_layout(
        template=TEMPLATE, title=title, height=460,
        xaxis=dict(title=xaxis_title, dtick=1),
        yaxis=dict(title=f"bits per {token}", rangemode="tozero"),
        legend=dict(orientation="h", x=0, xanchor="left", y=-0.2, yanchor="top"),
        updatemenus=[dict(
            type="buttons", direction="right", x=0.0, xanchor="left", y=1.02, yanchor="bottom",
            showactive=True, active=0,
            buttons=[
                dict(label="bits", method="update",
                     args=[{"y": bits_y}, {"yaxis.title.text": f"bits per {token}"}, traces]),
                dict(label="nats", method="update",
                     args=[{"y": nats_y}, {"yaxis.title.text": f"nats per {token}"}, traces]),
            ])],
        margin=dict(t=100, b=120),
    )
    return fig


def unseen_fraction_figure(series: Mapping[str, tuple[Sequence[int], Sequence[float]]],
                           title: str = "Held-out n-grams never seen in training",
                           ) -> go.Figure:
    """Share (%) of the held-out text's n-grams that the training text never contains,
    against n; ``series`` maps a label (e.g. "characters") to ``(orders, fractions)``."""
    if not series:
        raise ValueError("series must hold at least one entry")
    fig = go.Figure()
    for i, (label, (orders, frac)) in enumerate(series.items()):
        f = _check_1d(f"series[{label!r}]", frac, len(orders))
        if ((f < 0) | (f > 1)).any():
            raise ValueError("fractions must lie in [0, 1]")
        fig.add_trace(go.Bar(
            x=[int(n) for n in orders], y=f * 100, name=label,
            marker_color=COLORWAY[i % len(COLORWAY)],
            hovertemplate=f"{label}, n = %{{x}}: %{{y:.2f}}% of held-out n-grams "
                          "never occur in training<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title=title, height=400, barmode="group",
                      xaxis=dict(title="n (length of the n-gram)", dtick=1),
                      yaxis=dict(title="unseen in training (% of held-out n-grams)",
                                 rangemode="tozero"),
                      legend=dict(x=0.01, xanchor="left", y=0.99, yanchor="top"))
    return fig


def learning_curve_figure(steps: Sequence[int], heldout_nats: Sequence[float],
                          count_nats: float, train_loss: Sequence[float] | None = None,
                          title: str = "A bigram trained by gradient descent",
                          count_label: str = "counted add-one bigram (held out)",
                          ) -> go.Figure:
    """Held-out cross-entropy (bits per character) of a gradient-trained bigram at
    several training steps, with its training loss at every step (optional) and the
    counted model's held-out cross-entropy as a dashed line. ``train_loss[i]`` is the
    training loss after ``i`` steps, as :func:`lmlab.neural_bigram.train_bigram` records
    it. The step axis is logarithmic, so step 0 is left out of the figure."""
    s = _check_1d("steps", steps)
    h = _check_1d("heldout_nats", heldout_nats, len(s))
    keep = s > 0
    s, h = s[keep], h[keep]
    if not len(s):
        raise ValueError("steps must include at least one step > 0")
    fig = go.Figure()
    if train_loss is not None:
        tl = _check_1d("train_loss", train_loss)
        steps_tl = np.arange(len(tl))                  # tl[i]: the loss after i steps
        fig.add_trace(go.Scatter(
            x=steps_tl[1:], y=tl[1:] / LN2, mode="lines", name="training loss",
            line=dict(color=COLORWAY[5], width=1.5),
            hovertemplate="step %{x}: training loss %{y:.4f} bits per character"
                          "<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=s, y=h / LN2, mode="lines+markers", name="gradient-trained bigram (held out)",
        line=dict(color=COLORWAY[0], width=2.5), marker=dict(size=8),
        hovertemplate="after %{x} steps: %{y:.4f} bits per character on held-out text"
                      "<extra></extra>"))
    xmax = max(float(s.max()), float(len(train_loss) - 1) if train_loss is not None else 0.0)
    fig.add_trace(go.Scatter(
        x=[1, xmax], y=[count_nats / LN2] * 2, mode="lines", name=count_label,
        line=dict(color=COLORWAY[1], dash="dash", width=2),
        hovertemplate=f"{count_label}: {count_nats / LN2:.4f} bits per character"
                      "<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title=title, height=420,
                      xaxis=dict(title="training step (Adam, full batch; log scale)",
                                 type="log"),
                      yaxis=dict(title="cross-entropy (bits per character)"),
                      legend=dict(x=0.99, xanchor="right", y=0.99, yanchor="top"))
    return fig


# ----- 6. the combinatorial explosion ----------------------------------------------------
def explosion_figure(panels: Mapping[str, Mapping[str, tuple[Sequence[int], Sequence[float]]]],
                     title: str = "Possible n-grams vs n-grams actually seen") -> go.Figure:
    """Log-scale counts against n, one panel per token kind.

    ``panels`` maps a panel title (e.g. "characters (V = 79)") to ``{label: (orders,
    values)}``, e.g. ``{"possible, V^n": ..., "distinct in training": ...,
    "positions in training": ...}``. The same label gets the same colour in every panel.
    """
    if not panels:
        raise ValueError("panels must hold at least one panel")
    names = list(panels)
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=names,
                        horizontal_spacing=0.1)
    colours: dict[str, str] = {}
    for c, name in enumerate(names, start=1):
        for label, (orders, values) in panels[name].items():
            v = _check_1d(f"{name}/{label}", values, len(orders))
            first = label not in colours
            colours.setdefault(label, COLORWAY[len(colours) % len(COLORWAY)])
            fig.add_trace(go.Scatter(
                x=[int(n) for n in orders], y=v, mode="lines+markers", name=label,
                legendgroup=label, showlegend=first,
                line=dict(color=colours[label], width=2.5), marker=dict(size=8),
                hovertemplate=f"{name}, n = %{{x}}<br>{label}: %{{y:,.4g}}<extra></extra>"),
                row=1, col=c)
        fig.update_xaxes(title_text="n", dtick=1, row=1, col=c)
        fig.update_yaxes(type="log", exponentformat="power", row=1, col=c,
                         title_text="number of n-grams" if c == 1 else None)
    fig.update_layout(template=TEMPLATE, title=title, height=460,
                      legend=dict(orientation="h", x=0, y=-0.18, yanchor="top"),
                      margin=dict(b=110))
    return fig
