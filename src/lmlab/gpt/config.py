"""The shape of a GPT: :class:`GPTConfig` (a frozen dataclass with a comment per field and
presets: GPT-2 small, GPT-3 175B, nanoGPT's CPU "baby", the book's character model) and
:func:`param_count`, the number of parameters from the configuration alone."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

__all__ = ["GPTConfig", "param_count"]


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
