"""Numbers formatted for reading in prose: ``{eval}`name``` shows a variable that holds one.

A chapter computes a number in a cell, puts its formatted text in a variable, and the
prose shows the variable with the inline role ``{eval}`name``` (in the built HTML and in
JupyterLab alike)::

    from lmlab import fmt
    n_words_txt = fmt.count(len(words))      # '1,234,567'
    p_be_txt = fmt.prob(p_be)                # '0.034', or '1.1 × 10⁻⁶' when tiny
    share_txt = fmt.pct(share)               # '12.3%'

    ... the model saw {eval}`n_words_txt` words ...

Never a raw ``1.1e-06`` or ``1.52e+15``: small and large numbers are written with a power
of ten (``1.1 × 10⁻⁶``, ``1.5 × 10¹⁵``).  Every function returns a ``str``.
"""
from __future__ import annotations

import math
import numbers

__all__ = ["count", "num", "fixed", "prob", "pct", "sci"]

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
TIMES = "×"


def _real(x, name: str = "x") -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        try:                       # numpy scalars and 0-d arrays
            x = x.item()
        except (AttributeError, ValueError):
            raise TypeError(f"{name} must be a real number, got {type(x).__name__}") from None
        if isinstance(x, bool) or not isinstance(x, numbers.Real):
            raise TypeError(f"{name} must be a real number, got {type(x).__name__}")
    return float(x)


def _digits(digits: int, name: str = "digits") -> int:
    if isinstance(digits, bool) or not isinstance(digits, numbers.Integral) or digits < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {digits!r}")
    return int(digits)


def _special(x: float) -> str | None:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    return None


def sci(x, digits: int = 2) -> str:
    """``x`` as a mantissa of ``digits`` significant digits times a power of ten:
    ``sci(1.52e15) == '1.5 × 10¹⁵'``, ``sci(1.1e-6) == '1.1 × 10⁻⁶'``."""
    x, digits = _real(x), _digits(digits)
    if (s := _special(x)) is not None:
        return s
    if x == 0:
        return "0"
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    exponent = int(exponent)
    sign = "−" if mantissa.startswith("-") else ""
    mantissa = mantissa.lstrip("-")
    if exponent == 0:
        return sign + mantissa
    return f"{sign}{mantissa} {TIMES} 10{str(exponent).translate(_SUPERSCRIPT)}"


def num(x, digits: int = 3, small: float = 1e-3, large: float = 1e6) -> str:
    """``x`` with ``digits`` significant digits, in plain notation when
    ``small <= |x| < large`` (thousands separated by commas), else with a power of ten:
    ``num(0.000123) == '1.23 × 10⁻⁴'``, ``num(3.14159) == '3.14'``,
    ``num(123456.7) == '123,457'``."""
    x, digits = _real(x), _digits(digits)
    if (s := _special(x)) is not None:
        return s
    if x == 0:
        return "0"
    if not small <= abs(x) < large:
        return sci(x, digits)
    exponent = math.floor(math.log10(abs(x)))
    decimals = max(digits - 1 - exponent, 0)
    text = f"{x:,.{decimals}f}"
    if float(text.replace(",", "")) and abs(float(text.replace(",", ""))) >= large:
        return sci(x, digits)
    return text.replace("-", "−")


def count(n) -> str:
    """An integer count with thousands separated by commas: ``count(1234567) ==
    '1,234,567'``.  A float must be a whole number."""
    x = _real(n, "n")
    if not math.isfinite(x) or x != int(x):
        raise ValueError(f"n must be a whole number, got {n!r}")
    return f"{int(x):,}".replace("-", "−")


def fixed(x, decimals: int = 3) -> str:
    """``x`` with a fixed number of decimals (thousands separated by commas):
    ``fixed(2.0, 2) == '2.00'``.  Use it where numbers are compared side by side."""
    x = _real(x)
    if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral) or decimals < 0:
        raise ValueError(f"decimals must be an integer >= 0, got {decimals!r}")
    if (s := _special(x)) is not None:
        return s
    return f"{x:,.{decimals}f}".replace("-", "−")


def prob(p, digits: int = 2) -> str:
    """A probability: 3 decimals from 0.01 up (``'0.034'``, ``'0.500'``), and
    ``digits`` significant digits with a power of ten below (``'1.1 × 10⁻⁶'``)."""
    p = _real(p, "p")
    if not (0.0 <= p <= 1.0):
        raise ValueError(f"p must be a probability in [0, 1], got {p!r}")
    if p == 0:
        return "0"
    if p >= 0.01:
        return f"{p:.3f}"
    return sci(p, digits)


def pct(x, decimals: int = 1) -> str:
    """A fraction as a percentage: ``pct(0.1234) == '12.3%'``; a share too small for
    ``decimals`` is written ``'< 0.1%'`` rather than ``'0.0%'``."""
    x = _real(x)
    if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral) or decimals < 0:
        raise ValueError(f"decimals must be an integer >= 0, got {decimals!r}")
    if (s := _special(x)) is not None:
        return s
    text = f"{100 * x:,.{decimals}f}%"
    if x != 0 and float(text[:-1].replace(",", "")) == 0:
        return f"< {10.0 ** -decimals:.{decimals}f}%" if x > 0 else f"> −{10.0 ** -decimals:.{decimals}f}%"
    return text.replace("-", "−")
