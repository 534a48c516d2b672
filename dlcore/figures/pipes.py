"""An MLP drawn as a network of water pipes: the image flows in at the left, valves (neurons) in
columns, pipes whose width is the flow |activation × weight|, outlets at the right labelled with the
characters. Pure: the flow is computed elsewhere (dlcore.experiments.characters.flow) and passed in.

Colour keeps the shared language: orange pipes push the next valve open (positive contribution),
blue pipes hold it shut (negative); a valve's fill shows how far it is open (|activation|).
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from dlcore.figures.theme import NEGATIVE, POSITIVE, themed

WATER = "#3aa0d8"
OPEN_SCALE = [[0.0, "#ffffff"], [1.0, "#0e6e8c"]]  # a valve's fill: white = shut, deep teal = wide open
WINNER = "#e8b400"
WIDTH_LEVELS = 6  # pipes are drawn in this many widths per colour: one trace each keeps redraws fast
MIN_SHARE = 0.04  # pipes carrying less than this share of their column's biggest flow are left out
MAX_WIDTH = 7.0  # px, the widest pipe
IMAGE_RIGHT = 1.0  # the image fills x in [0, IMAGE_RIGHT]; the first column of valves follows


def png_data_uri(image: np.ndarray, scale: int = 8) -> str:
    """A grayscale (H, W) image in [0, 1] (ink = 1) as a crisp, upscaled PNG data URI (ink dark)."""
    img = np.clip(np.asarray(image, dtype=np.float64), 0, 1)
    pixels = (255 * (1 - img)).astype(np.uint8).repeat(scale, 0).repeat(scale, 1)  # (H*s, W*s)
    h, w = pixels.shape
    raw = b"".join(b"\x00" + row.tobytes() for row in pixels)  # filter byte 0 per scanline

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _column_y(n: int) -> np.ndarray:
    """Vertical positions of n valves, centred on 0.5, spread over at most [0.03, 0.97]."""
    if n == 1:
        return np.array([0.5])
    gap = min(0.94 / (n - 1), 0.11)
    return 0.5 + (np.arange(n) - (n - 1) / 2) * gap * -1  # first neuron on top


def strongest(flow: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the k largest entries of |flow| (all of them when there are fewer)."""
    mag = np.abs(np.ravel(flow))
    mask = np.zeros(mag.shape, dtype=bool)
    mask[np.argsort(-mag, kind="stable")[:k]] = True
    return mask.reshape(np.shape(flow))


def _pipe_traces(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, signed: np.ndarray,
                 names: tuple[str, str], keep: np.ndarray | None = None,
                 faint: np.ndarray | None = None) -> list[go.Scatter]:
    """Line segments binned by width (∝ |signed|) and coloured by sign; one trace per (sign, width).

    Only pipes in `keep` with at least MIN_SHARE of the biggest flow are drawn; `faint` ones thin and pale.
    """
    mag = np.abs(signed)
    top = float(mag.max()) if mag.size else 0.0
    if top <= 0:
        return []
    share = mag / top
    keep = (share >= MIN_SHARE) & (True if keep is None else keep)
    faint = np.zeros(mag.shape, dtype=bool) if faint is None else faint
    level = np.minimum((share * WIDTH_LEVELS).astype(int), WIDTH_LEVELS - 1)
    traces = []

    def add(pick: np.ndarray, color: str, name: str, width: float, opacity: float) -> None:
        if pick.any():
            k = int(pick.sum())
            xs = np.stack([x0[pick], x1[pick], np.full(k, np.nan)], 1).ravel()
            ys = np.stack([y0[pick], y1[pick], np.full(k, np.nan)], 1).ravel()
            traces.append(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", name=name, legendgroup=name,
                                     showlegend=False, line={"color": color, "width": width}, opacity=opacity))

    for positive, color, name in ((True, POSITIVE, names[0]), (False, NEGATIVE, names[1])):
        sign = (signed > 0) == positive
        for lv in range(WIDTH_LEVELS):
            add(keep & ~faint & sign & (level == lv), color, name, 0.6 + MAX_WIDTH * (lv + 1) / WIDTH_LEVELS,
                0.35 + 0.6 * (lv + 1) / WIDTH_LEVELS)
        add(keep & faint & sign, color, name, 1.0, 0.15)
    return traces


def pipes(layers: Sequence[np.ndarray], edges: Sequence[np.ndarray], probs: np.ndarray, image: np.ndarray,
          outlets: Sequence[str], *, expected: int | None = None, title: str = "",
          column_labels: Sequence[str] = (), pipe_names: tuple[str, str] = ("opens", "closes"),
          neuron_label: str = "neuron", focus: int | None = None, max_pipes: int = 80,
          height: int = 480) -> go.Figure:
    """The pipe network for one input.

    layers: activations per layer (input pixels first, logits last); edges[k]: signed activation ×
    weight (out, in) from layer k to k+1; probs: share of the flow per outlet; image: the (H, W) input;
    outlets: the character of each outlet; expected: the true class, marked when given. Between
    columns only the `max_pipes` strongest pipes are drawn; pipes into outlets other than `focus`
    (default: the winning outlet) are drawn pale, so the water reaching that outlet stands out.
    """
    probs = np.asarray(probs, dtype=float)
    n_cols = len(layers) - 1  # valve columns: hidden layers plus the outlets
    xs = [IMAGE_RIGHT + 0.6 + i * 1.2 for i in range(n_cols)]
    ys = [_column_y(len(a)) for a in layers[1:]]
    # pipes from the image to the first column: one pipe per valve, carrying the total pixel flow
    intake = np.asarray(edges[0])  # (n1, pixels)
    net_in = intake.sum(1)  # what the image adds to each first valve (before its bias)
    n1 = len(ys[0])
    src_y = 0.5 + (ys[0] - 0.5) * 0.35  # fan out from the image's right edge
    traces = _pipe_traces(np.full(n1, IMAGE_RIGHT), src_y, np.full(n1, xs[0]), ys[0], net_in, pipe_names)
    focus = int(np.argmax(probs)) if focus is None else focus
    for k in range(1, n_cols):
        e = np.asarray(edges[k])  # (n_out, n_in)
        yo, yi = np.meshgrid(ys[k], ys[k - 1], indexing="ij")
        keep, faint = strongest(e, max_pipes), np.zeros(e.shape, dtype=bool)
        if k == n_cols - 1:  # into the outlets: every pipe into the focus outlet, the rest pale
            keep[focus] = True
            faint[:] = True
            faint[focus] = False
        traces += _pipe_traces(np.full(e.size, xs[k - 1]), yi.ravel(), np.full(e.size, xs[k]), yo.ravel(),
                               e.ravel(), pipe_names, keep.ravel(), faint.ravel())
    widest: dict[str, go.Scatter] = {}
    for trace in traces:  # one legend entry per colour, shown on its widest pipe
        if trace.name not in widest or trace.line.width > widest[trace.name].line.width:
            widest[trace.name] = trace
    for trace in widest.values():
        trace.showlegend = True
    # valves: bow-tie markers coloured by signed activation, one column per hidden layer
    for k in range(n_cols - 1):
        a = np.asarray(layers[k + 1], dtype=float)
        scale = max(float(np.abs(a).max()), 1e-9)
        traces.append(go.Scatter(
            x=np.full(len(a), xs[k]), y=ys[k], mode="markers", showlegend=False,
            marker={"symbol": "bowtie", "size": 16 if len(a) <= 24 else 11, "color": np.abs(a) / scale, "cmin": 0,
                    "cmax": 1, "colorscale": OPEN_SCALE, "line": {"width": 1, "color": "#444"}, "opacity": 1},
            customdata=a, hovertemplate=f"{neuron_label} %{{pointNumber}}: %{{customdata:.3f}}<extra></extra>"))
    # outlets: the character, a jet of water whose length is its share, the winner in gold
    y_out, x_out = ys[-1], xs[-1]
    win = int(np.argmax(probs))
    jet_x = np.stack([np.full(len(probs), x_out + 0.25), x_out + 0.25 + 1.0 * probs, np.full(len(probs), np.nan)], 1)
    jet_y = np.stack([y_out, y_out, np.full(len(probs), np.nan)], 1)
    traces.append(go.Scatter(x=jet_x.ravel(), y=jet_y.ravel(), mode="lines", hoverinfo="skip", showlegend=False,
                             line={"color": WATER, "width": 9 if len(probs) <= 16 else 5}))
    traces.append(go.Scatter(
        x=np.full(len(probs), x_out), y=y_out, mode="markers+text", text=list(outlets), showlegend=False,
        textfont={"size": [20 if i == win else 15 for i in range(len(probs))],
                  "color": ["#000" if i == win else "#444" for i in range(len(probs))]},
        marker={"symbol": "square", "size": [30 if i == win else 24 for i in range(len(probs))],
                "color": ["#fff3c4" if i == win else "white" for i in range(len(probs))],
                "line": {"width": [4 if i == win else 1.5 for i in range(len(probs))],
                         "color": [WINNER if i == win else "#777" for i in range(len(probs))]}},
        customdata=probs, hovertemplate="%{text}: %{customdata:.1%}<extra></extra>"))
    traces.append(go.Scatter(x=x_out + 0.3 + probs, y=y_out, mode="text", text=[f"{p:.0%}" for p in probs],
                             textposition="middle right", hoverinfo="skip", showlegend=False,
                             textfont={"size": 11, "color": ["#000" if i == win else "#666" for i in range(len(probs))]}))
    if expected is not None and 0 <= expected < len(probs):
        traces.append(go.Scatter(x=[x_out - 0.32], y=[y_out[expected]], mode="markers", showlegend=False,
                                 hoverinfo="skip", marker={"symbol": "triangle-right", "size": 11, "color": "#2ca02c"}))
    labels = list(column_labels)[:n_cols + 1]
    traces.append(go.Scatter(x=[IMAGE_RIGHT / 2, *xs][:len(labels)], y=[1.04] * len(labels), mode="text", text=labels,
                             hoverinfo="skip", showlegend=False, textfont={"size": 12, "color": "#555"}))
    image_box = {"source": png_data_uri(image), "xref": "x", "yref": "y", "x": IMAGE_RIGHT, "y": 0.5,
                 "sizex": IMAGE_RIGHT, "sizey": 0.6, "xanchor": "right", "yanchor": "middle", "sizing": "contain",
                 "layer": "below"}
    fig = themed(go.Figure(data=traces), title, height)
    fig.update_layout(images=[image_box], legend={"y": -0.02, "yanchor": "top", "x": 0.5, "xanchor": "center"},
                      margin={"l": 10, "r": 10, "b": 30},
                      xaxis={"visible": False, "range": [-0.05, x_out + 1.65], "fixedrange": True},
                      yaxis={"visible": False, "range": [-0.02, 1.08], "fixedrange": True})
    return fig
