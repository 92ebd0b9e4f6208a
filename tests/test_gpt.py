"""GPT: parameter counts, the key/value cache, the attention paths, the LanguageModel wrapper."""
import numpy as np
import pytest
import torch

from lmlab import sampling
from lmlab.gpt import GPT, GPTConfig, GPTLanguageModel, KVCache, param_count
from lmlab.lm import LanguageModel, assert_log_probs_match, evaluate, per_position_log_probs
from lmlab.vocab import Vocab, char_vocab

TEXT = "to be, or not to be, that is the question: whether 'tis nobler in the mind\n" * 3


def tiny(positions="learned", qk_norm=False, tie=True, block=16, vocab=12, bias=True):
    return GPTConfig(vocab_size=vocab, n_out=vocab - 1, block_size=block, n_layer=2, n_head=2,
                     n_embd=16, positions=positions, qk_norm=qk_norm, tie_embeddings=tie, bias=bias)


@pytest.fixture(scope="module")
def lm():
    v = char_vocab(TEXT)
    return GPTLanguageModel.build(v, GPTConfig(vocab_size=len(v) + 1, n_out=len(v), block_size=12,
                                               n_layer=2, n_head=2, n_embd=16), seed=3)


def test_gpt2_small_parameter_count():
    assert param_count(GPTConfig.gpt2()) == 124_439_808
    with torch.device("meta"):                          # build it without allocating memory
        assert GPT(GPTConfig.gpt2()).num_params() == 124_439_808


def test_gpt3_175b_parameter_count():
    n = param_count(GPTConfig.gpt3_175b())
    assert n == 174_604_259_328                         # published as "175.0B" parameters
    with torch.device("meta"):
        assert GPT(GPTConfig.gpt3_175b()).num_params() == n
    # 12 L C^2 dominates: the embeddings are 0.4 % of it
    assert param_count(GPTConfig.gpt3_175b(), embeddings=False) == 12 * 96 * 12288 ** 2 + 13 * 96 * 12288 + 2 * 12288


@pytest.mark.parametrize("cfg", [GPTConfig.baby(65), GPTConfig.char(65), tiny(bias=False),
                                 tiny("rotary", True, False)])
def test_formula_equals_the_module(cfg):
    assert GPT(cfg).num_params() == param_count(cfg)


def test_config_errors():
    with pytest.raises(ValueError, match="n_embd must be divisible by n_head"):
        GPTConfig(n_embd=100, n_head=12)
    with pytest.raises(ValueError, match="n_out"):
        GPTConfig(vocab_size=10, n_out=11)
    with pytest.raises(ValueError, match="positions"):
        GPTConfig(positions="sinusoid")
    with pytest.raises(ValueError, match="dropout"):
        GPTConfig(dropout=1.0)
    assert GPTConfig.from_json(GPTConfig.char(30).to_json()) == GPTConfig.char(30)


def test_sigmoid_form_gelu_equals_torch_gelu_tanh():
    """GPT-2's GELU written as x sigmoid(k (x + a x^3)) (the fast CPU path) is torch's
    tanh-approximated GELU: values and gradients in float32, exact gradients in float64."""
    from lmlab.gpt.model import _GeluTanh, gelu_tanh
    x = torch.linspace(-12, 12, 20001).requires_grad_()
    y = gelu_tanh(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    xr = x.detach().double().requires_grad_()
    yr = torch.nn.functional.gelu(xr, approximate="tanh")
    (gr,) = torch.autograd.grad(yr.sum(), xr)
    assert y.dtype == torch.float32
    assert (y.double() - yr).abs().max() < 1e-6
    assert (g.double() - gr).abs().max() < 5e-6
    xd = (torch.randn(8, 9, dtype=torch.float64, generator=torch.Generator().manual_seed(0)) * 3).requires_grad_()
    assert torch.autograd.gradcheck(_GeluTanh.apply, (xd,))
    assert torch.allclose(_GeluTanh.apply(xd), torch.nn.functional.gelu(xd, approximate="tanh"), atol=1e-14)
    # other dtypes take torch's kernel
    xb = torch.randn(5, dtype=torch.bfloat16)
    assert torch.equal(gelu_tanh(xb), torch.nn.functional.gelu(xb, approximate="tanh"))


@pytest.mark.parametrize("positions,qk_norm", [("learned", False), ("rotary", True)])
def test_kv_cache_equals_full_forward(positions, qk_norm):
    torch.manual_seed(0)
    m = GPT(tiny(positions, qk_norm)).eval()
    x = torch.randint(0, 12, (3, 16))
    full, _ = m(x)
    cache = KVCache(2)
    parts = [m(x[:, :5], cache=cache)[0], m(x[:, 5:6], cache=cache)[0], m(x[:, 6:16], cache=cache)[0]]
    torch.testing.assert_close(torch.cat(parts, 1), full, rtol=0, atol=1e-5)
    assert cache.length == 16
    with pytest.raises(ValueError, match="longer than the block size"):
        m(x[:, :1], cache=cache)


def test_reference_attention_path_equals_fused_path():
    torch.manual_seed(1)
    m = GPT(tiny("rotary", True)).eval()
    x = torch.randint(0, 12, (2, 10))
    a, _ = m(x)
    b, _, maps = m(x, return_attention=True)
    torch.testing.assert_close(a, b, rtol=0, atol=1e-5)
    assert len(maps) == 2 and maps[0].shape == (2, 2, 10, 10)
    torch.testing.assert_close(maps[1].sum(-1), torch.ones(2, 2, 10))


@pytest.mark.parametrize("T", [2, 16, 64])
def test_explicit_causal_attention_equals_the_kernel(T):
    """The explicit attention used for short sequences on a CPU equals PyTorch's kernel,
    values and gradients, in float64 and under bfloat16 autocast."""
    import torch.nn.functional as F
    from lmlab.gpt.model import causal_attention_explicit
    g = torch.Generator().manual_seed(T)
    q, k, v = (torch.randn(2, 3, T, 8, dtype=torch.float64, generator=g, requires_grad=True)
               for _ in range(3))
    a = causal_attention_explicit(q, k, v)
    b = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(a, b, rtol=0, atol=1e-12)
    ga = torch.autograd.grad(a.square().sum(), (q, k, v))
    gb = torch.autograd.grad(b.square().sum(), (q, k, v))
    for x, y in zip(ga, gb):
        torch.testing.assert_close(x, y, rtol=0, atol=1e-10)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        a16 = causal_attention_explicit(q.float(), k.float(), v.float())
    assert a16.dtype == torch.bfloat16
    torch.testing.assert_close(a16.float(), b.float(), rtol=0, atol=0.05)


def test_gpt_training_step_is_the_same_with_either_attention(monkeypatch):
    """The same model's loss and gradients with the explicit attention and with the kernel
    (forced by setting the length limits to 0)."""
    from lmlab.gpt import model as gm
    torch.manual_seed(4)
    m = GPT(tiny("rotary", True, block=16))
    x, y = torch.randint(0, 12, (3, 16)), torch.randint(0, 11, (3, 16))
    assert gm._explicit_attention_ok(torch.zeros(1, 1, 16, 4))

    def grads():
        m.zero_grad()
        _, loss = m(x, y)
        loss.backward()
        return loss.detach(), [p.grad.clone() for p in m.parameters()]

    l1, g1 = grads()
    monkeypatch.setattr(gm, "EXPLICIT_ATTENTION_MAX_T", {})
    assert not gm._explicit_attention_ok(torch.zeros(1, 1, 16, 4))
    l2, g2 = grads()
    torch.testing.assert_close(l1, l2, rtol=0, atol=1e-6)
    for a, b in zip(g1, g2):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-6)


def test_causality_later_tokens_do_not_change_earlier_logits():
    torch.manual_seed(2)
    m = GPT(tiny()).eval()
    x = torch.randint(0, 12, (1, 10))
    y = x.clone()
    y[0, 6:] = (y[0, 6:] + 1) % 12
    torch.testing.assert_close(m(x)[0][:, :6], m(y)[0][:, :6])
    assert not torch.allclose(m(x)[0][:, 6:], m(y)[0][:, 6:])


def test_dropout_only_in_training():
    torch.manual_seed(0)
    m = GPT(GPTConfig(vocab_size=12, block_size=8, n_layer=1, n_head=2, n_embd=16, dropout=0.5))
    x = torch.randint(0, 12, (2, 8))
    m.train()
    assert not torch.allclose(m(x)[0], m(x)[0])
    m.eval()
    torch.testing.assert_close(m(x)[0], m(x)[0])


def test_bad_ids_and_lengths():
    m = GPT(tiny())
    with pytest.raises(ValueError, match="token id 12"):
        m(torch.tensor([[1, 12]]))
    with pytest.raises(ValueError, match="token id -1"):
        m(torch.tensor([[-1, 2]]))
    with pytest.raises(ValueError, match="longer than the block size 16"):
        m(torch.zeros(1, 17, dtype=torch.long))
    with pytest.raises(ValueError, match="2-D"):
        m(torch.zeros(4, dtype=torch.long))
    with pytest.raises(ValueError, match="temperature"):
        m.generate(torch.zeros(1, 2, dtype=torch.long), 3, temperature=0)
    with pytest.raises(ValueError, match="top_k"):
        m.generate(torch.zeros(1, 2, dtype=torch.long), 3, top_k=0)


def test_tensor_generate_cache_equals_uncached_past_the_block():
    torch.manual_seed(0)
    m = GPT(tiny(block=8)).eval()
    x = torch.randint(0, 12, (2, 3))
    g = lambda c: m.generate(x, 12, temperature=0.8, top_k=5, generator=torch.Generator().manual_seed(4), use_cache=c)
    assert torch.equal(g(True), g(False))


# ---- the LanguageModel wrapper -----------------------------------------------------------

def test_wrapper_follows_the_contract(lm):
    assert isinstance(lm, LanguageModel)
    assert lm.context_size == 12 and lm.start_id == len(lm.vocab)
    lp = lm.next_log_probs(["", "to be", TEXT])           # empty, short, longer than the block
    assert lp.shape == (3, len(lm.vocab))
    np.testing.assert_allclose(np.exp(lp).sum(1), 1, atol=1e-9)
    # a long context is cropped to its last 12 symbols
    np.testing.assert_allclose(lp[2], lm.next_log_probs([TEXT[-12:]])[0], atol=1e-6)
    # padding in a batch changes nothing
    np.testing.assert_allclose(lp[1], lm.next_log_probs(["to be"])[0], atol=1e-6)
    with pytest.raises(ValueError, match="vocabulary"):
        GPTLanguageModel(GPT(tiny()), lm.vocab)


def test_strided_scoring_equals_per_position_reference(lm):
    assert_log_probs_match(lm, TEXT[:12], atol=1e-6)     # fits in the context: one window
    long = TEXT[:70]
    ref = per_position_log_probs(lm, long)
    np.testing.assert_allclose(lm.log_probs(long, stride=1), ref, atol=1e-6)
    fast = lm.log_probs(long)                            # stride 6: first 12 exact, the rest differ
    np.testing.assert_allclose(fast[:12], ref[:12], atol=1e-6)
    assert fast.shape == ref.shape and not np.allclose(fast, ref)
    assert evaluate(lm, long).n_tokens == 70
    with pytest.raises(ValueError, match="stride"):
        lm.log_probs(long, stride=13)


@pytest.mark.parametrize("kw", [dict(), dict(temperature=0.7, top_k=5), dict(greedy=True)])
def test_cached_generation_equals_the_shared_sampler(lm, kw):
    """Same draws as lmlab.sampling.generate, through the point where the window slides."""
    ours = lm.generate("to be", length=30, seed=7, **kw)
    ref = sampling.generate(lm, "to be", length=30, seed=7, **kw)
    assert ours == ref and len(ours) == 30
    ids = lm.generate("to be", length=30, seed=7, return_ids=True, **kw)
    assert ids.dtype == np.int64 and lm.vocab.decode(ids) == ours
    assert lm.generate("to be", length=30, seed=7, use_cache=False, **kw) == ours


def test_generate_bad_input(lm):
    with pytest.raises(ValueError, match="temperature"):
        lm.generate("to", temperature=-1)
    with pytest.raises(ValueError, match="top_k"):
        lm.generate("to", top_k=0)
    with pytest.raises(ValueError, match="not in this"):
        lm.generate("ZZZ")
    with pytest.raises(ValueError, match="outside"):
        lm.next_log_probs([[0, 99]])


def test_attention_maps(lm):
    maps = lm.attention_maps("to be or")
    assert maps.shape == (2, 2, 9, 9)                    # start-of-text + 8 symbols
    np.testing.assert_allclose(maps.sum(-1), 1, atol=1e-5)
    assert np.allclose(np.triu(maps, 1), 0)


def test_save_and_load(lm, tmp_path):
    lm.save(tmp_path / "m.safetensors")
    back = GPTLanguageModel.load(tmp_path / "m.safetensors")
    assert back.vocab == lm.vocab and back.model.config == lm.model.config
    np.testing.assert_allclose(back.log_probs(TEXT[:40]), lm.log_probs(TEXT[:40]), atol=1e-9)
    lm.save(tmp_path / "half.safetensors", dtype=torch.bfloat16)
    size = lambda p: (tmp_path / p).stat().st_size
    assert size("half.safetensors") < 0.6 * size("m.safetensors")
    half = GPTLanguageModel.load(tmp_path / "half.safetensors")
    np.testing.assert_allclose(half.log_probs(TEXT[:40]), lm.log_probs(TEXT[:40]), atol=0.05)


def test_devices():
    v = Vocab(list("ab"))
    with pytest.raises(ValueError, match="device 'nonsense'"):
        GPTLanguageModel.build(v, GPTConfig.baby(2), device="nonsense")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA GPU"):
            GPTLanguageModel.build(v, GPTConfig.baby(2), device="cuda")
    else:                                                # pragma: no cover - only with a GPU
        a = GPTLanguageModel.build(v, GPTConfig.baby(2), device="cpu")
        b = GPTLanguageModel.build(v, GPTConfig.baby(2), device="cuda")
        np.testing.assert_allclose(a.log_probs("abba"), b.log_probs("abba"), atol=1e-4)


def test_shipped_checkpoint(book_corpus):
    """The character GPT shipped with the package loads, records its training, and predicts
    the book's held-out text far better than chance (ln 79 = 4.37 nats) and than a model
    that ignores context (the unigram, about 3.2 nats)."""
    import json
    from lmlab.gpt import CHAR_CHECKPOINT
    from lmlab.train import read_checkpoint
    lm = GPTLanguageModel.pretrained()
    assert lm.vocab == char_vocab(book_corpus.text)
    meta = read_checkpoint(CHAR_CHECKPOINT)[2]
    for key in ("val_seconds", "val_losses", "val_steps", "command", "heldout_nats_per_char", "threads"):
        assert key in meta
    assert len(json.loads(meta["val_losses"])) == len(json.loads(meta["val_seconds"]))
    assert CHAR_CHECKPOINT.stat().st_size < 8e6
    nats = evaluate(lm, book_corpus.val[:3000]).nats_per_token
    assert nats < 2.5
