"""Figures of chapter 3, "What is a model": fall-time fits, polynomial degree against
train and test error, and the n-gram order as the same kind of knob.

Pure functions from computed arrays to plotly figures; the fits themselves come from
:mod:`lmlab.models`.  Sliders and buttons switch precomputed data (static HTML).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import COLORWAY, TEMPLATE, add_step_slider

__all__ = ["fits_figure", "degree_figure", "order_figure"]


def _arr(name: str, values: object, length: int | None = None, ndim: int = 1) -> np.ndarray:
    a = np.asarray(values, dtype=np.float64)
    if a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {a.shape}")
    if length is not None and len(a) != length:
        raise ValueError(f"{name} has {len(a)} entries, expected {length}")
    return a


def fits_figure(datasets: Mapping[str, tuple[object, object, Mapping[str, object]]],
                h_curve: object, exact: object | None = None,
                title: str = "Fall time against height: three fitted formulas") -> go.Figure:
    """Measured fall times and fitted curves, one button per dataset.

    ``datasets``: ``{label: (heights, times, {formula: fitted times on h_curve})}``;
    ``exact``: the true curve on ``h_curve`` (dashed), shown with every dataset.
    """
    if not datasets:
        raise ValueError("datasets must hold at least one dataset")
    hc = _arr("h_curve", h_curve)
    fig = go.Figure()
    groups = []
    for d, (label, (h, t, fits)) in enumerate(datasets.items()):
        h, t = _arr("heights", h), _arr("times", t, len(_arr("heights", h)))
        first = len(fig.data)
        fig.add_scatter(x=h, y=t, mode="markers", name="measured", legendgroup="measured",
                        marker=dict(size=9, color="#222222"), visible=d == 0,
                        hovertemplate="h = %{x:.0f} m: t = %{y:.3f} s<extra>measured</extra>")
        for k, (formula, yc) in enumerate(fits.items()):
            fig.add_scatter(x=hc, y=_arr(formula, yc, len(hc)), mode="lines", name=formula,
                            line=dict(color=COLORWAY[k % len(COLORWAY)], width=2.5),
                            visible=d == 0, legendgroup=formula,
                            hovertemplate="h = %{x:.1f} m: t = %{y:.3f} s<extra>" + formula + "</extra>")
        groups.append(range(first, len(fig.data)))
    if exact is not None:
        fig.add_scatter(x=hc, y=_arr("exact", exact, len(hc)), mode="lines", name="√(2h/g) (exact)",
                        line=dict(color="#777777", dash="dash", width=1.5),
                        hovertemplate="h = %{x:.1f} m: t = %{y:.3f} s<extra>exact</extra>")
    n = len(fig.data)
    if len(datasets) > 1:
        buttons = []
        for label, idx in zip(datasets, groups):
            vis = [i in idx or (exact is not None and i == n - 1) for i in range(n)]
            buttons.append(dict(label=label, method="restyle", args=[{"visible": vis}]))
        fig.update_layout(updatemenus=[dict(type="buttons", direction="right", buttons=buttons,
                                            x=0.0, xanchor="left", y=1.0, yanchor="bottom",
                                            pad=dict(b=6), showactive=True)])
    ts = np.concatenate([_arr("times", v[1]) for v in datasets.values()])
    lo, hi = float(ts.min()), float(ts.max())
    fig.update_layout(template=TEMPLATE, title=dict(text=title, y=0.98), height=460,
                      margin=dict(t=100),
                      xaxis=dict(title="height h (m)"),
                      yaxis=dict(title="fall time t (s)", range=[lo - 0.5, hi + 0.5]),
                      legend=dict(orientation="h", y=-0.2, x=0))
    return fig


def degree_figure(x_train: object, y_train: object, x_test: object, y_test: object,
                  x_curve: object, curves: object, degrees: Sequence[int],
                  train_err: object, test_err: object, active: int = 0,
                  exact: object | None = None,
                  title: str = "Polynomial fits of growing degree") -> go.Figure:
    """Top: training and test points and the fitted polynomial; bottom: RMS error on the
    training and test points against degree.  A slider picks the degree (precomputed
    ``curves[i]`` on ``x_curve`` for ``degrees[i]``)."""
    degrees = list(degrees)
    xc = _arr("x_curve", x_curve)
    cv = _arr("curves", curves, len(degrees), ndim=2)
    tr, te = _arr("train_err", train_err, len(degrees)), _arr("test_err", test_err, len(degrees))
    xt, yt = _arr("x_train", x_train), _arr("y_train", y_train)
    xs, ys = _arr("x_test", x_test), _arr("y_test", y_test)
    fig = make_subplots(rows=2, cols=1, row_heights=[0.58, 0.42], vertical_spacing=0.16)
    fig.add_scatter(x=xc, y=cv[active], mode="lines", name="fitted polynomial",
                    line=dict(color=COLORWAY[0], width=2.5), row=1, col=1,
                    hovertemplate="h = %{x:.1f} m: %{y:.3f} s<extra>fit</extra>")
    fig.add_scatter(x=[degrees[active]], y=[te[active]], mode="markers", name="this degree",
                    marker=dict(size=14, color="rgba(0,0,0,0)", line=dict(color="#222", width=2)),
                    row=2, col=1, hoverinfo="skip", showlegend=False)
    fig.add_scatter(x=xs, y=ys, mode="markers", name="test (not fitted)",
                    marker=dict(size=5, color=COLORWAY[1], opacity=0.5), row=1, col=1,
                    hovertemplate="h = %{x:.1f} m: %{y:.3f} s<extra>test point</extra>")
    fig.add_scatter(x=xt, y=yt, mode="markers", name="training (fitted)",
                    marker=dict(size=9, color="#222222"), row=1, col=1,
                    hovertemplate="h = %{x:.1f} m: %{y:.3f} s<extra>training point</extra>")
    if exact is not None:
        fig.add_scatter(x=xc, y=_arr("exact", exact, len(xc)), mode="lines", name="exact",
                        line=dict(color="#777", dash="dash", width=1.5), row=1, col=1,
                        hoverinfo="skip")
    fig.add_scatter(x=degrees, y=tr, mode="lines+markers", name="training error",
                    line=dict(color="#222222"), row=2, col=1, showlegend=False,
                    hovertemplate="degree %{x}: %{y:.4f} s<extra>training error</extra>")
    fig.add_scatter(x=degrees, y=te, mode="lines+markers", name="test error",
                    line=dict(color=COLORWAY[1]), row=2, col=1, showlegend=False,
                    hovertemplate="degree %{x}: %{y:.4f} s<extra>test error</extra>")
    ymin, ymax = float(np.min(yt)), float(np.max(yt))
    steps = [{"x": [xc, [d]], "y": [cv[i], [te[i]]]} for i, d in enumerate(degrees)]
    add_step_slider(fig, steps, labels=degrees, prefix="degree = ", active=active,
                    traces=[0, 1], pad=dict(t=72, b=4))
    positive = np.concatenate([tr[tr > 0], te])
    fig.update_layout(template=TEMPLATE, title=title, height=740, margin=dict(t=64, b=72),
                      legend=dict(x=0.01, y=0.995, xanchor="left", yanchor="top",
                                  bgcolor="rgba(255,255,255,0.85)", font=dict(size=12)),
                      annotations=[dict(text=(f"<span style='color:#222222'>●</span> training error  "
                                              f"<span style='color:{COLORWAY[1]}'>●</span> test error"), x=0.01, y=0.42 * (1 - 0.16),
                                        xref="paper", yref="paper", showarrow=False,
                                        xanchor="left", yanchor="top", font=dict(size=12),
                                        bgcolor="rgba(255,255,255,0.85)")])
    fig.update_xaxes(title_text="height h (m)", row=1, col=1)
    fig.update_yaxes(title_text="fall time (s)", range=[ymin - 0.6, ymax + 0.6], row=1, col=1)
    fig.update_xaxes(title_text="polynomial degree", dtick=1, row=2, col=1)
    fig.update_yaxes(title_text="RMS error (s)", type="log", row=2, col=1,
                     range=[np.log10(max(positive.min(), 1e-4)) - 0.2, np.log10(positive.max()) + 0.2])
    return fig


def order_figure(orders: Sequence[int], train_nats: object, heldout_nats: object,
                 title: str = "The n-gram order as a knob") -> go.Figure:
    """Cross-entropy against order on the counted text and on held-out text."""
    o = list(orders)
    tr, he = _arr("train_nats", train_nats, len(o)), _arr("heldout_nats", heldout_nats, len(o))
    best = int(np.argmin(he))
    fig = go.Figure()
    fig.add_scatter(x=o, y=tr, mode="lines+markers", name="text it was counted on",
                    line=dict(color="#222222"),
                    hovertemplate="n = %{x}: %{y:.3f} nats/char<extra>training text</extra>")
    fig.add_scatter(x=o, y=he, mode="lines+markers", name="held-out text",
                    line=dict(color=COLORWAY[1], width=3),
                    hovertemplate="n = %{x}: %{y:.3f} nats/char<extra>held-out text</extra>")
    fig.add_scatter(x=[o[best]], y=[he[best]], mode="markers", name="best held-out",
                    marker=dict(size=16, symbol="circle-open", color=COLORWAY[1], line=dict(width=2)),
                    hoverinfo="skip")
    fig.update_layout(template=TEMPLATE, title=title, height=420,
                      xaxis=dict(title="n (model order)", dtick=1),
                      yaxis=dict(title="cross-entropy (nats per character)"),
                      legend=dict(orientation="h", y=-0.22, x=0))
    return fig
