"""The n-gram language model: an order and a smoothing applied to shared counts."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..lm import LanguageModel, as_ids
from ..vocab import Vocab
from . import smoothing as _sm
from .counts import NGramCounts, _check_order

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
        _check_order(self.order)
        if self.smoothing not in SMOOTHINGS:
            raise ValueError(f"smoothing must be one of {SMOOTHINGS}, got {self.smoothing!r}")
        if isinstance(self.k, bool) or not isinstance(self.k, (int, float, np.integer, np.floating)):
            raise TypeError(f"k must be a number >= 0, got {type(self.k).__name__}")
        if not (math.isfinite(self.k) and self.k >= 0):
            raise ValueError(f"k must be a finite number >= 0, got {self.k!r}")


class NGramModel(LanguageModel):
    """An n-gram language model: a view of :class:`NGramCounts` at one order with one
    smoothing (:mod:`lmlab.ngram.smoothing`).

    Many models (all orders, both smoothings) can share one set of counts. Build one with
    :func:`fit`, or ``NGramModel(vocab, counts, NGramConfig(...))``.
    """

    def __init__(self, vocab: Vocab, counts: NGramCounts, config: NGramConfig = NGramConfig()):
        if not isinstance(vocab, Vocab):
            raise TypeError(f"vocab must be a lmlab.vocab.Vocab, got {type(vocab).__name__}")
        if not isinstance(counts, NGramCounts):
            raise TypeError(f"counts must be NGramCounts, got {type(counts).__name__}")
        if not isinstance(config, NGramConfig):
            raise TypeError(f"config must be an NGramConfig, got {type(config).__name__}")
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


def fit(text: object, vocab: Vocab, order: int = 3, smoothing: str = "kneser-ney",
        k: float = 1.0, max_order: int | None = None) -> NGramModel:
    """Count ``text`` (a str or ids over ``vocab``) and return the n-gram model of this
    order; ``max_order`` (default ``order``) counts higher orders too, for later models."""
    config = NGramConfig(order, smoothing, k)
    counts = NGramCounts.from_text(vocab, text, max(order, max_order or order))
    return NGramModel(vocab, counts, config)
