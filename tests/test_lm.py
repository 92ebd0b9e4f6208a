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
