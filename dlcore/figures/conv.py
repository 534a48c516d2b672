"""Figures for the convolution lesson: the sliding window, the kernel, the output map filling in, pooling.

Plain arrays in, plotly Figures out. Images are drawn as pixels with row 0 on top; kernels and output
maps use the shared diverging colours (orange positive, blue negative, white zero), with a colour range
fixed by the caller so the colours do not jump while an animation fills a map in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dlcore.figures.theme import DIVERGING, POSITIVE, themed

PADDING_COLOR = "#dbe7f0"  # the zero border added by padding: pale blue-grey, so it reads as "not the image"
UNFILLED_COLOR = "#eeeeee"  # output cells the kernel has not reached yet; a computed 0 is white
VALUES_UP_TO = 12  # write the numbers into the cells when the map is at most this many cells wide


def _image_axes(fig: go.Figure, row: int | None = None, col: int | None = None) -> None:
    fig.update_xaxes(visible=False, constrain="domain", row=row, col=col)
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x" if row is None else None,
                     constrain="domain", row=row, col=col)


def _box(fig: go.Figure, top: float, left: float, rows: int, cols: int, color: str = POSITIVE, width: float = 3,
         dash: str = "solid", **where: object) -> None:
    fig.add_shape(type="rect", x0=left - 0.5, x1=left + cols - 0.5, y0=top - 0.5, y1=top + rows - 0.5,
                  line={"color": color, "width": width, "dash": dash}, **where)


def _number(v: float, fmt: str) -> str:
    s = format(v, fmt)
    if s.startswith("-") and float(s) == 0:
        s = s[1:]  # no "−0.00"
    return s.replace("-", "−")


def _text(z: np.ndarray, fmt: str) -> np.ndarray:
    return np.vectorize(lambda v: "" if np.isnan(v) else _number(v, fmt), otypes=[object])(z.astype(float))


def signed_range(values: np.ndarray) -> float:
    """Half-width of a colour range centred on zero that covers every finite value (at least 1e-9)."""
    finite = np.asarray(values, dtype=float)[np.isfinite(values)]
    return max(float(np.abs(finite).max()) if finite.size else 0.0, 1e-9)


def input_window(image: np.ndarray, padding: int = 0, window: tuple[int, int, int] | None = None,
                 title: str = "", height: int = 360, show_values: bool | None = None) -> go.Figure:
    """The input (values 0..1, ink dark) with its zero padding tinted and the kernel's window outlined.

    `window` is (top, left, k) in input coordinates; top/left may be negative (inside the padding).
    """
    image = np.asarray(image, dtype=float)
    h, w = image.shape
    p = padding
    xs, ys = np.arange(-p, w + p), np.arange(-p, h + p)
    padded = np.pad(image, p)
    ring = np.full(padded.shape, np.nan)
    if p:
        ring[:p], ring[-p:], ring[:, :p], ring[:, -p:] = 1, 1, 1, 1
    show = max(h, w) + 2 * p <= VALUES_UP_TO if show_values is None else show_values
    fig = go.Figure(go.Heatmap(x=xs, y=ys, z=padded, colorscale="gray_r", zmin=0, zmax=1, showscale=False,
                               text=_text(padded, ".1f") if show else None, texttemplate="%{text}" if show else None,
                               hovertemplate="row %{y}, col %{x}: %{z:.2f}<extra></extra>"))
    if p:
        fig.add_trace(go.Heatmap(x=xs, y=ys, z=ring, colorscale=[[0, PADDING_COLOR], [1, PADDING_COLOR]],
                                 showscale=False, hoverinfo="skip", text=np.where(np.isnan(ring), "", "0"),
                                 texttemplate="%{text}" if show else None))
    _box(fig, 0, 0, h, w, color="#7f7f7f", width=1, dash="dot" if p else "solid")  # the picture's edge
    if window is not None:
        top, left, k = window
        _box(fig, top, left, k, k)
    _image_axes(fig)
    return themed(fig, title, height)


def kernel_grid(kernel: np.ndarray, title: str = "", height: int = 260) -> go.Figure:
    """The kernel's weights as coloured cells with their numbers written in."""
    kernel = np.asarray(kernel, dtype=float)
    span = signed_range(kernel)
    fig = go.Figure(go.Heatmap(z=kernel, colorscale=DIVERGING, zmin=-span, zmax=span, showscale=False,
                               text=_text(kernel, ".3g"), texttemplate="%{text}", textfont={"size": 16},
                               hovertemplate="%{z:.4g}<extra></extra>"))
    _image_axes(fig)
    return themed(fig, title, height)


def output_filling(full: np.ndarray, filled: int, current: tuple[int, int] | None = None, title: str = "",
                   height: int = 360, show_values: bool | None = None) -> go.Figure:
    """The output map with only its first `filled` cells (row by row) drawn; the rest stay blank.

    The colour range comes from the whole map, so a cell keeps its colour as the map fills in. Cells
    not computed yet are blank (pale grey), so they differ from a computed 0 (white).
    """
    full = np.asarray(full, dtype=float)
    shown = full.copy().ravel()
    shown[max(0, filled):] = np.nan
    shown = shown.reshape(full.shape)
    span = signed_range(full)
    show = max(full.shape) <= VALUES_UP_TO if show_values is None else show_values
    colorbar = {"thickness": 8, "len": 0.9, "orientation": "h", "y": -0.02, "yanchor": "top"}
    fig = go.Figure(go.Heatmap(z=shown, colorscale=DIVERGING, zmin=-span, zmax=span, showscale=True,
                               colorbar=colorbar, hoverongaps=False,
                               text=_text(shown, ".2f") if show else None, texttemplate="%{text}" if show else None,
                               hovertemplate="row %{y}, col %{x}: %{z:.3f}<extra></extra>"))
    todo = np.where(np.isnan(shown), 1.0, np.nan)  # cells the kernel has not reached yet
    fig.add_trace(go.Heatmap(z=todo, colorscale=[[0, UNFILLED_COLOR], [1, UNFILLED_COLOR]], showscale=False,
                             hoverinfo="skip"))
    _box(fig, 0, 0, *full.shape, color="#bbbbbb", width=1)
    if current is not None:
        _box(fig, current[0], current[1], 1, 1)
    _image_axes(fig)
    fig.update_xaxes(range=[-0.5, full.shape[1] - 0.5], autorange=False)  # fixed, even while the map is empty
    fig.update_yaxes(range=[full.shape[0] - 0.5, -0.5], autorange=False)
    return themed(fig, title, height + 40)  # + room for the colour bar below the map


def dot_product(patch: np.ndarray, kernel: np.ndarray, titles: Sequence[str] = ("window", "kernel", "products"),
                title: str = "", height: int = 240) -> go.Figure:
    """Window, kernel and their cell-by-cell products side by side; the products add up to the output."""
    patch, kernel = np.asarray(patch, dtype=float), np.asarray(kernel, dtype=float)
    products = patch * kernel
    font = {"size": 13 if kernel.shape[0] <= 3 else 10}
    # three panels laid out by hand (make_subplots costs more than the rest of an animation frame)
    traces, layout = [], {"annotations": []}
    gap = 0.06
    width = (1 - 2 * gap) / 3
    for i, (z, scale, zrange, fmt) in enumerate([
        (patch, "gray_r", (0, 1), ".2f"),
        (kernel, DIVERGING, (-signed_range(kernel), signed_range(kernel)), ".3g"),
        (products, DIVERGING, (-signed_range(products), signed_range(products)), ".2f"),
    ]):
        n = "" if i == 0 else str(i + 1)
        traces.append(go.Heatmap(z=z, colorscale=scale, zmin=zrange[0], zmax=zrange[1], showscale=False,
                                 text=_text(z, fmt), texttemplate="%{text}", textfont=font, xaxis=f"x{n}",
                                 yaxis=f"y{n}", hovertemplate="%{z:.3f}<extra></extra>"))
        left = i * (width + gap)
        layout[f"xaxis{n}"] = {"domain": [left, left + width], "visible": False, "constrain": "domain"}
        layout[f"yaxis{n}"] = {"visible": False, "autorange": "reversed", "scaleanchor": f"x{n}",
                               "constrain": "domain"}
        layout["annotations"].append({"text": titles[i], "x": left + width / 2, "y": 1.0, "xref": "paper",
                                      "yref": "paper", "yanchor": "bottom", "showarrow": False,
                                      "font": {"size": 14}})
    fig = themed(go.Figure(traces, layout), title, height)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 60 if title else 30, "b": 10})
    return fig


def map_grid(maps: Sequence[Sequence[np.ndarray]], titles: Sequence[Sequence[str]], title: str = "",
             height: int | None = None, signed: bool = False) -> go.Figure:
    """A grid of maps (rows × cols, sizes may differ), e.g. before / after pooling, original / shifted.

    Every map in a row shares one colour range, so "brighter" means the same thing across a row.
    """
    rows, cols = len(maps), max(len(r) for r in maps)
    flat_titles = [titles[r][c] if c < len(titles[r]) else "" for r in range(rows) for c in range(cols)]
    fig = make_subplots(rows, cols, subplot_titles=flat_titles, horizontal_spacing=0.05,
                        vertical_spacing=0.12 if rows > 1 else 0.0)
    for r, row in enumerate(maps, start=1):
        top = max(signed_range(m) for m in row)
        low, scale = (-top, DIVERGING) if signed else (0.0, "gray_r")
        for c, z in enumerate(row, start=1):
            z = np.asarray(z, dtype=float)
            show = max(z.shape) <= VALUES_UP_TO
            fig.add_trace(go.Heatmap(z=z, colorscale=scale, zmin=low, zmax=top, showscale=False,
                                     text=_text(z, ".2f") if show else None, texttemplate="%{text}" if show else None,
                                     hovertemplate="row %{y}, col %{x}: %{z:.3f}<extra></extra>"), r, c)
            axis = (r - 1) * cols + c
            fig.update_xaxes(visible=False, constrain="domain", row=r, col=c)
            fig.update_yaxes(visible=False, autorange="reversed", scaleanchor=f"x{axis if axis > 1 else ''}",
                             constrain="domain", row=r, col=c)
    fig = themed(fig, title, height or 60 + 250 * rows)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 70 if title else 35, "b": 10})
    return fig
