import numpy as np
import pytest
import torch

from lmlab import corpus, lm, ngram, vocab
from lmlab.neural_bigram import BigramTrainConfig, NeuralBigram, pair_counts, train_bigram


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
    loss = lambda W: -(C * torch.log_softmax(W, dim=1)).sum() / C.sum()   # noqa: E731
    assert torch.autograd.gradcheck(loss, (W.clone().requires_grad_(),))
    Wr = W.clone().requires_grad_()
    loss(Wr).backward()
    analytic = (torch.softmax(W, 1) * C.sum(1, keepdim=True) - C) / C.sum()
    torch.testing.assert_close(Wr.grad, analytic)


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
    C = pair_counts(v, text)[:-1] + 1.0
    for i in (0, 7, 19):
        loss = -(C * seen[i][:-1]).sum() / C.sum()
        assert loss == pytest.approx(history[i], rel=1e-12)
