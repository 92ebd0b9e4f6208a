"""Figures of chapter 9, "GPT from scratch".

Pure functions from results (parameter counts, cross-entropies, timings, samples) to
plotly figures; learning curves are :func:`lmlab.fig.training.loss_curve_figure`. Nothing here imports torch or trains a model: the
chapter computes with :mod:`lmlab.gpt` and :mod:`lmlab.train` and passes numbers in.
Interactive figures carry their own plotly sliders or buttons over precomputed data, so
they work in the static HTML.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from . import as_vector
import plotly.graph_objects as go

from . import COLORWAY, TEMPLATE, add_step_slider
from .tokens import text_to_html

__all__ = [
    "parameter_figure", "bits_comparison_figure",
    "kv_cache_figure", "samples_figure",
]

LN2 = math.log(2)



def parameter_figure(breakdowns: Mapping[str, Mapping[str, int]],
                     title: str = "Where the parameters are") -> go.Figure:
    """Share of each model's parameters per component, one horizontal stacked bar per model.

    ``breakdowns`` maps a model name to ``{component: number of parameters}`` (e.g.
    ``"token embedding"``, ``"attention"``, ``"MLP"``, ...). Bars are in percent, so models
    a thousand times apart in size compare; hover gives the absolute counts.
    """
    if not breakdowns:
        raise ValueError("breakdowns must name at least one model")
    components: list[str] = []
    for parts in breakdowns.values():
        for c, n in parts.items():
            if int(n) < 0:
                raise ValueError(f"parameter count of {c!r} must be >= 0, got {n}")
            if c not in components:
                components.append(c)
    models = list(breakdowns)
    totals = {m: sum(int(n) for n in breakdowns[m].values()) for m in models}
    if any(t <= 0 for t in totals.values()):
        raise ValueError("every model needs a positive total parameter count")
    fig = go.Figure()
    for i, c in enumerate(components):
        counts = [int(breakdowns[m].get(c, 0)) for m in models]
        share = [100 * n / totals[m] for n, m in zip(counts, models)]
        fig.add_trace(go.Bar(
            y=[f"{m}<br>{totals[m]:,}" for m in models], x=share, name=c, orientation="h",
            customdata=counts, marker_color=COLORWAY[i % len(COLORWAY)],
            hovertemplate=f"{c}: %{{customdata:,}} parameters (%{{x:.1f}}%)<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title=title, barmode="stack",
                      height=max(300, 110 * len(models) + 170),
                      xaxis=dict(title="share of parameters (%)", range=[0, 100]),
                      yaxis=dict(autorange="reversed"),
                      legend=dict(orientation="h", y=-0.22, x=0))
    return fig


def bits_comparison_figure(results: Mapping[str, float], highlight: Sequence[str] = (),
                           title: str = "Held-out cross-entropy, same text, same units"
                           ) -> go.Figure:
    """Horizontal bars of bits per character, one per model (``name -> nats per
    character``, converted here), best at the bottom; ``highlight`` names bars drawn in
    the accent colour (e.g. the GPTs). Hover gives nats, bits and perplexity."""
    if not results:
        raise ValueError("results must hold at least one model")
    names = list(results)
    nats = as_vector("results", [results[n] for n in names])
    if not np.isfinite(nats).all() or (nats < 0).any():
        raise ValueError("every cross-entropy must be finite and >= 0")
    order = np.argsort(-nats, kind="stable")
    names = [names[i] for i in order]
    nats = nats[order]
    colors = [COLORWAY[1] if n in set(highlight) else COLORWAY[0] for n in names]
    fig = go.Figure(go.Bar(
        y=names, x=nats / LN2, orientation="h", marker_color=colors,
        customdata=np.stack([nats, np.exp(nats)], axis=-1),
        text=[f"{b:.3f}" for b in nats / LN2], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}<br>%{x:.3f} bits = %{customdata[0]:.3f} nats per character"
                      "<br>perplexity %{customdata[1]:.2f}<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title=title, height=max(300, 44 * len(names) + 150),
                      xaxis=dict(title="bits per character",
                                 range=[0, float(nats.max() / LN2) * 1.15]),
                      yaxis=dict(automargin=True), margin=dict(l=24, r=40))
    return fig


def kv_cache_figure(lengths: Sequence[int], seconds: Mapping[str, Sequence[float]],
                    title: str = "Time to generate, with and without the key/value cache"
                    ) -> go.Figure:
    """Wall-clock time (ms per generated token) against the number of tokens generated, one
    line per method (``name -> seconds per token at each length``). Hover gives the
    speed-up of the first method over each other."""
    n = as_vector("lengths", lengths)
    if not seconds:
        raise ValueError("seconds must hold at least one method")
    series = {k: as_vector(f"seconds[{k!r}]", v, len(n)) for k, v in seconds.items()}
    first = next(iter(series.values()))
    fig = go.Figure()
    for i, (name, s) in enumerate(series.items()):
        fig.add_trace(go.Scatter(
            x=n, y=1e3 * s, mode="lines+markers", name=name,
            customdata=s / first, line=dict(color=COLORWAY[i % len(COLORWAY)]),
            hovertemplate=f"{name}<br>%{{x:.0f}} tokens: %{{y:.2f}} ms per token"
                          "<br>%{customdata:.1f}× the first method<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title=title, height=420,
                      xaxis=dict(title="tokens generated"),
                      yaxis=dict(title="time per token (ms)", rangemode="tozero"),
                      legend=dict(orientation="h", y=-0.25, x=0))
    return fig


def samples_figure(labels: Sequence[str], texts: Sequence[str], prompt: str = "",
                   title: str = "Samples from the model", active: int = 0, width: int = 64,
                   prefix: str = "") -> go.Figure:
    """One text per sampling setting (e.g. ``"T = 0.8, top-k 10"``), a slider over the
    settings; the prompt is shown in bold before each sample. Lines wrap at ``width``."""
    if len(labels) != len(texts) or not labels:
        raise ValueError("labels and texts must be non-empty and of the same length")
    if not 0 <= active < len(labels):
        raise ValueError(f"active={active} outside 0..{len(labels) - 1}")
    fig = go.Figure()
    for i, (label, text) in enumerate(zip(labels, texts)):
        body = (f"<b>{text_to_html(prompt)}</b>" if prompt else "") + text_to_html(text, width)
        fig.add_trace(go.Table(
            header=dict(values=[f"<b>{text_to_html(label)}</b>"], align="left",
                        fill_color="#F2F2F2", font=dict(size=14)),
            cells=dict(values=[[body]], align="left", height=26,
                       font=dict(family="DejaVu Sans Mono, Menlo, Consolas, monospace", size=13)),
            visible=(i == active), name=label))
    add_step_slider(fig, [{"visible": [j == i for j in range(len(labels))]}
                          for i in range(len(labels))],
                    labels=list(labels), prefix=prefix, active=active, y=0, yanchor="top")
    fig.update_layout(template=TEMPLATE, title=title, height=470,
                      margin=dict(l=24, r=24, t=64, b=90))
    return fig
