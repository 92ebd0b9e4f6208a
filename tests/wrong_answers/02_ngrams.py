"""Plausible wrong answers to the exercises of book/02_ngrams.md: each string replaces the
exercise's solution cell, and must fail at least one of its checks (public or hidden)."""

WRONG = {
    "q1": [
        # the column instead of the row: the symbol that most often comes *before* 't'
        'col_t = pairs[:, letters.index["t"]]\n'
        'after_t = letters.symbols[int(np.argmax(col_t))]\n'
        'p_after_t = col_t.max() / col_t.sum()',
        # the right symbol, but its share of the whole table instead of the row
        'row_t = pairs[letters.index["t"]]\n'
        'after_t = letters.symbols[int(np.argmax(row_t))]\n'
        'p_after_t = row_t.max() / pairs.sum()',
        # the count instead of the probability
        'row_t = pairs[letters.index["t"]]\n'
        'after_t = letters.symbols[int(np.argmax(row_t))]\n'
        'p_after_t = row_t.max()',
    ],
    "q2": [
        # nats instead of bits
        'add1_5 = ngram.NGramModel(chars, counts, ngram.NGramConfig(5, "add-k", 1.0))\n'
        'add01_5 = ngram.NGramModel(chars, counts, ngram.NGramConfig(5, "add-k", 0.1))\n'
        'gap_5 = lm.evaluate(add1_5, shakes.val).nats_per_token - lm.evaluate(add01_5, shakes.val).nats_per_token',
        # the difference the wrong way round
        'add1_5 = ngram.NGramModel(chars, counts, ngram.NGramConfig(5, "add-k", 1.0))\n'
        'add01_5 = ngram.NGramModel(chars, counts, ngram.NGramConfig(5, "add-k", 0.1))\n'
        'gap_5 = lm.evaluate(add01_5, shakes.val).bits_per_token - lm.evaluate(add1_5, shakes.val).bits_per_token',
        # the bigrams again (order 2 instead of 5)
        'add1_2 = ngram.NGramModel(chars, counts, ngram.NGramConfig(2, "add-k", 1.0))\n'
        'add01_2 = ngram.NGramModel(chars, counts, ngram.NGramConfig(2, "add-k", 0.1))\n'
        'gap_5 = lm.evaluate(add1_2, shakes.val).bits_per_token - lm.evaluate(add01_2, shakes.val).bits_per_token',
    ],
    "q3": [
        # lambda tuned on the held-out text instead of the development text
        'C = fit.matrix().astype(float)\n'
        'p_ml = C / np.maximum(C.sum(axis=1, keepdims=True), 1)\n'
        'p_uni = fit.unigram() / fit.unigram().sum()\n'
        'def jm_cross_entropy(lam, ids):\n'
        '    return -np.mean(np.log(lam * p_ml[ids[:-1], ids[1:]] + (1 - lam) * p_uni[ids[1:]]))\n'
        'val_ces = np.array([jm_cross_entropy(lam, val_ids) for lam in lambdas])\n'
        'best_lambda = lambdas[np.argmin(val_ces)]\n'
        'heldout_ce = val_ces.min()',
        # counted on the whole training text, development text included
        'C = counts.matrix().astype(float)\n'
        'p_ml = C / np.maximum(C.sum(axis=1, keepdims=True), 1)\n'
        'p_uni = counts.unigram() / counts.unigram().sum()\n'
        'def jm_cross_entropy(lam, ids):\n'
        '    return -np.mean(np.log(lam * p_ml[ids[:-1], ids[1:]] + (1 - lam) * p_uni[ids[1:]]))\n'
        'dev_ces = np.array([jm_cross_entropy(lam, dev_ids) for lam in lambdas])\n'
        'best_lambda = lambdas[np.argmin(dev_ces)]\n'
        'heldout_ce = jm_cross_entropy(best_lambda, val_ids)',
        # the weights swapped: lambda on the unigram
        'C = fit.matrix().astype(float)\n'
        'p_ml = C / np.maximum(C.sum(axis=1, keepdims=True), 1)\n'
        'p_uni = fit.unigram() / fit.unigram().sum()\n'
        'def jm_cross_entropy(lam, ids):\n'
        '    return -np.mean(np.log((1 - lam) * p_ml[ids[:-1], ids[1:]] + lam * p_uni[ids[1:]]))\n'
        'dev_ces = np.array([jm_cross_entropy(lam, dev_ids) for lam in lambdas])\n'
        'best_lambda = lambdas[np.argmin(dev_ces)]\n'
        'heldout_ce = jm_cross_entropy(best_lambda, val_ids)',
    ],
}
