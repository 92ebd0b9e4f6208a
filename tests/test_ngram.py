"""n-gram counting and smoothing, checked against a direct dictionary implementation."""
from collections import Counter

import numpy as np
import pytest

from lmlab import corpus, lm, ngram, sampling, vocab


# ----- a slow, obviously-correct reference -------------------------------------------
def _discounts(values):
    n = [sum(1 for v in values if v == j) for j in (1, 2, 3, 4)]
    y = n[0] / (n[0] + 2 * n[1]) if n[0] + 2 * n[1] else 0.0
    fallback = y or 0.5                      # the documented guard for tiny texts
    out = []
    for j in (1, 2, 3):
        d = j - (j + 1) * y * n[j] / n[j - 1] if n[j - 1] else fallback
        out.append(d if 0 < d <= j else fallback)
    return out


class ReferenceKN:
    """Interpolated Kneser-Ney with modified discounts, written from Chen & Goodman (1999)."""

    def __init__(self, train, V, order):
        self.V, self.n = V, order
        self.raw = {k: Counter(tuple(train[i:i + k]) for i in range(len(train) - k + 1))
                    for k in range(1, order + 1)}
        self.cont = {k: Counter(g[1:] for g in self.raw[k + 1]) for k in range(1, order)}
        self.D = {("raw", k): _discounts(list(self.raw[k].values())) for k in self.raw}
        self.D.update({("cont", k): _discounts(list(self.cont[k].values())) for k in self.cont})

    def p(self, w, h, top=True):
        k = len(h) + 1
        lower = 1.0 / self.V if k == 1 else self.p(w, h[1:], top=False)
        kind = "raw" if top else "cont"
        table = self.raw[k] if top else self.cont[k]
        children = {g[-1]: c for g, c in table.items() if g[:-1] == h}
        total = sum(children.values())
        if total == 0:
            return lower
        D = self.D[(kind, k)]
        disc = lambda c: 0.0 if c == 0 else D[min(c, 3) - 1]          # noqa: E731
        gamma = sum(disc(c) for c in children.values()) / total
        c = children.get(w, 0)
        return (c - disc(c)) / total + gamma * lower

    def log_probs(self, ids):
        return np.array([np.log(self.p(int(ids[t]), tuple(int(x) for x in ids[max(0, t - self.n + 1):t])))
                         for t in range(len(ids))])


def _toy(seed=0, n_train=3000, n_val=300, V=5):
    rng = np.random.default_rng(seed)
    # a sticky Markov chain so that counts of every size occur
    T = rng.dirichlet(np.full(V, 0.3), size=V)
    x = [0]
    for _ in range(n_train + n_val - 1):
        x.append(rng.choice(V, p=T[x[-1]]))
    x = np.array(x)
    return x[:n_train], x[n_train:], V


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_kneser_ney_matches_reference(order):
    train, val, V = _toy(order)
    ref = ReferenceKN(train.tolist(), V, order)
    counts = ngram.NGramCounts(train, V, 4)
    ours = counts.kn_log_probs_by_order(val)[order - 1]
    np.testing.assert_allclose(ours, ref.log_probs(val), rtol=0, atol=1e-12)
    assert np.isfinite(ours).all()


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("k", [0.01, 1.0])
def test_add_k_matches_formula(order, k):
    train, val, V = _toy(7)
    raw = {m: Counter(tuple(train[i:i + m].tolist()) for i in range(len(train) - m + 1))
           for m in range(1, order + 1)}
    ctx = {m: Counter(tuple(train[i:i + m - 1].tolist()) for i in range(len(train) - m + 1))
           for m in range(1, order + 1)}
    ref = []
    for t in range(len(val)):
        h = tuple(val[max(0, t - order + 1):t].tolist())
        m = len(h) + 1
        ref.append(np.log((raw[m][h + (int(val[t]),)] + k) / (ctx[m][h] + k * V)))
    counts = ngram.NGramCounts(train, V, order)
    ours = ngram.NGramModel(vocab.Vocab(list("abcde")), counts, ngram.NGramConfig(order, "add-k", k)).log_probs(val)
    np.testing.assert_allclose(ours, ref, atol=1e-12)


def test_counts_match_counter():
    text = "the cat sat on the mat; the cat ate the rat."
    v = vocab.char_vocab(text)
    c = ngram.NGramCounts.from_text(v, text, 5)
    ids = v.encode(text).tolist()
    for k in range(1, 6):
        grams, counts = c.grams(k)
        got = {tuple(g): int(n) for g, n in zip(grams.tolist(), counts)}
        assert got == dict(Counter(tuple(ids[i:i + k]) for i in range(len(ids) - k + 1)))
    m = c.matrix()
    assert m[v.index["t"], v.index["h"]] == text.count("th") and m.sum() == len(text) - 1
    assert c.unigram().sum() == len(text)


def test_distributions_are_normalised_and_consistent(book_chars, rng):
    v, train, val, counts = book_chars
    for order in (1, 2, 5, 8):
        for smoothing in ngram.SMOOTHINGS:
            m = ngram.NGramModel(v, counts, ngram.NGramConfig(order, smoothing, 0.5))
            starts = rng.integers(0, len(val) - 20, size=5)
            contexts = [val[s:s + order - 1 + (i % 2)] for i, s in enumerate(starts)]
            contexts.append(v.encode("Zqx"))                      # an unseen context
            contexts.append(np.zeros(0, dtype=np.int64))           # the empty context
            p = np.exp(m.next_log_probs(contexts))
            np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)
            # the whole-text route equals the next-token route, position by position
            lm.assert_log_probs_match(m, val[1000:1060], atol=1e-12)


def test_book_split_kneser_ney_falls_and_beats_add_one(book_chars):
    """The measured targets of chapter 2 on the book's fixed split."""
    v, train, val, counts = book_chars
    kn = -counts.kn_log_probs_by_order(val).mean(axis=1)
    add1 = np.array([lm.evaluate(ngram.NGramModel(v, counts, ngram.NGramConfig(n, "add-k", 1.0)), val).nats_per_token
                     for n in range(1, 9)])
    assert np.all(np.diff(kn[:5]) < 0), kn                      # falls from n = 1 to n = 5
    assert np.all(kn[2:] < add1[2:]), (kn, add1)                # beats add-one for n >= 3
    assert kn[4] < np.log(len(v)) / 2
    assert add1[7] > add1[3]                                     # add-one turns up again


def test_other_text_kneser_ney_beats_add_one():
    """The same holds on a text the book never tunes on: comedies to train, a tragedy held out."""
    train_text = corpus.load_plays(["as-you-like-it", "twelfth-night", "much-ado-about-nothing"])
    val_text = corpus.load_play("macbeth")
    v = vocab.char_vocab(train_text + val_text)
    counts = ngram.NGramCounts.from_text(v, train_text, 6)
    val = v.encode(val_text)
    kn = -counts.kn_log_probs_by_order(val).mean(axis=1)
    for n in range(3, 7):
        add1 = lm.evaluate(ngram.NGramModel(v, counts, ngram.NGramConfig(n, "add-k", 1.0)), val)
        assert kn[n - 1] < add1.nats_per_token
    assert np.all(np.diff(kn[:4]) < 0)


def test_unseen_fraction_grows_with_order(book_chars):
    v, train, val, counts = book_chars
    f = [counts.unseen_fraction(val, n) for n in range(1, 9)]
    assert f[0] == 0.0 and np.all(np.diff(f) > 0)
    assert counts.unseen_fraction(train[:5000], 8) == 0.0


def test_word_models_and_unknown_words():
    train = corpus.words(corpus.load_play("hamlet"))
    v = vocab.word_vocab(train, min_count=2)
    m = ngram.fit(v, train, order=3, max_order=4)
    e = lm.evaluate(m, "to be or not to be , that is the flibbertigibbet")
    assert np.isfinite(e.nats_per_token)
    text = sampling.generate(m, "to be or not", 20, seed=0)
    assert len(text.split()) >= 15


def test_bad_input(book_chars):
    v, *_ = book_chars
    for bad in (0, -2):
        with pytest.raises(ValueError, match="order must be an integer >= 1"):
            ngram.NGramConfig(order=bad)
    with pytest.raises(TypeError, match="order must be an integer >= 1"):
        ngram.NGramConfig(order=2.5)
    with pytest.raises(ValueError, match="smoothing must be one of"):
        ngram.NGramConfig(smoothing="witten-bell")
    with pytest.raises(ValueError, match="k must be a finite number >= 0"):
        ngram.NGramConfig(smoothing="add-k", k=-1)
    with pytest.raises(ValueError, match="training text is empty"):
        ngram.fit(v, "", order=3)
    with pytest.raises(ValueError, match="max_order 5 is too high for a vocabulary of 50000 symbols: .* at most 3"):
        ngram.NGramCounts(np.zeros(10, dtype=int), 50000, 5)
    m = ngram.fit(vocab.char_vocab("abc"), "abcabc", order=2)
    with pytest.raises(ValueError, match="symbol 'd'"):
        m.next_log_probs(["abd"])
    with pytest.raises(ValueError, match="exceeds the counts' max_order"):
        ngram.NGramModel(m.vocab, m.counts, ngram.NGramConfig(3))


def test_count_accessors():
    text = "abracadabra"
    v = vocab.char_vocab(text)
    c = ngram.NGramCounts.from_text(v, text, 3)
    enc = lambda s: v.encode(s)   # noqa: E731
    assert c.count_of(enc("a")) == 5 and c.count_of(enc("abr")) == 2 and c.count_of(enc("zz"[:0] + "ca")) == 1
    assert c.count_of(enc("aa")) == 0
    assert c.continuation_count(enc("a")) == 3          # after r, c, d
    assert c.continuation_count(enc("br")) == 1
    assert c.distinct(1) == 5 and c.distinct(3) == len({text[i:i + 3] for i in range(9)})
    with pytest.raises(ValueError, match="shorter than max_order=3"):
        c.continuation_count(enc("abr"))
    with pytest.raises(ValueError, match="at most max_order=3"):
        c.count_of(enc("abra"))


def test_fit_takes_vocab_text_config():
    v = vocab.char_vocab("abcab")
    a = ngram.fit(v, "abcabcab", ngram.NGramConfig(2, "add-k", 0.5), max_order=3)
    b = ngram.fit(v, "abcabcab", order=2, smoothing="add-k", k=0.5)
    assert a.config == b.config and a.counts.max_order == 3 and b.counts.max_order == 2
    np.testing.assert_array_equal(a.log_probs("cab"), b.log_probs("cab"))
    with pytest.warns(DeprecationWarning, match=r"fit\(vocab, text, ...\)"):
        c = ngram.fit("abcabcab", v, order=2, smoothing="add-k", k=0.5)
    np.testing.assert_array_equal(c.log_probs("cab"), b.log_probs("cab"))
    with pytest.raises(TypeError, match="either config or the fields"):
        ngram.fit(v, "abc", ngram.NGramConfig(2), order=3)
    with pytest.raises(TypeError, match="vocab must be a lmlab.vocab.Vocab"):
        ngram.fit("abc", "abc")


def test_both_routes_share_one_step_and_match_the_reference():
    """The next-token route gives the dictionary reference's probabilities for every
    token after a context, at every order (the whole-text route is compared above)."""
    from lmlab.ngram import smoothing
    train, val, V = _toy(3)
    counts = ngram.NGramCounts(train, V, 4)
    for order in (1, 2, 3, 4):
        ref = ReferenceKN(train.tolist(), V, order)
        for t in (0, 1, 5, 50):
            h = val[max(0, t - order + 1):t]
            p = smoothing.kneser_ney_next_probs(counts, val[:t], order)
            want = [ref.p(w, tuple(int(x) for x in h)) for w in range(V)]
            np.testing.assert_allclose(p, want, rtol=0, atol=1e-13)
    # the step itself: an unseen context hands over the lower order unchanged
    low = np.array([0.2, 0.8])
    np.testing.assert_array_equal(smoothing.kneser_ney_step(np.array([0, 0]), np.zeros(4), np.ones(3) * 0.5, low), low)
    np.testing.assert_allclose(smoothing.add_k_step(np.array([3, 1]), 4, 1.0, 2), [4 / 6, 2 / 6])
    np.testing.assert_allclose(smoothing.add_k_step(np.array([0, 0]), 0, 0.0, 2), [0.5, 0.5])


def test_smoothing_bad_input():
    from lmlab.ngram import smoothing
    counts = ngram.NGramCounts(np.array([0, 1, 2, 1, 0]), 3, 3)
    with pytest.raises(ValueError, match=r"context must lie in 0..2, got values from 0 to 7"):
        smoothing.kneser_ney_next_probs(counts, [0, 7], 3)
    with pytest.raises(TypeError, match="ids must be a 1-D array of integer token ids"):
        smoothing.kneser_ney_log_probs_by_order(counts, [[0, 1]])
    with pytest.raises(ValueError, match="k must be a finite number >= 0"):
        smoothing.add_k_log_probs(counts, [0, 1], 2, -1.0)
    with pytest.raises(ValueError, match="order must be at most max_order=3"):
        smoothing.add_k_next_probs(counts, [0], 4, 1.0)
    with pytest.raises(TypeError, match="counts must be a lmlab.ngram.NGramCounts"):
        smoothing.kneser_ney_next_probs("counts", [0], 2)
    with pytest.raises(ValueError, match="kind must be 'raw' or 'cont'"):
        counts.next_counts([0], "both")
    with pytest.raises(ValueError, match=r"gram must lie in 0..2"):
        counts.count_of([3])
