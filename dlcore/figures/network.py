"""The playground's network drawing: neurons as small heatmaps, weights as coloured edges.

Plain data in (layer sizes, weight matrices, each neuron's map on a coarse grid), a plotly Figure
out. Edge width grows with |w|, colour gives the sign (orange positive, blue negative), and while
training dots travel along the strongest edges from inputs to output, one hop further per redraw.
Every neuron's box shows what it outputs across the input square: the same colours as the decision
boundary, so the output neuron's box *is* a tiny decision boundary.

Speed: these figures are redrawn several times a second while training. Plotly's validation of
every property costs tens of milliseconds per figure, so the builders here assemble plain dicts
(checked once by a test against normal, validated construction) and `LiveFigures` builds the
static parts of the boundary and loss charts once, then swaps in only the numbers that change.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from dlcore.figures.charts import boundary, curves, decimate
from dlcore.figures.theme import DIVERGING, NEGATIVE, POSITIVE, themed

WIDTH_LEVELS = 6  # edges are bucketed by |w| into this many widths (one trace per width and sign)
MAX_FLOW_EDGES = 240  # flow dots ride on at most this many of the strongest edges
MAX_HOVER_EDGES = 1200  # beyond this many edges, edge hover labels are left out (they cost JSON)
GAP = 4  # empty cells between two neurons of one layer


def _layout(sizes: Sequence[int], box: int) -> tuple[list[float], list[np.ndarray]]:
    """x of every layer and y of every neuron (top neuron first), in heatmap-cell units."""
    spacing = box + GAP
    column = box * 4.5 if max(sizes) <= 8 else box * 6
    xs = [i * column for i in range(len(sizes))]
    ys = [-(np.arange(n) - (n - 1) / 2) * spacing for n in sizes]
    return xs, ys


def _edge_level(absw: np.ndarray, scale: float) -> np.ndarray:
    return np.minimum(WIDTH_LEVELS - 1, (absw / scale * WIDTH_LEVELS).astype(int))


def fast_figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """A Figure from plain trace/layout dicts without plotly's per-property validation (for live redraws)."""
    return go.Figure({"data": data, "layout": layout}, _validate=False)


@functools.cache
def _base_layout() -> dict[str, Any]:
    return themed(go.Figure()).to_plotly_json()["layout"]  # the shared theme, resolved once


def _themed_layout(title: str, height: int, **extra: Any) -> dict[str, Any]:
    layout = dict(_base_layout(), height=height, **extra)
    if title:
        layout["title"] = {"text": title, "x": 0.01, "font": {"size": 15}}
    return layout


def network(sizes: Sequence[int], weights: Sequence[np.ndarray], maps: Sequence[np.ndarray] | None = None,
            labels: Sequence[Sequence[str]] | None = None, layer_titles: Sequence[str] | None = None,
            *, phase: float | None = None, selected: tuple[int, int] | None = None,
            edge: tuple[int, int, int] | None = None, title: str = "", height: int | None = None,
            weight_label: str = "w") -> go.Figure:
    """Draw a fully connected network.

    sizes: neurons per layer, inputs first. weights[l]: (sizes[l+1], sizes[l]). maps[l]: (sizes[l], g, g)
    values in [-1, 1] (rows = x2 ascending), drawn inside each neuron. labels[l][j]: neuron names for
    hover. phase: None when idle, else 0..1, the position of the flow dots along the edges.
    selected: (layer, neuron) outlined. edge: (layer, to, from) highlighted, e.g. the valve being turned.
    """
    g = maps[0].shape[-1] if maps is not None else 8
    xs, ys = _layout(sizes, g)
    half = g / 2
    traces: list[dict[str, Any]] = []
    names = labels or [[f"{l}.{j}" for j in range(n)] for l, n in enumerate(sizes)]

    # -- edges: one trace per (width level, sign); segments are separated by NaN gaps
    seg_x, seg_y, seg_w = [], [], []
    for l, w in enumerate(weights):
        k, j = np.meshgrid(np.arange(w.shape[0]), np.arange(w.shape[1]), indexing="ij")
        seg_x.append(np.broadcast_to([xs[l] + half, xs[l + 1] - half], (w.size, 2)))
        seg_y.append(np.stack([ys[l][j.ravel()], ys[l + 1][k.ravel()]], 1))
        seg_w.append(np.asarray(w, dtype=np.float64).ravel())
    ex = np.concatenate(seg_x) if seg_x else np.zeros((0, 2))  # (E, 2) x of both ends
    ey = np.concatenate(seg_y) if seg_y else np.zeros((0, 2))  # (E, 2)
    ew = np.concatenate(seg_w) if seg_w else np.zeros(0)  # (E,)
    scale = max(float(np.abs(ew).max(initial=0.0)), 1.0)  # the thickest edge is |w| ≥ 1
    levels = _edge_level(np.abs(ew), scale)
    gaps = np.full((len(ew), 1), np.nan)
    thin = min(1.0, (8 / max(sizes)) ** 0.5)  # wide layers get thinner, fainter edges, or they turn into a wall
    for level in range(WIDTH_LEVELS):
        for positive in (True, False):
            mask = (levels == level) & ((ew >= 0) == positive)
            if mask.any():
                traces.append({
                    "type": "scatter", "mode": "lines", "hoverinfo": "skip", "showlegend": False,
                    "x": np.hstack([ex[mask], gaps[mask]]).ravel().astype(np.float32),
                    "y": np.hstack([ey[mask], gaps[mask]]).ravel().astype(np.float32),
                    "line": {"color": POSITIVE if positive else NEGATIVE, "width": (0.6 + 1.2 * level) * thin},
                    "opacity": (0.35 + 0.6 * level / (WIDTH_LEVELS - 1)) * thin})
    if 0 < len(ew) <= MAX_HOVER_EDGES:
        text = [f"{names[l][j]} → {names[l + 1][k]}<br>{weight_label} = {w[k, j]:.3f}"
                for l, w in enumerate(weights) for k in range(w.shape[0]) for j in range(w.shape[1])]
        traces.append({"type": "scatter", "mode": "markers", "x": ex.mean(1), "y": ey.mean(1), "hovertext": text,
                       "hoverinfo": "text", "showlegend": False, "marker": {"size": 6, "opacity": 0}})

    # -- flow: two dots on each of the strongest edges, moved along by `phase` between redraws
    if phase is not None and len(ew):
        strongest = np.argsort(-np.abs(ew), kind="stable")[:MAX_FLOW_EDGES]
        for positive in (True, False):
            idx = strongest[(ew[strongest] >= 0) == positive]
            if len(idx):
                f = (phase + np.array([[0.0], [0.5]])) % 1.0  # (2, 1): positions along the edge
                traces.append({
                    "type": "scatter", "mode": "markers", "hoverinfo": "skip", "showlegend": False,
                    "x": (ex[idx, 0] + f * (ex[idx, 1] - ex[idx, 0])).ravel(),
                    "y": (ey[idx, 0] + f * (ey[idx, 1] - ey[idx, 0])).ravel(),
                    "marker": {"size": np.tile(5 + 6 * np.minimum(np.abs(ew[idx]) / scale, 1), 2),
                               "color": POSITIVE if positive else NEGATIVE, "line": {"width": 1, "color": "white"}}})

    # -- the valve being turned
    if edge is not None and edge[0] < len(weights):
        l, k, j = edge
        traces.append({"type": "scatter", "mode": "lines", "hoverinfo": "skip", "showlegend": False,
                       "x": [xs[l] + half, xs[l + 1] - half], "y": [float(ys[l][j]), float(ys[l + 1][k])],
                       "line": {"color": "#222222", "width": 3, "dash": "dot"}})

    # -- neurons: one heatmap per layer, its neurons stacked with NaN gaps between them
    if maps is not None:
        for l, n in enumerate(sizes):
            stack = np.full((n * (g + GAP) - GAP, g), np.nan, dtype=np.float32)
            for j in range(n):  # the bottom neuron (the last) first, since y grows upward
                row = (n - 1 - j) * (g + GAP)
                stack[row:row + g] = maps[l][j]
            traces.append({"type": "heatmap", "z": stack, "x0": xs[l] - half + 0.5, "dx": 1,
                           "y0": float(ys[l][-1]) - half + 0.5, "dy": 1, "zmin": -1, "zmax": 1,
                           "colorscale": DIVERGING, "showscale": False, "hoverinfo": "skip", "hoverongaps": False})
    cx = np.concatenate([np.full(n, xs[l]) for l, n in enumerate(sizes)])
    cy = np.concatenate(ys)
    corners_x = np.array([-1, 1, 1, -1, -1, np.nan]) * half
    corners_y = np.array([-1, -1, 1, 1, -1, np.nan]) * half
    traces.append({"type": "scatter", "mode": "lines", "hoverinfo": "skip", "showlegend": False,
                   "x": (cx[:, None] + corners_x).ravel(), "y": (cy[:, None] + corners_y).ravel(),
                   "line": {"color": "#9aa0a6", "width": 1}})
    traces.append({"type": "scatter", "mode": "markers", "x": cx, "y": cy, "hoverinfo": "text",
                   "hovertext": [name for layer in names for name in layer], "showlegend": False,
                   "marker": {"size": 14, "opacity": 0}})
    if selected is not None and selected[0] < len(sizes) and selected[1] < sizes[selected[0]]:
        sx, sy = xs[selected[0]], float(ys[selected[0]][selected[1]])
        traces.append({"type": "scatter", "mode": "lines", "hoverinfo": "skip", "showlegend": False,
                       "x": list(sx + corners_x[:5] * (half + 1) / half), "y": list(sy + corners_y[:5] * (half + 1) / half),
                       "line": {"color": "#111111", "width": 3}})

    # -- names: input features on the left, layer titles on top
    annotations = []
    if labels:
        annotations += [{"x": xs[0] - half - 1, "y": float(ys[0][j]), "text": name, "showarrow": False,
                         "xanchor": "right", "font": {"size": 12}} for j, name in enumerate(labels[0])]
    top = max(float(y[0]) for y in ys) + half
    annotations += [{"x": xs[l], "y": top + 2, "text": text, "showarrow": False, "yanchor": "bottom",
                     "font": {"size": 12}} for l, text in enumerate(layer_titles or ())]
    left = xs[0] - half - (5 * g / 4 if labels else 2)
    layout = _themed_layout(
        title, height or int(min(900, max(320, 140 + 30 * max(sizes)))), annotations=annotations,
        hovermode="closest", dragmode=False, margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        xaxis={"visible": False, "range": [left - 2, xs[-1] + half + 2], "fixedrange": True},
        yaxis={"visible": False, "scaleanchor": "x", "range": [-top - 2, top + 2 + 2 * g], "fixedrange": True})
    return fast_figure(traces, layout)


def neuron_map(xs: np.ndarray, ys: np.ndarray, z: np.ndarray,
               points: Sequence[tuple[str, np.ndarray, np.ndarray]] = (), title: str = "", height: int = 360,
               colorbar_title: str = "") -> go.Figure:
    """One neuron's output over the input square, enlarged, with a colour bar centred on 0 and the data points."""
    bound = float(np.nanmax(np.abs(z))) or 1.0
    fig = boundary(xs, ys, np.clip(z / bound, -1, 1) / 2 + 0.5, points, title=title, height=height)
    fig.data[0].update(customdata=z, showscale=True,
                       hovertemplate="x1 %{x:.2f}<br>x2 %{y:.2f}<br>%{customdata:.3f}<extra></extra>",
                       colorbar={"title": {"text": colorbar_title}, "tickvals": [0, 0.5, 1],
                                 "ticktext": [f"{-bound:.2g}", "0", f"{bound:.2g}"], "thickness": 12})
    return fig


class LiveFigures:
    """The boundary and loss charts of one run, fast to redraw: the shared builders make them once,
    then each redraw swaps in only the new numbers (the points and the layout never change)."""

    def __init__(self, xs: np.ndarray, ys: np.ndarray, points: Sequence[tuple[str, np.ndarray, np.ndarray]],
                 series_names: Sequence[str], *, boundary_title: str = "", curves_title: str = "",
                 x_label: str = "step", y_label: str = "", height: int = 420):
        self.xs, self.ys = xs, ys
        blank = np.full((len(ys), len(xs)), 0.5, dtype=np.float32)
        self._boundary = boundary(xs, ys, blank, points, title=boundary_title, height=height).to_plotly_json()
        empty = {name: (np.zeros(0), np.zeros(0)) for name in series_names}
        self._curves = curves(empty, title=curves_title, x_label=x_label, y_label=y_label,
                              height=height - 60).to_plotly_json()
        self.series_names = tuple(series_names)

    def boundary(self, prob: np.ndarray) -> go.Figure:
        """The decision boundary with P(class 1) = prob on the grid (rows = ys)."""
        data = self._boundary["data"]
        return fast_figure([dict(data[0], z=np.asarray(prob, dtype=np.float32)), *data[1:]], self._boundary["layout"])

    def neuron(self, xs: np.ndarray, ys: np.ndarray, z: np.ndarray, title: str = "",
               probability: bool = False) -> go.Figure:
        """One neuron's map enlarged: blue < 0 < orange (or P(class 1) when `probability`).

        Without the data points: the boundary chart beside it shows them, and a few hundred more SVG
        markers made every redraw of the page slower."""
        z = np.asarray(z, dtype=np.float32)
        bound = 1.0 if probability else float(np.abs(z).max(initial=0.0)) or 1.0
        shown = z if probability else np.clip(z / bound, -1, 1) / 2 + 0.5
        ticks = ["0", "0.5", "1"] if probability else [f"{-bound:.2g}", "0", f"{bound:.2g}"]
        heat = dict(self._boundary["data"][0], x=np.asarray(xs), y=np.asarray(ys), z=shown, customdata=z,
                    showscale=True, hovertemplate="x1 %{x:.2f}<br>x2 %{y:.2f}<br>%{customdata:.3f}<extra></extra>",
                    colorbar={"tickvals": [0, 0.5, 1], "ticktext": ticks, "thickness": 12, "len": 0.8})
        layout = dict(self._boundary["layout"], title={"text": title, "x": 0.01, "font": {"size": 15}})
        return fast_figure([heat], layout)

    def curves(self, series: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> go.Figure:
        """The loss curves with new (x, y) values for the series named at construction."""
        data = []
        for trace, name in zip(self._curves["data"], self.series_names):
            x, y = decimate(*series.get(name, (np.zeros(0), np.zeros(0))))
            data.append(dict(trace, x=np.asarray(x, dtype=np.float64), y=np.asarray(y, dtype=np.float64)))
        return fast_figure(data, self._curves["layout"])
