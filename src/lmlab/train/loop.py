"""The training loop: :class:`TrainConfig` (how to train), :class:`TrainResult` (what a run
did), the warm-up + cosine learning rate (:func:`lr_at`), random text windows as batches
(:func:`text_batches`), the held-out loss (:func:`evaluate_loss`), progress callbacks and
:func:`train`, which knows nothing about the model."""
from __future__ import annotations

import math
import shutil
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import torch
import torch.nn as nn

from ..device import resolve_device, resolve_dtype
from .optim import _optimizers

__all__ = ["TrainConfig", "TrainResult", "Callback", "PrintProgress", "train", "lr_at",
           "text_batches", "evaluate_loss"]


@dataclass(frozen=True)
class TrainConfig:
    """How to train (nothing about the model's shape)."""

    steps: int = 1000                      # optimizer steps (an upper bound when max_seconds is set)
    batch_size: int = 32                   # sequences per batch (for batch functions built from it)
    lr: float = 1e-3                       # peak learning rate of the AdamW groups
    warmup_steps: int = 100                # linear warm-up from lr/warmup to lr
    min_lr: float = 1e-4                   # the cosine decays from lr to min_lr
    weight_decay: float = 0.1              # decoupled weight decay, on matrices (dim >= 2) only
    betas: tuple[float, float] = (0.9, 0.95)  # AdamW's moment decay rates
    grad_clip: float | None = 1.0          # clip the global gradient norm to this (None: no clip)
    eval_every: int = 100                  # held-out loss every k steps (0: only at the end)
    eval_batches: int = 20                 # batches per held-out estimate
    seed: int = 0                          # seeds initial batch order, dropout and evaluation batches
    device: str | None = None              # 'cpu' (None), 'cuda', 'cuda:1', ...
    dtype: str = "float32"                 # 'float32', 'bfloat16' (autocast) or 'auto' (bf16 if native)
    compile: bool | str = False            # torch.compile the model: True, False or 'auto'
    log_every: int = 10                    # call callbacks every k steps (and at evaluations)
    max_seconds: float | None = None       # training-time budget (evaluations not counted)
    clock: str = "wall"                    # 'wall' seconds, or 'cpu': process CPU seconds / threads
    optimizer: str = "adamw"               # 'adamw' or 'muon' (Muon on hidden matrices, AdamW elsewhere)
    muon_lr: float = 0.02                  # peak learning rate of the Muon group
    muon_momentum: float = 0.95            # Muon's (Nesterov) momentum

    def __post_init__(self):
        for name in ("steps", "batch_size", "eval_batches", "log_every"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
        for name in ("warmup_steps", "eval_every", "seed"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ValueError(f"{name} must be an integer >= 0, got {v!r}")
        for name in ("lr", "muon_lr"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
                raise ValueError(f"{name} must be a finite number > 0, got {v!r}")
        if not (isinstance(self.min_lr, (int, float)) and 0 <= self.min_lr <= self.lr):
            raise ValueError(f"min_lr must be a number in [0, lr={self.lr}], got {self.min_lr!r}")
        if not (isinstance(self.weight_decay, (int, float)) and self.weight_decay >= 0):
            raise ValueError(f"weight_decay must be a number >= 0, got {self.weight_decay!r}")
        if (not isinstance(self.betas, (tuple, list)) or len(self.betas) != 2
                or not all(0 <= b < 1 for b in self.betas)):
            raise ValueError(f"betas must be two numbers in [0, 1), got {self.betas!r}")
        if self.grad_clip is not None and not (isinstance(self.grad_clip, (int, float)) and self.grad_clip > 0):
            raise ValueError(f"grad_clip must be None or a number > 0, got {self.grad_clip!r}")
        if self.max_seconds is not None and not (isinstance(self.max_seconds, (int, float))
                                                 and self.max_seconds > 0):
            raise ValueError(f"max_seconds must be None or a number > 0, got {self.max_seconds!r}")
        if self.dtype not in ("float32", "bfloat16", "auto"):
            raise ValueError(f"dtype must be 'float32', 'bfloat16' or 'auto', got {self.dtype!r}")
        if self.compile not in (True, False, "auto"):
            raise ValueError(f"compile must be True, False or 'auto', got {self.compile!r}")
        if self.clock not in ("wall", "cpu"):
            raise ValueError(f"clock must be 'wall' or 'cpu', got {self.clock!r}")
        if self.optimizer not in ("adamw", "muon"):
            raise ValueError(f"optimizer must be 'adamw' or 'muon', got {self.optimizer!r}")
        if not 0 <= self.muon_momentum < 1:
            raise ValueError(f"muon_momentum must be in [0, 1), got {self.muon_momentum!r}")


@dataclass
class TrainResult:
    """What a training run did. Lists run over steps (``losses[i]`` is the training loss of
    step ``i + 1``'s batch, ``seconds[i]`` the training time when it ended)."""

    losses: list[float] = field(default_factory=list)
    lrs: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    val_steps: list[int] = field(default_factory=list)
    val_losses: list[float] = field(default_factory=list)
    val_seconds: list[float] = field(default_factory=list)
    tokens: int = 0                        # tokens (inputs) seen in training
    steps: int = 0                         # optimizer steps taken
    train_seconds: float = 0.0             # time in training steps by the config's clock (evaluations excluded)
    wall_seconds: float = 0.0              # wall time in training steps
    cpu_seconds: float = 0.0               # process CPU time in training steps / torch threads
    eval_seconds: float = 0.0              # wall time in evaluations
    precision: str = "float32"             # the precision used ('float32' or 'bfloat16' autocast)
    compiled: bool = False                 # whether torch.compile was used
    device: str = "cpu"
    stopped: str = "steps"                 # 'steps', 'time' or 'callback'

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.train_seconds if self.train_seconds > 0 else float("nan")

    def summary(self) -> str:
        v = f", held-out {self.val_losses[-1]:.4f}" if self.val_losses else ""
        return (f"{self.steps} steps in {self.train_seconds:.1f} s ({self.tokens_per_second:,.0f} "
                f"tokens/s, {self.precision}{', compiled' if self.compiled else ''}, {self.device}): "
                f"train loss {np.mean(self.losses[-10:]):.4f}{v}")


class Callback(Protocol):
    """Called as ``callback(step, metrics)`` every ``log_every`` steps, after every
    evaluation and at the end. ``metrics`` holds ``event`` ('train', 'eval' or 'end'),
    ``loss`` (mean over the steps since the last call), ``lr``, ``seconds`` (training time),
    ``tokens``, ``tokens_per_s``, and after an evaluation ``val_loss``. Returning True stops
    training after this step."""

    def __call__(self, step: int, metrics: dict) -> bool | None: ...


class PrintProgress:
    """A plain-text progress callback: one line per call (or per ``every`` calls)."""

    def __init__(self, every: int = 1, file=None):
        self.every, self.file, self._n = every, file, 0

    def __call__(self, step: int, metrics: dict) -> None:
        self._n += 1
        if metrics["event"] == "train" and self._n % self.every:
            return
        val = f"  held-out {metrics['val_loss']:.4f}" if "val_loss" in metrics else ""
        if metrics["event"] == "end":
            print(f"done after {step} steps: loss {metrics['loss']:.4f}{val}  "
                  f"{metrics['seconds']:.1f} s  {metrics['tokens_per_s']:,.0f} tok/s", file=self.file)
            return
        print(f"step {step:6d}  loss {metrics['loss']:.4f}{val}  lr {metrics['lr']:.2e}  "
              f"{metrics['seconds']:7.1f} s  {metrics['tokens_per_s']:8,.0f} tok/s", file=self.file)


def lr_at(progress: float, step: int, config: TrainConfig, peak: float | None = None) -> float:
    """Learning rate after ``step`` warm-up steps and a ``progress`` fraction (0..1) of the
    run: linear warm-up, then cosine from ``peak`` (default ``config.lr``) to ``min_lr``
    (scaled by ``peak / lr`` for other groups)."""
    peak = config.lr if peak is None else peak
    floor = config.min_lr * peak / config.lr
    if step < config.warmup_steps:
        return peak * (step + 1) / config.warmup_steps
    p = min(max(progress, 0.0), 1.0)
    return floor + 0.5 * (peak - floor) * (1 + math.cos(math.pi * p))


def text_batches(train_ids: object, val_ids: object, block_size: int, batch_size: int,
                 start_id: int | None = None, start_fraction: float = 0.1,
                 device: str | torch.device | None = None) -> Callable:
    """A ``get_batch(split, generator)`` for next-token training on a token sequence:
    ``batch_size`` random windows ``x`` of ``block_size`` ids and their targets ``y`` (the
    same windows shifted by one).

    With ``start_id`` set, a ``start_fraction`` of the training rows begin with the
    start-of-text id followed by a text that starts at a random place, so the model learns
    to predict from short contexts the way :class:`~lmlab.gpt.GPTLanguageModel` feeds them.
    """
    dev = resolve_device(device)
    data = {}
    for split, ids in (("train", train_ids), ("val", val_ids)):
        t = torch.as_tensor(np.asarray(ids), dtype=torch.int64)
        if t.dim() != 1 or len(t) < block_size + 1:
            raise ValueError(f"{split}_ids must be a 1-D id sequence longer than block_size="
                             f"{block_size}, got {tuple(t.shape)}")
        data[split] = t
    if not 0 <= start_fraction <= 1:
        raise ValueError(f"start_fraction must be in [0, 1], got {start_fraction!r}")

    def get_batch(split: str, generator: torch.Generator):
        if split not in data:
            raise ValueError(f"split must be 'train' or 'val', got {split!r}")
        d = data[split]
        i = torch.randint(len(d) - block_size, (batch_size,), generator=generator)
        rows = i[:, None] + torch.arange(block_size + 1)
        w = d[rows]
        x, y = w[:, :-1].clone(), w[:, 1:].clone()
        if start_id is not None and split == "train" and start_fraction > 0:
            n = int(round(start_fraction * batch_size))
            if n:
                x[:n, 1:] = w[:n, :-2]
                x[:n, 0] = start_id
                y[:n] = w[:n, :-1]
        return x.to(dev), y.to(dev)

    return get_batch


def _default_loss(model: nn.Module, batch: Sequence[torch.Tensor]) -> torch.Tensor:
    out = model(*batch)
    loss = out[1] if isinstance(out, (tuple, list)) else getattr(out, "loss", out)
    if not isinstance(loss, torch.Tensor) or loss.dim() != 0:
        raise TypeError("the model must return a scalar loss or (logits, loss); pass loss_fn "
                        "to train() for other models")
    return loss


def _autocast(device: torch.device, precision: str):
    if precision == "bfloat16":
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
    return torch.autocast(device_type=device.type, enabled=False)


@torch.no_grad()
def evaluate_loss(model: nn.Module, get_batch: Callable, n_batches: int = 20, seed: int = 0,
                  loss_fn: Callable | None = None, split: str = "val",
                  precision: str = "float32") -> float:
    """Mean loss over ``n_batches`` batches of ``split`` drawn with a generator seeded by
    ``seed`` (so repeated calls see the same batches)."""
    loss_fn = loss_fn or _default_loss
    was = model.training
    model.eval()
    g = torch.Generator().manual_seed(seed)
    dev = next(model.parameters()).device
    total = 0.0
    for _ in range(n_batches):
        batch = get_batch(split, g)
        batch = tuple(t.to(dev) if isinstance(t, torch.Tensor) else t for t in
                      (batch if isinstance(batch, (tuple, list)) else (batch,)))
        with _autocast(dev, precision):
            total += float(loss_fn(model, batch))
    model.train(was)
    return total / n_batches


def _compile_ok(device: torch.device) -> bool:
    return device.type == "cuda" or shutil.which("g++") is not None or shutil.which("c++") is not None


def train(model: nn.Module, get_batch: Callable[[str, torch.Generator], tuple],
          config: TrainConfig = TrainConfig(), loss_fn: Callable | None = None,
          callbacks: Sequence[Callable] = ()) -> TrainResult:
    """Train ``model`` in place and return a :class:`TrainResult`.

    ``get_batch(split, generator)`` returns a tuple of tensors for ``split`` 'train' or
    'val' (draw randomness only from ``generator``); ``loss_fn(model, batch)`` returns the
    scalar loss (default: ``model(*batch)``, the loss or ``(logits, loss)``). Tokens per
    second count the elements of ``batch[0]``.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig, got {type(config).__name__}")
    if not callable(get_batch):
        raise TypeError("get_batch must be a function get_batch(split, generator) -> tuple of tensors")
    for cb in callbacks:
        if not callable(cb):
            raise TypeError(f"every callback must be callable as callback(step, metrics), got {cb!r}")
    loss_fn = loss_fn or _default_loss
    device = resolve_device(config.device)
    precision = resolve_dtype(config.dtype, device)
    model.to(device)
    model.train()
    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed)
    fused = device.type in ("cpu", "cuda")
    opts = _optimizers(model, config, fused, precision)

    want_compile = config.compile is True or (config.compile == "auto" and _compile_ok(device)
                                               and config.steps >= 500)
    run_model = model
    if want_compile:
        try:
            run_model = torch.compile(model)
        except Exception as e:            # noqa: BLE001 - fall back to eager, say why
            warnings.warn(f"torch.compile failed ({e}); training eagerly")
            want_compile = False

    res = TrainResult(precision=precision, compiled=want_compile, device=str(device))
    since_loss, since_n, since_tokens, since_t = 0.0, 0, 0, 0.0

    def emit(step, metrics):
        stop = False
        for cb in callbacks:
            stop = bool(cb(step, metrics)) or stop
        return stop

    threads = torch.get_num_threads()
    step = 0
    while step < config.steps:
        t0, c0 = time.perf_counter(), time.process_time()
        progress = step / config.steps
        if config.max_seconds:
            progress = max(progress, res.train_seconds / config.max_seconds)
        for o in opts:
            for g in o.param_groups:
                g["lr"] = lr_at(progress, step, config, g["peak_lr"])
        batch = get_batch("train", gen)
        if not isinstance(batch, (tuple, list)):
            batch = (batch,)
        batch = tuple(t.to(device) if isinstance(t, torch.Tensor) else t for t in batch)
        try:
            with _autocast(device, precision):
                loss = loss_fn(run_model, batch)
            loss.backward()
        except Exception:
            if run_model is not model and step == 0:     # a compile failure shows at first use
                warnings.warn("torch.compile failed at the first step; training eagerly")
                run_model, res.compiled = model, False
                for o in opts:
                    o.zero_grad(set_to_none=True)
                with _autocast(device, precision):
                    loss = loss_fn(run_model, batch)
                loss.backward()
            else:
                raise
        if config.grad_clip is not None:
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
        for o in opts:
            o.step()
            o.zero_grad(set_to_none=True)
        lv = float(loss.detach())
        if not math.isfinite(lv):
            raise FloatingPointError(f"the training loss became {lv} at step {step + 1}; "
                                     f"lower the learning rate (lr={config.lr})")
        step += 1
        wall, cpu = time.perf_counter() - t0, (time.process_time() - c0) / threads
        dt = cpu if config.clock == "cpu" else wall
        n_tok = int(batch[0].numel())
        res.train_seconds += dt
        res.wall_seconds += wall
        res.cpu_seconds += cpu
        res.tokens += n_tok
        res.steps = step
        res.losses.append(lv)
        res.lrs.append(opts[0].param_groups[0]["lr"])
        res.seconds.append(res.train_seconds)
        since_loss, since_n, since_tokens, since_t = since_loss + lv, since_n + 1, since_tokens + n_tok, since_t + dt

        out_of_time = config.max_seconds is not None and res.train_seconds >= config.max_seconds
        last = step == config.steps or out_of_time
        do_eval = (config.eval_every and step % config.eval_every == 0) or last
        stop = False
        if step % config.log_every == 0 or do_eval:
            metrics = dict(event="train", loss=since_loss / since_n, lr=res.lrs[-1],
                           seconds=res.train_seconds, tokens=res.tokens,
                           tokens_per_s=since_tokens / since_t if since_t > 0 else float("nan"))
            if do_eval:
                te = time.perf_counter()
                val = evaluate_loss(model, get_batch, config.eval_batches, config.seed + 1,
                                    loss_fn, "val", precision)
                res.eval_seconds += time.perf_counter() - te
                res.val_steps.append(step)
                res.val_losses.append(val)
                res.val_seconds.append(res.train_seconds)
                metrics.update(event="eval", val_loss=val)
            stop = emit(step, metrics)
            since_loss, since_n, since_tokens, since_t = 0.0, 0, 0, 0.0
        if out_of_time:
            res.stopped = "time"
            break
        if stop:
            res.stopped = "callback"
            break
    end = dict(event="end", loss=float(np.mean(res.losses[-10:])) if res.losses else float("nan"),
               lr=res.lrs[-1] if res.lrs else 0.0, seconds=res.train_seconds, tokens=res.tokens,
               tokens_per_s=res.tokens_per_second)
    if res.val_losses:
        end["val_loss"] = res.val_losses[-1]
    emit(res.steps, end)
    model.eval()
    return res
