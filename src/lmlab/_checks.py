"""Argument checks for the Part II modules (models, attractors, mlp, digits).

Small and local on purpose: each raises ``TypeError``/``ValueError`` naming the argument
and what was expected, with the value received.  They follow the signatures planned for
the package-wide :mod:`lmlab.checks`, so switching over is a change of import.
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["check_int", "check_float", "check_array", "check_choice"]


def check_int(value: object, name: str, min: int | None = None, max: int | None = None) -> int:
    """``value`` as an ``int``; it must be an integer (not a bool) within ``[min, max]``."""
    what = "an integer" + (f" >= {min}" if min is not None else "") + (f" <= {max}" if max is not None else "")
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} ({value!r})")
    v = int(value)
    if (min is not None and v < min) or (max is not None and v > max):
        raise ValueError(f"{name} must be {what}, got {v}")
    return v


def check_float(value: object, name: str, min: float | None = None, max: float | None = None,
                open_min: bool = False) -> float:
    """``value`` as a finite ``float`` within ``[min, max]`` (``(min, max]`` if ``open_min``)."""
    lo = "" if min is None else (f" > {min}" if open_min else f" >= {min}")
    hi = "" if max is None else f" <= {max}"
    what = "a finite number" + lo + (" and" if lo and hi else "") + hi
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} ({value!r})")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be {what}, got {v}")
    if min is not None and (v <= min if open_min else v < min):
        raise ValueError(f"{name} must be {what}, got {v}")
    if max is not None and v > max:
        raise ValueError(f"{name} must be {what}, got {v}")
    return v


def check_array(value: object, name: str, ndim: int | None = None, shape: tuple | None = None,
                min_len: int = 1, dtype=np.float64, finite: bool = True) -> np.ndarray:
    """``value`` as a numpy array of ``dtype``: ``ndim`` dimensions, ``shape`` (``None``
    entries are free), at least ``min_len`` rows, all finite."""
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}: {e}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-dimensional array, got shape {arr.shape}")
    if shape is not None:
        if arr.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, arr.shape)):
            want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {want}, got {arr.shape}")
    if arr.ndim == 0 or len(arr) < min_len:
        raise ValueError(f"{name} must hold at least {min_len} entries, got "
                         f"{0 if arr.ndim == 0 else len(arr)} (shape {arr.shape})")
    if finite and np.issubdtype(arr.dtype, np.floating) and not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite numbers only (found NaN or infinity)")
    return arr


def check_choice(value: object, name: str, choices) -> str:
    """``value`` must be one of ``choices`` (strings)."""
    if value not in tuple(choices):
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value
