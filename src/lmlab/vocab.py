"""Vocabularies: the symbols a model predicts, numbered 0..V-1.

A :class:`Vocab` maps symbols (characters, words, later subword tokens) to integer ids and
back. Unknown-symbol policy: by default a symbol outside the vocabulary is an error that
names it (``ValueError``); a vocabulary built with ``unk="<unk>"`` instead maps every unknown
symbol to that token, which is how the word vocabularies treat rare words.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from .checks import check_int

__all__ = ["Vocab", "char_vocab", "word_vocab"]


class Vocab:
    """An ordered set of symbols with an id for each.

    ``kind`` is ``"char"`` (``decode`` joins with ``""``) or ``"word"`` (``decode`` joins with
    spaces, with none before punctuation).
    """

    def __init__(self, symbols: Iterable[str], kind: str = "char", unk: str | None = None):
        symbols = list(symbols)
        if kind not in ("char", "word"):
            raise ValueError(f"kind must be 'char' or 'word', got {kind!r}")
        if not symbols:
            raise ValueError("symbols must not be empty: a vocabulary needs at least one symbol")
        for s in symbols:
            if not isinstance(s, str):
                raise TypeError(f"symbols must be strings, got {type(s).__name__} ({s!r})")
        if len(set(symbols)) != len(symbols):
            dup = [s for s, c in Counter(symbols).items() if c > 1]
            raise ValueError(f"symbols must be distinct; repeated: {dup[:10]!r}")
        if unk is not None and unk not in symbols:
            symbols.append(unk)
        self.symbols: tuple[str, ...] = tuple(symbols)
        self.kind = kind
        self.unk = unk
        self.index: dict[str, int] = {s: i for i, s in enumerate(self.symbols)}
        self.unk_id: int | None = None if unk is None else self.index[unk]

    def __len__(self) -> int:
        return len(self.symbols)

    def __contains__(self, symbol: object) -> bool:
        return symbol in self.index

    def __repr__(self) -> str:
        head = ", ".join(repr(s) for s in self.symbols[:8])
        more = ", ..." if len(self) > 8 else ""
        return f"Vocab({self.kind}, {len(self)} symbols: {head}{more})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Vocab) and self.symbols == other.symbols
                and self.kind == other.kind and self.unk == other.unk)

    def __hash__(self) -> int:
        return hash((self.symbols, self.kind, self.unk))

    def tokens(self, text: str | Sequence[str]) -> list[str]:
        """The symbols of ``text``: its characters for a character vocabulary; for a word
        vocabulary a list of words is taken as is and a str is split by
        :func:`lmlab.corpus.words`."""
        if isinstance(text, str):
            if self.kind == "char":
                return list(text)
            from .corpus import words
            if self.unk is None or self.unk not in text:
                return words(text)
            out: list[str] = []
            for i, part in enumerate(text.split(self.unk)):    # keep the unk token whole
                if i:
                    out.append(self.unk)
                out.extend(words(part))
            return out
        if isinstance(text, (list, tuple)):
            return list(text)
        raise TypeError(f"text must be a str or a list of symbols, got {type(text).__name__}")

    def encode(self, text: str | Sequence[str]) -> np.ndarray:
        """Ids of the symbols of ``text`` as an int64 array.

        Raises ``ValueError`` naming the first unknown symbol, unless the vocabulary has an
        ``unk`` token, to which unknown symbols then map.
        """
        toks = self.tokens(text)
        index = self.index
        if self.unk_id is None:
            try:
                return np.fromiter((index[t] for t in toks), dtype=np.int64, count=len(toks))
            except KeyError as e:
                pos = next(i for i, t in enumerate(toks) if t not in index)
                raise ValueError(
                    f"text contains the symbol {e.args[0]!r} (at position {pos}), which is not "
                    f"in this {len(self)}-symbol vocabulary; build the vocabulary from a text "
                    "that contains it, or use a vocabulary with an unk token") from None
        u = self.unk_id
        return np.fromiter((index.get(t, u) for t in toks), dtype=np.int64, count=len(toks))

    def decode(self, ids: Iterable[int]) -> str:
        """The text of a sequence of ids."""
        ids = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids)
        if ids.size and not np.issubdtype(ids.dtype, np.integer):
            raise TypeError(f"ids must be integers, got dtype {ids.dtype}")
        if ids.size and (ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(f"ids must lie in 0..{len(self) - 1}, got values from "
                             f"{ids.min()} to {ids.max()}")
        if self.kind == "char":
            return "".join(self.symbols[i] for i in ids.tolist())
        text = " ".join(self.symbols[i] for i in ids.tolist())
        return re.sub(r" ([,.;:!?])", r"\1", text)    # no space before punctuation

    def to_json(self) -> str:
        """The vocabulary as JSON (symbols, kind, unk), as model checkpoints store it."""
        return json.dumps({"symbols": list(self.symbols), "kind": self.kind, "unk": self.unk})

    @classmethod
    def from_json(cls, text: str) -> "Vocab":
        """The vocabulary written by :meth:`to_json`."""
        v = json.loads(text)
        return cls(v["symbols"], kind=v["kind"], unk=v["unk"])

    def check_ids(self, ids: object, name: str = "ids") -> np.ndarray:
        """``ids`` as an int64 array, checked to be ids of this vocabulary."""
        arr = np.asarray(ids)
        if arr.dtype == object or (arr.size and not np.issubdtype(arr.dtype, np.integer)):
            raise TypeError(f"{name} must be integer token ids, got dtype {arr.dtype}")
        arr = arr.astype(np.int64, copy=False)
        if arr.size and (arr.min() < 0 or arr.max() >= len(self)):
            bad = arr[(arr < 0) | (arr >= len(self))][0]
            raise ValueError(f"{name} contains {bad}, outside this vocabulary's ids 0..{len(self) - 1}")
        return arr


def char_vocab(text: str) -> Vocab:
    """The sorted characters of ``text``."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not text:
        raise ValueError("text must not be empty")
    return Vocab(sorted(set(text)), kind="char")


def word_vocab(text: str | Sequence[str], min_count: int = 1, unk: str = "<unk>") -> Vocab:
    """Words of ``text`` seen at least ``min_count`` times, most frequent first, plus ``unk``
    for every other word."""
    min_count = check_int(min_count, "min_count", min=1)
    if isinstance(text, str):
        from .corpus import words
        toks = words(text)
    elif isinstance(text, (list, tuple)):
        toks = list(text)
    else:
        raise TypeError(f"text must be a str or a list of words, got {type(text).__name__}")
    if not toks:
        raise ValueError("text must contain at least one word")
    counts = Counter(toks)
    kept = [w for w, c in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0])) if c >= min_count]
    return Vocab(kept, kind="word", unk=unk)
