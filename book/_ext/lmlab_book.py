"""Sphinx extension of the book (registered in ``_config.yml`` under ``local_extensions``).

1. ``html-page-context``: drop repeated entries of ``context["script_files"]``.  Jupyter
   Book 1 puts sphinx-thebe's and sphinx-togglebutton's inline config scripts into every
   page twice, which raises ``Identifier 'THEBE_JS_URL' has already been declared`` in the
   browser.  Entries are keyed on filename *and* inline body; a filename of ``None`` and
   ``""`` count as the same (the two copies differ there).
2. ``html-page-context``: saved ipywidgets state goes into a page only for the widget views
   the page shows (a widget cell whose output is removed must not add megabytes of state
   nobody displays); the state is pruned to the models those views reach.
3. ``build-finished``: copy ``plotly.min.js`` from the installed plotly package into the
   HTML output's ``_static/`` (loaded on every page through ``html_js_files``).  Nothing
   is written into the source tree, and the file is never committed.
4. Numbers in prose, the same in the HTML and in JupyterLab: the inline role
   ``{eval}`name``` shows the value of a kernel variable.  JupyterLab (jupyterlab-myst)
   evaluates it in the reader's kernel when the markdown cell is rendered; for the HTML,
   built from the execution cache, this extension inserts after every markdown cell that
   uses ``{eval}`` a hidden code cell that records the mime bundles of the named variables
   at that point of the notebook (so the cache stores them), and renders the role from
   that record.  The inserted cells are removed again from the notebook written to
   ``_build/jupyter_execute`` (and offered for download).  A name that is not defined at
   that point fails the build (``NameError``).  Only plain names are allowed
   (``nb_eval_name_regex``); a variable holds the formatted text (``lmlab.fmt``).
5. Exercise cells (``lmlab.coursework``; Otter's raw-cell format is converted to the
   tags first, in memory): a code cell tagged ``solution`` is shown
   collapsed behind a "Show the solution" toggle together with its output
   (``hide-cell``); cells tagged ``check`` or ``hidden-check`` are executed but removed
   from the page (``remove-cell``).  Both chapters thus hide solutions alike.
6. The execution cache: when myst-nb takes a notebook from the cache it renders the cached
   outputs but writes the *unexecuted* notebook to ``_build/jupyter_execute`` (and the
   page's ``.ipynb`` download); the cached outputs are merged into that notebook here.
"""
from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

PLOTLY_JS = "plotly.min.js"
EVAL_MIME = "application/vnd.lmlab.eval+json"
EVAL_CELL_KEY = "lmlab_eval"
EVAL_SOURCE_KEY = "lmlab_eval_source"
EVAL_ROLE = re.compile(r"\{eval\}`([^`]*)`")
BUILD_ROLE = "lmlab-eval"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SOLUTION_PROMPTS = {"code_prompt_show": "Show the solution", "code_prompt_hide": "Hide the solution"}


def plotly_js_path() -> Path:
    """Path of ``plotly.min.js`` shipped inside the installed plotly package."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / PLOTLY_JS
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: reinstall plotly")
    return path


# --------------------------------------------------------------------------- page scripts
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


_VIEW_SCRIPT = re.compile(
    r'<script type="' + re.escape(WIDGET_VIEW) + r'">(.*?)</script>', re.S)
_MODEL_REF = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def shown_widget_models(body: str) -> set[str]:
    """Model ids of the widget views rendered in a page body."""
    ids = set()
    for match in _VIEW_SCRIPT.finditer(body or ""):
        try:
            ids.add(json.loads(match.group(1))["model_id"])
        except (ValueError, KeyError, TypeError):
            continue
    return ids


def prune_widget_state(state: dict, roots: set[str]) -> dict:
    """The part of a saved widget state (``{"state": {id: model}}``) reachable from
    ``roots`` through ``IPY_MODEL_<id>`` references."""
    models = state.get("state", {})
    keep, todo = set(), [r for r in roots if r in models]
    while todo:
        mid = todo.pop()
        if mid in keep:
            continue
        keep.add(mid)
        todo.extend(r for r in _MODEL_REF.findall(json.dumps(models[mid])) if r in models)
    return {**state, "state": {k: v for k, v in models.items() if k in keep}}


def trim_widget_state(app, pagename, templatename, context, doctree) -> None:
    """Drop (or prune) the saved widget state of a page to what its views display."""
    scripts = context.get("script_files")
    if not scripts:
        return
    roots = shown_widget_models(context.get("body", ""))
    kept = []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        if attributes.get("type") != WIDGET_STATE:
            kept.append(script)
            continue
        if not roots:
            continue
        try:
            state = json.loads(attributes.get("body") or "{}")
        except ValueError:
            kept.append(script)
            continue
        attributes["body"] = json.dumps(prune_widget_state(state, roots)).replace(
            "</", "<\\/")
        kept.append(script)
    context["script_files"] = kept


def copy_plotly_js(app, exception) -> None:
    """After an HTML build, put plotly.min.js into the output's ``_static/``."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(plotly_js_path(), static / PLOTLY_JS)


# --------------------------------------------------------------------------- notebooks
def eval_names(markdown: str) -> list[str]:
    """The ``{eval}`` role contents of a markdown text, in order, without repeats."""
    names: list[str] = []
    for name in EVAL_ROLE.findall(markdown):
        name = name.strip()
        if name not in names:
            names.append(name)
    return names


def capture_source(names: list[str]) -> str:
    """Code of the hidden cell that records the mime bundles of ``names``."""
    return (
        "# Added at build time (book/_ext/lmlab_book.py): the values of the {eval} roles\n"
        "# of the markdown cell above, for the HTML.\n"
        "__import__('IPython').display.display({"
        f"{EVAL_MIME!r}: {{_n: __import__('IPython').get_ipython().display_formatter"
        f".format(eval(_n))[0] for _n in {names!r}}}}}, raw=True)"
    )


def prepare_notebook(nb, name_regex: str = r"^[a-zA-Z_][a-zA-Z0-9_]*$") -> None:
    """In place: apply the exercise-cell tags, and insert an {eval} capture cell after
    every markdown cell with ``{eval}`` roles (rewritten to the build-time role)."""
    import nbformat

    _convert_exercises(nb)
    source_map = nb.metadata.get("source_map")
    cells, lines = [], []
    for index, cell in enumerate(nb.cells):
        line = source_map[index] if source_map else None
        if cell.cell_type == "code":
            _exercise_tags(cell)
        cells.append(cell)
        lines.append(line)
        if cell.cell_type != "markdown" or "{eval}" not in cell.source:
            continue
        names = eval_names(cell.source)
        bad = [n for n in names if not re.match(name_regex, n)]
        if bad:
            raise ValueError(f"{{eval}} takes a variable name (a Python identifier), "
                             f"got {bad!r}: put the formatted value in a variable first")
        position = len(cells)
        capture = nbformat.v4.new_code_cell(capture_source(names))
        capture.metadata = {"tags": ["remove-cell"], EVAL_CELL_KEY: True}
        cell.metadata[EVAL_SOURCE_KEY] = cell.source
        cell.source = EVAL_ROLE.sub(
            lambda m: f"{{{BUILD_ROLE}}}`{position}:{m.group(1).strip()}`", cell.source)
        cells.append(capture)
        lines.append(line)
    nb.cells = cells
    if source_map:
        nb.metadata["source_map"] = lines


def _convert_exercises(nb) -> None:
    """Exercises written in Otter's raw-cell format get the tag convention (in memory), so
    the page looks the same whichever format the chapter uses."""
    from lmlab.coursework import convert_raw_cells

    source_map = nb.metadata.get("source_map")
    if source_map:      # carry each cell's source line through the conversion
        for cell, line in zip(nb.cells, source_map):
            cell.metadata["_lmlab_line"] = line
    convert_raw_cells(nb)
    if source_map:
        nb.metadata["source_map"] = [c.metadata.pop("_lmlab_line") for c in nb.cells]


def _exercise_tags(cell) -> None:
    tags = list(cell.metadata.get("tags", []))
    if "solution" in tags:
        for tag in ("hide-input", "remove-input"):
            if tag in tags:
                tags.remove(tag)
        if "hide-cell" not in tags:
            tags.append("hide-cell")
        mystnb = dict(cell.metadata.get("mystnb", {}))
        for key, value in SOLUTION_PROMPTS.items():
            mystnb.setdefault(key, value)
        cell.metadata["mystnb"] = mystnb
    elif {"check", "hidden-check"} & set(tags) and "remove-cell" not in tags:
        tags.append("remove-cell")
    if tags:
        cell.metadata["tags"] = tags


def drop_capture_cells(nb) -> None:
    """In place: remove the cells :func:`prepare_notebook` inserted, and give the
    markdown cells their ``{eval}`` roles back."""
    for cell in nb.cells:
        if EVAL_SOURCE_KEY in cell.metadata:
            cell.source = cell.metadata.pop(EVAL_SOURCE_KEY)
    source_map = nb.metadata.get("source_map")
    keep = [i for i, c in enumerate(nb.cells) if not c.metadata.get(EVAL_CELL_KEY)]
    if len(keep) == len(nb.cells):
        return
    nb.cells = [nb.cells[i] for i in keep]
    if source_map and len(source_map) >= len(keep):
        nb.metadata["source_map"] = [source_map[i] for i in keep]


def _patch_myst_nb() -> None:
    """Wrap myst-nb's notebook reader and its cache client (idempotent)."""
    import myst_nb.sphinx_ as nb_sphinx
    from myst_nb.core.execute.base import NotebookClientBase
    from myst_nb.core.execute.cache import NotebookClientCache

    if getattr(nb_sphinx, "_lmlab_patched", False):
        return
    original_reader = nb_sphinx.create_nb_reader

    def create_nb_reader(path, md_config, nb_config, content):
        reader = original_reader(path, md_config, nb_config, content)
        if reader is None:
            return None
        read = reader.read

        def read_prepared(text):
            nb = read(text)
            prepare_notebook(nb, nb_config.eval_name_regex)
            return nb

        return dataclasses.replace(reader, read=read_prepared)

    nb_sphinx.create_nb_reader = create_nb_reader

    original_start = NotebookClientCache.start_client

    def start_client(self):
        unexecuted = self._notebook
        original_start(self)
        if self._notebook is not unexecuted:   # taken from the cache: merge in place, so
            unexecuted.clear()                 # the notebook myst-nb writes has outputs
            unexecuted.update(self._notebook)
            self._notebook = unexecuted

    NotebookClientCache.start_client = start_client

    original_close = NotebookClientBase.close_client

    def close_client(self, exc_type, exc_val, exc_tb):
        original_close(self, exc_type, exc_val, exc_tb)
        drop_capture_cells(self.notebook)

    NotebookClientBase.close_client = close_client
    nb_sphinx._lmlab_patched = True


def eval_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{lmlab-eval}`K:name```: the value of ``name`` recorded by capture cell ``K``."""
    from docutils import nodes
    from myst_nb.core.variables import VariableOutput, render_variable_outputs

    document = inliner.document
    index, _, var = text.partition(":")

    def fail(message):
        msg = inliner.reporter.error(f"{{eval}}`{var}`: {message}", line=lineno)
        return [nodes.problematic(rawtext, rawtext)], [msg]

    element = document.get("nb_renderer")
    client = getattr(getattr(element, "renderer", None), "nb_client", None) if element else None
    if client is None:
        return fail("this page is not an executed notebook")
    try:
        cell = client.notebook.cells[int(index)]
    except (IndexError, ValueError):
        return fail("no recorded value (internal error of book/_ext/lmlab_book.py)")
    bundle = None
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return fail(f"{output.get('ename')}: {output.get('evalue')}")
        bundle = output.get("data", {}).get(EVAL_MIME, {}).get(var, bundle)
    if not bundle:
        return fail("no recorded value: was the notebook executed?")
    value = VariableOutput(data=dict(bundle), metadata={"strip_text_quotes": True},
                           nb_renderer=element, vtype="eval", index=0)
    return render_variable_outputs([value], document, lineno, document["source"],
                                   inline=True), []


def setup(app):
    """Connect the handlers and the role; declare the extension parallel safe."""
    _patch_myst_nb()
    app.add_role(BUILD_ROLE, eval_role)
    app.connect("html-page-context", dedupe_scripts)
    app.connect("html-page-context", trim_widget_state)
    app.connect("build-finished", copy_plotly_js)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
