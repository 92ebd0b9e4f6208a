"""GPT: a stack of causal self-attention blocks that predicts the next token.

The architecture is GPT-2's (Radford et al. 2019), written after nanoGPT's ``model.py``:

- token embedding ``wte`` plus a learned position embedding ``wpe`` (or rotary positions),
- ``n_layer`` pre-LayerNorm blocks, ``x = x + attn(ln_1(x)); x = x + mlp(ln_2(x))``, where
  ``attn`` is causal multi-head self-attention and ``mlp`` a GELU network 4x as wide,
- a final LayerNorm and a linear head onto the output symbols, whose weight is by default the
  token embedding itself (tied input/output embeddings).

:class:`GPTConfig` (a frozen dataclass, with presets) configures it and counts its
parameters (:func:`param_count`); :class:`GPT` is the ``torch.nn.Module`` (training,
attention weights, a key/value cache for generation); :class:`GPTLanguageModel` wraps a
trained GPT in the book's :class:`~lmlab.lm.LanguageModel` interface, so the same sampler and
evaluation serve it as every other model. GPT-2's published weights load with
:func:`lmlab.gpt_load.load_gpt2`.

Shapes: ``B`` batch, ``T`` sequence length, ``C = n_embd``, ``H = n_head``, ``D = C / H``,
``V`` output symbols.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .attention import apply_rotary, attention, causal_mask, merge_heads, rotary_tables, split_heads
from .device import resolve_device
from .lm import LanguageModel, as_ids, crop, prepend_start, start_id
from .vocab import Vocab

__all__ = ["GPTConfig", "param_count", "GPT", "KVCache", "GPTLanguageModel", "CHAR_CHECKPOINT"]

#: The character GPT trained on the book's corpus by ``benchmarks/gpt.py --moonshot``,
#: shipped with the package (bfloat16 weights; its metadata records how it was trained).
CHAR_CHECKPOINT = Path(__file__).resolve().parent / "data" / "gpt_char.safetensors"


@dataclass(frozen=True)
class GPTConfig:
    """Everything that fixes the shape of a :class:`GPT` (and nothing about training)."""

    vocab_size: int = 50257        # rows of the token embedding: every input id (incl. start-of-text)
    block_size: int = 1024         # the longest sequence the model reads (the context length)
    n_layer: int = 12              # number of transformer blocks
    n_head: int = 12               # attention heads per block; n_embd must be divisible by it
    n_embd: int = 768              # width C of the residual stream
    n_out: int | None = None       # output symbols V (None: vocab_size); start-of-text is input only
    dropout: float = 0.0           # dropout on attention weights, block outputs and embeddings
    bias: bool = True              # biases in the linear maps and LayerNorms (GPT-2: yes)
    layer_norm_eps: float = 1e-5   # LayerNorm's epsilon (GPT-2: 1e-5)
    activation: str = "gelu_tanh"  # 'gelu_tanh' (GPT-2's approximation) or 'gelu' (exact erf)
    positions: str = "learned"     # 'learned' (GPT-2's wpe table) or 'rotary' (RoPE, no table)
    rope_base: float = 10000.0     # base of the rotary angles (positions='rotary' only)
    qk_norm: bool = False          # RMS-normalise queries and keys per head before the dot product
    tie_embeddings: bool = True    # head weight = the first n_out rows of the token embedding
    mlp_ratio: int = 4             # hidden width of the MLP is mlp_ratio * n_embd
    init_std: float = 0.02         # std of the normal initialisation (GPT-2: 0.02)

    def __post_init__(self):
        for name in ("vocab_size", "block_size", "n_layer", "n_head", "n_embd", "mlp_ratio"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
        if self.n_out is not None and (isinstance(self.n_out, bool) or not isinstance(self.n_out, int)
                                       or not 1 <= self.n_out <= self.vocab_size):
            raise ValueError(f"n_out must be None or an integer in 1..vocab_size={self.vocab_size}, "
                             f"got {self.n_out!r}")
        if self.n_embd % self.n_head:
            raise ValueError(f"n_embd must be divisible by n_head, got n_embd={self.n_embd}, "
                             f"n_head={self.n_head} (remainder {self.n_embd % self.n_head})")
        if not (isinstance(self.dropout, (int, float)) and 0.0 <= self.dropout < 1.0):
            raise ValueError(f"dropout must be a number in [0, 1), got {self.dropout!r}")
        if self.activation not in ("gelu_tanh", "gelu"):
            raise ValueError(f"activation must be 'gelu_tanh' or 'gelu', got {self.activation!r}")
        if self.positions not in ("learned", "rotary"):
            raise ValueError(f"positions must be 'learned' or 'rotary', got {self.positions!r}")
        if self.positions == "rotary" and (self.n_embd // self.n_head) % 2:
            raise ValueError(f"rotary positions need an even head width, got "
                             f"n_embd / n_head = {self.n_embd // self.n_head}")
        if not (self.layer_norm_eps > 0 and self.init_std > 0 and self.rope_base > 1):
            raise ValueError("layer_norm_eps and init_std must be > 0 and rope_base > 1")

    @property
    def out_size(self) -> int:
        """Number of output symbols V."""
        return self.vocab_size if self.n_out is None else self.n_out

    @property
    def head_dim(self) -> int:
        return self.n_embd // self.n_head

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "GPTConfig":
        d = json.loads(text)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"unknown GPTConfig fields {unknown}")
        return cls(**d)

    # ---- presets -------------------------------------------------------------------------
    @classmethod
    def gpt2(cls) -> "GPTConfig":
        """GPT-2 small exactly as published (124,439,808 parameters with tied embeddings)."""
        return cls()

    @classmethod
    def gpt3_175b(cls) -> "GPTConfig":
        """GPT-3 175B's published shape (Brown et al. 2020, table 2.1): 96 layers, 96 heads,
        width 12,288, context 2,048, GPT-2's vocabulary of 50,257 tokens. For counting only;
        (do not build it: it needs 700 GB in float32)."""
        return cls(vocab_size=50257, block_size=2048, n_layer=96, n_head=96, n_embd=12288)

    @classmethod
    def baby(cls, n_symbols: int, start: bool = True) -> "GPTConfig":
        """nanoGPT's CPU "baby" character model: 4 layers, 4 heads, 128 wide, context 64.
        With ``start=True`` one extra input id (start-of-text) is reserved."""
        return cls(vocab_size=n_symbols + int(start), n_out=n_symbols if start else None,
                   block_size=64, n_layer=4, n_head=4, n_embd=128, activation="gelu")

    @classmethod
    def char(cls, n_symbols: int, start: bool = True) -> "GPTConfig":
        """The book's character model: 4 layers, 4 heads, 192 wide, context 128, rotary
        positions, QK-norm and an untied head (the recipe of the 10-minute CPU run)."""
        return cls(vocab_size=n_symbols + int(start), n_out=n_symbols if start else None,
                   block_size=128, n_layer=4, n_head=4, n_embd=192, activation="gelu",
                   positions="rotary", qk_norm=True, tie_embeddings=False, dropout=0.0)


def param_count(config: GPTConfig, embeddings: bool = True) -> int:
    """Number of trainable parameters of a :class:`GPT` with this configuration, from the
    formula (``C`` = width, ``L`` layers, ``b`` = 1 with biases):

    ``vocab_size C + block_size C`` (embeddings; no position table with rotary)
    ``+ L (12 C^2 + 13 b C)`` for ``mlp_ratio = 4`` (attention ``4 C^2 + 4 b C``, MLP
    ``8 C^2 + 5 b C``, two LayerNorms ``2 C + 2 b C``) ``+ C + b C`` (final LayerNorm)
    ``+ V C`` if the head is untied. ``embeddings=False`` leaves out the token and position
    tables (the count often quoted for scaling laws).
    """
    if not isinstance(config, GPTConfig):
        raise TypeError(f"config must be a GPTConfig, got {type(config).__name__}")
    c, L, b, m = config.n_embd, config.n_layer, int(config.bias), config.mlp_ratio
    attn = 3 * c * c + 3 * b * c + c * c + b * c
    mlp = m * c * c + b * m * c + m * c * c + b * c
    norms = 2 * (c + b * c)
    n = L * (attn + mlp + norms) + (c + b * c)
    if embeddings:
        n += config.vocab_size * c + (config.block_size * c if config.positions == "learned" else 0)
    if not config.tie_embeddings:
        n += config.out_size * c
    return n


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
            if T == Tk:
                y = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=T > 1)
            else:                                                       # new queries after a cache
                mask = causal_mask(T, Tk, device=x.device)
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=p)
        return self.resid_dropout(self.c_proj(merge_heads(y))), weights


class MLP(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, config.mlp_ratio * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(config.mlp_ratio * config.n_embd, config.n_embd, bias=config.bias)
        self.approximate = "tanh" if config.activation == "gelu_tanh" else "none"
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x):
        return self.dropout(self.c_proj(F.gelu(self.c_fc(x), approximate=self.approximate)))


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
        return self.transformer.wte.weight[: self.config.out_size]

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
        from .sampling import check_temperature, check_top_k
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


class GPTLanguageModel(LanguageModel):
    """A :class:`GPT` in the book's :class:`~lmlab.lm.LanguageModel` interface.

    The network reads ``len(vocab) + 1`` input ids: the vocabulary's symbols and a
    start-of-text id equal to ``len(vocab)``, put in front of every context shorter than the
    context (``context_size = block_size``); it predicts the ``len(vocab)`` symbols. Every
    forward pass runs on ``device`` (default: the model's).
    """

    def __init__(self, model: GPT, vocab: Vocab, device: str | torch.device | None = None):
        if not isinstance(model, GPT):
            raise TypeError(f"model must be a lmlab.gpt.GPT, got {type(model).__name__}")
        if not isinstance(vocab, Vocab):
            raise TypeError(f"vocab must be a lmlab.vocab.Vocab, got {type(vocab).__name__}")
        cfg = model.config
        if cfg.out_size != len(vocab) or cfg.vocab_size != len(vocab) + 1:
            raise ValueError(f"the model reads {cfg.vocab_size} ids and predicts {cfg.out_size} "
                             f"symbols; a {len(vocab)}-symbol vocabulary needs vocab_size = "
                             f"{len(vocab) + 1} (with start-of-text) and n_out = {len(vocab)}")
        self.device = resolve_device(device) if device is not None else next(model.parameters()).device
        self.model = model.to(self.device)
        self.vocab = vocab
        self.context_size = cfg.block_size
        self.start_id = start_id(vocab)

    @classmethod
    def build(cls, vocab: Vocab, config: GPTConfig | None = None, seed: int = 0,
              device: str | torch.device | None = None) -> "GPTLanguageModel":
        """A freshly initialised model for ``vocab`` (default config: :meth:`GPTConfig.char`)."""
        if not isinstance(vocab, Vocab):
            raise TypeError(f"vocab must be a lmlab.vocab.Vocab, got {type(vocab).__name__}")
        config = GPTConfig.char(len(vocab)) if config is None else config
        g = torch.Generator().manual_seed(int(seed))
        model = GPT(config)
        model.reset_parameters(g)
        return cls(model, vocab, device=device)

    def __repr__(self) -> str:
        c = self.model.config
        return (f"GPTLanguageModel({len(self.vocab)} symbols, {c.n_layer} layers, {c.n_head} heads, "
                f"width {c.n_embd}, context {c.block_size}, {self.model.num_params():,} parameters)")

    def inputs(self, context: np.ndarray) -> np.ndarray:
        """The ids the network reads for a (cropped) context: start-of-text first when the
        context does not fill the block."""
        return prepend_start([np.asarray(context, dtype=np.int64)], self.start_id, self.context_size)[0]

    @torch.no_grad()
    def _logits_at_end(self, rows: list[np.ndarray]) -> torch.Tensor:
        """Logits after the last id of each row (rows right-padded: a causal model's earlier
        positions do not see the padding)."""
        lengths = [len(r) for r in rows]
        L = max(lengths)
        x = np.full((len(rows), L), self.start_id, dtype=np.int64)
        for i, r in enumerate(rows):
            x[i, : len(r)] = r
        self.model.eval()
        logits, _ = self.model(torch.from_numpy(x).to(self.device))
        last = torch.tensor(lengths, device=self.device) - 1
        return logits[torch.arange(len(rows), device=self.device), last]

    def _next_log_probs(self, contexts: list[np.ndarray]) -> np.ndarray:
        out = []
        for s in range(0, len(contexts), 256):
            z = self._logits_at_end([self.inputs(c) for c in contexts[s:s + 256]])
            out.append(torch.log_softmax(z.double(), dim=-1).cpu().numpy())
        return np.concatenate(out)

    @torch.no_grad()
    def log_probs(self, text: object, stride: int | None = None, batch_size: int = 32) -> np.ndarray:
        """``ln p(x_t | x_<t)`` of every token, scored by windows of ``context_size`` inputs
        whose ends are ``stride`` apart (default: half the context).

        The first window reads start-of-text and the first ``context_size - 1`` tokens and
        scores each of them with its whole past, as the per-position reference does. Each
        later window scores only its last ``stride`` positions, so every token is predicted
        from at least ``context_size - stride + 1`` inputs (with the default stride: at least
        half a context). ``stride=1`` is exactly the per-position reference
        (:meth:`LanguageModel.log_probs`), at ``context_size`` times the cost.
        """
        ids = as_ids(self.vocab, text)
        n, c = len(ids), self.context_size
        stride = max(1, c // 2) if stride is None else stride
        if isinstance(stride, bool) or not isinstance(stride, (int, np.integer)) or not 1 <= stride <= c:
            raise ValueError(f"stride must be an integer in 1..context_size={c}, got {stride!r}")
        out = np.empty(n)
        if n == 0:
            return out
        s = np.concatenate([[self.start_id], ids])          # s[t] is the input that predicts ids[t]
        first = min(n, c)
        ends = list(range(c + stride, n, stride)) + ([n] if n > c else [])
        ends = [first] + [e for e in ends if e > first]
        ends = sorted(set(ends))
        self.model.eval()
        prev = 0
        for b in range(0, len(ends), batch_size):
            chunk = ends[b:b + batch_size]
            starts = [max(0, e - c) for e in chunk]
            width = max(e - a for a, e in zip(starts, chunk))
            x = np.full((len(chunk), width), self.start_id, dtype=np.int64)
            for i, (a, e) in enumerate(zip(starts, chunk)):
                x[i, : e - a] = s[a:e]
            logits, _ = self.model(torch.from_numpy(x).to(self.device))
            lp = torch.log_softmax(logits.double(), dim=-1).cpu().numpy()
            for i, (a, e) in enumerate(zip(starts, chunk)):
                t = np.arange(prev, e)
                out[prev:e] = lp[i, t - a, ids[prev:e]]
                prev = e
        return out

    def generate(self, prompt: object = "", length: int = 200, temperature: float = 1.0,
                 top_k: int | None = None, greedy: bool = False, seed=0, stop: str | None = None,
                 return_ids: bool = False, use_cache: bool = True):
        """:func:`lmlab.sampling.generate` with a key/value cache: the same draws for the same
        seed, at the cost of one position per layer and token while the text fits in the
        context (once it fills the context, the window slides and is recomputed each step)."""
        from .checks import check_int
        from .sampling import _draw, check_temperature, check_top_k, rng_from
        length = check_int(length, "length", min=0)
        if not greedy:
            check_temperature(temperature)
        top_k = check_top_k(top_k, len(self.vocab))
        if stop is not None and stop not in self.vocab:
            raise ValueError(f"stop symbol {stop!r} is not in the model's vocabulary")
        ids = list(as_ids(self.vocab, prompt, "prompt"))
        rng = rng_from(seed)
        t = 1.0 if greedy else float(temperature)
        c = self.context_size
        cache, fed = None, []
        out: list[int] = []
        self.model.eval()
        with torch.no_grad():
            for _ in range(int(length)):
                want = list(self.inputs(crop(np.asarray(ids, dtype=np.int64), c)))
                if use_cache and cache is not None and want[:len(fed)] == fed and len(want) > len(fed):
                    new = want[len(fed):]
                else:
                    cache, new = (self.model.new_cache() if use_cache else None), want
                x = torch.tensor([new], dtype=torch.int64, device=self.device)
                logits, _ = self.model(x, cache=cache, last_only=True)
                fed = want
                z = torch.log_softmax(logits[0, -1].double(), dim=-1).cpu().numpy()
                nxt = int(_draw(z[None, :], t, top_k, rng, greedy)[0])
                ids.append(nxt)
                out.append(nxt)
                if stop is not None and self.vocab.symbols[nxt] == stop:
                    break
        if return_ids:
            return np.asarray(out, dtype=np.int64)
        return self.vocab.decode(out)

    def attention_maps(self, text: object) -> np.ndarray:
        """Attention weights of every layer and head for ``text`` (cropped to the last
        ``context_size - 1`` tokens, start-of-text first): array ``(n_layer, n_head, T, T)``
        whose row ``i`` is where the input at position ``i`` looks."""
        ids = as_ids(self.vocab, text)
        ids = ids[-(self.context_size - 1):] if self.context_size > 1 else ids[:0]
        x = torch.from_numpy(self.inputs(ids))[None].to(self.device)
        self.model.eval()
        with torch.no_grad():
            _, _, maps = self.model(x, return_attention=True)
        return torch.stack([m[0] for m in maps]).float().cpu().numpy()

    def save(self, path, dtype: torch.dtype | None = None, metadata: dict | None = None) -> None:
        """Save weights, configuration and vocabulary to one safetensors file (weights cast
        to ``dtype``, e.g. ``torch.bfloat16`` for a small file)."""
        from .train import save_checkpoint
        meta = {"vocab": json.dumps({"symbols": list(self.vocab.symbols), "kind": self.vocab.kind,
                                     "unk": self.vocab.unk})}
        meta.update(metadata or {})
        save_checkpoint(path, self.model, metadata=meta, dtype=dtype)

    @classmethod
    def pretrained(cls, device: str | torch.device | None = None) -> "GPTLanguageModel":
        """The character GPT shipped with the package (:data:`CHAR_CHECKPOINT`), trained on
        the book's corpus by ``python benchmarks/gpt.py --moonshot --save PATH``; its
        training record is in ``lmlab.train.read_checkpoint(CHAR_CHECKPOINT)[2]``."""
        if not CHAR_CHECKPOINT.is_file():
            raise FileNotFoundError(f"the shipped checkpoint {CHAR_CHECKPOINT} is missing; remake it "
                                    "with: python benchmarks/gpt.py --moonshot --save " + str(CHAR_CHECKPOINT))
        return cls.load(CHAR_CHECKPOINT, device=device)

    @classmethod
    def load(cls, path, device: str | torch.device | None = None) -> "GPTLanguageModel":
        """A model saved by :meth:`save`."""
        from .train import load_tensors, read_checkpoint
        tensors, config, meta = read_checkpoint(path)
        if "vocab" not in meta:
            raise ValueError(f"{path} holds no vocabulary; it was not saved by GPTLanguageModel.save")
        v = json.loads(meta["vocab"])
        vocab = Vocab(v["symbols"], kind=v["kind"], unk=v["unk"])
        model = GPT(GPTConfig.from_json(config))
        load_tensors(model, tensors, str(path))
        return cls(model, vocab, device=device)

