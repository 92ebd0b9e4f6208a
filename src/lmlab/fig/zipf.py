"""Figures of Zipf's law: word frequency against rank on log-log axes.

:func:`rank_frequency_figure` takes the results of :func:`lmlab.zipf.rank_frequency` and
:func:`lmlab.zipf.fit_zipf` for one or more texts and draws the data, the fitted line
``C / r**s`` and Zipf's ``C / r``; with several texts, buttons switch between them (in the
static HTML too).
"""
from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from ..zipf import RankFrequency, ZipfFit
from . import COLORWAY

__all__ = ["sample_ranks", "rank_frequency_figure"]


def sample_ranks(n: int, max_points: int = 400) -> np.ndarray:
    """At most about ``max_points`` ranks in ``1..n``, evenly spaced in log rank (every
    rank where they are denser than that), so a log-log plot keeps its shape at a small
    page weight."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    return np.unique(np.geomspace(1, n, max_points).round().astype(np.int64))


def _series_traces(name: str, rf: RankFrequency, fit: ZipfFit, max_points: int,
                   visible: bool) -> list[go.Scatter]:
    r = sample_ranks(len(rf.counts), max_points)
    words = [html.escape(rf.words[i - 1], quote=False) for i in r]
    data = go.Scatter(
        x=r, y=rf.freqs[r - 1], mode="markers", name=f"{name}: words",
        marker=dict(color=COLORWAY[0], size=6),
        customdata=np.stack([np.array(words, dtype=object), rf.counts[r - 1]], axis=-1),
        hovertemplate="rank %{x:,}: “%{customdata[0]}”<br>%{customdata[1]:,} times, "
                      "frequency %{y:.2e}<extra></extra>",
        visible=visible)
    rr = np.array([1, len(rf.counts)], dtype=np.float64)
    fitted = go.Scatter(
        x=rr, y=fit.predict(rr), mode="lines",
        name=f"fit (ranks {fit.r_min}–{fit.r_max:,}): C/r^s, s = {fit.exponent:.3f}",
        line=dict(color=COLORWAY[1], width=2),
        hovertemplate=f"fitted C/r^s, s = {fit.exponent:.3f}<br>rank %{{x:,.0f}}: "
                      "%{y:.2e}<extra></extra>",
        visible=visible)
    zipf = go.Scatter(
        x=rr, y=fit.constant / rr, mode="lines", name="Zipf: C/r (same C)",
        line=dict(color="#555555", dash="dot"),
        hovertemplate="C/r<br>rank %{x:,.0f}: %{y:.2e}<extra></extra>",
        visible=visible)
    return [data, fitted, zipf]


def _title(name: str, fit: ZipfFit) -> str:
    return f"Word frequency against rank, {name}: slope −{fit.exponent:.3f}"


def rank_frequency_figure(series: Mapping[str, tuple[RankFrequency, ZipfFit]],
                        max_points: int = 400, active: int = 0) -> go.Figure:
    """Frequency against rank on log-log axes for each named text in ``series`` (a
    mapping ``name -> (RankFrequency, ZipfFit)``); with more than one, buttons above the
    plot show one text at a time."""
    if not series:
        raise ValueError("series must name at least one text")
    names = list(series)
    if not 0 <= active < len(names):
        raise ValueError(f"active={active} outside 0..{len(names) - 1}")
    fig = go.Figure()
    per = 3
    for j, name in enumerate(names):
        rf, fit = series[name]
        if not isinstance(rf, RankFrequency) or not isinstance(fit, ZipfFit):
            raise TypeError(f"series[{name!r}] must be a (RankFrequency, ZipfFit) pair")
        for tr in _series_traces(name, rf, fit, max_points, visible=(j == active)):
            fig.add_trace(tr)
    fig.update_layout(
        title=_title(names[active], series[names[active]][1]),
        xaxis=dict(type="log", title="rank r (1 = most frequent word; log scale)"),
        yaxis=dict(type="log", title="relative frequency f (log scale)", exponentformat="power"),
        legend=dict(x=0.99, xanchor="right", y=0.99, yanchor="top"),
    )
    if len(names) > 1:
        n = len(fig.data)
        buttons = [dict(method="update", label=name,
                        args=[{"visible": [i // per == j for i in range(n)]},
                              {"title.text": _title(name, series[name][1])}])
                   for j, name in enumerate(names)]
        fig.update_layout(
            updatemenus=[dict(type="buttons", direction="right", buttons=buttons, active=active,
                              x=0.0, xanchor="left", y=1.0, yanchor="bottom", pad=dict(b=8),
                              showactive=True)],
            margin=dict(t=110))
    return fig
