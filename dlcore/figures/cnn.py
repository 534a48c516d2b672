"""Figures of the CNN lesson: learned kernels, feature maps of every layer, CNN-vs-MLP curves, confused digits.

Pure builders: arrays in (from dlcore.cnn), a Figure out. Kernels use the shared sign colours (orange
positive, blue negative, white zero); feature maps are shown per map scaled to its own maximum, so a
weak but telling map is not lost next to a loud one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import numpy as np
import plotly.graph_objects as go

from dlcore.figures.charts import decimate
from dlcore.figures.theme import CLASS_COLORS, DIVERGING, NEGATIVE, POSITIVE, themed

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


# ----------------------------------------------------------------------------- pictures (RGB arrays, not Figures)
# After a stroke the page must answer within a few hundred milliseconds. A browser without a GPU needs
# ~100–300 ms to draw a plotly heatmap figure but only a few to show a PNG, so the drawing section shows
# these NumPy pictures (sent as images) instead of heatmaps. Same layout and colours; no hover.

PAPER = (255, 255, 255)  # the background between tiles
FRAME = (154, 160, 166)  # the thin frame around a step picture


def _lut(colors: Sequence[str], n: int = 256) -> np.ndarray:
    """A (n, 3) uint8 lookup table interpolating hex or rgb() colours evenly (Plotly's named scales)."""
    from plotly.colors import hex_to_rgb, unlabel_rgb

    rgb = np.array([hex_to_rgb(c) if c.startswith("#") else unlabel_rgb(c) for c in colors], dtype=np.float64)
    at = np.linspace(0, 1, len(rgb))
    grid = np.linspace(0, 1, n)
    return np.stack([np.interp(grid, at, rgb[:, k]) for k in range(3)], axis=1).round().astype(np.uint8)


def _viridis() -> np.ndarray:
    from plotly.colors import sequential

    return _lut(sequential.Viridis)


VIRIDIS = _viridis()  # (256, 3) uint8, the colours of the feature-map heatmaps


def heat_picture(grid: np.ndarray, scale: int = 1, hi: float | None = None, lut: np.ndarray = VIRIDIS,
                 background: tuple[int, int, int] = PAPER) -> np.ndarray:
    """A 2D grid (h, w) → RGB uint8 (h·scale, w·scale, 3): 0..hi through `lut`, NaN cells painted `background`.

    `hi` defaults to the grid's largest finite value; each pixel becomes a scale×scale block (no smoothing).
    """
    grid = np.asarray(grid, dtype=np.float32)
    finite = np.isfinite(grid)
    top = float(grid[finite].max()) if hi is None and finite.any() else (hi or 1.0)
    index = np.clip(np.where(finite, grid, 0.0) / max(top, 1e-6), 0.0, 1.0) * (len(lut) - 1)
    rgb = lut[index.round().astype(np.intp)]  # (h, w, 3)
    rgb[~finite] = background
    return np.repeat(np.repeat(rgb, scale, axis=0), scale, axis=1) if scale > 1 else rgb


def feature_map_pictures(maps: Sequence[np.ndarray], width: int = 680, max_cols: int = 16,
                         pad: int = 1) -> list[np.ndarray]:
    """One RGB picture per layer (C, H, W): its maps tiled (8 a row when large, 16 when small), on one 0..max
    scale per layer, each cell scaled up by a whole number so the picture is about `width` pixels wide."""
    pictures = []
    for fmap in maps:
        fmap = np.asarray(fmap, dtype=np.float32)[:MAX_MAPS]
        c, h, w = fmap.shape
        cols = min(c, max_cols if h <= 14 else max_cols // 2)
        grid = tile(fmap, cols, pad)  # (rows·(h+pad)−pad, cols·(w+pad)−pad), NaN between maps
        pictures.append(heat_picture(grid, scale=max(1, round(width / grid.shape[1]))))
    return pictures


def step_picture(image: np.ndarray, side: int = 112) -> np.ndarray:
    """A gray image (h, w) in [0, 1] (ink = 1) as dark ink on white paper, RGB uint8 (side, side, 3), framed.

    Small images are scaled up by a whole number (crisp pixels), large ones shrunk by area-averaging to fit.
    """
    from dlcore.preprocess import resize

    image = np.clip(np.asarray(image, dtype=np.float64), 0.0, 1.0)
    inner = side - 2
    h, w = image.shape
    if max(h, w) > inner:
        f = inner / max(h, w)
        image = resize(image, max(1, round(h * f)), max(1, round(w * f)))
    else:
        k = inner // max(h, w)
        image = np.repeat(np.repeat(image, k, axis=0), k, axis=1)
    h, w = image.shape
    out = np.empty((side, side, 3), dtype=np.uint8)
    out[:] = FRAME
    out[1:-1, 1:-1] = PAPER
    top, left = 1 + (inner - h) // 2, 1 + (inner - w) // 2
    out[top:top + h, left:left + w] = np.round(255 * (1.0 - image)).astype(np.uint8)[..., None]
    return out


def probability_bars_html(probs: np.ndarray, classes: Sequence[str], title: str = "", height: int = 120) -> str:
    """Class probabilities as a small HTML bar chart (plain divs): the most likely class orange, the rest blue.

    A browser shows it at once, where a plotly bar chart costs ~0.1 s to draw without a GPU. Classes are
    escaped; the numbers are formatted here.
    """
    probs = np.asarray(probs, dtype=np.float64)
    best = int(probs.argmax())
    cols = "".join(
        f'<div style="flex:1;display:flex;flex-direction:column;align-items:center;justify-content:flex-end;'
        f'min-width:0" title="{escape(str(c))}: {p:.3f}">'
        f'<span style="font-size:0.75rem;opacity:0.8">{p:.0%}</span>'
        f'<div style="width:70%;height:{max(1.0, p * height):.1f}px;border-radius:2px 2px 0 0;'
        f'background:{POSITIVE if i == best else NEGATIVE}"></div>'
        f'<span style="font-size:0.85rem;margin-top:2px">{escape(str(c))}</span></div>'
        for i, (c, p) in enumerate(zip(classes, probs)))
    head = f'<div style="font-weight:600;margin-bottom:0.5rem">{escape(title)}</div>' if title else ""
    return (f'<div class="dl-probs" role="img" aria-label="{escape(title)}">{head}'
            f'<div style="display:flex;gap:4px;align-items:flex-end;height:{height + 40}px;'
            f'border-bottom:1px solid rgba(128,128,128,0.4)">{cols}</div></div>')


def png_data_url(picture: np.ndarray) -> str:
    """An RGB (H, W, 3) or gray (H, W) uint8 picture as a `data:image/png;base64,…` URL, for an <img> inline.

    Inline, the browser shows the picture with the HTML that holds it (no second request to the server).
    """
    import base64
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(picture, dtype=np.uint8)).save(buf, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def pictures_html(pictures: Sequence[np.ndarray], captions: Sequence[str], css_class: str, title: str = "",
                  row: bool = True) -> str:
    """Pictures as inline PNGs in one HTML element (no extra requests): in a row with small captions above
    each, or stacked with bold titles."""
    head = f'<div style="font-weight:600;margin-bottom:0.4rem">{escape(title)}</div>' if title else ""
    style = "font-size:0.8rem;opacity:0.75" if row else "font-weight:600"
    cells = "".join(
        f'<figure style="margin:0 0 0.6rem 0"><figcaption style="{style};margin-bottom:0.2rem">{escape(c)}</figcaption>'
        f'<img src="{png_data_url(p)}" width="{p.shape[1]}" height="{p.shape[0]}" alt="{escape(c)}" '
        f'style="max-width:100%;height:auto;image-rendering:pixelated"></figure>'
        for p, c in zip(pictures, captions))
    layout = "display:flex;flex-wrap:wrap;gap:0.75rem" if row else ""
    return f'<div class="{css_class}">{head}<div style="{layout}">{cells}</div></div>'
