"""Where a model runs and in what precision: checked choices with clear errors."""
from __future__ import annotations

import torch

__all__ = ["resolve_device", "bf16_supported", "resolve_dtype"]


def resolve_device(device: object = None) -> torch.device:
    """``device`` as a :class:`torch.device`: ``None`` means the CPU; ``'cuda'``,
    ``'cuda:1'``, ``'mps'`` are accepted when present on this machine, else a ``ValueError``
    says what is available."""
    if device is None:
        return torch.device("cpu")
    if not isinstance(device, (str, torch.device)):
        raise TypeError(f"device must be a str such as 'cpu' or 'cuda', or a torch.device; "
                        f"got {type(device).__name__}")
    try:
        d = torch.device(device)
    except RuntimeError:
        raise ValueError(f"device {device!r} is not a device name; use 'cpu', 'cuda' or 'cuda:N'") from None
    if d.type == "cpu":
        return d
    if d.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(f"device {device!r} was asked for, but this machine has no CUDA GPU "
                             "(torch.cuda.is_available() is False); use device='cpu'")
        n = torch.cuda.device_count()
        if d.index is not None and d.index >= n:
            raise ValueError(f"device {device!r} does not exist: this machine has {n} CUDA "
                             f"device(s), cuda:0..cuda:{n - 1}")
        return d
    if d.type == "mps":
        if not (hasattr(torch.backends, "mps") and torch.backends.mps.is_available()):
            raise ValueError(f"device {device!r} was asked for, but MPS is not available here")
        return d
    raise ValueError(f"device {device!r} is not supported; use 'cpu' or 'cuda'")


def bf16_supported(device: torch.device) -> bool:
    """Whether ``device`` computes in bfloat16 natively (a CPU with AVX-512 BF16 or AMX
    instructions, or a GPU that supports it); elsewhere bf16 is emulated and slow."""
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    if device.type == "cpu":
        try:
            return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
        except (AttributeError, RuntimeError):
            return False
    return False


def resolve_dtype(dtype: str, device: torch.device) -> str:
    """``'float32'``, ``'bfloat16'``, or ``'auto'`` (bfloat16 where :func:`bf16_supported`,
    else float32) resolved to the precision that will be used."""
    if dtype not in ("float32", "bfloat16", "auto"):
        raise ValueError(f"dtype must be 'float32', 'bfloat16' or 'auto', got {dtype!r}")
    if dtype == "auto":
        return "bfloat16" if bf16_supported(device) else "float32"
    return dtype
