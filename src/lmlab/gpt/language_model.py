"""A trained :class:`~lmlab.gpt.model.GPT` in the book's :class:`~lmlab.lm.LanguageModel`
interface (:class:`GPTLanguageModel`: scoring by strided windows, cached generation,
attention maps, save and load), and the character GPT shipped with the package."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ..device import resolve_device
from ..lm import LanguageModel, as_ids, crop, prepend_start, start_id
from ..vocab import Vocab
from .config import GPTConfig
from .model import GPT

__all__ = ["GPTLanguageModel", "CHAR_CHECKPOINT"]

#: The character GPT trained on the book's corpus, shipped with the package (bfloat16
#: weights, 3.6 MB; its metadata records how it was trained: curve, seconds, load, command).
#: Remade by ``python benchmarks/gpt.py --moonshot --compile true --save
#: src/lmlab/data/gpt_char.safetensors`` (600 wall-clock seconds of training: the step count,
#: hence the weights, depend on the machine's speed).
CHAR_CHECKPOINT = Path(__file__).resolve().parents[1] / "data" / "gpt_char.safetensors"


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
        from ..checks import check_int
        from ..sampling import _draw, check_temperature, check_top_k, rng_from
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
        from ..train import save_checkpoint
        meta = {"vocab": self.vocab.to_json()}
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
        from ..train import load_tensors, read_checkpoint
        tensors, config, meta = read_checkpoint(path)
        if "vocab" not in meta:
            raise ValueError(f"{path} holds no vocabulary; it was not saved by GPTLanguageModel.save")
        vocab = Vocab.from_json(meta["vocab"])
        model = GPT(GPTConfig.from_json(config))
        load_tensors(model, tensors, str(path))
        return cls(model, vocab, device=device)
