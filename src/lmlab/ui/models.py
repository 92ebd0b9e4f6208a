"""Live widget of chapter 3: fit polynomials of any degree to noisy fall times.

:func:`degree_explorer` draws ``n_train`` timed drops (with clock noise), fits the
polynomial of the chosen degree by least squares (:func:`lmlab.models.poly_fit`) and shows
it with fresh test drops, the exact law and both RMS errors.  Every change of a control
recomputes synchronously.  Needs a kernel; in the static HTML the chapter's slider figure
over precomputed degrees plays its part.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go

from .. import models
from ..fig import COLORWAY, TEMPLATE
from . import widget_box

__all__ = ["degree_explorer"]


def degree_explorer(degree: int = 3, noise: float = 0.05, n_train: int = 10, seed: int = 0,
                    n_test: int = 200, h_max: float = 56.0) -> widgets.VBox:
    """A widget: sliders for the degree (0-12), the clock noise (0-0.2 s) and the number of
    training drops (3-40), and a seed.  The returned box has ``.controls`` (``"degree"``,
    ``"noise"``, ``"n_train"``, ``"seed"``), ``.figure`` (a ``go.FigureWidget``: traces
    fit, training points, test points, exact law), ``.output`` (an HTML widget with the
    errors) and ``.state`` (``fit``, ``train_error``, ``test_error``, the data)."""
    models.poly_fit([0.0, 1.0], [0.0, 1.0], degree)               # checks degree
    noise = float(noise)
    style = {"description_width": "120px"}
    lay = widgets.Layout(width="380px")
    controls = {
        "degree": widgets.IntSlider(value=degree, min=0, max=12, description="degree", style=style, layout=lay),
        "noise": widgets.FloatSlider(value=noise, min=0.0, max=0.2, step=0.01, description="clock noise (s)",
                                     style=style, layout=lay, readout_format=".2f"),
        "n_train": widgets.IntSlider(value=n_train, min=3, max=40, description="training drops",
                                     style=style, layout=lay),
        "seed": widgets.BoundedIntText(value=seed, min=0, max=10**6, description="seed", style=style,
                                       layout=widgets.Layout(width="220px")),
    }
    hc = np.linspace(1.0, h_max, 300)
    state: dict[str, object] = {}

    def compute() -> None:
        s, nz = int(controls["seed"].value), float(controls["noise"].value)
        xtr, ytr = models.random_drops(int(controls["n_train"].value), nz, seed=s, h_max=h_max)
        xte, yte = models.random_drops(n_test, nz, seed=s + 1, h_max=h_max)
        fit = models.poly_fit(xtr, ytr, int(controls["degree"].value))
        state.update(x_train=xtr, y_train=ytr, x_test=xte, y_test=yte, fit=fit, curve=fit(hc),
                     train_error=models.rms_error(fit, xtr, ytr),
                     test_error=models.rms_error(fit, xte, yte))

    compute()
    base = go.Figure()
    base.add_scatter(x=hc, y=state["curve"], mode="lines", name="fitted polynomial",
                     line=dict(color=COLORWAY[0], width=2.5))
    base.add_scatter(x=state["x_train"], y=state["y_train"], mode="markers", name="training drops",
                     marker=dict(size=9, color="#222"))
    base.add_scatter(x=state["x_test"], y=state["y_test"], mode="markers", name="test drops",
                     marker=dict(size=5, color=COLORWAY[1], opacity=0.5))
    base.add_scatter(x=hc, y=models.fall_time(hc), mode="lines", name="exact √(2h/g)",
                     line=dict(color="#777", dash="dash", width=1.5))
    base.update_layout(template=TEMPLATE, height=420, title="Polynomial fit to timed drops",
                       xaxis_title="height h (m)", yaxis=dict(title="fall time (s)", range=[-0.5, 4.0]),
                       legend=dict(orientation="h", y=-0.2, x=0))
    fig = go.FigureWidget(base)
    out = widgets.HTML()

    def render() -> None:
        with fig.batch_update():
            fig.data[0].y = state["curve"]
            fig.data[1].x, fig.data[1].y = state["x_train"], state["y_train"]
            fig.data[2].x, fig.data[2].y = state["x_test"], state["y_test"]
        out.value = (f"<b>degree {controls['degree'].value}</b> "
                     f"({controls['degree'].value + 1} parameters): RMS error "
                     f"{state['train_error']:.4f} s on the {controls['n_train'].value} training drops, "
                     f"{state['test_error']:.4f} s on {n_test} test drops")

    def on_change(_change=None) -> None:
        compute()
        render()

    render()
    for c in controls.values():
        c.observe(on_change, names="value")
    return widget_box([widgets.HBox([controls["degree"], controls["noise"]]),
                       widgets.HBox([controls["n_train"], controls["seed"]]), fig, out],
                      controls, fig, out, state)
