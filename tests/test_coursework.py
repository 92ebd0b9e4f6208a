"""Coursework: the chapters' exercises give working student notebooks and autograders.

First on a tiny chapter written here (fast, and independent of the book's chapters):
* Otter's raw-cell format converts to the tag convention, and converting again changes
  nothing;
* a failed check prints its message in words, never the check's code or the solution, and
  no doctest trace; the hidden check is not in the student's notebook.

Then for every chapter of ``_toc.yml`` with exercises:
* its exercise cells are well formed;
* the student notebook has no solution left and one ``grader.check`` per exercise; run in
  an empty folder with Otter in its Colab mode (tests only from files, none beside the
  notebook), its first cell writes the public checks and every exercise scores below full
  points, and what the checks print contains no line of the solution;
* ``otter run`` of the autograder zip on the reference notebook gives full points;
* every recorded wrong answer (``tests/wrong_answers/<chapter>.py``) fails a check, every
  exercise has at least one, and the reference passes all its checks.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from lmlab import coursework

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = coursework.assignment_chapters(ROOT)
GRADES_TAG = "LMLAB_GRADES="
ids = [ch.stem for ch in CHAPTERS]

# Otter decides it runs on Colab from the shell's class name; make it think so.
COLAB_MODE = ("from otter.check.utils import IPythonInterpreter as _I\n"
              "_I.COLAB.value.check_strs.append(type(get_ipython()).__name__)")

TINY = '''---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3 (ipykernel), language: python, name: python3}
---

# A tiny chapter

```{raw-cell}
# ASSIGNMENT CONFIG
init_cell: true
check_all_cell: false
export_cell: false
solutions_pdf: false
run_tests: true
```

```{code-cell} ipython3
import numpy as np
```

```{raw-cell}
# BEGIN QUESTION
name: q1
points: 2
```

**Exercise 1.** Set `total` to the sum of the squares of 1..10.

```{raw-cell}
# BEGIN SOLUTION
```

```{code-cell} ipython3
:tags: [hide-input]

total = int(np.sum(np.arange(1, 11) ** 2))  # SOLUTION
```

```{raw-cell}
# END SOLUTION
```

```{raw-cell}
# BEGIN TESTS
```

```{code-cell} ipython3
:tags: [remove-cell]

assert isinstance(total, int), f"total should be an int, got {type(total).__name__}"
assert total % 5 == 0, f"total should be a multiple of 5, got {total}"
```

```{code-cell} ipython3
:tags: [remove-cell]

# HIDDEN
assert total == sum(k * k for k in range(1, 11)), f"total should be 385, got {total}"
```

```{raw-cell}
# END TESTS
```

```{raw-cell}
# END QUESTION
```
'''


# --------------------------------------------------------------------------- helpers
def _notebook(dest: Path, kind: str) -> Path:
    return dest / kind / f"{dest.name}.ipynb"


def _questions(nb) -> dict[str, float]:
    """Question name -> points, from the tests Otter stores in the notebook metadata."""
    out = {}
    for name, test in nb.metadata["otter"]["tests"].items():
        env: dict = {}
        exec(test, env) if isinstance(test, str) else env.update(test)
        out[name] = float(env["points"])
    return out


def _solution_lines(chapter: Path) -> list[str]:
    """The code of every ``# SOLUTION`` line of a chapter (what students must not see)."""
    nb = coursework.read_chapter(chapter)
    lines = []
    for ex in coursework.exercises(nb):
        for i in ex.solutions:
            for line in nb.cells[i].source.splitlines():
                if line.rstrip().endswith("# SOLUTION"):
                    code = line.rstrip()[: -len("# SOLUTION")].strip()
                    if len(code) >= 12:   # short lines ("x = 0") may occur anywhere
                        lines.append(code)
    return lines


def _run_student(dest: Path, workdir: Path) -> tuple[dict, dict]:
    """Copy the student notebook alone into ``workdir``, run it in Otter's Colab mode,
    and return (grades, what grader.check printed) per question."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"{dest.name}.ipynb"
    shutil.copy(_notebook(dest, "student"), path)
    nb = nbformat.read(path, as_version=4)
    questions = sorted(_questions(nb))
    nb.cells.insert(0, nbformat.v4.new_code_cell(COLAB_MODE))
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json as _json\n"
        f"_r = {{_q: grader.check(_q) for _q in {questions!r}}}\n"
        f"print({GRADES_TAG!r} + _json.dumps({{_q: [_t.grade, repr(_t)] "
        "for _q, _t in _r.items()}))"))
    from nbclient import NotebookClient

    # Placeholders (`x = ...`) may make later cells raise: run everything regardless.
    NotebookClient(nb, timeout=900, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(workdir)}}).execute()
    last = nb.cells[-1]
    errors = [o for o in last.outputs if o.output_type == "error"]
    assert not errors, f"grading cell failed: {errors[0].ename}: {errors[0].evalue}"
    printed = "".join(o.get("text", "") for o in last.outputs if o.output_type == "stream")
    result = json.loads(printed.split(GRADES_TAG, 1)[1].splitlines()[0])
    return {q: g for q, (g, _) in result.items()}, {q: r for q, (_, r) in result.items()}


def _otter_run(dest: Path, out: Path) -> dict:
    zips = sorted((dest / "autograder").glob("*-autograder_*.zip"))
    assert len(zips) == 1, zips
    proc = subprocess.run(
        [sys.executable, "-m", "otter", "run", "--no-logo", "-a", str(zips[0]),
         "-o", str(out), str(_notebook(dest, "autograder"))],
        capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads((out / "results.json").read_text())
    return {t["name"]: (t.get("score"), t.get("max_score")) for t in results["tests"]
            if t.get("max_score") is not None}


# --------------------------------------------------------------------------- the machinery
@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    chapter = folder / "book" / "99_tiny.md"
    chapter.parent.mkdir()
    chapter.write_text(TINY)
    return chapter


def test_converter_rewrites_raw_cells_and_is_idempotent(tiny, tmp_path):
    path = tmp_path / tiny.name
    shutil.copy(tiny, path)
    assert coursework.convert_chapter(path) is True
    once = path.read_text()
    assert coursework.convert_chapter(path) is False and path.read_text() == once
    assert "{raw-cell}" not in once and "# HIDDEN" not in once
    nb = coursework.read_chapter(path)
    [ex] = coursework.exercises(nb)
    assert (ex.name, ex.points, len(ex.checks), len(ex.hidden_checks)) == ("q1", 2.0, 1, 1)
    solution = nb.cells[ex.solutions[0]]
    assert solution.metadata["tags"] == ["solution"]          # HTML tags come from the book
    assert solution.metadata["exercise"] == {"name": "q1", "points": 2}
    hidden = nb.cells[ex.hidden_checks[0]]
    assert hidden.metadata["tags"] == ["hidden-check"]
    assert hidden.source.startswith("assert total ==")
    assert hidden.metadata["jupyter"] == {"source_hidden": True}
    # the same exercise, read from either format
    raw = coursework.exercises(coursework.read_chapter(tiny))
    assert [(e.name, e.points) for e in raw] == [("q1", 2.0)]


def test_otter_master_has_the_raw_markers_and_exception_tests(tiny):
    master = coursework.otter_master(coursework.read_chapter(tiny))
    raw = [c.source.splitlines()[0] for c in master.cells if c.cell_type == "raw"]
    assert raw == ["# ASSIGNMENT CONFIG", "# BEGIN QUESTION", "# BEGIN SOLUTION",
                   "# END SOLUTION", "# BEGIN TESTS", "# END TESTS", "# END QUESTION"]
    tests = [c.source for c in master.cells if c.cell_type == "code" and "def q1_check" in c.source]
    assert len(tests) == 2 and tests[1].startswith("# HIDDEN\n") and "# HIDDEN" not in tests[0]


@pytest.fixture(scope="module")
def tiny_dist(tiny, tmp_path_factory):
    return coursework.assign(tiny, tmp_path_factory.mktemp("tiny_out"), root=ROOT)


def test_tiny_failure_prints_the_message_not_the_solution(tiny_dist, tmp_path):
    student = nbformat.read(_notebook(tiny_dist, "student"), as_version=4)
    text = "\n".join(c.source for c in student.cells)
    assert "np.arange(1, 11) ** 2" not in text and "sum(k * k" not in text
    assert "%pip install" in student.cells[0].source and "google.colab" in student.cells[0].source
    grades, printed = _run_student(tiny_dist, tmp_path / "student")
    assert grades == {"q1": 0.0}
    out = printed["q1"]
    assert "total should be an int, got ellipsis" in out, out
    for forbidden in ("np.arange", "sum(k * k", "Trying:", "Traceback", "% 5"):
        assert forbidden not in out, f"{forbidden!r} in the student's failure output:\n{out}"
    assert (tmp_path / "student" / "tests" / "q1.py").exists()


def test_tiny_reference_gets_full_points_with_the_hidden_check(tiny_dist, tmp_path):
    assert _otter_run(tiny_dist, tmp_path) == {"q1": (2.0, 2.0)}


def test_tiny_wrong_answers(tiny):
    results, reference = coursework.try_wrong_answers(
        tiny, {"q1": ["total = 390", "total = 385.0", "total = 55"]})
    assert reference == {"q1": [None, None]}
    caught = [(r.answer, [f is not None for f in r.failures]) for r in results]
    # 390: only the hidden check catches it; 385.0: the public type check; 55: both
    assert caught == [("total = 390", [False, True]), ("total = 385.0", [True, False]),
                      ("total = 55", [False, True])]


# --------------------------------------------------------------------------- the chapters
pytestmark_chapters = pytest.mark.skipif(not CHAPTERS, reason="no chapter has exercises")


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """Generate every chapter's coursework once (tests against the references run below)."""
    out = tmp_path_factory.mktemp("coursework")
    return {ch.stem: coursework.assign(ch, out, run_tests=False, root=ROOT) for ch in CHAPTERS}


@pytestmark_chapters
@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_exercise_cells_are_well_formed(chapter):
    assert coursework.tag_problems(chapter) == []


@pytestmark_chapters
@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_student_notebook_has_no_solutions_and_has_checks(chapter, dist):
    dest = dist[chapter.stem]
    student = nbformat.read(_notebook(dest, "student"), as_version=4)
    questions = _questions(student)
    assert {e.name for e in coursework.exercises(coursework.read_chapter(chapter))} \
        == set(questions)
    text = "\n".join(c.source for c in student.cells)
    assert "# SOLUTION" not in text and "BEGIN SOLUTION" not in text
    for code in _solution_lines(chapter):
        assert code not in text, f"solution line left for students: {code!r}"
    for name in questions:
        assert f'grader.check("{name}")' in text, f"no grader.check cell for {name}"
    setup = student.cells[0].source
    assert "google.colab" in setup and "%pip install" in setup and "otter-grader==" in setup


@pytestmark_chapters
@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_student_notebook_fails_its_checks_and_shows_no_solution(chapter, dist, tmp_path):
    grades, printed = _run_student(dist[chapter.stem], tmp_path / "student")
    passing = {q: g for q, g in grades.items() if g >= 1}
    assert not passing, f"student placeholders already pass: {passing}"
    for q, out in printed.items():
        assert "Trying:" not in out and "Traceback" not in out, f"{q} prints a trace:\n{out}"
        for code in _solution_lines(chapter):
            assert code not in out, f"{q}: the failure output shows the solution {code!r}"


@pytestmark_chapters
@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_reference_solutions_get_full_points(chapter, dist, tmp_path):
    dest = dist[chapter.stem]
    scores = _otter_run(dest, tmp_path)
    questions = _questions(nbformat.read(_notebook(dest, "autograder"), as_version=4))
    assert set(scores) == set(questions), (scores, questions)
    short = {q: s for q, s in scores.items() if s[0] != s[1] or s[1] != questions[q]}
    assert not short, f"reference solutions short of full points: {short}"


@pytestmark_chapters
@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_recorded_wrong_answers_fail_their_checks(chapter):
    names = [e.name for e in coursework.exercises(coursework.read_chapter(chapter))]
    wrong = coursework.wrong_answers(chapter, ROOT)
    missing = [n for n in names if not wrong.get(n)]
    assert not missing, (f"no wrong answer recorded for {missing} in "
                         f"tests/wrong_answers/{chapter.stem}.py (WRONG = {{'q1': ['code', ...]}})")
    results, reference = coursework.try_wrong_answers(chapter, wrong)
    broken = {q: r for q, r in reference.items() if any(f is not None for f in r)}
    assert not broken, f"the reference solutions fail their checks: {broken}"
    solution = _solution_lines(chapter)
    for r in results:
        assert r.caught, f"{r.exercise}: this wrong answer passes every check:\n{r.answer}"
        for message in r.failures[: r.public]:
            for code in solution:
                assert message is None or code not in message, \
                    f"{r.exercise}: a public check's message shows the solution {code!r}"
