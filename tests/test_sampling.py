import math

import numpy as np
import pytest
import torch

from lmlab import sampling
from lmlab.lm import LanguageModel
from lmlab.vocab import Vocab


class MarkovModel(LanguageModel):
    """A first-order Markov chain given by a fixed log-probability table."""

    context_size = 1

    def __init__(self, table, vocab):
        self.vocab, self.table = vocab, np.log(table)

    def _next_log_probs(self, contexts):
        return np.stack([self.table[c[-1]] if len(c) else self.table[0] for c in contexts])


def test_softmax_matches_torch(rng):
    z = rng.normal(size=(5, 30)) * 3
    for t in (0.3, 1.0, 2.5):
        ref = torch.softmax(torch.tensor(z) / t, dim=-1).numpy()
        np.testing.assert_allclose(sampling.softmax(z, t), ref, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(sampling.log_softmax(z, t),
                                   torch.log_softmax(torch.tensor(z) / t, dim=-1).numpy(), atol=1e-12)


def test_softmax_stable_for_huge_logits():
    z = np.array([1e4, -1e4, 1e4 - 1.0, 0.0])
    p = sampling.softmax(z, 1.0)
    assert np.isfinite(p).all() and abs(p.sum() - 1) < 1e-12
    np.testing.assert_allclose(p[:3], [1 / (1 + math.e ** -1), 0.0, math.e ** -1 / (1 + math.e ** -1)])
    p = sampling.softmax(-z, 0.01)
    assert np.isfinite(p).all() and p[1] == 1.0


def test_temperature_limits_are_greedy_and_uniform(rng):
    z = rng.normal(size=50)
    cold = sampling.softmax(z, 1e-3)
    assert cold.argmax() == z.argmax() and cold.max() > 1 - 1e-9
    hot = sampling.softmax(z, 1e6)
    np.testing.assert_allclose(hot, 1 / 50, rtol=1e-4)


def test_entropy_rises_with_temperature(rng):
    z = rng.normal(size=40)
    temps = np.geomspace(0.05, 50, 30)
    h = sampling.temperature_entropy(z, temps)
    assert np.all(np.diff(h) > 0)
    assert h[0] < 0.1 and abs(h[-1] - math.log(40)) < 1e-3
    assert sampling.entropy(np.full(8, 1 / 8), base=2) == pytest.approx(3.0)
    assert sampling.entropy([1.0, 0.0]) == 0.0


def test_top_k_keeps_exactly_k():
    z = np.array([0.5, 3.0, 1.0, 3.0, -2.0])
    f = sampling.top_k_filter(z, 2)
    assert np.isfinite(f).sum() == 2 and set(np.flatnonzero(np.isfinite(f))) == {1, 3}
    p = sampling.softmax(f)
    np.testing.assert_allclose(p[[1, 3]], [0.5, 0.5])
    np.testing.assert_array_equal(sampling.top_k_filter(z, 5), z)


def test_sample_frequencies_follow_probabilities():
    z = np.log(np.array([0.5, 0.3, 0.15, 0.05]))
    draws = sampling.sample(np.tile(z, (40000, 1)), seed=7)
    freq = np.bincount(draws, minlength=4) / len(draws)
    np.testing.assert_allclose(freq, [0.5, 0.3, 0.15, 0.05], atol=0.01)
    assert sampling.sample(z, greedy=True) == 0
    assert set(np.unique(sampling.sample(np.tile(z, (2000, 1)), top_k=2, seed=1))) == {0, 1}


@pytest.mark.parametrize("t", [0, -1.0, float("nan"), float("inf")])
def test_bad_temperature(t):
    with pytest.raises(ValueError, match="temperature must be a finite number > 0"):
        sampling.softmax([1.0, 2.0], t)


def test_bad_logits_and_k():
    with pytest.raises(ValueError, match="logits contains NaN at index"):
        sampling.softmax([1.0, float("nan")])
    with pytest.raises(ValueError, match=r"\+inf"):
        sampling.softmax([1.0, float("inf")])
    with pytest.raises(ValueError, match="every entry is -inf"):
        sampling.softmax([-np.inf, -np.inf])
    with pytest.raises(TypeError, match="temperature must be a finite number > 0"):
        sampling.softmax([1.0], "hot")
    for k in (0, -3, 4):
        with pytest.raises(ValueError, match="top_k must lie between 1 and the vocabulary size 3"):
            sampling.top_k_filter([1.0, 2.0, 3.0], k)
    with pytest.raises(TypeError, match="top_k must be an integer"):
        sampling.top_k_filter([1.0, 2.0], 1.5)


def _chain():
    v = Vocab(list("abc"))
    table = np.array([[0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.8, 0.1, 0.1]])
    return MarkovModel(table, v)


def test_generate_any_model_reproducible_and_greedy():
    m = _chain()
    a = sampling.generate(m, "a", 50, seed=3)
    assert a == sampling.generate(m, "a", 50, seed=3) and len(a) == 50
    assert a != sampling.generate(m, "a", 50, seed=4)
    assert sampling.generate(m, "a", 6, greedy=True) == "bcabca"
    # the empirical transition frequencies approach the table
    text = "a" + sampling.generate(m, "a", 20000, seed=0)
    ids = m.vocab.encode(text)
    follow_a = np.bincount(ids[1:][ids[:-1] == 0], minlength=3)
    np.testing.assert_allclose(follow_a / follow_a.sum(), [0.1, 0.8, 0.1], atol=0.02)


def test_generate_matches_sample_step_by_step():
    """generate draws each token exactly as sample() does with the same generator."""
    m = _chain()
    out = sampling.generate(m, "a", 30, temperature=0.7, seed=11)
    rng = np.random.default_rng(11)
    ids = [0]
    for _ in range(30):
        ids.append(sampling.sample(m.next_log_probs([ids[-1:]])[0], 0.7, seed=rng))
    assert out == m.vocab.decode(ids[1:])


def test_generate_bad_input():
    m = _chain()
    with pytest.raises(ValueError, match="temperature"):
        sampling.generate(m, "a", 5, temperature=0)
    with pytest.raises(ValueError, match="top_k must lie between 1 and the vocabulary size 3"):
        sampling.generate(m, "a", 5, top_k=9)
    with pytest.raises(ValueError, match="symbol 'z'"):
        sampling.generate(m, "az", 5)
    with pytest.raises(ValueError, match="length must be an integer >= 0"):
        sampling.generate(m, "a", -1)
    with pytest.raises(TypeError, match="LanguageModel"):
        sampling.generate("model", "a", 5)


def test_repeated_ngram_share():
    assert sampling.repeated_ngram_share([1, 2, 3, 4] * 3, 4) == pytest.approx(5 / 9)
    assert sampling.repeated_ngram_share("abcdefg", 2) == 0.0
    assert sampling.repeated_ngram_share(np.zeros(10, dtype=int), 3) == pytest.approx(7 / 8)
    with pytest.raises(ValueError, match="at least n = 4 tokens"):
        sampling.repeated_ngram_share([1, 2], 4)
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        sampling.repeated_ngram_share([1, 2], 0)


class Spy(MarkovModel):
    """Records every call of the public interface; _next_log_probs must only be reached
    through it."""

    def __init__(self, table, vocab):
        super().__init__(table, vocab)
        self.public_calls = 0
        self.inside = False

    def next_log_probs(self, contexts):
        self.public_calls += 1
        self.inside = True
        try:
            return super().next_log_probs(contexts)
        finally:
            self.inside = False

    def _next_log_probs(self, contexts):
        assert self.inside, "generate called _next_log_probs directly"
        assert all(len(c) <= self.context_size for c in contexts)
        return super()._next_log_probs(contexts)


def test_generate_uses_the_public_interface_and_returns_ids():
    m = _chain()
    spy = Spy(np.exp(m.table), m.vocab)
    ids = sampling.generate(spy, "abcab", 40, seed=5, return_ids=True)
    assert spy.public_calls == 40
    assert isinstance(ids, np.ndarray) and ids.dtype == np.int64 and ids.shape == (40,)
    assert m.vocab.decode(ids) == sampling.generate(m, "abcab", 40, seed=5)
    stopped = sampling.generate(m, "a", 100, seed=0, stop="c", return_ids=True)
    assert stopped[-1] == m.vocab.index["c"] and (stopped[:-1] != m.vocab.index["c"]).all()
    assert sampling.generate(m, "a", 0, return_ids=True).shape == (0,)
