import numpy as np
import pytest

from lmlab.vocab import Vocab, char_vocab, word_vocab


def test_char_roundtrip():
    v = char_vocab("hello world")
    assert v.symbols == tuple(sorted(set("hello world")))
    ids = v.encode("world hello")
    assert ids.dtype == np.int64 and v.decode(ids) == "world hello"


def test_unknown_symbol_is_named():
    v = char_vocab("abc")
    with pytest.raises(ValueError, match=r"symbol 'z' \(at position 2\)"):
        v.encode("abz")


def test_unk_policy_maps_unknown_words():
    v = word_vocab("the cat saw the dog . the end", min_count=2)
    assert v.symbols == ("the", "<unk>")
    assert v.encode("the zebra").tolist() == [0, 1]
    assert v.decode([0, 1]) == "the <unk>"


def test_word_decode_attaches_punctuation():
    v = word_vocab("to be , or not to be : that is it .")
    assert v.decode(v.encode("to be, or not to be: that")) == "to be, or not to be: that"


def test_bad_input():
    with pytest.raises(ValueError, match="must not be empty"):
        char_vocab("")
    with pytest.raises(ValueError, match="distinct"):
        Vocab(["a", "a"])
    with pytest.raises(ValueError, match="min_count"):
        word_vocab("a b", min_count=0)
    v = char_vocab("ab")
    with pytest.raises(ValueError, match=r"ids must lie in 0..1"):
        v.decode([0, 5])
    with pytest.raises(ValueError, match="outside this vocabulary"):
        v.check_ids([0, -1])


def test_unk_survives_a_round_trip():
    v = word_vocab("the cat saw the dog . the end .", min_count=2)
    ids = v.encode("the zebra saw the end .")
    assert v.decode(ids) == "the <unk> <unk> the <unk>."
    assert v.encode(v.decode(ids)).tolist() == ids.tolist()


def test_vocab_json_round_trip():
    from lmlab.vocab import Vocab
    for v in (Vocab(list("abc")), Vocab(["to", "be"], kind="word", unk="<unk>")):
        back = Vocab.from_json(v.to_json())
        assert back == v and back.unk_id == v.unk_id
