"""The exercises of book/05_training.md: the reference solutions pass their checks, and
every plausible wrong answer of tests/wrong_answers/05_training.py is rejected with a
message in words that does not reveal the solution.

Runs only the cells each exercise needs (the chapter's imports, the valley surface, the
exercise's own cells), not the whole chapter.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import jupytext
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "book" / "05_training.md"
spec = importlib.util.spec_from_file_location("wrong05", ROOT / "tests" / "wrong_answers" / "05_training.py")
wrong = importlib.util.module_from_spec(spec)
spec.loader.exec_module(wrong)

SETUP = """
import numpy as np
from lmlab import landscape, backprop
valley = landscape.get_surface("valley")
lrs = [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.17, 0.2]
"""


def _questions() -> dict[str, dict[str, list[str]]]:
    """name -> {"prompt": [code cells before the solution], "solution": [...], "tests": [...]}"""
    out, current, part = {}, None, None
    for cell in jupytext.read(CHAPTER).cells:
        src = cell.source.strip()
        if cell.cell_type == "raw":
            if src.startswith("# BEGIN QUESTION"):
                current = src.split("name:")[1].split()[0]
                out[current] = {"prompt": [], "solution": [], "tests": []}
                part = "prompt"
            elif src.startswith("# BEGIN SOLUTION"):
                part = "solution"
            elif src.startswith("# BEGIN TESTS"):
                part = "tests"
            elif src.startswith("# END QUESTION"):
                current = part = None
            elif src.startswith("# END"):
                part = "prompt" if current else None
        elif cell.cell_type == "code" and current and part:
            out[current][part].append(cell.source)
    return out


QUESTIONS = _questions()


def _run(question: str, solution: str) -> None:
    g: dict = {}
    exec(SETUP, g)
    for src in QUESTIONS[question]["prompt"]:
        exec(src, g)
    exec(solution, g)
    for src in QUESTIONS[question]["tests"]:
        exec(src, g)


def test_there_are_three_graded_questions_with_hidden_tests():
    assert set(QUESTIONS) >= {"q1", "q2", "q3"}
    for name, q in QUESTIONS.items():
        assert q["solution"] and q["tests"], name
        assert all(t.lstrip().startswith("# HIDDEN") for t in q["tests"]), f"{name}: tests must be hidden"


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_reference_solution_passes(question):
    _run(question, "\n".join(QUESTIONS[question]["solution"]))


@pytest.mark.parametrize("question, code", [(q, c) for q, cs in wrong.WRONG.items() for c in cs])
def test_wrong_answer_is_rejected_in_words(question, code):
    with pytest.raises(AssertionError) as err:
        _run(question, code)
    message = str(err.value)
    assert len(message) > 20, "the check must say in words what is wrong"
    if question == "q2":            # the right number must not appear in the message
        x = np.linspace(0.0, 4.0, 20) + 3
        lam = np.linalg.eigvalsh(2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]]))
        assert f"{2 / lam[-1]:.4g}" not in message
    if question == "q1":
        assert "0.17" not in message
