import numpy as np
import pytest
import torch

from lmlab import corpus, lm, ngram, vocab
from lmlab.neural_bigram import (BigramTrainConfig, NeuralBigram, add_k_table, compare_tables,
                                 pair_counts, row_gradient, table_loss, train_bigram)


def test_reaches_count_based_optimum_on_book_split(book_corpus, book_chars):
    """Measured target: within 0.005 nats of the add-one bigram's held-out cross-entropy."""
    v, train, val, counts = book_chars
    model, history = train_bigram(v, train, BigramTrainConfig(steps=300))
    ref = lm.evaluate(ngram.NGramModel(v, counts, ngram.NGramConfig(2, "add-k", 1.0)), val)
    assert abs(lm.evaluate(model, val).nats_per_token - ref.nats_per_token) < 0.005
    assert history[0] == pytest.approx(np.log(len(v)), abs=1e-9)   # starts uniform
    assert history[-1] < history[10] < history[0]


def test_converges_to_add_k_table_on_another_text():
    text = corpus.load_play("the-tempest")
    v = vocab.char_vocab(text)
    model, _ = train_bigram(v, text, BigramTrainConfig(steps=1500, lr=0.3, k=0.5))
    C = pair_counts(v, text) + 0.5
    np.testing.assert_allclose(np.exp(model.table), C / C.sum(axis=1, keepdims=True), atol=2e-3)


def test_gradient_matches_finite_differences():
    """The loss's gradient (autograd) equals (softmax(W) * row total - target) / total."""
    v = vocab.char_vocab("abcab ca")
    C = torch.tensor(pair_counts(v, "abcab cabba c") + 1.0, dtype=torch.float64)
    W = torch.randn(C.shape, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    V = C.shape[1]

    def pair_loss(W):
        return table_loss(W, C)[1]                 # the package's loss, 2-gram rows

    assert torch.autograd.gradcheck(pair_loss, (W.clone().requires_grad_(),))
    Wr = W.clone().requires_grad_()
    pair_loss(Wr).backward()
    analytic = row_gradient(W.numpy()[:V], C.numpy()[:V]) / float(C[:V].sum())
    np.testing.assert_allclose(Wr.grad.numpy()[:V], analytic, rtol=1e-10, atol=1e-14)
    np.testing.assert_array_equal(Wr.grad.numpy()[V], 0.0)   # the first-token row is not in it
    with pytest.raises(ValueError, match=r"shape \(V \+ 1, V\)"):
        table_loss(W[:V], C[:V])
    # one observed pair: softmax minus one-hot
    onehot = np.zeros((1, 4)); onehot[0, 2] = 1.0
    z = np.array([[0.5, -1.0, 2.0, 0.0]])
    np.testing.assert_allclose(row_gradient(z, onehot), np.exp(z) / np.exp(z).sum() - onehot)


def test_follows_the_interface():
    v = vocab.char_vocab("abc")
    m = NeuralBigram(v, np.zeros((4, 3)))
    np.testing.assert_allclose(m.log_probs("abca"), np.log(1 / 3))
    assert m.next_log_probs(["ab", ""]).shape == (2, 3)


def test_bad_input():
    v = vocab.char_vocab("abc")
    with pytest.raises(ValueError, match=r"logits must have shape \(V \+ 1, V\) = \(4, 3\)"):
        NeuralBigram(v, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="steps must be an integer >= 0"):
        BigramTrainConfig(steps=-1)
    with pytest.raises(ValueError, match="lr must be a finite number >= 0"):
        BigramTrainConfig(lr=float("nan"))
    with pytest.raises(ValueError, match="training text is empty"):
        train_bigram(v, "", BigramTrainConfig(steps=1))


def test_callback_sees_every_state_and_history_is_loss_before_each_update():
    text = "abracadabra, said the cat to the bat"
    v = vocab.char_vocab(text)
    seen = {}
    model, history = train_bigram(v, text, BigramTrainConfig(steps=20, lr=0.2),
                                  lambda i, m: seen.__setitem__(i, m.table.copy()))
    assert sorted(seen) == list(range(21))
    np.testing.assert_array_equal(seen[20], model.table)
    C = torch.tensor(pair_counts(v, text) + 1.0)
    for i in (0, 7, 19):
        _, loss = table_loss(torch.tensor(seen[i]), C)          # log-probabilities are logits too
        assert float(loss) == pytest.approx(history[i], rel=1e-12)


def test_cosine_schedule_and_convergence_of_every_cell():
    """Adam with a cosine decay reaches the add-k table in every cell, rare ones included."""
    cfg = BigramTrainConfig(steps=3000, lr=0.5, min_lr=0.0, k=0.5)
    assert cfg.lr_at(0) == 0.5 and cfg.lr_at(2999) == pytest.approx(0.0, abs=1e-15)
    assert cfg.lr_at(1500) == pytest.approx(0.25, abs=1e-3)
    assert BigramTrainConfig(steps=10).lr_at(9) == 0.5           # constant without min_lr
    text = corpus.load_play("the-tempest")
    v = vocab.char_vocab(text)
    model, _ = train_bigram(v, text, cfg)
    cmp = compare_tables(model.table, add_k_table(v, text, 0.5))
    assert cmp.max_abs < 1e-3 and cmp.share_off == 0.0
    # a constant learning rate for the same number of steps stays further away
    const, _ = train_bigram(v, text, BigramTrainConfig(steps=300, lr=0.5, k=0.5))
    assert compare_tables(const.table, add_k_table(v, text, 0.5)).max_abs > 10 * cmp.max_abs


def test_add_k_table_is_the_counted_model_and_label_smoothing():
    text = "abracadabra, said the cat to the bat"
    v = vocab.char_vocab(text)
    k = 0.3
    tab = add_k_table(v, text, k)
    counted = ngram.NGramModel(v, ngram.NGramCounts.from_text(v, text, 2), ngram.NGramConfig(2, "add-k", k))
    for a in ("a", "t", " "):
        np.testing.assert_allclose(tab[v.index[a]], counted.next_log_probs([a])[0], rtol=1e-12)
    # label smoothing with eps_a = kV / (C_a + kV) gives the same rows
    C = pair_counts(v, text)[:-1].astype(float)
    Ca, V = C.sum(1, keepdims=True), len(v)
    eps = k * V / (Ca + k * V)
    with np.errstate(invalid="ignore"):
        smoothed = (1 - eps) * np.where(Ca > 0, C / np.where(Ca > 0, Ca, 1), 0) + eps / V
    np.testing.assert_allclose(np.exp(tab[:-1]), smoothed, rtol=1e-12)


def test_compare_tables():
    ref = np.log(np.full((2, 4), 0.25))
    p = ref.copy()
    p[1, 2] += 0.5
    p[0, 0] -= 0.05
    cmp = compare_tables(p, ref)
    assert cmp.cell == (1, 2) and cmp.signed == pytest.approx(0.5) and cmp.max_abs == pytest.approx(0.5)
    assert cmp.share_off == pytest.approx(1 / 8)                 # exp(0.05) - 1 < 0.1
    assert str(cmp) == ("largest |ln p - ln p_ref| = 0.5 at cell (1, 2) (too high); mean 0.0688; "
                        "12.5% of the cells off by more than 10%")
    with pytest.raises(ValueError, match="one shape"):
        compare_tables(p, ref[:1])
    with pytest.raises(ValueError, match="finite"):
        compare_tables(np.log(np.zeros((2, 4))), ref)
    with pytest.raises(ValueError, match="min_lr must be None or a number"):
        BigramTrainConfig(lr=0.1, min_lr=0.2)


def test_pair_counts_from_counts_equals_from_text():
    text = corpus.load_play("the-tempest")
    v = vocab.char_vocab(text)
    counts = ngram.NGramCounts.from_text(v, text, 4)
    np.testing.assert_array_equal(pair_counts(v, counts), pair_counts(v, text))
    with pytest.raises(ValueError, match="max_order >= 2"):
        pair_counts(v, ngram.NGramCounts.from_text(v, text, 1))
    with pytest.raises(ValueError, match="symbols but vocab has"):
        pair_counts(vocab.char_vocab("ab"), counts)
