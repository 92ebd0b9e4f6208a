"""Plausible wrong answers to the exercises of book/08_attention.md.

``WRONG[question]`` lists code that replaces the question's solution cell. Each must fail
at least one of the question's checks (public or hidden).
"""

WRONG = {
    "q1": [
        # the width instead of the number of (sin, cos) pairs
        "self_dot = 64.0\nsame_for_all_p = True\n",
        # a unit vector's dot product
        "self_dot = 1.0\nsame_for_all_p = True\n",
        # thought the diagonal changes with the position
        "self_dot = 32.0\nsame_for_all_p = False\n",
        # a string read off the hover label
        "self_dot = '32'\nsame_for_all_p = True\n",
    ],
    "q2": [
        # bits instead of nats
        """plogp = np.where(maps > 0, maps * np.log2(np.where(maps > 0, maps, 1.0)), 0.0)
head_entropy = -plogp.sum(axis=-1).mean(axis=-1)
l, h = np.unravel_index(np.argmin(head_entropy), head_entropy.shape)
most_focused = (int(l) + 1, int(h) + 1)
""",
        # 0 * log 0 left as NaN
        """head_entropy = -(maps * np.log(maps)).sum(axis=-1).mean(axis=-1)
l, h = np.unravel_index(np.nanargmin(head_entropy), head_entropy.shape)
most_focused = (int(l) + 1, int(h) + 1)
""",
        # indices counted from 0
        """plogp = np.where(maps > 0, maps * np.log(np.where(maps > 0, maps, 1.0)), 0.0)
head_entropy = -plogp.sum(axis=-1).mean(axis=-1)
l, h = np.unravel_index(np.argmin(head_entropy), head_entropy.shape)
most_focused = (int(l), int(h))
""",
        # the least focused head (argmax)
        """plogp = np.where(maps > 0, maps * np.log(np.where(maps > 0, maps, 1.0)), 0.0)
head_entropy = -plogp.sum(axis=-1).mean(axis=-1)
l, h = np.unravel_index(np.argmax(head_entropy), head_entropy.shape)
most_focused = (int(l) + 1, int(h) + 1)
""",
        # averaged over keys instead of summed (not an entropy)
        """plogp = np.where(maps > 0, maps * np.log(np.where(maps > 0, maps, 1.0)), 0.0)
head_entropy = -plogp.mean(axis=-1).mean(axis=-1)
l, h = np.unravel_index(np.argmin(head_entropy), head_entropy.shape)
most_focused = (int(l) + 1, int(h) + 1)
""",
    ],
    "q3": [
        # off by one: sees window + 1 positions
        """def attend_window(q, k, v, window):
    T = q.shape[-2]
    t = torch.arange(T)
    allowed = (t[None, :] <= t[:, None]) & (t[None, :] >= t[:, None] - window)
    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
    scores = scores.masked_fill(~allowed, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v
""",
        # a band in both directions: forgot the causal part
        """def attend_window(q, k, v, window):
    T = q.shape[-2]
    t = torch.arange(T)
    allowed = (t[None, :] - t[:, None]).abs() < window
    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
    scores = scores.masked_fill(~allowed, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v
""",
        # masked the weights after the softmax without renormalising
        """def attend_window(q, k, v, window):
    T = q.shape[-2]
    t = torch.arange(T)
    allowed = (t[None, :] <= t[:, None]) & (t[None, :] > t[:, None] - window)
    w = torch.softmax(q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5, dim=-1)
    return (w * allowed) @ v
""",
        # no 1/sqrt(d) scaling
        """def attend_window(q, k, v, window):
    T = q.shape[-2]
    t = torch.arange(T)
    allowed = (t[None, :] <= t[:, None]) & (t[None, :] > t[:, None] - window)
    scores = (q @ k.transpose(-2, -1)).masked_fill(~allowed, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v
""",
    ],
}
