"""GPT-2 weights from safetensors: our GPT against transformers' GPT2LMHeadModel."""
import json

import pytest
import torch
from safetensors.torch import load_file, save_file

from lmlab.gpt.load import load_gpt2

transformers = pytest.importorskip("transformers")


@pytest.fixture(scope="module")
def hf_dir(tmp_path_factory):
    torch.manual_seed(0)
    cfg = transformers.GPT2Config(vocab_size=97, n_positions=32, n_embd=48, n_layer=2, n_head=4,
                                  bos_token_id=0, eos_token_id=0)
    model = transformers.GPT2LMHeadModel(cfg).eval()
    d = tmp_path_factory.mktemp("gpt2")
    model.save_pretrained(d, safe_serialization=True)
    return d, model


def test_logits_and_greedy_tokens_equal_transformers(hf_dir):
    d, hf = hf_dir
    ours = load_gpt2(d)
    x = torch.randint(0, 97, (3, 32), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        torch.testing.assert_close(ours(x)[0], hf(x).logits, rtol=0, atol=1e-5)
    prompt = x[:, :6]
    want = hf.generate(prompt, max_new_tokens=20, do_sample=False, pad_token_id=0)
    got = ours.generate(prompt, 20, greedy=True)
    assert got.shape == (3, 26) and torch.equal(got, want)


def _rewrite(d, tmp_path, change):
    t = load_file(str(d / "model.safetensors"))
    change(t)
    out = tmp_path / "model.safetensors"
    save_file(t, str(out))
    (tmp_path / "config.json").write_text((d / "config.json").read_text())
    return out


def test_missing_extra_and_misshaped_tensors_are_named(hf_dir, tmp_path):
    d, _ = hf_dir
    with pytest.raises(ValueError, match=r"missing tensors \['transformer.h.1.ln_2.bias'\]"):
        load_gpt2(_rewrite(d, tmp_path, lambda t: t.pop("transformer.h.1.ln_2.bias")))
    with pytest.raises(ValueError, match=r"unexpected tensors \['transformer.h.0.attn.extra'\]"):
        load_gpt2(_rewrite(d, tmp_path, lambda t: t.__setitem__("transformer.h.0.attn.extra", torch.zeros(2))))
    with pytest.raises(ValueError, match=r"transformer.wpe.weight: file \(16, 48\) vs model \(32, 48\)"):
        load_gpt2(_rewrite(d, tmp_path, lambda t: t.__setitem__("transformer.wpe.weight",
                                                                 t["transformer.wpe.weight"][:16].clone())))


def test_only_safetensors(hf_dir, tmp_path):
    d, _ = hf_dir
    (tmp_path / "pytorch_model.bin").write_bytes(b"not loaded")
    with pytest.raises(ValueError, match="never pickle"):
        load_gpt2(tmp_path)
    with pytest.raises(ValueError, match="never pickle"):
        load_gpt2(tmp_path / "pytorch_model.bin")
    with pytest.raises(ValueError, match="does not exist"):
        load_gpt2(tmp_path / "nothing")
    cfg = json.loads((d / "config.json").read_text())
    cfg["n_inner"] = 7
    with pytest.raises(ValueError, match="n_inner"):
        load_gpt2(d / "model.safetensors", config=cfg)
