"""Word frequency against rank: Zipf's law.

Sort the distinct words of a text by how often they occur; the word of rank ``r`` then
occurs with a frequency close to ``f(r) = C / r**s`` with ``s`` near 1 (Zipf 1935, 1949).
On a log-log plot that is a straight line of slope ``-s``; :func:`fit_zipf` measures the
slope by least squares over a range of ranks.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["RankFrequency", "rank_frequency", "ZipfFit", "fit_zipf"]


@dataclass(frozen=True)
class RankFrequency:
    """Distinct tokens sorted by count (most frequent first): ``words[i]`` has rank
    ``i + 1``, ``counts[i]`` occurrences and relative frequency ``freqs[i]``."""

    words: tuple[str, ...]
    counts: np.ndarray

    @property
    def ranks(self) -> np.ndarray:
        return np.arange(1, len(self.counts) + 1)

    @property
    def freqs(self) -> np.ndarray:
        return self.counts / self.counts.sum()


def rank_frequency(tokens: Sequence[str]) -> RankFrequency:
    """Count the tokens (e.g. :func:`lmlab.corpus.words` of a text) and sort them by count;
    ties are broken alphabetically so the order is reproducible."""
    if isinstance(tokens, str):
        raise TypeError("tokens must be a list of tokens, not a str; split it first, "
                        "e.g. with lmlab.corpus.words(text)")
    tokens = list(tokens)
    if not tokens:
        raise ValueError("tokens must not be empty")
    items = sorted(Counter(tokens).items(), key=lambda wc: (-wc[1], wc[0]))
    return RankFrequency(tuple(w for w, _ in items), np.array([c for _, c in items], dtype=np.int64))


@dataclass(frozen=True)
class ZipfFit:
    """A straight line ``log f = log C - s log r`` fitted over ranks ``r_min..r_max``."""

    exponent: float
    constant: float
    r_min: int
    r_max: int

    def predict(self, ranks: np.ndarray) -> np.ndarray:
        return self.constant * np.asarray(ranks, dtype=np.float64) ** (-self.exponent)


def fit_zipf(rf: RankFrequency, r_min: int = 1, r_max: int | None = None) -> ZipfFit:
    """Least-squares fit of log frequency against log rank, points equally spaced in log
    rank (so the long tail of rare words does not dominate)."""
    if not isinstance(rf, RankFrequency):
        raise TypeError(f"rf must be a RankFrequency, got {type(rf).__name__}")
    n = len(rf.counts)
    r_max = n if r_max is None else r_max
    if not (isinstance(r_min, (int, np.integer)) and isinstance(r_max, (int, np.integer))):
        raise TypeError("r_min and r_max must be integers")
    if not 1 <= r_min < r_max <= n:
        raise ValueError(f"need 1 <= r_min < r_max <= {n} (the number of distinct tokens), "
                         f"got r_min={r_min}, r_max={r_max}")
    r = np.unique(np.geomspace(r_min, r_max, 200).round().astype(np.int64))
    x, y = np.log(r), np.log(rf.freqs[r - 1])
    slope, intercept = np.polyfit(x, y, 1)
    return ZipfFit(float(-slope), float(np.exp(intercept)), int(r_min), int(r_max))
