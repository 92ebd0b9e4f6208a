"""Masked-language modelling: BERT's training task, and a BERT in the book's model interface.

BERT learns by filling in blanks. In every training sequence a fraction ``mask_prob`` of
the tokens (15%) is chosen; of those, 80% are replaced by ``[MASK]``, 10% by a random token
and 10% left as they are, and the model is scored (cross-entropy) on recovering the chosen
tokens only (:class:`MaskConfig`, :func:`mask_tokens`). The random and unchanged tokens
stop it from learning that only ``[MASK]`` positions matter: any token may be a blank.

:class:`BertLanguageModel` puts a trained :class:`~lmlab.bert.BertMLM` behind
:class:`~lmlab.lm.LanguageModel`. Its "next token" distribution is the masked-token
question asked at the end of the context, ``[CLS] context [MASK] [SEP]``: a BERT reads
both ways, so that is only half of what it can use; :meth:`BertLanguageModel.fill_in`
asks it with words on both sides.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..checks import check_int, check_str
from ..device import resolve_device
from ..lm import LanguageModel, as_ids, pad_right
from ..vocab import Vocab, word_vocab
from .config import BertConfig
from .model import BertMLM

__all__ = ["SPECIALS", "MaskConfig", "mask_tokens", "mlm_vocab", "mlm_batches", "BertLanguageModel",
           "blank_spots", "blank_nats"]

#: The special symbols of a BERT vocabulary (ids 0..3 of :func:`mlm_vocab`).
SPECIALS = ("[PAD]", "[CLS]", "[SEP]", "[MASK]")
MASK = "[MASK]"


@dataclass(frozen=True)
class MaskConfig:
    """Which tokens a masked-LM batch hides, and how (BERT's choice by default)."""

    mask_prob: float = 0.15        # fraction of the (non-special) tokens chosen for prediction
    replace_mask: float = 0.8      # of the chosen, the fraction replaced by [MASK]
    replace_random: float = 0.1    # of the chosen, the fraction replaced by a random token (rest unchanged)

    def __post_init__(self):
        for name in ("mask_prob", "replace_mask", "replace_random"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
                raise TypeError(f"{name} must be a number, got {v!r}")
        if not 0 < self.mask_prob < 1:
            raise ValueError(f"mask_prob must lie strictly between 0 and 1, got {self.mask_prob!r}")
        if self.replace_mask < 0 or self.replace_random < 0 or self.replace_mask + self.replace_random > 1:
            raise ValueError("replace_mask and replace_random must be >= 0 with a sum <= 1, got "
                             f"{self.replace_mask!r} and {self.replace_random!r}")


def mask_tokens(ids: torch.Tensor, mask_id: int, vocab_size: int, generator: torch.Generator,
                config: MaskConfig = MaskConfig(), maskable: torch.Tensor | None = None,
                random_low: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """``(inputs, labels)`` for a batch of ids ``(B, T)``: ``labels`` holds the original id
    at the chosen positions and -100 elsewhere; ``inputs`` has the chosen positions
    replaced as :class:`MaskConfig` says. Only positions where ``maskable`` (a boolean
    ``(B, T)`` tensor; default all) is True are chosen; random replacements are drawn from
    ``random_low..vocab_size-1`` (to skip special symbols). At least one position of the
    batch is always chosen."""
    if not isinstance(ids, torch.Tensor) or ids.dim() != 2 or ids.is_floating_point():
        raise TypeError("ids must be a 2-D integer torch.Tensor (batch, length)")
    if not isinstance(config, MaskConfig):
        raise TypeError(f"config must be a MaskConfig, got {type(config).__name__}")
    vocab_size = check_int(vocab_size, "vocab_size", min=1)
    mask_id = check_int(mask_id, "mask_id", min=0, max=vocab_size - 1)
    random_low = check_int(random_low, "random_low", min=0, max=vocab_size - 1)
    if maskable is None:
        maskable = torch.ones_like(ids, dtype=torch.bool)
    elif not isinstance(maskable, torch.Tensor) or maskable.dtype != torch.bool or maskable.shape != ids.shape:
        raise ValueError(f"maskable must be a boolean tensor of the shape of ids {tuple(ids.shape)}")
    if not bool(maskable.any()):
        raise ValueError("maskable allows no position: nothing could be masked")
    u = torch.rand(ids.shape, generator=generator)
    chosen = (u < config.mask_prob) & maskable
    if not bool(chosen.any()):
        chosen = chosen.clone()
        chosen.view(-1)[int(torch.nonzero(maskable.view(-1))[0])] = True
    labels = torch.where(chosen, ids, torch.full_like(ids, BertMLM.IGNORE))
    r = torch.rand(ids.shape, generator=generator)                     # which replacement
    to_mask = chosen & (r < config.replace_mask)
    to_random = chosen & (r >= config.replace_mask) & (r < config.replace_mask + config.replace_random)
    inputs = ids.clone()
    inputs[to_mask] = mask_id
    rand = torch.randint(random_low, vocab_size, ids.shape, generator=generator)
    inputs[to_random] = rand[to_random]
    return inputs, labels


def mlm_vocab(text: str, min_count: int = 3, unk: str = "[UNK]") -> Vocab:
    """A word vocabulary for a small BERT: :data:`SPECIALS` (ids 0..3), then the words of
    ``text`` seen at least ``min_count`` times (most frequent first), then ``unk``."""
    words = word_vocab(text, min_count=min_count, unk=unk)
    clash = [s for s in SPECIALS if s in words]
    if clash:
        raise ValueError(f"text contains the special symbols {clash} as words")
    return Vocab(list(SPECIALS) + [w for w in words.symbols if w != unk], kind="word", unk=unk)


def _special_ids(vocab: Vocab) -> dict[str, int]:
    missing = [s for s in SPECIALS if s not in vocab]
    if missing:
        raise ValueError(f"the vocabulary lacks the special symbols {missing}; build it with mlm_vocab")
    return {s: vocab.index[s] for s in SPECIALS}


def mlm_batches(vocab: Vocab, train_ids: object, val_ids: object, block_size: int, batch_size: int,
                config: MaskConfig = MaskConfig(), device: str | torch.device | None = None) -> Callable:
    """A ``get_batch(split, generator)`` for masked-LM training on a token sequence:
    ``batch_size`` random windows of ``block_size - 2`` tokens, each framed as
    ``[CLS] window [SEP]`` and masked by :func:`mask_tokens`; returns ``(inputs, labels)``,
    what :class:`~lmlab.bert.BertMLM` takes."""
    sp = _special_ids(vocab)
    block_size = check_int(block_size, "block_size", min=3)
    batch_size = check_int(batch_size, "batch_size", min=1)
    dev = resolve_device(device)
    n = block_size - 2
    data = {}
    for split, ids in (("train", train_ids), ("val", val_ids)):
        t = torch.as_tensor(vocab.check_ids(ids, f"{split}_ids"))
        if t.dim() != 1 or len(t) <= n:
            raise ValueError(f"{split}_ids must be a 1-D id sequence longer than block_size - 2 = {n}, "
                             f"got shape {tuple(t.shape)}")
        data[split] = t
    low = len(SPECIALS)

    def get_batch(split: str, generator: torch.Generator):
        if split not in data:
            raise ValueError(f"split must be 'train' or 'val', got {split!r}")
        d = data[split]
        i = torch.randint(len(d) - n, (batch_size,), generator=generator)
        ids = torch.empty(batch_size, block_size, dtype=torch.int64)
        ids[:, 0], ids[:, -1] = sp["[CLS]"], sp["[SEP]"]
        ids[:, 1:-1] = d[i[:, None] + torch.arange(n)]
        maskable = torch.ones_like(ids, dtype=torch.bool)
        maskable[:, 0] = maskable[:, -1] = False
        x, y = mask_tokens(ids, sp[MASK], len(vocab), generator, config, maskable, random_low=low)
        return x.to(dev), y.to(dev)

    return get_batch


class BertLanguageModel(LanguageModel):
    """A :class:`~lmlab.bert.BertMLM` over a word :class:`~lmlab.vocab.Vocab` with
    :data:`SPECIALS`, in the book's model interface. The distribution of the token after a
    context is that of ``[MASK]`` in ``[CLS] context [MASK] [SEP]``; special symbols get
    probability 0."""

    #: The small word BERT trained on the book's corpus, shipped with the package (bfloat16
    #: weights; its metadata records the training: command, seconds, curve, held-out loss).
    #: Remade by ``python benchmarks/bert.py --tiny --seconds 600 --clock cpu --save
    #: src/lmlab/data/bert_words.safetensors``.
    CHECKPOINT = Path(__file__).resolve().parents[1] / "data" / "bert_words.safetensors"

    def __init__(self, model: BertMLM, vocab: Vocab, device: str | torch.device | None = None):
        if not isinstance(model, BertMLM):
            raise TypeError(f"model must be a lmlab.bert.BertMLM, got {type(model).__name__}")
        if not isinstance(vocab, Vocab):
            raise TypeError(f"vocab must be a lmlab.vocab.Vocab, got {type(vocab).__name__}")
        if model.config.vocab_size != len(vocab):
            raise ValueError(f"the model has {model.config.vocab_size} token ids but the vocabulary "
                             f"{len(vocab)} symbols")
        self.special = _special_ids(vocab)
        self.device = resolve_device(device) if device is not None else next(model.parameters()).device
        self.model = model.to(self.device)
        self.vocab = vocab
        self.context_size = model.config.max_positions - 3

    @classmethod
    def build(cls, vocab: Vocab, config: BertConfig | None = None, seed: int = 0,
              device: str | torch.device | None = None) -> "BertLanguageModel":
        """A freshly initialised model for ``vocab`` (default :meth:`BertConfig.tiny`)."""
        if not isinstance(vocab, Vocab):
            raise TypeError(f"vocab must be a lmlab.vocab.Vocab, got {type(vocab).__name__}")
        config = BertConfig.tiny(len(vocab)) if config is None else config
        torch.manual_seed(int(seed))
        model = BertMLM(config)
        model.bert.reset_parameters(torch.Generator().manual_seed(int(seed)))
        return cls(model, vocab, device=device)

    def __repr__(self) -> str:
        c = self.model.config
        return (f"BertLanguageModel({len(self.vocab):,} words, {c.n_layer} layers, {c.n_head} heads, "
                f"width {c.n_embd}, {c.max_positions} positions, {self.model.num_params():,} parameters)")

    @torch.no_grad()
    def masked_log_probs(self, rows: list[np.ndarray], where: list[np.ndarray]) -> list[np.ndarray]:
        """For each id sequence in ``rows`` (without [CLS]/[SEP]), the log-probabilities
        ``(len(where[i]), V)`` of the tokens at positions ``where[i]`` (float64; special
        symbols -inf)."""
        sp = self.special
        full = [np.concatenate([[sp["[CLS]"]], r, [sp["[SEP]"]]]).astype(np.int64) for r in rows]
        T = max(len(r) for r in full)
        if T > self.model.config.max_positions:
            raise ValueError(f"a text of {T - 2} tokens does not fit this model's "
                             f"{self.model.config.max_positions - 2} positions")
        ids, valid = pad_right(full, T, sp["[PAD]"])
        self.model.eval()
        logits, _ = self.model(torch.from_numpy(ids).to(self.device),
                               attention_mask=torch.from_numpy(valid.astype(np.int64)).to(self.device))
        logits = logits.double()
        logits[..., list(sp.values())] = float("-inf")
        lp = torch.log_softmax(logits, dim=-1).cpu().numpy()
        return [lp[i, np.asarray(w, dtype=np.int64) + 1] for i, w in enumerate(where)]

    def _next_log_probs(self, contexts: list[np.ndarray]) -> np.ndarray:
        m = self.special[MASK]
        rows = [np.concatenate([c, [m]]).astype(np.int64) for c in contexts]
        out = self.masked_log_probs(rows, [np.array([len(c)]) for c in contexts])
        return np.concatenate(out, axis=0)

    def fill_in(self, text: str, top_k: int = 5) -> list[list[tuple[str, float]]]:
        """The ``top_k`` most probable words, with their probabilities, for each ``[MASK]``
        in ``text`` (all blanks filled at once, each from the words around it)."""
        text = check_str(text, "text")
        top_k = check_int(top_k, "top_k", min=1, max=len(self.vocab) - len(SPECIALS))
        parts = text.split(MASK)
        if len(parts) < 2:
            raise ValueError(f"text must contain at least one {MASK}, got {text!r}")
        ids, where = [], []
        for i, part in enumerate(parts):
            if i:
                where.append(len(ids))
                ids.append(self.special[MASK])
            ids.extend(as_ids(self.vocab, part).tolist())
        lp = self.masked_log_probs([np.asarray(ids, dtype=np.int64)], [np.asarray(where)])[0]
        out = []
        for row in lp:
            best = np.argsort(-row, kind="stable")[:top_k]
            out.append([(self.vocab.symbols[j], float(np.exp(row[j]))) for j in best])
        return out

    def save(self, path, dtype: torch.dtype | None = None, metadata: dict | None = None) -> None:
        """Weights, configuration and vocabulary in one safetensors file."""
        from ..train import save_checkpoint
        meta = {"vocab": self.vocab.to_json()}
        meta.update(metadata or {})
        save_checkpoint(path, self.model, metadata=meta, dtype=dtype)

    @classmethod
    def pretrained(cls, device: str | torch.device | None = None) -> "BertLanguageModel":
        """The small word BERT shipped with the package (:attr:`CHECKPOINT`)."""
        if not cls.CHECKPOINT.is_file():
            raise FileNotFoundError(f"the shipped checkpoint {cls.CHECKPOINT} is missing; remake it with: "
                                    "python benchmarks/bert.py --tiny --seconds 600 --clock cpu --save "
                                    + str(cls.CHECKPOINT))
        return cls.load(cls.CHECKPOINT, device=device)

    @classmethod
    def load(cls, path, device: str | torch.device | None = None) -> "BertLanguageModel":
        """A model saved by :meth:`save`."""
        from ..train import load_tensors, read_checkpoint
        tensors, config, meta = read_checkpoint(path)
        if "vocab" not in meta:
            raise ValueError(f"{path} holds no vocabulary; it was not saved by BertLanguageModel.save")
        model = BertMLM(BertConfig.from_json(config))
        load_tensors(model, tensors, str(path))
        return cls(model, Vocab.from_json(meta["vocab"]), device=device)


def blank_spots(ids: object, n: int = 400, left: int = 30, right: int = 30, seed: int = 0) -> np.ndarray:
    """``n`` distinct positions of ``ids`` (drawn with ``seed``) that have ``left`` tokens
    before them and ``right`` after them."""
    ids = np.asarray(ids)
    n, left, right = (check_int(n, "n", min=1), check_int(left, "left", min=0),
                      check_int(right, "right", min=0))
    room = len(ids) - left - right
    if room < n:
        raise ValueError(f"ids has {len(ids)} tokens: too few for {n} blanks with {left} + {right} "
                         "tokens of context")
    return np.sort(np.random.default_rng(seed).choice(np.arange(left, len(ids) - right), size=n, replace=False))


def blank_nats(model: BertLanguageModel, ids: object, spots: object, left: int = 30, right: int = 30,
               shuffle: bool = False, seed: int = 0) -> float:
    """Mean cross-entropy (nats) of the true token at each position of ``spots`` in ``ids``,
    replaced by ``[MASK]`` and read with ``left`` tokens before and ``right`` after it. With
    ``shuffle`` the context tokens are shuffled (the blank stays in place): a model that
    ignored word order would score the same."""
    if not isinstance(model, BertLanguageModel):
        raise TypeError(f"model must be a BertLanguageModel, got {type(model).__name__}")
    ids = model.vocab.check_ids(ids, "ids")
    spots = np.asarray(spots, dtype=np.int64)
    if spots.ndim != 1 or not len(spots) or spots.min() < left or spots.max() >= len(ids) - right:
        raise ValueError(f"spots must be positions with {left} tokens before and {right} after them")
    rng = np.random.default_rng(seed)
    m = model.special[MASK]
    rows = []
    for i in spots:
        ctx = np.concatenate([ids[i - left:i], ids[i + 1:i + 1 + right]])
        if shuffle:
            rng.shuffle(ctx)
        rows.append(np.concatenate([ctx[:left], [m], ctx[left:]]))
    lps = model.masked_log_probs(rows, [np.array([left])] * len(rows))
    return float(-np.mean([lp[0, ids[i]] for lp, i in zip(lps, spots)]))
