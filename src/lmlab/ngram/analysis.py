"""Measurements on n-gram counts: held-out counts (Church & Gale), add-k scores for many
pseudo-counts at once, and word models that are scored on the same characters as letter
models.

* :func:`held_out_counts`: split a training text in two halves; for the n-grams seen
  ``r`` times in the first half, how often do they occur on average in the second? Church
  and Gale (1991) found about ``r - 0.75`` for word bigrams of a newswire corpus, which is
  the observation behind Kneser-Ney's fixed discount.
* :class:`AddKScorer`: the counts that add-k smoothing needs at every position of a text
  (``C(h w)`` and ``C(h .)``), looked up once, so that the held-out cross-entropy of every
  order for a new ``k`` costs one vectorised formula (a widget can redraw in milliseconds).
* Words: :func:`with_sentence_marks` puts a sentence boundary symbol at the start of a
  token list and after every sentence-final mark, so that word models can start (and end)
  at a sentence boundary; :func:`normalise_words` is one text normalisation shared by a
  word and a letter model; :func:`spelling_nats` scores the spelling of words a word model
  maps to ``<unk>``, so that the word model pays for every character it stands for.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..corpus import words as split_words
from ..vocab import Vocab
from .counts import NGramCounts, _lookup, _take
from .smoothing import add_k_step

__all__ = ["HeldOutCounts", "held_out_counts", "AddKScorer", "SENTENCE", "SENTENCE_ENDS",
           "with_sentence_marks", "normalise_words", "spelling_nats"]


# ----- Church & Gale: how often does an n-gram seen r times occur in new text? -----------
@dataclass(frozen=True)
class HeldOutCounts:
    """For ``r = 1..max_count``: ``n_grams[r-1]`` distinct n-grams occur exactly ``r`` times
    in the first text; on average they occur ``mean_other[r-1]`` times in the second.
    ``discount = r - mean_other`` is the held-out discount."""

    order: int
    r: np.ndarray
    n_grams: np.ndarray
    mean_other: np.ndarray

    @property
    def discount(self) -> np.ndarray:
        return self.r - self.mean_other


def held_out_counts(first: NGramCounts, second: NGramCounts, order: int,
                    max_count: int = 8) -> HeldOutCounts:
    """Church & Gale's held-out table for n-grams of this order, counted in ``first`` and
    looked up in ``second`` (two texts of about the same length over one vocabulary)."""
    if not isinstance(first, NGramCounts) or not isinstance(second, NGramCounts):
        raise TypeError("first and second must be NGramCounts")
    if first.vocab_size != second.vocab_size:
        raise ValueError(f"first and second count different vocabularies "
                         f"({first.vocab_size} and {second.vocab_size} symbols)")
    if isinstance(max_count, bool) or not isinstance(max_count, int) or max_count < 1:
        raise ValueError(f"max_count must be an integer >= 1, got {max_count!r}")
    ids, c1 = first.grams(order)
    second.grams(order)                                   # checks the order for both
    codes = np.zeros(len(ids), dtype=np.int64)
    for j in range(order):
        codes = codes * second.base + ids[:, j]
    c2 = _take(second.count[order], _lookup(second.keys[order], codes))
    r = np.arange(1, max_count + 1)
    n = np.array([int(np.sum(c1 == x)) for x in r])
    mean = np.array([float(c2[c1 == x].mean()) if m else math.nan for x, m in zip(r, n)])
    return HeldOutCounts(order=int(order), r=r.astype(np.float64), n_grams=n, mean_other=mean)


# ----- add-k for many k ---------------------------------------------------------------
class AddKScorer:
    """Held-out cross-entropy of add-k models of every order 1..``max_order`` for any
    ``k``, from counts looked up once.

    For the model of order ``n`` at position ``t`` (context: the ``n - 1`` tokens before,
    fewer at the start of the text), ``c[n-1, t] = C(h x_t)`` and ``total[n-1, t] = C(h .)``;
    then ``p`` is :func:`lmlab.ngram.smoothing.add_k_step` of them (tests check that the
    scores equal :class:`lmlab.ngram.NGramModel`'s).
    """

    def __init__(self, counts: NGramCounts, ids: object, max_order: int | None = None):
        if not isinstance(counts, NGramCounts):
            raise TypeError(f"counts must be NGramCounts, got {type(counts).__name__}")
        K = counts.max_order if max_order is None else counts._order(max_order)
        x = np.asarray(ids, dtype=np.int64)
        if x.ndim != 1 or len(x) == 0:
            raise ValueError("ids must be a non-empty 1-D array of token ids")
        if x.min() < 0 or x.max() >= counts.vocab_size:
            raise ValueError(f"ids must lie in 0..{counts.vocab_size - 1}")
        N = len(x)
        self.vocab_size = counts.vocab_size
        self.max_order = K
        self.c = np.zeros((K, N))
        self.total = np.zeros((K, N))
        per_order = []                                   # (c, total) of order m at t >= m-1
        for m in range(1, K + 1):
            codes = counts.gram_codes(x, m) if m <= N else np.zeros(0, dtype=np.int64)
            c = _take(counts.count[m], _lookup(counts.keys[m], codes))
            if m == 1:
                tot = np.full(len(codes), counts.n_tokens)
            else:
                tot = _take(counts.ctx["raw"][m][0], _lookup(counts.keys[m - 1], codes >> counts.bits))
            per_order.append((c, tot))
        for n in range(1, K + 1):
            for t in range(min(n - 1, N)):               # the first tokens: shorter context
                c, tot = per_order[t]
                self.c[n - 1, t], self.total[n - 1, t] = c[0], tot[0]
            c, tot = per_order[n - 1]
            self.c[n - 1, n - 1:] = c
            self.total[n - 1, n - 1:] = tot
        # the formula depends on a position only through (c, total): keep each distinct
        # pair once with its multiplicity, so that nats(k) costs little for any k
        self._pairs = []
        for n in range(K):
            key = self.c[n].astype(np.int64) * (int(self.total[n].max()) + 1) + self.total[n].astype(np.int64)
            _, first, mult = np.unique(key, return_index=True, return_counts=True)
            self._pairs.append((self.c[n, first], self.total[n, first], mult.astype(np.float64)))
        self.n_positions = N

    def nats(self, k: float) -> np.ndarray:
        """Cross-entropy (nats per token) of the add-k model of every order 1..max_order."""
        if isinstance(k, bool) or not isinstance(k, (int, float, np.integer, np.floating)) \
                or not math.isfinite(k) or k < 0:
            raise ValueError(f"k must be a finite number >= 0, got {k!r}")
        out = np.empty(self.max_order)
        with np.errstate(divide="ignore"):
            for n, (c, total, mult) in enumerate(self._pairs):
                p = add_k_step(c, total, float(k), self.vocab_size)
                out[n] = -(mult * np.log(p)).sum() / self.n_positions
        return out

    def grid(self, ks: Sequence[float]) -> np.ndarray:
        """``nats`` for every ``k`` of ``ks``: shape ``(len(ks), max_order)``."""
        return np.array([self.nats(k) for k in ks])


# ----- words ----------------------------------------------------------------------------
#: The sentence boundary symbol of word models: it ends one sentence and starts the next.
SENTENCE = "</s>"
#: Tokens that end a sentence.
SENTENCE_ENDS = (".", "!", "?")


def with_sentence_marks(tokens: Sequence[str], marker: str = SENTENCE,
                        ends: Sequence[str] = SENTENCE_ENDS) -> list[str]:
    """``tokens`` with ``marker`` at the start and after every token in ``ends``.

    A word model trained on the result predicts the end of a sentence (the marker after
    '.', '!' or '?') and, given the marker as its context, the first word of a sentence:
    ``generate(model, prompt=[SENTENCE])`` starts a new sentence."""
    if isinstance(tokens, str):
        raise TypeError("tokens must be a list of word tokens (e.g. lmlab.corpus.words(text)), not a str")
    out = [marker]
    end_set = set(ends)
    for t in tokens:
        if not isinstance(t, str):
            raise TypeError(f"tokens must be strings, got {type(t).__name__}")
        out.append(t)
        if t in end_set:
            out.append(marker)
    return out


def normalise_words(text: str) -> str:
    """The text as its word tokens (:func:`lmlab.corpus.words`: lower case, punctuation
    marks as tokens) joined by single spaces: one normalisation that a word model and a
    letter model can both be scored on, character for character."""
    return " ".join(split_words(text))


def spelling_nats(counts: NGramCounts, vocab: Vocab, words: Sequence[str], order: int) -> float:
    """Total nats for a letter model to spell ``words``: the interpolated Kneser-Ney model
    of this order (over ``counts``, e.g. of the training text's rare words separated by
    spaces) reads ``" w1 w2 ... wn "`` and pays for every letter of every word and for the
    space that ends it. The first space (the start) is not scored."""
    if not words:
        return 0.0
    text = " " + " ".join(words) + " "
    ids = vocab.encode(text)
    lp = counts.kn_log_probs_by_order(ids, order)[order - 1]
    return float(-lp[1:].sum())
