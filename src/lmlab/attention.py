"""Attention: every position reads a weighted average of the others.

Each position ``i`` of a sequence emits a *query* ``q_i``, a *key* ``k_j`` and a *value*
``v_j`` (three learned linear maps of its vector). Position ``i`` attends to position ``j``
with weight

.. math:: a_{ij} = \\mathrm{softmax}_j\\Big(\\frac{q_i \\cdot k_j}{\\sqrt{d}}\\Big),
          \\qquad \\mathrm{out}_i = \\sum_j a_{ij} v_j ,

a softmax over the keys (each row of ``a`` sums to 1). Dividing by ``sqrt(d)`` keeps the
scores of order 1 when the entries of ``q`` and ``k`` are: the dot product of two random
``d``-vectors with unit-variance entries has variance ``d``.

A *causal* mask forbids a position to read later ones (``a_ij = 0`` for ``j > i``): that is
what lets a language model be trained on every position of a text at once. A *padding*
mask forbids reading positions that are not real tokens (a batch of texts of different
lengths). Several *heads* run attention side by side on slices of the vector
(:func:`split_heads`, :func:`merge_heads`).

Transformers have no notion of order without *positional encodings*: GPT-2 learns one
vector per position, the original Transformer added fixed sinusoids
(:func:`sinusoidal_positions`), and many recent models rotate queries and keys by a
position-dependent angle (:func:`rotary_tables`, :func:`apply_rotary`).

This module is the readable reference (it returns the weights, for pictures); the models
use :func:`torch.nn.functional.scaled_dot_product_attention` when weights are not asked
for, and the tests check the two agree.
"""
from __future__ import annotations

import math

import torch

__all__ = ["attention", "causal_mask", "padding_mask", "split_heads", "merge_heads",
           "sinusoidal_positions", "rotary_tables", "apply_rotary"]


def _check_tensor(x: object, name: str, min_dim: int = 2) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
    if x.dim() < min_dim:
        raise ValueError(f"{name} must have at least {min_dim} dimensions (..., length, dim), "
                         f"got shape {tuple(x.shape)}")
    if not x.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor, got dtype {x.dtype}")
    return x


def causal_mask(n_queries: int, n_keys: int | None = None,
                device: torch.device | str | None = None) -> torch.Tensor:
    """Boolean ``(n_queries, n_keys)`` mask, True where query ``i`` may read key ``j``.

    Queries are the *last* ``n_queries`` positions of the ``n_keys`` (so with a key/value
    cache a single new query sees every cached key): query ``i`` reads keys
    ``j <= i + n_keys - n_queries``. With ``n_keys == n_queries`` it is the lower triangle.
    """
    n_keys = n_queries if n_keys is None else n_keys
    if n_queries < 0 or n_keys < n_queries:
        raise ValueError(f"need 0 <= n_queries <= n_keys, got n_queries={n_queries}, n_keys={n_keys}")
    return torch.ones(n_queries, n_keys, dtype=torch.bool, device=device).tril(n_keys - n_queries)


def padding_mask(valid: torch.Tensor) -> torch.Tensor:
    """Key mask from a ``(B, T)`` boolean tensor (True at real tokens), shaped
    ``(B, 1, 1, T)`` so that it broadcasts over heads and queries."""
    if not isinstance(valid, torch.Tensor) or valid.dtype != torch.bool or valid.dim() != 2:
        raise TypeError("valid must be a 2-D boolean tensor (batch, length), True at real tokens")
    return valid[:, None, None, :]


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None = None,
              causal: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Scaled dot-product attention, written out.

    ``q`` is ``(..., Tq, d)``, ``k`` is ``(..., Tk, d)``, ``v`` is ``(..., Tk, dv)`` (the
    leading dimensions, e.g. batch and head, broadcast). ``mask`` is a boolean tensor
    broadcastable to ``(..., Tq, Tk)``, True where attending is allowed (the convention of
    :func:`torch.nn.functional.scaled_dot_product_attention`); ``causal=True`` adds the
    causal mask (queries aligned with the last keys, see :func:`causal_mask`).

    Returns ``(out, weights)``: ``out`` is ``(..., Tq, dv)``, ``weights`` is
    ``(..., Tq, Tk)`` with rows summing to 1. A query allowed to read no key at all gets
    zero weights and a zero output (rather than NaN).
    """
    q, k, v = _check_tensor(q, "q"), _check_tensor(k, "k"), _check_tensor(v, "v")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q and k must have the same last dimension, got {q.shape[-1]} and {k.shape[-1]}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k and v must have the same length (dimension -2), got {k.shape[-2]} and {v.shape[-2]}")
    tq, tk = q.shape[-2], k.shape[-2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])          # (..., Tq, Tk)
    allowed = None
    if mask is not None:
        if not isinstance(mask, torch.Tensor) or mask.dtype != torch.bool:
            raise TypeError("mask must be a boolean torch.Tensor (True where attending is allowed)")
        try:
            torch.broadcast_shapes(mask.shape, scores.shape)
        except RuntimeError:
            raise ValueError(f"mask of shape {tuple(mask.shape)} does not broadcast to the "
                             f"scores' shape {tuple(scores.shape)}") from None
        allowed = mask
    if causal:
        if tq > tk:
            raise ValueError(f"causal attention needs no more queries than keys, got {tq} > {tk}")
        c = causal_mask(tq, tk, device=q.device)
        allowed = c if allowed is None else allowed & c
    if allowed is not None:
        scores = scores.masked_fill(~allowed, float("-inf"))
    weights = torch.softmax(scores, dim=-1)                              # softmax over keys
    if allowed is not None:
        weights = torch.nan_to_num(weights, nan=0.0)                     # rows with no key
    return weights @ v, weights


def split_heads(x: torch.Tensor, n_head: int) -> torch.Tensor:
    """``(B, T, C)`` -> ``(B, n_head, T, C // n_head)``: each head gets a slice of the vector."""
    b, t, c = x.shape
    if c % n_head:
        raise ValueError(f"the width {c} is not divisible by n_head = {n_head}")
    return x.view(b, t, n_head, c // n_head).transpose(1, 2)


def merge_heads(x: torch.Tensor) -> torch.Tensor:
    """``(B, H, T, D)`` -> ``(B, T, H * D)``, the inverse of :func:`split_heads`."""
    b, h, t, d = x.shape
    return x.transpose(1, 2).contiguous().view(b, t, h * d)


def sinusoidal_positions(n_positions: int, dim: int, base: float = 10000.0) -> torch.Tensor:
    """The fixed positional encodings of "Attention is all you need", ``(n_positions, dim)``:

    ``PE[pos, 2i] = sin(pos / base^(2i/dim))``, ``PE[pos, 2i+1] = cos(pos / base^(2i/dim))``.

    Each pair of columns is a clock turning at its own rate, from one radian per position
    down to ``1/base``; a shift of position is a rotation of every pair, which attention can
    read off with a linear map.
    """
    for name, val in (("n_positions", n_positions), ("dim", dim)):
        if isinstance(val, bool) or not isinstance(val, int) or val < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {val!r}")
    pos = torch.arange(n_positions, dtype=torch.float64)[:, None]
    two_i = torch.arange(0, dim, 2, dtype=torch.float64)
    angle = pos / base ** (two_i / dim)                                  # (n, ceil(dim/2))
    pe = torch.zeros(n_positions, dim, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle[:, : dim // 2])
    return pe.float()


def rotary_tables(n_positions: int, head_dim: int, base: float = 10000.0,
                  device: torch.device | str | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """``(cos, sin)`` tables of shape ``(n_positions, head_dim // 2)`` for rotary positions
    (RoPE): the pair ``(x[2i], x[2i+1])`` at position ``p`` is rotated by ``p / base^(2i/d)``."""
    if head_dim % 2:
        raise ValueError(f"rotary positions need an even head dimension, got {head_dim}")
    inv = 1.0 / base ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)
    ang = torch.arange(n_positions, dtype=torch.float64)[:, None] * inv[None, :]
    return ang.cos().float().to(device), ang.sin().float().to(device)


def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate ``x`` of shape ``(..., T, D)`` by the tables' rows for its ``T`` positions
    (``cos``, ``sin`` of shape ``(T, D // 2)``). Dot products of rotated queries and keys
    depend only on the difference of their positions."""
    x1, x2 = x[..., 0::2], x[..., 1::2]
    c, s = cos.to(x.dtype), sin.to(x.dtype)
    out = torch.stack((x1 * c - x2 * s, x1 * s + x2 * c), dim=-1)
    return out.flatten(-2)
