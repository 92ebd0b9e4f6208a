"""A small neural net that reads scikit-learn's 8 x 8 handwritten digits.

The data: 1,797 grey-scale images of the digits 0-9, 8 x 8 pixels with values 0..16
(scikit-learn's ``load_digits``, a copy of the UCI "optical recognition of handwritten
digits" test set, shipped with scikit-learn: no download).  Each image is a point in a
64-dimensional space, just as a point of the plane is a point in 2 dimensions; the
classifier is an :class:`lmlab.mlp.MLP` with 64 inputs and 10 outputs, trained by
:func:`lmlab.mlp.fit` (full batch, Adam, cross-entropy).

API (chapter 4 trains and inspects it; chapter 5 quantizes its weights)::

    clf = train_digit_classifier(DigitConfig(), seed=0)
    clf.model                     # the trained lmlab.mlp.MLP (a torch nn.Module)
    clf.data                      # DigitData: x_train, y_train, x_test, y_test, ...
    clf.accuracy()                # test accuracy of clf.model
    accuracy(model, x, y)         # the same for any model (e.g. a quantized copy)
    predict_proba(model, x)       # (N, 10) class probabilities
    confusion_matrix(y_true, y_pred)
    blur(image, sigma), blur_path(model, image, sigmas)
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from . import mlp as _mlp
from .checks import check_array, check_float, check_int

__all__ = ["DigitConfig", "DigitData", "DigitClassifier", "load_digit_data",
           "train_digit_classifier", "predict_proba", "accuracy", "confusion_matrix",
           "blur", "blur_path"]


@dataclass(frozen=True)
class DigitConfig:
    """The digit classifier: hidden layer widths, activation, and its training."""
    hidden: tuple[int, ...] = (32,)
    activation: str = "relu"
    steps: int = 300
    lr: float = 0.01
    weight_decay: float = 0.0
    test_fraction: float = 0.25

    def __post_init__(self):
        _mlp.MLPConfig(64, tuple(self.hidden), 10, self.activation)   # checks widths, activation
        object.__setattr__(self, "hidden", tuple(int(w) for w in self.hidden))
        _mlp.FitConfig(self.steps, self.lr, self.weight_decay)       # checks steps, lr
        check_float(self.test_fraction, "test_fraction", min=0.0, max=1.0, open_min=True)
        if self.test_fraction >= 1.0:
            raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {self.test_fraction}")


@dataclass(frozen=True)
class DigitData:
    """Images scaled to 0..1 and flattened (N, 64) float32; labels int64; a fixed split."""
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    @property
    def images_test(self) -> np.ndarray:
        """The test images as (N, 8, 8), values 0..1."""
        return self.x_test.reshape(-1, 8, 8)


def load_digit_data(test_fraction: float = 0.25, seed: int = 0) -> DigitData:
    """scikit-learn's digits, pixel values divided by 16, split at random (``seed``) into
    training and test images; the test share is ``test_fraction``."""
    from sklearn.datasets import load_digits
    test_fraction = check_float(test_fraction, "test_fraction", min=0.0, max=1.0, open_min=True)
    seed = check_int(seed, "seed", min=0)
    d = load_digits()
    x = (d.data / 16.0).astype(np.float32)
    y = d.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = int(round(test_fraction * len(x)))
    if not 0 < n_test < len(x):
        raise ValueError(f"test_fraction={test_fraction} leaves no training or no test images")
    test, train = order[:n_test], order[n_test:]
    return DigitData(x[train], y[train], x[test], y[test])


@torch.no_grad()
def predict_proba(model: torch.nn.Module, x: object) -> np.ndarray:
    """Class probabilities (N, 10) float64 of ``model`` for images ``x`` (N, 64) or (N, 8, 8)."""
    xa = check_array(x, "x", dtype=np.float32)
    if xa.ndim == 3:
        xa = xa.reshape(len(xa), -1)
    if xa.ndim != 2 or xa.shape[1] != 64:
        raise ValueError(f"x must hold 8 x 8 images, shape (N, 64) or (N, 8, 8), got {xa.shape}")
    return torch.softmax(model(torch.from_numpy(np.ascontiguousarray(xa))), dim=1).double().numpy()


def accuracy(model: torch.nn.Module, x: object, y: object) -> float:
    """Share of images ``x`` whose most probable class under ``model`` is the label ``y``."""
    ya = check_array(y, "y", ndim=1, dtype=np.int64)
    p = predict_proba(model, x)
    if len(p) != len(ya):
        raise ValueError(f"x and y must have the same length, got {len(p)} images and {len(ya)} labels")
    return float((p.argmax(axis=1) == ya).mean())


def confusion_matrix(y_true: object, y_pred: object, n_classes: int = 10) -> np.ndarray:
    """``C[i, j]`` = how many images of class ``i`` were predicted as ``j`` (int64)."""
    t = check_array(y_true, "y_true", ndim=1, dtype=np.int64)
    p = check_array(y_pred, "y_pred", ndim=1, dtype=np.int64)
    n_classes = check_int(n_classes, "n_classes", min=1)
    if len(t) != len(p):
        raise ValueError(f"y_true and y_pred must have the same length, got {len(t)} and {len(p)}")
    for name, a in (("y_true", t), ("y_pred", p)):
        if a.min() < 0 or a.max() >= n_classes:
            raise ValueError(f"{name} must hold classes 0..{n_classes - 1}, got {int(a.min())}..{int(a.max())}")
    return np.bincount(t * n_classes + p, minlength=n_classes ** 2).reshape(n_classes, n_classes)


@dataclass
class DigitClassifier:
    """A trained digit classifier: ``model`` (an :class:`lmlab.mlp.MLP`), its ``config``,
    the ``data`` it was trained and tested on, and its training ``losses``."""
    model: _mlp.MLP
    config: DigitConfig
    data: DigitData
    losses: np.ndarray

    def accuracy(self, model: torch.nn.Module | None = None) -> float:
        """Test accuracy of ``model`` (default: the trained one)."""
        return accuracy(self.model if model is None else model, self.data.x_test, self.data.y_test)

    def predict(self, x: object) -> np.ndarray:
        return predict_proba(self.model, x).argmax(axis=1)


def train_digit_classifier(config: DigitConfig = DigitConfig(), seed: int = 0) -> DigitClassifier:
    """Train the classifier of ``config`` with ``seed`` (which fixes the data split and the
    initial weights; the result is reproducible with one torch thread)."""
    if not isinstance(config, DigitConfig):
        raise TypeError(f"config must be a DigitConfig, got {type(config).__name__}")
    seed = check_int(seed, "seed", min=0)
    data = load_digit_data(config.test_fraction, seed)
    model = _mlp.MLP(_mlp.MLPConfig(64, config.hidden, 10, config.activation), seed=seed)
    losses = _mlp.fit(model, data.x_train, data.y_train,
                      _mlp.FitConfig(config.steps, config.lr, config.weight_decay))
    return DigitClassifier(model, config, data, losses)


def _kernel(sigma: float, n: int = 8) -> np.ndarray:
    # K[i, j] = Gaussian weight of pixel j in the blurred pixel i (zero outside the image)
    d = np.arange(n)[:, None] - np.arange(n)[None, :]
    k = np.exp(-0.5 * (d / sigma) ** 2)
    full = np.exp(-0.5 * (np.arange(-50, 51) / sigma) ** 2).sum()
    return k / full


def blur(image: object, sigma: float) -> np.ndarray:
    """Gaussian blur of an 8 x 8 image with width ``sigma`` pixels (``sigma = 0``: the image
    itself); pixels outside the image count as 0 (background), so ink spreads and fades."""
    img = check_array(image, "image", dtype=np.float64)
    if img.shape == (64,):
        img = img.reshape(8, 8)
    if img.shape != (8, 8):
        raise ValueError(f"image must be 8 x 8 (or 64 values), got shape {img.shape}")
    sigma = check_float(sigma, "sigma", min=0.0)
    if sigma == 0:
        return img.copy()
    k = _kernel(sigma)
    return k @ img @ k.T


def blur_path(model: torch.nn.Module, image: object, sigmas: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Blur ``image`` by each of ``sigmas`` and classify: ``(images (S, 8, 8), probabilities (S, 10))``."""
    if len(sigmas) == 0:
        raise ValueError("sigmas must hold at least one blur width")
    imgs = np.stack([blur(image, s) for s in sigmas])
    return imgs, predict_proba(model, imgs)
