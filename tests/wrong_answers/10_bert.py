"""Plausible wrong answers to the exercises of book/10_bert.md.

``WRONG[question]`` lists code that replaces the question's solution cell. Each must fail
at least one of the question's checks (public or hidden).
"""

WRONG = {
    "q1": [
        # the sentence itself (the diagonal)
        "most_similar_to_4 = 4\n",
        # the other sentence with "bank" in it
        "most_similar_to_4 = 6\n",
        # the river bank: shares the word, not the meaning
        "most_similar_to_4 = 12\n",
        # a 0-based index instead of the number on the axis
        "most_similar_to_4 = 4 - 1\n",
    ],
    "q2": [
        # the mean over every position, padding included
        """with torch.no_grad():
    top = minilm(enc.input_ids, enc.attention_mask).last_hidden.numpy()
means = top.mean(axis=1)
my_embeddings = means / np.linalg.norm(means, axis=1, keepdims=True)
""",
        # the [CLS] vector instead of the mean
        """with torch.no_grad():
    top = minilm(enc.input_ids, enc.attention_mask).last_hidden.numpy()
cls = top[:, 0]
my_embeddings = cls / np.linalg.norm(cls, axis=1, keepdims=True)
""",
        # not normalised
        """with torch.no_grad():
    top = minilm(enc.input_ids, enc.attention_mask).last_hidden.numpy()
m = enc.attention_mask[..., None]
my_embeddings = (top * m).sum(axis=1) / m.sum(axis=1)
""",
        # the model run without the attention mask (padding attended to)
        """with torch.no_grad():
    top = minilm(enc.input_ids).last_hidden.numpy()
m = enc.attention_mask[..., None]
means = (top * m).sum(axis=1) / m.sum(axis=1)
my_embeddings = means / np.linalg.norm(means, axis=1, keepdims=True)
""",
    ],
    "q3": [
        # every chosen token masked
        """def corrupt(ids, chosen, u, random_ids, mask_id):
    out = np.array(ids, copy=True)
    out[chosen] = mask_id
    return out
""",
        # the random branch on the wrong interval (u >= 0.9)
        """def corrupt(ids, chosen, u, random_ids, mask_id):
    out = np.array(ids, copy=True)
    out[chosen & (u < 0.8)] = mask_id
    swap = chosen & (u >= 0.9)
    out[swap] = random_ids[swap]
    return out
""",
        # forgot to restrict to the chosen positions
        """def corrupt(ids, chosen, u, random_ids, mask_id):
    out = np.array(ids, copy=True)
    out[u < 0.8] = mask_id
    swap = (u >= 0.8) & (u < 0.9)
    out[swap] = random_ids[swap]
    return out
""",
        # changes the input in place
        """def corrupt(ids, chosen, u, random_ids, mask_id):
    out = ids
    out[chosen & (u < 0.8)] = mask_id
    swap = chosen & (u >= 0.8) & (u < 0.9)
    out[swap] = random_ids[swap]
    return out
""",
    ],
}
