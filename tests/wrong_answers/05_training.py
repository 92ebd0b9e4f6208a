"""Plausible wrong answers to the exercises of book/05_training.md: each must be rejected
by the question's checks.  Each entry is code that replaces the solution cell."""

WRONG = {
    # the last learning rate that still converges, and the one after the first bad one
    "q1": ["lr_first_bad = 0.15", "lr_first_bad = 0.2", "lr_first_bad = 0.16"],
    "q2": [
        # forgetting the factor 2 of the stability limit
        "x2 = valley.x + 3\n"
        "H2 = 2 * np.array([[np.mean(x2 ** 2), np.mean(x2)], [np.mean(x2), 1.0]])\n"
        "lam2 = np.linalg.eigvalsh(H2)\n"
        "lr_critical2 = 1 / lam2[-1]\n"
        "kappa2 = lam2[-1] / lam2[0]",
        # using the smallest eigenvalue
        "x2 = valley.x + 3\n"
        "H2 = 2 * np.array([[np.mean(x2 ** 2), np.mean(x2)], [np.mean(x2), 1.0]])\n"
        "lam2 = np.linalg.eigvalsh(H2)\n"
        "lr_critical2 = 2 / lam2[0]\n"
        "kappa2 = lam2[-1] / lam2[0]",
        # the old surface's answer
        "lr_critical2 = landscape.critical_lr(valley)\n"
        "lam = np.linalg.eigvalsh(landscape.hessian(valley, valley.minimum))\n"
        "kappa2 = lam[-1] / lam[0]",
    ],
    "q3": [
        # the derivative of tanh left out
        "def my_grads(W1, b1, W2, b2, x, y):\n"
        "    h = np.tanh(x @ W1.T + b1)\n"
        "    out = h @ W2.T + b2\n"
        "    delta2 = 2 * (out - y) / out.size\n"
        "    delta1 = delta2 @ W2\n"
        "    return delta1.T @ x, delta1.sum(axis=0), delta2.T @ h, delta2.sum(axis=0)\n"
        "my_error = 0.0",
        # dividing by the number of points only (the mean is over every entry)
        "def my_grads(W1, b1, W2, b2, x, y):\n"
        "    h = np.tanh(x @ W1.T + b1)\n"
        "    out = h @ W2.T + b2\n"
        "    delta2 = 2 * (out - y) / len(x)\n"
        "    delta1 = (delta2 @ W2) * (1 - h ** 2)\n"
        "    return delta1.T @ x, delta1.sum(axis=0), delta2.T @ h, delta2.sum(axis=0)\n"
        "my_error = 0.0",
        # transposed weight gradients (wrong shapes)
        "def my_grads(W1, b1, W2, b2, x, y):\n"
        "    h = np.tanh(x @ W1.T + b1)\n"
        "    out = h @ W2.T + b2\n"
        "    delta2 = 2 * (out - y) / out.size\n"
        "    delta1 = (delta2 @ W2) * (1 - h ** 2)\n"
        "    return x.T @ delta1, delta1.sum(axis=0), h.T @ delta2, delta2.sum(axis=0)\n"
        "my_error = 0.0",
    ],
}
