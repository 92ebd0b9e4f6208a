"""Argument checks shared by every module of the package.

Each check returns the value in its normal form (an ``int``, a ``float``, an array) or
raises ``TypeError`` (wrong kind of value) or ``ValueError`` (right kind, wrong value)
with a message that names the argument, says what was expected and shows what came. A
public function checks its arguments with these before any numpy or torch code runs, so
bad input never surfaces as a crash deep inside a library.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

__all__ = ["check_int", "check_float", "check_positive", "check_probability", "check_array",
           "check_choice", "check_instance", "check_str", "check_xy"]


def _bounds(min: float | None, max: float | None, open_min: bool = False) -> str:
    lo = "" if min is None else (f" > {min}" if open_min else f" >= {min}")
    hi = "" if max is None else f" <= {max}"
    return lo + (" and" if lo and hi else "") + hi


def check_int(value: object, name: str, min: int | None = None, max: int | None = None) -> int:
    """``value`` as an ``int``: an integer (not a bool) within ``[min, max]``."""
    what = "an integer" + _bounds(min, max)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} ({value!r})")
    v = int(value)
    if (min is not None and v < min) or (max is not None and v > max):
        raise ValueError(f"{name} must be {what}, got {v}")
    return v


def check_float(value: object, name: str, min: float | None = None, max: float | None = None,
                open_min: bool = False) -> float:
    """``value`` as a finite ``float`` within ``[min, max]`` (``(min, max]`` if ``open_min``)."""
    what = "a finite number" + _bounds(min, max, open_min)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} ({value!r})")
    v = float(value)
    if (not math.isfinite(v) or (min is not None and (v <= min if open_min else v < min))
            or (max is not None and v > max)):
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return v


def check_positive(value: object, name: str) -> float:
    """``value`` as a finite ``float > 0``."""
    return check_float(value, name, min=0, open_min=True)


def check_probability(value: object, name: str) -> float:
    """``value`` as a ``float`` in ``[0, 1]``."""
    return check_float(value, name, min=0, max=1)


def check_array(value: object, name: str, ndim: int | None = None, shape: tuple | None = None,
                min_len: int = 1, dtype: object = np.float64, finite: bool = True) -> np.ndarray:
    """``value`` as a numpy array of ``dtype`` with ``ndim`` dimensions and ``shape``
    (``None`` entries are free), at least ``min_len`` entries along its first axis, and
    (for floats, unless ``finite=False``) no NaN or infinity."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}")
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


def check_choice(value: object, name: str, choices: Iterable[object]) -> object:
    """``value``, which must be one of ``choices``."""
    choices = tuple(choices)
    try:
        ok = value in choices
    except TypeError:                                   # e.g. an unhashable or odd value
        ok = False
    if not ok:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value


def check_instance(value: object, name: str, cls: type | tuple[type, ...], what: str | None = None) -> object:
    """``value``, which must be an instance of ``cls`` (described as ``what``)."""
    if not isinstance(value, cls):
        if what is None:
            names = [c.__module__ + "." + c.__qualname__ if c.__module__ != "builtins" else c.__qualname__
                     for c in (cls if isinstance(cls, tuple) else (cls,))]
            what = "a " + " or a ".join(names)
        raise TypeError(f"{name} must be {what}, got {type(value).__name__}")
    return value


def check_str(value: object, name: str, allow_empty: bool = True) -> str:
    """``value``, which must be a ``str`` (non-empty unless ``allow_empty``)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not allow_empty and not value:
        raise ValueError(f"{name} must not be empty")
    return value


def check_xy(x: object, y: object, names: tuple[str, str] = ("x", "y")) -> tuple[np.ndarray, np.ndarray]:
    """Paired data: two finite 1-D float arrays of the same, non-zero length."""
    xa = check_array(x, names[0], ndim=1)
    ya = check_array(y, names[1], ndim=1)
    if len(xa) != len(ya):
        raise ValueError(f"{names[0]} and {names[1]} must have the same length, "
                         f"got {len(xa)} and {len(ya)}")
    return xa, ya
