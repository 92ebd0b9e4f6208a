"""The chapter 9 training monitor, driven by the real trainer on a tiny GPT."""
import math

import pytest
import torch

from lmlab.gpt import GPTConfig, GPTLanguageModel
from lmlab.train import TrainConfig, text_batches, train
from lmlab.ui.gpt import training_monitor
from lmlab.vocab import char_vocab

torch.set_num_threads(1)


def test_monitor_follows_a_real_training_run():
    text = "to be or not to be, that is the question. " * 20
    v = char_vocab(text)
    cfg = GPTConfig(vocab_size=len(v) + 1, n_out=len(v), block_size=16, n_layer=1, n_head=2,
                    n_embd=16)
    m = GPTLanguageModel.build(v, cfg, seed=0)
    ids = v.encode(text)
    gb = text_batches(ids[:600], ids[600:], 16, 4, start_id=m.start_id)
    box = training_monitor(12, baselines={"uniform": math.log(len(v))})
    res = train(m.model, gb, TrainConfig(steps=12, warmup_steps=2, eval_every=6, eval_batches=2,
                                         log_every=3), callbacks=[box.callback])
    assert box.state["val_loss"] == pytest.approx(res.val_losses)     # each held-out loss once
    assert len(box.state["loss"]) == 4                                 # steps 3, 6, 9, 12
    assert list(box.figure.data[1].y) == pytest.approx(res.val_losses)
    assert box.progress.value == 12 and box.progress.bar_style == "success"
    assert "tokens/s" in box.output.value and "12 / 12" in box.output.value
    assert list(box.figure.data[2].y) == pytest.approx([math.log(len(v))] * 2)
    assert list(box.figure.data[2].x) == pytest.approx([0.0, res.train_seconds])


def test_monitor_checks_arguments():
    with pytest.raises(ValueError, match="steps"):
        training_monitor(0)
    box = training_monitor(5)
    with pytest.raises(TypeError):
        box.callback(1, [1, 2])
