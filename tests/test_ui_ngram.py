"""Tests of the chapter 2 widget (lmlab.ui.ngram): every control recomputes through the
computation layer, synchronously."""
import html
import math

import pytest

from lmlab.ngram import NGramConfig, NGramCounts, NGramModel
from lmlab.sampling import generate
from lmlab.ui.ngram import ngram_sampler
from lmlab.vocab import char_vocab

TRAIN = ("ROMEO:\nBut soft, what light through yonder window breaks?\n"
         "It is the east, and Juliet is the sun.\n") * 20
VAL = "JULIET:\nO Romeo, Romeo, wherefore art thou Romeo?\n"


@pytest.fixture(scope="module")
def setup():
    v = char_vocab(TRAIN + VAL)
    counts = NGramCounts.from_text(v, TRAIN, 4)
    return v, counts


def expected(v, counts, n, t, seed, prompt, length):
    model = NGramModel(v, counts, NGramConfig(n))
    return html.escape(generate(model, prompt=prompt, length=length, temperature=t, seed=seed))


def heldout_bits(v, counts):
    """{n: held-out bits per character} as the chapter computes it."""
    lp = counts.kn_log_probs_by_order(v.encode(VAL))
    return {n + 1: float(-lp[n].mean() / math.log(2)) for n in range(counts.max_order)}


def test_controls_recompute(setup):
    v, counts = setup
    bits = heldout_bits(v, counts)
    box = ngram_sampler(v, counts, heldout_bits=bits, length=40, n=2)
    assert set(box.controls) == {"n", "temperature", "seed", "prompt"}
    assert box.figure is None
    out = box.output
    assert expected(v, counts, 2, 1.0, 0, "", 40) in out.value
    assert f"{bits[2]:.3f}" in out.value

    box.controls["n"].value = 4
    assert expected(v, counts, 4, 1.0, 0, "", 40) in out.value
    assert "4-gram" in out.value and f"{bits[4]:.3f}" in out.value

    box.controls["temperature"].value = 0.5
    assert expected(v, counts, 4, 0.5, 0, "", 40) in out.value

    before = out.value
    box.controls["seed"].value = 7
    assert expected(v, counts, 4, 0.5, 7, "", 40) in out.value
    assert out.value != before

    box.controls["prompt"].value = "ROMEO:\n"
    assert expected(v, counts, 4, 0.5, 7, "ROMEO:\n", 40) in out.value
    assert '<span style="color: #777">ROMEO:\n</span>' in out.value
    assert box.state["sample"] is not None and html.escape(box.state["sample"]) in out.value
    assert {k: box.state[k] for k in ("n", "temperature", "seed", "prompt")} == \
        {"n": 4, "temperature": 0.5, "seed": 7, "prompt": "ROMEO:\n"}


def test_unknown_prompt_symbol_is_reported(setup):
    v, counts = setup
    box = ngram_sampler(v, counts, length=10)
    box.controls["prompt"].value = "Zebra"
    assert "never seen" in box.output.value and "'Z'" in box.output.value
    assert box.state["sample"] is None
    box.controls["prompt"].value = "But"          # a valid prompt samples again
    assert "never seen" not in box.output.value


def test_invalid_arguments(setup):
    v, counts = setup
    with pytest.raises(ValueError):
        ngram_sampler(v, counts, n=5)
    with pytest.raises(TypeError):
        ngram_sampler(v, "not counts")
    with pytest.raises(ValueError):
        ngram_sampler(char_vocab("ab"), counts)
