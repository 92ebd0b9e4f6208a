"""Turning scores into choices: softmax with temperature, top-k, entropy, generation.

A model gives each possible next token a score ``z_i`` (a logit; a log-probability is one).
Sampling at temperature ``T`` draws token ``i`` with probability

.. math:: p_i(T) = \\frac{e^{z_i/T}}{\\sum_j e^{z_j/T}},

the Boltzmann distribution of a system whose states have energy ``E_i = -z_i`` at
temperature ``T`` (with Boltzmann's constant 1). As ``T -> 0`` all probability goes to the
highest score (the ground state: greedy decoding); as ``T -> inf`` it spreads evenly over
all tokens. Top-k keeps only the ``k`` highest scores before the softmax.

All functions take numpy arrays whose last axis runs over the vocabulary, accept ``-inf``
scores (impossible tokens) and are stable for scores as large as ``±1e4`` and beyond.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .checks import check_float, check_instance, check_int
from .lm import LanguageModel, as_ids, crop

__all__ = ["check_logits", "check_temperature", "check_top_k", "softmax", "log_softmax", "top_k_filter",
           "entropy", "temperature_entropy", "rng_from", "sample", "generate",
           "repeated_ngram_share"]


def check_logits(logits: object, name: str = "logits") -> np.ndarray:
    """``logits`` as a float64 array with at least one dimension; NaN and ``+inf`` are
    rejected, ``-inf`` marks impossible tokens; each row needs one finite entry."""
    if isinstance(logits, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got {type(logits).__name__}")
    try:
        z = np.asarray(logits, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {type(logits).__name__}") from None
    if z.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension (the vocabulary), got a scalar")
    if z.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one entry along its last axis")
    if np.isnan(z).any():
        raise ValueError(f"{name} contains NaN at index {tuple(int(i) for i in np.argwhere(np.isnan(z))[0])}")
    if np.isposinf(z).any():
        raise ValueError(f"{name} contains +inf; scores must be finite (or -inf for impossible tokens)")
    if not np.isfinite(z).any(axis=-1).all():
        raise ValueError(f"{name} has a row in which every entry is -inf: no token is possible")
    return z


def check_temperature(temperature: object, name: str = "temperature") -> float:
    """A temperature: a finite number > 0 (the check every sampler uses)."""
    try:
        return check_float(temperature, name, min=0, open_min=True)
    except ValueError as e:
        raise ValueError(f"{e}; for the T -> 0 limit use greedy decoding (greedy=True)") from None


def check_top_k(top_k: object, vocab_size: int, name: str = "top_k") -> int | None:
    """A top-k cut-off: ``None`` (no cut), or an integer from 1 to the vocabulary size
    (the check every sampler uses)."""
    if top_k is None:
        return None
    if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(top_k).__name__}")
    if not 1 <= top_k <= vocab_size:
        raise ValueError(f"{name} must lie between 1 and the vocabulary size {vocab_size}, got {top_k}")
    return int(top_k)


def log_softmax(logits: object, temperature: float = 1.0) -> np.ndarray:
    """``log softmax(z / T)`` along the last axis."""
    z = check_logits(logits) / check_temperature(temperature)
    m = z.max(axis=-1, keepdims=True)
    s = z - m
    with np.errstate(divide="ignore"):
        return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def softmax(logits: object, temperature: float = 1.0) -> np.ndarray:
    """``softmax(z / T)`` along the last axis: the Boltzmann distribution of energies ``-z``."""
    return np.exp(log_softmax(logits, temperature))


def top_k_filter(logits: object, k: int) -> np.ndarray:
    """Scores with all but the ``k`` largest of each row set to ``-inf`` (ties at the
    boundary are broken by position, so exactly ``k`` survive)."""
    z = check_logits(logits)
    v = z.shape[-1]
    k = check_top_k(k, v)
    if k is None or k == v:
        return z.copy()
    keep = np.argpartition(-z, k - 1, axis=-1)[..., :k]
    out = np.full_like(z, -np.inf)
    np.put_along_axis(out, keep, np.take_along_axis(z, keep, axis=-1), axis=-1)
    return out


def entropy(probs: object, base: float = math.e) -> np.ndarray | float:
    """Shannon entropy ``-sum p log p`` along the last axis (nats by default; ``base=2``
    for bits). Zero probabilities contribute 0."""
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim == 0 or p.shape[-1] == 0:
        raise ValueError("probs must have at least one entry along its last axis")
    if np.isnan(p).any() or (p < 0).any():
        raise ValueError("probs must be non-negative numbers without NaN")
    if not np.allclose(p.sum(axis=-1), 1.0, atol=1e-6):
        raise ValueError("probs must sum to 1 along the last axis")
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -np.where(p > 0, p * np.log(p), 0.0).sum(axis=-1)
    h = h / math.log(base)
    return float(h) if np.ndim(h) == 0 else h


def temperature_entropy(logits: object, temperatures: Sequence[float]) -> np.ndarray:
    """Entropy (nats) of ``softmax(z / T)`` for each temperature in ``temperatures``."""
    return np.array([entropy(softmax(logits, t)) for t in temperatures])


def rng_from(seed: int | np.random.Generator | None) -> np.random.Generator:
    """A numpy Generator from a seed, or the Generator itself."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0):
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be a non-negative int or a numpy Generator, got {seed!r}")


def _draw(z: np.ndarray, temperature: float, top_k: int | None, rng: np.random.Generator,
          greedy: bool) -> np.ndarray:
    """One token per row of the checked 2-D scores ``z``: inverse-CDF sampling with one
    uniform number per row (the first ``i`` whose cumulative weight exceeds ``u``)."""
    if top_k is not None and top_k < z.shape[-1]:
        z = z.copy()
        np.put_along_axis(z, np.argpartition(-z, top_k - 1, axis=-1)[:, top_k:], -np.inf, axis=-1)
    if greedy:
        return z.argmax(axis=-1)
    w = np.exp((z - z.max(axis=-1, keepdims=True)) / temperature)
    c = w.cumsum(axis=-1)
    u = rng.random(len(z))[:, None] * c[:, -1:]
    return (c <= u).sum(axis=-1).clip(max=z.shape[-1] - 1)


def sample(logits: object, temperature: float = 1.0, top_k: int | None = None,
           seed: int | np.random.Generator | None = 0, greedy: bool = False) -> np.ndarray | int:
    """Draw one token per row of ``logits`` from ``softmax(top_k(z) / T)``; with
    ``greedy=True`` take the highest score instead (the ``T -> 0`` limit)."""
    z = check_logits(logits)
    top_k = check_top_k(top_k, z.shape[-1])
    t = 1.0 if greedy else check_temperature(temperature)
    out = _draw(z.reshape(-1, z.shape[-1]), t, top_k, rng_from(seed), greedy).reshape(z.shape[:-1])
    return int(out) if np.ndim(out) == 0 else out


def generate(model: LanguageModel, prompt: object = "", length: int = 200,
             temperature: float = 1.0, top_k: int | None = None, greedy: bool = False,
             seed: int | np.random.Generator | None = 0, stop: str | None = None,
             return_ids: bool = False) -> str | np.ndarray:
    """The generation loop: ask the model for the next-token distribution, draw a token,
    append it, repeat ``length`` times (or until the ``stop`` symbol is drawn).

    Works with any :class:`~lmlab.lm.LanguageModel` through its public
    ``next_log_probs`` (which crops the context to the model's ``context_size``). Returns
    the generated continuation (without the prompt) as text, or with ``return_ids=True``
    its ids (int64 array).
    """
    check_instance(model, "model", LanguageModel, "a lmlab.lm.LanguageModel")
    length = check_int(length, "length", min=0)
    t = 1.0 if greedy else check_temperature(temperature)
    top_k = check_top_k(top_k, len(model.vocab))
    if stop is not None and stop not in model.vocab:
        raise ValueError(f"stop symbol {stop!r} is not in the model's vocabulary")
    p = as_ids(model.vocab, prompt, "prompt")
    rng = rng_from(seed)
    ids = np.concatenate([p, np.zeros(length, dtype=np.int64)])   # prompt, then the draws
    stop_id = None if stop is None else model.vocab.index[stop]
    end = len(p)
    while end < len(ids):
        # cropping here too only saves checking ids the model would not see
        z = np.asarray(model.next_log_probs([crop(ids[:end], model.context_size)]), dtype=np.float64)[0]
        if np.isnan(z).any():
            raise ValueError(f"{type(model).__name__} returned NaN log-probabilities")
        ids[end] = _draw(z[None, :], t, top_k, rng, greedy)[0]
        end += 1
        if ids[end - 1] == stop_id:
            break
    out = ids[len(p):end]
    return out if return_ids else model.vocab.decode(out)


def repeated_ngram_share(tokens: Sequence[object], n: int = 4) -> float:
    """Share of a text's n-grams that already occurred earlier in the same text:
    ``1 - distinct / total``. 0 for a text that never repeats itself, close to 1 for a
    text stuck in a loop (as greedy decoding often is). ``tokens`` is any sequence
    (ids, words, or a str of characters)."""
    n = check_int(n, "n", min=1)
    toks = list(tokens.tolist() if isinstance(tokens, np.ndarray) else tokens)
    if len(toks) < n:
        raise ValueError(f"tokens must hold at least n = {n} tokens, got {len(toks)}")
    grams = [tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)]
    return 1.0 - len(set(grams)) / len(grams)
