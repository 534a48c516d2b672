"""Figures for one neuron: activation curves with their derivatives, and a neuron's output over the plane.

Pure builders: the curves, grids and line segments are computed in dlcore.activations and
dlcore.experiments.perceptron and passed in; every title and label is a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dlcore.activations import Curve
from dlcore.figures.theme import CLASS_COLORS, NEGATIVE, POSITIVE, themed

SATURATED_FILL = "rgba(120, 120, 120, 0.16)"
LINE_COLOR = "#222222"


def activation_curves(curves: Sequence[Curve], titles: Sequence[str], value_label: str = "f(x)",
                      derivative_label: str = "f'(x)", saturated_label: str = "saturated", title: str = "",
                      height: int = 340) -> go.Figure:
    """Side-by-side panels, one per curve: f solid, f' dashed, the saturated ranges (|f'| small) shaded."""
    n = max(1, len(curves))
    fig = make_subplots(rows=1, cols=n, subplot_titles=list(titles)[:n], horizontal_spacing=0.08)
    for col, c in enumerate(curves, start=1):
        first = col == 1
        fig.add_trace(go.Scatter(x=c.x, y=c.y, mode="lines", name=value_label, legendgroup="f", showlegend=first,
                                 line={"color": NEGATIVE, "width": 3}), row=1, col=col)
        fig.add_trace(go.Scatter(x=c.x, y=c.dy, mode="lines", name=derivative_label, legendgroup="df",
                                 showlegend=first, line={"color": POSITIVE, "width": 2.5, "dash": "dash"}),
                      row=1, col=col)
        for lo, hi in c.saturated:
            fig.add_vrect(x0=lo, x1=hi, fillcolor=SATURATED_FILL, line_width=0, layer="below", row=1, col=col)
        if c.saturated:  # a legend entry for the shading (vrects have none)
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=saturated_label, legendgroup="sat",
                                     showlegend=first or not curves[0].saturated,
                                     marker={"symbol": "square", "size": 12, "color": SATURATED_FILL}),
                          row=1, col=col)
        fig.add_hline(y=0, line={"color": "#999999", "width": 1}, row=1, col=col)
        fig.update_xaxes(title_text="x", range=[float(c.x[0]), float(c.x[-1])], row=1, col=col)
    fig = themed(fig, title, height)
    fig.update_layout(margin={"t": 60, "b": 80}, legend={"y": -0.22, "yanchor": "top", "x": 0.5, "xanchor": "center"})
    return fig


def _segment_trace(segment: np.ndarray, name: str, dash: str, width: float, color: str) -> go.Scatter:
    return go.Scatter(x=segment[:, 0], y=segment[:, 1], mode="lines", name=name, hoverinfo="skip",
                      line={"color": color, "width": width, "dash": dash})


def neuron_map(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, mid: float = 0.5,
               z_range: tuple[float, float] | None = None,
               points: Sequence[tuple[str, np.ndarray, np.ndarray]] = (), line: np.ndarray | None = None,
               previous_line: np.ndarray | None = None, highlight: np.ndarray | None = None,
               weights: tuple[float, float] | None = None, title: str = "", output_label: str = "y",
               line_label: str = "decision line", previous_label: str = "line before", highlight_label: str = "",
               x_label: str = "x1", y_label: str = "x2", height: int = 440) -> go.Figure:
    """A neuron's output z[i, j] at (xs[j], ys[i]) as a heatmap (blue low, white at `mid`, orange high).

    On top: labelled points (name, xy (N, 2), labels (N,)); the first set filled, later sets hollow; the
    decision line (solid), the line before the last update (dashed), a ring round `highlight` (x1, x2),
    and an arrow along the weights (w1, w2), which point to the side the neuron calls class 1.
    """
    lo, hi = z_range if z_range is not None else (float(np.nanmin(z)), float(np.nanmax(z)))
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    pos = float(np.clip((mid - lo) / (hi - lo), 0.0, 1.0))
    if pos <= 0.0:  # every output is above the midpoint (e.g. ReLU): white to orange
        scale = [[0.0, "#ffffff"], [1.0, POSITIVE]]
    elif pos >= 1.0:
        scale = [[0.0, NEGATIVE], [1.0, "#ffffff"]]
    else:
        scale = [[0.0, NEGATIVE], [pos, "#ffffff"], [1.0, POSITIVE]]
    fig = go.Figure(go.Heatmap(
        x=xs, y=ys, z=z, zmin=lo, zmax=hi, colorscale=scale, opacity=0.8,
        colorbar={"title": {"text": output_label, "side": "right"}, "thickness": 12, "len": 0.8},
        hovertemplate="x1 %{x:.2f}<br>x2 %{y:.2f}<br>" + output_label + " %{z:.3f}<extra></extra>"))
    for i, (name, xy, labels) in enumerate(points):
        colors = [CLASS_COLORS[int(k)] for k in labels]
        hollow = i > 0
        fig.add_trace(go.Scatter(
            x=xy[:, 0], y=xy[:, 1], mode="markers", name=name,
            marker={"size": 11 if len(xy) <= 40 else 7, "color": "rgba(0,0,0,0)" if hollow else colors,
                    "line": {"width": 2, "color": colors if hollow else "#222222"}}))
    if previous_line is not None:
        fig.add_trace(_segment_trace(previous_line, previous_label, "dash", 2, "#666666"))
    if line is not None:
        fig.add_trace(_segment_trace(line, line_label, "solid", 3, LINE_COLOR))
        if weights is not None and np.hypot(*weights) > 1e-12:
            centre = line.mean(0)
            direction = np.asarray(weights) / np.hypot(*weights) * (xs[-1] - xs[0]) * 0.12
            fig.add_annotation(x=centre[0] + direction[0], y=centre[1] + direction[1], ax=centre[0], ay=centre[1],
                               xref="x", yref="y", axref="x", ayref="y", text="", showarrow=True, arrowhead=2,
                               arrowwidth=2, arrowcolor=LINE_COLOR)
    if highlight is not None:
        fig.add_trace(go.Scatter(x=[highlight[0]], y=[highlight[1]], mode="markers", name=highlight_label or "●",
                                 marker={"size": 26, "symbol": "circle-open", "color": "#d62728",
                                         "line": {"width": 3, "color": "#d62728"}}))
    fig.update_xaxes(title_text=x_label, range=[xs[0], xs[-1]], constrain="domain")
    fig.update_yaxes(title_text=y_label, range=[ys[0], ys[-1]], scaleanchor="x")
    fig = themed(fig, title, height)
    fig.update_layout(legend={"y": -0.18, "yanchor": "top", "x": 0.0, "xanchor": "left"},
                      margin={"b": 60})
    return fig
