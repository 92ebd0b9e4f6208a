"""The house style, the book's renderer, the slider helper and the book's Sphinx extension."""
import importlib.util
from pathlib import Path
from types import SimpleNamespace

import plotly.graph_objects as go
import plotly.io as pio
import pytest

import lmlab.fig as F
from lmlab import notebook

ROOT = Path(__file__).resolve().parents[1]


def test_setup_notebook_sets_template_and_renderers():
    pio.templates.default, pio.renderers.default = "plotly", "json"
    notebook.setup_notebook()
    assert pio.templates.default == "lmlab"
    assert pio.renderers.default == "plotly_mimetype+lmlab"
    pio.templates.default, pio.renderers.default = "plotly", "json"
    with pytest.warns(DeprecationWarning, match="lmlab.notebook.setup_notebook"):
        F.setup_notebook()                              # the old name still works
    assert pio.templates.default == "lmlab" and pio.renderers.default == "plotly_mimetype+lmlab"


def test_figure_modules_import_no_torch():
    """The figure layer is plotly and numpy only: importing every fig module in a fresh
    interpreter loads neither torch nor ipywidgets."""
    import subprocess
    import sys
    mods = sorted(p.stem for p in (ROOT / "src" / "lmlab" / "fig").glob("*.py") if p.stem != "__init__")
    code = ("import sys, lmlab.fig" + "".join(f", lmlab.fig.{m}" for m in mods)
            + "; print(sorted(m for m in ('torch', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_renderer_inlines_neither_plotly_nor_mathjax():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    html = F.BookHtmlRenderer().to_mimebundle(fig.to_dict())["text/html"]
    assert "Plotly.newPlot" in html
    assert len(html) < 20_000                           # plotly.js (MBs) is not inlined
    assert "cdn" not in html.lower() and "mathjax" not in html.lower()


def test_step_slider_restyles_and_starts_at_active():
    fig = go.Figure([go.Scatter(y=[0, 0]), go.Scatter(y=[0, 0])])
    steps = [{"y": [[i, i], [-i, -i]]} for i in range(3)]
    F.add_step_slider(fig, steps, labels=[0, 1, 2], prefix="i = ", active=2)
    (s,) = fig.layout.sliders
    assert s.active == 2 and [st.label for st in s.steps] == ["0", "1", "2"]
    assert s.steps[1].method == "restyle" and list(s.steps[1].args[1]) == [0, 1]
    assert list(fig.data[0].y) == [2, 2] and list(fig.data[1].y) == [-2, -2]
    F.add_step_slider(fig, [({"y": [[5, 5]]}, {"title.text": "t"})], labels=["a"], traces=[1])
    assert fig.layout.sliders[1].steps[0].method == "update" and fig.layout.title.text == "t"


def test_step_slider_bad_input():
    fig = go.Figure([go.Scatter(y=[0])])
    with pytest.raises(ValueError, match="2 steps but 1 labels"):
        F.add_step_slider(fig, [{"y": [[1]]}, {"y": [[2]]}], labels=["a"])
    with pytest.raises(ValueError, match="active=3 outside 0..0"):
        F.add_step_slider(fig, [{"y": [[1]]}], labels=["a"], active=3)
    with pytest.raises(ValueError, match="list over traces"):
        F.add_step_slider(fig, [{"y": [[1], [2]]}], labels=["a"], traces=[0])


def _extension():
    spec = importlib.util.spec_from_file_location("lmlab_book", ROOT / "book" / "_ext" / "lmlab_book.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_extension_drops_repeated_scripts():
    ext = _extension()
    js = lambda name, body=None: SimpleNamespace(filename=name, attributes={"body": body} if body else {})  # noqa: E731
    scripts = ["a.js", js(None, "var X = 1;"), js("", "var X = 1;"), js(None, "var Y;"), "a.js", "b.js"]
    context = {"script_files": scripts}
    ext.dedupe_scripts(None, "page", "page.html", context, None)
    assert context["script_files"] == [scripts[0], scripts[1], scripts[3], scripts[5]]


def test_extension_copies_plotly_js(tmp_path):
    ext = _extension()
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    ext.copy_plotly_js(app, None)
    copied = tmp_path / "_static" / "plotly.min.js"
    assert copied.read_bytes() == ext.plotly_js_path().read_bytes()
