"""Figures of the CNN lesson: learned kernels, feature maps of every layer, CNN-vs-MLP curves, confused digits.

Pure builders: arrays in (from dlcore.cnn), a Figure out. Kernels use the shared sign colours (orange
positive, blue negative, white zero); feature maps are shown per map scaled to its own maximum, so a
weak but telling map is not lost next to a loud one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

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
    return themed(fig, title, height or max(140, 70 * rows + 50))


def feature_maps(image: np.ndarray, maps: Sequence[np.ndarray], layer_titles: Sequence[str], title: str = "",
                 input_title: str = "input", cols: int = 8) -> go.Figure:
    """The input digit (H, W) and each layer's maps (C, H, W), one row per layer, each map scaled to its own max."""
    image = np.asarray(image, dtype=np.float32).reshape(np.shape(image)[-2:])
    grids = []
    for layer in maps:
        layer = np.asarray(layer, dtype=np.float32)[:MAX_MAPS]
        peak = layer.reshape(len(layer), -1).max(1)[:, None, None]
        grids.append(tile(layer / np.where(peak > 0, peak, 1.0), cols))  # dead maps stay black-free (all 0)
    rows = 1 + len(grids)
    heights = [1.0] + [g.shape[0] / g.shape[1] * cols for g in grids]
    fig = make_subplots(rows=rows, cols=1, subplot_titles=[input_title, *layer_titles], vertical_spacing=0.06,
                        row_heights=[h / sum(heights) for h in heights])
    fig.add_trace(go.Heatmap(z=image, colorscale="gray_r", zmin=0, zmax=1, showscale=False,
                             hovertemplate="%{z:.2f}<extra></extra>"), row=1, col=1)
    for i, grid in enumerate(grids, start=2):
        fig.add_trace(go.Heatmap(z=grid, colorscale="Viridis", zmin=0, zmax=1, showscale=False, hoverongaps=False,
                                 hovertemplate="%{z:.2f}<extra></extra>"), row=i, col=1)
    _grid_axes(fig)
    for i in range(1, rows + 1):
        fig.update_yaxes(scaleanchor=f"x{'' if i == 1 else i}", row=i, col=1)
    fig = themed(fig, title, int(120 + 130 * sum(heights)))
    fig.update_annotations(font_size=12)
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
    """A row or grid of digits (N, H, W) with captions above each (e.g. "7 → 1 · 93%")."""
    images = np.asarray(images, dtype=np.float32).reshape(-1, *np.shape(images)[-2:])
    if not len(images):
        return themed(go.Figure(), title, 120)
    n, h, w = images.shape
    cols = max(1, min(cols, n))
    fig = go.Figure(go.Heatmap(z=tile(images, cols, pad=2), colorscale="gray_r", zmin=0, zmax=1, showscale=False,
                               hoverongaps=False, hoverinfo="skip"))
    for i, caption in enumerate(captions):
        r, c = divmod(i, cols)
        fig.add_annotation(x=c * (w + 2) + (w - 1) / 2, y=r * (h + 2) - 0.5, text=caption, showarrow=False,
                           yanchor="bottom", font={"size": 11})
    _grid_axes(fig)
    rows = -(-n // cols)
    return themed(fig, title, 110 * rows + 60)
