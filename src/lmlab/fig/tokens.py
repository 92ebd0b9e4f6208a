"""Showing tokens and sampled text: the one place that escapes HTML.

Plotly reads a small subset of HTML in every text it draws (tick labels, hover text,
table cells, titles) and ipywidgets' HTML widget reads all of it, so a token such as
``<unk>`` or a character ``&`` must be escaped or it vanishes or breaks the markup. Every
figure and widget shows tokens through :func:`show_token`, whole texts through
:func:`text_to_html`, and a prompt with its sampled continuation through
:func:`sample_html`.
"""
from __future__ import annotations

import html
import textwrap

__all__ = ["VISIBLE_WHITESPACE", "show_token", "text_to_html", "sample_html"]

#: How whitespace symbols are drawn where they would otherwise be invisible (axes, bars).
VISIBLE_WHITESPACE = {" ": "␣", "\n": "↵", "\t": "⇥"}


def show_token(token: object, visible_whitespace: bool = False) -> str:
    """A token as a figure or widget should print it: ``<``, ``>`` and ``&`` escaped;
    with ``visible_whitespace``, a space, line break or tab token drawn as ``␣``, ``↵``
    or ``⇥`` (for character tokens on an axis)."""
    s = str(token)
    if visible_whitespace:
        s = VISIBLE_WHITESPACE.get(s, s)
    return html.escape(s, quote=False)


def text_to_html(text: str, width: int | None = None) -> str:
    """A text for a plotly table cell or an HTML widget: escaped, line breaks as ``<br>``;
    with ``width``, lines longer than ``width`` characters are wrapped (plotly tables do
    not wrap)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if width is not None and (isinstance(width, bool) or not isinstance(width, int) or width < 1):
        raise ValueError(f"width must be None or an integer >= 1, got {width!r}")
    lines = text.split("\n")
    if width is not None:
        lines = [w for line in lines
                 for w in (textwrap.wrap(line, width, drop_whitespace=False) or [""])]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def sample_html(prompt: str, text: str, head: str = "", monospace: bool = False) -> str:
    """A prompt (grey) followed by its sampled continuation, as one escaped HTML block,
    with an optional ``head`` line (already HTML) above it. ``monospace`` keeps the
    text's line breaks and spacing (character models); otherwise it is set as prose."""
    for name, value in (("prompt", prompt), ("text", text), ("head", head)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    style = ("white-space: pre-wrap; font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; "
             "font-size: 14px" if monospace else "font-family: Georgia, serif; font-size: 15px")
    top = f"<div>{head}</div>" if head else ""
    return (f"{top}<div style=\"{style}; max-width: 760px; line-height: 1.5; margin: 4px 0\">"
            f"<span style=\"color: #777\">{html.escape(prompt)}</span>{html.escape(text)}</div>")
