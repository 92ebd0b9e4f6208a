"""Shared fixtures: the book's corpus and its character counts, built once per session."""
import numpy as np
import pytest
import torch

torch.set_num_threads(1)


@pytest.fixture(scope="session")
def book_corpus():
    from lmlab import corpus
    return corpus.shakespeare()


@pytest.fixture(scope="session")
def book_chars(book_corpus):
    """(vocab, train ids, val ids, NGramCounts up to order 8) of the book's split."""
    from lmlab import ngram, vocab
    v = vocab.char_vocab(book_corpus.text)
    train, val = v.encode(book_corpus.train), v.encode(book_corpus.val)
    return v, train, val, ngram.NGramCounts(train, len(v), 8)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
