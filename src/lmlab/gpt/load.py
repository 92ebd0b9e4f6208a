"""Loading GPT-2 weights published in the Hugging Face layout, from safetensors only.

A GPT-2 checkpoint is a folder with ``config.json`` (the shape) and ``model.safetensors``
(the tensors; safetensors holds raw arrays and cannot run code, unlike pickle). GPT-2 stores
its linear maps as ``Conv1D`` weights of shape ``(in, out)``; :class:`~lmlab.gpt.GPT` uses
``nn.Linear``'s ``(out, in)``, so those four matrices per block are transposed. The output
head is the token embedding (tied), so a ``lm_head.weight`` in the file is checked equal to
it and otherwise ignored.
"""
from __future__ import annotations

import json
from pathlib import Path

import torch

from ..device import resolve_device
from .config import GPTConfig
from .model import GPT

__all__ = ["load_gpt2", "gpt2_config", "convert_gpt2_tensors"]

_TRANSPOSED = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")
_BUFFERS = (".attn.bias", ".attn.masked_bias")        # causal-mask buffers of old checkpoints


def gpt2_config(hf_config: dict, dropout: float = 0.0) -> GPTConfig:
    """The :class:`GPTConfig` of a GPT-2 ``config.json`` (as a dict); options GPT does not
    implement are an error naming them."""
    if not isinstance(hf_config, dict):
        raise TypeError(f"hf_config must be a dict (config.json), got {type(hf_config).__name__}")
    need = ("vocab_size", "n_positions", "n_layer", "n_head", "n_embd")
    missing = [k for k in need if k not in hf_config]
    if missing:
        raise ValueError(f"config.json lacks the fields {missing}")
    act = hf_config.get("activation_function", "gelu_new")
    acts = {"gelu_new": "gelu_tanh", "gelu_pytorch_tanh": "gelu_tanh", "gelu": "gelu"}
    if act not in acts:
        raise ValueError(f"activation_function {act!r} is not supported (use one of {sorted(acts)})")
    n_inner = hf_config.get("n_inner")
    if n_inner is not None and n_inner != 4 * hf_config["n_embd"]:
        raise ValueError(f"n_inner={n_inner} is not supported: GPT's MLP is 4 x n_embd wide")
    for flag, ok in (("scale_attn_by_inverse_layer_idx", False), ("scale_attn_weights", True),
                     ("add_cross_attention", False), ("tie_word_embeddings", True)):
        if hf_config.get(flag, ok) != ok:
            raise ValueError(f"{flag}={hf_config[flag]!r} is not supported (GPT-2 uses {ok})")
    return GPTConfig(vocab_size=hf_config["vocab_size"], block_size=hf_config["n_positions"],
                     n_layer=hf_config["n_layer"], n_head=hf_config["n_head"],
                     n_embd=hf_config["n_embd"], dropout=dropout,
                     layer_norm_eps=float(hf_config.get("layer_norm_epsilon", 1e-5)),
                     activation=acts[act])


def convert_gpt2_tensors(tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """GPT-2 tensor names and shapes to :class:`~lmlab.gpt.GPT`'s: ``transformer.`` prefix
    added where missing, ``Conv1D`` weights transposed, mask buffers dropped, a tied
    ``lm_head.weight`` checked equal to the embedding and dropped."""
    out = {}
    for k, t in tensors.items():
        if k.endswith(_BUFFERS):
            continue
        if k == "lm_head.weight":
            continue
        name = k if k.startswith("transformer.") else "transformer." + k
        out[name] = t.t().contiguous() if name.endswith(_TRANSPOSED) and t.dim() == 2 else t
    head = tensors.get("lm_head.weight")
    wte = out.get("transformer.wte.weight")
    if head is not None and wte is not None and (head.shape != wte.shape or not torch.equal(head, wte)):
        raise ValueError("lm_head.weight differs from transformer.wte.weight: this GPT ties them")
    return out


def load_gpt2(path: str | Path, config: dict | None = None, device: str | torch.device | None = None,
              dropout: float = 0.0) -> GPT:
    """A :class:`~lmlab.gpt.GPT` holding GPT-2 weights from ``path``: a folder with
    ``config.json`` and ``model.safetensors`` (what ``save_pretrained`` writes), or a
    ``.safetensors`` file (then ``config`` is the config.json dict, or a ``config.json``
    lies next to the file). A missing, unexpected or mis-shaped tensor is an error that
    names it."""
    from safetensors.torch import load_file
    from ..train import load_tensors
    p = Path(path)
    if p.is_dir():
        file = p / "model.safetensors"
        if not file.is_file():
            found = sorted(x.name for x in p.iterdir())
            raise ValueError(f"{str(p)!r} holds no model.safetensors (found {found}); "
                             "only safetensors weights are loaded, never pickle (.bin)")
    elif p.is_file():
        if p.suffix != ".safetensors":
            raise ValueError(f"{str(p)!r} is not a .safetensors file; only safetensors weights "
                             "are loaded, never pickle")
        file = p
    else:
        raise ValueError(f"path {str(p)!r} does not exist")
    if config is None:
        cfile = file.parent / "config.json"
        if not cfile.is_file():
            raise ValueError(f"no config.json next to {str(file)!r}; pass config=")
        config = json.loads(cfile.read_text())
    model = GPT(gpt2_config(config, dropout=dropout))
    load_tensors(model, convert_gpt2_tensors(load_file(str(file))), str(file))
    model.eval()
    return model.to(resolve_device(device))
