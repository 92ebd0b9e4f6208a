"""Live widget of chapter 5: send an optimizer down a loss surface from any start.

Controls: the surface (``valley``: a line fit; ``waves``: a sine fit with local minima),
the optimizer (gradient descent, momentum, Adam), the learning rate (log slider), the
number of steps and the start ``(w, b)``; clicking the map also moves the start.  Every
change recomputes the path with :func:`lmlab.landscape.descend` and redraws it.

Needs a kernel (JupyterLab, Binder, Colab); in the static HTML the chapter's plotly
figures with sliders over precomputed paths play its part.
"""
from __future__ import annotations

import html
import time

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go

from .. import landscape as _ls
from ..fig import TEMPLATE
from . import widget_box
from ..fig.landscape import _contour

__all__ = ["OPTIMIZER_LABELS", "landscape_explorer"]

#: Menu labels of :data:`lmlab.optim.OPTIMIZERS`.
OPTIMIZER_LABELS = {"gradient descent": "sgd", "momentum (μ = 0.9)": "momentum", "Adam": "adam"}


def _summary(path: _ls.Path, surface: _ls.Surface) -> str:
    if path.diverged:
        n = int(np.isfinite(path.losses).sum()) - 1
        return (f"<b>Diverged</b> after {n} steps: each step overshoots by more than the last. "
                "Lower the learning rate.")
    w, b = path.end
    text = (f"After {len(path.losses) - 1} steps: w = {w:.3f}, b = {b:.3f}, "
            f"loss {path.final_loss:.4g}")
    if surface.minimum is not None:
        best = surface(*surface.minimum)
        text += f" (the minimum is {best:.4g} at w = {surface.minimum[0]:.3f}, b = {surface.minimum[1]:.3f})"
    return html.escape(text, quote=False)


def landscape_explorer(surface: str = "valley", optimizer: str = "sgd", lr: float = 0.02,
                       start: tuple[float, float] = (-1.0, 3.5), steps: int = 100,
                       resolution: int = 81) -> widgets.VBox:
    """A widget that runs ``optimizer`` on ``surface`` from ``start`` and draws the path.

    Returns a ``widgets.VBox`` with ``.controls`` (``"surface"``, ``"optimizer"``,
    ``"lr"``, ``"steps"``, ``"w0"``, ``"b0"``), ``.figure`` (a ``go.FigureWidget``:
    contour, path, start, end), ``.output`` (an HTML line with the end point and loss)
    and ``.state`` (``"surface"``, ``"path"``, ``"seconds"``: time of the last update).
    Changing a control's ``.value`` recomputes synchronously.
    """
    surfaces = {name: _ls.get_surface(name) for name in _ls.SURFACES}
    if surface not in surfaces:
        raise ValueError(f"surface must be one of {', '.join(map(repr, surfaces))}; got {surface!r}")
    if optimizer not in OPTIMIZER_LABELS.values():
        raise ValueError(f"optimizer must be one of {', '.join(map(repr, OPTIMIZER_LABELS.values()))}; "
                         f"got {optimizer!r}")
    _ls.optim.check_lr(lr)
    grids = {name: _ls.loss_grid(s, resolution) for name, s in surfaces.items()}
    s0 = surfaces[surface]
    style = {"description_width": "110px"}
    wide = widgets.Layout(width="380px")
    c_surface = widgets.Dropdown(options=[("valley (line fit)", "valley"), ("waves (sine fit)", "waves")],
                                 value=surface, description="surface", style=style, layout=wide)
    c_opt = widgets.Dropdown(options=list(OPTIMIZER_LABELS.items()), value=optimizer,
                             description="optimizer", style=style, layout=wide)
    c_lr = widgets.FloatLogSlider(value=lr, base=10, min=-3, max=0, step=0.05, description="learning rate",
                                  readout_format=".3g", style=style, layout=wide, continuous_update=False)
    c_steps = widgets.IntSlider(value=steps, min=1, max=500, description="steps", style=style,
                                layout=wide, continuous_update=False)
    c_w = widgets.FloatSlider(value=start[0], min=s0.w_range[0], max=s0.w_range[1], step=0.05,
                              description="start w", style=style, layout=wide, continuous_update=False)
    c_b = widgets.FloatSlider(value=start[1], min=s0.b_range[0], max=s0.b_range[1], step=0.05,
                              description="start b", style=style, layout=wide, continuous_update=False)

    ws, bs, Z = grids[surface]
    fig = go.FigureWidget(data=[
        _contour(ws, bs, Z, log=surface == "valley"),
        go.Scatter(x=[], y=[], mode="lines+markers", name="path", line=dict(color="#D55E00", width=2.5),
                   marker=dict(size=4), hovertemplate="w = %{x:.3f}, b = %{y:.3f}<extra></extra>"),
        go.Scatter(x=[], y=[], mode="markers", name="start",
                   marker=dict(color="white", size=11, line=dict(color="black", width=1.5))),
        go.Scatter(x=[], y=[], mode="markers", name="end",
                   marker=dict(symbol="x", color="#D55E00", size=12, line=dict(color="white", width=1))),
    ])
    fig.update_layout(template=TEMPLATE, height=460, showlegend=False,
                      title="Click the map to move the start",
                      xaxis=dict(title="weight w", range=[ws[0], ws[-1]]),
                      yaxis=dict(title="bias b", range=[bs[0], bs[-1]]),
                      margin=dict(l=60, r=20, t=50, b=50))
    out = widgets.HTML()
    state: dict = {}

    def update(_change=None):
        t0 = time.perf_counter()
        s = surfaces[c_surface.value]
        path = _ls.descend(s, (c_w.value, c_b.value), c_opt.value, c_lr.value, c_steps.value)
        ok = np.isfinite(path.points).all(axis=1)
        with fig.batch_update():
            fig.data[1].x, fig.data[1].y = path.points[ok, 0], path.points[ok, 1]
            fig.data[2].x, fig.data[2].y = [c_w.value], [c_b.value]
            e = path.end
            fig.data[3].x, fig.data[3].y = [e[0]], [e[1]]
        out.value = _summary(path, s)
        state.update(surface=s, path=path, seconds=time.perf_counter() - t0)

    def change_surface(_change):
        s = surfaces[c_surface.value]
        ws, bs, Z = grids[c_surface.value]
        new = _contour(ws, bs, Z, log=c_surface.value == "valley")
        with fig.batch_update():
            fig.data[0].update(x=new.x, y=new.y, z=new.z, customdata=new.customdata,
                               hovertemplate=new.hovertemplate, colorbar=new.colorbar)
            fig.layout.xaxis.range = [ws[0], ws[-1]]
            fig.layout.yaxis.range = [bs[0], bs[-1]]
        with c_w.hold_trait_notifications(), c_b.hold_trait_notifications():
            c_w.min, c_w.max = min(c_w.min, s.w_range[0]), max(c_w.max, s.w_range[1])
            c_b.min, c_b.max = min(c_b.min, s.b_range[0]), max(c_b.max, s.b_range[1])
            c_w.value = float(np.clip(c_w.value, *s.w_range))
            c_b.value = float(np.clip(c_b.value, *s.b_range))
            c_w.min, c_w.max = s.w_range
            c_b.min, c_b.max = s.b_range
        update()

    def click(trace, points, _selector):
        if points.xs:
            with c_w.hold_trait_notifications(), c_b.hold_trait_notifications():
                c_w.value, c_b.value = float(points.xs[0]), float(points.ys[0])
            update()

    c_surface.observe(change_surface, names="value")
    for c in (c_opt, c_lr, c_steps, c_w, c_b):
        c.observe(update, names="value")
    fig.data[0].on_click(click)
    update()
    rows = [widgets.HBox([widgets.VBox([c_surface, c_opt, c_lr]), widgets.VBox([c_steps, c_w, c_b])],
                         layout=widgets.Layout(flex_flow="row wrap")), fig, out]
    box = widget_box(rows, {"surface": c_surface, "optimizer": c_opt, "lr": c_lr, "steps": c_steps,
                            "w0": c_w, "b0": c_b}, figure=fig, output=out, state=state)
    return box
