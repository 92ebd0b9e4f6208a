"""Smoothing: turning n-gram counts into probabilities that give unseen n-grams a share.

* **add-k** (Laplace for ``k = 1``): ``p(w | h) = (c(h w) + k) / (c(h) + k V)``.
* **interpolated Kneser-Ney** with Chen & Goodman's modified discounts (Chen & Goodman
  1999, section 3.5): subtract a discount from every seen count and give the freed mass
  to the next-lower order, whose counts are *continuation* counts ``N1+(. g)`` (in how
  many different contexts ``g`` appeared) rather than raw counts::

      p_k(w | h) = (c_k(h w) - D(c_k(h w))) / c_k(h .)  +  gamma(h) p_{k-1}(w | h')
      gamma(h)   = (D1 N1(h .) + D2 N2(h .) + D3+ N3+(h .)) / c_k(h .)

  where ``h'`` drops the first token of ``h``, ``c_k`` is the raw count at the highest
  order and the continuation count below it, ``D(c)`` is ``D1``, ``D2`` or ``D3+`` for a
  count of 1, 2 or more, ``Nj(h .)`` counts the tokens seen exactly j (or 3+) times after
  ``h``, and ``p_0`` is uniform over the vocabulary. A context never seen hands all its
  mass to the lower order.

Each formula is written once, as a *step* on arrays (:func:`kneser_ney_step`,
:func:`add_k_step`). Two lookup routes feed them: whole-text scoring looks up the n-gram
ending at every position of a text (one token per position), and the next-token route
looks up one context and every possible next token at once (what sampling needs).

Every token of a scored text is predicted, the first ones from the shorter context they
have (the model of order ``t + 1`` at position ``t``).
"""
from __future__ import annotations

import numpy as np

from ..checks import check_float, check_instance
from .counts import NGramCounts, _lookup, _take

__all__ = ["modified_discounts", "kneser_ney_step", "add_k_step",
           "kneser_ney_log_probs_by_order", "kneser_ney_next_probs",
           "add_k_log_probs", "add_k_next_probs"]


def modified_discounts(counts: np.ndarray) -> np.ndarray:
    """Chen & Goodman's discounts (D1, D2, D3+) from the counts-of-counts n1..n4 of
    ``counts`` (the counts of every distinct n-gram of one order).

    ``D_j = j - (j + 1) Y n_{j+1} / n_j`` with ``Y = n1 / (n1 + 2 n2)``. On small texts
    the formula can leave ``(0, j]``; such a discount is replaced by ``Y`` (or 0.5 when
    ``Y`` is 0), so that every discount is positive and no token gets probability 0."""
    n = [int(np.count_nonzero(counts == j)) for j in (1, 2, 3, 4)]
    y = n[0] / (n[0] + 2 * n[1]) if n[0] + 2 * n[1] > 0 else 0.0
    fallback = y if y > 0 else 0.5
    d = []
    for j in (1, 2, 3):
        dj = j - (j + 1) * y * n[j] / n[j - 1] if n[j - 1] > 0 else fallback
        d.append(dj if 0 < dj <= j else fallback)
    return np.array(d, dtype=np.float64)


# ----- the two formulas ---------------------------------------------------------------
def kneser_ney_step(c: np.ndarray, stats: np.ndarray, discounts: np.ndarray,
                    lower: np.ndarray) -> np.ndarray:
    """One interpolated Kneser-Ney level: ``p_k(w | h)`` from the count ``c = c_k(h w)``,
    the context's ``stats = (c_k(h .), N1(h .), N2(h .), N3+(h .))`` (first axis of
    length 4), the level's ``discounts = (D1, D2, D3+)`` and ``lower = p_{k-1}(w | h')``.
    Arrays broadcast; where ``c_k(h .) = 0`` (an unseen context) the result is ``lower``."""
    total, n1, n2, n3 = stats
    d1, d2, d3 = discounts
    d = np.array([0.0, d1, d2, d3])[np.minimum(c, 3)]          # D(c), with D(0) = 0
    p = (c - d + (d1 * n1 + d2 * n2 + d3 * n3) * lower) / np.maximum(total, 1)
    return np.where(total > 0, p, lower)


def add_k_step(c: np.ndarray, total: np.ndarray, k: float, vocab_size: int) -> np.ndarray:
    """Add-k ``p(w | h) = (c(h w) + k) / (c(h .) + k V)``; uniform ``1 / V`` where the
    denominator is 0 (``k = 0`` and an unseen context). Arrays broadcast."""
    denom = total + k * vocab_size
    with np.errstate(divide="ignore", invalid="ignore"):
        p = (c + k) / np.where(denom > 0, denom, 1)
    return np.where(denom > 0, p, 1.0 / vocab_size)


# ----- route 1: every position of a text ------------------------------------------------
def kneser_ney_log_probs_by_order(counts: NGramCounts, ids: object,
                                  max_order: int | None = None) -> np.ndarray:
    """Interpolated Kneser-Ney ``ln p(x_t | x_<t)`` of every token of ``ids`` for every
    model order 1..max_order at once, shape ``(max_order, N)``."""
    check_instance(counts, "counts", NGramCounts, "a lmlab.ngram.NGramCounts")
    K = counts.max_order if max_order is None else counts._order(max_order)
    x = counts.check_ids(ids)
    N = len(x)
    out = np.empty((K, N))
    idx_prev = np.zeros(N, dtype=np.int64)          # index of the empty context
    lower = np.full(N, 1.0 / counts.vocab_size)      # p_0: uniform
    for k in range(1, K + 1):
        codes = counts.gram_codes(x, k)              # k-grams ending at t = k-1 .. N-1
        idx = _lookup(counts.keys[k], codes)
        ctx = idx_prev[: len(codes)]                 # (k-1)-gram ending at t-1
        low = lower[k - 1:]
        for kind in ("raw", "cont") if k < K else ("raw",):
            c = _take(counts.count[k] if kind == "raw" else counts.cont[k], idx)
            stats = counts.ctx[kind][k][:, np.maximum(ctx, 0)]
            stats[0] = np.where(ctx >= 0, stats[0], 0)   # an unseen context: total 0
            p = kneser_ney_step(c, stats, counts.discounts[kind][k], low)
            if kind == "raw":
                # the model of order n uses order k as its top at position t = k-1 (its
                # shorter context) and, for n = k, at every t >= k-1
                out[k - 1, k - 1:] = np.log(p)
                if len(p):
                    out[k:, k - 1] = out[k - 1, k - 1]
            else:
                lower = np.concatenate([lower[:k - 1], p])
        idx_prev = idx                               # k-gram ending at t, context for t+1
    return out


def add_k_log_probs(counts: NGramCounts, ids: object, order: int, k: float) -> np.ndarray:
    """Add-k ``ln p(x_t | x_<t)`` of every token of ``ids`` for the model of this order."""
    check_instance(counts, "counts", NGramCounts, "a lmlab.ngram.NGramCounts")
    n = counts._order(order)
    k = check_float(k, "k", min=0)
    x = counts.check_ids(ids)
    out = np.empty(len(x))
    for m in range(1, n + 1):                        # the order used at each position
        codes = counts.gram_codes(x, m)
        if m < n:                                    # only position m-1 (shorter context)
            codes = codes[:1]
        if len(codes) == 0:
            continue
        c = _take(counts.count[m], _lookup(counts.keys[m], codes))
        ctx = _lookup(counts.keys[m - 1], codes >> counts.bits) if m > 1 else np.zeros(len(codes), np.int64)
        total = _take(counts.ctx["raw"][m][0], ctx)
        with np.errstate(divide="ignore"):
            out[m - 1: m - 1 + len(codes)] = np.log(add_k_step(c, total, k, counts.vocab_size))
    return out


# ----- route 2: one context, every next token ---------------------------------------------
def _last(counts: NGramCounts, context: object, order: object) -> np.ndarray:
    """The checked context, cut to the ``order - 1`` ids the model of this order uses."""
    check_instance(counts, "counts", NGramCounts, "a lmlab.ngram.NGramCounts")
    order = counts._order(order)
    ctx = counts.check_ids(context, "context")
    return ctx[max(0, len(ctx) - (order - 1)):] if order > 1 else ctx[:0]


def kneser_ney_next_probs(counts: NGramCounts, context: object, order: int) -> np.ndarray:
    """Kneser-Ney probability of every next token (length V) after one context (ids) for
    the model of this order (only the last ``order - 1`` ids are used)."""
    ctx = _last(counts, context, order)
    m = len(ctx)                                     # the top order is m + 1
    p = np.full(counts.vocab_size, 1.0 / counts.vocab_size)
    code = 0                                         # code of the last j - 1 ids
    for j in range(1, m + 2):                        # order j uses the last j - 1 ids
        if j >= 2:
            code |= int(ctx[m - (j - 1)]) << (counts.bits * (j - 2))
        ci = counts.code_index(j - 1, code)
        if ci < 0:
            break                                    # unseen context: so are longer ones
        kind = "raw" if j == m + 1 else "cont"
        p = kneser_ney_step(counts.next_counts_of_code(j - 1, code, kind),
                            counts.ctx[kind][j][:, ci], counts.discounts[kind][j], p)
    return p


def add_k_next_probs(counts: NGramCounts, context: object, order: int, k: float) -> np.ndarray:
    """Add-k probability of every next token (length V) after one context (ids) for the
    model of this order."""
    ctx = _last(counts, context, order)
    k = check_float(k, "k", min=0)
    code = counts.encode(ctx)
    ci = counts.code_index(len(ctx), code)
    total = counts.ctx["raw"][len(ctx) + 1][0, ci] if ci >= 0 else 0
    return add_k_step(counts.next_counts_of_code(len(ctx), code), total, k, counts.vocab_size)
