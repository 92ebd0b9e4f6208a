import re

import pytest

from lmlab import corpus


def test_all_plays_are_found_and_named():
    names = corpus.play_names()
    assert len(names) == 38
    assert "hamlet" in names and "macbeth" in names
    assert names == sorted(names)


def test_unknown_play_lists_valid_names():
    with pytest.raises(ValueError, match="unknown play 'hamlett'.*hamlet"):
        corpus.load_play("hamlett")
    with pytest.raises(TypeError, match="play name"):
        corpus.load_play(3)
    with pytest.raises(TypeError, match="list of play names"):
        corpus.load_plays("hamlet")


def test_markdown_is_removed():
    md = ("# Othello\n\n## ACT I\n\n### SCENE I. Venice.\n\n_Enter RODERIGO and IAGO_\n\n"
          "**RODERIGO**  \nTush! never tell me;  \nI take it \\[much\\] unkindly\u2014yes\n\n\n\n"
          "*Exit.*\n")
    text = corpus.markdown_to_text(md)
    assert text == ("Othello\n\nACT I\n\nSCENE I. Venice.\n\nEnter RODERIGO and IAGO\n\n"
                    "RODERIGO:\nTush! never tell me;\nI take it [much] unkindly--yes\n\nExit.\n")


def test_plain_text_of_the_works_has_no_markup(book_corpus):
    text = book_corpus.text
    for mark in ("**", "#", "\\", "_", "\u2014"):
        assert mark not in text, mark
    assert "\nHAMLET:\nTo be, or not to be: that is the question:" in text
    assert not re.search(r"[ \t]+\n", text)


def test_book_split_is_fixed_and_documented(book_corpus):
    c = book_corpus
    assert c.train + c.val == c.text
    assert c.train.endswith("\n")
    assert abs(len(c.train) / len(c.text) - 0.9) < 1e-3
    assert "TIMON" in c.train[-20000:] and "Titus Andronicus" in c.val
    assert "Two Gentlemen" in c.val[-200000:]
    assert corpus.shakespeare() == c                     # deterministic


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5, float("nan")])
def test_split_fraction_outside_unit_interval(fraction):
    with pytest.raises(ValueError, match="train_fraction must lie strictly between 0 and 1"):
        corpus.split("a\nb\nc\n", fraction)


def test_split_types_and_edges():
    with pytest.raises(TypeError, match="train_fraction"):
        corpus.split("abc", "0.5")
    with pytest.raises(TypeError, match="text must be a str"):
        corpus.split(b"abc", 0.5)
    assert corpus.split("abcdefghij", 0.3) == ("abc", "defghij")        # no newline: exact cut
    train, val = corpus.split("one\ntwo\nthree\nfour\n", 0.5)
    assert train == "one\ntwo\n" and val == "three\nfour\n"


def test_any_text_file(tmp_path):
    p = tmp_path / "poem.txt"
    p.write_text("line one\nline two\nline three\nline four\n", encoding="utf-8")
    c = corpus.from_file(p, train_fraction=0.5)
    assert c.name == "poem.txt" and c.train + c.val == c.text
    with pytest.raises(ValueError, match="not a readable file"):
        corpus.from_file(tmp_path / "missing.txt")
    with pytest.raises(ValueError, match="must not be empty"):
        corpus.from_text("")


def test_words():
    assert corpus.words("O'er the hills, Sir! 'Tis 2 o'clock.") == \
        ["o'er", "the", "hills", ",", "sir", "!", "'", "tis", "2", "o'clock", "."]
    assert corpus.words("Hello, world!", lower=False, punctuation=False) == ["Hello", "world"]
