"""What a CNN can output, drawn by us: class scores, boxes, a per-pixel mask, face landmarks, a pose skeleton.

What it teaches: the same convolutional features feed very different answers. Classification gives
one label for the whole picture; detection gives a box, a label and a score per object; segmentation
gives a class for every pixel; face-landmark models give a fixed list of points on a face; pose models
give body keypoints joined into a skeleton. What it simplifies: the overview pictures are cartoons we
draw from shapes, and their "outputs" are the exact geometry we drew them from (no model involved),
so the figures show the *form* of each output, not a model's accuracy. The live detector's boxes show
real data passed in by the page (the drawing's own pictures are in dlcore.figures.cnn).

Builders here are pure: arrays in, a plotly Figure out; titles and labels are parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dlcore.figures.theme import CLASS_COLORS, NEGATIVE, NEUTRAL, POSITIVE, themed

Box = Sequence[int]  # (top, left, bottom, right), bottom/right exclusive


# ----------------------------------------------------------------------------- pictures and boxes

def _image_trace(image: np.ndarray) -> go.BaseTraceType:
    """A grayscale (H, W) heatmap (ink dark) or an RGB (H, W, 3) picture."""
    image = np.asarray(image)
    if image.ndim == 3:
        return go.Image(z=image.astype(np.uint8), hoverinfo="skip")
    return go.Heatmap(z=image, colorscale="gray_r", zmin=0, zmax=1, showscale=False, hoverinfo="skip")


def _picture_axes(fig: go.Figure, shape: tuple[int, ...]) -> None:
    fig.update_xaxes(visible=False, range=[-0.5, shape[1] - 0.5], constrain="domain")
    fig.update_yaxes(visible=False, range=[shape[0] - 0.5, -0.5], scaleanchor="x")


def boxes(image: np.ndarray, found: Sequence[Box], labels: Sequence[str], scores: Sequence[float] = (),
          truth: Sequence[Box] = (), title: str = "", height: int = 360, truth_name: str = "truth",
          found_name: str = "found") -> go.Figure:
    """A picture with found boxes (solid, labelled "label score") and optional true boxes (dashed grey)."""
    image = np.asarray(image)
    fig = go.Figure(_image_trace(image))
    for t, lt, b, r in truth:
        fig.add_shape(type="rect", x0=lt - 0.5, y0=t - 0.5, x1=r - 0.5, y1=b - 0.5,
                      line={"color": "#9aa0a6", "width": 2, "dash": "dash"})
    for i, (t, lt, b, r) in enumerate(found):
        color = CLASS_COLORS[i % len(CLASS_COLORS)] if image.ndim == 3 else POSITIVE
        fig.add_shape(type="rect", x0=lt - 0.5, y0=t - 0.5, x1=r - 0.5, y1=b - 0.5, line={"color": color, "width": 3})
        text = f"{labels[i]} {scores[i]:.2f}" if i < len(scores) else str(labels[i])
        fig.add_annotation(x=lt - 0.5, y=t - 0.5, text=text, showarrow=False, xanchor="left", yanchor="bottom",
                           font={"color": "white", "size": 12}, bgcolor=color, borderpad=1)
    if truth:  # legend entries for the two kinds of box (shapes have none)
        for name, style in ((found_name, {"color": POSITIVE, "width": 3}),
                            (truth_name, {"color": "#9aa0a6", "width": 2, "dash": "dash"})):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=name, line=style))
    _picture_axes(fig, image.shape)
    return themed(fig, title, height)


# ----------------------------------------------------------------------------- the cartoon scene

@dataclass(frozen=True, eq=False)
class Cartoon:
    """A drawn picture and the exact answers each kind of model would be trained to give about it."""

    image: np.ndarray  # (H, W, 3) uint8
    mask: np.ndarray  # (H, W) int: class id of every pixel (index into `mask_classes`)
    mask_classes: tuple[str, ...]
    objects: tuple[tuple[str, Box], ...]  # (class name, box) per object
    keypoints: dict[str, tuple[float, float]]  # body keypoint name -> (x, y)
    skeleton: tuple[tuple[str, str], ...]  # which keypoints a limb joins


@dataclass(frozen=True, eq=False)
class Face:
    """A drawn face and its landmark points."""

    image: np.ndarray  # (H, W, 3) uint8
    landmarks: dict[str, tuple[float, float]]  # name -> (x, y)


SKY, GRASS, HOUSE, ROOF, WINDOW, TRUNK, LEAVES, SKIN, SHIRT, DARK, SUN = (
    (198, 225, 245), (150, 200, 120), (222, 170, 120), (170, 70, 60), (120, 170, 210), (120, 85, 50),
    (60, 140, 70), (240, 200, 170), (150, 90, 170), (50, 50, 60), (250, 205, 60))
MASK_CLASSES = ("background", "person", "house", "tree")


def _grid(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    return np.mgrid[0:h, 0:w].astype(np.float64)[::-1]  # x (cols), y (rows)


def _segment_mask(x: np.ndarray, y: np.ndarray, p0: tuple[float, float], p1: tuple[float, float],
                  width: float) -> np.ndarray:
    """Pixels within width/2 of the segment p0-p1 ((x, y) points)."""
    (x0, y0), (x1, y1) = p0, p1
    dx, dy = x1 - x0, y1 - y0
    t = np.clip(((x - x0) * dx + (y - y0) * dy) / max(dx * dx + dy * dy, 1e-9), 0, 1)
    return np.hypot(x - (x0 + t * dx), y - (y0 + t * dy)) <= width / 2


def cartoon(height: int = 150, width: int = 240) -> Cartoon:
    """A person, a house, a tree and the sun on grass: the picture, its mask, its boxes and the pose."""
    x, y = _grid(height, width)
    img = np.zeros((height, width, 3), dtype=np.uint8)
    mask = np.zeros((height, width), dtype=np.int64)
    img[:] = SKY
    img[y > height * 0.72] = GRASS
    img[np.hypot(x - width * 0.9, y - height * 0.14) < height * 0.08] = SUN

    def paint(region: np.ndarray, color: tuple[int, int, int], cls: int) -> None:
        img[region] = color
        mask[region] = cls

    # house: wall, roof (a triangle), window, door
    hl, hr, ht, hb = width * 0.36, width * 0.62, height * 0.42, height * 0.80
    paint((x >= hl) & (x <= hr) & (y >= ht) & (y <= hb), HOUSE, 2)
    apex_x, apex_y = (hl + hr) / 2, height * 0.2
    roof = (y <= ht) & (y >= apex_y) & (np.abs(x - apex_x) <= (y - apex_y) / (ht - apex_y) * (hr - hl) * 0.6)
    paint(roof, ROOF, 2)
    paint((x >= hl + 8) & (x <= hl + 24) & (y >= ht + 10) & (y <= ht + 24), WINDOW, 2)
    paint((x >= hr - 24) & (x <= hr - 10) & (y >= hb - 28) & (y <= hb), DARK, 2)
    # tree: trunk and a round crown
    tx = width * 0.77
    paint((np.abs(x - tx) <= 4) & (y >= height * 0.5) & (y <= height * 0.84), TRUNK, 3)
    paint(np.hypot(x - tx, y - height * 0.4) <= height * 0.17, LEAVES, 3)
    # person: drawn from its own keypoints, so the pose figure is exactly right
    px, top = width * 0.17, height * 0.22
    s = height / 150
    # seen from the front, the person's left side is on the picture's right
    kp = {"head": (px, top + 9 * s), "neck": (px, top + 22 * s),
          "right_shoulder": (px - 9 * s, top + 25 * s), "left_shoulder": (px + 9 * s, top + 25 * s),
          "right_elbow": (px - 17 * s, top + 42 * s), "left_elbow": (px + 15 * s, top + 40 * s),
          "right_wrist": (px - 20 * s, top + 58 * s), "left_wrist": (px + 27 * s, top + 30 * s),
          "right_hip": (px - 6 * s, top + 60 * s), "left_hip": (px + 6 * s, top + 60 * s),
          "right_knee": (px - 10 * s, top + 80 * s), "left_knee": (px + 10 * s, top + 80 * s),
          "right_ankle": (px - 12 * s, top + 100 * s), "left_ankle": (px + 14 * s, top + 99 * s)}
    skeleton = (("head", "neck"), ("neck", "left_shoulder"), ("neck", "right_shoulder"),
                ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
                ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"),
                ("left_shoulder", "left_hip"), ("right_shoulder", "right_hip"), ("left_hip", "right_hip"),
                ("left_hip", "left_knee"), ("left_knee", "left_ankle"),
                ("right_hip", "right_knee"), ("right_knee", "right_ankle"))
    for a, b in skeleton[1:]:
        limb = _segment_mask(x, y, kp[a], kp[b], 6 * s)
        paint(limb, SHIRT if "hip" in a + b or "shoulder" in a + b else SKIN, 1)
    torso = _segment_mask(x, y, kp["neck"], ((kp["left_hip"][0] + kp["right_hip"][0]) / 2, kp["left_hip"][1]), 14 * s)
    paint(torso, SHIRT, 1)
    paint(np.hypot(x - kp["head"][0], y - kp["head"][1]) <= 9 * s, SKIN, 1)
    objects = tuple((name, _mask_box(mask == cls)) for name, cls in (("person", 1), ("house", 2), ("tree", 3)))
    return Cartoon(img, mask, MASK_CLASSES, objects, kp, skeleton)


def _mask_box(region: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.flatnonzero(region.any(1)), np.flatnonzero(region.any(0))
    return int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1


def face(size: int = 160) -> Face:
    """A drawn face and 23 landmarks: jaw line, brows, eyes, nose and mouth (x, y in pixels)."""
    x, y = _grid(size, size)
    c = size / 2
    img = np.full((size, size, 3), 245, dtype=np.uint8)
    rx, ry = size * 0.32, size * 0.42
    img[((x - c) / rx) ** 2 + ((y - c) / ry) ** 2 <= 1] = SKIN
    marks: dict[str, tuple[float, float]] = {}
    for i, a in enumerate(np.linspace(0.15 * np.pi, 0.85 * np.pi, 7)):  # jaw: lower half of the oval
        marks[f"jaw_{i}"] = (c - rx * np.cos(a), c + ry * np.sin(a))
    for side, sx in (("right", -1), ("left", 1)):  # the face looks at us: its left eye is on our right
        ex, ey = c + sx * size * 0.13, c - size * 0.06
        img[((x - ex) / (size * 0.06)) ** 2 + ((y - ey) / (size * 0.03)) ** 2 <= 1] = (255, 255, 255)
        img[np.hypot(x - ex, y - ey) <= size * 0.022] = DARK
        marks[f"{side}_eye_outer"] = (ex + sx * size * 0.06, ey)
        marks[f"{side}_eye_inner"] = (ex - sx * size * 0.06, ey)
        marks[f"{side}_eye_top"] = (ex, ey - size * 0.03)
        marks[f"{side}_eye_bottom"] = (ex, ey + size * 0.03)
        brow = (ex - size * 0.07, ey - size * 0.08), (ex + size * 0.07, ey - size * 0.08)
        img[_segment_mask(x, y, brow[0], brow[1], size * 0.018)] = (110, 80, 60)
        marks[f"{side}_brow_outer"] = brow[1] if sx > 0 else brow[0]
        marks[f"{side}_brow_inner"] = brow[0] if sx > 0 else brow[1]
    nose = (c, c + size * 0.09)
    img[_segment_mask(x, y, (c, c - size * 0.02), nose, size * 0.015)] = (190, 140, 120)
    marks["nose_tip"] = nose
    mouth_y = c + size * 0.22
    smile = (np.abs(x - c) <= size * 0.12) & (np.abs(y - (mouth_y + ((x - c) / (size * 0.12)) ** 2 * -size * 0.03)) <= size * 0.012)
    img[smile] = ROOF
    marks["mouth_left"], marks["mouth_right"] = (c - size * 0.12, mouth_y - size * 0.03), (c + size * 0.12, mouth_y - size * 0.03)
    marks["mouth_centre"] = (c, mouth_y)
    return Face(img, marks)


def classification(image: np.ndarray, classes: Sequence[str], scores: Sequence[float], title: str = "",
                   height: int = 300) -> go.Figure:
    """A picture and one score per class for the whole picture."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.08)
    fig.add_trace(_image_trace(image), row=1, col=1)
    order = np.argsort(scores)
    best = int(np.argmax(scores))
    fig.add_trace(go.Bar(x=[scores[i] for i in order], y=[classes[i] for i in order], orientation="h",
                         marker_color=[POSITIVE if i == best else NEGATIVE for i in order],
                         text=[f"{scores[i]:.0%}" for i in order], textposition="outside", cliponaxis=False,
                         hoverinfo="skip"), row=1, col=2)
    fig.update_xaxes(visible=False, constrain="domain", row=1, col=1)
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", row=1, col=1)
    fig.update_xaxes(range=[0, 1.2], tickformat=".0%", row=1, col=2)
    fig.update_layout(showlegend=False)
    return themed(fig, title, height)


def segmentation(image: np.ndarray, mask: np.ndarray, classes: Sequence[str], title: str = "",
                 height: int = 300) -> go.Figure:
    """The picture and, beside it, the class of every pixel as a colour (background left neutral)."""
    palette = [NEUTRAL] + [CLASS_COLORS[(i + 1) % len(CLASS_COLORS)] for i in range(len(classes) - 1)]
    n = len(classes)
    scale = [[v, palette[i]] for i in range(n) for v in (i / n, (i + 1) / n)]
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.03)
    fig.add_trace(_image_trace(image), row=1, col=1)
    fig.add_trace(go.Heatmap(z=mask, zmin=-0.5, zmax=n - 0.5, colorscale=scale, showscale=False,
                             customdata=np.asarray(classes, dtype=object)[mask],
                             hovertemplate="%{customdata}<extra></extra>"), row=1, col=2)
    for i, name in enumerate(classes):  # legend: one coloured marker per class
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name,
                                 marker={"color": palette[i], "size": 12, "symbol": "square"}), row=1, col=2)
    for col, axis in ((1, ""), (2, "2")):
        fig.update_xaxes(visible=False, range=[-0.5, mask.shape[1] - 0.5], constrain="domain", row=1, col=col)
        fig.update_yaxes(visible=False, range=[mask.shape[0] - 0.5, -0.5], scaleanchor=f"x{axis}", row=1, col=col)
    return themed(fig, title, height)


def landmarks(image: np.ndarray, points: dict[str, tuple[float, float]], title: str = "",
              height: int = 340) -> go.Figure:
    """A face with its landmark points (hover shows each point's name)."""
    fig = go.Figure(_image_trace(image))
    names = list(points)
    fig.add_trace(go.Scatter(x=[points[k][0] for k in names], y=[points[k][1] for k in names], mode="markers",
                             text=names, hovertemplate="%{text}<br>(%{x:.0f}, %{y:.0f})<extra></extra>",
                             marker={"color": POSITIVE, "size": 9, "line": {"color": "white", "width": 1.5}},
                             showlegend=False))
    _picture_axes(fig, np.asarray(image).shape)
    return themed(fig, title, height)


def pose(image: np.ndarray, keypoints: dict[str, tuple[float, float]], skeleton: Sequence[tuple[str, str]],
         title: str = "", height: int = 300, crop: Box | None = None) -> go.Figure:
    """A picture with body keypoints joined into a skeleton (left limbs blue, right orange); `crop` zooms in."""
    if crop is not None:
        t, lt, b, r = crop
        image = np.asarray(image)[t:b, lt:r]
        keypoints = {k: (x - lt, y - t) for k, (x, y) in keypoints.items()}
    fig = go.Figure(_image_trace(image))
    for a, b in skeleton:
        left, right = "left" in a + b, "right" in a + b
        color = "#333333" if left == right else NEGATIVE if left else POSITIVE  # the person's own left / right
        fig.add_trace(go.Scatter(x=[keypoints[a][0], keypoints[b][0]], y=[keypoints[a][1], keypoints[b][1]],
                                 mode="lines", line={"color": color, "width": 4}, hoverinfo="skip",
                                 showlegend=False))
    names = list(keypoints)
    fig.add_trace(go.Scatter(x=[keypoints[k][0] for k in names], y=[keypoints[k][1] for k in names],
                             mode="markers", text=names, hovertemplate="%{text}<extra></extra>", showlegend=False,
                             marker={"color": "white", "size": 8, "line": {"color": "#333333", "width": 2}}))
    _picture_axes(fig, np.asarray(image).shape)
    return themed(fig, title, height)
