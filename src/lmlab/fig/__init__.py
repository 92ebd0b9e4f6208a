"""House style and renderer for the book's figures.

:func:`setup_plotly` (called by :func:`lmlab.notebook.setup_notebook`, the first cell
of every chapter) makes each plotly figure display in two forms at once:

* ``application/vnd.plotly.v1+json`` (plotly's own mime type): JupyterLab renders
  this one, so the figure is fully live there;
* ``text/html`` from the ``"lmlab"`` renderer defined here: a ``<div>`` plus a
  script that calls ``Plotly.newPlot``, with neither plotly.js nor MathJax inlined.
  The built book loads plotly.js once per page from its own ``_static/plotly.min.js``
  (copied at build time by ``book/_ext/lmlab_book.py``), so pages stay small and work
  offline.

Interactivity in the static HTML comes from plotly's own sliders and buttons over
precomputed data (no kernel needed): see :func:`add_step_slider`.

House style of the figure layer:

* figure functions of each idea live in ``lmlab.fig.<idea>`` (e.g. ``lmlab.fig.ngram``),
  are named ``*_figure``, take computed arrays and return a ``go.Figure``; they never
  train or run models, touch widgets or import torch;
* tokens and sampled text are shown through :mod:`lmlab.fig.tokens` (one place that
  escapes HTML and makes whitespace visible);
* learning curves of every trained model are drawn by :mod:`lmlab.fig.training`.
"""
from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.io.base_renderers import MimetypeRenderer

__all__ = [
    "TEMPLATE",
    "COLORWAY",
    "BookHtmlRenderer",
    "setup_plotly",
    "add_step_slider",
]

#: Name of the house template and of the HTML renderer.
TEMPLATE = "lmlab"

#: Colour-blind-safe qualitative palette (Okabe & Ito, 2008), black moved to the end.
COLORWAY = [
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
]

_FONT_COLOR = "#333333"
_GRID_COLOR = "#E5E5E5"
_AXIS_COLOR = "#888888"


def _make_template() -> go.layout.Template:
    """Build the house template.

    The paper and plot area are opaque white: a transparent figure on the book's dark
    theme would put dark text and axes on a dark page.  A white card with a neutral
    dark-grey font reads the same on light and dark pages.
    """
    axis = dict(
        showgrid=True,
        gridcolor=_GRID_COLOR,
        zeroline=False,
        showline=True,
        linecolor=_AXIS_COLOR,
        ticks="outside",
        tickcolor=_AXIS_COLOR,
        title=dict(standoff=8),
        automargin=True,
    )
    base = go.layout.Template(pio.templates["plotly_white"])
    base.layout.update(
        font=dict(family="Helvetica, Arial, sans-serif", size=14, color=_FONT_COLOR),
        title=dict(x=0.02, xanchor="left", font=dict(size=17)),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=COLORWAY,
        margin=dict(l=64, r=24, t=64, b=56),
        xaxis=axis,
        yaxis=axis,
        hoverlabel=dict(font=dict(size=13)),
        legend=dict(bgcolor="rgba(255,255,255,0.8)"),
        colorscale=dict(sequential="Viridis", sequentialminus="Viridis",
                        diverging="RdBu"),
    )
    return base


class BookHtmlRenderer(MimetypeRenderer):
    """Renderer producing ``text/html`` without plotly.js or MathJax inlined.

    The page that shows the output must load plotly.js itself (the book does, from
    ``_static/plotly.min.js``).  Combined with ``plotly_mimetype`` so that JupyterLab,
    which prefers plotly's own mime type, still renders a live figure.
    """

    def __init__(self, config: Mapping[str, Any] | None = None):
        self.config = {"responsive": True, **(config or {})}

    def to_mimebundle(self, fig_dict):
        """Return ``{"text/html": <div + Plotly.newPlot script>}`` for ``fig_dict``."""
        html = pio.to_html(
            fig_dict,
            include_plotlyjs=False,
            include_mathjax=False,
            full_html=False,
            config=self.config,
            validate=False,
        )
        return {"text/html": html}


def _register() -> None:
    """Register the template and the renderer under the name ``"lmlab"`` (idempotent)."""
    if TEMPLATE not in pio.templates:
        pio.templates[TEMPLATE] = _make_template()
    if TEMPLATE not in pio.renderers:
        pio.renderers[TEMPLATE] = BookHtmlRenderer()


_register()


def setup_plotly() -> None:
    """Make the house template and renderers plotly's defaults.

    * ``plotly.io.templates.default = "lmlab"``;
    * ``plotly.io.renderers.default = "plotly_mimetype+lmlab"`` (on Google Colab,
      whose front end renders neither, plotly's ``"colab"`` renderer instead).

    Safe to call more than once.
    """
    _register()
    pio.templates.default = TEMPLATE
    if "google.colab" in sys.modules:
        pio.renderers.default = "colab"
    else:
        pio.renderers.default = f"plotly_mimetype+{TEMPLATE}"


def setup_notebook(threads: int = 1) -> None:
    """Deprecated: use :func:`lmlab.notebook.setup_notebook` (kernel set-up lives outside
    the figure layer)."""
    import warnings
    warnings.warn("lmlab.fig.setup_notebook moved to lmlab.notebook.setup_notebook",
                  DeprecationWarning, stacklevel=2)
    from ..notebook import setup_notebook as _setup
    _setup(threads)


def _apply(obj, updates: Mapping[str, Any], index: int) -> None:
    """Set each ``path -> values`` of ``updates`` on ``obj``, taking ``values[index]``."""
    for path, values in updates.items():
        obj[path] = values[index]


def add_step_slider(
    fig: go.Figure,
    steps: Sequence[Mapping[str, Sequence[Any]] | tuple[Mapping[str, Sequence[Any]], Mapping[str, Any]]],
    labels: Sequence[Any],
    prefix: str = "",
    active: int = 0,
    traces: Sequence[int] | None = None,
    **slider: Any,
) -> go.Figure:
    """Add a plotly slider whose steps swap in precomputed data (works in static HTML).

    Parameters
    ----------
    fig
        The figure; modified in place and returned.  Its traces are set to step
        ``active`` so that the figure and the slider agree when the page loads.
    steps
        One entry per slider position, either

        * a dict ``{attribute: [value for each trace in traces]}`` (method
          ``"restyle"``), e.g. ``{"y": [y_of_trace0, y_of_trace1]}`` or
          ``{"z": [matrix]}``; attribute paths may be dotted (``"marker.color"``); or
        * a pair ``(data_dict, layout_dict)`` (method ``"update"``), where
          ``layout_dict`` maps layout paths to values, e.g. ``{"title.text": "n = 3"}``.

        Note the extra list level: a value is a *list over traces*, even for one trace.
    labels
        The label shown under each step (same length as ``steps``).
    prefix
        Text before the current label, e.g. ``"T = "``.
    active
        Index of the step selected initially.
    traces
        Indices of the traces the steps update; default: ``0 .. k-1`` where ``k`` is the
        length of the value lists of the first step.
    **slider
        Extra ``layout.sliders`` properties (``pad``, ``len``, ``x``, ``y``, ...).

    Returns
    -------
    The same figure, with one more entry in ``fig.layout.sliders``.

    Example
    -------
    >>> fig = go.Figure(go.Scatter(x=x, y=curves[0]))
    >>> add_step_slider(fig, [{"y": [c]} for c in curves], labels=temps, prefix="T = ")
    """
    if len(steps) != len(labels):
        raise ValueError(f"{len(steps)} steps but {len(labels)} labels")
    if not steps:
        raise ValueError("a slider needs at least one step")
    if not 0 <= active < len(steps):
        raise ValueError(f"active={active} outside 0..{len(steps) - 1}")

    def split(step):
        if isinstance(step, tuple):
            data, layout = step
            return dict(data), dict(layout)
        return dict(step), None

    first_data, _ = split(steps[0])
    if traces is None:
        width = len(next(iter(first_data.values()))) if first_data else 0
        traces = list(range(width))
    traces = list(traces)

    slider_steps = []
    for step, label in zip(steps, labels):
        data, layout = split(step)
        for path, values in data.items():
            if len(values) != len(traces):
                raise ValueError(
                    f"step {label!r}: {path!r} has {len(values)} values for {len(traces)} "
                    "traces (each value is a list over traces)")
        if layout is None:
            args = [data, traces]
            method = "restyle"
        else:
            args = [data, layout, traces]
            method = "update"
        slider_steps.append(dict(method=method, label=str(label), args=args))

    data, layout = split(steps[active])
    for i, t in enumerate(traces):
        _apply(fig.data[t], data, i)
    if layout:
        for path, value in layout.items():
            fig.layout[path] = value

    spec = dict(
        active=active,
        steps=slider_steps,
        currentvalue=dict(prefix=prefix, visible=True),
        pad=dict(t=48, b=8),
        len=0.95,
        x=0.025,
    )
    spec.update(slider)
    fig.layout.sliders = list(fig.layout.sliders) + [spec]
    return fig


def as_vector(name: str, values: object, length: int | None = None) -> np.ndarray:
    """``values`` as a 1-D float array (of ``length`` entries, if given), with an error
    naming ``name`` otherwise."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}")
    if length is not None and len(arr) != length:
        raise ValueError(f"{name} has {len(arr)} entries, expected {length}")
    return arr
