"""Live widget of chapter 10: type a sentence with a blank, see what a BERT puts there.

In the static HTML the chapter shows the same thing for a few precomputed sentences
(:func:`lmlab.fig.bert.fill_in_figure`).
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import plotly.graph_objects as go

from ..fig.bert import fill_in_figure
from . import widget_box

__all__ = ["fill_in_explorer"]


def fill_in_explorer(model, text: str = "to be or not to [MASK] .", top_k: int = 8):
    """A text box (write ``[MASK]`` for the blank; with several blanks the first is shown)
    and a chart of the ``top_k`` words the model puts there, with their probabilities.
    ``model`` is a :class:`~lmlab.bert.BertLanguageModel` (anything with
    ``fill_in(text, top_k)``).

    The returned box has ``box.controls`` (``"text"``, ``"top_k"``), ``box.figure`` (a
    ``go.FigureWidget``), ``box.output`` (an HTML line: the blanks found, or what is wrong
    with the text) and ``box.state`` (``candidates``: the last result of ``fill_in``). A
    text without a blank shows a message and keeps the last chart.
    """
    if not hasattr(model, "fill_in"):
        raise TypeError(f"model must have a fill_in(text, top_k) method (a lmlab.bert.BertLanguageModel), "
                        f"got {type(model).__name__}")
    if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= 30:
        raise ValueError(f"top_k must be an integer in 1..30, got {top_k!r}")
    cands = model.fill_in(text, top_k)
    state = {"candidates": cands}
    controls = {
        "text": widgets.Text(value=text, description="text", continuous_update=False,
                             layout=widgets.Layout(width="520px")),
        "top_k": widgets.IntSlider(value=top_k, min=1, max=30, description="top k",
                                   continuous_update=False),
    }
    fig = go.FigureWidget(fill_in_figure([text], [cands[0]], height=380))
    out = widgets.HTML()

    def render(_=None) -> None:
        t, k = controls["text"].value, int(controls["top_k"].value)
        try:
            res = model.fill_in(t, k)
        except (ValueError, TypeError) as e:
            out.value = f"<span style='color:#b00'>{html.escape(str(e))}</span>"
            return
        state["candidates"] = res
        words = [w for w, _ in res[0]]
        probs = [p for _, p in res[0]]
        with fig.batch_update():
            fig.data[0].x = probs
            fig.data[0].y = [html.escape(w) for w in words]
            fig.layout.xaxis.range = [0, min(1.0, max(probs) * 1.1)]
            fig.layout.title.text = html.escape(t)
        out.value = (f"{len(res)} blank{'s' if len(res) > 1 else ''}; the first: "
                     + ", ".join(f"{html.escape(w)} {p:.3f}" for w, p in res[0][:3]))

    for c in controls.values():
        c.observe(render, names="value")
    render()
    return widget_box([controls["text"], controls["top_k"], fig, out], controls, fig, out, state)
