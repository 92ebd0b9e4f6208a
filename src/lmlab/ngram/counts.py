"""Counting every n-gram of a text up to a highest order, from one sort.

:class:`NGramCounts` writes the n-gram starting at every position as one integer, its
tokens as the digits of a base ``2**b`` number with ``2**b > V`` (first token most
significant, digit ``V`` padding the end of the text), and sorts those integers once. Then
the k-grams of every order ``k <= max_order`` are already in sorted order (a prefix of
sorted strings is sorted), so all orders are read off the one sort with bit shifts. The
codes must fit in 63 bits: ``b * max_order <= 63``, which allows order 9 for up to 127
characters and order 4 for up to 32,767 words.

Besides raw counts it keeps what smoothing needs: continuation counts and, for every
context, the total and the number of continuations seen once, twice and three or more
times. The probabilities themselves are in :mod:`lmlab.ngram.smoothing`.
"""
from __future__ import annotations

from functools import cached_property

import numpy as np

from ..checks import check_int
from ..lm import as_ids
from ..vocab import Vocab

__all__ = ["NGramCounts", "max_order_for"]


def _check_order(n: object, name: str = "order") -> int:
    return check_int(n, name, min=1)


def _bits(vocab_size: int) -> int:
    """Bits per token in an n-gram code: room for ids 0..V-1 and the padding digit V."""
    return max(1, int(vocab_size).bit_length())


def max_order_for(vocab_size: int) -> int:
    """The highest order whose n-gram codes fit in 63 bits for this vocabulary size."""
    return 63 // _bits(vocab_size)


def _lookup(keys: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Index of each query in the sorted ``keys``, or -1 where it is absent."""
    if len(keys) == 0:
        return np.full(len(queries), -1, dtype=np.int64)
    if len(queries) > 4096 and len(keys) > 65536:
        # many queries into a large table: searching them in sorted order touches the
        # table's memory in order (about 4x faster for the 8-grams of the book's corpus)
        order = np.argsort(queries)
        i = np.empty(len(queries), dtype=np.int64)
        i[order] = np.searchsorted(keys, queries[order])
    else:
        i = np.searchsorted(keys, queries)
    i = np.minimum(i, len(keys) - 1)
    return np.where(keys[i] == queries, i, -1)


def _take(values: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``values[idx]`` with 0 where ``idx == -1``."""
    out = values[np.maximum(idx, 0)]
    return np.where(idx >= 0, out, 0)


class NGramCounts:
    """Every n-gram count of a token sequence up to ``max_order``, with the statistics that
    Kneser-Ney smoothing needs, from one sort.

    For each order ``k`` (1..max_order): ``keys[k]``, the sorted codes of the distinct
    k-grams; ``count[k]``, how often each occurs; ``cont[k]`` (orders below max_order), its
    continuation count N1+(. g), the number of distinct tokens seen just before it.
    ``ctx[kind][k]`` (``kind`` is ``"raw"`` or ``"cont"``) holds, for every (k-1)-gram ``h``
    in ``keys[k-1]`` taken as a context, four rows: the total count of the k-grams ``h w``
    and how many ``w`` have count 1, 2 and 3 or more. Order 0 is the empty context.
    """

    def __init__(self, ids: object, vocab_size: int, max_order: int):
        max_order = _check_order(max_order, "max_order")
        vocab_size = check_int(vocab_size, "vocab_size", min=1)
        limit = max_order_for(int(vocab_size))
        if max_order > limit:
            raise ValueError(f"max_order {max_order} is too high for a vocabulary of {vocab_size} "
                             f"symbols: n-gram codes must fit in 63 bits, so at most {limit}")
        x = np.asarray(ids)
        if x.ndim != 1 or (x.size and not np.issubdtype(x.dtype, np.integer)):
            raise TypeError(f"ids must be a 1-D array of integer token ids, got shape {x.shape}, dtype {x.dtype}")
        x = x.astype(np.int64)
        if len(x) == 0:
            raise ValueError("the training text is empty: an n-gram model needs at least one token")
        if x.min() < 0 or x.max() >= vocab_size:
            raise ValueError(f"ids must lie in 0..{vocab_size - 1}, got values from {x.min()} to {x.max()}")
        self.vocab_size = V = int(vocab_size)
        self.max_order = K = max_order
        self.n_tokens = N = len(x)
        self.bits = b = _bits(V)
        self.base = B = 1 << b
        mask = B - 1
        pad = V
        code = np.zeros(N, dtype=np.int64)
        xp = np.concatenate([x, np.full(K, pad, dtype=np.int64)])
        for j in range(K):
            code = (code << b) | xp[j:j + N]
        code.sort()

        self.keys: list[np.ndarray] = [np.zeros(1, dtype=np.int64)]
        self.count: list[np.ndarray] = [np.array([N], dtype=np.int64)]
        for k in range(1, K + 1):
            kc = code >> (b * (K - k)) if k < K else code
            kc = kc[(kc & mask) != pad]                 # drop k-grams that run past the end
            starts = np.flatnonzero(np.concatenate([[True], kc[1:] != kc[:-1]]))
            self.keys.append(kc[starts])
            self.count.append(np.diff(np.append(starts, len(kc))).astype(np.int64))

        z = np.zeros(0, dtype=np.int64)
        self.cont: list[np.ndarray] = [z] * (K + 1)
        for k in range(1, K):
            # continuation counts of the k-grams: distinct left neighbours of each k-gram
            u, c = np.unique(self.keys[k + 1] & ((1 << (b * k)) - 1), return_counts=True)
            cont = np.zeros(len(self.keys[k]), dtype=np.int64)
            cont[np.searchsorted(self.keys[k], u)] = c
            self.cont[k] = cont
        # statistics of every (k-1)-gram h as a context, from the counts of the k-grams h w:
        # total, and how many w have count 1, 2 and >= 3 (raw counts, and continuation counts)
        self.ctx: dict[str, list[np.ndarray]] = {"raw": [z] * (K + 1), "cont": [z] * (K + 1)}
        for k in range(1, K + 1):
            parent = self.keys[k] >> b
            starts = np.flatnonzero(np.concatenate([[True], parent[1:] != parent[:-1]]))
            pos = np.searchsorted(self.keys[k - 1], parent[starts]) if k >= 2 else np.zeros(1, dtype=np.int64)
            n_ctx = len(self.keys[k - 1])
            for kind, child in (("raw", self.count[k]), ("cont", self.cont[k])):
                if kind == "cont" and k == K:
                    continue
                stats = np.zeros((4, n_ctx), dtype=np.int64)
                stats[0, pos] = np.add.reduceat(child, starts)
                for j in (1, 2):
                    stats[j, pos] = np.add.reduceat(child == j, starts, dtype=np.int64)
                stats[3, pos] = np.add.reduceat(child >= 3, starts, dtype=np.int64)
                self.ctx[kind][k] = stats

    @cached_property
    def discounts(self) -> dict[str, list[np.ndarray]]:
        """Kneser-Ney's modified discounts ``(D1, D2, D3+)`` of every order: ``discounts[
        "raw"][k]`` from the raw k-gram counts (used at the highest order),
        ``discounts["cont"][k]`` from the continuation counts (used below it); entry 0 and
        the continuation entry at ``max_order`` are zeros (unused). See
        :func:`lmlab.ngram.smoothing.modified_discounts`."""
        from .smoothing import modified_discounts
        K, z = self.max_order, np.zeros(3)
        return {"raw": [z] + [modified_discounts(self.count[k]) for k in range(1, K + 1)],
                "cont": [z] + [modified_discounts(self.cont[k]) for k in range(1, K)] + [z]}

    def kn_log_probs_by_order(self, ids: object, max_order: int | None = None) -> np.ndarray:
        """Interpolated Kneser-Ney ``ln p(x_t | x_<t)`` of every token of ``ids`` for every
        model order 1..max_order at once, shape ``(max_order, N)``: row ``n - 1`` is what
        ``NGramModel(vocab, counts, NGramConfig(n)).log_probs(ids)`` returns. A shortcut to
        :func:`lmlab.ngram.smoothing.kneser_ney_log_probs_by_order`."""
        from .smoothing import kneser_ney_log_probs_by_order
        return kneser_ney_log_probs_by_order(self, ids, max_order)

    @classmethod
    def from_text(cls, vocab: Vocab, text: object, max_order: int) -> "NGramCounts":
        """Count the n-grams of a text (str or ids) over ``vocab``."""
        ids = as_ids(vocab, text)
        return cls(ids, len(vocab), max_order)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}:{len(self.keys[k]):,}" for k in range(1, self.max_order + 1))
        return f"NGramCounts({self.n_tokens:,} tokens, V={self.vocab_size}, distinct n-grams {{{sizes}}})"

    def check_ids(self, ids: object, name: str = "ids") -> np.ndarray:
        """``ids`` as a 1-D int64 array of ids of these counts' vocabulary (0..V-1)."""
        x = np.asarray(ids)
        if x.ndim != 1 or (x.size and not np.issubdtype(x.dtype, np.integer)):
            raise TypeError(f"{name} must be a 1-D array of integer token ids, got shape {x.shape}, dtype {x.dtype}")
        x = x.astype(np.int64, copy=False)
        if x.size and (x.min() < 0 or x.max() >= self.vocab_size):
            raise ValueError(f"{name} must lie in 0..{self.vocab_size - 1}, got values from {x.min()} to {x.max()}")
        return x

    # ----- reading counts -------------------------------------------------------------
    def encode(self, gram: object) -> int:
        """The integer code of one n-gram given as a sequence of ids."""
        g = self.check_ids(np.ravel(gram), "gram")
        code = 0
        for t in g.tolist():
            code = code * self.base + int(t)
        return code

    def decode(self, code: int, order: int) -> tuple[int, ...]:
        """The ids of the n-gram with this code."""
        out = []
        for _ in range(order):
            code, d = divmod(int(code), self.base)
            out.append(d)
        return tuple(reversed(out))

    def grams(self, order: int) -> tuple[np.ndarray, np.ndarray]:
        """``(ids, counts)``: every distinct n-gram of this order as a row of ids, shape
        ``(M, order)``, and how often it occurs."""
        order = self._order(order)
        keys = self.keys[order]
        ids = np.empty((len(keys), order), dtype=np.int64)
        rest = keys.copy()
        for j in range(order - 1, -1, -1):
            rest, ids[:, j] = np.divmod(rest, self.base)
        return ids, self.count[order].copy()

    def matrix(self) -> np.ndarray:
        """The ``V x V`` table of 2-gram counts: ``M[a, b]`` = times ``b`` followed ``a``."""
        self._order(2)
        ids, counts = self.grams(2)
        m = np.zeros((self.vocab_size, self.vocab_size), dtype=np.int64)
        m[ids[:, 0], ids[:, 1]] = counts
        return m

    def unigram(self) -> np.ndarray:
        """Counts of every symbol (length V)."""
        ids, counts = self.grams(1)
        out = np.zeros(self.vocab_size, dtype=np.int64)
        out[ids[:, 0]] = counts
        return out

    def count_of(self, gram: object) -> int:
        """How often one n-gram (a sequence of ids, length 1..max_order) occurs."""
        g = self.check_ids(np.ravel(gram), "gram")
        k = self._order(len(g))
        i = _lookup(self.keys[k], np.array([self.encode(g)]))
        return int(_take(self.count[k], i)[0])

    def continuation_count(self, gram: object) -> int:
        """N1+(. g): how many distinct tokens occur just before the n-gram ``g`` (length
        1..max_order-1), the count Kneser-Ney uses below the highest order."""
        g = self.check_ids(np.ravel(gram), "gram")
        k = self._order(len(g))
        if k >= self.max_order:
            raise ValueError(f"continuation counts exist for n-grams shorter than max_order="
                             f"{self.max_order}, got one of length {k}")
        i = _lookup(self.keys[k], np.array([self.encode(g)]))
        return int(_take(self.cont[k], i)[0])

    def distinct(self, order: int) -> int:
        """Number of distinct n-grams of this order in the counted text."""
        return len(self.keys[self._order(order)])

    def _order(self, order: object) -> int:
        order = _check_order(order)
        if order > self.max_order:
            raise ValueError(f"order must be at most max_order={self.max_order} of these counts, got {order}")
        return order

    def gram_codes(self, ids: np.ndarray, order: int) -> np.ndarray:
        """Codes of the n-grams of ``ids`` ending at each position ``t >= order - 1``."""
        B = self.base
        N = len(ids)
        code = np.zeros(max(N - order + 1, 0), dtype=np.int64)
        for j in range(order):
            code = code * B + ids[j:N - order + 1 + j]
        return code

    def code_index(self, order: int, code: int) -> int:
        """Index of the n-gram of this order (0..max_order) with this code in
        ``keys[order]``, or -1 if it never occurs; order 0 (the empty context) is index 0."""
        if order == 0:
            return 0
        keys = self.keys[order]
        i = int(keys.searchsorted(code))
        return i if i < len(keys) and keys[i] == code else -1

    def next_counts_of_code(self, order: int, code: int, kind: str = "raw") -> np.ndarray:
        """How often each token (length V) follows the context of this order (0..max_order-1)
        with this code: raw counts ``c(h w)``, or with ``kind="cont"`` the continuation
        counts ``N1+(. h w)``."""
        keys = self.keys[order + 1]
        lo = code << self.bits
        a, b = keys.searchsorted([lo, lo + self.base])
        out = np.zeros(self.vocab_size, dtype=np.int64)
        out[keys[a:b] - lo] = (self.count if kind == "raw" else self.cont)[order + 1][a:b]
        return out

    def next_counts(self, context: object, kind: str = "raw") -> np.ndarray:
        """How often each token (length V) follows the context (ids, length
        0..max_order-1): raw counts ``c(h w)``, or with ``kind="cont"`` the continuation
        counts ``N1+(. h w)``."""
        ctx = self.check_ids(context, "context")
        if kind not in ("raw", "cont"):
            raise ValueError(f"kind must be 'raw' or 'cont', got {kind!r}")
        if len(ctx) >= self.max_order:
            raise ValueError(f"context must hold at most max_order - 1 = {self.max_order - 1} ids, got {len(ctx)}")
        return self.next_counts_of_code(len(ctx), self.encode(ctx), kind)

    def unseen_fraction(self, ids: object, order: int) -> float:
        """Share of the n-grams of a text (ids) that never occur in the counted text."""
        order = self._order(order)
        ids = self.check_ids(ids)
        codes = self.gram_codes(ids, order)
        if len(codes) == 0:
            raise ValueError(f"the text is shorter than one {order}-gram")
        return float(np.mean(_lookup(self.keys[order], codes) < 0))
