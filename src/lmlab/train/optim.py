"""The optimizers of the trainer: :class:`Muon` (momentum whose update is orthogonalised by
a Newton-Schulz iteration) and the parameter groups :func:`~lmlab.train.train` builds: AdamW
with decoupled weight decay on matrices only, Muon on the hidden matrices when asked."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn as nn

if TYPE_CHECKING:
    from .loop import TrainConfig

__all__ = ["Muon"]


class Muon(torch.optim.Optimizer):
    """Muon (Jordan et al. 2024) for 2-D weight matrices: SGD with Nesterov momentum whose
    update is replaced by the nearest semi-orthogonal matrix (5 Newton-Schulz steps), scaled
    by ``sqrt(max(1, rows / cols))``. ``ns_dtype``: the precision of the Newton-Schulz
    iteration (float32, or bfloat16 as in the reference implementation, which the trainer
    picks when it trains in bfloat16: about half the time of float32 on a processor with
    bfloat16 units)."""

    def __init__(self, params, lr: float = 0.02, momentum: float = 0.95, weight_decay: float = 0.0,
                 ns_dtype: torch.dtype = torch.float32):
        if ns_dtype not in (torch.float32, torch.bfloat16):
            raise ValueError(f"ns_dtype must be torch.float32 or torch.bfloat16, got {ns_dtype!r}")
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay))
        self.ns_dtype = ns_dtype

    @staticmethod
    def orthogonalize(g: torch.Tensor, steps: int = 5, dtype: torch.dtype = torch.float32) -> torch.Tensor:
        a, b, c = 3.4445, -4.7750, 2.0315
        x = g.to(dtype)
        tall = x.shape[0] > x.shape[1]
        if tall:
            x = x.T
        x = x / (x.norm() + 1e-7)
        for _ in range(steps):
            s = x @ x.T
            x = a * x + (b * s + c * s @ s) @ x
        return x.T if tall else x

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "buf" not in state:
                    state["buf"] = torch.zeros_like(p.grad)
                buf = state["buf"]
                buf.mul_(group["momentum"]).add_(p.grad)
                g = p.grad.add(buf, alpha=group["momentum"])
                u = self.orthogonalize(g, dtype=self.ns_dtype) * max(1.0, p.shape[0] / p.shape[1]) ** 0.5
                if group["weight_decay"]:
                    p.mul_(1 - group["lr"] * group["weight_decay"])
                p.add_(u.to(p.dtype), alpha=-group["lr"])


def _optimizers(model: nn.Module, config: TrainConfig, fused: bool,
                precision: str = "float32") -> list[torch.optim.Optimizer]:
    decay, no_decay, hidden = [], [], []
    embed_ids = {id(m.weight) for m in model.modules() if isinstance(m, nn.Embedding)}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        if p.dim() < 2:
            no_decay.append(p)
        elif (config.optimizer == "muon" and p.dim() == 2 and id(p) not in embed_ids
              and "head" not in name):
            hidden.append(p)
        else:
            decay.append(p)
    groups = [{"params": decay, "weight_decay": config.weight_decay},
              {"params": no_decay, "weight_decay": 0.0}]
    groups = [g for g in groups if g["params"]]
    kw = {"fused": True} if fused else {}
    opts = [torch.optim.AdamW(groups, lr=config.lr, betas=tuple(config.betas), **kw)]
    if hidden:
        ns = torch.bfloat16 if precision == "bfloat16" else torch.float32
        opts.append(Muon(hidden, lr=config.muon_lr, momentum=config.muon_momentum, ns_dtype=ns))
    for o in opts:
        for g in o.param_groups:
            g["peak_lr"] = g["lr"]
    return opts
