"""The n-gram language model: an order and a smoothing applied to shared counts."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..checks import check_choice, check_float, check_instance, check_int
from ..lm import LanguageModel, as_ids
from ..vocab import Vocab
from . import smoothing as _sm
from .counts import NGramCounts

__all__ = ["SMOOTHINGS", "NGramConfig", "NGramModel", "fit"]

SMOOTHINGS = ("kneser-ney", "add-k")


@dataclass(frozen=True)
class NGramConfig:
    """An n-gram model: its order ``n`` (context of ``n - 1`` tokens), its smoothing
    (``"kneser-ney"`` or ``"add-k"``) and, for add-k, the pseudo-count ``k >= 0``."""

    order: int = 3
    smoothing: str = "kneser-ney"
    k: float = 1.0

    def __post_init__(self):
        check_int(self.order, "order", min=1)
        check_choice(self.smoothing, "smoothing", SMOOTHINGS)
        check_float(self.k, "k", min=0)


class NGramModel(LanguageModel):
    """An n-gram language model: a view of :class:`NGramCounts` at one order with one
    smoothing (:mod:`lmlab.ngram.smoothing`).

    Many models (all orders, both smoothings) can share one set of counts. Build one with
    :func:`fit`, or ``NGramModel(vocab, counts, NGramConfig(...))``.
    """

    def __init__(self, vocab: Vocab, counts: NGramCounts, config: NGramConfig = NGramConfig()):
        check_instance(vocab, "vocab", Vocab, "a lmlab.vocab.Vocab")
        check_instance(counts, "counts", NGramCounts, "a lmlab.ngram.NGramCounts")
        check_instance(config, "config", NGramConfig, "a lmlab.ngram.NGramConfig")
        if counts.vocab_size != len(vocab):
            raise ValueError(f"counts were made for {counts.vocab_size} symbols but vocab has {len(vocab)}")
        if config.order > counts.max_order:
            raise ValueError(f"config.order {config.order} exceeds the counts' max_order {counts.max_order}")
        self.vocab = vocab
        self.counts = counts
        self.config = config
        self.context_size = config.order - 1

    @property
    def order(self) -> int:
        return self.config.order

    def __repr__(self) -> str:
        c = self.config
        sm = "Kneser-Ney" if c.smoothing == "kneser-ney" else f"add-{c.k:g}"
        return f"NGramModel(order={c.order}, {sm}, V={len(self.vocab)}, trained on {self.counts.n_tokens:,} tokens)"

    def next_probs(self, context: np.ndarray) -> np.ndarray:
        """Probability of every next token (length V) after one context (ids)."""
        c = self.config
        if c.smoothing == "add-k":
            return _sm.add_k_next_probs(self.counts, context, c.order, c.k)
        return _sm.kneser_ney_next_probs(self.counts, context, c.order)

    def _next_log_probs(self, contexts: list[np.ndarray]) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.log(np.stack([self.next_probs(x) for x in contexts]))

    def log_probs(self, text: object) -> np.ndarray:
        """``ln p(x_t | x_<t)`` of every token of a text (str or ids), computed for the
        whole text at once (equal to per-position scoring; tested)."""
        ids = as_ids(self.vocab, text)
        c = self.config
        if c.smoothing == "add-k":
            return _sm.add_k_log_probs(self.counts, ids, c.order, c.k)
        return _sm.kneser_ney_log_probs_by_order(self.counts, ids, c.order)[c.order - 1]


def fit(vocab: Vocab, text: object, config: NGramConfig | None = None, max_order: int | None = None,
        **fields: object) -> NGramModel:
    """Count ``text`` (a str or ids over ``vocab``) and return its n-gram model.

    The model is ``config``, or an :class:`NGramConfig` built from keyword ``fields``
    (``order``, ``smoothing``, ``k``): ``fit(vocab, text, order=2, smoothing="add-k")``.
    ``max_order`` (default: the model's order) counts higher orders too, so that models of
    other orders can share the counts (``NGramModel(vocab, model.counts, ...)``).
    """
    if isinstance(text, Vocab) and not isinstance(vocab, Vocab):
        import warnings
        warnings.warn("ngram.fit(text, vocab, ...) is deprecated: the order is fit(vocab, text, ...)",
                      DeprecationWarning, stacklevel=2)
        vocab, text = text, vocab
    check_instance(vocab, "vocab", Vocab, "a lmlab.vocab.Vocab")
    if config is None:
        config = NGramConfig(**fields)
    elif fields:
        raise TypeError(f"give either config or the fields {sorted(fields)}, not both")
    check_instance(config, "config", NGramConfig, "a lmlab.ngram.NGramConfig")
    top = config.order if max_order is None else max(config.order, check_int(max_order, "max_order", min=1))
    counts = NGramCounts.from_text(vocab, text, top)
    return NGramModel(vocab, counts, config)
