"""The shape of a BERT: a frozen dataclass with presets, and its parameter count."""
from __future__ import annotations

import json
from dataclasses import dataclass, fields

__all__ = ["BertConfig", "param_count"]


@dataclass(frozen=True)
class BertConfig:
    """Everything that fixes the shape of a :class:`~lmlab.bert.Bert` (nothing about training)."""

    vocab_size: int = 30522        # rows of the token embedding (BERT's uncased WordPiece vocabulary)
    max_positions: int = 512       # the longest sequence the model reads (learned positions)
    type_vocab_size: int = 2       # segment ids: 0 for sentence A, 1 for sentence B
    n_layer: int = 12              # number of encoder blocks
    n_head: int = 12               # attention heads per block; n_embd must be divisible by it
    n_embd: int = 768              # width C of the hidden vectors
    intermediate: int = 3072       # width of each block's GELU layer (BERT: 4 x n_embd)
    dropout: float = 0.1           # dropout on embeddings, attention weights and block outputs
    layer_norm_eps: float = 1e-12  # LayerNorm's epsilon (BERT: 1e-12)
    pad_id: int = 0                # id of [PAD] (its embedding row is not special, only masked)
    init_std: float = 0.02         # standard deviation of the initial weights

    def __post_init__(self):
        for f in fields(self):
            v = getattr(self, f.name)
            if f.type in ("int",) and (isinstance(v, bool) or not isinstance(v, int)):
                raise TypeError(f"{f.name} must be an int, got {type(v).__name__} ({v!r})")
        for name in ("vocab_size", "max_positions", "type_vocab_size", "n_layer", "n_head",
                     "n_embd", "intermediate"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.n_embd % self.n_head:
            raise ValueError(f"n_embd={self.n_embd} must be divisible by n_head={self.n_head}")
        if not 0 <= self.dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout!r}")
        if not 0 <= self.pad_id < self.vocab_size:
            raise ValueError(f"pad_id must be an id 0..{self.vocab_size - 1}, got {self.pad_id}")
        if not (self.layer_norm_eps > 0 and self.init_std > 0):
            raise ValueError("layer_norm_eps and init_std must be > 0")

    @property
    def head_dim(self) -> int:
        return self.n_embd // self.n_head

    @classmethod
    def from_json(cls, text: str) -> "BertConfig":
        return cls(**json.loads(text))

    @classmethod
    def from_hf(cls, hf: dict, dropout: float = 0.0) -> "BertConfig":
        """The configuration of a Hugging Face BERT ``config.json`` (as a dict). Options this
        BERT does not implement are an error naming them."""
        if not isinstance(hf, dict):
            raise TypeError(f"hf must be a dict (config.json), got {type(hf).__name__}")
        need = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                "intermediate_size", "max_position_embeddings")
        missing = [k for k in need if k not in hf]
        if missing:
            raise ValueError(f"config.json lacks the fields {missing}")
        if hf.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"hidden_act {hf['hidden_act']!r} is not supported (BERT uses 'gelu')")
        if hf.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError(f"position_embedding_type {hf['position_embedding_type']!r} is not "
                             "supported (this BERT learns absolute positions)")
        if hf.get("is_decoder", False) or hf.get("add_cross_attention", False):
            raise ValueError("decoder BERTs (is_decoder, add_cross_attention) are not supported")
        return cls(vocab_size=hf["vocab_size"], max_positions=hf["max_position_embeddings"],
                   type_vocab_size=hf.get("type_vocab_size", 2), n_layer=hf["num_hidden_layers"],
                   n_head=hf["num_attention_heads"], n_embd=hf["hidden_size"],
                   intermediate=hf["intermediate_size"], dropout=dropout,
                   layer_norm_eps=float(hf.get("layer_norm_eps", 1e-12)),
                   pad_id=hf.get("pad_token_id", 0) or 0)

    @classmethod
    def base(cls) -> "BertConfig":
        """BERT-base (Devlin et al. 2019): 12 layers, 768 wide, 12 heads."""
        return cls()

    @classmethod
    def minilm(cls) -> "BertConfig":
        """all-MiniLM-L6-v2: 6 layers, 384 wide, 12 heads of 32, intermediate 1,536."""
        return cls(n_layer=6, n_embd=384, intermediate=1536, dropout=0.0)

    @classmethod
    def tiny(cls, vocab_size: int, block_size: int = 64) -> "BertConfig":
        """The small BERT the book trains on its corpus in about a minute."""
        return cls(vocab_size=vocab_size, max_positions=block_size, n_layer=4, n_head=4,
                   n_embd=128, intermediate=512, dropout=0.0)


def param_count(config: BertConfig, pooler: bool = True, mlm_head: bool = False) -> int:
    """Parameters of a :class:`~lmlab.bert.Bert` with ``config``, counted from the shapes
    (BERT-base: 109,482,240 with its pooler)."""
    if not isinstance(config, BertConfig):
        raise TypeError(f"config must be a BertConfig, got {type(config).__name__}")
    c, f = config.n_embd, config.intermediate
    emb = (config.vocab_size + config.max_positions + config.type_vocab_size) * c + 2 * c
    block = (3 * c * c + 3 * c) + (c * c + c) + 2 * c + (c * f + f) + (f * c + c) + 2 * c
    n = emb + config.n_layer * block
    if pooler:
        n += c * c + c
    if mlm_head:                       # transform (dense + LayerNorm) and an output bias; tied decoder
        n += c * c + c + 2 * c + config.vocab_size
    return n
