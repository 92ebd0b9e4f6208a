"""Live widget of chapter 8: type a sentence, see where every head of a GPT looks.

:func:`attention_explorer` runs the model on the typed text
(:meth:`lmlab.gpt.GPTLanguageModel.attention_maps`) and shows one attention map, chosen by
a layer and a head selector, as a heatmap (a ``go.FigureWidget``). Every change recomputes
synchronously through the model.

Needs a running kernel (JupyterLab, Binder, Colab); in the static HTML the chapter shows
:func:`lmlab.fig.attention.attention_map_figure` with a dropdown over precomputed maps.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go

from ..fig.attention import attention_map_figure, token_labels
from . import widget_box

__all__ = ["START_LABEL", "attention_tokens", "attention_explorer"]

#: How the start-of-text input is labelled on the axes of an attention map.
START_LABEL = "⟨start⟩"


def attention_tokens(model, text: str) -> list[str]:
    """The tokens whose attention :meth:`~lmlab.gpt.GPTLanguageModel.attention_maps` returns
    for ``text``: start-of-text first (:data:`START_LABEL`), then the symbols of the text
    (cropped to the last ``context_size - 1`` of them, as the model crops). A model with its
    own ``attention_tokens(text)`` (a :class:`lmlab.bert.BertEncoder`) is asked instead."""
    if hasattr(model, "attention_tokens"):
        return list(model.attention_tokens(text))
    ids = model.vocab.encode(text)
    c = model.context_size
    ids = ids[-(c - 1):] if c is not None and c > 1 else ids
    return [START_LABEL] + [model.vocab.symbols[i] for i in ids]


def attention_explorer(model, text: str = "To be, or not to be: that is the question.",
                       layer: int = 0, head: int = 0) -> widgets.VBox:
    """A widget: a text box, a layer and a head selector, and the attention map of that head
    for the text. ``model`` is a :class:`~lmlab.gpt.GPTLanguageModel` (anything with
    ``attention_maps(text) -> (layers, heads, T, T)``, ``vocab`` and ``context_size``).

    The returned box has ``box.controls`` (``"text"``, ``"layer"``, ``"head"``),
    ``box.figure`` (the heatmap, a ``go.FigureWidget``), ``box.output`` (an HTML line with
    messages) and ``box.state`` (``maps``: the last ``(L, H, T, T)`` array; ``tokens``).
    A text with a symbol outside the vocabulary shows a message and keeps the last map.
    """
    if not hasattr(model, "attention_maps"):
        raise TypeError("model must have an attention_maps(text) method "
                        f"(a lmlab.gpt.GPTLanguageModel), got {type(model).__name__}")
    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty string")
    maps = np.asarray(model.attention_maps(text))
    L, H = maps.shape[:2]
    if not (0 <= layer < L and 0 <= head < H):
        raise ValueError(f"layer must lie in 0..{L - 1} and head in 0..{H - 1}, got {layer}, {head}")
    state: dict[str, object] = {"maps": maps, "tokens": attention_tokens(model, text)}
    controls = {
        "text": widgets.Text(value=text, description="text", continuous_update=False,
                             layout=widgets.Layout(width="520px")),
        "layer": widgets.Dropdown(options=[(f"layer {i + 1}", i) for i in range(L)], value=layer,
                                  description="layer", layout=widgets.Layout(width="200px")),
        "head": widgets.Dropdown(options=[(f"head {h + 1}", h) for h in range(H)], value=head,
                                 description="head", layout=widgets.Layout(width="200px")),
    }
    base = attention_map_figure(maps[layer, head], state["tokens"],
                                title=f"layer {layer + 1}, head {head + 1}")
    fig = go.FigureWidget(base)
    out = widgets.HTML()

    def render() -> None:
        i, h = int(controls["layer"].value), int(controls["head"].value)
        labels = token_labels(state["tokens"])
        T = len(labels)
        with fig.batch_update():
            fig.data[0].x = labels
            fig.data[0].y = labels
            fig.data[0].z = state["maps"][i, h]
            fig.layout.title.text = f"layer {i + 1}, head {h + 1}"
            fig.layout.height = max(420, min(720, 16 * T + 220))

    def on_text(_change=None) -> None:
        t = controls["text"].value
        own = hasattr(model, "attention_tokens")          # a tokenizer that takes any text
        unknown = [] if own else sorted({ch for ch in t if ch not in model.vocab})
        if not t or unknown:
            out.value = ("<div>Type some text made of the model's symbols"
                         + (": unknown " + html.escape(" ".join(map(repr, unknown)))
                            if unknown else "") + "</div>")
            return
        state["maps"] = np.asarray(model.attention_maps(t))
        state["tokens"] = attention_tokens(model, t)
        out.value = ""
        render()

    controls["text"].observe(on_text, names="value")
    controls["layer"].observe(lambda _c: render(), names="value")
    controls["head"].observe(lambda _c: render(), names="value")
    render()
    return widget_box([controls["text"], widgets.HBox([controls["layer"], controls["head"]]), fig, out],
                      controls, figure=fig, output=out, state=state)
