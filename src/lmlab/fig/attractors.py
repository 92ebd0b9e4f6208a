"""Figures of chapter 4: basins of attractors, single neurons, a tiny net's regions (while
it trains and as one weight moves), and agreement with the exact map.

Maps are integer class arrays ``(R, R)`` on a square grid (row ``i`` at ``y = ys[i]``),
drawn as heatmaps with one light colour per class; attractors are black-ringed dots in
the dark version of their basin's colour.  Sliders swap precomputed maps (static HTML).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from . import COLORWAY, TEMPLATE, add_step_slider

__all__ = ["CLASS_COLORS", "class_colorscale", "basins_figure", "activation_figure",
           "regions_figure", "agreement_figure"]

#: Dark class colours (markers) and their light versions (regions).
CLASS_COLORS = COLORWAY[:7]


def _light(hex_color: str, amount: float = 0.55) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    mix = lambda c: int(round(c + (255 - c) * amount))  # noqa: E731
    return f"rgb({mix(r)},{mix(g)},{mix(b)})"


def class_colorscale(k: int) -> list[list]:
    """A stepped colorscale for integer classes ``0 .. k-1`` (use ``zmin=-0.5, zmax=k-0.5``)."""
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    scale = []
    for i in range(k):
        c = _light(CLASS_COLORS[i % len(CLASS_COLORS)])
        scale += [[i / k, c], [(i + 1) / k, c]]
    return scale


def _map(name: str, m: object) -> np.ndarray:
    a = np.asarray(m)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"{name} must be a square (R, R) map, got shape {a.shape}")
    return a.astype(np.int8)


def _axes(xs: np.ndarray) -> dict:
    # an evenly spaced grid is given by its start and step (smaller than two coordinate arrays)
    step = float(xs[1] - xs[0]) if len(xs) > 1 else 1.0
    return dict(x0=float(xs[0]), dx=step, y0=float(xs[0]), dy=step)


def _heatmap(xs: np.ndarray, m: np.ndarray, k: int, hover: str = "basin") -> go.Heatmap:
    return go.Heatmap(**_axes(xs), z=m, zmin=-0.5, zmax=k - 0.5, colorscale=class_colorscale(k),
                      showscale=False,
                      hovertemplate="(%{x:.2f}, %{y:.2f}): " + hover + " %{z}<extra></extra>")


def _marker_trace(points: np.ndarray, k: int) -> go.Scatter:
    return go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers+text",
                      text=[str(i) for i in range(len(points))], textposition="top right",
                      textfont=dict(size=13, color="#111"),
                      marker=dict(size=13, color=[CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(len(points))],
                                  line=dict(color="#111", width=1.5)),
                      hovertemplate="attractor %{text}: (%{x:.2f}, %{y:.2f})<extra></extra>",
                      showlegend=False)


def _square_layout(fig: go.Figure, title: str, lim: float, height: int = 520) -> None:
    fig.update_layout(template=TEMPLATE, title=title, height=height,
                      xaxis=dict(title="x", range=[-lim, lim], constrain="domain", showgrid=False),
                      yaxis=dict(title="y", range=[-lim, lim], scaleanchor="x", scaleratio=1,
                                 showgrid=False),
                      margin=dict(l=56, r=16, t=64, b=48))


def basins_figure(xs: object, sets: Mapping[str, tuple[object, object]],
                  title: str = "Basins of the nearest attractor") -> go.Figure:
    """Exact basin maps for several attractor sets, one slider step per set.

    ``sets``: ``{name: (attractors (K, 2), map (R, R))}``; ``xs``: the grid coordinates.
    """
    if not sets:
        raise ValueError("sets must hold at least one attractor set")
    xs = np.asarray(xs, dtype=np.float64)
    names = list(sets)
    kmax = max(len(np.asarray(a)) for a, _ in sets.values())
    fig = go.Figure()
    for i, name in enumerate(names):
        a, m = sets[name]
        fig.add_trace(_heatmap(xs, _map(name, m), kmax))
        fig.add_trace(_marker_trace(np.asarray(a, dtype=float), kmax))
        fig.data[-2].visible = fig.data[-1].visible = i == 0
    n = len(fig.data)
    steps = [{"visible": [j // 2 == i for j in range(n)]} for i in range(len(names))]
    if len(names) > 1:
        add_step_slider(fig, steps, labels=names, prefix="attractors: ", traces=list(range(n)))
    lim = float(np.abs(xs).max())
    _square_layout(fig, title, lim, height=560 if len(names) > 1 else 500)
    return fig


def activation_figure(z: object, curves: Mapping[str, object],
                      title: str = "Activation functions f(z)") -> go.Figure:
    """The activation functions ``curves[name]`` evaluated on ``z``."""
    z = np.asarray(z, dtype=np.float64)
    fig = go.Figure()
    for i, (name, y) in enumerate(curves.items()):
        fig.add_scatter(x=z, y=np.asarray(y, dtype=np.float64), mode="lines", name=name,
                        line=dict(color=COLORWAY[i % len(COLORWAY)], width=2.5),
                        hovertemplate="z = %{x:.2f}: f = %{y:.3f}<extra>" + name + "</extra>")
    fig.update_layout(template=TEMPLATE, title=title, height=400,
                      xaxis=dict(title="z = w·x + b", zeroline=True),
                      yaxis=dict(title="f(z)", zeroline=True),
                      legend=dict(orientation="h", y=-0.22, x=0))
    return fig


def regions_figure(xs: object, maps: Sequence[object], labels: Sequence[object],
                   attractors: object, exact: object | None = None, prefix: str = "",
                   active: int | None = None, notes: Sequence[str] | None = None,
                   title: str = "Regions of a tiny net") -> go.Figure:
    """A net's predicted regions for several precomputed cases (training steps, values of
    one weight, ...), one slider step each.  With ``exact``, points where the prediction
    differs from the exact map are drawn dark.  ``notes[i]`` (e.g. the agreement) goes in
    the title at step ``i``."""
    xs = np.asarray(xs, dtype=np.float64)
    maps = [_map(f"maps[{i}]", m) for i, m in enumerate(maps)]
    if not maps or len(maps) != len(labels):
        raise ValueError(f"maps and labels must be non-empty and of equal length, got {len(maps)} "
                         f"and {len(labels)}")
    pts = np.asarray(attractors, dtype=np.float64)
    k = len(pts)
    active = len(maps) - 1 if active is None else active
    if not 0 <= active < len(maps):
        raise ValueError(f"active must lie in 0..{len(maps) - 1}, got {active}")
    # one heatmap (and one "wrong" overlay) per step, shown one step at a time: trace data
    # is stored compactly (base64 int8) while slider arguments would be plain JSON lists
    ex = None if exact is None else _map("exact", exact)
    per = 1 if ex is None else 2
    fig = go.Figure()
    for i, m in enumerate(maps):
        fig.add_trace(_heatmap(xs, m, k, hover="class"))
        fig.data[-1].visible = i == active
        if ex is not None:
            fig.add_trace(go.Heatmap(**_axes(xs), z=(m != ex).astype(np.int8), zmin=0, zmax=1,
                                     colorscale=[[0, "rgba(0,0,0,0)"], [0.5, "rgba(0,0,0,0)"],
                                                 [0.5, "rgba(20,20,20,0.8)"], [1, "rgba(20,20,20,0.8)"]],
                                     showscale=False, hoverinfo="skip", visible=i == active))
    fig.add_trace(_marker_trace(pts, k))
    n = len(fig.data)

    def heading(i: int) -> str:
        return title if notes is None else f"{title}<br><sup>{notes[i]}</sup>"

    steps = [({"visible": [j // per == i if j < n - 1 else True for j in range(n)]},
              {"title.text": heading(i)}) for i in range(len(maps))]
    title = heading(active)
    if len(maps) > 1:
        add_step_slider(fig, steps, labels=labels, prefix=prefix, active=active, traces=list(range(n)))
    _square_layout(fig, title, float(np.abs(xs).max()), height=580)
    return fig


def agreement_figure(widths: Sequence[int], depths: Sequence[int], table: object,
                     title: str = "Agreement with the exact basins") -> go.Figure:
    """Agreement (share of grid points, as %) against width, one line per depth.
    ``table``: (len(depths), len(widths)) or with a trailing seed axis (mean and range)."""
    t = np.asarray(table, dtype=np.float64)
    if t.ndim == 2:
        t = t[..., None]
    if t.shape[:2] != (len(depths), len(widths)):
        raise ValueError(f"table must have shape ({len(depths)}, {len(widths)}[, seeds]), got {t.shape}")
    fig = go.Figure()
    for i, d in enumerate(depths):
        mean = 100 * t[i].mean(axis=1)
        lo, hi = 100 * t[i].min(axis=1), 100 * t[i].max(axis=1)
        err = dict(type="data", symmetric=False, array=hi - mean, arrayminus=mean - lo,
                   visible=t.shape[2] > 1)
        fig.add_scatter(x=list(widths), y=mean, error_y=err, mode="lines+markers",
                        name=f"{d} hidden layer{'s' if d > 1 else ''}",
                        line=dict(color=COLORWAY[i % len(COLORWAY)], width=2.5),
                        hovertemplate="width %{x}: %{y:.2f}% agree<extra>depth " + str(d) + "</extra>")
    fig.update_layout(template=TEMPLATE, title=title, height=420,
                      xaxis=dict(title="neurons per hidden layer (width)", type="log",
                                 tickvals=list(widths), ticktext=[str(w) for w in widths]),
                      yaxis=dict(title="grid points in the right basin (%)"),
                      legend=dict(orientation="h", y=-0.25, x=0))
    return fig
