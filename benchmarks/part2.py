"""Part II benchmarks: prints the measured targets of chapters 3, 4 and 5.

usage: python benchmarks/part2.py [TEXT_FILE] [--attractors "x, y; x, y; ..."] [--seeds N]
                                  [--no-widgets] [--chapters]

Runs with one BLAS/torch thread. Without arguments it measures on the book's data (the
Shakespeare corpus, the preset attractor sets); a text file replaces the corpus of the
n-gram knob, and --attractors any set of points in [-1, 1]^2. Targets:
  * chapter 3: the polynomial degree with the lowest test error is low (not the highest),
    and the held-out cross-entropy of add-k n-grams against the order is U-shaped while
    the cross-entropy on counted text keeps falling;
  * chapter 4: the best tiny net agrees with the exact Voronoi map on >= 97% of a
    200 x 200 grid; the agreement table over width and depth (mean, min, max over seeds);
    where the mistakes lie;
  * every widget callback (recompute + update the figure) <= 50 ms median;
  * --chapters: execution time of each Part II chapter (the three together <= 3 minutes
    added to the strict build).
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

from lmlab import attractors, corpus, mlp, models, ngram, vocab  # noqa: E402

torch.set_num_threads(1)
ROOT = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------ chapter 3
def chapter3(text_file: str | None) -> None:
    print("== chapter 3: what is a model")
    for noise in (0.0, 0.05):
        best = []
        for seed in range(10):
            xtr, ytr = models.random_drops(10, noise, seed=2 * seed)
            xte, yte = models.random_drops(200, noise, seed=2 * seed + 1)
            _, te = models.degree_sweep(xtr, ytr, xte, yte, range(10))
            best.append(int(np.argmin(te)))
        print(f"clock noise {noise:.2f} s, 10 training drops, 10 seeds: degree of lowest test error "
              f"{sorted(best)} (degree 9 interpolates)")
    c = corpus.from_file(text_file) if text_file else corpus.shakespeare()
    v = vocab.char_vocab(c.text)
    top = min(8, ngram.max_order_for(len(v)))
    t0 = time.perf_counter()
    counts = ngram.NGramCounts.from_text(v, c.train, max_order=top)
    orders = list(range(1, top + 1))
    tr, he = models.ngram_order_sweep(counts, v.encode(c.train[:200_000]), v.encode(c.val), orders, k=0.01)
    print(f"corpus {c.name}: add-0.01 n-grams, n = 1..{top} ({time.perf_counter() - t0:.1f} s)")
    print(" n   counted text   held-out   (nats per character)")
    for n, a, b in zip(orders, tr, he):
        print(f"{n:2d}   {a:12.3f}   {b:8.3f}")
    best = orders[int(np.argmin(he))]
    print(f"held-out minimum at n = {best}; U-shaped: {1 < best < top}; counted-text cross-entropy "
          f"falls all the way: {bool(np.all(np.diff(tr) < 0))}")


# ------------------------------------------------------------------ chapter 4
def chapter4(points: np.ndarray, name: str, n_seeds: int) -> None:
    print(f"== chapter 4: nets against the exact basins of '{name}' ({len(points)} attractors)")
    grid = attractors.make_grid(200)
    widths, depths = [1, 2, 4, 8, 16], [1, 2, 3]
    fit = mlp.FitConfig(steps=400, lr=0.05)           # as in the chapter
    t0 = time.perf_counter()
    table = mlp.agreement_table(points, widths, depths, fit_config=fit, n_train=800,
                                seeds=tuple(range(n_seeds)), grid=grid)
    dt = time.perf_counter() - t0
    print(f"agreement on a 200 x 200 grid (%), 800 training points, 400 full-batch steps, "
          f"{n_seeds} seeds: mean [min, max]  ({dt:.0f} s, {dt / table.size:.2f} s per net)")
    print("depth \\ width " + "".join(f"{w:>22d}" for w in widths))
    for i, d in enumerate(depths):
        cells = [f"{100 * table[i, j].mean():7.2f} [{100 * table[i, j].min():5.1f},{100 * table[i, j].max():6.2f}]"
                 for j in range(len(widths))]
        print(f"{d:>14d} " + "".join(f"{c:>22s}" for c in cells))
    i, j = np.unravel_index(np.argmax(table.mean(axis=2)), table.shape[:2])
    best_mean = table[i, j].mean()
    print(f"best tiny net: {depths[i]} x {widths[j]} hidden, mean agreement {100 * best_mean:.2f}% "
          f"(target >= 97%): {'met' if best_mean >= 0.97 else 'NOT met'}")
    # a longer-trained net of the best shape, and where its mistakes lie
    net = mlp.train_basin_net(points, (widths[j],) * depths[i], fit_config=mlp.FitConfig(steps=2000, lr=0.02),
                              n_train=4000, seed=0, grid=grid)
    wrong = mlp.predict_map(net.model, grid) != attractors.basin_map(points, grid)
    dist = attractors.margin(points, grid)
    far = float(dist[wrong].max()) if wrong.any() else 0.0
    print(f"same shape, 4000 points, 2000 steps: agreement {100 * net.agreement:.2f}%; its {int(wrong.sum())} "
          f"wrong points lie within {far:.3f} of a boundary (a strip of {100 * (dist <= far).mean():.1f}% of the square)")


# ------------------------------------------------------------------ widgets
def _drive(label, box, values):
    times = []
    for key, vals in values.items():
        w = box.controls[key]
        for val in vals:
            t0 = time.perf_counter()
            w.value = val
            times.append(time.perf_counter() - t0)
    print(f"{label}: {len(times)} callbacks, median {1000 * statistics.median(times):.1f} ms, "
          f"max {1000 * max(times):.1f} ms (target median <= 50 ms)")


def widgets() -> None:
    print("== widgets (chapters 3 and 4)")
    from lmlab.ui.attractors import basin_explorer, weight_explorer
    from lmlab.ui.models import degree_explorer
    _drive("degree_explorer (chapter 3)", degree_explorer(),
           {"degree": list(range(13)), "noise": [0.0, 0.02, 0.1, 0.2], "n_train": [5, 20, 40], "seed": [1, 2, 3]})
    pts = ["-0.5, -0.4; 0.55, -0.3; 0.0, 0.6", "0, 0; 0.5, 0.5", "0.1, 0.2; 0.3, -0.4; -0.6, 0.1; 0.7, 0.7",
           "-0.8, -0.8; 0.8, 0.8; 0, 0; 0.5, -0.5; -0.5, 0.5; 0.2, 0.9"] * 3
    _drive("basin_explorer, 200 x 200 (chapter 4)", basin_explorer(), {"points": pts})
    three = attractors.PRESETS["three"]
    tiny = mlp.train_basin_net(three, (4,), fit_config=mlp.FitConfig(steps=1500, lr=0.02), n_train=2000)
    box = weight_explorer(tiny.model, three)
    moves = {k: [c.value + d for d in (-1.0, -0.5, 0.5, 1.0)] for k, c in box.controls.items()}
    _drive("weight_explorer, 12 sliders, 200 x 200 regions (chapter 4)", box, moves)


# ------------------------------------------------------------------ chapter build time
def chapters() -> None:
    print("== execution time of the Part II chapters (one kernel each, as the build runs them)")
    import jupytext
    from nbclient import NotebookClient
    total = 0.0
    for stem in ("03_models", "04_attractors", "05_training"):
        path = ROOT / "book" / f"{stem}.md"
        if not path.exists():
            print(f"{stem}: not on this branch")
            continue
        nb = jupytext.read(path)
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute()
        dt = time.perf_counter() - t0
        total += dt
        print(f"{stem}: {dt:.0f} s")
    print(f"together {total:.0f} s (target <= 180 s)")


# --- chapter 5 (part2b) -----------------------------------------------------------------
def chapter5(args) -> None:
    """Chapter 5's targets (backprop vs finite differences, optimizers vs torch.optim, the
    quantized digit classifier, the landscape widget): measured by part2_training.py."""
    print("== chapter 5: training and loss landscapes (benchmarks/part2_training.py)")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import part2_training as ch5
    ch5.measure_backprop()
    ch5.measure_optimizers()
    ch5.measure_quantization(args.seeds)
    if not args.no_widgets:
        ch5.measure_widget()
# --- end of chapter 5 -------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("text_file", nargs="?", help="any UTF-8 text file for the n-gram knob (default: the book's corpus)")
    ap.add_argument("--attractors", help='points "x, y; x, y; ..." in [-1, 1]^2 (default: the presets "three" and "five")')
    ap.add_argument("--seeds", type=int, default=3, help="seeds per cell of the agreement table")
    ap.add_argument("--no-widgets", action="store_true", help="skip the widget timings")
    ap.add_argument("--chapters", action="store_true", help="also time the execution of each Part II chapter")
    args = ap.parse_args()
    t0 = time.perf_counter()
    chapter3(args.text_file)
    if args.attractors:
        chapter4(attractors.parse_points(args.attractors), "given points", args.seeds)
    else:
        for name in ("three", "five"):
            chapter4(attractors.PRESETS[name], name, args.seeds)
    if not args.no_widgets:
        widgets()
    chapter5(args)
    if args.chapters:
        chapters()
    print(f"total {time.perf_counter() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
