"""n-gram language models over characters or words: counting, smoothing, scoring.

An n-gram model predicts the next token from the ``n - 1`` tokens before it, using how
often each continuation followed that context in the training text. The package is split
by idea:

* :mod:`lmlab.ngram.counts`: :class:`NGramCounts`, every n-gram count of a text up to a
  highest order (and the continuation counts Kneser-Ney needs), from one sort;
* :mod:`lmlab.ngram.smoothing`: the add-k and interpolated Kneser-Ney formulas, each
  written once and used both to score a whole text and to give next-token distributions;
* :mod:`lmlab.ngram.model`: :class:`NGramConfig`, :class:`NGramModel` (a
  :class:`~lmlab.lm.LanguageModel`: one order and one smoothing over shared counts) and
  :func:`fit`.
"""
from .counts import NGramCounts, max_order_for
from .model import SMOOTHINGS, NGramConfig, NGramModel, fit

__all__ = ["NGramCounts", "NGramConfig", "NGramModel", "SMOOTHINGS", "fit", "max_order_for"]
