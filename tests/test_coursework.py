"""Coursework: the chapters' Otter exercises produce working student and autograder files.

For every chapter of ``_toc.yml`` with an ``# ASSIGNMENT CONFIG`` raw cell:
* the HTML-facing tags are right (solutions ``hide-input``, tests ``remove-cell``);
* ``otter assign`` succeeds (through ``lmlab.coursework``);
* the student notebook has no solution left and one ``grader.check`` per question;
* executed as handed out, every question scores below full points;
* ``otter run`` on the reference notebook gives every question full points.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from lmlab import coursework

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = coursework.assignment_chapters(ROOT)
GRADES_TAG = "LMLAB_GRADES="

pytestmark = pytest.mark.skipif(
    not CHAPTERS, reason="no chapter in _toc.yml has an '# ASSIGNMENT CONFIG' raw cell")


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """Generate every chapter's coursework once (tests against the references run below)."""
    out = tmp_path_factory.mktemp("coursework")
    return {ch.stem: coursework.assign(ch, out, run_tests=False) for ch in CHAPTERS}


def _notebook(dest: Path, kind: str) -> Path:
    return dest / kind / f"{dest.name}.ipynb"


def _questions(nb) -> dict[str, float]:
    """Question name -> points, from the tests Otter stores in the notebook metadata."""
    return {name: float(t["points"]) for name, t in nb.metadata["otter"]["tests"].items()}


def _code(cell) -> list[str]:
    return [line.rstrip() for line in cell.source.splitlines()]


ids = [ch.stem for ch in CHAPTERS]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_exercise_cells_are_tagged_for_the_html(chapter):
    assert coursework.tag_problems(chapter) == []


@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_student_notebook_has_no_solutions_and_has_checks(chapter, dist):
    dest = dist[chapter.stem]
    student = nbformat.read(_notebook(dest, "student"), as_version=4)
    reference = nbformat.read(_notebook(dest, "autograder"), as_version=4)
    questions = _questions(student)
    assert questions, "no question found in the student notebook"

    text = "\n".join(c.source for c in student.cells)
    assert "# SOLUTION" not in text and "BEGIN SOLUTION" not in text

    answers = [c for c in student.cells if "otter_answer_cell" in c.metadata.get("tags", [])]
    solutions = [c for c in reference.cells
                 if "otter_assign_solution_cell" in c.metadata.get("tags", [])]
    assert len(answers) == len(solutions) >= len(questions)
    for answer, solution in zip(answers, solutions):
        for line in _code(solution):
            if line.endswith("# SOLUTION"):
                code = line[: -len("# SOLUTION")].rstrip()
                assert code not in _code(answer), f"solution line left for students: {code!r}"

    for name in questions:
        assert f'grader.check("{name}")' in text, f"no grader.check cell for {name}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_student_notebook_fails_its_checks(chapter, dist):
    from nbclient import NotebookClient

    dest = dist[chapter.stem]
    path = _notebook(dest, "student")
    nb = nbformat.read(path, as_version=4)
    questions = _questions(nb)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json as _json\n"
        f"print({GRADES_TAG!r} + _json.dumps("
        f"{{_q: grader.check(_q).grade for _q in {sorted(questions)!r}}}))"))
    # Placeholders (`x = ...`) may make later cells raise: run everything regardless.
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()

    last = nb.cells[-1]
    errors = [o for o in last.outputs if o.output_type == "error"]
    assert not errors, f"grading cell failed: {errors[0].ename}: {errors[0].evalue}"
    printed = "".join(o.get("text", "") for o in last.outputs if o.output_type == "stream")
    grades = json.loads(printed.split(GRADES_TAG, 1)[1].splitlines()[0])
    passing = {q: g for q, g in grades.items() if g >= 1}
    assert not passing, f"student placeholders already pass: {passing}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids)
def test_reference_solutions_get_full_points(chapter, dist, tmp_path):
    dest = dist[chapter.stem]
    zips = sorted((dest / "autograder").glob("*-autograder_*.zip"))
    assert len(zips) == 1, zips
    proc = subprocess.run(
        [sys.executable, "-m", "otter", "run", "--no-logo", "-a", str(zips[0]),
         "-o", str(tmp_path), str(_notebook(dest, "autograder"))],
        capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    scores = {t["name"]: (t.get("score"), t.get("max_score")) for t in results["tests"]
              if t.get("max_score") is not None}
    questions = _questions(nbformat.read(_notebook(dest, "autograder"), as_version=4))
    assert set(scores) == set(questions), (scores, questions)
    short = {q: s for q, s in scores.items() if s[0] != s[1] or s[1] != questions[q]}
    assert not short, f"reference solutions short of full points: {short}\n{proc.stdout[-3000:]}"
