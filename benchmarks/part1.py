"""Part I benchmarks: prints the measured targets of chapters 1 and 2.

usage: python benchmarks/part1.py [TEXT_FILE] [--train-fraction F] [--repeat R] [--no-widgets]

Without a file it measures on the book's corpus and split (lmlab.corpus.shakespeare());
with one it measures the same things on that text, split the same way. Runs with one
BLAS/torch thread. Targets:
  * counting all n-grams n = 1..8 of the training text and computing Kneser-Ney held-out
    cross-entropy for every n: <= 3.5 s in total (min and median of --repeat runs, with
    the machine's load average printed beside them);
  * Kneser-Ney held-out cross-entropy falls from n = 1 to n = 5 and beats add-one for n >= 3;
  * a gradient-trained bigram comes within 0.005 nats of the count-based add-one bigram;
  * every widget callback (recompute + update the figure): <= 50 ms median.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

from lmlab import corpus, lm, ngram, vocab  # noqa: E402
from lmlab.neural_bigram import BigramTrainConfig, train_bigram  # noqa: E402

torch.set_num_threads(1)


def measure_ngrams(c, repeat=3):
    v = vocab.char_vocab(c.text)
    train, val = v.encode(c.train), v.encode(c.val)
    totals, count_s, score_s, cpu = [], [], [], []
    for _ in range(repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        counts = ngram.NGramCounts(train, len(v), 8)
        t1 = time.perf_counter()
        kn = -counts.kn_log_probs_by_order(val).mean(axis=1)
        t2 = time.perf_counter()
        cpu.append(time.process_time() - c0)
        count_s.append(t1 - t0)
        score_s.append(t2 - t1)
        totals.append(t2 - t0)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"corpus {c.name}: {len(c.train):,} train / {len(c.val):,} validation characters, V = {len(v)}")
    print(f"count n = 1..8: min {min(count_s):.2f} s; Kneser-Ney cross-entropy for every n: "
          f"min {min(score_s):.2f} s; total min {min(totals):.2f} s, median "
          f"{statistics.median(totals):.2f} s over {repeat} runs (target <= 3.5 s); CPU time min "
          f"{min(cpu):.2f} s, median {statistics.median(cpu):.2f} s (what the wall time would be "
          f"on an idle machine; load average {load:.2f} on {os.cpu_count()} CPUs)")
    print(" n   KN nats  KN bits  add-1 nats  unseen")
    add1 = []
    for n in range(1, 9):
        a = lm.evaluate(ngram.NGramModel(v, counts, ngram.NGramConfig(n, "add-k", 1.0)), val).nats_per_token
        add1.append(a)
        print(f"{n:2d}  {kn[n - 1]:8.4f} {kn[n - 1] / np.log(2):8.4f}  {a:10.4f}  {counts.unseen_fraction(val, n):6.4f}")
    falls = bool(np.all(np.diff(kn[:5]) < 0))
    beats = bool(np.all(kn[2:] < np.array(add1[2:])))
    print(f"KN falls from n = 1 to 5: {falls}; KN beats add-one at every n >= 3: {beats}")
    return v, train, val, counts


def measure_bigram(v, train, val, counts):
    t0 = time.perf_counter()
    model, _ = train_bigram(v, train, BigramTrainConfig())
    dt = time.perf_counter() - t0
    got = lm.evaluate(model, val).nats_per_token
    ref = lm.evaluate(ngram.NGramModel(v, counts, ngram.NGramConfig(2, "add-k", 1.0)), val).nats_per_token
    print(f"gradient-trained bigram: {got:.5f} nats vs count-based add-one {ref:.5f}: "
          f"gap {abs(got - ref):.5f} (target <= 0.005), trained in {dt:.2f} s")


def _values(w):
    """A few values to set a control to, cycling through its range or options."""
    import ipywidgets as W
    if isinstance(w, (W.IntSlider, W.FloatSlider, W.FloatLogSlider, W.IntText, W.BoundedIntText,
                      W.BoundedFloatText, W.FloatText)):
        lo = getattr(w, "min", w.value)
        hi = getattr(w, "max", w.value)
        if isinstance(w, W.FloatLogSlider):
            return [w.base ** e for e in np.linspace(w.min, w.max, 10)]
        vals = np.linspace(lo, hi, 10)
        return [type(w.value)(x) for x in vals]
    if hasattr(w, "options") and w.options:
        opts = [o[1] if isinstance(o, tuple) else o for o in w.options]
        return (opts * 10)[:10]
    if isinstance(w, (W.Text, W.Textarea)):
        return [w.value + s for s in ("a", "b", "c", "d", "e")] * 2
    if isinstance(w, (W.Checkbox, W.ToggleButton)):
        return [True, False] * 5
    return []


def _drive(label, box):
    """Set every control of a widget to ~10 values in turn and time each callback."""
    times, cpu = [], []
    for w in box.controls.values():
        start = w.value
        for val in _values(w)[1:]:
            c0 = time.process_time()
            t0 = time.perf_counter()
            w.value = val
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        w.value = start
    print(f"{label}: {len(times)} callbacks, median {1000 * statistics.median(times):.1f} ms, "
          f"max {1000 * max(times):.1f} ms (target median <= 50 ms); CPU time median "
          f"{1000 * statistics.median(cpu):.1f} ms, max {1000 * max(cpu):.1f} ms")


def measure_widgets(c, v, counts):
    """The two widgets of Part I, built as the chapters build them."""
    from lmlab.ui.ngram import ngram_sampler
    from lmlab.ui.sampling import sampling_explorer
    _drive("chapter 2 ngram_sampler (letter n-grams, n = 1..8, 150 characters)",
           ngram_sampler(v, counts, n=5, prompt="ROMEO:\n"))
    train_words = corpus.words(c.train)
    wv = vocab.word_vocab(train_words, min_count=2)
    words_model = ngram.fit(wv, train_words, order=4)
    _drive("chapter 1 sampling_explorer (word 4-gram, 30 words)",
           sampling_explorer(words_model, prompt="to be or not to", temperature=0.8, length=30))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("text_file", nargs="?", help="any UTF-8 text file (default: the book's corpus)")
    ap.add_argument("--train-fraction", type=float, default=0.9)
    ap.add_argument("--repeat", type=int, default=3, help="runs of the n-gram timing (min and median)")
    ap.add_argument("--no-widgets", action="store_true", help="skip the widget timings")
    args = ap.parse_args()
    c = corpus.from_file(args.text_file, args.train_fraction) if args.text_file else \
        corpus.shakespeare(train_fraction=args.train_fraction)
    v, train, val, counts = measure_ngrams(c, max(1, args.repeat))
    measure_bigram(v, train, val, counts)
    if not args.no_widgets:
        measure_widgets(c, v, counts)


if __name__ == "__main__":
    main()
