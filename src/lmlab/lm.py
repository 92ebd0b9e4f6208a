"""The one interface every sequence model in the book follows, and the one evaluation.

A language model here is anything that, given contexts (sequences of token ids of its
:class:`~lmlab.vocab.Vocab`), returns the natural-log probability of every possible next
token: :meth:`LanguageModel.next_log_probs`, an array of shape ``(B, V)``. The n-gram
models of chapter 2, the bigram trained by gradient descent, and later the MLP, GPT and
BERT models all subclass :class:`LanguageModel`, so one sampler
(:func:`lmlab.sampling.generate`) and one evaluation (:func:`evaluate`) serve them all and
every model is scored on the same held-out text in the same units.

The score is the cross-entropy of the model on a text :math:`x_1..x_N`,

.. math:: H = -\\frac{1}{N} \\sum_{t=1}^{N} \\ln p(x_t \\mid x_{<t}),

in nats per token (divide by ln 2 for bits). Every token is scored, the first ones with
the shorter context they have; a model that sees at most ``context_size`` tokens is given
the last ``context_size``.
"""
from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from .vocab import Vocab

__all__ = ["LanguageModel", "Evaluation", "evaluate", "as_contexts", "as_ids"]


def as_ids(vocab: Vocab, text: object, name: str = "text") -> np.ndarray:
    """A text (str, or list of symbols) encoded with ``vocab``, or an id array checked
    against it."""
    if isinstance(text, str) or (isinstance(text, (list, tuple)) and text
                                 and all(isinstance(t, str) for t in text)):
        return vocab.encode(text)
    if isinstance(text, (list, tuple, np.ndarray)):
        return vocab.check_ids(np.asarray(text, dtype=np.int64) if len(text) == 0 else text, name)
    raise TypeError(f"{name} must be a str, a list of symbols or an array of token ids, "
                    f"got {type(text).__name__}")


def as_contexts(vocab: Vocab, contexts: object, name: str = "contexts") -> list[np.ndarray]:
    """Normalise a batch of contexts to a list of int64 id arrays.

    Accepts a 2-D integer array ``(B, L)``, a list of id sequences (lengths may differ), or
    a list of strings, each encoded with ``vocab``.
    """
    if isinstance(contexts, np.ndarray):
        if contexts.ndim != 2:
            raise ValueError(f"{name} as an array must be 2-D (batch, length), got shape {contexts.shape}")
        arr = vocab.check_ids(contexts, name)
        return list(arr)
    if isinstance(contexts, str):
        raise TypeError(f"{name} must be a batch (a list) of contexts; wrap a single "
                        f"context in a list: [{contexts[:20]!r}]")
    if not isinstance(contexts, (list, tuple)):
        raise TypeError(f"{name} must be a list of contexts or a 2-D id array, got {type(contexts).__name__}")
    if not contexts:
        raise ValueError(f"{name} must hold at least one context")
    return [as_ids(vocab, c, name) if not (isinstance(c, (list, tuple)) and len(c) == 0)
            else np.zeros(0, dtype=np.int64) for c in contexts]


class LanguageModel(ABC):
    """Base class of every sequence model in the book.

    Subclasses set ``vocab`` (a :class:`~lmlab.vocab.Vocab`) and ``context_size`` (how many
    preceding tokens the model can use; ``None`` for no limit) and implement
    :meth:`_next_log_probs`. They may override :meth:`log_probs` with a faster way to
    score a whole text.
    """

    vocab: Vocab
    context_size: int | None = None

    @abstractmethod
    def _next_log_probs(self, contexts: list[np.ndarray]) -> np.ndarray:
        """Log-probabilities ``(B, V)`` of the next token after each (already checked and
        truncated) context."""

    def next_log_probs(self, contexts: object) -> np.ndarray:
        """Natural-log probabilities of every next token, shape ``(B, V)``, rows summing
        (in probability) to 1.

        ``contexts`` is a batch: a list of strings, a list of id sequences (lengths may
        differ, an empty context is allowed) or a 2-D id array.
        """
        ctx = as_contexts(self.vocab, contexts)
        if self.context_size is not None:
            c = self.context_size
            ctx = [x[len(x) - c:] if len(x) > c else x for x in ctx] if c > 0 else \
                [x[:0] for x in ctx]
        return self._next_log_probs(ctx)

    def log_probs(self, text: object) -> np.ndarray:
        """``ln p(x_t | x_<t)`` for every token ``x_t`` of a text (str or ids), shape ``(N,)``."""
        ids = as_ids(self.vocab, text)
        out = np.empty(len(ids))
        c = self.context_size
        batch = 256
        for start in range(0, len(ids), batch):
            ts = range(start, min(start + batch, len(ids)))
            ctx = [ids[max(0, t - c) if c is not None else 0:t] for t in ts]
            lp = self._next_log_probs(ctx)
            out[start:start + len(ctx)] = lp[np.arange(len(ctx)), ids[start:start + len(ctx)]]
        return out


@dataclass(frozen=True)
class Evaluation:
    """Cross-entropy of a model on a text."""

    nats_per_token: float
    n_tokens: int

    @property
    def bits_per_token(self) -> float:
        return self.nats_per_token / math.log(2)

    @property
    def perplexity(self) -> float:
        return math.exp(self.nats_per_token) if self.nats_per_token < 700 else math.inf

    def __repr__(self) -> str:
        return (f"Evaluation({self.nats_per_token:.4f} nats = {self.bits_per_token:.4f} bits "
                f"per token over {self.n_tokens:,} tokens; perplexity {self.perplexity:.2f})")


def evaluate(model: LanguageModel, text: object) -> Evaluation:
    """Held-out cross-entropy of ``model`` on ``text`` (a str encoded with the model's
    vocabulary, or token ids). A token the model gives probability 0 makes it infinite."""
    if not isinstance(model, LanguageModel):
        raise TypeError(f"model must be a lmlab.lm.LanguageModel, got {type(model).__name__}")
    ids = as_ids(model.vocab, text)
    if len(ids) == 0:
        raise ValueError("text must contain at least one token to evaluate on")
    lp = np.asarray(model.log_probs(ids), dtype=np.float64)
    if lp.shape != ids.shape:
        raise RuntimeError(f"{type(model).__name__}.log_probs returned shape {lp.shape}, "
                           f"expected {ids.shape}")
    with np.errstate(invalid="ignore"):
        nats = float(-lp.mean())
    return Evaluation(nats, int(len(ids)))
