"""Quantizing weights to a few bits."""
import numpy as np
import pytest
import torch

from lmlab import quantize


def test_levels_and_error_bound():
    rng = np.random.default_rng(0)
    w = rng.normal(size=1000)
    for b in (2, 3, 4, 6, 8):
        q = quantize.quantize_array(w, b, scale="max")
        assert len(np.unique(q)) <= quantize.levels(b) == 2 ** b - 1
        step = np.abs(w).max() / (2 ** (b - 1) - 1)
        assert np.abs(q - w).max() <= step / 2 + 1e-12
        assert np.isclose(np.abs(q).max(), np.abs(w).max())     # largest weight kept
    q1 = quantize.quantize_array(w, 1)
    assert set(np.unique(np.abs(q1))) == {np.mean(np.abs(w))}


def test_mse_scale_never_worse_than_max_scale():
    w = np.random.default_rng(1).standard_t(3, size=500)          # heavy tails
    for b in (2, 3, 4, 8):
        err = lambda s: np.sum((quantize.quantize_array(w, b, s) - w) ** 2)  # noqa: E731
        assert err("mse") <= err("max") + 1e-12
    assert np.sum((quantize.quantize_array(w, 2) - w) ** 2) < 0.9 * np.sum(
        (quantize.quantize_array(w, 2, "max") - w) ** 2)


def test_more_bits_smaller_error():
    w = np.random.default_rng(2).normal(size=300)
    errs = [np.abs(quantize.quantize_array(w, b) - w).mean() for b in (2, 4, 6, 8, 12)]
    assert all(a > b for a, b in zip(errs, errs[1:]))


def test_quantize_model_copies_and_rounds():
    model = torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    before = [p.detach().clone() for p in model.parameters()]
    q = quantize.quantize_model(model, 2)
    for p, b in zip(model.parameters(), before):
        assert torch.equal(p, b)                                  # original untouched
    for p in q.parameters():
        assert len(torch.unique(p)) <= 3


def test_digit_classifier_8_bits_within_one_point():
    from lmlab.digits import DigitConfig, train_digit_classifier
    clf = train_digit_classifier(DigitConfig(), seed=0)
    r = quantize.accuracy_vs_bits(clf.model, clf.accuracy, (8, 2))
    assert abs(r.change_pp(8)) <= 1.0
    assert r.accuracy[1] < r.full_accuracy                     # 2 bits costs accuracy


def test_bad_bits_names_the_argument():
    for bits in (0, -3):
        with pytest.raises(ValueError, match="bits"):
            quantize.quantize_array(np.ones(3), bits)
    with pytest.raises(TypeError, match="bits"):
        quantize.quantize_array(np.ones(3), 2.5)
    with pytest.raises(ValueError, match="scale"):
        quantize.quantize_array(np.ones(3), 4, scale="median")
    with pytest.raises(TypeError, match="model"):
        quantize.quantize_model(np.ones(3), 4)
