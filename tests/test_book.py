"""The book: table of contents, strict build, and every page checked in a real browser.

* ``test_toc_*`` (fast, no build): ``_toc.yml`` and ``book/*.md`` agree.
* ``test_strict_build``: ``jupyter-book build -W -n --keep-going --all .`` passes, every
  chapter executed (a failing cell or any Sphinx warning fails it).
* ``test_page``: each page of ``_toc.yml`` opened in Debian's chromium (Playwright's Python
  package), served from 127.0.0.1 with every other request blocked.  The page loads; it
  shows as many plotly figures as its executed notebook produced; every figure with
  sliders or buttons changes its data when a step runs; no page error, console error,
  failed/blocked request or HTTP error.
* ``test_page_weight``: every page is well under 1.5 MB (no saved widget state that no
  view displays, no inlined plotly.js).
* ``test_solutions_are_hidden``: every exercise solution sits, with its output, in a
  collapsed block whose toggle says "Show the solution"; no check cell is on the page.
* ``test_numbers_are_filled_in``: no ``{eval}`` or ``{glue`` role is left unrendered.
* ``test_executed_notebook_has_outputs``: the notebook written to
  ``_build/jupyter_execute`` (and offered by the page's download button) carries the
  outputs, whether the chapter ran now or came from the execution cache.
* ``test_phone_layout``: at 375 px no figure is wider than the screen, and no title, axis
  title, subplot title, button, slider or tick label overlaps another or is cut off
  (``python tests/phone.py`` saves the screenshots and prints the same findings).

The build reuses the execution cache (``_build/.jupyter_cache``) unless a file of the
``lmlab`` package or of ``book/_ext`` is newer than it: the cache is keyed on the chapters'
code cells only, so a change in the package would otherwise go unexecuted.  Whether the
chapters ran now or came from the cache, every expectation here is read from the executed
notebooks in ``_build/jupyter_execute`` (which carry the cached outputs) or from the
chapter sources, so ``pytest`` passes twice in a row.
"""
from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from html import unescape as html_unescape
from pathlib import Path

import pytest

from lmlab import coursework
from lmlab.coursework import toc_files
from phone import PHONE_PROBE, open_phone_page

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
HTML = BUILD / "html"
CHROMIUM = Path("/usr/bin/chromium")
PLOTLY_MIME = "application/vnd.plotly.v1+json"
REMOVED = {"remove-output", "remove_output", "remove-cell", "remove_cell"}
BUILD_CMD = ["jupyter-book", "build", "-W", "-n", "--keep-going", "--all", "."]
MAX_PAGE_BYTES = 1_000_000   # "well under 1.5 MB"
SOLUTION_TOGGLE = "Show the solution"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Per figure: whether it has slider/button steps, and whether running one changes its data
# (the probe of the reviewer's check_html.py, reported per figure).
PROBE = """
async () => {
  const out = [];
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const menus = [].concat(gd.layout && gd.layout.sliders || [], gd.layout && gd.layout.updatemenus || []);
    const steps = [];
    for (const m of menus) for (const s of (m.steps || m.buttons || [])) steps.push(s);
    const fig = {interactive: steps.length > 0, live: false};
    const snap = () => JSON.stringify(gd.data.map(t => [t.x, t.y, t.z, t.visible]));
    const before = snap();
    for (const s of steps.slice().reverse()) {
      try {
        if (s.method === 'animate') await Plotly.animate(gd, s.args[0], {transition: {duration: 0}, frame: {duration: 0, redraw: true}, mode: 'immediate'});
        else if (s.method && Plotly[s.method]) await Plotly[s.method](gd, ...s.args);
      } catch (e) {}
      if (snap() !== before) { fig.live = true; break; }
    }
    out.push(fig);
  }
  return out;
}
"""


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).with_suffix("").as_posix()


PAGES = toc_files(ROOT)


# --------------------------------------------------------------------------- fast tests
def test_toc_files_exist():
    missing = [str(p.relative_to(ROOT)) for p in PAGES if not p.exists()]
    assert not missing, f"_toc.yml names missing files: {missing}"


def test_every_chapter_is_in_toc():
    listed = {p.resolve() for p in PAGES}
    unlisted = [p.name for p in sorted((ROOT / "book").glob("*.md")) if p.resolve() not in listed]
    assert not unlisted, f"book/*.md not in _toc.yml: {unlisted}"


def _chapters() -> list[Path]:
    return [p for p in PAGES if p.name != "intro.md"]


@pytest.mark.parametrize("chapter", _chapters(), ids=lambda p: p.stem)
def test_paired_notebook_is_in_sync(chapter):
    """Each chapter has a paired .ipynb (jupytext) next to it, for the Colab and Binder
    buttons; it must hold the same cells as the .md source."""
    import jupytext
    import nbformat
    ipynb = chapter.with_suffix(".ipynb")
    hint = f"run: jupytext --to ipynb {chapter.relative_to(ROOT)}"
    assert ipynb.exists(), f"{ipynb.name} is missing; {hint}"
    md = jupytext.read(chapter)
    nb = nbformat.read(ipynb, as_version=4)
    cells = lambda n: [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in n.cells]  # noqa: E731
    assert cells(md) == cells(nb), f"{ipynb.name} differs from {chapter.name}; {hint}"


@pytest.mark.parametrize("chapter", _chapters(), ids=lambda p: p.stem)
def test_colab_installs_from_the_configured_repository(chapter):
    """Colab opens a chapter without the package: its first cell installs it from the
    repository named in _config.yml (the one place to change it; this test names the rest)."""
    import yaml
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    import jupytext
    first = next(c for c in jupytext.read(chapter).cells if c.cell_type == "code")
    assert f'"lmlab @ git+{url}"' in first.source, \
        f"the first cell of {chapter.name} must install lmlab from {url} on Colab"


# --------------------------------------------------------------------------- the build
def _jupyter_book() -> str:
    local = Path(sys.executable).parent / "jupyter-book"
    return str(local) if local.exists() else (shutil.which("jupyter-book") or "jupyter-book")


def _drop_stale_cache() -> None:
    cache = BUILD / ".jupyter_cache"
    db = cache / "global.db"
    if not db.exists():
        return
    sources = [*(ROOT / "src" / "lmlab").rglob("*.py"), *(ROOT / "book" / "_ext").rglob("*.py"),
               ROOT / "_config.yml"]
    if max(p.stat().st_mtime for p in sources) > db.stat().st_mtime:
        shutil.rmtree(cache)


@pytest.fixture(scope="session")
def built_book():
    """Run the strict build once per session; fail with the tail of its log.  The old
    HTML goes first, so no page of a removed chapter lingers in ``_build/html``."""
    _drop_stale_cache()
    shutil.rmtree(HTML, ignore_errors=True)
    proc = subprocess.run([_jupyter_book(), *BUILD_CMD[1:]], cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        log = proc.stdout + "\n" + proc.stderr
        warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
        pytest.fail(f"strict build failed (rc={proc.returncode}): {' '.join(BUILD_CMD)}\n"
                    + "\n".join(warnings[:40]) + f"\n...\n{log[-6000:]}", pytrace=False)
    return HTML


def test_strict_build(built_book):
    for page in PAGES:
        assert (built_book / f"{_rel(page)}.html").exists(), f"no HTML for {page.name}"


def _executed(rel: str) -> dict | None:
    """The executed notebook of a page (None for a page that is not a notebook)."""
    path = BUILD / "jupyter_execute" / f"{rel}.ipynb"
    return json.loads(path.read_text()) if path.exists() else None


@pytest.mark.parametrize("chapter", _chapters(), ids=lambda p: p.stem)
def test_executed_notebook_has_outputs(chapter, built_book):
    """myst-nb writes the unexecuted notebook when it takes a chapter from the cache; the
    book's extension merges the cached outputs in.  Without them the figure count below
    would read 0 and the page's .ipynb download would be empty."""
    rel = _rel(chapter)
    nb = _executed(rel)
    assert nb is not None, f"no executed notebook for {rel}"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    with_outputs = [c for c in code if c.get("outputs")]
    assert code and len(with_outputs) >= len(code) // 4, \
        f"{rel}: only {len(with_outputs)} of {len(code)} code cells have outputs"
    download = HTML / "_sources" / f"{rel}.ipynb"
    assert download.exists(), f"no .ipynb download for {rel}"
    downloaded = json.loads(download.read_text())
    assert sum(bool(c.get("outputs")) for c in downloaded["cells"]) == len(with_outputs)


def expected_figures(rel: str) -> int:
    """Plotly figures a page should show: outputs carrying plotly's mime type in the
    executed notebook (``_build/jupyter_execute/<page>.ipynb``, with outputs whether run
    now or taken from the cache), except in cells whose output is removed from the page.
    Figures pasted elsewhere with ``glue`` are not counted.  Pages that are not notebooks
    show none."""
    nb = _executed(rel)
    if nb is None:
        return 0
    count = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or REMOVED & set(cell["metadata"].get("tags", [])):
            continue
        count += sum(PLOTLY_MIME in out.get("data", {}) for out in cell.get("outputs", []))
    return count


# --------------------------------------------------------------------------- the browser
class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(built_book):
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built_book)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("page_src", PAGES, ids=[_rel(p) for p in PAGES])
def test_page(page_src, server, browser):
    rel = _rel(page_src)
    want = expected_figures(rel)
    errors: list[str] = []
    page = browser.new_page()
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("requestfailed", lambda r: errors.append(f"requestfailed: {r.url[:160]}"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url[:160]}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort())
    try:
        response = page.goto(server + rel + ".html", wait_until="load", timeout=60_000)
        assert response is not None and response.ok, f"{rel}.html did not load"
        if want:
            try:
                page.wait_for_function(
                    f"document.querySelectorAll('.js-plotly-plot').length >= {want}",
                    timeout=30_000)
            except Exception:
                pass  # the count assertion below says what was found
        page.wait_for_timeout(1500)  # late errors: MathJax, fonts
        figures = page.evaluate(PROBE)
    finally:
        page.close()

    assert not errors, f"{rel}: {len(errors)} browser errors:\n" + "\n".join(errors[:20])
    assert len(figures) == want, f"{rel}: {len(figures)} plotly figures rendered, {want} produced"
    dead = [i for i, f in enumerate(figures) if f["interactive"] and not f["live"]]
    assert not dead, f"{rel}: figures {dead} have sliders/buttons whose steps change nothing"


# --------------------------------------------------------------------------- page content
@pytest.mark.parametrize("page_src", PAGES, ids=[_rel(p) for p in PAGES])
def test_page_weight(page_src, built_book):
    size = (built_book / f"{_rel(page_src)}.html").stat().st_size
    assert size < MAX_PAGE_BYTES, \
        f"{_rel(page_src)}.html weighs {size / 1e6:.2f} MB (limit {MAX_PAGE_BYTES / 1e6:.1f} MB)"


@pytest.mark.parametrize("page_src", PAGES, ids=[_rel(p) for p in PAGES])
def test_numbers_are_filled_in(page_src, built_book):
    html = (built_book / f"{_rel(page_src)}.html").read_text()
    body = html.split('<article', 1)[-1]
    for role in ("{eval}`", "{glue:text}`", "{glue}`", "{lmlab-eval}`"):
        assert role not in body, f"{_rel(page_src)}: an unrendered {role} role"


def _text(html: str) -> str:
    """The text of an HTML fragment (tags dropped, entities decoded)."""
    return html_unescape(re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize("chapter", _chapters(), ids=lambda p: p.stem)
def test_solutions_are_hidden(chapter, built_book):
    """Every solution cell is collapsed with its output behind a toggle that says it is
    the solution (both chapters alike), and no check cell reaches the page."""
    nb = coursework.read_chapter(chapter)
    found = coursework.exercises(nb)
    html = (built_book / f"{_rel(chapter)}.html").read_text()
    n_solutions = sum(len(ex.solutions) for ex in found)
    assert html.count(SOLUTION_TOGGLE) == n_solutions, \
        f"{html.count(SOLUTION_TOGGLE)} '{SOLUTION_TOGGLE}' toggles, {n_solutions} solution cells"
    blocks = re.findall(r"<details.*?</details>", html, flags=re.S)
    hidden = _text("\n".join(b for b in blocks if SOLUTION_TOGGLE in b))
    outside = _text(re.sub(r"<details.*?</details>", "", html, flags=re.S))
    for ex in found:
        for i in ex.solutions:
            for line in nb.cells[i].source.splitlines():
                code = line.split("# SOLUTION")[0].strip()
                if line.rstrip().endswith("# SOLUTION") and len(code) > 12:
                    assert code in hidden, f"{ex.name}: {code!r} is not in its toggle"
                    assert code not in outside, f"{ex.name}: {code!r} is visible on the page"
        for i in ex.all_checks:
            lines = [ln.strip() for ln in nb.cells[i].source.splitlines()
                     if ln.strip().startswith("assert ") and len(ln.strip()) > 20]
            for line in lines[:3]:
                assert line not in outside and line not in hidden, \
                    f"{ex.name}: a check is on the page: {line!r}"


@pytest.mark.parametrize("page_src", PAGES, ids=[_rel(p) for p in PAGES])
def test_phone_layout(page_src, server, browser):
    """At 375 px: figures fit the screen; titles, buttons, sliders and tick labels do not
    overlap or get cut off.  ``python tests/phone.py --page PAGE`` shows screenshots."""
    rel = _rel(page_src)
    page = open_phone_page(browser, server, rel)
    try:
        report = page.evaluate(PHONE_PROBE)
    finally:
        page.close()
    problems = [f"figure {f['index']}: {issue}" for f in report for issue in f["issues"]]
    assert not problems, (f"{rel} at 375 px ({len(problems)} problems; screenshots: "
                          f"python tests/phone.py --page {rel}):\n" + "\n".join(problems))
