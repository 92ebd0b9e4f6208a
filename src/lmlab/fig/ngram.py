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

from . import as_vector
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import fmt
from . import COLORWAY, TEMPLATE, add_step_slider
from .tokens import show_token, text_to_html

__all__ = [
    "letter_frequency_figure", "bigram_heatmap_figure", "generation_figure",
    "cross_entropy_figure", "unseen_fraction_figure",
    "explosion_figure", "add_k_figure", "table_convergence_figure", "format_k",
]

LN2 = math.log(2)



# ----- 1. letter frequencies -------------------------------------------------------------
def letter_frequency_figure(symbols: Sequence[str], counts: Sequence[int],
                            title: str = "How often each character occurs") -> go.Figure:
    """Bar chart of symbol counts, most frequent first; hover gives count and share."""
    c = as_vector("counts", counts, len(symbols))
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
                          title: str = "2-gram counts: which letter follows which",
                          prob_title: str | None = None) -> go.Figure:
    """The 2-gram table as a heatmap, first symbol across, second symbol down.

    ``matrix[a, b]`` is the number of times symbol ``b`` followed symbol ``a`` (as
    :meth:`lmlab.ngram.NGramCounts.matrix` returns it). Colour is log-scaled; empty cells
    (pairs never seen) are left blank. Two buttons switch the colour between raw counts and
    the conditional probability ``p(second | first)`` (each column sums to 1), and the
    title with them (``prob_title``, by default ``title`` with "counts" replaced by
    "probabilities p(second | first)"). Hover says ``'q' followed by 'u': N times``. The
    grid is square and the plot area is exactly the grid.
    """
    m = np.asarray(matrix, dtype=np.float64)
    V = len(symbols)
    if m.shape != (V, V):
        raise ValueError(f"matrix must have shape ({V}, {V}) for {V} symbols, got {m.shape}")
    if (m < 0).any():
        raise ValueError("matrix must hold non-negative counts")
    if prob_title is None:
        prob_title = (title.replace("counts", "probabilities p(second | first)") if "counts" in title
                      else f"{title}: p(second | first)")
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
    bar = dict(thickness=10, len=0.8, y=1.0, yanchor="top", x=1.0, xpad=4,
               title=dict(text="count", side="top"), tickvals=tv_c, ticktext=tt_c,
               tickfont=dict(size=10))
    fig = go.Figure(go.Heatmap(
        x=labels, y=labels, z=z_count, customdata=custom, colorscale="Viridis",
        hoverongaps=False, xgap=1, ygap=1, colorbar=bar,
        hovertemplate="'%{x}' followed by '%{y}': %{customdata[0]:,.0f} times<br>"
                      "p('%{y}' | '%{x}') = %{customdata[1]:.4f}<extra></extra>"))
    axis = dict(type="category", tickangle=0, showgrid=False, showline=False, ticks="",
                tickfont=dict(size=11), constrain="domain")
    fig.update_layout(
        template=TEMPLATE, title=dict(text=title, y=0.98, yanchor="top"), height=600,
        xaxis=dict(axis, title="first letter", side="bottom"),
        yaxis=dict(axis, title="second letter (follows the first)", autorange="reversed",
                   scaleanchor="x", scaleratio=1, constraintoward="top"),
        plot_bgcolor="white",
        margin=dict(t=96, b=40, l=56, r=8),
        updatemenus=[dict(
            type="buttons", direction="right", x=0.0, xanchor="left", y=1.0, yanchor="bottom",
            pad=dict(b=6), showactive=True, active=0, font=dict(size=12),
            buttons=[
                dict(label="counts", method="update",
                     args=[{"z": [z_count], "colorbar.tickvals": [tv_c],
                            "colorbar.ticktext": [tt_c], "colorbar.title.text": ["count"]},
                           {"title.text": title}, [0]]),
                dict(label="p(second | first)", method="update",
                     args=[{"z": [z_prob], "colorbar.tickvals": [tv_p],
                            "colorbar.ticktext": [tt_p],
                            "colorbar.title.text": ["p(second | first)"]},
                           {"title.text": prob_title}, [0]]),
            ])],
    )
    return fig


# ----- 3. generated text for each n ------------------------------------------------------
def generation_figure(orders: Sequence[int], texts: Sequence[str],
                      bits: Sequence[float] | None = None,
                      title: str = "Text generated by letter n-gram models",
                      active: int = 0, width: int = 40) -> go.Figure:
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
                       font=dict(family="DejaVu Sans Mono, Menlo, Consolas, monospace", size=12),
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
        y = as_vector(f"curves[{label!r}]", nats, len(x))
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
        f = as_vector(f"series[{label!r}]", frac, len(orders))
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


def format_k(k: float) -> str:
    """A pseudo-count as a reader writes it: 0.001, 0.03, 1, 10 (no exponent notation)."""
    k = float(k)
    if k == 0:
        return "0"
    if k >= 1:
        return f"{k:,.10g}"
    digits = max(0, -int(math.floor(math.log10(k)))) + 1
    return f"{k:.{digits}f}".rstrip("0").rstrip(".")


def add_k_figure(orders: Sequence[int], ks: Sequence[float], nats: object,
                 references: Mapping[str, Sequence[float]] | None = None,
                 baselines: Mapping[str, float] | None = None, active: int | None = None,
                 title: str = "Add-k smoothing: held-out cross-entropy against n",
                 token: str = "character") -> go.Figure:
    """Held-out cross-entropy (bits per ``token``) of add-k models against the order n,
    with a slider over the pseudo-count k (precomputed: works in the static HTML).

    ``nats[i, j]`` is the held-out cross-entropy in nats of the add-``ks[i]`` model of order
    ``orders[j]`` (finite). ``references`` maps a label to one curve over ``orders`` (nats)
    drawn fixed, e.g. Kneser-Ney; ``baselines`` maps a label to a value in nats drawn as a
    dashed line. A star marks the best n for the current k.
    """
    x = [int(n) for n in orders]
    k_arr = as_vector("ks", ks)
    grid = np.asarray(nats, dtype=np.float64)
    if grid.shape != (len(k_arr), len(x)):
        raise ValueError(f"nats must have shape (len(ks), len(orders)) = ({len(k_arr)}, {len(x)}), "
                         f"got {grid.shape}")
    if not np.isfinite(grid).all():
        raise ValueError("nats must be finite (k = 0 gives infinite cross-entropy: leave it out)")
    if active is None:
        active = int(np.argmin(np.abs(np.log(np.maximum(k_arr, 1e-300)))))   # k closest to 1
    bits = grid / LN2
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=x, y=bits[active], mode="lines+markers", name="add-k (slider)",
        line=dict(color=COLORWAY[1], width=3), marker=dict(size=9),
        hovertemplate="add-k, n = %{x}: %{y:.3f} bits per " + token + "<extra></extra>"))
    best = np.argmin(bits, axis=1)
    fig.add_trace(go.Scatter(
        x=[x[best[active]]], y=[bits[active, best[active]]], mode="markers",
        name="best n for this k", marker=dict(symbol="star", size=18, color=COLORWAY[1],
                                              line=dict(color="black", width=1)),
        hovertemplate="best n for this k: %{x} (%{y:.3f} bits)<extra></extra>"))
    top = float(bits.max())
    for i, (label, curve) in enumerate((references or {}).items()):
        y = as_vector(f"references[{label!r}]", curve, len(x)) / LN2
        top = max(top, float(y.max()))
        fig.add_trace(go.Scatter(
            x=x, y=y, mode="lines+markers", name=label,
            line=dict(color=COLORWAY[(i * 2) % len(COLORWAY)], width=2), marker=dict(size=6),
            hovertemplate=f"{label}, n = %{{x}}: %{{y:.3f}} bits per {token}<extra></extra>"))
    for j, (label, value) in enumerate((baselines or {}).items()):
        top = max(top, value / LN2)
        fig.add_trace(go.Scatter(
            x=[x[0], x[-1]], y=[value / LN2] * 2, mode="lines", name=label,
            line=dict(color="#777777", dash="dash" if j == 0 else "dot", width=1.5),
            hovertemplate=f"{label}: {value / LN2:.3f} bits per {token}<extra></extra>"))
    steps = [{"y": [bits[i], [bits[i, best[i]]]], "x": [x, [x[best[i]]]]} for i in range(len(k_arr))]
    add_step_slider(fig, steps, labels=[format_k(k) for k in k_arr], prefix="pseudo-count k = ",
                    active=active, traces=[0, 1], pad=dict(t=56, b=8))
    fig.update_layout(
        template=TEMPLATE, title=title, height=500,
        xaxis=dict(title="n (model order)", dtick=1),
        yaxis=dict(title=f"bits per {token} (held out)", range=[0, top * 1.05]),
        legend=dict(x=0.01, xanchor="left", y=0.01, yanchor="bottom", font=dict(size=12),
                    bgcolor="rgba(255,255,255,0.85)"),
        margin=dict(t=64, b=40))
    return fig


def table_convergence_figure(steps: Sequence[int], max_abs: Sequence[float],
                             share_off: Sequence[float], heldout_gap_bits: Sequence[float],
                             title: str = "How far the trained table is from the counted one",
                             rel: float = 0.1) -> go.Figure:
    """Three stacked panels against the training step (log axis, step 0 left out): the
    held-out cross-entropy of the trained model minus the counted one (bits per
    character, signed), the largest ``|ln p - ln p_counted|`` over the table's cells (log
    axis), and the share of cells whose probability is off by more than ``rel``."""
    s = as_vector("steps", steps)
    cols = [as_vector(n, v, len(s)) for n, v in
            (("heldout_gap_bits", heldout_gap_bits), ("max_abs", max_abs), ("share_off", share_off))]
    keep = s > 0
    if not keep.any():
        raise ValueError("steps must include at least one step > 0")
    s = s[keep]
    gap, mx, off = (c[keep] for c in cols)
    names = ["held-out cross-entropy: trained minus counted",
             "largest |ln p − ln p<sub>counted</sub>| in the table",
             f"cells off by more than {rel:.0%}"]
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.09,
                        subplot_titles=names)
    fig.add_trace(go.Scatter(x=s, y=gap, mode="lines+markers", name=names[0],
                             line=dict(color=COLORWAY[0], width=2.5),
                             customdata=[fmt.num(v, 2) for v in gap],
                             hovertemplate="after %{x} steps: %{customdata} bits per character"
                                           "<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Scatter(x=s, y=np.maximum(mx, 1e-12), mode="lines+markers", name=names[1],
                             line=dict(color=COLORWAY[1], width=2.5),
                             customdata=[fmt.num(v, 2) for v in mx],
                             hovertemplate="after %{x} steps: %{customdata}<extra></extra>"),
                  row=2, col=1)
    fig.add_trace(go.Scatter(x=s, y=off * 100, mode="lines+markers", name=names[2],
                             line=dict(color=COLORWAY[2], width=2.5),
                             hovertemplate="after %{x} steps: %{y:.1f}% of the cells"
                                           "<extra></extra>"), row=3, col=1)
    fig.update_xaxes(type="log", row=1, col=1)
    fig.update_xaxes(type="log", row=2, col=1)
    fig.update_xaxes(type="log", title_text="training step (log scale)", row=3, col=1)
    fig.update_yaxes(title_text="bits/char", zeroline=True, zerolinecolor="#999999",
                     exponentformat="power", row=1, col=1)
    fig.update_yaxes(title_text="nats", type="log", exponentformat="power", row=2, col=1)
    fig.update_yaxes(title_text="% of cells", rangemode="tozero", row=3, col=1)
    fig.update_annotations(font=dict(size=13), x=0, xanchor="left")
    fig.update_layout(template=TEMPLATE, title=title, height=680, showlegend=False,
                      margin=dict(t=90, b=50))
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
    fig = make_subplots(rows=len(names), cols=1, subplot_titles=names,
                        vertical_spacing=0.16)
    colours: dict[str, str] = {}
    for c, name in enumerate(names, start=1):
        for label, (orders, values) in panels[name].items():
            v = as_vector(f"{name}/{label}", values, len(orders))
            first = label not in colours
            colours.setdefault(label, COLORWAY[len(colours) % len(COLORWAY)])
            fig.add_trace(go.Scatter(
                x=[int(n) for n in orders], y=v, mode="lines+markers", name=label,
                legendgroup=label, showlegend=first,
                line=dict(color=colours[label], width=2.5), marker=dict(size=8),
                hovertemplate=f"{name}, n = %{{x}}<br>{label}: %{{y:,.4g}}<extra></extra>"),
                row=c, col=1)
        fig.update_xaxes(title_text="n", dtick=1, row=c, col=1)
        fig.update_yaxes(type="log", exponentformat="power", row=c, col=1,
                         title_text="number of n-grams")
    fig.update_annotations(x=0, xanchor="left", font=dict(size=14))
    fig.update_layout(template=TEMPLATE, title=title, height=330 * len(names) + 140,
                      legend=dict(orientation="h", x=0, y=-0.1, yanchor="top"),
                      margin=dict(b=110))
    return fig
