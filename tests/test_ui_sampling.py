"""Tests of the chapter 1 widget (lmlab.ui.sampling): every control recomputes the
distribution and the sample through the computation layer, synchronously."""
import html

import numpy as np
import pytest

from lmlab import ngram, sampling, vocab
from lmlab.corpus import words
from lmlab.ui import sampling as us

TEXT = ("to be or not to be , that is the question : whether ' tis nobler in the mind "
        "to suffer the slings and arrows of outrageous fortune , or to take arms against "
        "a sea of troubles , and by opposing end them . to die , to sleep . ") * 5


@pytest.fixture(scope="module")
def model():
    toks = words(TEXT)
    v = vocab.word_vocab(toks, min_count=2)
    return ngram.fit(v, toks, order=3)


def expected(model, prompt, t, k, seed, length=12):
    z = model.next_log_probs([model.vocab.encode(prompt)])[0]
    zk = z if k >= len(z) else sampling.top_k_filter(z, k)
    p = sampling.softmax(zk, t)
    text = sampling.generate(model, model.vocab.encode(prompt), length=length, temperature=t,
                             top_k=None if k >= len(z) else k, seed=seed)
    return z, p, text


def check(box, model, prompt, t, k, seed, n_bars=15):
    z, p, text = expected(model, prompt, t, k, seed)
    fig, ids = box.figure, np.asarray(box.state["ids"])
    assert len(ids) == n_bars
    # the bars are the most likely words under the model, most likely first ...
    np.testing.assert_allclose(z[ids], np.sort(z)[::-1][:n_bars])
    # ... drawn with the probabilities actually sampled from (temperature and top-k applied)
    np.testing.assert_allclose(fig.data[0].y, p[ids], atol=1e-12)
    assert list(fig.data[0].x) == [html.escape(model.vocab.symbols[i], quote=False) for i in ids]
    assert fig.data[1].y[0] == pytest.approx(1 - p[ids].sum(), abs=1e-9)
    assert box.state["entropy"] == pytest.approx(sampling.entropy(p))
    assert box.state["sample"] == text
    assert html.escape(text) in box.output.value
    assert f"T = {t:.3g}" in fig.layout.title.text


def test_top_k_options():
    opts = us.top_k_options(300)
    assert [k for _, k in opts] == [1, 2, 3, 5, 10, 20, 50, 100, 200, 300]
    assert opts[-1][0].startswith("all")
    assert [k for _, k in us.top_k_options(4)] == [1, 2, 3, 4]


def test_next_distribution_applies_temperature_and_top_k(rng):
    z = sampling.log_softmax(rng.normal(size=50) * 2)
    ids, probs, rest, h = us.next_distribution(z, 0.5, 5, n_bars=10)
    np.testing.assert_array_equal(ids, np.argsort(-z)[:10])
    p = sampling.softmax(sampling.top_k_filter(z, 5), 0.5)
    np.testing.assert_allclose(probs, p[ids])
    assert np.count_nonzero(probs) == 5 and rest == pytest.approx(0.0, abs=1e-12)
    assert h == pytest.approx(sampling.entropy(p))
    ids, probs, rest, h = us.next_distribution(z, 1.0, None, n_bars=10)
    np.testing.assert_allclose(probs, np.exp(z[ids]))
    assert rest == pytest.approx(1 - np.exp(z[ids]).sum())


def test_controls_recompute(model):
    box = us.sampling_explorer(model, prompt="to be or", temperature=0.8, seed=0, length=12)
    assert set(box.controls) == {"temperature", "top_k", "prompt", "seed"}
    v = len(model.vocab)
    check(box, model, "to be or", 0.8, v, 0)

    box.controls["temperature"].value = 2.0
    check(box, model, "to be or", 2.0, v, 0)

    box.controls["top_k"].value = 3
    check(box, model, "to be or", 2.0, 3, 0)
    assert np.count_nonzero(box.figure.data[0].y) == 3

    before = box.state["sample"]
    box.controls["seed"].value = 5
    check(box, model, "to be or", 2.0, 3, 5)
    assert box.state["sample"] != before              # a new seed draws a new sample

    box.controls["prompt"].value = "the slings and"
    check(box, model, "the slings and", 2.0, 3, 5)

    box.controls["prompt"].value = ""                 # empty context: still a distribution
    check(box, model, "", 2.0, 3, 5)


def test_greedy_like_settings(model):
    box = us.sampling_explorer(model, prompt="to be or", temperature=0.1, top_k=1, length=12)
    assert box.state["sample"] == sampling.generate(model, model.vocab.encode("to be or"),
                                                    length=12, greedy=True)
    assert box.figure.data[0].y[0] == pytest.approx(1.0)


def test_rejects_bad_arguments(model):
    with pytest.raises(TypeError):
        us.sampling_explorer("not a model")
    with pytest.raises(ValueError):
        us.sampling_explorer(model, top_k=0)
    with pytest.raises(ValueError):
        us.sampling_explorer(model, temperature=0.0)


def test_every_widget_has_the_same_shape(model):
    """controls, figure, output and state, as lmlab.ui.widget_box builds them."""
    import ipywidgets as widgets

    from lmlab.ngram import NGramCounts
    from lmlab.ui.ngram import ngram_sampler
    from lmlab.vocab import char_vocab
    v = char_vocab("abcab ba")
    boxes = [us.sampling_explorer(model, length=5), ngram_sampler(v, NGramCounts.from_text(v, "abcab ba", 3), length=5)]
    for box in boxes:
        assert isinstance(box, widgets.VBox)
        assert isinstance(box.controls, dict) and box.controls
        assert all(isinstance(c, widgets.ValueWidget) for c in box.controls.values())
        assert isinstance(box.output, widgets.HTML) and box.output.value
        assert isinstance(box.state, dict) and box.state["sample"]
        assert box.figure is None or box.figure in box.children
    with pytest.raises(TypeError, match="controls must be a non-empty dict"):
        from lmlab.ui import widget_box
        widget_box([], {})
