"""A bigram model learned by gradient descent instead of counted.

The model is a table of logits ``W`` with one row per context symbol (plus one row for the
empty context at the start of a text): ``p(b | a) = softmax(W[a])[b]``. Training minimises
the cross-entropy on the training text plus ``k`` pseudo-observations of every pair,

.. math:: L(W) = -\\frac{1}{N} \\sum_{a,b} (C_{ab} + k) \\ln \\mathrm{softmax}(W_a)_b ,

which is convex in ``W`` and whose minimum is exactly the add-k table
``(C_ab + k) / (C_a + kV)``: counting and gradient descent reach the same model. With
``k = 0`` the optimum is the raw count ratio, which gives probability 0 to every pair never
seen in training, so its held-out cross-entropy is infinite; the pseudo-count plays the role
that regularisation plays in larger networks.

Training is full-batch on the count table (the loss depends on the text only through the
counts), with Adam, on the CPU with one thread.
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

__all__ = ["BigramTrainConfig", "NeuralBigram", "train_bigram"]


@dataclass(frozen=True)
class BigramTrainConfig:
    """How to train a :class:`NeuralBigram`: Adam with learning rate ``lr`` for ``steps``
    full-batch steps from an all-zero table (the uniform model), with ``k`` pseudo-counts
    per pair; ``seed`` fixes the initial table when ``init_scale > 0`` (random logits)."""

    steps: int = 300
    lr: float = 0.5
    k: float = 1.0
    init_scale: float = 0.0
    seed: int = 0

    def __post_init__(self):
        if isinstance(self.steps, bool) or not isinstance(self.steps, int) or self.steps < 0:
            raise ValueError(f"steps must be an integer >= 0, got {self.steps!r}")
        for name in ("lr", "k", "init_scale"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {v!r}")
        if self.lr == 0:
            raise ValueError("lr must be > 0")


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
    empty-context row, matching the unigram used for a text's first token)."""
    ids = as_ids(vocab, text)
    counts = NGramCounts(ids, len(vocab), 2)
    return np.vstack([counts.matrix(), counts.unigram()[None, :]])


def train_bigram(vocab: Vocab, text: object, config: BigramTrainConfig = BigramTrainConfig(),
                 callback: Callable[[int, NeuralBigram], None] | None = None
                 ) -> tuple[NeuralBigram, list[float]]:
    """Fit the logit table by gradient descent on ``text``.

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
    totals = target.sum(dim=1)
    pairs, first = totals[:V].sum(), totals[V]
    g = torch.Generator().manual_seed(config.seed)
    W = (torch.randn(V + 1, V, generator=g, dtype=torch.float64) * config.init_scale).requires_grad_()
    opt = torch.optim.Adam([W], lr=config.lr)
    history: list[float] = []
    if callback is not None:
        callback(0, NeuralBigram(vocab, W.detach().numpy().copy()))
    for step in range(config.steps):
        opt.zero_grad()
        nll = -(target * torch.log_softmax(W, dim=1)).sum(dim=1)
        pair_loss = nll[:V].sum() / pairs               # the bigram rows
        (pair_loss + nll[V] / first).backward()         # + the separate first-token row
        opt.step()
        history.append(float(pair_loss.detach()))
        if callback is not None:
            callback(step + 1, NeuralBigram(vocab, W.detach().numpy().copy()))
    return NeuralBigram(vocab, W.detach().numpy()), history
