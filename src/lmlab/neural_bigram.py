"""A bigram model learned by gradient descent instead of counted.

The model is a table of logits ``W`` with one row per context symbol (plus one row for the
empty context at the start of a text): ``p(b | a) = softmax(W[a])[b]``. Training minimises
the cross-entropy on the training text plus ``k`` pseudo-observations of every pair,

.. math:: L(W) = -\\frac{1}{N} \\sum_{a,b} (C_{ab} + k) \\ln \\mathrm{softmax}(W_a)_b ,

which is convex in ``W`` and whose minimum is exactly the add-k table
``(C_ab + k) / (C_a + kV)``: counting and gradient descent reach the same model. The
gradient of one observed pair ``(a, b)`` is ``softmax(W_a) - onehot(b)`` on row ``a``;
summed over a row it is ``T_a softmax(W_a) - (C_a + k)`` with ``T_a = C_a + kV``
(:func:`row_gradient`), zero exactly at the add-k table. With ``k = 0`` the optimum is the
raw count ratio, which gives probability 0 to every pair never seen in training, so its
held-out cross-entropy is infinite.

The ``k`` pseudo-counts are label smoothing with a context-dependent weight: the add-k
row equals ``(1 - eps_a) onehot-average + eps_a / V`` with ``eps_a = kV / (C_a + kV)``.

Training is full-batch on the count table (the loss depends on the text only through the
counts), with Adam (optionally with a cosine learning-rate decay), on the CPU with one
thread. Cells whose target probability is tiny (pairs never seen after a frequent symbol)
have tiny gradients and converge last: :func:`compare_tables` measures how far a trained
table is from the counted one, cell by cell.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from .lm import LanguageModel, as_ids
from .ngram import NGramCounts
from .vocab import Vocab

__all__ = ["BigramTrainConfig", "NeuralBigram", "train_bigram", "table_loss", "pair_counts", "add_k_table",
           "row_gradient", "TableComparison", "compare_tables"]


@dataclass(frozen=True)
class BigramTrainConfig:
    """How to train a :class:`NeuralBigram`: Adam with learning rate ``lr`` for ``steps``
    full-batch steps from an all-zero table (the uniform model), with ``k`` pseudo-counts
    per pair; ``seed`` fixes the initial table when ``init_scale > 0`` (random logits).
    With ``min_lr`` set, the learning rate follows a cosine from ``lr`` at the first step
    down to ``min_lr`` at the last; ``None`` keeps it constant."""

    steps: int = 300
    lr: float = 0.5
    k: float = 1.0
    init_scale: float = 0.0
    seed: int = 0
    min_lr: float | None = None

    def __post_init__(self):
        if isinstance(self.steps, bool) or not isinstance(self.steps, int) or self.steps < 0:
            raise ValueError(f"steps must be an integer >= 0, got {self.steps!r}")
        for name in ("lr", "k", "init_scale"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {v!r}")
        if self.lr == 0:
            raise ValueError("lr must be > 0")
        if self.min_lr is not None:
            m = self.min_lr
            if isinstance(m, bool) or not isinstance(m, (int, float)) or not math.isfinite(m) \
                    or not 0 <= m <= self.lr:
                raise ValueError(f"min_lr must be None or a number in [0, lr={self.lr}], got {m!r}")

    def lr_at(self, step: int) -> float:
        """The learning rate of update ``step`` (0-based)."""
        if self.min_lr is None or self.steps <= 1:
            return float(self.lr)
        frac = step / (self.steps - 1)
        return float(self.min_lr + 0.5 * (self.lr - self.min_lr) * (1 + math.cos(math.pi * frac)))


class NeuralBigram(LanguageModel):
    """A bigram model given by a logit table of shape ``(V + 1, V)``; row ``V`` is the
    distribution of the first token (empty context)."""

    context_size = 1

    def __init__(self, vocab: Vocab, logits: np.ndarray):
        if not isinstance(vocab, Vocab):
            raise TypeError(f"vocab must be a lmlab.vocab.Vocab, got {type(vocab).__name__}")
        w = np.asarray(logits, dtype=np.float64)
        V = len(vocab)
        if w.shape != (V + 1, V):
            raise ValueError(f"logits must have shape (V + 1, V) = ({V + 1}, {V}), got {w.shape}")
        self.vocab = vocab
        self.logits = w
        z = w - w.max(axis=1, keepdims=True)
        self.table = z - np.log(np.exp(z).sum(axis=1, keepdims=True))   # log-probabilities

    def _next_log_probs(self, contexts: list[np.ndarray]) -> np.ndarray:
        rows = [int(c[-1]) if len(c) else len(self.vocab) for c in contexts]
        return self.table[rows]

    def log_probs(self, text: object) -> np.ndarray:
        ids = as_ids(self.vocab, text)
        prev = np.concatenate([[len(self.vocab)], ids[:-1]]) if len(ids) else ids
        return self.table[prev, ids]


def pair_counts(vocab: Vocab, text: object) -> np.ndarray:
    """Counts ``(V + 1, V)``: rows 0..V-1 are 2-gram counts, row V counts every symbol (the
    empty-context row, matching the unigram used for a text's first token). ``text`` is a
    str or ids over ``vocab``, or the :class:`~lmlab.ngram.NGramCounts` of a text (order 2
    or more), which saves counting it again."""
    if isinstance(text, NGramCounts):
        if text.vocab_size != len(vocab):
            raise ValueError(f"the counts were made for {text.vocab_size} symbols but vocab has {len(vocab)}")
        if text.max_order < 2:
            raise ValueError(f"the counts must include 2-grams (max_order >= 2), got max_order={text.max_order}")
        counts = text
    else:
        counts = NGramCounts(as_ids(vocab, text), len(vocab), 2)
    return np.vstack([counts.matrix(), counts.unigram()[None, :]])


def table_loss(logits: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The loss :func:`train_bigram` minimises, for a logit table ``(V + 1, V)`` and target
    counts ``C + k`` of the same shape: ``(total, pair_loss)``. ``pair_loss`` is equation
    ``L(W)`` of the 2-gram rows, ``-sum_ab T_ab ln softmax(W_a)_b / sum_ab T_ab``, in nats per
    pair (what the training history records); ``total`` adds the first-token row's own
    cross-entropy (row ``V``), which is fitted alongside."""
    if logits.shape != targets.shape or logits.ndim != 2 or logits.shape[0] != logits.shape[1] + 1:
        raise ValueError(f"logits and targets must both have shape (V + 1, V), got "
                         f"{tuple(logits.shape)} and {tuple(targets.shape)}")
    V = logits.shape[1]
    nll = -(targets * torch.log_softmax(logits, dim=1)).sum(dim=1)
    pair_loss = nll[:V].sum() / targets[:V].sum()
    return pair_loss + nll[V] / targets[V].sum(), pair_loss


def train_bigram(vocab: Vocab, text: object, config: BigramTrainConfig = BigramTrainConfig(),
                 callback: Callable[[int, NeuralBigram], None] | None = None
                 ) -> tuple[NeuralBigram, list[float]]:
    """Fit the logit table by gradient descent on ``text`` (a str, ids, or the
    :class:`~lmlab.ngram.NGramCounts` of the training text: see :func:`pair_counts`).

    Returns the trained model and the training loss of the 2-gram rows (nats per token,
    pseudo-counts included): ``history[i]`` is the loss of the table after ``i`` updates,
    for ``i = 0..steps-1``. ``callback(i, model)``, if given, sees the model after ``i``
    updates, for ``i = 0..steps`` (e.g. to score it on held-out text during training).
    """
    if not isinstance(config, BigramTrainConfig):
        raise TypeError(f"config must be a BigramTrainConfig, got {type(config).__name__}")
    C = pair_counts(vocab, text)
    V = len(vocab)
    target = torch.tensor(C + config.k, dtype=torch.float64)
    g = torch.Generator().manual_seed(config.seed)
    W = (torch.randn(V + 1, V, generator=g, dtype=torch.float64) * config.init_scale).requires_grad_()
    opt = torch.optim.Adam([W], lr=config.lr)
    history: list[float] = []
    if callback is not None:
        callback(0, NeuralBigram(vocab, W.detach().numpy().copy()))
    for step in range(config.steps):
        for group in opt.param_groups:
            group["lr"] = config.lr_at(step)
        opt.zero_grad()
        total, pair_loss = table_loss(W, target)        # bigram rows + first-token row
        total.backward()
        opt.step()
        history.append(float(pair_loss.detach()))
        if callback is not None:
            callback(step + 1, NeuralBigram(vocab, W.detach().numpy().copy()))
    return NeuralBigram(vocab, W.detach().numpy()), history


def add_k_table(vocab: Vocab, text: object, k: float) -> np.ndarray:
    """The counted model (``text`` as for :func:`pair_counts`) as natural-log
    probabilities, shape ``(V + 1, V)``: row ``a`` is
    ``ln (C_ab + k) / (C_a + kV)``, row ``V`` the first-token distribution, the table
    that :func:`train_bigram` converges to."""
    if isinstance(k, bool) or not isinstance(k, (int, float)) or not math.isfinite(k) or k < 0:
        raise ValueError(f"k must be a finite number >= 0, got {k!r}")
    T = pair_counts(vocab, text).astype(np.float64) + k
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(T / T.sum(axis=1, keepdims=True))


def row_gradient(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Gradient of ``-sum_b targets[a, b] ln softmax(logits[a])_b`` with respect to the
    logits, row by row: ``targets.sum(1) * softmax(logits) - targets``. For one observed
    pair (a one-hot target row) this is softmax minus one-hot."""
    w = np.asarray(logits, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    if w.shape != t.shape or w.ndim != 2:
        raise ValueError(f"logits and targets must be 2-D arrays of one shape, got {w.shape} and {t.shape}")
    z = np.exp(w - w.max(axis=1, keepdims=True))
    p = z / z.sum(axis=1, keepdims=True)
    return t.sum(axis=1, keepdims=True) * p - t


@dataclass(frozen=True)
class TableComparison:
    """How far a table of log-probabilities is from a reference one, over the rows
    compared: the largest ``|ln p - ln p_ref|``, its signed value and cell ``(a, b)``, the
    share of cells whose probability is off by more than ``rel`` (relative), and the mean
    ``|ln p - ln p_ref|``."""

    max_abs: float
    signed: float
    cell: tuple[int, int]
    share_off: float
    mean_abs: float
    rel: float

    def __str__(self) -> str:
        way = "too high" if self.signed > 0 else "too low"
        return (f"largest |ln p - ln p_ref| = {self.max_abs:.3g} at cell {self.cell} ({way}); "
                f"mean {self.mean_abs:.3g}; {100 * self.share_off:.1f}% of the cells off by more "
                f"than {100 * self.rel:g}%")


def compare_tables(log_p: np.ndarray, log_ref: np.ndarray, rel: float = 0.1) -> TableComparison:
    """Compare two tables of natural-log probabilities of one shape, cell by cell."""
    a = np.asarray(log_p, dtype=np.float64)
    b = np.asarray(log_ref, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 2:
        raise ValueError(f"log_p and log_ref must be 2-D arrays of one shape, got {a.shape} and {b.shape}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("log_p and log_ref must be finite (a k = 0 table has ln 0 = -inf cells)")
    if not (isinstance(rel, (int, float)) and rel > 0):
        raise ValueError(f"rel must be a number > 0, got {rel!r}")
    d = a - b
    i = np.unravel_index(int(np.argmax(np.abs(d))), d.shape)
    return TableComparison(max_abs=float(np.abs(d[i])), signed=float(d[i]),
                           cell=(int(i[0]), int(i[1])),
                           share_off=float(np.mean(np.abs(np.expm1(d)) > rel)),
                           mean_abs=float(np.mean(np.abs(d))), rel=float(rel))
