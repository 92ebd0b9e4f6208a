"""Plausible wrong answers to the exercises of chapter 4; each must fail a check."""
WRONG = {
    "q1": [
        # the best width instead of the narrowest one reaching 99%
        "narrowest_99 = widths[int(np.argmax(table[0]))]",
        # the narrowest width that reaches 97% instead of 99%
        "narrowest_99 = next(w for w, a in zip(widths, table[0]) if a >= 0.97)",
    ],
    "q2": [
        # counts instead of shares
        "row_map = attractors.basin_map(attractors.PRESETS['four in a row'], grid)\n"
        "areas = np.bincount(row_map.ravel(), minlength=4)",
        # the basins of the wrong attractor set
        "row_map = attractors.basin_map(attractors.PRESETS['five'], grid)\n"
        "areas = np.bincount(row_map.ravel(), minlength=5)[:4] / row_map.size",
    ],
    "q3": [
        # the hidden layer without its ReLU
        "W1, b1 = (t.detach().numpy().astype(np.float64) for t in (tiny.model.layers[0].weight, tiny.model.layers[0].bias))\n"
        "W2, b2 = (t.detach().numpy().astype(np.float64) for t in (tiny.model.layers[1].weight, tiny.model.layers[1].bias))\n"
        "def my_logits(points):\n"
        "    return (points @ W1.T + b1) @ W2.T + b2\n"
        "my_map = my_logits(grid.points).argmax(axis=1).reshape(grid.shape)",
        # the biases forgotten
        "W1 = tiny.model.layers[0].weight.detach().numpy().astype(np.float64)\n"
        "W2 = tiny.model.layers[1].weight.detach().numpy().astype(np.float64)\n"
        "def my_logits(points):\n"
        "    return np.maximum(0.0, points @ W1.T) @ W2.T\n"
        "my_map = my_logits(grid.points).argmax(axis=1).reshape(grid.shape)",
    ],
}
