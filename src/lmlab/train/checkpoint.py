"""Checkpoints as safetensors files (never pickle) whose metadata holds the model's
configuration as JSON: :func:`save_checkpoint`, :func:`read_checkpoint`,
:func:`load_checkpoint` (which refuses a checkpoint of a different configuration, naming the
fields that differ) and :func:`load_tensors` (which names every missing, unexpected or
mis-shaped tensor)."""
from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from pathlib import Path

import torch
import torch.nn as nn

__all__ = ["save_checkpoint", "load_checkpoint", "read_checkpoint", "load_tensors"]


def _config_json(config: object) -> tuple[str, str]:
    if config is None:
        return "", ""
    if not is_dataclass(config):
        raise TypeError(f"config must be a dataclass instance (the model's configuration), "
                        f"got {type(config).__name__}")
    return type(config).__name__, json.dumps(asdict(config), sort_keys=True)


def save_checkpoint(path: str | Path, model: nn.Module, config: object = None,
                    metadata: dict[str, str] | None = None, dtype: torch.dtype | None = None) -> Path:
    """Save ``model``'s weights to a safetensors file, with its configuration (``config``,
    default ``model.config``) as JSON in the metadata. ``dtype`` casts floating-point
    tensors (e.g. ``torch.bfloat16`` halves the file). Tensors that share memory (tied
    weights) are stored once."""
    from safetensors.torch import save_file
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    config = getattr(model, "config", None) if config is None else config
    cls, cfg = _config_json(config)
    meta = {"format": "lmlab", "config_class": cls, "config": cfg}
    for k, v in (metadata or {}).items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise TypeError("metadata must map str to str")
        meta[k] = v
    tensors, seen = {}, set()
    for k, t in model.state_dict().items():
        if t.data_ptr() in seen and t.numel():
            continue
        seen.add(t.data_ptr())
        t = t.detach().cpu()
        if dtype is not None and t.is_floating_point():
            t = t.to(dtype)
        tensors[k] = t.contiguous().clone()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata=meta)
    return path


def read_checkpoint(path: str | Path) -> tuple[dict[str, torch.Tensor], str, dict[str, str]]:
    """``(tensors, config_json, metadata)`` of a checkpoint written by :func:`save_checkpoint`."""
    from safetensors import safe_open
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"checkpoint {str(p)!r} is not a file")
    with safe_open(str(p), framework="pt") as f:
        meta = dict(f.metadata() or {})
        tensors = {k: f.get_tensor(k) for k in f.keys()}
    return tensors, meta.get("config", ""), meta


def load_checkpoint(path: str | Path, model: nn.Module, config: object = None) -> dict[str, str]:
    """Load a checkpoint into ``model`` (weights cast to the model's dtype) after checking
    that it was saved from the same configuration (``config``, default ``model.config``);
    a different one is an error naming the fields that differ. Returns the metadata."""
    tensors, saved, meta = read_checkpoint(path)
    config = getattr(model, "config", None) if config is None else config
    cls, cfg = _config_json(config)
    if cfg and saved and cfg != saved:
        a, b = json.loads(saved), json.loads(cfg)
        diff = [f"{k}: checkpoint {a.get(k)!r} vs model {b.get(k)!r}"
                for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
        raise ValueError(f"checkpoint {str(path)!r} was saved from a different configuration "
                         f"({meta.get('config_class')}): " + "; ".join(diff))
    load_tensors(model, tensors, str(path))
    return meta


def load_tensors(model: nn.Module, tensors: dict[str, torch.Tensor], source: str = "tensors") -> None:
    """Copy ``tensors`` into ``model``'s state (cast to its dtypes), naming every missing,
    unexpected or mis-shaped tensor in the error. A tensor tied to another one (same memory)
    may be absent."""
    own = model.state_dict()
    first: dict[int, str] = {}
    alias = {}
    for k, t in own.items():
        if t.numel() and t.data_ptr() in first:
            alias[k] = first[t.data_ptr()]
        else:
            first[t.data_ptr()] = k
    missing = sorted(k for k in own if k not in tensors and not (k in alias and alias[k] in tensors))
    extra = sorted(set(tensors) - set(own))
    shapes = [f"{k}: file {tuple(tensors[k].shape)} vs model {tuple(own[k].shape)}"
              for k in sorted(set(own) & set(tensors)) if tuple(tensors[k].shape) != tuple(own[k].shape)]
    problems = []
    if missing:
        problems.append(f"missing tensors {missing}")
    if extra:
        problems.append(f"unexpected tensors {extra}")
    if shapes:
        problems.append(f"mis-shaped tensors [{'; '.join(shapes)}]")
    if problems:
        raise ValueError(f"{source} does not match the model: " + "; ".join(problems))
    with torch.no_grad():
        for k, p in own.items():
            if k in tensors:
                p.copy_(tensors[k].to(p.dtype))
