"""The chapter 8 widget recomputes attention maps through the model when the text, layer or
head changes (a tiny untrained GPT; one thread)."""
import numpy as np
import pytest
import torch

from lmlab.gpt import GPTConfig, GPTLanguageModel
from lmlab.ui.attention import START_LABEL, attention_explorer, attention_tokens
from lmlab.vocab import char_vocab

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def model():
    v = char_vocab("abcdefgh .")
    cfg = GPTConfig(vocab_size=len(v) + 1, n_out=len(v), block_size=8, n_layer=2, n_head=2,
                    n_embd=16)
    return GPTLanguageModel.build(v, cfg, seed=0)


def test_tokens_follow_the_model_crop(model):
    assert attention_tokens(model, "abc") == [START_LABEL, "a", "b", "c"]
    assert attention_tokens(model, "abcdefgh.") == [START_LABEL] + list("cdefgh.")  # last 7


def test_widget_recomputes_on_every_control(model):
    box = attention_explorer(model, "abc", layer=1, head=0)
    maps = model.attention_maps("abc")
    np.testing.assert_allclose(box.figure.data[0].z, maps[1, 0], rtol=1e-6)
    box.controls["head"].value = 1
    np.testing.assert_allclose(box.figure.data[0].z, maps[1, 1], rtol=1e-6)
    assert box.figure.layout.title.text == "layer 2, head 2"
    box.controls["text"].value = "hag ."
    new = model.attention_maps("hag .")
    assert box.state["maps"].shape == new.shape == (2, 2, 6, 6)
    np.testing.assert_allclose(box.figure.data[0].z, new[1, 1], rtol=1e-6)
    assert len(box.figure.data[0].x) == 6 and box.figure.data[0].x[0].endswith(START_LABEL)
    box.controls["text"].value = "xyz"                      # not in the vocabulary
    assert "unknown" in box.output.value
    np.testing.assert_allclose(box.figure.data[0].z, new[1, 1], rtol=1e-6)   # kept


def test_widget_bad_arguments(model):
    with pytest.raises(ValueError, match="layer"):
        attention_explorer(model, "abc", layer=2)
    with pytest.raises(TypeError):
        attention_explorer(object(), "abc")
