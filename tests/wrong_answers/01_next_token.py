"""Plausible wrong answers to the exercises of book/01_next_token.md.

``WRONG[question]`` lists code that replaces the question's solution cell. Each must fail
at least one of the question's checks (public or hidden): a check that lets one of these
through cannot tell a right answer from a wrong one.
"""

WRONG = {
    "q1": [
        # forgot to count the start in generated words (it includes the prompt)
        """model2 = ngram.fit(V, train_words, order=2)
prompt_ids = list(V.encode("o romeo"))
start2, period2 = greedy_cycle(prompt_ids + generate_ids(model2, "o romeo", 200, greedy=True), 1)
start4, period4 = greedy_cycle(prompt_ids + generate_ids(model, "o romeo", 200, greedy=True), 3)
""",
        # took three words as the state of the 2-gram model too
        """model2 = ngram.fit(V, train_words, order=2)
prompt_ids = list(V.encode("o romeo"))
first2, period2 = greedy_cycle(prompt_ids + generate_ids(model2, "o romeo", 200, greedy=True), 3)
first4, period4 = greedy_cycle(prompt_ids + generate_ids(model, "o romeo", 200, greedy=True), 3)
start2, start4 = first2 - len(prompt_ids), first4 - len(prompt_ids)
""",
        # copied the chapter's numbers for "to be or not to"
        """start2, period2 = 2, 2
start4, period4 = start, period
""",
        # floats from a division instead of whole numbers of words
        """model2 = ngram.fit(V, train_words, order=2)
prompt_ids = list(V.encode("o romeo"))
first2, period2 = greedy_cycle(prompt_ids + generate_ids(model2, "o romeo", 200, greedy=True), 1)
first4, period4 = greedy_cycle(prompt_ids + generate_ids(model, "o romeo", 200, greedy=True), 3)
start2, start4 = first2 - len(prompt_ids) / 1, first4 - len(prompt_ids) / 1
""",
    ],
    "q2": [
        # subtracts the largest score before dividing by T: overflows for T < 1
        """def softmax_T(z, T):
    z = np.asarray(z, dtype=float)
    w = np.exp(z / T - z.max())
    return w / w.sum()
""",
        # forgot the temperature
        """def softmax_T(z, T):
    z = np.asarray(z, dtype=float)
    w = np.exp(z - z.max())
    return w / w.sum()
""",
        # divided the weights by T instead of the scores
        """def softmax_T(z, T):
    z = np.asarray(z, dtype=float)
    w = np.exp(z - z.max()) / T
    return w / w.sum()
""",
        # forgot to normalise
        """def softmax_T(z, T):
    s = np.asarray(z, dtype=float) / T
    return np.exp(s - s.max())
""",
        # the naive formula
        """def softmax_T(z, T):
    w = np.exp(np.asarray(z, dtype=float) / T)
    return w / w.sum()
""",
    ],
    "q3": [
        # range(r_min, r_max) leaves out r_max
        """def fit_every_rank(rf, r_min, r_max):
    r = np.arange(r_min, r_max)
    slope, _ = np.polyfit(np.log(r), np.log(rf.freqs[r - 1]), 1)
    return float(-slope)

s_every = fit_every_rank(rf, 1, len(rf.counts))
s_spaced = zipf.fit_zipf(rf, 1, len(rf.counts)).exponent
""",
        # frequencies shifted by one rank
        """def fit_every_rank(rf, r_min, r_max):
    r = np.arange(r_min, r_max + 1)
    slope, _ = np.polyfit(np.log(r), np.log(rf.freqs[r]), 1)
    return float(-slope)

s_every = fit_every_rank(rf, 1, len(rf.counts) - 1)
s_spaced = zipf.fit_zipf(rf, 1, len(rf.counts)).exponent
""",
        # returned the slope, not the exponent
        """def fit_every_rank(rf, r_min, r_max):
    r = np.arange(r_min, r_max + 1)
    slope, _ = np.polyfit(np.log(r), np.log(rf.freqs[r - 1]), 1)
    return float(slope)

s_every = fit_every_rank(rf, 1, len(rf.counts))
s_spaced = zipf.fit_zipf(rf, 1, len(rf.counts)).exponent
""",
        # axes swapped: log rank fitted against log frequency
        """def fit_every_rank(rf, r_min, r_max):
    r = np.arange(r_min, r_max + 1)
    slope, _ = np.polyfit(np.log(rf.freqs[r - 1]), np.log(r), 1)
    return float(-slope)

s_every = fit_every_rank(rf, 1, len(rf.counts))
s_spaced = zipf.fit_zipf(rf, 1, len(rf.counts)).exponent
""",
        # the package's log-spaced fit instead of every rank
        """def fit_every_rank(rf, r_min, r_max):
    return zipf.fit_zipf(rf, r_min, r_max).exponent

s_every = fit_every_rank(rf, 1, len(rf.counts))
s_spaced = zipf.fit_zipf(rf, 1, len(rf.counts)).exponent
""",
    ],
    "q4": [
        # the heat capacity Var(E)/T^2 instead of dH/dT
        """def entropy_T(z, T):
    return float(sampling.entropy(sampling.softmax(z, T)))

T0, h = 0.8, 1e-4
dH_fd = (entropy_T(z, T0 + h) - entropy_T(z, T0 - h)) / (2 * h)
p_T, E = sampling.softmax(z, T0), -z
dH_var = float(p_T @ E**2 - (p_T @ E) ** 2) / T0**2
""",
        # variance under the model's own distribution (T = 1), not p(T)
        """def entropy_T(z, T):
    return float(sampling.entropy(sampling.softmax(z, T)))

T0, h = 0.8, 1e-4
dH_fd = (entropy_T(z, T0 + h) - entropy_T(z, T0 - h)) / (2 * h)
p_1, E = sampling.softmax(z, 1.0), -z
dH_var = float(p_1 @ E**2 - (p_1 @ E) ** 2) / T0**3
""",
        # a one-sided difference with a step that is too large
        """def entropy_T(z, T):
    return float(sampling.entropy(sampling.softmax(z, T)))

T0, h = 0.8, 1e-2
dH_fd = (entropy_T(z, T0 + h) - entropy_T(z, T0)) / h
p_T, E = sampling.softmax(z, T0), -z
dH_var = float(p_T @ E**2 - (p_T @ E) ** 2) / T0**3
""",
        # entropy in bits, not nats
        """def entropy_T(z, T):
    p = sampling.softmax(z, T)
    return float(-(p * np.log2(p)).sum())

T0, h = 0.8, 1e-4
dH_fd = (entropy_T(z, T0 + h) - entropy_T(z, T0 - h)) / (2 * h)
p_T, E = sampling.softmax(z, T0), -z
dH_var = float(p_T @ E**2 - (p_T @ E) ** 2) / T0**3 / np.log(2)
""",
        # the mean square energy, not its variance
        """def entropy_T(z, T):
    return float(sampling.entropy(sampling.softmax(z, T)))

T0, h = 0.8, 1e-4
dH_fd = (entropy_T(z, T0 + h) - entropy_T(z, T0 - h)) / (2 * h)
p_T, E = sampling.softmax(z, T0), -z
dH_var = float(p_T @ E**2) / T0**3
""",
    ],
    "q5": [
        # one word too few: the word that crosses p is left out
        """def top_p_filter(z, p):
    z = np.asarray(z, dtype=float)
    probs = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    order = np.argsort(-probs)
    m = int(np.searchsorted(np.cumsum(probs[order]), p))
    out = np.full_like(z, -np.inf)
    out[order[:m]] = z[order[:m]]
    return out
""",
        # cumulative sum in vocabulary order, not sorted by probability
        """def top_p_filter(z, p):
    z = np.asarray(z, dtype=float)
    probs = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    keep = np.cumsum(probs) - probs < p
    return np.where(keep, z, -np.inf)
""",
        # keeps every word at least as likely as p
        """def top_p_filter(z, p):
    z = np.asarray(z, dtype=float)
    probs = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    return np.where(probs >= 1 - p, z, -np.inf)
""",
    ],
}
