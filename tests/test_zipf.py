import numpy as np
import pytest

from lmlab import corpus, zipf


def test_rank_frequency_orders_and_breaks_ties():
    rf = zipf.rank_frequency("b a c a b a d".split())
    assert rf.words == ("a", "b", "c", "d")
    assert rf.counts.tolist() == [3, 2, 1, 1] and rf.ranks.tolist() == [1, 2, 3, 4]
    assert rf.freqs.sum() == pytest.approx(1.0)


def test_fit_recovers_a_planted_exponent():
    ranks = np.arange(1, 2001)
    counts = np.round(1e6 / ranks ** 1.3).astype(int)
    rf = zipf.RankFrequency(tuple(f"w{i}" for i in ranks), counts)
    fit = zipf.fit_zipf(rf, 1, 500)
    assert fit.exponent == pytest.approx(1.3, abs=0.01)
    np.testing.assert_allclose(fit.predict([1, 10]), rf.freqs[[0, 9]], rtol=0.05)


def test_shakespeare_is_close_to_zipf(book_corpus):
    rf = zipf.rank_frequency(corpus.words(book_corpus.train, punctuation=False))
    assert 0.85 < zipf.fit_zipf(rf, 1, 1000).exponent < 1.15


def test_bad_input():
    with pytest.raises(TypeError, match="not a str"):
        zipf.rank_frequency("to be or not")
    with pytest.raises(ValueError, match="must not be empty"):
        zipf.rank_frequency([])
    rf = zipf.rank_frequency(list("aab"))
    with pytest.raises(ValueError, match=r"1 <= r_min < r_max <= 2"):
        zipf.fit_zipf(rf, 1, 5)
