"""lmlab.fmt: numbers for reading, never in exponent notation."""
import numpy as np
import pytest

from lmlab import fmt


@pytest.mark.parametrize("value, text", [
    (1.52e15, "1.5 × 10¹⁵"), (1.1e-6, "1.1 × 10⁻⁶"), (-2.0e-9, "−2.0 × 10⁻⁹"), (3.0, "3.0"),
    (0, "0"), (float("inf"), "∞"), (float("nan"), "NaN")])
def test_sci(value, text):
    assert fmt.sci(value) == text


@pytest.mark.parametrize("value, text", [
    (3.14159, "3.14"), (0.000123, "1.23 × 10⁻⁴"), (123456.7, "123,457"), (999999.7, "1.00 × 10⁶"),
    (-0.5, "−0.500"), (np.float32(0.25), "0.250"), (np.int64(12), "12.0")])
def test_num(value, text):
    assert fmt.num(value) == text


def test_count_prob_pct_fixed():
    assert fmt.count(1234567) == "1,234,567" and fmt.count(np.int64(5)) == "5"
    assert fmt.count(12.0) == "12"
    assert fmt.prob(0.0341) == "0.034" and fmt.prob(1.1e-6) == "1.1 × 10⁻⁶" and fmt.prob(0) == "0"
    assert fmt.pct(0.1234) == "12.3%" and fmt.pct(0.0001) == "< 0.1%" and fmt.pct(1) == "100.0%"
    assert fmt.fixed(-2, 2) == "−2.00" and fmt.fixed(1234.5678, 1) == "1,234.6"


@pytest.mark.parametrize("value, spec, text", [
    (1234, ",", "1,234"), (1234, ",d", "1,234"), (0.1234, ".1%", "12.3%"), (0.5, ".0%", "50%"),
    (1.1e-6, ".1e", "1.1 × 10⁻⁶"), (3.14159, ".2f", "3.14"), (1.2e-5, "", "1.20 × 10⁻⁵"),
    (42, "", "42"), (12345678.9, ",.0f", "12,345,679")])
def test_spec(value, spec, text):
    assert fmt.spec(value, spec) == text


def test_no_exponent_notation_anywhere():
    for x in np.geomspace(1e-12, 1e18, 61):
        for text in (fmt.num(x), fmt.sci(x), fmt.spec(x, ""), fmt.spec(x, ".2e")):
            assert "e" not in text.lower() or text == "NaN", text


def test_bad_input_names_the_argument():
    with pytest.raises(TypeError, match="x must be a real number"):
        fmt.num("3")
    with pytest.raises(ValueError, match="digits must be an integer >= 1"):
        fmt.sci(1.0, 0)
    with pytest.raises(ValueError, match="p must be a probability"):
        fmt.prob(1.5)
    with pytest.raises(ValueError, match="n must be a whole number"):
        fmt.count(2.5)
    with pytest.raises(TypeError, match="x must be a real number"):
        fmt.pct(True)
