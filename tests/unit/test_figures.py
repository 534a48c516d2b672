"""Figure builders: plain data in, the expected traces out."""

import numpy as np
import plotly.graph_objects as go

from dlcore import figures
from dlcore.figures import svg


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


def test_nested_sets_svg_has_one_disc_per_ring_with_hover_text():
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg.nested_sets(["AI", "ML", "DL"], ["all <smart> things", "b", "c"], selected=1))
    ns = {"s": "http://www.w3.org/2000/svg"}
    circles = root.findall(".//s:circle", ns)
    assert [float(c.get("r")) for c in circles] == [100, 70, 40]  # nested, outermost first
    assert [t.text for t in root.findall(".//s:title", ns)] == ["all <smart> things", "b", "c"]  # escaped, intact
    widths = [float(c.get("stroke-width")) for c in circles]
    assert widths[1] > widths[0] and widths[1] > widths[2]  # the selected ring is outlined
    bottoms = {float(c.get("cy")) + float(c.get("r")) for c in circles}
    assert bottoms == {100.0}  # every disc rests on the same point, so each lies inside the last


def test_xy_chart_maps_points_into_the_plot_and_skips_non_finite_values():
    import xml.etree.ElementTree as ET

    x = np.array([0.0, 1.0, 2.0, 3.0])
    chart = svg.xy_chart([svg.Series("dots", x, np.array([0.0, 1.0, np.nan, 3.0]), points=True),
                          svg.Series("line", x, np.array([1.0, np.inf, 2.0, 3.0]))], title="T", x_label="x")
    root = ET.fromstring(chart)
    ns = {"s": "http://www.w3.org/2000/svg"}
    dots = [c for g in root.findall("s:g", ns) for c in g.findall("s:circle", ns)]
    assert len(dots) == 3  # the NaN is left out
    xs = [float(c.get("cx")) for c in dots]
    assert xs == sorted(xs) and 56 <= xs[0] and xs[-1] <= 560 - 14  # inside the plot area, in order
    path = root.find("s:path", ns).get("d")
    assert path.count("M") == 2 and path.count("L") == 1  # the infinite value lifts the pen
    assert {"dots", "line", "T", "x"} <= {t.text for t in root.iter() if t.text}


def test_xy_chart_log_axis_labels_decades_and_drops_non_positive_values():
    steps = np.arange(1, 1001)
    chart = svg.xy_chart([svg.Series("loss", steps, 10.0 / steps)], log_y=True)
    assert ">10<" in chart and ">1<" in chart and ">0.1<" in chart  # decade ticks
    assert "nan" not in chart.lower()
    svg.xy_chart([svg.Series("loss", steps, np.zeros(1000))], log_y=True)  # nothing positive: still a chart


def test_nice_ticks_are_round_and_cover_the_range():
    assert svg.nice_ticks(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert svg.nice_ticks(-3.2, 3.2) == [-2, 0, 2] and svg.nice_ticks(-3.2, 3.2, count=8) == [-3, -2, -1, 0, 1, 2, 3]
    assert svg.nice_ticks(5, 5)  # an empty range still gets ticks
