"""lmlab.digits: the data split, the classifier, the confusion matrix against scikit-learn,
the blur, input checks."""
import numpy as np
import pytest
import torch

from lmlab import digits

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def clf():
    return digits.train_digit_classifier(digits.DigitConfig(), seed=0)


def test_split_is_seeded_and_complete():
    a, b = digits.load_digit_data(0.25, seed=0), digits.load_digit_data(0.25, seed=0)
    np.testing.assert_array_equal(a.x_test, b.x_test)
    assert len(a.x_train) + len(a.x_test) == 1797 and len(a.x_test) == 449
    assert a.x_train.max() <= 1.0 and a.x_train.min() >= 0.0 and a.images_test.shape[1:] == (8, 8)
    rows = {r.tobytes() for r in a.x_train}
    assert sum(r.tobytes() in rows for r in a.x_test) < 5      # (a few images occur twice in the data)


def test_classifier_accuracy_and_probabilities(clf):
    assert clf.accuracy() > 0.93                       # measured 0.969 with the default config
    p = digits.predict_proba(clf.model, clf.data.x_test)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-6)
    assert digits.accuracy(clf.model, clf.data.x_test, clf.data.y_test) == clf.accuracy()
    np.testing.assert_array_equal(clf.predict(clf.data.images_test), p.argmax(axis=1))


def test_training_is_reproducible(clf):
    again = digits.train_digit_classifier(digits.DigitConfig(), seed=0)
    for p, q in zip(clf.model.parameters(), again.model.parameters()):
        assert torch.equal(p, q)


def test_confusion_matrix_equals_sklearn(clf):
    from sklearn.metrics import confusion_matrix as sk
    pred = clf.predict(clf.data.x_test)
    C = digits.confusion_matrix(clf.data.y_test, pred)
    np.testing.assert_array_equal(C, sk(clf.data.y_test, pred, labels=range(10)))
    assert np.trace(C) / C.sum() == pytest.approx(clf.accuracy())


def test_blur():
    img = np.zeros((8, 8))
    img[3:5, 3:5] = 1.0
    np.testing.assert_array_equal(digits.blur(img, 0), img)
    b = digits.blur(img, 0.8)
    assert b.sum() == pytest.approx(img.sum(), rel=0.02)    # ink is kept away from the edges
    np.testing.assert_allclose(b, b.T)                     # symmetric image stays symmetric
    np.testing.assert_allclose(b, b[::-1, ::-1])
    assert b.max() < 1.0 and (b > 0).sum() > 4
    edge = np.zeros((8, 8))
    edge[0, 0] = 1.0
    assert digits.blur(edge, 1.5).sum() < 0.5               # ink near the edge fades out
    imgs, probs = digits.blur_path(digits.train_digit_classifier(digits.DigitConfig(steps=50)).model,
                                   img, [0.0, 1.0])
    assert imgs.shape == (2, 8, 8) and probs.shape == (2, 10)


def test_bad_input(clf):
    with pytest.raises(ValueError, match="sigma"):
        digits.blur(np.zeros((8, 8)), -1.0)
    with pytest.raises(ValueError, match="image"):
        digits.blur(np.zeros((7, 8)), 1.0)
    with pytest.raises(ValueError, match="same length"):
        digits.accuracy(clf.model, clf.data.x_test[:5], clf.data.y_test[:4])
    with pytest.raises(ValueError, match="x must hold 8 x 8"):
        digits.predict_proba(clf.model, np.zeros((3, 10)))
    with pytest.raises(ValueError, match="lr"):
        digits.DigitConfig(lr=0.0)
    with pytest.raises(ValueError, match=r"hidden\[0\]"):
        digits.DigitConfig(hidden=(0,))
    with pytest.raises(ValueError, match="test_fraction"):
        digits.DigitConfig(test_fraction=1.0)
    with pytest.raises(ValueError, match="y_pred"):
        digits.confusion_matrix([0, 1], [0, 10])
