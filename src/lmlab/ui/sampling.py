"""Live widget of chapter 1: temperature, top-k, prompt and seed of a language model's sampler.

:func:`sampling_explorer` shows the next-token distribution after a prompt (the bars
actually sampled from: temperature and top-k applied) and a freshly sampled continuation.
Every change of a control recomputes through :mod:`lmlab.sampling` and the model's
:meth:`~lmlab.lm.LanguageModel.next_log_probs`, synchronously.

Needs a running kernel (JupyterLab, Binder, Colab); in the static HTML of the book a
widget is a frozen picture, so the chapter shows a plotly figure with a slider beside it.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go

from .. import sampling
from ..fig.sampling import next_token_figure
from ..fig.tokens import sample_html, show_token
from ..lm import LanguageModel
from . import widget_box

__all__ = ["TOP_K_CHOICES", "top_k_options", "next_distribution", "sampling_explorer"]

#: Values of the top-k slider below the vocabulary size; the last stop keeps every token.
TOP_K_CHOICES = (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 5000)


def top_k_options(vocab_size: int) -> list[tuple[str, int]]:
    """``(label, k)`` stops of the top-k slider for a vocabulary of ``vocab_size`` tokens:
    the :data:`TOP_K_CHOICES` below it, then ``k = vocab_size`` labelled "all" (keeping
    every token is the same as no top-k)."""
    ks = [k for k in TOP_K_CHOICES if k < vocab_size]
    return [(str(k), k) for k in ks] + [(f"all {vocab_size:,}", int(vocab_size))]


def next_distribution(log_probs: np.ndarray, temperature: float, top_k: int | None,
                      n_bars: int) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The distribution sampled from after ``log_probs``: ``(top ids, their probabilities,
    probability of all other tokens, entropy in nats)`` at this temperature and top-k.

    The ``n_bars`` ids are the most likely under the model itself; temperature and top-k
    never change that order.
    """
    z = np.asarray(log_probs, dtype=np.float64)
    if top_k is not None and top_k < len(z):
        z = sampling.top_k_filter(z, top_k)
    p = sampling.softmax(z, temperature)
    n = min(n_bars, len(z))
    top = np.argpartition(-np.asarray(log_probs), n - 1)[:n]
    top = top[np.argsort(-np.asarray(log_probs)[top], kind="stable")]
    shown = p[top]
    return top, shown, float(max(0.0, 1.0 - shown.sum())), float(sampling.entropy(p))


def _title(prompt: str, temperature: float, top_k: int, vocab_size: int, h: float) -> str:
    k = "all" if top_k >= vocab_size else f"{top_k:,}"
    return (f"After “{show_token(prompt)}”: T = {temperature:.3g}, top-k = {k}; "
            f"entropy {h:.2f} nats")


def sampling_explorer(model: LanguageModel, prompt: str = "to be or not to",
                      temperature: float = 0.8, top_k: int | None = None, seed: int = 0,
                      length: int = 30, n_bars: int = 15) -> widgets.VBox:
    """A widget to sample from ``model``: sliders for temperature (0.1 to 10, log scale)
    and top-k, a prompt box and a seed; it shows the next-token distribution after the
    prompt and a ``length``-token continuation sampled with these settings.

    The returned box has ``box.controls`` (``"temperature"``, ``"top_k"``, ``"prompt"``,
    ``"seed"``), ``box.figure`` (the bars, a ``go.FigureWidget``), ``box.output`` (an
    ``ipywidgets.HTML`` with the sample) and ``box.state`` (the last result: ``ids``,
    ``probs``, ``rest``, ``entropy``, ``sample``), the shape every widget of the book has.
    """
    if not isinstance(model, LanguageModel):
        raise TypeError(f"model must be a lmlab.lm.LanguageModel, got {type(model).__name__}")
    v = len(model.vocab)
    options = top_k_options(v)
    k0 = v if top_k is None else int(top_k)
    if not 1 <= k0 <= v:
        raise ValueError(f"top_k must lie between 1 and the vocabulary size {v}, got {top_k}")
    if k0 not in [k for _, k in options]:
        options = sorted(options + [(str(k0), k0)], key=lambda o: o[1])
    sampling.check_temperature(temperature)

    controls = {
        "temperature": widgets.FloatLogSlider(value=temperature, base=10, min=-1, max=1, step=0.02,
                                              description="temperature T", readout_format=".3g",
                                              continuous_update=True,
                                              style={"description_width": "initial"},
                                              layout=widgets.Layout(width="420px")),
        "top_k": widgets.SelectionSlider(options=options, value=k0, description="top-k",
                                         continuous_update=True,
                                         layout=widgets.Layout(width="420px")),
        "prompt": widgets.Text(value=prompt, description="prompt", continuous_update=False,
                               layout=widgets.Layout(width="420px")),
        "seed": widgets.BoundedIntText(value=seed, min=0, max=10**6, description="seed",
                                       layout=widgets.Layout(width="180px")),
    }
    cache: dict[str, np.ndarray] = {}

    def log_probs(text: str) -> np.ndarray:
        if text not in cache:
            cache.clear()
            cache[text] = model.next_log_probs([model.vocab.encode(text)])[0]
        return cache[text]

    state: dict[str, object] = {}

    def compute() -> None:
        text = controls["prompt"].value
        t = float(controls["temperature"].value)
        k = int(controls["top_k"].value)
        z = log_probs(text)
        ids, probs, rest, h = next_distribution(z, t, k, n_bars)
        sample = sampling.generate(model, model.vocab.encode(text), length=length,
                                   temperature=t, top_k=None if k >= v else k,
                                   seed=int(controls["seed"].value))
        state.update(ids=ids, probs=probs, rest=rest, entropy=h, sample=sample,
                     title=_title(text, t, k, v, h))

    compute()
    base = next_token_figure([model.vocab.symbols[i] for i in state["ids"]], state["probs"],
                           rest=state["rest"], context=controls["prompt"].value,
                           title=state["title"], rest_label="all others")
    base.update_layout(yaxis_range=[0, 1.02], height=420, margin=dict(t=56))
    fig = go.FigureWidget(base)
    out = widgets.HTML()

    def render() -> None:
        with fig.batch_update():
            fig.data[0].x = [show_token(model.vocab.symbols[i]) for i in state["ids"]]
            fig.data[0].y = state["probs"]
            fig.data[1].y = [state["rest"]]
            fig.layout.title.text = state["title"]
        out.value = sample_html(controls["prompt"].value, " " + state["sample"],
                                head=f"<b>Sample</b> (seed {int(controls['seed'].value)}):")

    def on_change(_change=None) -> None:
        compute()
        render()

    render()
    for c in controls.values():
        c.observe(on_change, names="value")
    return widget_box([widgets.HBox([controls["temperature"], controls["top_k"]]),
                       widgets.HBox([controls["prompt"], controls["seed"]]), fig, out],
                      controls, figure=fig, output=out, state=state)
