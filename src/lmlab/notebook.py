"""Setting up a chapter's kernel.

Every chapter starts with a cell tagged ``remove-cell``::

    import lmlab.notebook; lmlab.notebook.setup_notebook()

It applies the book's figure style (:func:`lmlab.fig.setup_plotly`) and limits torch to a
fixed number of threads, so that chapters and widgets behave the same on a laptop and on
a small shared machine. (Figures never import torch; this module is where the kernel's
settings meet.)
"""
from __future__ import annotations

from .checks import check_int

__all__ = ["setup_notebook"]


def setup_notebook(threads: int = 1) -> None:
    """Configure a chapter's kernel: the figures' house template and renderers
    (:func:`lmlab.fig.setup_plotly`) and ``threads`` threads for torch. On a small
    shared machine two threads were seen to slow some steps 40x under contention. Safe to
    call more than once."""
    threads = check_int(threads, "threads", min=1)
    from .fig import setup_plotly
    setup_plotly()
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency, but stay usable
        return
    torch.set_num_threads(threads)
