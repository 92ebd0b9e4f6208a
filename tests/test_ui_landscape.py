"""The live landscape widget of chapter 5: controls recompute the path through lmlab.landscape."""
import numpy as np
import pytest

from lmlab import landscape
from lmlab.ui.landscape import landscape_explorer


@pytest.fixture(scope="module")
def box():
    return landscape_explorer(surface="valley", optimizer="sgd", lr=0.02, start=(-1.0, 3.5), steps=50)


def test_shape_of_the_widget(box):
    assert set(box.controls) == {"surface", "optimizer", "lr", "steps", "w0", "b0"}
    assert box.figure is not None and box.output is not None
    assert len(box.state["path"].points) == 51


def test_changing_controls_recomputes_the_same_path_as_the_package(box):
    box.controls["optimizer"].value = "adam"
    box.controls["lr"].value = 0.1
    ref = landscape.descend(landscape.get_surface("valley"), (-1.0, 3.5), "adam", 0.1, 50)
    assert np.allclose(box.figure.data[1].x, ref.points[:, 0])
    assert np.allclose(box.state["path"].points, ref.points)
    box.controls["w0"].value = 1.0
    assert box.figure.data[2].x == (1.0,)


def test_divergence_is_reported(box):
    box.controls["optimizer"].value = "sgd"
    box.controls["lr"].value = 0.5
    assert box.state["path"].diverged and "Diverged" in box.output.value


def test_switching_surface_moves_the_window(box):
    box.controls["surface"].value = "waves"
    w = landscape.get_surface("waves")
    assert tuple(box.figure.layout.xaxis.range) == pytest.approx(w.w_range)
    assert w.w_range[0] <= box.controls["w0"].value <= w.w_range[1]
    assert box.state["surface"].name == "waves"


def test_bad_arguments():
    with pytest.raises(ValueError, match="surface"):
        landscape_explorer(surface="bowl")
    with pytest.raises(ValueError, match="optimizer"):
        landscape_explorer(optimizer="rmsprop")
    with pytest.raises(ValueError, match="lr"):
        landscape_explorer(lr=-1.0)
