import math

import numpy as np
import pytest

from lmlab import lm
from lmlab.vocab import char_vocab


class Uniform(lm.LanguageModel):
    def __init__(self, vocab):
        self.vocab = vocab

    def _next_log_probs(self, contexts):
        return np.full((len(contexts), len(self.vocab)), -math.log(len(self.vocab)))


class CountsSoFar(lm.LanguageModel):
    """Predicts from the add-one counts of its own (unbounded) context: exercises the generic
    log_probs path with contexts of every length."""

    def __init__(self, vocab):
        self.vocab = vocab

    def _next_log_probs(self, contexts):
        V = len(self.vocab)
        rows = [np.bincount(c, minlength=V) + 1.0 for c in contexts]
        return np.log(np.stack([r / r.sum() for r in rows]))


def test_uniform_model_scores_log_v():
    v = char_vocab("abcdefgh")
    e = lm.evaluate(Uniform(v), "abcabcab")
    assert e.nats_per_token == pytest.approx(math.log(8))
    assert e.bits_per_token == pytest.approx(3.0)
    assert e.perplexity == pytest.approx(8.0) and e.n_tokens == 8


def test_generic_log_probs_equals_next_log_probs():
    v = char_vocab("abc")
    m = CountsSoFar(v)
    text = "abacabbcacba" * 30
    ids = v.encode(text)
    lp = m.log_probs(ids)
    ref = [m.next_log_probs([ids[:t]])[0, ids[t]] for t in range(len(ids))]
    np.testing.assert_allclose(lp, ref)


def test_contexts_in_every_form():
    v = char_vocab("abc")
    m = CountsSoFar(v)
    a = m.next_log_probs(["ab", "c"])
    b = m.next_log_probs([[0, 1], [2]])
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(m.next_log_probs(np.array([[0, 1]])), a[:1])
    np.testing.assert_allclose(np.exp(a).sum(axis=1), 1.0)


def test_bad_input():
    v = char_vocab("abc")
    m = Uniform(v)
    with pytest.raises(ValueError, match="symbol 'x'"):
        m.next_log_probs(["ax"])
    with pytest.raises(TypeError, match="wrap a single context in a list"):
        m.next_log_probs("ab")
    with pytest.raises(ValueError, match="at least one context"):
        m.next_log_probs([])
    with pytest.raises(ValueError, match="outside this vocabulary"):
        m.next_log_probs([[0, 7]])
    with pytest.raises(ValueError, match="at least one token"):
        lm.evaluate(m, "")
    with pytest.raises(TypeError, match="LanguageModel"):
        lm.evaluate(object(), "abc")


class LastTwo(lm.LanguageModel):
    """A fixed-window model with the start-of-text convention: it sees [start] + context
    when the context does not fill its window of 2, and records what it was given."""

    context_size = 2

    def __init__(self, vocab):
        self.vocab = vocab
        self.seen = []
        V = len(vocab)
        rng = np.random.default_rng(0)
        # a table over (previous-but-one, previous) inputs, each in 0..V (V = start)
        self.table = np.log(rng.dirichlet(np.ones(V), size=(V + 1, V + 1)))

    def _next_log_probs(self, contexts):
        self.seen.extend(len(c) for c in contexts)
        start = lm.start_id(self.vocab)
        ids, _ = lm.pad_left(lm.prepend_start(contexts, start, self.context_size), 2, start)
        return self.table[ids[:, 0], ids[:, 1]]


class FastLastTwo(LastTwo):
    """The same model with a whole-text log_probs path."""

    def log_probs(self, text):
        ids = lm.as_ids(self.vocab, text)
        s = lm.start_id(self.vocab)
        prev2 = np.concatenate([[s, s], ids])[: len(ids)]
        prev1 = np.concatenate([[s], ids])[: len(ids)]
        return self.table[prev2, prev1, ids]


class WrongFastLastTwo(FastLastTwo):
    """A plausible mistake: the second token is scored with a real symbol, not the start
    id, as its previous-but-one input."""

    def log_probs(self, text):
        out = super().log_probs(text)
        ids = lm.as_ids(self.vocab, text)
        if len(ids) > 1:
            out[1] = self.table[lm.start_id(self.vocab) - 1, ids[0], ids[1]]
        return out


def test_crop_keeps_the_last_context_size_ids():
    x = np.arange(5)
    np.testing.assert_array_equal(lm.crop(x, 3), [2, 3, 4])
    np.testing.assert_array_equal(lm.crop(x, 9), x)
    assert lm.crop(x, None) is x and len(lm.crop(x, 0)) == 0
    with pytest.raises(ValueError, match="context_size must be None or an integer >= 0"):
        lm.crop(x, -1)


def test_start_and_padding_conventions():
    v = char_vocab("abc")
    assert lm.start_id(v) == 3
    got = lm.prepend_start([np.array([0]), np.array([1, 2]), np.zeros(0, np.int64)], 3, 2)
    assert [g.tolist() for g in got] == [[3, 0], [1, 2], [3]]
    assert [g.tolist() for g in lm.prepend_start([np.array([1, 2])], 3, None)] == [[3, 1, 2]]
    ids, mask = lm.pad_left([np.array([1, 2]), np.array([0])], 3, 9)
    assert ids.tolist() == [[9, 1, 2], [9, 9, 0]] and mask.tolist() == [[False, True, True], [False, False, True]]
    ids, mask = lm.pad_right([np.array([1, 2]), np.array([0])], 3, 9)
    assert ids.tolist() == [[1, 2, 9], [0, 9, 9]] and mask.tolist() == [[True, True, False], [True, False, False]]
    assert ids.dtype == np.int64 and mask.dtype == bool
    with pytest.raises(ValueError, match=r"contexts\[0\] has 4 ids, more than length=3; crop it first"):
        lm.pad_left([np.arange(4)], 3, 0)
    with pytest.raises(ValueError, match="length must be an integer >= 0"):
        lm.pad_right([np.arange(4)], -1, 0)
    with pytest.raises(TypeError, match=r"contexts\[0\] must be a 1-D array of integer ids"):
        lm.pad_left([np.ones(2)], 3, 0)
    with pytest.raises(TypeError, match="vocab must be a lmlab.vocab.Vocab"):
        lm.start_id("abc")


def test_next_log_probs_crops_every_context():
    v = char_vocab("abc")
    m = LastTwo(v)
    a = m.next_log_probs(["abcab", "b", ""])
    assert m.seen == [2, 1, 0]
    np.testing.assert_array_equal(a[0], m.table[v.index["a"], v.index["b"]])
    np.testing.assert_array_equal(a[1], m.table[3, v.index["b"]])
    np.testing.assert_array_equal(a[2], m.table[3, 3])


def test_a_fast_log_probs_override_is_checked_against_per_position_scoring():
    v = char_vocab("abc")
    text = "abacabbcacba" * 5
    diff = lm.assert_log_probs_match(FastLastTwo(v), text, atol=0)
    assert diff == 0.0
    # the reference goes through _next_log_probs, whatever log_probs does
    np.testing.assert_array_equal(lm.per_position_log_probs(FastLastTwo(v), text), LastTwo(v).log_probs(text))
    with pytest.raises(AssertionError, match=r"differs from per-position scoring at 1 of 60 positions; first at t = 1"):
        lm.assert_log_probs_match(WrongFastLastTwo(v), text)


def test_a_model_returning_the_wrong_shape_is_named():
    class Broken(Uniform):
        def _next_log_probs(self, contexts):
            return np.zeros((len(contexts), 2))
    with pytest.raises(RuntimeError, match=r"Broken._next_log_probs returned shape \(1, 2\), expected \(B, V\) = \(1, 3\)"):
        Broken(char_vocab("abc")).next_log_probs(["a"])
