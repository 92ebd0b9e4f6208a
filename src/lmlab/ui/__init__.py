"""Live widgets (ipywidgets) for JupyterLab: the third layer, above the computation
(:mod:`lmlab`) and the figures (:mod:`lmlab.fig`).

A widget of idea ``x`` lives in ``lmlab.ui.x``, recomputes through the computation layer
on every change of a control, synchronously, and redraws through the figure layer. Every
widget returns the same shape, built by :func:`widget_box`: an ``ipywidgets.VBox`` with

* ``.controls``: dict name -> control widget (set ``.value`` to drive it from code);
* ``.figure``: the ``plotly.graph_objects.FigureWidget`` it updates, or None;
* ``.output``: the ``ipywidgets.HTML`` (or ``Output``) it writes text to, or None;
* ``.state``: dict of the last computed results (what the figure and output show).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["widget_box"]


def widget_box(rows: Sequence[object], controls: Mapping[str, object], figure: object = None,
               output: object = None, state: dict | None = None):
    """The ``VBox`` every widget of the book returns: ``rows`` (widgets, top to bottom)
    with the attributes ``controls``, ``figure``, ``output`` and ``state``."""
    import ipywidgets as widgets
    if not isinstance(controls, Mapping) or not controls:
        raise TypeError("controls must be a non-empty dict name -> widget")
    if state is not None and not isinstance(state, dict):
        raise TypeError(f"state must be a dict, got {type(state).__name__}")
    box = widgets.VBox(list(rows))
    box.controls = dict(controls)
    box.figure = figure
    box.output = output
    box.state = {} if state is None else state
    return box
