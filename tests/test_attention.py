"""The attention reference against torch's fused implementation, and its pieces."""
import math

import pytest
import torch
import torch.nn.functional as F

from lmlab.attention import (apply_rotary, attention, causal_mask, merge_heads, padding_mask,
                             rotary_tables, sinusoidal_positions, split_heads)


def qkv(b=2, h=3, tq=7, tk=7, d=8, seed=0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(b, h, tq, d, generator=g, dtype=torch.float64),
            torch.randn(b, h, tk, d, generator=g, dtype=torch.float64),
            torch.randn(b, h, tk, d, generator=g, dtype=torch.float64))


@pytest.mark.parametrize("causal", [False, True])
def test_equals_torch_sdpa(causal):
    q, k, v = qkv()
    out, w = attention(q, k, v, causal=causal)
    ref = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    torch.testing.assert_close(out, ref, rtol=0, atol=1e-12)
    torch.testing.assert_close(w.sum(-1), torch.ones(2, 3, 7, dtype=torch.float64))
    if causal:
        low = causal_mask(7)
        assert (w[..., ~low] == 0).all() and (w[..., low] > 0).all()


def test_padding_mask_equals_sdpa_and_ignores_padded_keys():
    q, k, v = qkv(tq=5, tk=5)
    valid = torch.tensor([[True] * 5, [True, True, True, False, False]])
    m = padding_mask(valid)
    for causal in (False, True):
        out, w = attention(q, k, v, mask=m, causal=causal)
        full = m & causal_mask(5) if causal else m
        ref = F.scaled_dot_product_attention(q, k, v, attn_mask=full)
        torch.testing.assert_close(out, ref, rtol=0, atol=1e-12)
        assert (w[1, :, :, 3:] == 0).all()
    # changing what sits in padded positions changes nothing
    k2, v2 = k.clone(), v.clone()
    k2[1, :, 3:], v2[1, :, 3:] = 100.0, -100.0
    torch.testing.assert_close(attention(q, k2, v2, mask=m)[0], attention(q, k, v, mask=m)[0])


def test_query_with_no_allowed_key_gets_zeros_not_nan():
    q, k, v = qkv(tq=3, tk=3)
    mask = torch.tensor([[True, False, False], [False, False, False], [True, True, True]])
    out, w = attention(q, k, v, mask=mask)
    assert torch.isfinite(out).all() and (out[:, :, 1] == 0).all() and (w[:, :, 1] == 0).all()


def test_causal_with_fewer_queries_reads_the_cache():
    """The last queries against all keys (a key/value cache) give the last rows of the full
    causal attention."""
    q, k, v = qkv(tq=7, tk=7)
    full, _ = attention(q, k, v, causal=True)
    tail, w = attention(q[:, :, -2:], k, v, causal=True)
    torch.testing.assert_close(tail, full[:, :, -2:])
    assert causal_mask(2, 4).tolist() == [[True, True, True, False], [True, True, True, True]]


def test_scores_are_scaled_by_sqrt_d():
    q = torch.tensor([[[1.0, 1.0, 1.0, 1.0]]])
    k = torch.tensor([[[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]]])
    v = torch.tensor([[[1.0], [0.0]]])
    _, w = attention(q, k, v)
    assert w[0, 0, 0].item() == pytest.approx(1 / (1 + math.exp(-4 / 2)))


def test_gradients_match_finite_differences():
    q, k, v = qkv(b=1, h=1, tq=3, tk=3, d=4)
    for t in (q, k, v):
        t.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda a, b, c: attention(a, b, c, causal=True)[0], (q, k, v))


def test_heads_split_and_merge():
    x = torch.arange(2 * 5 * 12, dtype=torch.float32).view(2, 5, 12)
    h = split_heads(x, 3)
    assert h.shape == (2, 3, 5, 4)
    assert torch.equal(h[0, 1, 2], x[0, 2, 4:8])          # head 1 holds columns 4..7
    assert torch.equal(merge_heads(h), x)
    with pytest.raises(ValueError, match="divisible by n_head"):
        split_heads(x, 5)


def test_sinusoidal_positions_formula():
    pe = sinusoidal_positions(50, 16)
    assert pe.shape == (50, 16)
    for pos in (0, 1, 7, 49):
        for i in range(8):
            ang = pos / 10000 ** (2 * i / 16)
            assert pe[pos, 2 * i].item() == pytest.approx(math.sin(ang), abs=1e-6)
            assert pe[pos, 2 * i + 1].item() == pytest.approx(math.cos(ang), abs=1e-6)
    assert sinusoidal_positions(4, 5).shape == (4, 5)     # odd widths work
    with pytest.raises(ValueError, match="dim"):
        sinusoidal_positions(4, 0)


def test_rotary_dot_products_depend_on_offset_only():
    cos, sin = rotary_tables(40, 8)
    g = torch.Generator().manual_seed(0)
    q, k = torch.randn(8, generator=g), torch.randn(8, generator=g)

    def rot(x, p):
        return apply_rotary(x[None], cos[p:p + 1], sin[p:p + 1])[0]

    assert (rot(q, 9) @ rot(k, 4)).item() == pytest.approx((rot(q, 30) @ rot(k, 25)).item(), abs=1e-5)
    assert rot(q, 7).norm().item() == pytest.approx(q.norm().item(), abs=1e-5)
    assert not torch.allclose(rot(q, 9) @ rot(k, 4), rot(q, 9) @ rot(k, 5))


def test_bad_input():
    q, k, v = qkv()
    with pytest.raises(ValueError, match="same last dimension"):
        attention(q, k[..., :4], v)
    with pytest.raises(TypeError, match="boolean"):
        attention(q, k, v, mask=torch.ones(7, 7))
    with pytest.raises(ValueError, match="broadcast"):
        attention(q, k, v, mask=torch.ones(3, 3, dtype=torch.bool))
    with pytest.raises(TypeError, match="torch.Tensor"):
        attention(q.numpy(), k, v)
    with pytest.raises(ValueError, match="no more queries"):
        attention(q, k[:, :, :3], v[:, :, :3], causal=True)
