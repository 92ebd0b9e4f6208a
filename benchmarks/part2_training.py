"""Chapter 5 ("Training and loss landscapes") benchmarks: prints the measured targets.

usage: python benchmarks/part2_training.py [--seeds N] [--chapter]

Runs with one BLAS/torch thread. Targets:
  * backpropagation (numpy, float64) against central finite differences: relative error
    <= 1e-6, for tanh, ReLU, sigmoid and GELU nets and both losses (MSE, cross-entropy);
    and against torch autograd;
  * our SGD, momentum (also Nesterov, weight decay) and Adam against torch.optim over 100
    steps on the same net and data: largest relative difference of any weight <= 1e-6;
  * the digit classifier's weights quantized to 8 bits change its test accuracy by <= 1
    percentage point (for each of N seeds; 6, 4, 3, 2, 1 bits printed too);
  * the landscape widget's callbacks: <= 50 ms median (each control moved through values);
  * with --chapter: the chapter's code cells executed by a fresh kernel (nbclient), wall
    and CPU time of the kernel (target: about 1 minute of the strict build).
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

from lmlab import backprop, optim, quantize  # noqa: E402
from lmlab.mlp import MLPConfig  # noqa: E402

torch.set_num_threads(1)
ROOT = Path(__file__).resolve().parents[1]


def measure_backprop() -> bool:
    print("backprop vs finite differences (h = 1e-6) and torch autograd, float64, net 3-8-8-2, 16 points")
    worst = 0.0
    for act in ("tanh", "relu", "sigmoid", "gelu"):
        for loss in ("mse", "cross_entropy"):
            for seed in (0, 1, 2):
                e = backprop.check_gradients(MLPConfig(3, (8, 8), 2, act), n_points=16, loss=loss, seed=seed)
                worst = max(worst, e["backprop_vs_fd"])
            print(f"  {act:8s} {loss:14s} vs FD {e['backprop_vs_fd']:.1e}   vs autograd {e['backprop_vs_torch']:.1e}")
    ok = worst <= 1e-6
    print(f"largest relative error vs finite differences: {worst:.1e} (target <= 1e-6): {'PASS' if ok else 'FAIL'}")
    return ok


def measure_optimizers() -> bool:
    print("our optimizers vs torch.optim, 100 steps, float64, net 3-8-8-2 (largest relative weight difference)")
    runs = [("sgd", 0.1, {}), ("momentum", 0.05, {}), ("momentum", 0.05, {"nesterov": True}),
            ("sgd", 0.05, {"weight_decay": 0.01}), ("adam", 0.01, {}),
            ("adam", 0.02, {"betas": (0.8, 0.99), "weight_decay": 0.01})]
    worst = 0.0
    for name, lr, opts in runs:
        d = optim.compare_with_torch(name, lr, steps=100, seed=0, **opts).max()
        worst = max(worst, d)
        print(f"  {name:9s} lr={lr:<5g} {opts!s:42s} {d:.1e}")
    ok = worst <= 1e-6
    print(f"largest difference: {worst:.1e} (target <= 1e-6): {'PASS' if ok else 'FAIL'}")
    return ok


def measure_quantization(n_seeds: int) -> bool:
    from lmlab.digits import DigitConfig, train_digit_classifier
    bits = (8, 6, 4, 3, 2, 1)
    print(f"digit classifier (64-32-10 ReLU) weights quantized per tensor; test accuracy (%), {n_seeds} seeds")
    print("  seed  float32  " + "  ".join(f"{b:>5d}b" for b in bits) + "   (step for least squared error)")
    worst = 0.0
    for seed in range(n_seeds):
        clf = train_digit_classifier(DigitConfig(), seed=seed)
        r = quantize.accuracy_vs_bits(clf.model, clf.accuracy, bits)
        rmax = quantize.accuracy_vs_bits(clf.model, clf.accuracy, bits, scale="max")
        worst = max(worst, abs(r.change_pp(8)), abs(rmax.change_pp(8)))
        print(f"  {seed:4d}  {100 * r.full_accuracy:7.2f}  " + "  ".join(f"{100 * a:6.2f}" for a in r.accuracy))
        print("        (max)    " + "  ".join(f"{100 * a:6.2f}" for a in rmax.accuracy))
    ok = worst <= 1.0
    print(f"largest 8-bit change: {worst:.2f} percentage points (target <= 1): {'PASS' if ok else 'FAIL'}")
    return ok


def measure_widget() -> bool:
    from lmlab.ui.landscape import landscape_explorer
    box = landscape_explorer(surface="valley", optimizer="sgd", lr=0.02, steps=100)
    c = box.controls
    times = []

    def timed(control, value):
        t0 = time.perf_counter()
        control.value = value
        times.append(time.perf_counter() - t0)

    for lr in np.geomspace(0.002, 0.3, 10):
        timed(c["lr"], float(lr))
    for opt in ("momentum", "adam", "sgd") * 3:
        timed(c["optimizer"], opt)
    for w in np.linspace(-1.4, 2.4, 10):
        timed(c["w0"], float(w))
    for n in (50, 200, 500, 100):
        timed(c["steps"], n)
    t_surface = []
    for s in ("waves", "valley"):
        t0 = time.perf_counter()
        c["surface"].value = s
        t_surface.append(time.perf_counter() - t0)
    med = statistics.median(times) * 1000
    ok = med <= 50
    print(f"landscape widget: {len(times)} callbacks, median {med:.1f} ms, max {max(times) * 1000:.1f} ms; "
          f"switching surface {max(t_surface) * 1000:.0f} ms (target: median <= 50 ms): {'PASS' if ok else 'FAIL'}")
    return ok


def measure_chapter() -> None:
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    nb = jupytext.read(ROOT / "book" / "05_training.md")
    nb.cells = [c for c in nb.cells if "skip-execution" not in c.metadata.get("tags", [])]
    nb.cells.append(nbformat.v4.new_code_cell(
        "import resource; _r = resource.getrusage(resource.RUSAGE_SELF); print(_r.ru_utime + _r.ru_stime)"))
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "book")}})
    t0 = time.perf_counter()
    client.execute()
    wall = time.perf_counter() - t0
    cpu = float(nb.cells[-1].outputs[0]["text"])
    print(f"chapter 5 executed by a fresh kernel: {wall:.1f} s wall, {cpu:.1f} s CPU in the kernel "
          f"(target: about 1 minute)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5, help="digit classifiers to quantize (default 5)")
    ap.add_argument("--chapter", action="store_true", help="also time the chapter's execution")
    args = ap.parse_args()
    results = [measure_backprop(), measure_optimizers(), measure_quantization(args.seeds), measure_widget()]
    if args.chapter:
        measure_chapter()
    print("chapter 5 targets:", "ALL PASS" if all(results) else "SOME FAIL")


if __name__ == "__main__":
    main()
