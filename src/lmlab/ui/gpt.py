"""Live widgets of chapter 9: watch a GPT train in JupyterLab.

:func:`training_monitor` returns a widget whose ``callback`` is passed to
:func:`lmlab.train.train` (``callbacks=[box.callback]``): every call updates a live loss
curve (a ``go.FigureWidget``: training loss and held-out loss against training seconds)
and a progress bar with the step, the loss and the training speed in tokens per second.

The trainer calls ``callback(step, metrics)`` with ``metrics`` holding ``event``
('train', 'eval' or 'end'), ``loss``, ``lr``, ``seconds``, ``tokens``, ``tokens_per_s`` and,
after an evaluation, ``val_loss``.

Needs a running kernel to be seen live; in the static HTML of the book the chapter shows
the finished curve as a plain plotly figure (:func:`lmlab.fig.training.loss_curve_figure`).
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import ipywidgets as widgets
import plotly.graph_objects as go

from ..fig.training import loss_curve_figure

__all__ = ["training_monitor"]


def _progress_text(step: int, steps: int, m: Mapping, val: float | None) -> str:
    held = f" · held-out {val:.3f}" if val is not None else ""
    speed = m.get("tokens_per_s", float("nan"))
    speed_txt = f"{speed:,.0f} tokens/s" if math.isfinite(speed) else "… tokens/s"
    return (f"step {step:,} / {steps:,} · {m.get('seconds', 0.0):.1f} s · {speed_txt} · "
            f"loss {m.get('loss', float('nan')):.3f}{held}")


def training_monitor(steps: int, baselines: Mapping[str, float] | None = None,
                     title: str = "Training, live", redraw_every: int = 1,
                     token: str = "character") -> widgets.VBox:
    """A live loss curve and a progress bar for :func:`lmlab.train.train`.

    ``steps`` is the number of optimizer steps the run will take (the bar's length; a run
    stopped early by a time budget ends the bar where it stopped). ``baselines`` are dashed
    reference lines in nats per character (e.g. ``{"Kneser-Ney 8-gram": 1.505}``); the
    curve is drawn in nats per character against training seconds. The curve is
    redrawn every ``redraw_every`` calls of the callback (and after every evaluation).
    ``token`` names the unit of prediction on the axis (``"word"``, ``"blank"``).

    The returned box has ``box.callback`` (give it to ``train(..., callbacks=[...])``),
    ``box.controls`` (``{}``: nothing to set), ``box.figure`` (the ``go.FigureWidget``),
    ``box.output`` (the ``widgets.HTML`` progress line), ``box.progress`` (the
    ``widgets.IntProgress``) and ``box.state`` (lists ``seconds``, ``loss``,
    ``val_seconds``, ``val_loss``, and the last ``metrics``).
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be an integer >= 1, got {steps!r}")
    if isinstance(redraw_every, bool) or not isinstance(redraw_every, int) or redraw_every < 1:
        raise ValueError(f"redraw_every must be an integer >= 1, got {redraw_every!r}")
    state: dict[str, object] = {"seconds": [], "loss": [], "val_seconds": [], "val_loss": [],
                                "metrics": {}, "calls": 0}
    refs = dict(baselines or {})
    # the shared learning-curve figure, built with a placeholder point that is cleared below
    base = loss_curve_figure({"training batches": ([0.0], [0.0]), "held-out batches": ([0.0], [0.0])},
                             references=refs or None, unit="nats", token=token,
                             title=title, step_title="training time (s)")
    base.data[1].mode = "lines+markers"
    for trace in base.data[:2]:
        trace.x, trace.y = [], []
    fig = go.FigureWidget(base)
    bar = widgets.IntProgress(value=0, min=0, max=steps, description="training",
                              bar_style="info", layout=widgets.Layout(width="420px"))
    line = widgets.HTML(value=f"step 0 / {steps:,}")

    def redraw() -> None:
        end = max([0.0] + list(state["seconds"]) + list(state["val_seconds"]))
        with fig.batch_update():
            fig.data[0].x, fig.data[0].y = list(state["seconds"]), list(state["loss"])
            fig.data[1].x, fig.data[1].y = list(state["val_seconds"]), list(state["val_loss"])
            for trace in fig.data[2:]:                          # reference lines span the run
                trace.x = [0.0, end]

    def callback(step: int, metrics: Mapping) -> None:
        if not isinstance(metrics, Mapping):
            raise TypeError(f"metrics must be a mapping, got {type(metrics).__name__}")
        state["calls"] = int(state["calls"]) + 1
        state["metrics"] = dict(metrics)
        sec = float(metrics.get("seconds", 0.0))
        event = metrics.get("event", "train")
        loss = float(metrics.get("loss", float("nan")))
        if event in ("train", "eval") and math.isfinite(loss):
            state["seconds"].append(sec)
            state["loss"].append(loss)
        val = metrics.get("val_loss") if event == "eval" else None   # 'end' repeats the last one
        if val is not None:
            state["val_seconds"].append(sec)
            state["val_loss"].append(float(val))
        bar.value = min(int(step), steps)
        last_val = state["val_loss"][-1] if state["val_loss"] else None
        line.value = _progress_text(int(step), steps, metrics, last_val)
        if event == "end":
            bar.bar_style = "success"
            bar.value = bar.max = max(int(step), 1)
        if val is not None or event == "end" or state["calls"] % redraw_every == 0:
            redraw()

    box = widgets.VBox([widgets.HBox([bar, line]), fig])
    box.callback = callback
    box.controls = {}
    box.figure = fig
    box.output = line
    box.progress = bar
    box.state = state
    return box
