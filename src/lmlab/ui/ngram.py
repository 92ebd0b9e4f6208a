"""Live widget of chapter 2: sample from a letter n-gram model.

Controls: the order ``n``, the temperature, the random seed and a prompt. Every change
samples a new continuation with :func:`lmlab.sampling.generate` from the Kneser-Ney model
of that order (all orders share one :class:`~lmlab.ngram.NGramCounts`) and shows it with
the model's held-out cross-entropy in bits per character.

Needs a kernel (JupyterLab, Binder, Colab); in the static HTML the chapter's plotly figure
with a slider over ``n`` plays its part.
"""
from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets

from ..fig.tokens import sample_html, show_token
from ..ngram import NGramConfig, NGramCounts, NGramModel
from ..sampling import generate
from ..vocab import Vocab
from . import widget_box

__all__ = ["ngram_sampler"]


def _render(prompt: str, text: str, n: int, temperature: float, bits: float | None) -> str:
    score = f"; held-out cross-entropy {bits:.3f} bits per character" if bits is not None else ""
    return sample_html(prompt, text, head=f"<b>Kneser-Ney {n}-gram</b>, T = {temperature:.2f}{score}",
                       monospace=True)


def ngram_sampler(vocab: Vocab, counts: NGramCounts,
                  heldout_bits: Mapping[int, float] | None = None,
                  length: int = 150, n: int | None = None, temperature: float = 1.0, seed: int = 0,
                  prompt: str = "") -> widgets.VBox:
    """A widget that samples ``length`` characters from the Kneser-Ney n-gram model.

    ``n`` is the initial order (default: 5, or the highest counted order if lower).
    ``heldout_bits`` maps each order to its held-out bits per character (e.g. from
    ``-counts.kn_log_probs_by_order(val_ids).mean(axis=1) / ln 2``), shown next to the sample. The returned box carries
    ``box.controls`` (``"n"``, ``"temperature"``, ``"seed"``, ``"prompt"``),
    ``box.output`` (the HTML widget with the text), ``box.figure = None`` and
    ``box.state`` (the last sample: ``n``, ``temperature``, ``seed``, ``prompt``,
    ``sample``, ``bits``; ``sample`` is None after a prompt it cannot use). Changing any
    control's ``.value`` recomputes synchronously. A prompt with a symbol outside the
    vocabulary shows a message instead of a sample.
    """
    if not isinstance(counts, NGramCounts):
        raise TypeError(f"counts must be NGramCounts, got {type(counts).__name__}")
    if counts.vocab_size != len(vocab):
        raise ValueError(f"counts were made for {counts.vocab_size} symbols but vocab has {len(vocab)}")
    top = counts.max_order
    if n is None:
        n = min(5, top)
    if not 1 <= n <= top:
        raise ValueError(f"n must lie in 1..{top}, got {n}")
    models = {k: NGramModel(vocab, counts, NGramConfig(k)) for k in range(1, top + 1)}
    bits = dict(heldout_bits or {})

    style = {"description_width": "90px"}
    layout = widgets.Layout(width="420px")
    c_n = widgets.IntSlider(value=n, min=1, max=top, description="n", style=style,
                            layout=layout, continuous_update=False)
    c_t = widgets.FloatSlider(value=temperature, min=0.1, max=2.0, step=0.05,
                              description="temperature", style=style, layout=layout,
                              continuous_update=False, readout_format=".2f")
    c_seed = widgets.IntText(value=seed, description="seed", style=style,
                             layout=widgets.Layout(width="200px"))
    c_prompt = widgets.Text(value=prompt, description="prompt", style=style,
                            layout=widgets.Layout(width="420px"), continuous_update=False,
                            placeholder="e.g. ROMEO:")
    out = widgets.HTML()
    state: dict[str, object] = {}

    def update(_change=None):
        k = int(c_n.value)
        p = str(c_prompt.value)
        unknown = sorted({ch for ch in p if ch not in vocab})
        state.update(n=k, temperature=float(c_t.value), seed=max(int(c_seed.value), 0), prompt=p,
                     sample=None, bits=bits.get(k))
        if unknown:
            out.value = ("<div>The prompt contains symbols the model has never seen: "
                         f"{show_token(' '.join(map(repr, unknown)))}</div>")
            return
        text = generate(models[k], prompt=p, length=length, temperature=state["temperature"],
                        seed=state["seed"])
        state["sample"] = text
        out.value = _render(p, text, k, state["temperature"], state["bits"])

    for c in (c_n, c_t, c_seed, c_prompt):
        c.observe(update, names="value")
    update()
    return widget_box([widgets.HBox([widgets.VBox([c_n, c_t]), widgets.VBox([c_seed, c_prompt])]), out],
                      {"n": c_n, "temperature": c_t, "seed": c_seed, "prompt": c_prompt},
                      figure=None, output=out, state=state)
