"""Figures of chapter 5, "Training and loss landscapes".

Pure functions from computed results (loss grids, optimizer paths, fitted curves,
accuracies) to plotly figures.  The interactive ones carry plotly sliders or buttons over
precomputed steps, so they work in the static HTML:

* :func:`surface_3d_figure`: the loss as a 3-D surface with paths, a slider over steps;
* :func:`paths_figure`: contour map with several paths and their losses, slider over steps;
* :func:`learning_rate_figure`: one path per learning rate, a slider over the rate;
* :func:`basins_figure`: many starts rolling into different minima, slider over steps;
* :func:`function_fit_figure`: a 1-D net's curve during training, slider over steps;
* :func:`seed_fits_figure`: nets from several seeds, inside and beyond the data;
* :func:`quantization_figure`: test accuracy against bits per weight.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import COLORWAY, TEMPLATE, add_step_slider

__all__ = ["step_marks", "surface_3d_figure", "paths_figure", "learning_rate_figure",
           "basins_figure", "function_fit_figure", "seed_fits_figure", "quantization_figure"]

_LEGEND_BELOW = dict(orientation="h", x=0, xanchor="left", y=-0.18, yanchor="top")


def _top_legend(fig: go.Figure, height: int, top: int = 130) -> None:
    """Title at the very top, a horizontal legend right below it that wraps downwards (on
    a phone it takes several lines) into a top margin of ``top`` pixels."""
    fig.update_layout(height=height, margin=dict(t=top),
                      title=dict(yref="container", y=1 - 10 / height, yanchor="top"),
                      legend=dict(orientation="h", yref="container", y=1 - 42 / height,
                                  yanchor="top", x=0, xanchor="left"))


def step_marks(n_steps: int, n_marks: int = 26) -> list[int]:
    """About ``n_marks`` steps from 0 to ``n_steps`` for a slider: dense at the start
    (where paths move most), always including 0 and ``n_steps``."""
    if n_steps < 1:
        return [0]
    marks = np.unique(np.round(np.geomspace(1, n_steps + 1, n_marks) - 1).astype(int))
    return [int(m) for m in marks]


def _r(a, digits: int = 4):
    """Round for the page (fewer characters of JSON), keeping NaN as None."""
    a = np.round(np.asarray(a, dtype=np.float64), digits)
    return [None if not np.isfinite(v) else float(v) for v in a.ravel()] if a.ndim == 1 else \
        [[None if not np.isfinite(v) else float(v) for v in row] for row in a]


def _prefix(points: np.ndarray, k: int) -> np.ndarray:
    return points[: k + 1]


def _check_grid(ws, bs, Z):
    ws, bs, Z = (np.asarray(a, dtype=np.float64) for a in (ws, bs, Z))
    if ws.ndim != 1 or bs.ndim != 1 or Z.shape != (len(bs), len(ws)):
        raise ValueError(f"Z must have shape (len(bs), len(ws)) = ({len(bs)}, {len(ws)}), got {Z.shape}")
    return ws, bs, Z


def _contour(ws, bs, Z, log: bool, showscale: bool = True) -> go.Contour:
    z = np.log10(np.maximum(Z, 1e-12)) if log else Z
    return go.Contour(
        x=_r(ws, 3), y=_r(bs, 3), z=_r(z, 3), customdata=_r(Z, 4) if log else None,
        colorscale="Viridis", ncontours=24, line=dict(width=0.5, color="rgba(255,255,255,0.5)"),
        showscale=showscale,
        colorbar=dict(title=dict(text="log₁₀ loss" if log else "loss", side="right"),
                      thickness=12, len=0.8),
        hovertemplate=("w = %{x:.2f}, b = %{y:.2f}<br>loss %{customdata:.4g}<extra></extra>"
                       if log else "w = %{x:.2f}, b = %{y:.2f}<br>loss %{z:.4g}<extra></extra>"))


def _window(fig, ws, bs, row=None, col=None):
    kw = {} if row is None else dict(row=row, col=col)
    fig.update_xaxes(range=[float(ws[0]), float(ws[-1])], title_text="weight w", **kw)
    fig.update_yaxes(range=[float(bs[0]), float(bs[-1])], title_text="bias b", **kw)


def surface_3d_figure(ws, bs, Z, paths: Mapping[str, object], marks: Sequence[int] | None = None,
                      title: str = "The loss surface and a path down it", log: bool = False,
                      minimum: Sequence[float] | None = None, z_max: float | None = None) -> go.Figure:
    """The loss ``Z[i, j] = L(ws[j], bs[i])`` as a 3-D surface, with each path of ``paths``
    (label -> :class:`lmlab.landscape.Path`) drawn on it; a slider over the steps
    ``marks`` grows the paths.  ``log``: plot ``log10`` of the loss (for surfaces whose
    loss spans several powers of ten); ``z_max``: cut the surface off at this height (the
    hover still gives the true loss)."""
    ws, bs, Z = _check_grid(ws, bs, Z)
    Ztrue = Z
    if z_max is not None:
        Z = np.minimum(Z, z_max)
    f = (lambda v: np.log10(np.maximum(v, 1e-12))) if log else (lambda v: v)
    zlabel = "log₁₀ loss" if log else "loss L(w, b)"
    n = max(len(p.points) for p in paths.values()) - 1
    marks = list(step_marks(n) if marks is None else marks)
    fig = go.Figure(go.Surface(
        x=_r(ws, 3), y=_r(bs, 3), z=_r(f(Z), 3), customdata=_r(Ztrue, 4), colorscale="Viridis",
        opacity=0.85, showscale=False, name="loss surface",
        hovertemplate="w = %{x:.2f}, b = %{y:.2f}<br>loss %{customdata:.4g}<extra></extra>"))
    lift = 0.015 * float(np.nanmax(f(Z)) - np.nanmin(f(Z)))
    for i, (label, p) in enumerate(paths.items()):
        fig.add_trace(go.Scatter3d(
            x=[], y=[], z=[], mode="lines+markers", name=label,
            line=dict(color=COLORWAY[(i + 1) % len(COLORWAY)], width=7),
            marker=dict(size=3.5, color=COLORWAY[(i + 1) % len(COLORWAY)]),
            hovertemplate=f"{label}<br>w = %{{x:.3f}}, b = %{{y:.3f}}<extra></extra>"))
    if minimum is not None:
        w0, b0 = minimum
        k = (np.abs(bs - b0).argmin(), np.abs(ws - w0).argmin())
        fig.add_trace(go.Scatter3d(x=[w0], y=[b0], z=[float(f(Z)[k]) + lift], mode="markers",
                                   name="minimum", marker=dict(symbol="x", size=6, color="black"),
                                   hovertemplate="minimum: w = %{x:.3f}, b = %{y:.3f}<extra></extra>"))
    traces = list(range(1, 1 + len(paths)))
    steps = []
    for m in marks:
        xs, ys, zs = [], [], []
        for p in paths.values():
            pts = _prefix(p.points, m)
            xs.append(_r(pts[:, 0]))
            ys.append(_r(pts[:, 1]))
            zs.append(_r(f(p.losses[: m + 1]) + lift))
        steps.append({"x": xs, "y": ys, "z": zs})
    add_step_slider(fig, steps, labels=marks, prefix="step ", active=len(marks) - 1, traces=traces)
    fig.update_layout(
        template=TEMPLATE, title=title, height=560, margin=dict(l=0, r=0, t=56, b=0),
        scene=dict(xaxis_title="weight w", yaxis_title="bias b", zaxis_title=zlabel,
                   camera=dict(eye=dict(x=1.45, y=-1.9, z=1.15)), aspectmode="cube"),
        legend=dict(x=0.01, y=0.95, bgcolor="rgba(255,255,255,0.7)"))
    return fig


def paths_figure(ws, bs, Z, paths: Mapping[str, object], marks: Sequence[int] | None = None,
                 title: str = "Three optimizers from the same start", log: bool = True,
                 minimum: Sequence[float] | None = None, best_loss: float | None = None) -> go.Figure:
    """Contour map of the loss with each path of ``paths`` (label -> Path) above, and the
    loss along each path below (log scale); a slider over the steps ``marks`` grows the
    paths and moves a marker along each loss curve."""
    ws, bs, Z = _check_grid(ws, bs, Z)
    n = max(len(p.points) for p in paths.values()) - 1
    marks = list(step_marks(n) if marks is None else marks)
    fig = make_subplots(rows=2, cols=1, row_heights=[0.66, 0.34], vertical_spacing=0.13)
    fig.add_trace(_contour(ws, bs, Z, log), row=1, col=1)
    colors = {label: COLORWAY[(i + 1) % len(COLORWAY)] for i, label in enumerate(paths)}
    for label, p in paths.items():
        fig.add_trace(go.Scatter(x=[], y=[], mode="lines+markers", name=label, legendgroup=label,
                                 line=dict(color=colors[label], width=2.5), marker=dict(size=4),
                                 hovertemplate=f"{label}<br>w = %{{x:.3f}}, b = %{{y:.3f}}<extra></extra>"),
                      row=1, col=1)
    for label, p in paths.items():
        excess = p.losses - (best_loss if best_loss is not None else 0.0)
        fig.add_trace(go.Scatter(x=list(range(len(p.losses))), y=_r(np.maximum(excess, 1e-12), 10),
                                 mode="lines", legendgroup=label, showlegend=False,
                                 line=dict(color=colors[label], width=2),
                                 hovertemplate=f"{label}<br>step %{{x}}: %{{y:.3g}}<extra></extra>"),
                      row=2, col=1)
    for label in paths:
        fig.add_trace(go.Scatter(x=[], y=[], mode="markers", legendgroup=label, showlegend=False,
                                 marker=dict(color=colors[label], size=9, line=dict(color="white", width=1)),
                                 hoverinfo="skip"), row=2, col=1)
    if minimum is not None:
        fig.add_trace(go.Scatter(x=[minimum[0]], y=[minimum[1]], mode="markers", name="minimum",
                                 marker=dict(symbol="x", size=11, color="white",
                                             line=dict(color="black", width=1)),
                                 hovertemplate="minimum: w = %{x:.3f}, b = %{y:.3f}<extra></extra>"),
                      row=1, col=1)
    k = len(paths)
    path_traces = list(range(1, 1 + k))
    dot_traces = list(range(1 + 2 * k, 1 + 3 * k))
    steps = []
    for m in marks:
        xs, ys = [], []
        for p in paths.values():
            pts = _prefix(p.points, m)
            xs.append(_r(pts[:, 0]))
            ys.append(_r(pts[:, 1]))
        for p in paths.values():
            e = p.losses[m] - (best_loss if best_loss is not None else 0.0)
            xs.append([m])
            ys.append([None if not np.isfinite(e) else float(max(e, 1e-12))])
        steps.append({"x": xs, "y": ys})
    add_step_slider(fig, steps, labels=marks, prefix="step ", active=len(marks) - 1,
                    traces=path_traces + dot_traces, y=-0.08, yanchor="top", pad=dict(t=30, b=0))
    _window(fig, ws, bs, 1, 1)
    fig.update_xaxes(title_text="step", row=2, col=1)
    fig.update_yaxes(type="log", title_text="loss − minimum" if best_loss is not None else "loss",
                     exponentformat="power", row=2, col=1)
    fig.update_layout(template=TEMPLATE, title=title, margin=dict(b=110))
    _top_legend(fig, 760)
    fig.data[0].colorbar.update(len=0.55, y=1.0, yanchor="top")
    return fig


def learning_rate_figure(ws, bs, Z, paths: Sequence[object], labels: Sequence[str],
                         active: int = 0, title: str = "Gradient descent at several learning rates",
                         log: bool = True, minimum: Sequence[float] | None = None,
                         best_loss: float | None = None) -> go.Figure:
    """Contour map with the path of plain gradient descent for one learning rate at a
    time, and its loss against step below; a slider chooses the learning rate
    (``paths[i]`` labelled ``labels[i]``).  A diverged path is cut where it left."""
    ws, bs, Z = _check_grid(ws, bs, Z)
    if len(paths) != len(labels) or not paths:
        raise ValueError("paths and labels must be non-empty and of the same length")
    fig = make_subplots(rows=2, cols=1, row_heights=[0.66, 0.34], vertical_spacing=0.13)
    fig.add_trace(_contour(ws, bs, Z, log), row=1, col=1)
    color = COLORWAY[1]
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines+markers", name="path",
                             line=dict(color=color, width=2.5), marker=dict(size=4),
                             hovertemplate="w = %{x:.3f}, b = %{y:.3f}<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="loss", showlegend=False,
                             line=dict(color=color, width=2),
                             hovertemplate="step %{x}: %{y:.3g}<extra></extra>"), row=2, col=1)
    if minimum is not None:
        fig.add_trace(go.Scatter(x=[minimum[0]], y=[minimum[1]], mode="markers", name="minimum",
                                 showlegend=False,
                                 marker=dict(symbol="x", size=11, color="white",
                                             line=dict(color="black", width=1)),
                                 hovertemplate="minimum: w = %{x:.3f}, b = %{y:.3f}<extra></extra>"),
                      row=1, col=1)
    steps = []
    ymax = 1e-12
    for p in paths:
        ok = np.isfinite(p.losses)
        excess = np.maximum(p.losses[ok] - (best_loss or 0.0), 1e-12)
        ymax = max(ymax, float(excess.max()))
        steps.append(({"x": [_r(p.points[ok, 0]), list(range(int(ok.sum())))],
                       "y": [_r(p.points[ok, 1]), _r(excess, 10)]},
                      {}))
    steps = [s[0] for s in steps]
    add_step_slider(fig, steps, labels=labels, prefix="learning rate ", active=active,
                    traces=[1, 2], y=-0.08, yanchor="top", pad=dict(t=30, b=0))
    _window(fig, ws, bs, 1, 1)
    n = max(len(p.losses) for p in paths) - 1
    lows = [float(np.nanmin(np.maximum(p.losses - (best_loss or 0.0), 1e-12))) for p in paths]
    fig.update_xaxes(title_text="step", range=[0, n], row=2, col=1)
    fig.update_yaxes(type="log", title_text="loss − minimum" if best_loss is not None else "loss",
                     exponentformat="power", dtick=3,
                     range=[np.floor(np.log10(min(lows))), np.ceil(np.log10(ymax)) + 0.3], row=2, col=1)
    fig.update_layout(template=TEMPLATE, title=title, height=720, showlegend=False,
                      margin=dict(t=64, b=110))
    fig.data[0].colorbar.update(len=0.55, y=1.0, yanchor="top")
    return fig


def basins_figure(ws, bs, Z, basins, marks: Sequence[int] | None = None,
                  title: str = "Where gradient descent ends depends on where it starts",
                  log: bool = False) -> go.Figure:
    """Contour map with every start of ``basins`` (:class:`lmlab.landscape.Basins`) as a
    dot coloured by the minimum it ends in (lowest first), faint full paths, and the
    minima as crosses; a slider over the steps ``marks`` moves the dots."""
    ws, bs, Z = _check_grid(ws, bs, Z)
    n = len(basins.paths[0].points) - 1
    marks = list(step_marks(n) if marks is None else marks)
    palette = COLORWAY[1:] + COLORWAY[:1]
    fig = go.Figure(_contour(ws, bs, Z, log))
    xs, ys = [], []
    for p in basins.paths:
        xs += _r(p.points[:, 0]) + [None]
        ys += _r(p.points[:, 1]) + [None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="paths", hoverinfo="skip",
                             line=dict(color="rgba(255,255,255,0.45)", width=1)))
    colors = [palette[k % len(palette)] for k in basins.labels]
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="walkers",
                             marker=dict(color=colors, size=8, line=dict(color="white", width=1)),
                             customdata=[[int(k) + 1, float(basins.losses[k])] for k in basins.labels],
                             hovertemplate="ends in minimum %{customdata[0]} (loss %{customdata[1]:.3f})"
                                           "<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=_r(basins.minima[:, 0]), y=_r(basins.minima[:, 1]), mode="markers+text",
        text=[str(i + 1) for i in range(len(basins.minima))], textposition="top right",
        textfont=dict(color="white", size=13), name="minima",
        marker=dict(symbol="x", size=12, color=[palette[k % len(palette)] for k in range(len(basins.minima))],
                    line=dict(color="white", width=1)),
        customdata=_r(basins.losses), hovertemplate="minimum %{text}: loss %{customdata:.4f}<br>"
                                                     "w = %{x:.3f}, b = %{y:.3f}<extra></extra>"))
    steps = []
    for m in marks:
        steps.append({"x": [_r([p.points[m, 0] for p in basins.paths])],
                      "y": [_r([p.points[m, 1] for p in basins.paths])]})
    add_step_slider(fig, steps, labels=marks, prefix="step ", active=0, traces=[2],
                    y=-0.12, yanchor="top", pad=dict(t=30, b=0))
    _window(fig, ws, bs)
    fig.update_layout(template=TEMPLATE, title=title, height=560, showlegend=False,
                      margin=dict(t=64, b=110))
    return fig


def function_fit_figure(grid, snapshots: Mapping[int, object], x, y, losses,
                        target=None, title: str = "A 1-input, 1-output net learning sin 2x",
                        data_range: Sequence[float] | None = None) -> go.Figure:
    """The net's curve on ``grid`` at each step of ``snapshots`` (step -> predictions)
    with the training points ``(x, y)`` and the ``target`` curve; below, the L2 loss at
    every step (``losses``, log scale) with a marker at the step shown.  A slider over
    the snapshot steps; step 0 is the random initial net."""
    g = np.asarray(grid, dtype=np.float64)
    loss = np.asarray(losses, dtype=np.float64)
    marks = sorted(snapshots)
    if not marks:
        raise ValueError("snapshots must hold at least one step")
    fig = make_subplots(rows=2, cols=1, row_heights=[0.62, 0.38], vertical_spacing=0.14)
    if target is not None:
        fig.add_trace(go.Scatter(x=_r(g), y=_r(target(g)), mode="lines", name="the function",
                                 line=dict(color="#999999", dash="dot", width=2),
                                 hovertemplate="x = %{x:.2f}: %{y:.3f}<extra>function</extra>"), row=1, col=1)
    fig.add_trace(go.Scatter(x=_r(x), y=_r(y), mode="markers", name="training points",
                             marker=dict(color=COLORWAY[7], size=7),
                             hovertemplate="x = %{x:.2f}, y = %{y:.3f}<extra>training point</extra>"),
                  row=1, col=1)
    net = len(fig.data)
    fig.add_trace(go.Scatter(x=_r(g), y=[], mode="lines", name="the net",
                             line=dict(color=COLORWAY[0], width=3),
                             hovertemplate="x = %{x:.2f}: net %{y:.3f}<extra></extra>"), row=1, col=1)
    s = np.arange(1, len(loss))
    fig.add_trace(go.Scatter(x=s, y=_r(loss[1:], 8), mode="lines", name="L2 loss", showlegend=False,
                             line=dict(color=COLORWAY[1], width=2),
                             hovertemplate="step %{x}: loss %{y:.3g}<extra></extra>"), row=2, col=1)
    dot = len(fig.data)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", showlegend=False, hoverinfo="skip",
                             marker=dict(color=COLORWAY[1], size=10, line=dict(color="white", width=1))),
                  row=2, col=1)
    steps = [{"x": [_r(g), [max(m, 1)]], "y": [_r(snapshots[m]), [float(loss[m])]]} for m in marks]
    add_step_slider(fig, steps, labels=marks, prefix="training step ", active=len(marks) - 1,
                    traces=[net, dot], y=-0.1, yanchor="top", pad=dict(t=30, b=0))
    if data_range is not None:
        fig.add_vrect(x0=data_range[0], x1=data_range[1], fillcolor="#0072B2", opacity=0.06,
                      line_width=0, row=1, col=1)
    fig.update_xaxes(title_text="x (input)", row=1, col=1)
    fig.update_yaxes(title_text="y (output)", range=[-2.2, 2.2], row=1, col=1)
    fig.update_xaxes(title_text="training step (log scale)", type="log", row=2, col=1)
    fig.update_yaxes(title_text="L2 loss (log scale)", type="log", exponentformat="power", row=2, col=1)
    fig.update_layout(template=TEMPLATE, title=title, margin=dict(b=110))
    _top_legend(fig, 720)
    return fig


def seed_fits_figure(grid, fits: Mapping[str, tuple[object, object]], x, y, target=None,
                     data_range: Sequence[float] | None = None,
                     title: str = "Equally good fits, different guesses beyond the data") -> go.Figure:
    """One curve per seed for each set of ``fits`` (label -> ``(predictions (S, G),
    seeds)``), with the training points and the ``target``; buttons switch between the
    sets (e.g. activations).  The data's range is shaded."""
    g = np.asarray(grid, dtype=np.float64)
    if not fits:
        raise ValueError("fits must hold at least one set of curves")
    fig = go.Figure()
    fixed = []
    if target is not None:
        fig.add_trace(go.Scatter(x=_r(g), y=_r(target(g)), mode="lines", name="the function",
                                 line=dict(color="#777777", dash="dot", width=2),
                                 hovertemplate="x = %{x:.2f}: %{y:.3f}<extra>function</extra>"))
        fixed.append(len(fig.data) - 1)
    fig.add_trace(go.Scatter(x=_r(x), y=_r(y), mode="markers", name="training points",
                             marker=dict(color=COLORWAY[7], size=7),
                             hovertemplate="x = %{x:.2f}, y = %{y:.3f}<extra>training point</extra>"))
    fixed.append(len(fig.data) - 1)
    groups = []
    for gi, (label, (preds, seeds)) in enumerate(fits.items()):
        P = np.asarray(preds, dtype=np.float64)
        idx = []
        for i, (row, s) in enumerate(zip(P, seeds)):
            fig.add_trace(go.Scatter(
                x=_r(g), y=_r(row), mode="lines", name=f"seed {s}", visible=gi == 0,
                line=dict(color=COLORWAY[i % 7], width=2), legendgroup=label,
                hovertemplate=f"{label}, seed {s}<br>x = %{{x:.2f}}: %{{y:.3f}}<extra></extra>"))
            idx.append(len(fig.data) - 1)
        groups.append((label, idx))
    n = len(fig.data)
    if len(groups) > 1:
        buttons = []
        for label, idx in groups:
            vis = [i in fixed or i in idx for i in range(n)]
            buttons.append(dict(label=label, method="restyle", args=[{"visible": vis}]))
        fig.update_layout(updatemenus=[dict(type="buttons", direction="right", x=0, xanchor="left",
                                            y=1.0, yanchor="bottom", pad=dict(b=8), showactive=True,
                                            active=0, buttons=buttons)])
    if data_range is not None:
        fig.add_vrect(x0=data_range[0], x1=data_range[1], fillcolor="#0072B2", opacity=0.07,
                      line_width=0, annotation_text="training data", annotation_position="top")
    fig.update_layout(template=TEMPLATE, title=title, height=520,
                      xaxis=dict(title="x (input)"), yaxis=dict(title="y (output)"),
                      legend=_LEGEND_BELOW, margin=dict(t=100, b=80))
    return fig


def quantization_figure(bits: Sequence[int], accuracy: Mapping[str, Sequence[float]],
                        full_accuracy: float, title: str = "Test accuracy with fewer bits per weight",
                        n_test: int | None = None) -> go.Figure:
    """Test accuracy (percent) against bits per weight for each series of ``accuracy``
    (label -> one value per entry of ``bits``), with the unquantized (32-bit float)
    accuracy as a dashed line."""
    b = [int(v) for v in bits]
    fig = go.Figure()
    for i, (label, acc) in enumerate(accuracy.items()):
        a = 100 * np.asarray(acc, dtype=np.float64)
        extra = "" if n_test is None else " (%{customdata} of " + f"{n_test})"
        fig.add_trace(go.Scatter(
            x=b, y=_r(a, 3), mode="lines+markers", name=label,
            customdata=None if n_test is None else np.round(a / 100 * n_test).astype(int),
            line=dict(color=COLORWAY[i], width=2.5), marker=dict(size=9),
            hovertemplate=f"{label}<br>%{{x}} bits: %{{y:.1f}}% correct{extra}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[min(b), max(b)], y=[100 * full_accuracy] * 2, mode="lines",
                             name="32-bit floats", line=dict(color="#555555", dash="dash"),
                             hovertemplate=f"32-bit floats: {100 * full_accuracy:.1f}%<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title=title, height=440,
                      xaxis=dict(title="bits per weight", tickvals=sorted(set(b)), autorange="reversed"),
                      yaxis=dict(title="test accuracy (%)", range=[0, 101]),
                      legend=_LEGEND_BELOW, margin=dict(b=90))
    return fig
