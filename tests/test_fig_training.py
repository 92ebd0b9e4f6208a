import math

import numpy as np
import pytest

from lmlab.fig.training import loss_curve_figure


def test_loss_curves_in_bits_with_references():
    steps = np.arange(0, 200, 10)
    train = 3.0 * np.exp(-steps / 50) + 1.0
    fig = loss_curve_figure({"training loss": (steps, train), "held out <val>": ([0, 100, 190], [4.0, 2.0, 1.5])},
                            references={"counted bigram": 1.4}, token="character")
    assert [t.name for t in fig.data] == ["training loss", "held out &lt;val&gt;", "counted bigram"]
    np.testing.assert_allclose(fig.data[0].y, train / math.log(2))
    assert fig.data[1].mode == "lines+markers"
    assert list(fig.data[2].x) == [0, 190] and fig.data[2].y[0] == pytest.approx(1.4 / math.log(2))
    assert fig.data[2].line.dash == "dash"
    assert fig.layout.yaxis.title.text == "cross-entropy (bits per character)"
    assert fig.layout.legend.y < 0 and fig.layout.legend.yanchor == "top"   # below the plot, off the curves


def test_log_steps_drop_step_zero_and_nats():
    fig = loss_curve_figure({"loss": ([0, 1, 10, 100], [5, 4, 3, 2])}, unit="nats", log_steps=True)
    assert list(fig.data[0].x) == [1, 10, 100] and list(fig.data[0].y) == [4, 3, 2]
    assert fig.layout.xaxis.type == "log"


def test_bad_input():
    with pytest.raises(TypeError, match="curves must be a non-empty dict"):
        loss_curve_figure({})
    with pytest.raises(ValueError, match=r"curves\['a'\]: steps and losses must be 1-D of the same length"):
        loss_curve_figure({"a": ([1, 2], [1.0])})
    with pytest.raises(ValueError, match="steps must be finite and increasing"):
        loss_curve_figure({"a": ([2, 1], [1.0, 2.0])})
    with pytest.raises(TypeError, match=r"curves\['a'\] must be a pair"):
        loss_curve_figure({"a": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="unit must be one of"):
        loss_curve_figure({"a": ([1], [1.0])}, unit="bytes")
    with pytest.raises(ValueError, match=r"references\['r'\] must be a finite loss"):
        loss_curve_figure({"a": ([1], [1.0])}, references={"r": float("nan")})
    with pytest.raises(ValueError, match="no step > 0"):
        loss_curve_figure({"a": ([0], [1.0])}, log_steps=True)
