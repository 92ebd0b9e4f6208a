"""BERT benchmarks: our BERT's forward pass against transformers' BertModel on the same
weights, and the small masked-LM BERT the book ships.

    python benchmarks/bert.py                     # (a) forward time, ours vs BertModel
    python benchmarks/bert.py --tiny --seconds 600 --clock cpu --save src/lmlab/data/bert_words.safetensors
                                                  # (b) trains the small word BERT (remakes the checkpoint)
    python benchmarks/bert.py --tiny --text PATH  # any text file, split 90/10

The tokenizer's throughput is measured by ``benchmarks/wordpiece.py``. Every timing is
printed with the machine's load average, since the machine may be shared; speed runs
alternate the two models and report the median ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np                                     # noqa: E402
import torch                                           # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lmlab import corpus                               # noqa: E402
from lmlab.bert import (BertConfig, BertLanguageModel, MaskConfig, blank_nats,  # noqa: E402
                        blank_spots, load_minilm, minilm_path, mlm_batches, mlm_vocab)
from lmlab.train import PrintProgress, TrainConfig, evaluate_loss, train   # noqa: E402


def load() -> str:
    a, b, c = os.getloadavg()
    return f"load {a:.2f} {b:.2f} {c:.2f}"


def forward_speed(args):
    from transformers import BertModel
    torch.set_num_threads(args.threads)
    ours = load_minilm()
    hf = BertModel.from_pretrained(str(minilm_path())).eval()
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(999, 30522, (args.batch, args.length), generator=g)
    ids[:, 0], ids[:, -1] = 101, 102
    am, tt = torch.ones_like(ids), torch.zeros_like(ids)
    print(f"\n(a) forward pass of all-MiniLM-L6-v2, batch {args.batch} x {args.length} tokens, "
          f"{torch.get_num_threads()} threads, inference mode, fp32: ours vs transformers' BertModel "
          f"({hf.config._attn_implementation} attention), same weights; {load()}")
    with torch.inference_mode():
        a = ours(ids, am, tt).last_hidden
        b = hf(input_ids=ids, attention_mask=am, token_type_ids=tt).last_hidden_state
        print(f"  max |difference| of the last hidden states: {(a - b).abs().max().item():.2e}")
        slow = load_minilm()
        slow.native_inference = False                  # the written-out blocks, for comparison
        ta, tb, tc, ratios, ratios_slow = [], [], [], [], []
        runs = ((0, lambda: ours(ids, am, tt)), (1, lambda: hf(input_ids=ids, attention_mask=am, token_type_ids=tt)),
                (2, lambda: slow(ids, am, tt)))
        for r in range(args.rounds):
            for who, f in (runs if r % 2 == 0 else runs[::-1]):
                t0 = time.perf_counter()
                f()
                (ta, tb, tc)[who].append(time.perf_counter() - t0)
            ratios.append(ta[-1] / tb[-1])
            ratios_slow.append(tc[-1] / tb[-1])
    print(f"  ours (blocks through PyTorch's fused encoder-layer kernel): median {statistics.median(ta) * 1e3:.0f} ms, "
          f"min {min(ta) * 1e3:.0f} ms")
    print(f"  ours, blocks written out (the readable path, used for training): median "
          f"{statistics.median(tc) * 1e3:.0f} ms, min {min(tc) * 1e3:.0f} ms")
    print(f"  BertModel: median {statistics.median(tb) * 1e3:.0f} ms, min {min(tb) * 1e3:.0f} ms")
    r = statistics.median(ratios)
    print(f"  time ratio ours / BertModel over {args.rounds} alternating rounds: median {r:.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f}); target <= 1.0: {'PASS' if r <= 1.0 else 'FAIL'}")
    print(f"  written-out blocks / BertModel: median {statistics.median(ratios_slow):.3f} "
          f"(min {min(ratios_slow):.3f}, max {max(ratios_slow):.3f}); {load()}")
    return r


def tiny_config(V: int, args) -> tuple[BertConfig, TrainConfig]:
    model = BertConfig(vocab_size=V, max_positions=args.ctx, n_layer=args.layers, n_head=args.heads,
                       n_embd=args.width, intermediate=4 * args.width, dropout=0.0)
    tcfg = TrainConfig(steps=args.steps, batch_size=args.batch_size, lr=args.lr, warmup_steps=args.warmup,
                       min_lr=args.lr / 10, weight_decay=0.01, betas=(0.9, 0.98), grad_clip=1.0,
                       eval_every=args.eval_every, eval_batches=args.eval_batches, seed=args.seed,
                       dtype=args.dtype, log_every=args.eval_every, max_seconds=args.seconds,
                       clock=args.clock)
    return model, tcfg


def tiny(args):
    torch.set_num_threads(args.threads)
    c = corpus.from_file(args.text) if args.text else corpus.shakespeare()
    vocab = mlm_vocab(c.train, min_count=args.min_count)
    tr, va = vocab.encode(c.train), vocab.encode(c.val)
    mcfg, tcfg = tiny_config(len(vocab), args)
    lm = BertLanguageModel.build(vocab, mcfg, seed=args.seed)
    print(f"\n(b) a small word-level BERT trained by masked-LM on {c.name} ({len(tr):,} training / "
          f"{len(va):,} held-out words; {len(vocab):,} words seen >= {args.min_count} times)")
    print(f"  model: {mcfg}\n  {lm.model.num_params():,} parameters\n  training: {tcfg}")
    get = mlm_batches(vocab, tr, va, mcfg.max_positions, args.batch_size)
    counts = np.bincount(tr, minlength=len(vocab)).astype(float)
    p = counts / counts.sum()
    unigram = float(-(p[p > 0] * np.log(p[p > 0])).sum())
    load_start = load()
    res = train(lm.model, get, tcfg, callbacks=[PrintProgress()])
    load_end = load()
    val = evaluate_loss(lm.model, get, n_batches=50, seed=12345)
    print(f"  {res.summary()}")
    print(f"  held-out masked-token loss (50 batches of {args.batch_size}): {val:.4f} nats; guessing by "
          f"word frequency alone (unigram entropy of the training words): {unigram:.4f} nats")
    side = (mcfg.max_positions - 3) // 2
    spots = blank_spots(va, 400, left=side, right=side, seed=0)
    blanks = {"both sides": blank_nats(lm, va, spots, side, side),
              "left only": blank_nats(lm, va, spots, side, 0),
              "shuffled context": blank_nats(lm, va, spots, side, side, shuffle=True)}
    uni_spots = float(-np.log(p[va[spots]].clip(1e-12)).mean())
    print(f"  400 held-out blanks ([MASK] only, {side} words each side): " + ", ".join(
        f"{k} {v:.4f}" for k, v in blanks.items()) + f"; word frequencies {uni_spots:.4f} nats")
    for s in ("to be or not to [MASK] .", "my [MASK] , i am glad to see you .", "good [MASK] , my lord .",
              "i pray you , [MASK] me ."):
        print(f"  {s:40s} " + ", ".join(f"{w} {q:.3f}" for w, q in lm.fill_in(s, 5)[0]))
    if args.save:
        lm.save(args.save, dtype=torch.bfloat16, metadata={
            "train_config": repr(tcfg), "train_seconds": f"{res.train_seconds:.1f}",
            "wall_seconds": f"{res.wall_seconds:.1f}", "cpu_seconds": f"{res.cpu_seconds:.1f}",
            "val_seconds": json.dumps([round(x, 2) for x in res.val_seconds]),
            "val_losses": json.dumps([round(x, 5) for x in res.val_losses]),
            "val_steps": json.dumps(res.val_steps), "heldout_loss": f"{val:.4f}",
            "unigram_entropy": f"{unigram:.4f}", "min_count": str(args.min_count),
            "blank_nats": json.dumps({k: round(v, 4) for k, v in blanks.items()}),
            "blank_unigram_nats": f"{uni_spots:.4f}",
            "tokens_per_s": f"{res.tokens_per_second:.0f}", "tokens": str(res.tokens),
            "steps": str(res.steps), "threads": str(torch.get_num_threads()), "clock": tcfg.clock,
            "precision": res.precision, "load_start": load_start, "load_end": load_end,
            "command": " ".join(["python", "benchmarks/bert.py"] + sys.argv[1:])})
        print(f"  saved {args.save} ({Path(args.save).stat().st_size / 1e6:.1f} MB, bf16 weights)")
    return res


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--text", help="any text file (split 90/10); default: the book's corpus")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=11, help="alternating forward-speed rounds")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--length", type=int, default=64)
    p.add_argument("--tiny", action="store_true", help="run (b) only")
    p.add_argument("--seconds", type=float, default=600.0)
    p.add_argument("--clock", default="wall", choices=["wall", "cpu"])
    p.add_argument("--steps", type=int, default=1_000_000)
    p.add_argument("--save", help="save the small BERT here (bf16 safetensors)")
    p.add_argument("--min-count", type=int, default=20)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--width", type=int, default=128)
    p.add_argument("--ctx", type=int, default=32)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=500)
    p.add_argument("--dtype", default="auto")
    p.add_argument("--eval-every", type=int, default=200)
    p.add_argument("--eval-batches", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    if args.tiny:
        tiny(args)
    else:
        forward_speed(args)


if __name__ == "__main__":
    main()
