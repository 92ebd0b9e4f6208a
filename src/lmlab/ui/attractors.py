"""Live widgets of chapter 4: type attractors and see their basins; move single weights of
a trained tiny net and see its regions move.

* :func:`basin_explorer`: a text box of points ``"x, y; x, y; ..."``; every change redraws
  the exact nearest-attractor map (:func:`lmlab.attractors.basin_map`) on a 200 x 200 grid.
* :func:`weight_explorer`: one slider per chosen weight or bias of an :class:`lmlab.mlp.MLP`;
  every move sets that parameter (:func:`lmlab.mlp.set_parameter`), recomputes the net's
  map on the grid (:func:`lmlab.mlp.predict_map`) and redraws it, with its agreement
  with the exact map.

Both need a kernel; in the static HTML the chapter's slider figures over precomputed maps
play their part.
"""
from __future__ import annotations

import base64
import copy
from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go
import torch

from .. import attractors as att
from .. import mlp
from ..fig import attractors as fig_att

__all__ = ["basin_explorer", "weight_explorer", "typed_map", "map_of"]


def typed_map(m: np.ndarray) -> dict:
    """A class map as plotly's typed-array spec (int8, base64).  Setting a FigureWidget's
    ``z`` to this costs microseconds; a numpy array is turned into nested lists for the
    front end, which for 200 x 200 points took tens of milliseconds per redraw."""
    m = np.ascontiguousarray(m, dtype=np.int8)
    return {"dtype": "i1", "bdata": base64.b64encode(m.tobytes()).decode("ascii"),
            "shape": f"{m.shape[0]}, {m.shape[1]}"}


def map_of(z: object) -> np.ndarray:
    """The class map shown by a heatmap's ``z`` (a typed-array spec or an array)."""
    if isinstance(z, dict):
        rows, cols = (int(v) for v in z["shape"].split(","))
        return np.frombuffer(base64.b64decode(z["bdata"]), dtype=np.int8).reshape(rows, cols)
    return np.asarray(z)


def _figure(grid: att.Grid, m: np.ndarray, pts: np.ndarray, k: int, title: str) -> go.FigureWidget:
    base = go.Figure([fig_att._heatmap(grid.xs, m, k), fig_att._marker_trace(pts, k)])
    fig_att._square_layout(base, title, grid.lim, height=480)
    return go.FigureWidget(base)


def basin_explorer(points: str = "-0.5, -0.4; 0.55, -0.3; 0.0, 0.6", resolution: int = 200,
                   max_points: int = 7) -> widgets.VBox:
    """A text box of up to ``max_points`` attractors and their exact basins.  The box has
    ``.controls`` (``"points"``), ``.figure`` (heatmap + attractors), ``.output`` (a
    message: the basin areas, or what is wrong with the text) and ``.state``
    (``attractors``, ``map``)."""
    grid = att.make_grid(resolution)
    controls = {"points": widgets.Text(value=points, description="attractors",
                                       placeholder="x, y; x, y; ...", continuous_update=False,
                                       layout=widgets.Layout(width="460px"))}
    state: dict[str, object] = {}

    def compute() -> str:
        try:
            pts = att.parse_points(controls["points"].value)
            if len(pts) > max_points:
                raise ValueError(f"at most {max_points} points here, got {len(pts)}")
        except (TypeError, ValueError) as e:
            return f"<span style='color:#D55E00'>{e}</span>"
        m = att.basin_map(pts, grid)
        state.update(attractors=pts, map=m)
        areas = np.bincount(m.ravel(), minlength=len(pts)) / m.size
        return "Share of the square in each basin: " + ", ".join(
            f"{i}: {a:.0%}" for i, a in enumerate(areas))

    msg = compute()
    if "map" not in state:
        raise ValueError(f"points: {msg}")
    fig = _figure(grid, state["map"], state["attractors"], max_points, "Basins of the typed attractors")
    out = widgets.HTML(msg)

    def on_change(_change=None) -> None:
        text = compute()
        out.value = text
        if text.startswith("<span"):
            return
        pts = state["attractors"]
        with fig.batch_update():
            fig.data[0].z = typed_map(state["map"])
            fig.data[1].x, fig.data[1].y = pts[:, 0], pts[:, 1]
            fig.data[1].text = [str(i) for i in range(len(pts))]
            fig.data[1].marker.color = [fig_att.CLASS_COLORS[i % len(fig_att.CLASS_COLORS)]
                                        for i in range(len(pts))]

    controls["points"].observe(on_change, names="value")
    box = widgets.VBox([controls["points"], fig, out])
    box.controls, box.figure, box.output, box.state = controls, fig, out, state
    return box


def weight_explorer(model: mlp.MLP, attractors: object, names: Sequence[str] | None = None,
                    resolution: int = 200, span: float = 3.0) -> widgets.VBox:
    """Sliders on the parameters ``names`` (default: every parameter of the first layer)
    of a copy of ``model`` (the model itself is not changed), each from its trained value
    ``- span`` to ``+ span``.  The box has ``.controls`` (one slider per name),
    ``.figure``, ``.output`` (the agreement with the exact map), ``.state`` (``model``:
    the copy, ``map``, ``agreement``)."""
    if not isinstance(model, mlp.MLP):
        raise TypeError(f"model must be an lmlab.mlp.MLP, got {type(model).__name__}")
    pts = att.check_attractors(attractors)
    if model.config.n_in != 2 or model.config.n_out != len(pts):
        raise ValueError(f"model must map 2 inputs to {len(pts)} outputs (one per attractor), "
                         f"got {model.config.n_in} -> {model.config.n_out}")
    net = copy.deepcopy(model)
    all_names = mlp.parameter_names(net)
    if names is None:
        names = [n for n in all_names if n[1] == "1" and n[2] in "[]"]
    names = list(names)
    for n in names:
        mlp.get_parameter(net, n)                                  # checks each name
    grid = att.make_grid(resolution)
    exact = att.basin_map(pts, grid)
    xt = torch.from_numpy(grid.points.astype(np.float32))      # the grid, once
    controls = {}
    for n in names:
        v = mlp.get_parameter(net, n)
        controls[n] = widgets.FloatSlider(value=round(v, 2), min=round(v - span, 2), max=round(v + span, 2),
                                          step=0.01, description=n, continuous_update=True,
                                          readout_format=".2f", layout=widgets.Layout(width="340px"))
    state: dict[str, object] = {"model": net}

    def compute(names: Sequence[str]) -> None:
        for n in names:
            mlp.set_parameter(net, n, float(controls[n].value))
        with torch.no_grad():
            m = net(xt).argmax(dim=1).numpy().reshape(grid.shape).astype(np.int8)
        state.update(map=m, agreement=att.agreement(m, exact))

    compute(names)
    fig = _figure(grid, state["map"], pts, len(pts), "Regions of the net")
    out = widgets.HTML()

    def render() -> None:
        fig.data[0].z = typed_map(state["map"])
        out.value = f"agreement with the exact basins: {state['agreement']:.1%} of the grid"

    def on_change(change) -> None:
        compute([change["owner"].description])
        render()

    render()
    for c in controls.values():
        c.observe(on_change, names="value")
    sliders = list(controls.values())
    rows = [widgets.HBox(sliders[i:i + 2]) for i in range(0, len(sliders), 2)]
    box = widgets.VBox([*rows, fig, out])
    box.controls, box.figure, box.output, box.state = controls, fig, out, state
    return box
