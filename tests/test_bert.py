"""BERT: our encoder against transformers' BertModel and sentence-transformers, the
masked-LM objective, and bad input."""
import json
import shutil

import numpy as np
import pytest
import torch
from safetensors.torch import load_file, save_file

from lmlab.bert import (Bert, BertConfig, BertLanguageModel, BertMLM, MaskConfig, analogy, blank_nats,
                        blank_spots,
                        attention_maps, cosine_matrix, hidden_states, layer_cosines, load_bert,
                        load_minilm, mask_tokens, minilm_path, mlm_batches, mlm_vocab, param_count,
                        sentence_embeddings, word_vectors)
from lmlab.train import TrainConfig, train
from lmlab.wordpiece import WordPiece

transformers = pytest.importorskip("transformers")

SENTENCES = [
    "The crane lifted the steel beam onto the roof.",
    "A crane waded through the marsh, hunting for frogs.",
    "She deposited her savings at the bank on Monday.",
    "We had a picnic on the grassy bank of the river.",
    "Hello!",
    "Naïve café owners in Zürich charge 4.50 CHF for an espresso.",
    "Quantum chromodynamics describes the strong interaction between quarks and gluons.",
    "Ein Satz auf Deutsch, mit Umlauten: Größe, Übermut.",
    "東京は日本の首都です。",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "Is 2 + 2 = 4? Yes -- usually; in base 3 it's written 11.",
    "a " * 40 + "long, repetitive sentence.",
]


@pytest.fixture(scope="module")
def minilm():
    return load_minilm(), WordPiece.minilm()


@pytest.fixture(scope="module")
def hf_bert():
    return transformers.BertModel.from_pretrained(str(minilm_path()), attn_implementation="eager").eval()


def test_param_counts_match_the_models(minilm, hf_bert):
    ours, _ = minilm
    assert ours.num_params() == param_count(ours.config) == sum(p.numel() for p in hf_bert.parameters())
    assert param_count(ours.config) == 22_713_216
    base = transformers.BertModel(transformers.BertConfig())
    assert param_count(BertConfig.base()) == sum(p.numel() for p in base.parameters()) == 109_482_240
    tiny = BertMLM(BertConfig.tiny(500))
    assert tiny.num_params() == param_count(tiny.config, pooler=False, mlm_head=True)


def test_hidden_states_attention_and_pooler_equal_transformers(minilm, hf_bert):
    ours, tok = minilm
    enc = tok.batch(SENTENCES)
    assert enc.attention_mask.min() == 0           # the batch is padded
    ids, am, tt = (torch.as_tensor(a) for a in (enc.input_ids, enc.attention_mask, enc.token_type_ids))
    with torch.no_grad():
        a = ours(ids, am, tt, hidden_states=True, need_weights=True)
        b = hf_bert(input_ids=ids, attention_mask=am, token_type_ids=tt, output_hidden_states=True,
                    output_attentions=True)
    real = am.bool()
    assert len(a.hidden_states) == len(b.hidden_states) == 7
    for layer, (x, y) in enumerate(zip(a.hidden_states, b.hidden_states)):
        err = (x - y).abs()[real].max().item()
        assert err < 1e-5, f"layer {layer}: {err:.2e}"
    for x, y in zip(a.attentions, b.attentions):
        keys = real[:, None, None, :].expand_as(x)
        assert (x - y).abs()[keys].max().item() < 1e-5
        assert x[~keys].abs().max().item() == 0       # padding is never attended to
    torch.testing.assert_close(a.pooled, b.pooler_output, rtol=0, atol=1e-5)


def test_fast_path_equals_explicit_attention(minilm):
    ours, tok = minilm
    enc = tok.batch(SENTENCES[:6])
    with torch.no_grad():
        a = ours(enc.input_ids, enc.attention_mask, hidden_states=True)
        b = ours(enc.input_ids, enc.attention_mask, hidden_states=True, need_weights=True)
    real = torch.as_tensor(enc.attention_mask).bool()
    for x, y in zip(a.hidden_states, b.hidden_states):
        assert (x - y).abs()[real].max().item() < 1e-5


def test_native_inference_path_equals_the_written_out_blocks(minilm, hf_bert):
    ours, tok = minilm
    enc = tok.batch(["The crane lifted the steel beam onto the roof of the shed."] * 3)   # no padding
    ids = torch.as_tensor(enc.input_ids)
    with torch.no_grad():
        fast = ours(ids, hidden_states=True).hidden_states
        ref = hf_bert(input_ids=ids, output_hidden_states=True).hidden_states
        ours.native_inference = False
        try:
            slow = ours(ids, hidden_states=True).hidden_states
        finally:
            ours.native_inference = True
    for a, b, c in zip(fast, slow, ref):
        assert (a - b).abs().max().item() < 1e-5 and (a - c).abs().max().item() < 1e-5
    assert not torch.equal(fast[-1], slow[-1])          # the two paths did run (different rounding)


def test_sentence_embeddings_equal_sentence_transformers(minilm):
    st = pytest.importorskip("sentence_transformers")
    ours, tok = minilm
    ref = st.SentenceTransformer(str(minilm_path()), device="cpu")
    want = ref.encode(SENTENCES, convert_to_numpy=True, batch_size=5)
    got = sentence_embeddings(ours, tok, SENTENCES, batch_size=5)
    assert got.shape == (len(SENTENCES), 384)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1, atol=1e-6)


def test_padding_changes_nothing_and_attention_reads_both_ways(minilm):
    ours, tok = minilm
    alone = sentence_embeddings(ours, tok, [SENTENCES[4]])
    padded = sentence_embeddings(ours, tok, [SENTENCES[4], SENTENCES[6]])
    np.testing.assert_allclose(padded[0], alone[0], atol=1e-6)
    ids = torch.as_tensor(tok.encode("the cat sat on the mat"))[None]
    changed = ids.clone()
    changed[0, -2] = tok.convert_tokens_to_ids(["dog"])[0]   # change a late token
    with torch.no_grad():
        a, b = ours(ids).last_hidden, ours(changed).last_hidden
    assert (a[0, 1] - b[0, 1]).abs().max() > 1e-3             # an early token sees it: no causal mask


def test_word_vectors_depend_on_context_only_beyond_the_embeddings(minilm):
    ours, tok = minilm
    a = ("the crane lifted the beam", "crane")
    b = ("the crane caught a fish", "crane")
    cos = layer_cosines(ours, tok, a, b)
    assert cos.shape == (7,)
    assert cos[0] == pytest.approx(1.0, abs=1e-6)    # same word, same position: same embedding
    assert cos[1:].max() < 0.999                     # context enters from the first block on
    v = word_vectors(ours, tok, "unaffable people", "unaffable")   # several word pieces, averaged
    tokens, states = hidden_states(ours, tok, "unaffable people")
    n = len(tok.tokenize("unaffable"))
    assert n > 1 and np.allclose(v, states[:, 1:1 + n].mean(axis=1))
    with pytest.raises(ValueError, match="word 'crane' .* does not occur"):
        word_vectors(ours, tok, "a heron", "crane")


def test_attention_maps_rows_sum_to_one(minilm):
    ours, tok = minilm
    tokens, maps = attention_maps(ours, tok, "Time flies like an arrow.")
    assert tokens[0] == "[CLS]" and tokens[-1] == "[SEP]"
    assert maps.shape == (6, 12, len(tokens), len(tokens))
    np.testing.assert_allclose(maps.sum(-1), 1, atol=1e-5)


def test_cosine_matrix_and_analogy():
    v = np.array([[1.0, 0, 0], [0, 1, 0], [1, 1, 0.1], [0.1, 0.1, 1], [0, 0, 1]])
    words = ["man", "woman", "king", "queen", "x"]
    # king - man + woman = (0, 2, 0.1): nearest is woman (excluded), then queen? check by hand
    c = cosine_matrix(v)
    np.testing.assert_allclose(np.diag(c), 1)
    got = analogy(v, words, "king", "man", "woman", k=2, exclude_inputs=False)
    assert got[0][0] == "woman"
    got = analogy(v, words, "king", "man", "woman", k=2)
    assert got[0][0] not in ("king", "man", "woman")
    with pytest.raises(ValueError, match="c='princess' is not among the words"):
        analogy(v, words, "king", "man", "princess")


def test_masking_follows_bert_proportions():
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(4, 1000, (200, 500), generator=g)
    maskable = torch.ones_like(ids, dtype=torch.bool)
    maskable[:, 0] = False
    x, y = mask_tokens(ids, 3, 1000, g, MaskConfig(), maskable, random_low=4)
    chosen = y != -100
    assert not chosen[:, 0].any()
    assert chosen.float().mean().item() == pytest.approx(0.15 * 499 / 500, abs=0.003)
    assert torch.equal(y[chosen], ids[chosen])
    assert torch.equal(x[~chosen], ids[~chosen])
    n = chosen.sum().item()
    masked = (x == 3) & chosen
    same = (x == ids) & chosen
    assert masked.sum().item() / n == pytest.approx(0.8, abs=0.01)
    assert same.sum().item() / n == pytest.approx(0.1 + 0.1 / 996, abs=0.01)
    assert x.min() >= 3
    x2, y2 = mask_tokens(ids, 3, 1000, torch.Generator().manual_seed(0).manual_seed(0), MaskConfig(), maskable, 4)
    g = torch.Generator().manual_seed(0)
    torch.randint(4, 1000, (200, 500), generator=g)
    x3, y3 = mask_tokens(ids, 3, 1000, g, MaskConfig(), maskable, 4)
    assert torch.equal(x3, x) and torch.equal(y3, y)


@pytest.mark.parametrize("p", [0, 1, 1.5, -0.1])
def test_mask_probability_outside_zero_one_is_refused(p):
    with pytest.raises(ValueError, match="mask_prob must lie strictly between 0 and 1"):
        MaskConfig(mask_prob=p)


SMALL_TEXT = ("to be or not to be , that is the question . " * 30
              + "the king is dead , long live the king . " * 30)


def _tiny_model(seed=0):
    v = mlm_vocab(SMALL_TEXT, min_count=1)
    ids = v.encode(SMALL_TEXT)
    cfg = BertConfig(vocab_size=len(v), max_positions=16, n_layer=2, n_head=2, n_embd=32,
                     intermediate=64, dropout=0.0)
    return v, ids, BertLanguageModel.build(v, cfg, seed=seed)


def test_mlm_training_with_the_shared_trainer_is_reproducible_and_learns():
    runs = []
    for _ in range(2):
        v, ids, lm = _tiny_model()
        get = mlm_batches(v, ids, ids, 16, 16)
        before = dict(lm.fill_in("to be or not to [MASK] , that is the question .", top_k=len(v) - 4)[0])
        res = train(lm.model, get, TrainConfig(steps=500, lr=5e-3, warmup_steps=20, eval_every=0,
                                               eval_batches=4, log_every=50, weight_decay=0.01))
        runs.append(res.losses)
    assert runs[0] == runs[1]
    assert np.mean(runs[0][-20:]) < np.mean(runs[0][:10]) - 1.0
    after = dict(lm.fill_in("to be or not to [MASK] , that is the question .", top_k=2)[0])
    assert "be" in after and after["be"] > 0.3 > 3 * before["be"]


def test_language_model_interface(tmp_path):
    v, ids, lm = _tiny_model()
    lp = lm.next_log_probs(["to be or", "the king"])
    assert lp.shape == (2, len(v))
    np.testing.assert_allclose(np.exp(lp).sum(axis=1), 1, atol=1e-9)
    assert np.isneginf(lp[:, :4]).all()                 # special symbols are never predicted
    lm.save(tmp_path / "b.safetensors")
    back = BertLanguageModel.load(tmp_path / "b.safetensors")
    np.testing.assert_allclose(back.next_log_probs(["to be or"]), lp[:1], atol=1e-6)
    with pytest.raises(ValueError, match=r"text must contain at least one \[MASK\]"):
        lm.fill_in("no blank here")
    two = lm.fill_in("[MASK] be or not to [MASK]", top_k=3)
    assert len(two) == 2 and all(len(c) == 3 for c in two)


@pytest.fixture(scope="module")
def hf_mlm_dir(tmp_path_factory):
    torch.manual_seed(0)
    cfg = transformers.BertConfig(vocab_size=101, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                                  intermediate_size=96, max_position_embeddings=40)
    model = transformers.BertForMaskedLM(cfg).eval()
    d = tmp_path_factory.mktemp("bert_mlm")
    model.save_pretrained(d, safe_serialization=True)
    return d, model


def test_masked_lm_checkpoint_equals_transformers(hf_mlm_dir):
    d, hf = hf_mlm_dir
    ours = load_bert(d)
    assert isinstance(ours, BertMLM)
    x = torch.randint(0, 101, (3, 20), generator=torch.Generator().manual_seed(1))
    am = torch.ones_like(x)
    am[1, 12:] = 0
    with torch.no_grad():
        want = hf(input_ids=x, attention_mask=am).logits
        got, _ = ours(x, attention_mask=am)
    torch.testing.assert_close(got[am.bool()], want[am.bool()], rtol=0, atol=1e-5)


def _copy_with(src, dst, change=None, drop=()):
    dst.mkdir()
    for f in src.iterdir():
        if f.name not in drop and f.name != "model.safetensors":
            shutil.copy(f, dst / f.name)
    if "model.safetensors" not in drop:
        t = load_file(str(src / "model.safetensors"))
        if change:
            change(t)
        save_file(t, str(dst / "model.safetensors"))
    return dst


def test_bad_weights_folders_are_named(hf_mlm_dir, tmp_path):
    d, _ = hf_mlm_dir
    with pytest.raises(FileNotFoundError, match=r"lacks \['model.safetensors'\]"):
        load_bert(_copy_with(d, tmp_path / "a", drop=("model.safetensors",)))
    with pytest.raises(FileNotFoundError, match=r"lacks \['config.json'\]"):
        load_bert(_copy_with(d, tmp_path / "b", drop=("config.json",)))
    key = "bert.encoder.layer.1.output.dense.weight"
    with pytest.raises(ValueError, match=r"mis-shaped tensors: bert.encoder.layer.1.output.dense.weight: "
                                         r"file \(48, 90\) vs config.json \(48, 96\)"):
        load_bert(_copy_with(d, tmp_path / "c", lambda t: t.__setitem__(key, t[key][:, :90].clone())))
    key = "bert.encoder.layer.0.attention.self.value.bias"
    with pytest.raises(ValueError, match=r"layer 0 has no value bias .*'encoder.layer.0.attention.self.value.bias'"):
        load_bert(_copy_with(d, tmp_path / "d", lambda t: t.pop(key)))
    key = "bert.encoder.layer.1.output.LayerNorm.bias"
    with pytest.raises(ValueError, match=r"lacks the tensors \['bert.encoder.layer.1.output.LayerNorm.bias'\]"):
        load_bert(_copy_with(d, tmp_path / "e", lambda t: t.pop(key)))
    with pytest.raises(ValueError, match=r"unexpected tensors \['bert.encoder.extra'\]"):
        load_bert(_copy_with(d, tmp_path / "f", lambda t: t.__setitem__("bert.encoder.extra", torch.zeros(1))))


def test_bad_inputs_are_named(minilm):
    ours, tok = minilm
    with pytest.raises(ValueError, match="input_ids has 513 positions, more than this model's max_positions=512"):
        ours(torch.ones(1, 513, dtype=torch.long))
    with pytest.raises(ValueError, match=r"attention_mask must have the shape of input_ids \(2, 5\), got \(2, 4\)"):
        ours(torch.ones(2, 5, dtype=torch.long), torch.ones(2, 4, dtype=torch.long))
    with pytest.raises(ValueError, match="input_ids contains 30522, outside the vocabulary's ids 0..30521"):
        ours(torch.tensor([[101, 30522, 102]]))
    with pytest.raises(ValueError, match="input_ids contains -1"):
        ours(torch.tensor([[101, -1, 102]]))
    with pytest.raises(TypeError, match="input_ids must hold integers"):
        ours(torch.zeros(1, 3))
    with pytest.raises(ValueError, match="sentences must contain at least one sentence"):
        sentence_embeddings(ours, tok, [])
    with pytest.raises(TypeError, match=r"sentences\[1\] must be a str"):
        sentence_embeddings(ours, tok, ["a", 3])
    with pytest.raises(ValueError, match="n_embd=100 must be divisible by n_head=12"):
        BertConfig(n_embd=100)


def test_blank_nats_left_only_is_the_next_token_question():
    v, ids, lm = _tiny_model()
    spots = blank_spots(ids, n=20, left=5, right=0, seed=1)
    ctx = [ids[i - 5:i] for i in spots]
    lp = lm.next_log_probs(ctx)
    want = -np.mean(lp[np.arange(len(spots)), ids[spots]])
    assert blank_nats(lm, ids, spots, left=5, right=0) == pytest.approx(want, abs=1e-9)
    assert blank_nats(lm, ids, spots, left=5, right=0, shuffle=True) != pytest.approx(want, abs=1e-6)
    with pytest.raises(ValueError, match="too few for 1000 blanks"):
        blank_spots(ids, n=1000)


def test_shipped_small_bert_beats_guessing_by_frequency(book_corpus):
    lm = BertLanguageModel.pretrained()
    from lmlab.train import read_checkpoint
    meta = read_checkpoint(BertLanguageModel.CHECKPOINT)[2]
    assert lm.vocab == mlm_vocab(book_corpus.train, min_count=int(meta["min_count"]))
    train_ids, val = lm.vocab.encode(book_corpus.train), lm.vocab.encode(book_corpus.val)
    freq = np.bincount(train_ids, minlength=len(lm.vocab)) / len(train_ids)
    side = (lm.model.config.max_positions - 3) // 2
    spots = blank_spots(val, n=400, left=side, right=side, seed=3)
    both = blank_nats(lm, val, spots, side, side)
    assert both < -np.log(freq[val[spots]]).mean() - 1.0                # far better than frequencies
    assert both < blank_nats(lm, val, spots, side, 0) - 0.3             # the right side helps
    with pytest.raises(ValueError, match="does not fit this model's 30 positions"):
        blank_nats(lm, val, spots, 30, 30)
