"""n-gram language models over characters or words: counting, smoothing, sampling, scoring.

An n-gram model predicts the next token from the ``n - 1`` tokens before it, using how
often each continuation followed that context in the training text. Two smoothings give
unseen n-grams a share of probability:

* **add-k** (Laplace for ``k = 1``):
  ``p(w | h) = (c(h w) + k) / (c(h) + k V)``.
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
  mass to the lower order. Each order (and each kind of count) has its own discounts,
  estimated from its counts-of-counts: ``Dj = j - (j + 1) Y n_{j+1} / n_j`` with
  ``Y = n1 / (n1 + 2 n2)``.

Every token of a scored text is predicted, the first ones from the shorter context they
have (the model of order ``t + 1`` at position ``t``).

**How counting works.** :class:`NGramCounts` writes the n-gram starting at every position
as one integer, its tokens as the digits of a base ``2**b`` number with ``2**b > V`` (first
token most significant, digit ``V`` padding the end of the text), and sorts those integers
once. Then
the k-grams of every order ``k <= max_order`` are already in sorted order (a prefix of
sorted strings is sorted), so all orders are read off the one sort with bit shifts.
The codes must fit in 63 bits: ``b * max_order <= 63``, which allows order 9 for up to 127
characters and order 4 for up to 32,767 words.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .lm import LanguageModel, as_ids
from .vocab import Vocab

__all__ = ["NGramCounts", "NGramConfig", "NGramModel", "SMOOTHINGS", "fit", "max_order_for"]

SMOOTHINGS = ("kneser-ney", "add-k")


def _check_order(n: object, name: str = "order") -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name} must be an integer >= 1, got {type(n).__name__} ({n!r})")
    if n < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {n}")
    return int(n)


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
    i = np.searchsorted(keys, queries)
    i = np.minimum(i, len(keys) - 1)
    return np.where(keys[i] == queries, i, -1)


def _take(values: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``values[idx]`` with 0 where ``idx == -1``."""
    out = values[np.maximum(idx, 0)]
    return np.where(idx >= 0, out, 0)


def _discounts(counts: np.ndarray) -> np.ndarray:
    """Chen & Goodman's discounts (D1, D2, D3+) from counts-of-counts n1..n4.

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
        if isinstance(vocab_size, bool) or not isinstance(vocab_size, (int, np.integer)) or vocab_size < 1:
            raise ValueError(f"vocab_size must be an integer >= 1, got {vocab_size!r}")
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
        self.discounts = {
            "raw": [np.zeros(3)] + [_discounts(self.count[k]) for k in range(1, K + 1)],
            "cont": [np.zeros(3)] + [_discounts(self.cont[k]) for k in range(1, K)] + [np.zeros(3)],
        }

    @classmethod
    def from_text(cls, vocab: Vocab, text: object, max_order: int) -> "NGramCounts":
        """Count the n-grams of a text (str or ids) over ``vocab``."""
        ids = as_ids(vocab, text)
        return cls(ids, len(vocab), max_order)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}:{len(self.keys[k]):,}" for k in range(1, self.max_order + 1))
        return f"NGramCounts({self.n_tokens:,} tokens, V={self.vocab_size}, distinct n-grams {{{sizes}}})"

    # ----- reading counts -------------------------------------------------------------
    def encode(self, gram: object) -> int:
        """The integer code of one n-gram given as a sequence of ids."""
        g = np.asarray(gram, dtype=np.int64).ravel()
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
        g = np.asarray(gram, dtype=np.int64).ravel()
        k = self._order(len(g))
        i = _lookup(self.keys[k], np.array([self.encode(g)]))
        return int(_take(self.count[k], i)[0])

    def continuation_count(self, gram: object) -> int:
        """N1+(. g): how many distinct tokens occur just before the n-gram ``g`` (length
        1..max_order-1), the count Kneser-Ney uses below the highest order."""
        g = np.asarray(gram, dtype=np.int64).ravel()
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

    def unseen_fraction(self, ids: object, order: int) -> float:
        """Share of the n-grams of a text (ids) that never occur in the counted text."""
        order = self._order(order)
        ids = np.asarray(ids, dtype=np.int64)
        codes = self.gram_codes(ids, order)
        if len(codes) == 0:
            raise ValueError(f"the text is shorter than one {order}-gram")
        return float(np.mean(_lookup(self.keys[order], codes) < 0))

    # ----- probabilities --------------------------------------------------------------
    def _level(self, k: int, top: bool, idx_ctx: np.ndarray, idx_gram: np.ndarray,
               lower: np.ndarray) -> np.ndarray:
        """One Kneser-Ney level at order ``k``: ``idx_ctx`` indexes the context in
        ``keys[k-1]`` (-1 if unseen), ``idx_gram`` the k-gram in ``keys[k]``, ``lower`` is
        p_{k-1}. Arrays broadcast."""
        kind = "raw" if top else "cont"
        c = _take(self.count[k] if top else self.cont[k], idx_gram)
        stats = self.ctx[kind][k]
        total = _take(stats[0], idx_ctx)
        d1, d2, d3 = self.discounts[kind][k]
        gamma_mass = (d1 * _take(stats[1], idx_ctx) + d2 * _take(stats[2], idx_ctx)
                      + d3 * _take(stats[3], idx_ctx))
        d = np.where(c >= 3, d3, np.where(c == 2, d2, np.where(c == 1, d1, 0.0)))
        seen = total > 0
        safe = np.where(seen, total, 1)
        p = (c - d) / safe + gamma_mass / safe * lower
        return np.where(seen, p, lower)

    def kn_log_probs_by_order(self, ids: object, max_order: int | None = None) -> np.ndarray:
        """Interpolated Kneser-Ney ``ln p(x_t | x_<t)`` of every token of ``ids`` for every
        model order 1..max_order at once, shape ``(max_order, N)``."""
        K = self.max_order if max_order is None else self._order(max_order)
        x = np.asarray(ids, dtype=np.int64)
        N = len(x)
        V = self.vocab_size
        out = np.empty((K, N))
        idx_prev = np.zeros(N, dtype=np.int64)          # index of the empty context
        lower = np.full(N, 1.0 / V)                      # p_0: uniform
        for k in range(1, K + 1):
            codes = self.gram_codes(x, k)                # k-grams ending at t = k-1 .. N-1
            idx = _lookup(self.keys[k], codes)
            ctx = idx_prev[: len(codes)]                 # (k-1)-gram ending at t-1
            low = lower[k - 1:]
            top = self._level(k, True, ctx, idx, low)
            # the model of order n uses order k as its top at positions t = k-1 (shorter
            # context) and, for n = k, at every t >= k-1
            out[k - 1, k - 1:] = np.log(top)
            if len(top):                                 # position k-1: order k is the top
                out[k:, k - 1] = out[k - 1, k - 1]
            if k < K:
                inner = self._level(k, False, ctx, idx, low)
                lower = np.concatenate([lower[:k - 1], inner])
                idx_prev = idx                           # k-gram ending at t, context for t+1
        return out

    def add_k_log_probs(self, ids: object, order: int, k: float) -> np.ndarray:
        """Add-k ``ln p(x_t | x_<t)`` of every token for the model of this order."""
        n = self._order(order)
        x = np.asarray(ids, dtype=np.int64)
        V = self.vocab_size
        out = np.empty(len(x))
        for m in range(1, n + 1):                        # the order used at each position
            codes = self.gram_codes(x, m)
            sel = slice(m - 1, m) if m < n else slice(m - 1, len(x))
            codes = codes[: 1] if m < n else codes
            if len(codes) == 0:
                continue
            idx = _lookup(self.keys[m], codes)
            c = _take(self.count[m], idx).astype(np.float64)
            if m == 1:
                total = np.full(len(codes), float(self.n_tokens))
            else:
                ctx = _lookup(self.keys[m - 1], codes // self.base)
                total = _take(self.ctx["raw"][m][0], ctx).astype(np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                p = (c + k) / (total + k * V)
                p = np.where(total + k * V > 0, p, 1.0 / V)
                out[sel] = np.log(p)
        return out

    def next_probs(self, context: np.ndarray, order: int, smoothing: str, k: float = 1.0) -> np.ndarray:
        """Probability of every next token (length V) after one context (ids), for the model
        of this order (only the last ``order - 1`` ids are used)."""
        n = self._order(order)
        ctx = np.asarray(context, dtype=np.int64)[max(0, len(context) - (n - 1)):] if n > 1 else \
            np.zeros(0, dtype=np.int64)
        m = len(ctx)                                    # context length: top order m + 1
        V, B = self.vocab_size, self.base
        if smoothing == "add-k":
            idx_ctx = np.array([0]) if m == 0 else _lookup(self.keys[m], np.array([self.encode(ctx)]))
            total = float(_take(self.ctx["raw"][m + 1][0], idx_ctx)[0]) if m else float(self.n_tokens)
            c = np.zeros(V)
            lo = self.encode(ctx) * B
            a, b = np.searchsorted(self.keys[m + 1], [lo, lo + B])
            c[self.keys[m + 1][a:b] % B] = self.count[m + 1][a:b]
            if total + k * V <= 0:
                return np.full(V, 1.0 / V)
            return (c + k) / (total + k * V)
        # The same recursion as _level, written for one context and all V next tokens at
        # once (sampling calls this per token, so it avoids _level's per-element lookups);
        # tests check both paths give the same probabilities.
        p = np.full(V, 1.0 / V)
        hc = 0                                           # code of the context of order j
        for j in range(1, m + 2):                        # order j uses the last j-1 ids
            if j >= 2:
                hc += int(ctx[m - (j - 1)]) * B ** (j - 2)
                keys = self.keys[j - 1]
                ci = int(np.searchsorted(keys, hc))
                if ci >= len(keys) or keys[ci] != hc:
                    break                                # unseen context: so are longer ones
            else:
                ci = 0
            kind = "raw" if j == m + 1 else "cont"
            total, n1, n2, n3 = self.ctx[kind][j][:, ci].tolist()
            if total == 0:
                break
            d1, d2, d3 = self.discounts[kind][j]
            a, b = np.searchsorted(self.keys[j], [hc * B, hc * B + B])
            cs = (self.count[j] if kind == "raw" else self.cont[j])[a:b]
            dtab = np.array([0.0, d1, d2, d3])
            p *= (d1 * n1 + d2 * n2 + d3 * n3) / total
            p[self.keys[j][a:b] % B] += (cs - dtab[np.minimum(cs, 3)]) / total
        return p


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
    """An n-gram language model: a view of :class:`NGramCounts` at one order and smoothing.

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

    def _next_log_probs(self, contexts: list[np.ndarray]) -> np.ndarray:
        c = self.config
        with np.errstate(divide="ignore"):
            return np.log(np.stack([self.counts.next_probs(x, c.order, c.smoothing, c.k)
                                    for x in contexts]))

    def log_probs(self, text: object) -> np.ndarray:
        ids = as_ids(self.vocab, text)
        c = self.config
        if c.smoothing == "add-k":
            return self.counts.add_k_log_probs(ids, c.order, c.k)
        return self.counts.kn_log_probs_by_order(ids, c.order)[c.order - 1]


def fit(text: object, vocab: Vocab, order: int = 3, smoothing: str = "kneser-ney",
        k: float = 1.0, max_order: int | None = None) -> NGramModel:
    """Count ``text`` (a str or ids over ``vocab``) and return the n-gram model of this
    order; ``max_order`` (default ``order``) counts higher orders too, for later models."""
    config = NGramConfig(order, smoothing, k)
    counts = NGramCounts.from_text(vocab, text, max(order, max_order or order))
    return NGramModel(vocab, counts, config)
