"""The book's Sphinx extension (book/_ext/lmlab_book.py), without a build: widget state
pruning, the {eval} capture cells, exercise tags and the raw-cell conversion."""
import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ext():
    spec = importlib.util.spec_from_file_location("lmlab_book", ROOT / "book" / "_ext" / "lmlab_book.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _id(k):
    return f"{k:032x}"


def test_widget_state_is_pruned_to_the_shown_views(ext):
    state = {"version_major": 2, "state": {
        _id(1): {"state": {"children": [f"IPY_MODEL_{_id(2)}"]}},
        _id(2): {"state": {"layout": f"IPY_MODEL_{_id(3)}"}},
        _id(3): {"state": {}},
        _id(9): {"state": {"big": "x" * 1000}}}}
    assert set(ext.prune_widget_state(state, {_id(1)})["state"]) == {_id(1), _id(2), _id(3)}
    assert ext.prune_widget_state(state, set())["state"] == {}


def _script(type_, body):
    return SimpleNamespace(filename=None, attributes={"type": type_, "body": body})


def test_page_without_widget_views_loses_the_state(ext):
    state = json.dumps({"state": {_id(1): {"state": {}}}})
    scripts = ["a.js", _script(ext.WIDGET_STATE, state)]
    context = {"script_files": list(scripts), "body": "<p>no widget here</p>"}
    ext.trim_widget_state(None, "page", "page.html", context, None)
    assert context["script_files"] == ["a.js"]
    view = f'<script type="{ext.WIDGET_VIEW}">{json.dumps({"model_id": _id(1)})}</script>'
    context = {"script_files": list(scripts), "body": view}
    ext.trim_widget_state(None, "page", "page.html", context, None)
    assert len(context["script_files"]) == 2
    assert json.loads(context["script_files"][1].attributes["body"])["state"] == {_id(1): {"state": {}}}


def test_eval_capture_cells_follow_their_markdown_cell(ext):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("a_txt = '1,000'"),
        nbformat.v4.new_markdown_cell("We saw {eval}`a_txt` words, {eval}`a_txt` again."),
        nbformat.v4.new_code_cell("b = 2"),
    ])
    nb.metadata["source_map"] = [1, 5, 9]
    ext.prepare_notebook(nb)
    assert [c.cell_type for c in nb.cells] == ["code", "markdown", "code", "code"]
    capture = nb.cells[2]
    assert capture.metadata[ext.EVAL_CELL_KEY] and "remove-cell" in capture.metadata["tags"]
    assert "['a_txt']" in capture.source
    assert nb.cells[1].source == "We saw {lmlab-eval}`2:a_txt` words, {lmlab-eval}`2:a_txt` again."
    assert nb.metadata["source_map"] == [1, 5, 5, 9]
    ext.drop_capture_cells(nb)
    assert [c.cell_type for c in nb.cells] == ["code", "markdown", "code"]
    assert nb.cells[1].source == "We saw {eval}`a_txt` words, {eval}`a_txt` again."
    assert nb.metadata["source_map"] == [1, 5, 9]


def test_eval_takes_names_only(ext):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("{eval}`f'{x:,}'`")])
    with pytest.raises(ValueError, match="variable name"):
        ext.prepare_notebook(nb)


def test_capture_cell_records_mime_bundles(ext):
    """The inserted code, run in IPython, records what Lab's user_expressions would show."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    shell = InteractiveShell.instance()
    shell.run_cell("n_txt = '1,234'\nn = 5")
    with capture_output() as captured:
        shell.run_cell(ext.capture_source(["n_txt", "n"]))
    [out] = captured.outputs
    record = out.data[ext.EVAL_MIME]
    assert record["n_txt"]["text/plain"] == "'1,234'" and record["n"]["text/plain"] == "5"


def test_exercise_cells_get_the_html_tags(ext):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_raw_cell("# BEGIN QUESTION\nname: q1\npoints: 1"),
        nbformat.v4.new_raw_cell("# BEGIN SOLUTION"),
        nbformat.v4.new_code_cell("x = 1  # SOLUTION", metadata={"tags": ["hide-input"]}),
        nbformat.v4.new_raw_cell("# END SOLUTION"),
        nbformat.v4.new_raw_cell("# BEGIN TESTS"),
        nbformat.v4.new_code_cell("# HIDDEN\nassert x == 1, 'x'", metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_raw_cell("# END TESTS"),
        nbformat.v4.new_raw_cell("# END QUESTION"),
    ])
    nb.metadata["source_map"] = [1, 2, 3, 4, 5, 6, 7, 8]
    ext.prepare_notebook(nb)
    solution, check = nb.cells
    assert solution.metadata["tags"] == ["solution", "hide-cell"]
    assert solution.metadata["mystnb"] == ext.SOLUTION_PROMPTS
    assert check.metadata["tags"] == ["hidden-check", "remove-cell"]
    assert check.source == "assert x == 1, 'x'"
    assert nb.metadata["source_map"] == [3, 6]


def test_capture_cell_names_an_undefined_variable(ext):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    result = shell.run_cell(ext.capture_source(["not_defined_here_txt"]))
    assert isinstance(result.error_in_exec, NameError)
    assert "compute it in a code cell before that text" in str(result.error_in_exec)
    assert "_lmlab_eval" in shell.user_ns       # the helper stays only when it failed
    shell.run_cell("del _lmlab_eval")
    shell.run_cell("ok_txt = 'x'")
    shell.run_cell(ext.capture_source(["ok_txt"]))
    assert "_lmlab_eval" not in shell.user_ns
