"""Learning curves: the loss of any trained model against the training step.

One figure for every model the book trains (the gradient-descent bigram, the MLP, GPT,
BERT): several curves (training loss, held-out loss, ...) and, as dashed horizontal
lines, reference values to compare with (a counted model, the entropy of the uniform
distribution). Losses come in nats per token, the package's unit, and are drawn in bits
or nats.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from . import COLORWAY, TEMPLATE
from .tokens import show_token

__all__ = ["loss_curve_figure"]

_UNITS = {"bits": math.log(2), "nats": 1.0}


def _curve(name: str, pair: object) -> tuple[np.ndarray, np.ndarray]:
    if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
        raise TypeError(f"curves[{name!r}] must be a pair (steps, losses), got {type(pair).__name__}")
    s = np.asarray(pair[0], dtype=np.float64)
    y = np.asarray(pair[1], dtype=np.float64)
    if s.ndim != 1 or y.ndim != 1 or len(s) != len(y) or len(s) == 0:
        raise ValueError(f"curves[{name!r}]: steps and losses must be 1-D of the same length >= 1, "
                         f"got shapes {s.shape} and {y.shape}")
    if np.isnan(s).any() or np.isinf(s).any() or (np.diff(s) <= 0).any():
        raise ValueError(f"curves[{name!r}]: steps must be finite and increasing")
    return s, y


def loss_curve_figure(curves: Mapping[str, tuple[Sequence[float], Sequence[float]]],
                      references: Mapping[str, float] | None = None, unit: str = "bits",
                      token: str = "token", log_steps: bool = False,
                      title: str = "Learning curve", step_title: str = "training step",
                      height: int = 420) -> go.Figure:
    """Loss against training step.

    ``curves`` maps a name (e.g. ``"training loss"``, ``"held out"``) to ``(steps,
    losses)``, losses in nats per token; a curve of more than 60 points is drawn as a line,
    a shorter one with markers. ``references`` maps a name to a loss in nats drawn as a
    dashed horizontal line. ``unit`` is ``"bits"`` or ``"nats"``; ``token`` names what a
    token is (``"character"``, ``"word"``) in the axis title. With ``log_steps`` the step
    axis is logarithmic and step 0 is left out."""
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError("curves must be a non-empty dict {name: (steps, losses)}")
    if unit not in _UNITS:
        raise ValueError(f"unit must be one of {sorted(_UNITS)}, got {unit!r}")
    if references is not None and not isinstance(references, Mapping):
        raise TypeError(f"references must be a dict {{name: loss in nats}}, got {type(references).__name__}")
    scale = _UNITS[unit]
    fig = go.Figure()
    lo, hi = math.inf, -math.inf
    for i, (name, pair) in enumerate(curves.items()):
        s, y = _curve(name, pair)
        if log_steps:
            keep = s > 0
            s, y = s[keep], y[keep]
            if not len(s):
                raise ValueError(f"curves[{name!r}] has no step > 0 to draw on a log axis")
        lo, hi = min(lo, float(s[0])), max(hi, float(s[-1]))
        label = show_token(name)
        fig.add_trace(go.Scatter(
            x=s, y=y / scale, name=label, mode="lines" if len(s) > 60 else "lines+markers",
            line=dict(color=COLORWAY[i % len(COLORWAY)], width=2),
            hovertemplate=f"{label}<br>step %{{x:,}}: %{{y:.4f}} {unit} per {token}<extra></extra>"))
    for j, (name, value) in enumerate((references or {}).items()):
        v = float(value)
        if not math.isfinite(v):
            raise ValueError(f"references[{name!r}] must be a finite loss in nats, got {value!r}")
        label = show_token(name)
        fig.add_trace(go.Scatter(
            x=[lo, hi], y=[v / scale] * 2, mode="lines", name=label,
            line=dict(color=COLORWAY[(len(curves) + j) % len(COLORWAY)], dash="dash", width=2),
            hovertemplate=f"{label}: {v / scale:.4f} {unit} per {token}<extra></extra>"))
    fig.update_layout(
        template=TEMPLATE, title=title, height=height,
        xaxis=dict(title=step_title + (" (log scale)" if log_steps else ""),
                   type="log" if log_steps else "linear"),
        yaxis=dict(title=f"cross-entropy ({unit} per {token})"),
        legend=dict(orientation="h", x=0, y=-0.22, yanchor="top"))   # below: never over a curve
    return fig
