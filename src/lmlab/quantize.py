"""Storing a trained net's weights with fewer bits, and what that does to its answers.

A weight matrix is quantized *symmetrically, per tensor*: with ``bits = b >= 2`` every
weight is replaced by the nearest of the ``2^b - 1`` evenly spaced levels
``k * s`` for ``k = -(2^(b-1) - 1) ... 2^(b-1) - 1`` (zero is a level), clipped to the
outermost level.  The step ``s`` is chosen per tensor:

* ``scale="max"``: ``s = max|w| / (2^(b-1) - 1)``, so the largest weight is kept exactly
  and no weight is clipped; the rounding error of one weight is at most ``s / 2``.  With
  few bits this step is coarse and most small weights round to zero.
* ``scale="mse"`` (default): the step, among ``s = c * max|w| / (2^(b-1) - 1)`` for 96
  values of ``c`` from 0.05 to 1, whose quantized tensor is closest to ``w`` in squared
  error: clipping a few large weights buys a finer grid for all the others.

With ``b = 1`` only the sign survives: every weight becomes ``+- mean|w|`` (the
squared-error optimum for two levels ``+-s``).

:func:`quantize_array` does this to one array (returning the dequantized float values, as
stored numbers would be read back); :func:`quantize_model` to every weight of a torch
module (a copy); :func:`accuracy_vs_bits` measures a classifier's test accuracy for a
list of bit widths.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .checks import check_array, check_choice, check_int

__all__ = ["SCALES", "levels", "quantize_array", "quantize_model", "QuantizedResult", "accuracy_vs_bits"]


def _check_bits(bits: object) -> int:
    return check_int(bits, "bits", min=1, max=32)


def levels(bits: int) -> int:
    """How many distinct values a ``bits``-bit weight can take here (``2^b - 1``, or 2
    for one bit)."""
    b = _check_bits(bits)
    return 2 if b == 1 else 2 ** b - 1


SCALES = ("mse", "max")


def _round(a: np.ndarray, s: float, top: int) -> np.ndarray:
    return np.clip(np.round(a / s), -top, top) * s


def quantize_array(w: object, bits: int, scale: str = "mse") -> np.ndarray:
    """``w`` rounded to ``bits`` bits (symmetric, one step for the whole array, chosen by
    ``scale``: ``"mse"`` or ``"max"``, see the module), returned as float64 values."""
    b = _check_bits(bits)
    check_choice(scale, "scale", SCALES)
    a = check_array(w, "w", dtype=np.float64, min_len=0) if np.ndim(w) else np.asarray(w, np.float64)
    if a.size == 0:
        return a.copy()
    if b == 1:
        return np.where(a >= 0, 1.0, -1.0) * np.mean(np.abs(a))
    top = 2 ** (b - 1) - 1
    m = float(np.max(np.abs(a)))
    if m == 0:
        return np.zeros_like(a)
    if scale == "max":
        return _round(a, m / top, top)
    best, best_err = None, np.inf
    for c in np.linspace(0.05, 1.0, 96):
        q = _round(a, c * m / top, top)
        err = float(np.sum((q - a) ** 2))
        if err < best_err:
            best, best_err = q, err
    return best


def quantize_model(model, bits: int, biases: bool = True, scale: str = "mse"):
    """A deep copy of the torch module ``model`` with every weight matrix (and, if
    ``biases``, every bias vector) quantized to ``bits`` bits, tensor by tensor."""
    import torch
    b = _check_bits(bits)
    check_choice(scale, "scale", SCALES)
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    q = copy.deepcopy(model)
    with torch.no_grad():
        for name, p in q.named_parameters():
            if p.ndim >= 2 or biases:
                values = quantize_array(p.detach().double().numpy(), b, scale)
                p.copy_(torch.from_numpy(values).to(p.dtype))
    return q


@dataclass(frozen=True)
class QuantizedResult:
    """Test accuracy for each bit width (``bits``, ``accuracy``) and of the unquantized
    float32 model (``full_accuracy``)."""
    bits: tuple[int, ...]
    accuracy: tuple[float, ...]
    full_accuracy: float

    def change_pp(self, bits: int) -> float:
        """Accuracy at ``bits`` minus full accuracy, in percentage points."""
        return 100.0 * (self.accuracy[self.bits.index(bits)] - self.full_accuracy)


def accuracy_vs_bits(model, accuracy: Callable[[object], float],
                     bits: Sequence[int] = (8, 6, 4, 3, 2, 1), biases: bool = True,
                     scale: str = "mse") -> QuantizedResult:
    """``accuracy(model)`` for ``model`` itself and for its copy quantized to each of
    ``bits`` (e.g. ``accuracy=clf.accuracy`` of :mod:`lmlab.digits`)."""
    bits = tuple(_check_bits(b) for b in bits)
    check_choice(scale, "scale", SCALES)
    if not bits:
        raise ValueError("bits must hold at least one bit width")
    if not callable(accuracy):
        raise TypeError(f"accuracy must be a function of a model, got {type(accuracy).__name__}")
    full = float(accuracy(model))
    accs = tuple(float(accuracy(quantize_model(model, b, biases, scale))) for b in bits)
    return QuantizedResult(bits, accs, full)
