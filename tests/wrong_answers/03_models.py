"""Plausible wrong answers to the exercises of chapter 3; each must fail a check."""
WRONG = {
    "q1": [
        # the degree with the smallest training error taken for both
        "best_test_degree = degrees[int(np.argmin(train_err))]\n"
        "best_train_degree = degrees[int(np.argmin(train_err))]",
        # the two swapped
        "best_test_degree = degrees[int(np.argmin(train_err))]\n"
        "best_train_degree = degrees[int(np.argmin(test_err))]",
    ],
    "q2": [
        # the error on the training drops instead of the test drops
        "quad = models.fit_basis(x_train, y_train, 'a + b x + c x²')\n"
        "quad_test_rms = models.rms_error(quad, x_train, y_train)",
        # fitted to the test drops
        "quad = models.fit_basis(x_test, y_test, 'a + b x + c x²')\n"
        "quad_test_rms = models.rms_error(quad, x_test, y_test)",
    ],
    "q3": [
        # g = 2 / b instead of 2 / b²
        "root_fit = models.fit_basis(h, t_noisy, [np.ones_like, np.sqrt])\n"
        "b_fit = root_fit.coef[1]\n"
        "g_fit = 2 / b_fit",
        # fitted to the perfect clock's times
        "root_fit = models.fit_basis(h, t_perfect, [np.ones_like, np.sqrt])\n"
        "b_fit = root_fit.coef[1]\n"
        "g_fit = 2 / b_fit ** 2",
    ],
}
