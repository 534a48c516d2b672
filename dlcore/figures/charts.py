"""The shared charts: training curves, decision boundaries, confusion matrices, image grids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from dlcore.figures.theme import CLASS_COLORS, CURVE_COLORS, DIVERGING, themed

MAX_POINTS = 2000  # more points than this cost redraw time and show nothing new


def decimate(x: np.ndarray, y: np.ndarray, max_points: int = MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Keep at most `max_points` evenly spaced points, always including the last."""
    x, y = np.asarray(x), np.asarray(y)
    if len(x) <= max_points:
        return x, y
    idx = np.unique(np.append(np.linspace(0, len(x) - 1, max_points - 1).astype(int), len(x) - 1))
    return x[idx], y[idx]


def curves(series: Mapping[str, tuple[np.ndarray, np.ndarray]], title: str = "", x_label: str = "step",
           y_label: str = "", log_y: bool = False, height: int = 300) -> go.Figure:
    """Line chart of named (x, y) series; names containing 'train'/'test' get the shared colours."""
    fig = go.Figure()
    for name, (x, y) in series.items():
        x, y = decimate(x, y)
        color = next((c for key, c in CURVE_COLORS.items() if key in name.lower()), None)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name, line={"color": color, "width": 2}))
    fig.update_xaxes(title_text=x_label)
    fig.update_yaxes(title_text=y_label, type="log" if log_y else "linear")
    return themed(fig, title, height)


def boundary(xs: np.ndarray, ys: np.ndarray, prob: np.ndarray, points: Sequence[tuple[str, np.ndarray, np.ndarray]] = (),
             title: str = "", height: int = 420, x_label: str = "x1", y_label: str = "x2") -> go.Figure:
    """Decision-boundary heatmap of P(class 1) on a grid (prob is (len(ys), len(xs))) with labelled points.

    `points` holds (name, xy (N, 2), labels (N,)) triples, e.g. train points filled, test points hollow.
    """
    fig = go.Figure(go.Heatmap(x=xs, y=ys, z=prob, zmin=0, zmax=1, colorscale=DIVERGING, opacity=0.75,
                               showscale=False, hovertemplate="x1 %{x:.2f}<br>x2 %{y:.2f}<br>P(1) %{z:.2f}<extra></extra>"))
    for i, (name, xy, labels) in enumerate(points):
        hollow = i > 0
        fig.add_trace(go.Scatter(  # SVG: live pages remount charts often, and WebGL contexts run out
            x=xy[:, 0], y=xy[:, 1], mode="markers", name=name,
            marker={"size": 7, "color": "rgba(0,0,0,0)" if hollow else [CLASS_COLORS[int(k)] for k in labels],
                    "line": {"width": 1.5, "color": [CLASS_COLORS[int(k)] for k in labels] if hollow else "white"}}))
    fig.update_xaxes(title_text=x_label, range=[xs[0], xs[-1]], constrain="domain")
    fig.update_yaxes(title_text=y_label, range=[ys[0], ys[-1]], scaleanchor="x")
    return themed(fig, title, height)


def confusion(counts: np.ndarray, classes: Sequence[str], title: str = "", true_label: str = "true",
              pred_label: str = "predicted", height: int = 420) -> go.Figure:
    """Confusion matrix: counts[i, j] = examples of class i predicted as j."""
    fig = go.Figure(go.Heatmap(z=counts, x=list(classes), y=list(classes), colorscale="Blues", showscale=False,
                               text=counts, texttemplate="%{text}",
                               hovertemplate=f"{true_label} %{{y}}<br>{pred_label} %{{x}}<br>%{{z}}<extra></extra>"))
    fig.update_xaxes(title_text=pred_label, type="category", side="bottom")
    fig.update_yaxes(title_text=true_label, type="category", autorange="reversed")
    return themed(fig, title, height)


def image_grid(images: np.ndarray, captions: Sequence[str] = (), cols: int = 8, title: str = "",
               height: int | None = None, zmin: float | None = None, zmax: float | None = None,
               colorscale: str | list = "gray_r") -> go.Figure:
    """A grid of small grayscale images (N, H, W), each with an optional caption below it."""
    images = np.asarray(images, dtype=np.float32)
    n, h, w = images.shape
    cols = max(1, min(cols, n))
    rows = -(-n // cols)
    pad = 1
    gap = max(pad, round(h * 0.45)) if captions else pad  # room under each image for its caption
    pitch_y, pitch_x = h + gap, w + pad
    canvas = np.full((rows * pitch_y, cols * pitch_x), np.nan, dtype=np.float32)
    for i, img in enumerate(images):
        r, c = divmod(i, cols)
        canvas[r * pitch_y:r * pitch_y + h, c * pitch_x:c * pitch_x + w] = img
    fig = go.Figure(go.Heatmap(z=canvas, colorscale=colorscale, showscale=False, zmin=zmin, zmax=zmax,
                               hoverongaps=False, hovertemplate="%{z:.2f}<extra></extra>"))
    for i, caption in enumerate(captions):
        r, c = divmod(i, cols)
        fig.add_annotation(x=c * pitch_x + (w - 1) / 2, y=r * pitch_y + h - 0.5, text=caption, showarrow=False,
                           yanchor="top", font={"size": 11})
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    return themed(fig, title, height or max(160, rows * (120 if captions else 90) + 40))
