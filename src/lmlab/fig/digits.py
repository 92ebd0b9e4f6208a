"""Figures of chapter 4's digits: a gallery of 8 x 8 images, the confusion matrix, and one
digit blurred step by step with the classifier's probabilities (a slider over the blur)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import COLORWAY, TEMPLATE, add_step_slider

__all__ = ["gallery_figure", "confusion_figure", "blur_figure"]

_GREYS = [[0, "white"], [1, "black"]]


def _images(images: object) -> np.ndarray:
    a = np.asarray(images, dtype=np.float64)
    if a.ndim == 2 and a.shape[1] == 64:
        a = a.reshape(-1, 8, 8)
    if a.ndim != 3 or a.shape[1:] != (8, 8) or len(a) == 0:
        raise ValueError(f"images must be a non-empty stack of 8 x 8 images, got shape {a.shape}")
    return a


def gallery_figure(images: object, labels: Sequence[int], predicted: Sequence[int] | None = None,
                   columns: int = 10, title: str = "Digits from the test set") -> go.Figure:
    """The images tiled in a grid (one heatmap, a blank pixel between tiles); each tile is
    captioned with its label (and, with ``predicted``, the prediction, in red if wrong)."""
    imgs = _images(images)
    n = len(imgs)
    if len(labels) != n or (predicted is not None and len(predicted) != n):
        raise ValueError("labels (and predicted) must have one entry per image")
    rows = -(-n // columns)
    pitch_y, pitch_x = 11, 9                     # 8 pixels + caption space / + 1 blank column
    big = np.full((rows * pitch_y, columns * pitch_x - 1), np.nan)
    notes = []
    for i, img in enumerate(imgs):
        r, c = divmod(i, columns)
        big[r * pitch_y: r * pitch_y + 8, c * pitch_x: c * pitch_x + 8] = img
        ok = predicted is None or predicted[i] == labels[i]
        text = str(labels[i]) if predicted is None else f"{labels[i]}→{predicted[i]}"
        notes.append(dict(x=c * pitch_x + 3.5, y=r * pitch_y + 9.2, text=text, showarrow=False,
                          font=dict(size=11, color="#111" if ok else "#D55E00")))
    fig = go.Figure(go.Heatmap(z=big, colorscale=_GREYS, zmin=0, zmax=1, showscale=False,
                               hoverongaps=False, hovertemplate="ink %{z:.2f}<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title=title, height=90 + 70 * rows, annotations=notes,
                      xaxis=dict(visible=False, constrain="domain"),
                      yaxis=dict(visible=False, scaleanchor="x", autorange="reversed"),
                      margin=dict(l=8, r=8, t=56, b=8))
    return fig


def confusion_figure(matrix: object, title: str = "Confusion matrix on the test set") -> go.Figure:
    """``matrix[i, j]``: images of class ``i`` predicted as ``j``; counts written in the cells,
    colour on a log scale so that the rare mistakes show."""
    C = np.asarray(matrix)
    if C.ndim != 2 or C.shape[0] != C.shape[1]:
        raise ValueError(f"matrix must be square, got shape {C.shape}")
    k = C.shape[0]
    z = np.log10(C + 1.0)
    text = [[str(int(v)) if v else "" for v in row] for row in C]
    fig = go.Figure(go.Heatmap(z=z, x=list(range(k)), y=list(range(k)), text=text,
                               texttemplate="%{text}", customdata=C,
                               colorscale="Blues", showscale=False,
                               hovertemplate="true %{y}, predicted %{x}: %{customdata} images<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title=title, height=460,
                      xaxis=dict(title="predicted digit", dtick=1, showgrid=False, constrain="domain",
                                 range=[-0.5, k - 0.5]),
                      yaxis=dict(title="true digit", dtick=1, range=[k - 0.5, -0.5], showgrid=False,
                                 scaleanchor="x", constrain="domain"))
    return fig


def blur_figure(images: object, probs: object, sigmas: Sequence[float], label: int,
                title: str = "Blurring a digit until the net loses it") -> go.Figure:
    """Left: the image at each blur width; right: the ten class probabilities.  A slider
    steps through ``sigmas``; the title notes the predicted digit at each step."""
    imgs = _images(images)
    P = np.asarray(probs, dtype=np.float64)
    if P.shape != (len(imgs), P.shape[1]) or len(sigmas) != len(imgs):
        raise ValueError(f"need one image, one probability row and one sigma per step; got "
                         f"{len(imgs)} images, probs of shape {P.shape}, {len(sigmas)} sigmas")
    k = P.shape[1]
    fig = make_subplots(rows=1, cols=2, column_widths=[0.45, 0.55], horizontal_spacing=0.08)
    colors = lambda p: [COLORWAY[1] if j == label else (COLORWAY[0] if j == int(np.argmax(p)) else "#9aa9b8")  # noqa: E731
                        for j in range(k)]
    # one (image, bars) pair of traces per step; the slider shows one pair at a time
    for i in range(len(imgs)):
        fig.add_trace(go.Heatmap(z=imgs[i], colorscale=_GREYS, zmin=0, zmax=1, showscale=False,
                                 visible=i == 0,
                                 hovertemplate="row %{y}, column %{x}: ink %{z:.2f}<extra></extra>"),
                      row=1, col=1)
        fig.add_trace(go.Bar(x=list(range(k)), y=P[i], marker_color=colors(P[i]), visible=i == 0,
                             hovertemplate="digit %{x}: p = %{y:.3f}<extra></extra>", showlegend=False),
                      row=1, col=2)
    n = len(fig.data)

    def note(i: int) -> str:
        pred = int(np.argmax(P[i]))
        return (f"{title}<br><sup>σ = {sigmas[i]:.2f} px: the net says {pred} "
                f"(p = {P[i, pred]:.2f}); true digit {label}</sup>")

    steps = [({"visible": [j // 2 == i for j in range(n)]}, {"title.text": note(i)})
             for i in range(len(imgs))]
    fig.layout.title = note(0)
    add_step_slider(fig, steps, labels=[f"{s:.2f}" for s in sigmas], prefix="σ = ",
                    traces=list(range(n)))
    fig.update_layout(template=TEMPLATE, height=440, margin=dict(t=80))
    fig.update_xaxes(visible=False, row=1, col=1, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", row=1, col=1, scaleanchor="x")
    fig.update_xaxes(title_text="digit", dtick=1, row=1, col=2)
    fig.update_yaxes(title_text="probability", range=[0, 1.02], row=1, col=2)
    return fig
