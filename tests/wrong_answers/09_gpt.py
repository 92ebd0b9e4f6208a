"""Plausible wrong answers to the exercises of book/09_gpt.md.

``WRONG[question]`` lists code that replaces the question's solution cell. Each must fail
at least one of the question's checks (public or hidden).
"""

WRONG = {
    "q1": [
        # a percentage instead of a fraction
        "share_token_embedding = 31.0\n",
        # GPT-3's share read from the wrong bar
        "share_token_embedding = 0.004\n",
        # the embeddings together (token + position)
        "share_token_embedding = 0.317 + 0.006\n",
        # the blocks' share
        "share_token_embedding = 0.68\n",
    ],
    "q2": [
        # nats instead of bits
        """part = slice_text[:20_000]
bits_no_overlap = -small.log_probs(part, stride=small.context_size).mean()
bits_half_overlap = -small.log_probs(part).mean()
""",
        # the two conventions swapped
        """part = slice_text[:20_000]
bits_half_overlap = -small.log_probs(part, stride=small.context_size).mean() / np.log(2)
bits_no_overlap = -small.log_probs(part).mean() / np.log(2)
""",
        # stride 1 (every position with its full context) taken as "no overlap"
        """part = slice_text[:20_000]
bits_no_overlap = -small.log_probs(part, stride=1).mean() / np.log(2)
bits_half_overlap = -small.log_probs(part).mean() / np.log(2)
""",
        # the whole slice instead of its first 20,000 characters
        """bits_no_overlap = -small.log_probs(slice_text, stride=small.context_size).mean() / np.log(2)
bits_half_overlap = -small.log_probs(slice_text).mean() / np.log(2)
""",
    ],
    "q3": [
        # divided the log-probabilities by T without normalising again
        """def ce_at(T):
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = (z - np.log(np.exp(z).sum(axis=1, keepdims=True))) / T
    return float(-log_p[np.arange(len(targets)), targets].mean())

best_T = temperatures[np.argmin([ce_at(T) for T in temperatures])]
""",
        # multiplied by T instead of dividing
        """def ce_at(T):
    z = logits * T
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(targets)), targets].mean())

best_T = temperatures[np.argmin([ce_at(T) for T in temperatures])]
""",
        # the highest cross-entropy
        """def ce_at(T):
    z = logits / T
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(targets)), targets].mean())

best_T = temperatures[np.argmax([ce_at(T) for T in temperatures])]
""",
        # bits instead of nats
        """def ce_at(T):
    z = logits / T
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(targets)), targets].mean() / np.log(2))

best_T = temperatures[np.argmin([ce_at(T) for T in temperatures])]
""",
    ],
}
