"""Sphinx extension of the book (registered in ``_config.yml`` under ``local_extensions``).

1. ``html-page-context``: drop repeated entries of ``context["script_files"]``.  Jupyter
   Book 1 puts sphinx-thebe's and sphinx-togglebutton's inline config scripts into every
   page twice, which raises ``Identifier 'THEBE_JS_URL' has already been declared`` in the
   browser.  Entries are keyed on filename *and* inline body; a filename of ``None`` and
   ``""`` count as the same (the two copies differ there).
2. ``build-finished``: copy ``plotly.min.js`` from the installed plotly package into the
   HTML output's ``_static/`` (loaded on every page through ``html_js_files``).  Nothing
   is written into the source tree, and the file is never committed.
"""
from __future__ import annotations

import shutil
from pathlib import Path

PLOTLY_JS = "plotly.min.js"


def plotly_js_path() -> Path:
    """Path of ``plotly.min.js`` shipped inside the installed plotly package."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / PLOTLY_JS
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: reinstall plotly")
    return path


def _script_key(script) -> tuple[str, str]:
    """Identity of a script entry: (filename, inline body), with None read as ""."""
    filename = getattr(script, "filename", script)
    attributes = getattr(script, "attributes", {}) or {}
    return (filename or "", attributes.get("body") or "")


def dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    """Keep the first of each repeated script in ``context["script_files"]``."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        key = _script_key(script)
        if key in seen:
            continue
        seen.add(key)
        kept.append(script)
    context["script_files"] = kept


def copy_plotly_js(app, exception) -> None:
    """After an HTML build, put plotly.min.js into the output's ``_static/``."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(plotly_js_path(), static / PLOTLY_JS)


def setup(app):
    """Connect the two handlers; declare the extension safe for parallel builds."""
    app.connect("html-page-context", dedupe_scripts)
    app.connect("build-finished", copy_plotly_js)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
