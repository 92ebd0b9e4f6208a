import math

import numpy as np
import pytest

from lmlab import checks
from lmlab.vocab import Vocab


def test_values_that_pass_come_back_normalised():
    assert checks.check_int(np.int32(3), "n", min=1) == 3 and type(checks.check_int(np.int64(3), "n")) is int
    assert checks.check_float(2, "lr", min=0) == 2.0
    assert checks.check_float(0.0, "k", min=0) == 0.0
    assert checks.check_positive(1e-9, "t") == 1e-9
    assert checks.check_probability(1, "p") == 1.0
    a = checks.check_array([[1, 2], [3, 4]], "x", ndim=2, shape=(None, 2))
    assert a.dtype == np.float64 and a.shape == (2, 2)
    assert checks.check_choice("b", "kind", ("a", "b")) == "b"
    v = Vocab(["a"])
    assert checks.check_instance(v, "vocab", Vocab) is v
    assert checks.check_str("", "prompt") == ""


@pytest.mark.parametrize("call, exc, message", [
    (lambda: checks.check_int(True, "order", min=1), TypeError, r"order must be an integer >= 1, got bool"),
    (lambda: checks.check_int(2.0, "order", min=1), TypeError, r"order must be an integer >= 1, got float"),
    (lambda: checks.check_int(0, "order", min=1), ValueError, r"order must be an integer >= 1, got 0"),
    (lambda: checks.check_int(9, "n", min=1, max=8), ValueError, r"n must be an integer >= 1 and <= 8, got 9"),
    (lambda: checks.check_float("hot", "temperature"), TypeError, r"temperature must be a finite number, got str"),
    (lambda: checks.check_float(math.nan, "lr", min=0), ValueError, r"lr must be a finite number >= 0, got nan"),
    (lambda: checks.check_float(math.inf, "lr"), ValueError, r"lr must be a finite number, got inf"),
    (lambda: checks.check_float(-1, "k", min=0), ValueError, r"k must be a finite number >= 0, got -1"),
    (lambda: checks.check_positive(0.0, "temperature"), ValueError, r"temperature must be a finite number > 0"),
    (lambda: checks.check_probability(1.5, "p"), ValueError, r"p must be a finite number >= 0 and <= 1"),
    (lambda: checks.check_array("abc", "x"), TypeError, r"x must be an array of numbers, got str"),
    (lambda: checks.check_array([[1, "a"]], "x"), TypeError, r"x must be an array of numbers"),
    (lambda: checks.check_array([1, 2], "x", ndim=2), ValueError, r"x must be a 2-dimensional array, got shape \(2,\)"),
    (lambda: checks.check_array(np.zeros((2, 3)), "x", shape=(None, 2)), ValueError, r"x must have shape \(any, 2\)"),
    (lambda: checks.check_array([], "x"), ValueError, r"x must hold at least 1 entries"),
    (lambda: checks.check_array([1.0, np.nan], "x"), ValueError, r"x must hold finite numbers only"),
    (lambda: checks.check_choice("c", "kind", ("a", "b")), ValueError, r"kind must be one of 'a', 'b'; got 'c'"),
    (lambda: checks.check_choice([1], "kind", ("a",)), ValueError, r"kind must be one of 'a'; got \[1\]"),
    (lambda: checks.check_instance("v", "vocab", Vocab), TypeError, r"vocab must be a lmlab.vocab.Vocab, got str"),
    (lambda: checks.check_str(3, "prompt"), TypeError, r"prompt must be a str, got int"),
    (lambda: checks.check_str("", "text", allow_empty=False), ValueError, r"text must not be empty"),
])
def test_bad_values_name_the_argument(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_check_xy_names_both_arguments_and_lengths():
    import numpy as np
    import pytest
    from lmlab.checks import check_xy
    x, y = check_xy([1, 2, 3], [4.0, 5.0, 6.0])
    assert x.dtype == np.float64 and y.tolist() == [4.0, 5.0, 6.0]
    with pytest.raises(ValueError, match=r"heights and times must have the same length, got 3 and 2"):
        check_xy([1, 2, 3], [4, 5], names=("heights", "times"))
    with pytest.raises(ValueError, match="x"):
        check_xy([], [])
