"""Figure builders: plain data in, the expected traces out."""

import numpy as np
import plotly.graph_objects as go

from dlcore import figures


def test_curves_decimate_and_colour_train_and_test():
    steps = np.arange(10_000)
    fig = figures.curves({"train loss": (steps, np.exp(-steps / 3000)), "test loss": (steps[::10], steps[::10] * 0.0)},
                         title="Loss")
    assert [t.name for t in fig.data] == ["train loss", "test loss"]
    assert len(fig.data[0].x) <= figures.charts.MAX_POINTS and fig.data[0].x[-1] == 9999
    assert fig.data[0].line.color == figures.NEGATIVE and fig.data[1].line.color == figures.POSITIVE
    assert fig.layout.title.text == "Loss"


def test_decimate_keeps_short_series():
    x, y = figures.decimate(np.arange(5), np.arange(5))
    assert list(x) == [0, 1, 2, 3, 4]


def test_boundary_has_heatmap_and_point_layers():
    xs = np.linspace(-6, 6, 100)
    prob = np.random.default_rng(0).random((100, 100))
    pts = np.zeros((3, 2))
    fig = figures.boundary(xs, xs, prob, [("train", pts, np.array([0, 1, 1])), ("test", pts, np.array([1, 0, 0]))])
    assert isinstance(fig.data[0], go.Heatmap) and np.asarray(fig.data[0].z).shape == (100, 100)
    assert [t.name for t in fig.data[1:]] == ["train", "test"]
    assert fig.data[1].marker.color[1] == figures.POSITIVE  # class 1 is orange


def test_confusion_shows_counts():
    counts = np.array([[5, 1], [0, 7]])
    fig = figures.confusion(counts, ["a", "b"])
    assert np.array_equal(np.asarray(fig.data[0].z), counts) and list(fig.data[0].x) == ["a", "b"]


def test_image_grid_places_every_image():
    imgs = np.ones((10, 4, 4))
    fig = figures.image_grid(imgs, [str(i) for i in range(10)], cols=4)
    z = np.asarray(fig.data[0].z, dtype=float)
    assert z.shape == (3 * (4 + 2), 4 * 5)  # each row leaves room for its captions
    assert np.nansum(z) == 10 * 16 and len(fig.layout.annotations) == 10


def test_nested_sets_has_one_disc_per_ring_with_hover_text():
    fig = figures.nested_sets(["AI", "ML", "DL"], ["a", "b", "c"], selected=1)
    assert [t.name for t in fig.data] == ["AI", "ML", "DL"] and fig.data[2].text == "c"
    assert fig.data[1].line.width > fig.data[0].line.width
