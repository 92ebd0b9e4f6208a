"""The GPT-2 network: causal self-attention, the GELU MLP, pre-LayerNorm blocks and
:class:`GPT` (``model(idx, targets) -> (logits, loss)``), with :class:`KVCache`, the
key/value cache that makes generation cost one position per layer and token.

Shapes: ``B`` batch, ``T`` sequence length, ``C = n_embd``, ``H = n_head``, ``D = C / H``,
``V`` output symbols.
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from ..attention import apply_rotary, attention, causal_mask, merge_heads, rotary_tables, split_heads
from .config import GPTConfig

__all__ = ["GPT", "KVCache", "Block", "CausalSelfAttention", "MLP"]


class KVCache:
    """Keys and values of every layer for the tokens read so far, so that generating the
    next token runs the model on that one token only. Each layer's keys and values live in
    a buffer ``(B, H, capacity, D)`` allocated at first use (``capacity`` defaults to the
    block size) and filled in place."""

    def __init__(self, n_layer: int, capacity: int | None = None):
        self.n_layer, self.capacity = n_layer, capacity
        self.keys: list[torch.Tensor | None] = [None] * n_layer
        self.values: list[torch.Tensor | None] = [None] * n_layer
        self.lengths = [0] * n_layer

    @property
    def length(self) -> int:
        """Number of positions cached (in the first layer)."""
        return self.lengths[0]

    def update(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Append ``k``, ``v`` ``(B, H, T, D)`` to ``layer``'s cache; return all its keys and values."""
        n, t = self.lengths[layer], k.shape[-2]
        if self.keys[layer] is None:
            cap = max(self.capacity or 0, t)
            self.keys[layer] = k.new_empty(*k.shape[:-2], cap, k.shape[-1])
            self.values[layer] = v.new_empty(*v.shape[:-2], cap, v.shape[-1])
        buf_k, buf_v = self.keys[layer], self.values[layer]
        if n + t > buf_k.shape[-2]:                      # grow (only without a capacity)
            buf_k = torch.cat([buf_k[..., :n, :], k.new_empty(*k.shape[:-2], n + t, k.shape[-1])], -2)
            buf_v = torch.cat([buf_v[..., :n, :], v.new_empty(*v.shape[:-2], n + t, v.shape[-1])], -2)
            self.keys[layer], self.values[layer] = buf_k, buf_v
        buf_k[..., n:n + t, :] = k
        buf_v[..., n:n + t, :] = v
        self.lengths[layer] = n + t
        return buf_k[..., :n + t, :], buf_v[..., :n + t, :]


# Longest sequence for which training attention is written out as matmuls and a masked
# softmax instead of calling PyTorch's fused kernel, by the precision of the scores. Measured
# on a 2-thread CPU (torch 2.13, forward + backward of one layer, section (e) of
# benchmarks/gpt.py): in float32 the explicit form is 1.3-1.6x faster at 64 positions,
# even or slower from 128; under bfloat16 autocast it is about 4x faster at 64, 2.6-3.3x at
# 128, 1.4-1.8x at 256 and slower at 512. Both compute the same function (tested equal);
# a GPU always uses the kernel.
EXPLICIT_ATTENTION_MAX_T = {torch.float32: 64, torch.bfloat16: 256}
_ADDITIVE_MASKS: dict = {}


def _explicit_attention_ok(q: torch.Tensor) -> bool:
    if q.device.type != "cpu":
        return False
    dt = torch.get_autocast_dtype("cpu") if torch.is_autocast_enabled("cpu") else q.dtype
    return q.shape[-2] <= EXPLICIT_ATTENTION_MAX_T.get(dt, 0)


def causal_attention_explicit(q, k, v, dropout_p: float = 0.0) -> torch.Tensor:
    """Causal attention of ``q``, ``k``, ``v`` ``(B, H, T, D)`` as two matmuls and a softmax
    with an additive ``-inf`` mask above the diagonal (cached per length): the same function
    as ``F.scaled_dot_product_attention(q, k, v, is_causal=True)``, faster for short
    sequences on a CPU (see :data:`EXPLICIT_ATTENTION_MAX_T`)."""
    T = q.shape[-2]
    key = (T, q.device)
    mask = _ADDITIVE_MASKS.get(key)
    if mask is None:
        mask = _ADDITIVE_MASKS[key] = torch.full((T, T), float("-inf"), device=q.device).triu(1)
    scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(q.shape[-1])) + mask   # (B, H, T, T)
    w = torch.softmax(scores, dim=-1)
    if dropout_p:
        w = F.dropout(w, dropout_p)
    return w.to(v.dtype) @ v


class CausalSelfAttention(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        c = config.n_embd
        self.n_head, self.qk_norm = config.n_head, config.qk_norm
        self.c_attn = nn.Linear(c, 3 * c, bias=config.bias)   # queries, keys, values at once
        self.c_proj = nn.Linear(c, c, bias=config.bias)       # heads merged back to the stream
        self.dropout = config.dropout
        self.resid_dropout = nn.Dropout(config.dropout)

    def forward(self, x, rope=None, cache: KVCache | None = None, layer: int = 0,
                need_weights: bool = False):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (split_heads(t, self.n_head) for t in (q, k, v))       # (B, H, T, D)
        if self.qk_norm:
            q, k = F.rms_norm(q, (q.shape[-1],)), F.rms_norm(k, (k.shape[-1],))
        if rope is not None:
            q, k = apply_rotary(q, *rope), apply_rotary(k, *rope)
        if cache is not None:
            k, v = cache.update(layer, k, v)                            # (B, H, Tk, D)
        Tk = k.shape[-2]
        weights = None
        if need_weights:
            y, weights = attention(q, k, v, causal=True)
            if self.training and self.dropout:
                y = F.dropout(weights, self.dropout) @ v
        else:
            p = self.dropout if self.training else 0.0
            if T == Tk and T > 1 and _explicit_attention_ok(q):
                y = causal_attention_explicit(q, k, v, p)
            elif T == Tk:
                y = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=T > 1)
            else:                                                       # new queries after a cache
                mask = causal_mask(T, Tk, device=x.device)
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=p)
        return self.resid_dropout(self.c_proj(merge_heads(y))), weights


_GELU_K = 2.0 * math.sqrt(2.0 / math.pi)      # tanh(z) = 2 sigmoid(2z) - 1
_GELU_A = 0.044715
_GELU_K32 = torch.tensor(_GELU_K, dtype=torch.float32)


class _GeluTanh(torch.autograd.Function):
    """GPT-2's GELU, ``x / 2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``, written as
    ``x sigmoid(k x (1 + a x^2))`` with ``k = 2 sqrt(2/pi)`` (the same function: tanh(z) =
    2 sigmoid(2z) - 1). On a CPU torch's sigmoid is several times cheaper than its tanh, so
    this costs about half of ``F.gelu(x, approximate='tanh')`` forward and backward
    (float32 tensors only: ``_GELU_K32`` is a float32 scalar)."""

    @staticmethod
    def forward(ctx, x):
        s = torch.addcmul(_GELU_K32, x, x, value=_GELU_A * _GELU_K).mul_(x).sigmoid_()
        ctx.save_for_backward(x, s)                  # s = sigmoid(k x (1 + a x^2))
        return x * s

    @staticmethod
    def backward(ctx, g):
        x, s = ctx.saved_tensors
        # d/dx [x s] = s (1 + w (1 - s)) with w = k x (1 + 3 a x^2)
        w = torch.addcmul(_GELU_K32, x, x, value=3 * _GELU_A * _GELU_K).mul_(x)
        w.addcmul_(w, s, value=-1)                   # w (1 - s)
        return torch.addcmul(s, w, s).mul_(g)


def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    """GPT-2's tanh-approximated GELU: the sigmoid form (:class:`_GeluTanh`) for float32 on a
    CPU in eager mode, ``F.gelu(x, approximate='tanh')`` elsewhere (other dtypes keep torch's
    single rounding; compiled graphs fuse it anyway)."""
    if x.dtype == torch.float32 and x.device.type == "cpu" and not torch.compiler.is_compiling():
        return _GeluTanh.apply(x)
    return F.gelu(x, approximate="tanh")


class MLP(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, config.mlp_ratio * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(config.mlp_ratio * config.n_embd, config.n_embd, bias=config.bias)
        self.approximate = "tanh" if config.activation == "gelu_tanh" else "none"
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x):
        h = self.c_fc(x)
        h = gelu_tanh(h) if self.approximate == "tanh" else F.gelu(h)
        return self.dropout(self.c_proj(h))


class Block(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_eps, bias=config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_eps, bias=config.bias)
        self.mlp = MLP(config)

    def forward(self, x, rope=None, cache=None, layer=0, need_weights=False):
        a, w = self.attn(self.ln_1(x), rope, cache, layer, need_weights)
        x = x + a                                                       # pre-LayerNorm residual
        return x + self.mlp(self.ln_2(x)), w


class GPT(nn.Module):
    """The GPT-2 network. ``model(idx, targets)`` returns ``(logits, loss)``.

    Parameter names follow GPT-2's (``transformer.h.0.attn.c_attn.weight`` ...), with
    ``nn.Linear`` weights stored ``(out, in)``.
    """

    def __init__(self, config: GPTConfig):
        super().__init__()
        if not isinstance(config, GPTConfig):
            raise TypeError(f"config must be a GPTConfig, got {type(config).__name__}")
        self.config = config
        c = config.n_embd
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(config.vocab_size, c),
            drop=nn.Dropout(config.dropout),
            h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
            ln_f=nn.LayerNorm(c, eps=config.layer_norm_eps, bias=config.bias),
        ))
        if config.positions == "learned":
            self.transformer["wpe"] = nn.Embedding(config.block_size, c)
        else:
            cos, sin = rotary_tables(config.block_size, config.head_dim, config.rope_base)
            self.register_buffer("rope_cos", cos, persistent=False)
            self.register_buffer("rope_sin", sin, persistent=False)
        self.lm_head = None if config.tie_embeddings else nn.Linear(c, config.out_size, bias=False)
        self.reset_parameters()

    def reset_parameters(self, generator: torch.Generator | None = None) -> None:
        """GPT-2's initialisation: N(0, 0.02) weights, zero biases, and the projections back
        into the residual stream scaled by 1/sqrt(2 n_layer)."""
        std = self.config.init_std
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, 0.0, std / math.sqrt(2 * self.config.n_layer), generator=generator)
            elif p.dim() == 2:
                nn.init.normal_(p, 0.0, std, generator=generator)
            elif "ln" in name and name.endswith("weight"):
                nn.init.ones_(p)
            else:
                nn.init.zeros_(p)

    @property
    def head_weight(self) -> torch.Tensor:
        """``(V, C)`` weight of the output head (tied: the first V rows of ``wte``)."""
        if self.lm_head is not None:
            return self.lm_head.weight
        w = self.transformer.wte.weight
        return w if self.config.out_size == w.shape[0] else w[: self.config.out_size]

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def check_ids(self, idx: object, offset: int = 0) -> torch.Tensor:
        """``idx`` checked: a 2-D integer tensor of ids in ``0..vocab_size-1`` that fits in
        the block (``offset`` tokens already cached)."""
        if not isinstance(idx, torch.Tensor):
            raise TypeError(f"idx must be a torch.Tensor of token ids, got {type(idx).__name__}")
        if idx.dim() != 2 or idx.dtype not in (torch.int64, torch.int32):
            raise ValueError(f"idx must be a 2-D (batch, length) integer tensor, got shape "
                             f"{tuple(idx.shape)} and dtype {idx.dtype}")
        if idx.shape[1] == 0:
            raise ValueError("idx must hold at least one token per row")
        if offset + idx.shape[1] > self.config.block_size:
            raise ValueError(f"sequence of {offset + idx.shape[1]} tokens is longer than the "
                             f"block size {self.config.block_size}; crop it to the last "
                             f"{self.config.block_size} tokens")
        if torch.compiler.is_compiling():               # no data-dependent checks in a graph
            return idx
        lo, hi = int(idx.min()), int(idx.max())
        if lo < 0 or hi >= self.config.vocab_size:
            bad = lo if lo < 0 else hi
            raise ValueError(f"idx contains the token id {bad}, outside 0..{self.config.vocab_size - 1}")
        return idx

    def new_cache(self) -> KVCache:
        """An empty :class:`KVCache` sized for this model's block."""
        return KVCache(self.config.n_layer, self.config.block_size)

    def forward(self, idx: torch.Tensor, targets: torch.Tensor | None = None,
                cache: KVCache | None = None, return_attention: bool = False,
                last_only: bool = False):
        """Logits ``(B, T, V)`` for ids ``idx`` ``(B, T)``, and the mean cross-entropy
        against ``targets`` ``(B, T)`` when given (entries -100 are ignored), else None.

        ``cache``: read and extend a :class:`KVCache` (the ids continue the cached ones).
        ``return_attention=True`` adds a third result, the list (one per layer) of attention
        weights ``(B, H, T, T_keys)``. ``last_only=True`` computes the logits of the last
        position only (``(B, 1, V)``), as generation needs.
        """
        offset = 0 if cache is None else cache.length
        idx = self.check_ids(idx, offset)
        T = idx.shape[1]
        x = self.transformer.wte(idx)                                    # (B, T, C)
        rope = None
        if self.config.positions == "learned":
            pos = torch.arange(offset, offset + T, device=idx.device)
            x = x + self.transformer.wpe(pos)
        else:
            rope = (self.rope_cos[offset:offset + T], self.rope_sin[offset:offset + T])
        x = self.transformer.drop(x)
        maps = []
        for i, block in enumerate(self.transformer.h):
            x, w = block(x, rope, cache, i, return_attention)
            maps.append(w)
        x = self.transformer.ln_f(x)
        if last_only:
            x = x[:, -1:]
        logits = F.linear(x, self.head_weight)                           # (B, T, V)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(),
                                   targets.reshape(-1), ignore_index=-100)
        if return_attention:
            return logits, loss, maps
        return logits, loss

    @torch.no_grad()
    def generate(self, idx: torch.Tensor, max_new_tokens: int, temperature: float = 1.0,
                 top_k: int | None = None, greedy: bool = False,
                 generator: torch.Generator | None = None, use_cache: bool = True) -> torch.Tensor:
        """Continue ``idx`` ``(B, T)`` by ``max_new_tokens`` tokens (nanoGPT's loop; the
        model reads the last ``block_size`` ids). With ``use_cache`` each new token costs one
        position per layer while the sequence fits in the block; once the window slides, the
        cache is rebuilt from the window at each step, so the result equals the uncached loop.
        Returns ``(B, T + max_new_tokens)``."""
        from ..sampling import check_temperature, check_top_k
        if not greedy:
            check_temperature(temperature)
        top_k = check_top_k(top_k, self.config.out_size)
        was_training = self.training
        self.eval()
        bs = self.config.block_size
        cache, fed = None, 0
        for _ in range(int(max_new_tokens)):
            if not use_cache:
                logits, _ = self(idx[:, -bs:], last_only=True)
            elif cache is None or idx.shape[1] > bs:
                cache = self.new_cache()
                logits, _ = self(idx[:, -bs:], cache=cache, last_only=True)
            else:
                logits, _ = self(idx[:, fed:], cache=cache, last_only=True)
            fed = idx.shape[1]
            z = logits[:, -1, :].float()
            if greedy:
                nxt = z.argmax(dim=-1, keepdim=True)
            else:
                z = z / temperature
                if top_k is not None and top_k < z.shape[-1]:
                    kth = torch.topk(z, top_k, dim=-1).values[:, -1:]
                    z = z.masked_fill(z < kth, float("-inf"))
                nxt = torch.multinomial(torch.softmax(z, dim=-1), 1, generator=generator)
            idx = torch.cat([idx, nxt], dim=1)
        self.train(was_training)
        return idx
