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


def test_add_k_explorer_recomputes_through_the_scorer(setup):
    import numpy as np
    from lmlab.ngram.analysis import AddKScorer
    from lmlab.ui.ngram import add_k_explorer
    v, counts = setup
    scorer = AddKScorer(counts, v.encode(VAL))
    kn = -counts.kn_log_probs_by_order(v.encode(VAL)).mean(axis=1)
    box = add_k_explorer(scorer, references={"Kneser-Ney": kn}, k=1.0)
    assert set(box.controls) == {"k"} and box.figure is not None
    for k in (0.01, 3.0):
        box.controls["k"].value = k
        nats = scorer.nats(box.controls["k"].value)
        np.testing.assert_allclose(box.state["nats"], nats)
        np.testing.assert_allclose(box.figure.data[0].y, nats / math.log(2))
        assert box.state["best_n"] == int(np.argmin(nats)) + 1
        assert list(box.figure.data[1].x) == [box.state["best_n"]]
        assert f"best order n = {box.state['best_n']}" in box.output.value
        # the scorer agrees with the model itself
        model = NGramModel(v, counts, NGramConfig(3, "add-k", box.controls["k"].value))
        assert nats[2] == pytest.approx(-model.log_probs(VAL).mean(), rel=1e-12)
    with pytest.raises(ValueError, match="k_range"):
        add_k_explorer(scorer, k=1000.0)
    with pytest.raises(TypeError, match="AddKScorer"):
        add_k_explorer(counts)
