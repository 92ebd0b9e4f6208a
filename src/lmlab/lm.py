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
the last ``context_size`` (:func:`crop`, the one helper that does it).

**Start of text.** Every model gives a distribution for the empty context (the first
token of a text). A model that needs an input token there (a fixed-window MLP, a GPT)
reserves one extra *input* id, :func:`start_id` ``(vocab) == len(vocab)``, and puts it in
front of every context shorter than its window (:func:`prepend_start`); it never predicts
it, so its embedding table has ``V + 1`` rows and its output ``V`` columns. n-gram models
need no start id: they use the shorter context.

**Padding.** Batches of contexts of different lengths become one array with
:func:`pad_left` (fixed-window models, padded with the start id) or :func:`pad_right`
(a bidirectional model such as BERT, padded with its own ``[PAD]`` id); both return the
mask of real tokens.
"""
from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from .checks import check_int, check_instance
from .vocab import Vocab

__all__ = ["LanguageModel", "Evaluation", "evaluate", "as_contexts", "as_ids", "crop",
           "start_id", "prepend_start", "pad_left", "pad_right", "per_position_log_probs",
           "assert_log_probs_match"]


def crop(ids: np.ndarray, context_size: int | None) -> np.ndarray:
    """The last ``context_size`` ids of ``ids`` (all of them for ``None``, none for 0):
    what a model with that context size sees."""
    if context_size is None:
        return ids
    if isinstance(context_size, bool) or not isinstance(context_size, (int, np.integer)) or context_size < 0:
        raise ValueError(f"context_size must be None or an integer >= 0, got {context_size!r}")
    if context_size == 0:
        return ids[:0]
    return ids[len(ids) - context_size:] if len(ids) > context_size else ids


def start_id(vocab: Vocab) -> int:
    """The start-of-text input id of models that need one: ``len(vocab)``, one past the
    last symbol (it is an input only; the model never predicts it)."""
    check_instance(vocab, "vocab", Vocab, "a lmlab.vocab.Vocab")
    return len(vocab)


def prepend_start(contexts: list[np.ndarray], start: int, context_size: int | None) -> list[np.ndarray]:
    """Each context with ``start`` in front if it is shorter than ``context_size`` (every
    context if ``context_size`` is None): the start-of-text convention of fixed-window
    models. Contexts longer than ``context_size`` should be cropped first."""
    start = check_int(start, "start", min=0)
    head = np.array([start], dtype=np.int64)
    return [np.concatenate([head, c]) if context_size is None or len(c) < context_size else c
            for c in contexts]


def _pad(contexts: object, length: object, pad_id: object, left: bool) -> tuple[np.ndarray, np.ndarray]:
    length = check_int(length, "length", min=0)
    pad_id = check_int(pad_id, "pad_id", min=0)
    if not isinstance(contexts, (list, tuple)):
        raise TypeError(f"contexts must be a list of 1-D id arrays, got {type(contexts).__name__}")
    ids = np.full((len(contexts), length), pad_id, dtype=np.int64)
    mask = np.zeros((len(contexts), length), dtype=bool)
    for i, c in enumerate(contexts):
        c = np.asarray(c)
        if c.ndim != 1 or (c.size and not np.issubdtype(c.dtype, np.integer)):
            raise TypeError(f"contexts[{i}] must be a 1-D array of integer ids, got shape {c.shape}, dtype {c.dtype}")
        if len(c) > length:
            raise ValueError(f"contexts[{i}] has {len(c)} ids, more than length={length}; crop it first (lmlab.lm.crop)")
        sl = slice(length - len(c), length) if left else slice(0, len(c))
        ids[i, sl] = c
        mask[i, sl] = True
    return ids, mask


def pad_left(contexts: list[np.ndarray], length: int, pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Contexts (1-D id arrays, each at most ``length`` long) as one ``(B, length)`` int64
    array, right-aligned and filled on the left with ``pad_id``, and the ``(B, length)``
    bool mask that is True at real tokens."""
    return _pad(contexts, length, pad_id, left=True)


def pad_right(contexts: list[np.ndarray], length: int, pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`pad_left`, but left-aligned and filled on the right (bidirectional
    models, whose attention mask then hides the padding)."""
    return _pad(contexts, length, pad_id, left=False)


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
        ctx = [crop(x, self.context_size) for x in as_contexts(self.vocab, contexts)]
        out = self._next_log_probs(ctx)
        if np.shape(out) != (len(ctx), len(self.vocab)):
            raise RuntimeError(f"{type(self).__name__}._next_log_probs returned shape {np.shape(out)}, "
                               f"expected (B, V) = {(len(ctx), len(self.vocab))}")
        return out

    def log_probs(self, text: object) -> np.ndarray:
        """``ln p(x_t | x_<t)`` for every token ``x_t`` of a text (str or ids), shape ``(N,)``.

        This base version scores position by position (each token from its own cropped
        context, in batches): the reference. A model may override it with a faster
        whole-text path; :func:`assert_log_probs_match` is the test that it agrees."""
        return per_position_log_probs(self, text)


def per_position_log_probs(model: LanguageModel, text: object, batch: int = 256) -> np.ndarray:
    """The reference ``log_probs``: every token scored from its own context, cropped to
    the model's ``context_size``, through ``model._next_log_probs`` (whatever
    ``model.log_probs`` does)."""
    check_instance(model, "model", LanguageModel, "a lmlab.lm.LanguageModel")
    batch = check_int(batch, "batch", min=1)
    ids = as_ids(model.vocab, text)
    out = np.empty(len(ids))
    for start in range(0, len(ids), batch):
        ts = range(start, min(start + batch, len(ids)))
        ctx = [crop(ids[:t], model.context_size) for t in ts]
        lp = model._next_log_probs(ctx)
        out[start:start + len(ctx)] = lp[np.arange(len(ctx)), ids[start:start + len(ctx)]]
    return out


def assert_log_probs_match(model: LanguageModel, text: object, atol: float = 1e-9,
                           rtol: float = 0.0) -> float:
    """Check that ``model.log_probs(text)`` (a model's own, possibly faster, whole-text
    path) equals per-position scoring (:func:`per_position_log_probs`) within ``atol`` +
    ``rtol * |reference|``; raises ``AssertionError`` naming the first position that
    differs, else returns the largest absolute difference. Use it in every test of a model
    that overrides ``log_probs``, on texts where every position gets its full context
    (e.g. no longer than ``context_size`` for a strided-window path)."""
    check_instance(model, "model", LanguageModel, "a lmlab.lm.LanguageModel")
    ref = per_position_log_probs(model, text)
    got = np.asarray(model.log_probs(text), dtype=np.float64)
    if got.shape != ref.shape:
        raise AssertionError(f"{type(model).__name__}.log_probs returned shape {got.shape}, expected {ref.shape}")
    diff = np.abs(got - ref)
    both_inf = np.isneginf(got) & np.isneginf(ref)
    diff[both_inf] = 0.0
    bad = ~(diff <= atol + rtol * np.abs(np.where(both_inf, 0.0, ref)))
    if bad.any():
        t = int(np.flatnonzero(bad)[0])
        raise AssertionError(f"{type(model).__name__}.log_probs differs from per-position scoring at "
                             f"{int(bad.sum())} of {len(ref)} positions; first at t = {t}: "
                             f"{got[t]!r} vs {ref[t]!r}")
    return float(diff.max()) if len(diff) else 0.0


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
    check_instance(model, "model", LanguageModel, "a lmlab.lm.LanguageModel")
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
