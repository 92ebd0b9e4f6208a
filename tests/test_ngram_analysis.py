"""Tests of lmlab.ngram.analysis: held-out counts, add-k for many k, word helpers."""
import math

import numpy as np
import pytest

from lmlab import corpus, ngram, vocab
from lmlab.ngram.analysis import (SENTENCE, AddKScorer, held_out_counts, normalise_words,
                                  spelling_nats, with_sentence_marks)

TEXT = corpus.load_play("the-tempest")


def test_held_out_counts_by_hand():
    v = vocab.char_vocab("abc")
    a = ngram.NGramCounts.from_text(v, "ababab" + "cc", 2)    # ab:3 ba:2 bc:1 cc:1
    b = ngram.NGramCounts.from_text(v, "abcab" + "ba", 2)     # ab:2 bc:1 ca:1 bb:1 ba:1
    t = held_out_counts(a, b, 2, max_count=3)
    np.testing.assert_array_equal(t.n_grams, [2, 1, 1])      # r=1: bc, cc; r=2: ba; r=3: ab
    np.testing.assert_allclose(t.mean_other, [0.5, 1.0, 2.0])   # bc->1, cc->0 ; ba->1 ; ab->2
    np.testing.assert_allclose(t.discount, [0.5, 1.0, 1.0])


def test_held_out_counts_on_a_play_are_below_r():
    """Measured on two halves of a play: n-grams seen r times come back less often."""
    v = vocab.char_vocab(TEXT)
    first, second = corpus.split(TEXT, 0.5)
    t = held_out_counts(ngram.NGramCounts.from_text(v, first, 3),
                        ngram.NGramCounts.from_text(v, second, 3), 3, max_count=5)
    assert (t.n_grams > 0).all()
    assert (t.discount > 0).all() and (t.mean_other > 0).all()
    with pytest.raises(ValueError, match="different vocabularies"):
        held_out_counts(ngram.NGramCounts.from_text(v, first, 3),
                        ngram.NGramCounts.from_text(vocab.char_vocab("ab"), "abab", 3), 3)


@pytest.mark.parametrize("k", [0.0, 0.01, 1.0, 7.5])
def test_add_k_scorer_equals_the_models(k):
    v = vocab.char_vocab(TEXT)
    train, val = corpus.split(TEXT, 0.8)
    counts = ngram.NGramCounts.from_text(v, train, 5)
    ids = v.encode(val)
    scorer = AddKScorer(counts, ids)
    got = scorer.nats(k)
    for n in range(1, 6):
        with np.errstate(divide="ignore"):
            want = -ngram.NGramModel(v, counts, ngram.NGramConfig(n, "add-k", k)).log_probs(ids).mean()
        assert got[n - 1] == pytest.approx(want, rel=1e-12) or (math.isinf(want) and math.isinf(got[n - 1]))
    # short texts: the first tokens use the shorter context
    short = AddKScorer(counts, ids[:3])
    for n in range(1, 4):
        want = -ngram.NGramModel(v, counts, ngram.NGramConfig(n, "add-k", 0.5)).log_probs(ids[:3]).mean()
        assert short.nats(0.5)[n - 1] == pytest.approx(want, rel=1e-12)
    np.testing.assert_allclose(scorer.grid([k, 2.0])[0], got)
    with pytest.raises(ValueError, match="k must be a finite number >= 0"):
        scorer.nats(-1.0)


def test_sentence_marks_and_normalisation():
    toks = corpus.words("Stay! Speak, speak. I charge thee, speak")
    marked = with_sentence_marks(toks)
    assert marked == [SENTENCE, "stay", "!", SENTENCE, "speak", ",", "speak", ".", SENTENCE,
                      "i", "charge", "thee", ",", "speak"]
    assert normalise_words("Stay!  Speak,\nspeak.") == "stay ! speak , speak ."
    with pytest.raises(TypeError, match="list of word tokens"):
        with_sentence_marks("stay !")


def test_spelling_nats_is_the_letter_models_score():
    words = ["caliban", "prospero", "ariel"]
    v = vocab.char_vocab("abcdefghijklmnopqrstuvwxyz' ")
    counts = ngram.NGramCounts.from_text(v, " ".join(corpus.words(TEXT, punctuation=False)), 4)
    lp = ngram.NGramModel(v, counts, ngram.NGramConfig(4)).log_probs(" caliban prospero ariel ")
    assert spelling_nats(counts, v, words, 4) == pytest.approx(-lp[1:].sum(), rel=1e-12)
    assert spelling_nats(counts, v, [], 4) == 0.0
