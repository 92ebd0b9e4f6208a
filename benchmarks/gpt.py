"""GPT benchmarks: correctness and speed against transformers' GPT-2, the key/value cache,
and the 10-minute "moonshot" (a character GPT below the best Kneser-Ney n-gram).

    python benchmarks/gpt.py                      # (a) equality, (b) speed, (c) KV cache,
                                                  # (e) attention kernel vs explicit
    python benchmarks/gpt.py --moonshot           # (d) 10 minutes of training, 2 threads
    python benchmarks/gpt.py --moonshot --compile true --save src/lmlab/data/gpt_char.safetensors
                                                  # remakes the checkpoint shipped with lmlab
    python benchmarks/gpt.py --text PATH          # any text file, split 90/10

Every timing is printed with the machine's load average (``os.getloadavg``), since the
machine may be shared; speed runs alternate the two models and report min and median.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lmlab import corpus, ngram, vocab as vocab_mod                          # noqa: E402
from lmlab.device import resolve_dtype                                       # noqa: E402
from lmlab.gpt import GPT, GPTConfig, GPTLanguageModel                       # noqa: E402
from lmlab.gpt.load import convert_gpt2_tensors                              # noqa: E402
from lmlab.lm import evaluate                                                # noqa: E402
from lmlab.train import (PrintProgress, TrainConfig, load_tensors, text_batches,  # noqa: E402
                         train)


def load() -> str:
    a, b, c = os.getloadavg()
    return f"load {a:.2f} {b:.2f} {c:.2f}"


def data(args):
    c = corpus.from_file(args.text) if args.text else corpus.shakespeare()
    v = vocab_mod.char_vocab(c.text)
    return c, v, v.encode(c.train), v.encode(c.val)


def hf_pair(n_symbols: int, block: int = 64, seed: int = 0):
    """GPT2LMHeadModel and our GPT with the same configuration (nanoGPT's baby: 4 layers,
    4 heads, 128 wide) and the same initial weights (copied from the HF model)."""
    import transformers
    torch.manual_seed(seed)
    hf_cfg = transformers.GPT2Config(vocab_size=n_symbols, n_positions=block, n_embd=128, n_layer=4,
                                     n_head=4, resid_pdrop=0, embd_pdrop=0, attn_pdrop=0,
                                     bos_token_id=0, eos_token_id=0)
    hf = transformers.GPT2LMHeadModel(hf_cfg)
    ours = GPT(GPTConfig(vocab_size=n_symbols, block_size=block, n_layer=4, n_head=4, n_embd=128))
    load_tensors(ours, convert_gpt2_tensors({k: v.clone() for k, v in hf.state_dict().items()}))
    return ours, hf


def hf_loss(m, b):
    return F.cross_entropy(m(b[0]).logits.flatten(0, 1), b[1].flatten())


def equality(args, tr, va, V):
    print("\n(a) our GPT vs transformers' GPT2LMHeadModel: same config (4L/4H/128, ctx 64), same "
          "initial weights, same 20 batches of 12, AdamW lr 1e-3 with warm-up, fp32")
    ours, hf = hf_pair(V)
    get = text_batches(tr, va, 64, 12)
    cfg = TrainConfig(steps=20, lr=1e-3, warmup_steps=5, eval_every=0, eval_batches=1)
    a = train(ours, get, cfg)
    b = train(hf, get, cfg, loss_fn=hf_loss)
    d = np.abs(np.array(a.losses) - np.array(b.losses))
    for i in (0, 4, 9, 14, 19):
        print(f"  step {i + 1:2d}: ours {a.losses[i]:.6f}  HF {b.losses[i]:.6f}  |diff| {d[i]:.1e}")
    print(f"  max |difference| over 20 steps: {d.max():.2e} (target <= 1e-4): "
          f"{'PASS' if d.max() <= 1e-4 else 'FAIL'}")


def speed(args, tr, va, V):
    for dtype in args.speed_dtypes.split(","):
        speed_one(args, tr, va, V, dtype)


def speed_one(args, tr, va, V, dtype):
    precision = resolve_dtype(dtype, torch.device("cpu"))
    print(f"\n(b) training tokens/s, our GPT vs GPT2LMHeadModel, same config (4L/4H/128, ctx 64, "
          f"batch 12), dtype={dtype!r} ({precision}{' autocast' if precision != 'float32' else ''} "
          f"for both), {torch.get_num_threads()} threads, {args.rounds} alternating rounds "
          f"of {args.speed_steps} steps (after a warm-up round); both trained by the same loop, "
          f"lmlab.train.train (AdamW fused, lr 1e-3 with warm-up, clip 1.0), HF's loss through loss_fn")
    ours, hf = hf_pair(V)
    get = text_batches(tr, va, 64, 12)
    cfg = TrainConfig(steps=args.speed_steps, lr=1e-3, warmup_steps=5, eval_every=0, eval_batches=1,
                      dtype=dtype)
    res = {("ours", "wall"): [], ("hf", "wall"): [], ("ours", "cpu"): [], ("hf", "cpu"): []}
    pair = (("ours", ours, None), ("hf", hf, hf_loss))
    for r in range(args.rounds + 1):
        for name, m, lf in (pair if r % 2 else pair[::-1]):      # who goes first alternates too
            out = train(m, get, cfg, loss_fn=lf)
            wall, cpu = out.tokens / out.wall_seconds, out.tokens / out.cpu_seconds
            if r:
                res[name, "wall"].append(wall)
                res[name, "cpu"].append(cpu)
                print(f"  round {r}: {name:4s} {wall:9,.0f} tokens/s wall, {cpu:9,.0f} tokens per "
                      f"CPU-second/threads   ({load()})")
    for clock in ("wall", "cpu"):
        unit = "tokens/s" if clock == "wall" else "tokens per CPU-s/threads"
        for name in ("ours", "hf"):
            x = res[name, clock]
            print(f"  {name:4s} {clock}: min {min(x):,.0f}, median {statistics.median(x):,.0f}, "
                  f"max {max(x):,.0f} {unit}")
        ratios = [a / b for a, b in zip(res["ours", clock], res["hf", clock])]
        print(f"  {clock}: ratio of medians {statistics.median(res['ours', clock]) / statistics.median(res['hf', clock]):.2f}, "
              f"of maxima {max(res['ours', clock]) / max(res['hf', clock]):.2f}; per-round ratios min "
              f"{min(ratios):.2f} median {statistics.median(ratios):.2f} max {max(ratios):.2f} (target >= 1.2)")


def kv_cache(args, tr, va, v):
    print("\n(c) generation cost per token, key/value cache vs the uncached loop (same draws)")
    for name, cfg in (("baby 4L/128 ctx 64", GPTConfig.baby(len(v))),
                      ("char 4L/192 ctx 128", GPTConfig.char(len(v)))):
        lm = GPTLanguageModel.build(v, cfg, seed=0)
        n = cfg.block_size - 1                    # the whole context, before the window slides
        times = {True: [], False: []}
        cpu = {True: [], False: []}
        outs = {}
        for _ in range(args.kv_reps):
            for cache in (True, False):
                t0, c0 = time.perf_counter(), time.process_time()
                outs[cache] = lm.generate("", length=n, seed=0, use_cache=cache)
                times[cache].append((time.perf_counter() - t0) / n * 1e3)
                cpu[cache].append((time.process_time() - c0) / n * 1e3)
        c, u = min(times[True]), min(times[False])
        cc, cu = min(cpu[True]), min(cpu[False])
        print(f"  {name}: {n} tokens from an empty prompt: cached {c:.2f} ms/token, uncached {u:.2f} "
              f"ms/token wall (x{u / c:.1f}); CPU {cc:.2f} vs {cu:.2f} ms/token (x{cu / cc:.1f}); "
              f"min of {args.kv_reps}; same text: {outs[True] == outs[False]} ({load()})")
    print("  (past the context the window slides and every step recomputes it: both loops cost the same)")


def attention_paths(args):
    """Forward + backward of one causal attention layer: PyTorch's fused kernel vs the
    explicit matmuls + masked softmax that lmlab.gpt uses for short sequences on a CPU."""
    from lmlab.gpt.model import EXPLICIT_ATTENTION_MAX_T, causal_attention_explicit
    print(f"\n(e) one causal attention layer, forward + backward, median ms "
          f"(lmlab uses the explicit form up to T = {EXPLICIT_ATTENTION_MAX_T[torch.float32]} in "
          f"float32, {EXPLICIT_ATTENTION_MAX_T[torch.bfloat16]} under bfloat16 autocast)")
    for B, H, T, D in ((12, 4, 64, 32), (12, 4, 128, 32), (64, 4, 128, 48), (8, 4, 256, 48),
                       (4, 12, 512, 64)):
        for bf16 in (False, True):
            q, k, v = (torch.randn(B, H, T, D, requires_grad=True) for _ in range(3))
            g = torch.randn(B, H, T, D)
            out = {}
            for name, f in (("kernel", lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True)),
                            ("explicit", lambda: causal_attention_explicit(q, k, v))) * 2:
                ts = []
                for _ in range(max(5, 20 * 64 * 64 // (T * T))):
                    t = time.perf_counter()
                    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                        y = f()
                    y.float().backward(g)
                    ts.append(time.perf_counter() - t)
                    q.grad = k.grad = v.grad = None
                out[name] = statistics.median(ts) * 1e3
            print(f"  B={B:3d} H={H:2d} T={T:4d} D={D}: {'bf16 autocast' if bf16 else 'float32      '} "
                  f"kernel {out['kernel']:7.2f} ms, explicit {out['explicit']:7.2f} ms "
                  f"(x{out['kernel'] / out['explicit']:.2f})   ({load()})")


def moonshot_config(V: int, args) -> tuple[GPTConfig, TrainConfig]:
    model = GPTConfig(vocab_size=V + 1, n_out=V, block_size=args.ctx, n_layer=args.layers,
                      n_head=args.heads, n_embd=args.width, activation="gelu",
                      positions="rotary", qk_norm=True, tie_embeddings=False,
                      dropout=args.dropout)
    tcfg = TrainConfig(steps=1_000_000, batch_size=args.batch, lr=args.lr, warmup_steps=args.warmup,
                       min_lr=args.lr / 10, weight_decay=0.1, betas=(0.9, 0.95), grad_clip=1.0,
                       eval_every=args.eval_every, eval_batches=args.eval_batches, seed=args.seed,
                       dtype=args.dtype, compile=args.compile, log_every=args.eval_every,
                       max_seconds=args.seconds, clock=args.clock, optimizer=args.optimizer,
                       muon_lr=args.muon_lr)
    return model, tcfg


def moonshot(args, c, v, tr, va):
    torch.set_num_threads(args.threads)
    mcfg, tcfg = moonshot_config(len(v), args)
    lm = GPTLanguageModel.build(v, mcfg, seed=args.seed)
    print(f"\n(d) moonshot: {args.seconds:.0f} s of training with {torch.get_num_threads()} threads "
          f"on {c.name} ({len(c.train):,} train / {len(c.val):,} held-out characters)")
    print(f"  model: {mcfg}")
    print(f"  {lm.model.num_params():,} parameters")
    print(f"  training: {tcfg}")
    load_start = load()
    print(f"  start: {load_start}")
    get = text_batches(tr, va, mcfg.block_size, args.batch, start_id=lm.start_id)
    res = train(lm.model, get, tcfg, callbacks=[PrintProgress()])
    load_end = load()
    print(f"  end: {load_end}")
    print(f"  {res.summary()}")
    print(f"  wall {res.wall_seconds:.0f} s, CPU/threads {res.cpu_seconds:.0f} s in training steps; "
          f"{res.eval_seconds:.0f} s wall in evaluations")
    print(f"  held-out loss ({tcfg.eval_batches} batches of {args.batch} random windows) vs training seconds:")
    print("    " + ", ".join(f"{s:.0f}s {l:.3f}" for s, l in zip(res.val_seconds, res.val_losses)))
    t0 = time.perf_counter()
    ev = evaluate(lm, c.val)
    print(f"  whole held-out text scored with half-overlap windows of {mcfg.block_size} (every "
          f"character predicted from >= {mcfg.block_size // 2 + 1} inputs; the first from "
          f"start-of-text): {ev.nats_per_token:.4f} nats/char = {ev.bits_per_token:.4f} bits/char "
          f"({time.perf_counter() - t0:.0f} s to score)")
    order = min(args.kn_order, ngram.max_order_for(len(v)))   # codes must fit in 63 bits
    counts = ngram.NGramCounts.from_text(v, c.train, max_order=order)
    kn = -counts.kn_log_probs_by_order(v.encode(c.val)).mean(axis=1)
    best = int(np.argmin(kn))
    print(f"  Kneser-Ney n-grams on the same held-out text (nats/char): "
          + ", ".join(f"{n + 1}: {x:.4f}" for n, x in enumerate(kn)))
    print(f"  target: the best Kneser-Ney n-gram ({best + 1}-gram, {kn[best]:.4f} nats/char): "
          f"{'BELOW' if ev.nats_per_token < kn[best] else 'above'} by {abs(ev.nats_per_token - kn[best]):.3f}")
    if args.save:
        lm.save(args.save, dtype=torch.bfloat16, metadata={
            "train_config": repr(tcfg), "train_seconds": f"{res.train_seconds:.1f}",
            "wall_seconds": f"{res.wall_seconds:.1f}", "cpu_seconds": f"{res.cpu_seconds:.1f}",
            "val_seconds": json.dumps([round(x, 2) for x in res.val_seconds]),
            "val_losses": json.dumps([round(x, 5) for x in res.val_losses]),
            "val_steps": json.dumps(res.val_steps),
            "val_batches": f"{tcfg.eval_batches} batches of {args.batch} random held-out windows of {mcfg.block_size}",
            "tokens_per_s": f"{res.tokens_per_second:.0f}", "tokens": str(res.tokens),
            "threads": str(torch.get_num_threads()), "load_start": load_start, "load_end": load_end,
            "steps": str(res.steps), "clock": tcfg.clock, "heldout_nats_per_char": f"{ev.nats_per_token:.4f}",
            "precision": res.precision, "command": " ".join(["python", "benchmarks/gpt.py"] + sys.argv[1:])})
        print(f"  saved {args.save} ({Path(args.save).stat().st_size / 1e6:.1f} MB, bf16 weights)")
        back = GPTLanguageModel.load(args.save)
        print(f"  reloaded bf16 checkpoint: {evaluate(back, c.val[:50_000]).nats_per_token:.4f} vs "
              f"{evaluate(lm, c.val[:50_000]).nats_per_token:.4f} nats/char on the first 50,000 held-out chars")
    print("  samples (temperature 0.8):")
    print("  " + lm.generate("ROMEO:", length=200, temperature=0.8, seed=0).replace("\n", "\n  "))
    return res, ev


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--text", help="any text file (split 90/10); default: the book's corpus")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=9, help="alternating speed rounds")
    p.add_argument("--speed-steps", type=int, default=30)
    p.add_argument("--speed-dtypes", default="float32,auto",
                   help="precisions of (b), comma list: float32 (the fair default of the issue), "
                        "auto (the trainer's default: bfloat16 autocast where the CPU has it)")
    p.add_argument("--kv-reps", type=int, default=3)
    p.add_argument("--skip", default="", help="comma list of sections to skip: a,b,c,e")
    p.add_argument("--moonshot", action="store_true", help="run (d) only")
    p.add_argument("--seconds", type=float, default=600.0)
    p.add_argument("--clock", default="wall", choices=["wall", "cpu"],
                   help="budget in wall seconds, or CPU seconds / threads (for a shared machine)")
    p.add_argument("--save", help="save the moonshot model here (bf16 safetensors)")
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--width", type=int, default=192)
    p.add_argument("--ctx", type=int, default=128)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--muon-lr", type=float, default=0.02)
    p.add_argument("--optimizer", default="muon")
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--dtype", default="auto")
    p.add_argument("--compile", default="false", choices=["true", "false", "auto"])
    p.add_argument("--eval-every", type=int, default=50)
    p.add_argument("--eval-batches", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--kn-order", type=int, default=9, help="highest Kneser-Ney order compared with")
    args = p.parse_args(argv)
    args.compile = {"true": True, "false": False, "auto": "auto"}[args.compile]
    torch.set_num_threads(args.threads)
    c, v, tr, va = data(args)
    print(f"text: {c!r}; {len(v)} symbols; torch {torch.__version__}, {torch.get_num_threads()} threads; {load()}")
    if args.moonshot:
        moonshot(args, c, v, tr, va)
        return
    skip = set(args.skip.split(","))
    if "a" not in skip:
        equality(args, tr, va, len(v))
    if "b" not in skip:
        speed(args, tr, va, len(v))
    if "c" not in skip:
        kv_cache(args, tr, va, v)
    if "e" not in skip:
        attention_paths(args)


if __name__ == "__main__":
    main()
