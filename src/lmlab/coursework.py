r"""Turn the book's chapters into coursework with Otter-Grader 7.

Usage (from the repository root)::

    python -m lmlab.coursework                       # every chapter in _toc.yml with exercises
    python -m lmlab.coursework book/02_ngrams.md     # one chapter
    python -m lmlab.coursework --out dist/ --no-run-tests

For each chapter the MyST source is converted to ``.ipynb`` with jupytext (in a temporary
folder) and given to ``otter assign``, which writes

* ``OUT/<chapter>/student/<chapter>.ipynb``: exercises with the solutions removed, an
  ``otter`` init cell, and ``grader.check("qN")`` cells that run the chapter's tests;
* ``OUT/<chapter>/autograder/``: the reference notebook and
  ``<chapter>-autograder_<date>.zip`` for ``otter run`` or Gradescope.

``OUT`` defaults to ``_build/coursework``; ``OUT/<chapter>`` is emptied first.  By default
``otter assign`` also runs the tests against the reference solutions and fails if one
does not pass (``--no-run-tests`` skips that; the book build runs the same tests anyway).
Nothing here needs the network.

Authoring exercises in a chapter
================================

A chapter is Otter's "master notebook" directly: Otter's markers are *raw cells*, which
Jupyter Book drops from the HTML.  Once per chapter, before the exercises::

    ```{raw-cell}
    # ASSIGNMENT CONFIG
    init_cell: true
    check_all_cell: false
    export_cell: false
    run_tests: true
    solutions_pdf: false
    ```

Then one block per question (``name`` unique in the chapter, ``points`` a number)::

    ```{raw-cell}
    # BEGIN QUESTION
    name: q1
    points: 1
    ```

    **Exercise 1.** The prompt, in markdown: what to compute and under which name.

    ```{raw-cell}
    # BEGIN SOLUTION
    ```

    ```{code-cell} ipython3
    :tags: [hide-input]
    answer = 2 + 2  # SOLUTION
    ```

    ```{raw-cell}
    # END SOLUTION
    ```

    ```{raw-cell}
    # BEGIN TESTS
    ```

    ```{code-cell} ipython3
    :tags: [remove-cell]
    assert answer == 4
    ```

    ```{raw-cell}
    # END TESTS
    ```

    ```{raw-cell}
    # END QUESTION
    ```

Rules:

* Solution cells are tagged ``hide-input`` (the reader gets a "show" toggle in the HTML);
  test cells are tagged ``remove-cell`` (hidden from the page, but still executed by the
  build, so a wrong reference solution fails the strict build).
* In a solution cell, each line ending in ``# SOLUTION`` becomes ``...`` (an assignment
  keeps its left side: ``x = ...``) for students; other lines stay as given scaffolding.
  A whole block can be removed with ``# BEGIN SOLUTION`` / ``# END SOLUTION`` *comment
  lines* inside the cell.  Without the raw-cell SOLUTION pair the answer stays visible.
* Tests are plain ``assert`` statements, one or more per cell and one or more cells per
  question; each test cell is one test case (points are shared among them).  Tests must
  fail on the student placeholders (``...``): ``tests/test_coursework.py`` checks that
  every question scores below full points on the student notebook and full points on the
  reference.
* Students run the notebook from ``OUT/<chapter>/student/``: load data through the
  ``lmlab`` package, not through paths relative to ``book/``.
* The remaining configuration keys are Otter's (``otter.assign.assignment.Assignment``);
  e.g. ``requirements: requirements.txt`` and ``generate:`` for a Gradescope autograder.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = [
    "ASSIGNMENT_MARKER",
    "toc_files",
    "has_assignment",
    "assignment_chapters",
    "tag_problems",
    "assign",
    "main",
]

#: First line of the raw cell that makes a chapter an Otter master notebook.
ASSIGNMENT_MARKER = "# ASSIGNMENT CONFIG"
DEFAULT_OUT = Path("_build") / "coursework"


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


def _read(chapter: Path):
    import jupytext

    return jupytext.read(chapter)


def _is_marker(cell, marker: str) -> bool:
    return cell.cell_type == "raw" and cell.source.lstrip().upper().startswith(marker)


def has_assignment(chapter: Path | str) -> bool:
    """Whether the chapter has an ``# ASSIGNMENT CONFIG`` raw cell."""
    return any(_is_marker(c, ASSIGNMENT_MARKER) for c in _read(Path(chapter)).cells)


def assignment_chapters(root: Path | str = ".") -> list[Path]:
    """The chapters of ``_toc.yml`` that have an assignment config, in book order."""
    return [p for p in toc_files(root) if p.exists() and has_assignment(p)]


def tag_problems(chapter: Path | str) -> list[str]:
    """Check the tags the HTML relies on: solution code cells ``hide-input``, test code
    cells ``remove-cell``.  Returns one message per offending cell (empty: all good)."""
    problems, region = [], None
    for i, cell in enumerate(_read(Path(chapter)).cells):
        if cell.cell_type == "raw":
            head = cell.source.strip().upper()
            for marker, state in (("# BEGIN SOLUTION", "solution"), ("# BEGIN TESTS", "tests"),
                                  ("# END SOLUTION", None), ("# END TESTS", None)):
                if head.startswith(marker):
                    region = state
            continue
        if cell.cell_type != "code" or region is None:
            continue
        tags = cell.metadata.get("tags", [])
        want = "hide-input" if region == "solution" else "remove-cell"
        if want not in tags:
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            problems.append(f"{chapter}: cell {i} ({region}: {first[:50]!r}) lacks tag {want!r}")
    return problems


def assign(chapter: Path | str, out: Path | str = DEFAULT_OUT, run_tests: bool = True) -> Path:
    """Run ``otter assign`` on one chapter; return ``out/<stem>`` (student/, autograder/).

    Raises ``RuntimeError`` with otter's output if it fails (e.g. a reference solution
    does not pass its tests when ``run_tests``)."""
    import jupytext

    chapter = Path(chapter)
    dest = Path(out) / chapter.stem
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lmlab-coursework-") as tmp:
        master = Path(tmp) / f"{chapter.stem}.ipynb"
        jupytext.write(jupytext.read(chapter), master, fmt="ipynb")
        cmd = [sys.executable, "-m", "otter", "assign", "--no-pdfs"]
        if not run_tests:
            cmd.append("--no-run-tests")
        cmd += [str(master), str(dest.resolve())]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)
    if proc.returncode != 0:
        raise RuntimeError(f"otter assign failed for {chapter} (rc={proc.returncode}):\n"
                           f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return dest


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m lmlab.coursework",
        description="Generate student notebooks and Otter autograders from the chapters.")
    parser.add_argument("chapters", nargs="*", type=Path,
                        help="MyST chapters (default: every chapter in _toc.yml with an "
                             "'# ASSIGNMENT CONFIG' raw cell)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output folder (default: {DEFAULT_OUT})")
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="book root holding _toc.yml (default: .)")
    parser.add_argument("--no-run-tests", action="store_true",
                        help="do not run the tests against the reference solutions")
    args = parser.parse_args(argv)

    chapters: Iterable[Path] = args.chapters or assignment_chapters(args.root)
    chapters = list(chapters)
    if not chapters:
        print(f"no chapter in {args.root / '_toc.yml'} has an {ASSIGNMENT_MARKER!r} raw cell")
        return 1
    failed = 0
    for chapter in chapters:
        if not has_assignment(chapter):
            print(f"{chapter}: no {ASSIGNMENT_MARKER!r} raw cell, skipped")
            failed += 1
            continue
        try:
            dest = assign(chapter, args.out, run_tests=not args.no_run_tests)
        except RuntimeError as err:
            print(err, file=sys.stderr)
            failed += 1
            continue
        print(f"{chapter} -> {dest}/student, {dest}/autograder")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
