"""The chapter 10 fill-in widget, on a small untrained BERT."""
import pytest
import torch

from lmlab.bert import BertConfig, BertLanguageModel, mlm_vocab
from lmlab.ui.bert import fill_in_explorer

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def model():
    v = mlm_vocab("to be or not to be , that is the question . " * 5, min_count=1)
    cfg = BertConfig(vocab_size=len(v), max_positions=32, n_layer=1, n_head=2, n_embd=16, intermediate=32,
                     dropout=0.0)
    return BertLanguageModel.build(v, cfg, seed=0)


def test_widget_recomputes_on_new_text(model):
    box = fill_in_explorer(model, "to be or not to [MASK]", top_k=4)
    assert len(box.figure.data[0].y) == 4
    box.controls["text"].value = "[MASK] is the question"
    want = model.fill_in("[MASK] is the question", 4)[0]
    assert list(box.figure.data[0].y) == [w for w, _ in want]
    assert list(box.figure.data[0].x) == pytest.approx([p for _, p in want])
    box.controls["top_k"].value = 2
    assert len(box.figure.data[0].y) == 2 and box.state["candidates"][0] == want[:2]


def test_widget_reports_a_text_without_blank_and_keeps_the_chart(model):
    box = fill_in_explorer(model, "to be or not to [MASK]", top_k=3)
    before = list(box.figure.data[0].y)
    box.controls["text"].value = "no blank"
    assert "must contain at least one [MASK]" in box.output.value
    assert list(box.figure.data[0].y) == before


def test_widget_checks_arguments(model):
    with pytest.raises(ValueError, match="top_k must be an integer in 1..30"):
        fill_in_explorer(model, top_k=0)
    with pytest.raises(TypeError, match="fill_in"):
        fill_in_explorer(object())


def test_attention_explorer_takes_a_pretrained_bert():
    from lmlab.bert import BertEncoder
    from lmlab.ui.attention import attention_explorer
    enc = BertEncoder.minilm()
    box = attention_explorer(enc, "The crane lifted the beam.", layer=1, head=3)
    assert box.state["tokens"] == ["[CLS]", "the", "crane", "lifted", "the", "beam", ".", "[SEP]"]
    assert box.state["maps"].shape == (6, 12, 8, 8)
    box.controls["text"].value = "Zürich, 1999!"                 # any text: WordPiece takes it
    assert box.state["tokens"][:3] == ["[CLS]", "zurich", ","]
    import numpy as np
    np.testing.assert_allclose(np.asarray(box.figure.data[0].z), box.state["maps"][1, 3], atol=1e-6)
