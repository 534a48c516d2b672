"""Figures of the CNN lesson: learned kernels, feature maps of every layer, CNN-vs-MLP curves, confused digits.

Pure builders: arrays in (from dlcore.cnn), a Figure out. Kernels use the shared sign colours (orange
positive, blue negative, white zero); feature maps are shown per map scaled to its own maximum, so a
weak but telling map is not lost next to a loud one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from dlcore.figures.charts import decimate
from dlcore.figures.theme import CLASS_COLORS, DIVERGING, themed

MAX_MAPS = 32  # maps shown per layer: more are unreadable at this size


def tile(images: np.ndarray, cols: int, pad: int = 1) -> np.ndarray:
    """Lay out images (N, H, W) on a grid with `cols` columns, NaN between them (drawn as blank)."""
    images = np.asarray(images, dtype=np.float32)
    n, h, w = images.shape
    cols = max(1, min(cols, n))
    rows = -(-n // cols)
    canvas = np.full((rows * (h + pad) - pad, cols * (w + pad) - pad), np.nan, dtype=np.float32)
    for i, img in enumerate(images):
        r, c = divmod(i, cols)
        canvas[r * (h + pad):r * (h + pad) + h, c * (w + pad):c * (w + pad) + w] = img
    return canvas


def _grid_axes(fig: go.Figure) -> None:
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")


def kernels(weights: np.ndarray, title: str = "", cols: int = 8, height: int | None = None) -> go.Figure:
    """Learned first-layer kernels (C, k, k): orange positive, blue negative, one shared symmetric scale."""
    weights = np.asarray(weights, dtype=np.float32)
    bound = float(np.abs(weights).max()) or 1.0
    canvas = tile(weights, cols)
    fig = go.Figure(go.Heatmap(z=canvas, colorscale=DIVERGING, zmin=-bound, zmax=bound, showscale=False,
                               hoverongaps=False, hovertemplate="%{z:.3f}<extra></extra>"))
    _grid_axes(fig)
    rows = -(-len(weights) // max(1, min(cols, len(weights))))
    return themed(fig, title, height or max(160, 300 * rows // max(1, min(cols, len(weights))) + 60))


def feature_maps(image: np.ndarray, maps: Sequence[np.ndarray], layer_titles: Sequence[str], title: str = "",
                 input_title: str = "input", cols: int = 8, width: int = 560) -> go.Figure:
    """The input digit (H, W) on top, then each layer's maps (C, H, W) as a grid, each map scaled to its own max.

    One axis and one heatmap per row (no subplots: this figure is redrawn during training, so it must be cheap).
    Every grid is resampled to the same width in cells so the rows line up; `width` sets the figure's height.
    """
    image = np.asarray(image, dtype=np.float32).reshape(np.shape(image)[-2:])
    grids = []
    for layer in maps:
        layer = np.asarray(layer, dtype=np.float32)[:MAX_MAPS]
        peak = layer.reshape(len(layer), -1).max(1)[:, None, None]
        grids.append(tile(layer / np.where(peak > 0, peak, 1.0), cols))  # a dead map (all 0) stays dark
    span = max([g.shape[1] for g in grids] + [image.shape[1]])  # cells across the widest row
    fig = go.Figure()
    y, gap = 0.0, span * 0.09  # rows are stacked downwards; gap leaves room for each row's title
    rows = [(input_title, image, "gray_r")] + [(name, g, "Viridis") for name, g in zip(layer_titles, grids)]
    for name, grid, colors in rows:
        scale = span / grid.shape[1] if grid is not image else 1.0  # cells of this grid → shared units
        x0 = (span - grid.shape[1] * scale) / 2
        fig.add_annotation(x=span / 2, y=y + gap * 0.55, text=name, showarrow=False, font={"size": 12})
        y += gap
        fig.add_trace(go.Heatmap(z=grid, x0=x0 + scale / 2, dx=scale, y0=y + scale / 2, dy=scale, colorscale=colors,
                                 zmin=0, zmax=1, showscale=False, hoverongaps=False,
                                 hovertemplate="%{z:.2f}<extra></extra>"))
        y += grid.shape[0] * scale
    fig.update_xaxes(visible=False, range=[0, span], constrain="domain")
    fig.update_yaxes(visible=False, range=[y, 0], scaleanchor="x")
    fig = themed(fig, title, int((width - 40) * y / span) + (60 if title else 30))
    fig.update_layout(margin={"l": 20, "r": 20, "t": 45 if title else 10, "b": 10})
    return fig


def comparison(runs: Mapping[str, Mapping[str, tuple[np.ndarray, np.ndarray]]], title: str = "",
               x_label: str = "seconds", y_label: str = "", height: int = 320) -> go.Figure:
    """Curves of several models side by side: runs[model][series] = (x, y); one colour per model, test solid, train dotted."""
    fig = go.Figure()
    for i, (model, series) in enumerate(runs.items()):
        for name, (x, y) in series.items():
            x, y = decimate(x, y)
            dash = "dot" if "train" in name.lower() else "solid"
            fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=f"{model} · {name}",
                                     line={"color": CLASS_COLORS[(i + 1) % len(CLASS_COLORS)], "dash": dash, "width": 2}))
    fig.update_xaxes(title_text=x_label)
    fig.update_yaxes(title_text=y_label)
    return themed(fig, title, height)


def digits(images: np.ndarray, captions: Sequence[str], title: str = "", cols: int = 8) -> go.Figure:
    """A grid of digits (N, H, W), each with a caption below it (may hold a <br>, e.g. "7 → 1<br>93%")."""
    images = np.asarray(images, dtype=np.float32).reshape(-1, *np.shape(images)[-2:])
    if not len(images):
        return themed(go.Figure(), title, 120)
    n, h, w = images.shape
    cols = max(1, min(cols, n))
    rows = -(-n // cols)
    below = h // 2 + 2  # blank rows under each digit for its caption
    canvas = np.full((rows * (h + below), cols * (w + 2) - 2), np.nan, dtype=np.float32)
    for i, img in enumerate(images):
        r, c = divmod(i, cols)
        canvas[r * (h + below):r * (h + below) + h, c * (w + 2):c * (w + 2) + w] = img
    fig = go.Figure(go.Heatmap(z=canvas, colorscale="gray_r", zmin=0, zmax=1, showscale=False,
                               hoverongaps=False, hoverinfo="skip"))
    for i, caption in enumerate(captions):
        r, c = divmod(i, cols)
        fig.add_annotation(x=c * (w + 2) + (w - 1) / 2, y=r * (h + below) + h, text=caption, showarrow=False,
                           yanchor="top", font={"size": 11})
    _grid_axes(fig)
    return themed(fig, title, 130 * rows + 50)
