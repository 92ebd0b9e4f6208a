"""The BERT network: embeddings, post-LayerNorm encoder blocks, pooler, masked-LM head.

Shapes: ``B`` batch, ``T`` sequence length, ``C = n_embd``, ``H = n_head``, ``D = C / H``,
``V`` vocabulary.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from ..attention import attention, merge_heads, padding_mask, split_heads
from .config import BertConfig

__all__ = ["Bert", "BertMLM", "BertOutput"]


@dataclass
class BertOutput:
    """What :meth:`Bert.forward` returns."""

    last_hidden: torch.Tensor                         # (B, T, C): the top layer's vectors
    hidden_states: tuple[torch.Tensor, ...] | None    # n_layer + 1 of (B, T, C): embeddings, then each block
    attentions: tuple[torch.Tensor, ...] | None       # n_layer of (B, H, T, T), when need_weights
    pooled: torch.Tensor | None                       # (B, C): tanh(W h_[CLS] + b), if the model has a pooler


class SelfAttention(nn.Module):
    """Bidirectional multi-head self-attention: every token reads every real token."""

    def __init__(self, config: BertConfig):
        super().__init__()
        c = config.n_embd
        self.n_head = config.n_head
        self.qkv = nn.Linear(c, 3 * c)          # queries, keys and values in one matrix product
        self.proj = nn.Linear(c, c)             # heads merged back to width C
        self.dropout = config.dropout

    def forward(self, x, mask=None, need_weights=False):
        B, T, C = x.shape
        q, k, v = (split_heads(t, self.n_head) for t in self.qkv(x).split(C, dim=2))  # (B, H, T, D)
        weights = None
        if need_weights:
            y, weights = attention(q, k, v, mask)
            if self.training and self.dropout:
                y = F.dropout(weights, self.dropout) @ v
        else:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask,
                                               dropout_p=self.dropout if self.training else 0.0)
        return self.proj(merge_heads(y)), weights


class Block(nn.Module):
    """One encoder block, post-LayerNorm as in BERT:
    ``x = ln_1(x + attn(x)); x = ln_2(x + mlp(x))``."""

    def __init__(self, config: BertConfig):
        super().__init__()
        c, eps = config.n_embd, config.layer_norm_eps
        self.attn = SelfAttention(config)
        self.ln_1 = nn.LayerNorm(c, eps=eps)
        self.fc = nn.Linear(c, config.intermediate)
        self.proj = nn.Linear(config.intermediate, c)
        self.ln_2 = nn.LayerNorm(c, eps=eps)
        self.drop = nn.Dropout(config.dropout)

    def forward(self, x, mask=None, need_weights=False, native=False):
        if native and mask is None and not need_weights and not self.training and not torch.is_grad_enabled():
            return self.native_forward(x), None
        a, w = self.attn(x, mask, need_weights)
        x = self.ln_1(x + self.drop(a))
        x = self.ln_2(x + self.drop(self.proj(F.gelu(self.fc(x)))))
        return x, w

    def native_forward(self, x):
        """The same block computed by PyTorch's fused encoder-layer kernel (the inference
        fast path of ``torch.nn.TransformerEncoderLayer``): the same weights and the same
        arithmetic as :meth:`forward`, in fewer, larger steps. Inference only, without a
        padding mask; the tests check it equals :meth:`forward`."""
        c, a = self.ln_1.normalized_shape[0], self.attn
        return torch._transformer_encoder_layer_fwd(
            x, c, a.n_head, a.qkv.weight, a.qkv.bias, a.proj.weight, a.proj.bias,
            True, False, self.ln_1.eps,                     # GELU, post-LayerNorm
            self.ln_1.weight, self.ln_1.bias, self.ln_2.weight, self.ln_2.bias,
            self.fc.weight, self.fc.bias, self.proj.weight, self.proj.bias, None, None)


class Bert(nn.Module):
    """The BERT encoder. ``model(ids, attention_mask, token_type_ids)`` returns a
    :class:`BertOutput`.

    The input vector of token ``t`` is the sum of three learned embeddings, its token, its
    position and its segment, normalised by a LayerNorm; ``n_layer`` blocks then let every
    token attend to every other real token (no causal mask: BERT reads both ways). Padding
    positions (``attention_mask == 0``) are never attended to.
    """

    def __init__(self, config: BertConfig, pooler: bool = True):
        super().__init__()
        if not isinstance(config, BertConfig):
            raise TypeError(f"config must be a BertConfig, got {type(config).__name__}")
        self.config = config
        c = config.n_embd
        self.tok = nn.Embedding(config.vocab_size, c)
        self.pos = nn.Embedding(config.max_positions, c)
        self.seg = nn.Embedding(config.type_vocab_size, c)
        self.ln_emb = nn.LayerNorm(c, eps=config.layer_norm_eps)
        self.drop = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList([Block(config) for _ in range(config.n_layer)])
        self.pooler = nn.Linear(c, c) if pooler else None
        #: In inference (no gradients, eval mode) without padding, run the blocks through
        #: PyTorch's fused encoder-layer kernel (:meth:`Block.native_forward`).
        self.native_inference = hasattr(torch, "_transformer_encoder_layer_fwd")
        self.reset_parameters()

    def reset_parameters(self, generator: torch.Generator | None = None) -> None:
        """BERT's initialisation: N(0, init_std) weights and embeddings, zero biases, unit
        LayerNorm gains."""
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                nn.init.normal_(p, 0.0, self.config.init_std, generator=generator)
            elif "ln" in name and name.endswith("weight"):
                nn.init.ones_(p)
            else:
                nn.init.zeros_(p)

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def check_inputs(self, input_ids, attention_mask=None, token_type_ids=None):
        """The inputs as ``(B, T)`` int64 tensors on the model's device, checked: ids inside
        the vocabulary, at most ``max_positions`` tokens, masks of the same shape."""
        dev = self.tok.weight.device
        ids = _as_long(input_ids, "input_ids", dev)
        if ids.dim() == 1:
            ids = ids[None]
        if ids.dim() != 2 or ids.shape[1] == 0:
            raise ValueError(f"input_ids must be a (batch, length) array of token ids with length "
                             f">= 1, got shape {tuple(ids.shape)}")
        cfg = self.config
        if ids.shape[1] > cfg.max_positions:
            raise ValueError(f"input_ids has {ids.shape[1]} positions, more than this model's "
                             f"max_positions={cfg.max_positions}; truncate the text (a tokenizer's "
                             f"max_length) or split it")
        if ids.numel() and (int(ids.min()) < 0 or int(ids.max()) >= cfg.vocab_size):
            bad = ids[(ids < 0) | (ids >= cfg.vocab_size)][0].item()
            raise ValueError(f"input_ids contains {bad}, outside the vocabulary's ids 0..{cfg.vocab_size - 1}")
        out = []
        for value, name, hi in ((attention_mask, "attention_mask", 2), (token_type_ids, "token_type_ids",
                                                                        cfg.type_vocab_size)):
            if value is None:
                out.append(None)
                continue
            t = _as_long(value, name, dev)
            if t.dim() == 1 and ids.shape[0] == 1:
                t = t[None]
            if tuple(t.shape) != tuple(ids.shape):
                raise ValueError(f"{name} must have the shape of input_ids {tuple(ids.shape)}, "
                                 f"got {tuple(t.shape)}")
            if t.numel() and (int(t.min()) < 0 or int(t.max()) >= hi):
                raise ValueError(f"{name} must hold values 0..{hi - 1}, got values from "
                                 f"{int(t.min())} to {int(t.max())}")
            out.append(t)
        return ids, out[0], out[1]

    def forward(self, input_ids, attention_mask=None, token_type_ids=None,
                hidden_states: bool = False, need_weights: bool = False) -> BertOutput:
        ids, am, tt = self.check_inputs(input_ids, attention_mask, token_type_ids)
        B, T = ids.shape
        if tt is None:
            tt = torch.zeros_like(ids)
        x = self.tok(ids) + self.pos.weight[:T] + self.seg(tt)                  # (B, T, C)
        x = self.drop(self.ln_emb(x))
        mask = None
        if am is not None and not bool(am.all()):
            mask = padding_mask(am.bool())                                     # (B, 1, 1, T)
        states, maps = [x], []
        for block in self.blocks:
            x, w = block(x, mask, need_weights, self.native_inference)
            states.append(x)
            maps.append(w)
        pooled = torch.tanh(self.pooler(x[:, 0])) if self.pooler is not None else None
        return BertOutput(last_hidden=x, hidden_states=tuple(states) if hidden_states else None,
                          attentions=tuple(maps) if need_weights else None, pooled=pooled)


class BertMLM(nn.Module):
    """A BERT with the masked-language-model head: ``model(ids, labels)`` returns
    ``(logits, loss)``.

    The head maps each top-layer vector through a dense GELU layer and a LayerNorm, then onto
    the vocabulary with the token embedding itself (tied, as in BERT) plus a bias. With
    ``labels`` (``-100`` at positions not to predict) it computes logits only at the
    labelled positions, ``(N, V)``, and the mean cross-entropy there; without, ``(B, T, V)``.
    """

    IGNORE = -100

    def __init__(self, config: BertConfig):
        super().__init__()
        self.bert = Bert(config, pooler=False)
        c = config.n_embd
        self.config = config
        self.head_dense = nn.Linear(c, c)
        self.head_ln = nn.LayerNorm(c, eps=config.layer_norm_eps)
        self.head_bias = nn.Parameter(torch.zeros(config.vocab_size))
        nn.init.normal_(self.head_dense.weight, 0.0, config.init_std)
        nn.init.zeros_(self.head_dense.bias)

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Vocabulary logits of hidden vectors ``(..., C)`` -> ``(..., V)``."""
        h = self.head_ln(F.gelu(self.head_dense(hidden)))
        return F.linear(h, self.bert.tok.weight, self.head_bias)

    def forward(self, input_ids, labels=None, attention_mask=None, token_type_ids=None):
        out = self.bert(input_ids, attention_mask, token_type_ids)
        h = out.last_hidden
        if labels is None:
            return self.logits(h), None
        lab = _as_long(labels, "labels", h.device)
        if tuple(lab.shape) != tuple(h.shape[:2]):
            raise ValueError(f"labels must have the shape of input_ids {tuple(h.shape[:2])}, "
                             f"got {tuple(lab.shape)}")
        chosen = lab != self.IGNORE
        if not bool(chosen.any()):
            raise ValueError("labels marks no position to predict (all are -100)")
        logits = self.logits(h[chosen])                                       # (N, V)
        return logits, F.cross_entropy(logits, lab[chosen])


def _as_long(value, name: str, device) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        t = value
    else:
        import numpy as np
        arr = np.asarray(value)
        if arr.dtype == object:
            raise TypeError(f"{name} must be an array of integers, got ragged or non-numeric input")
        t = torch.as_tensor(arr)
    if t.is_floating_point() or t.is_complex():
        raise TypeError(f"{name} must hold integers, got dtype {t.dtype}")
    return t.to(device=device, dtype=torch.int64)
