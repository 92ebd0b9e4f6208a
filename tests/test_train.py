"""The trainer: reproducibility, schedule, callbacks, checkpoints, and equality with
transformers' GPT-2 over training steps."""
import math

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from lmlab.gpt import GPT, GPTConfig
from lmlab.train import (Muon, PrintProgress, TrainConfig, evaluate_loss, load_checkpoint, lr_at,
                         save_checkpoint, text_batches, train)

IDS = np.array([i % 7 + (i // 7) % 3 for i in range(3000)])        # a periodic toy text, V = 9


def small():
    return GPTConfig(vocab_size=10, n_out=9, block_size=16, n_layer=2, n_head=2, n_embd=32)


def run(steps=12, **kw):
    torch.manual_seed(0)
    model = GPT(small())
    cfg = TrainConfig(steps=steps, lr=3e-3, warmup_steps=3, eval_every=5, eval_batches=2, log_every=2, **kw)
    return model, train(model, text_batches(IDS[:2500], IDS[2500:], 16, 8, start_id=9), cfg)


def test_fixed_seed_gives_identical_losses():
    _, a = run()
    _, b = run()
    assert a.losses == b.losses and a.val_losses == b.val_losses
    _, c = run(seed=1)
    assert c.losses != a.losses


def test_training_learns_and_reports():
    model, r = run(steps=40)
    assert r.steps == 40 and len(r.losses) == 40 and r.tokens == 40 * 8 * 16
    assert r.losses[-1] < 0.5 * r.losses[0]
    assert r.val_steps == [5, 10, 15, 20, 25, 30, 35, 40] and r.val_losses[-1] < r.val_losses[0]
    assert r.precision == "float32" and not r.compiled and r.stopped == "steps"
    assert r.tokens_per_second > 0 and "40 steps" in r.summary()


def test_schedule_warmup_then_cosine():
    c = TrainConfig(steps=100, lr=1.0, warmup_steps=10, min_lr=0.1)
    assert lr_at(0.0, 0, c) == pytest.approx(0.1) and lr_at(0.09, 9, c) == pytest.approx(1.0)
    assert lr_at(0.10, 10, c) == pytest.approx(0.1 + 0.45 * (1 + math.cos(0.1 * math.pi)))
    assert lr_at(0.5, 50, c) == pytest.approx(0.55) and lr_at(1.0, 100, c) == pytest.approx(0.1)
    assert lr_at(1.0, 100, c, peak=0.02) == pytest.approx(0.002)


def test_callbacks_see_metrics_and_can_stop(capsys):
    seen = []

    def cb(step, m):
        seen.append((step, m["event"], "val_loss" in m))
        return step >= 6
    model = GPT(small())
    r = train(model, text_batches(IDS[:2500], IDS[2500:], 16, 4), TrainConfig(
        steps=20, eval_every=5, eval_batches=1, log_every=2, warmup_steps=0), callbacks=[cb, PrintProgress()])
    assert r.stopped == "callback" and r.steps == 6
    assert seen[:3] == [(2, "train", False), (4, "train", False), (5, "eval", True)]
    assert seen[-1][1] == "end"
    assert "tok/s" in capsys.readouterr().out


@pytest.mark.parametrize("clock", ["wall", "cpu"])
def test_time_budget_stops_training(clock):
    model = GPT(small())
    r = train(model, text_batches(IDS[:2500], IDS[2500:], 16, 4),
              TrainConfig(steps=10_000, max_seconds=0.5, warmup_steps=0, eval_every=0, eval_batches=1,
                          clock=clock))
    assert r.stopped == "time" and r.steps < 10_000 and r.val_steps == [r.steps]
    assert r.train_seconds == pytest.approx(r.wall_seconds if clock == "wall" else r.cpu_seconds)
    assert r.lrs[-1] < 0.2e-3          # the cosine reached its floor with the clock


def test_model_agnostic_with_loss_and_batch_functions():
    """A classifier with its own batches and loss: the same trainer, AdamW and Muon."""
    g0 = torch.Generator().manual_seed(0)
    w_true = torch.randn(5, 3, generator=g0)

    def get_batch(split, g):
        x = torch.randn(32, 5, generator=g)
        return x, (x @ w_true).argmax(1)

    for opt in ("adamw", "muon"):
        torch.manual_seed(0)
        net = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 3))
        r = train(net, get_batch, TrainConfig(steps=150, lr=1e-2, warmup_steps=0, eval_every=0,
                                              eval_batches=4, optimizer=opt),
                  loss_fn=lambda m, b: F.cross_entropy(m(b[0]), b[1]))
        assert r.val_losses[-1] < 0.5, opt


def test_muon_orthogonalizes():
    g = torch.randn(16, 8, generator=torch.Generator().manual_seed(0))
    s = torch.linalg.svdvals(Muon.orthogonalize(g))
    assert s.min() > 0.5 and s.max() < 1.3          # all singular values pushed towards 1
    assert torch.linalg.svdvals(g).max() / torch.linalg.svdvals(g).min() > 2
    b = Muon.orthogonalize(g, dtype=torch.bfloat16)            # the reference's precision
    assert b.dtype == torch.bfloat16
    s = torch.linalg.svdvals(b.float())
    assert s.min() > 0.5 and s.max() < 1.3
    with pytest.raises(ValueError, match="ns_dtype"):
        Muon([torch.zeros(2, 2, requires_grad=True)], ns_dtype=torch.float16)


def test_muon_follows_the_training_precision():
    from lmlab.train.optim import _optimizers
    m = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Linear(4, 2))
    cfg = TrainConfig(optimizer="muon")
    for precision, dt in (("float32", torch.float32), ("bfloat16", torch.bfloat16)):
        muon = [o for o in _optimizers(m, cfg, False, precision) if isinstance(o, Muon)]
        assert len(muon) == 1 and muon[0].ns_dtype == dt


def test_bf16_autocast_runs_and_is_reported():
    _, r = run(steps=3, dtype="bfloat16")
    assert r.precision == "bfloat16" and all(math.isfinite(x) for x in r.losses)


def test_bad_config():
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        TrainConfig(lr=0)
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        TrainConfig(lr=-1e-3)
    with pytest.raises(ValueError, match="dtype"):
        TrainConfig(dtype="float16")
    with pytest.raises(ValueError, match="min_lr"):
        TrainConfig(lr=1e-3, min_lr=1e-2)
    with pytest.raises(ValueError, match="no CUDA GPU|device"):
        train(GPT(small()), text_batches(IDS[:2500], IDS[2500:], 16, 4),
              TrainConfig(steps=1, device="cuda:7"))
    with pytest.raises(TypeError, match="get_batch"):
        train(GPT(small()), None)


def test_checkpoint_round_trip_and_wrong_configuration(tmp_path):
    model, _ = run(steps=3)
    p = save_checkpoint(tmp_path / "c.safetensors", model, metadata={"note": "test"})
    other = GPT(small())
    assert load_checkpoint(p, other)["note"] == "test"
    x = torch.from_numpy(IDS[:16])[None]
    torch.testing.assert_close(other(x)[0], model(x)[0])
    bigger = GPT(GPTConfig(vocab_size=10, n_out=9, block_size=16, n_layer=3, n_head=2, n_embd=32))
    with pytest.raises(ValueError, match="different configuration.*n_layer: checkpoint 2 vs model 3"):
        load_checkpoint(p, bigger)


def test_losses_equal_transformers_gpt2_over_training_steps():
    """Same configuration, same initial weights, same batches, same optimizer: our GPT's
    training losses equal GPT2LMHeadModel's (benchmarks/gpt.py runs 20 steps)."""
    transformers = pytest.importorskip("transformers")
    from lmlab.gpt.load import convert_gpt2_tensors
    from lmlab.train import load_tensors
    torch.manual_seed(0)
    hf_cfg = transformers.GPT2Config(vocab_size=9, n_positions=16, n_embd=32, n_layer=2, n_head=2,
                                     resid_pdrop=0, embd_pdrop=0, attn_pdrop=0, bos_token_id=0,
                                     eos_token_id=0)
    hf = transformers.GPT2LMHeadModel(hf_cfg)
    ours = GPT(GPTConfig(vocab_size=9, block_size=16, n_layer=2, n_head=2, n_embd=32))
    load_tensors(ours, convert_gpt2_tensors({k: v.clone() for k, v in hf.state_dict().items()}))
    get = text_batches(IDS[:2500] % 9, IDS[2500:] % 9, 16, 4)
    cfg = TrainConfig(steps=6, lr=3e-3, warmup_steps=2, eval_every=0, eval_batches=1)

    def hf_loss(m, b):
        return F.cross_entropy(m(b[0]).logits.flatten(0, 1), b[1].flatten())
    a = train(ours, get, cfg)
    b = train(hf, get, cfg, loss_fn=hf_loss)
    np.testing.assert_allclose(a.losses, b.losses, rtol=0, atol=1e-4)
    assert a.losses[-1] < a.losses[0] - 0.1
