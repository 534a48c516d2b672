"""Find and box every digit in a picture with a digit classifier: the sliding-window detector.

What it teaches: a classifier answers "what is in this 28×28 square?"; a detector answers "what is
where?". The oldest way to turn one into the other is to slide the square over the picture (at two
sizes, for big and small digits), ask the classifier about every position, keep the confident,
well-centred answers, and let each object keep only its best box (non-maximum suppression). Modern
detectors (YOLO, Faster R-CNN) share the convolutions between positions instead of recomputing them,
but they output the same thing: boxes, labels and scores. What it simplifies: a blank background,
digits only, a hand-made "is this a whole, centred digit?" score instead of a learned background class.

`make_scene` builds a seeded picture of real test digits with the true boxes; `detect` takes any
`predict(x (N, 1, 28, 28)) -> probabilities (N, 10)`, so it works with whichever model a page holds;
`evaluate` matches boxes by intersection over union (IoU) and reports precision and recall.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from dlcore import data
from dlcore.preprocess import INK, ink_bbox, resize

SIZE = 28  # the classifier's input side
MAX_DIGITS = 12  # more than this does not fit a laptop-sized scene anyway

Box = tuple[int, int, int, int]  # (top, left, bottom, right), bottom/right exclusive


@dataclass(frozen=True, eq=False)
class Scene:
    """A picture of digits and the truth about it."""

    image: np.ndarray  # (H, W) float32 in [0, 1], ink = 1
    boxes: np.ndarray  # (N, 4) int: tight box around each digit's ink (top, left, bottom, right)
    labels: np.ndarray  # (N,) int: the digit in each box
    seed: int


@dataclass(frozen=True)
class Detection:
    """One found object: where, what, and how sure."""

    box: Box
    label: int
    score: float  # class probability × "whole, centred digit" factor, in [0, 1]
    prob: float  # the classifier's probability for `label`


def iou(a: Box | np.ndarray, b: Box | np.ndarray) -> float:
    """Intersection over union of two boxes: 1 = identical, 0 = not touching."""
    h = min(a[2], b[2]) - max(a[0], b[0])
    w = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(0, h) * max(0, w)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def make_scene(n_digits: int = 5, height: int = 96, width: int = 160, seed: int = 0,
               min_size: int = 28, max_size: int = 36, gap: int = 2) -> Scene:
    """Place `n_digits` random held-out MNIST digits (each resized to min_size..max_size px) without overlap."""
    if not 1 <= n_digits <= MAX_DIGITS:
        raise ValueError(f"number of digits must be between 1 and {MAX_DIGITS}, got {n_digits}")
    if not SIZE // 2 <= min_size <= max_size:
        raise ValueError(f"digit sizes must satisfy {SIZE // 2} ≤ min ≤ max, got {min_size}..{max_size}")
    if height < max_size or width < max_size:
        raise ValueError(f"a {height}×{width} scene is smaller than a {max_size}-px digit")
    rng = np.random.default_rng(seed)
    ds = data.mnist()
    for _attempt in range(50):  # random placement can paint itself into a corner: start over
        placed = _place(rng, n_digits, height, width, min_size, max_size, gap)
        if placed is not None:
            break
    else:
        raise ValueError(f"{n_digits} digits do not fit a {height}×{width} scene; try fewer")
    image = np.zeros((height, width), dtype=np.float32)
    boxes, labels = [], []
    for top, left, size in placed:
        i = int(rng.integers(len(ds.x_test)))
        digit = np.clip(resize(ds.x_test[i, 0].astype(np.float64), size, size), 0, 1)  # (size, size)
        image[top:top + size, left:left + size] = np.maximum(image[top:top + size, left:left + size], digit)
        t, lt, b, r = ink_bbox(digit)  # the truth is the tight box around the ink, as a person would draw it
        boxes.append((top + t, left + lt, top + b, left + r))
        labels.append(int(ds.y_test[i]))
    return Scene(image, np.array(boxes, dtype=np.int64).reshape(-1, 4), np.array(labels, dtype=np.int64), seed)


def _place(rng: np.random.Generator, n: int, height: int, width: int, min_size: int, max_size: int,
           gap: int) -> list[tuple[int, int, int]] | None:
    """(top, left, size) of n non-overlapping squares, or None if the random placement got stuck."""
    taken: list[Box] = []  # occupied squares, grown by `gap`
    placed = []
    for _ in range(n):
        size = int(rng.integers(min_size, max_size + 1))
        for _try in range(200):
            top, left = int(rng.integers(0, height - size + 1)), int(rng.integers(0, width - size + 1))
            patch = (top - gap, left - gap, top + size + gap, left + size + gap)
            if all(iou(patch, other) == 0.0 for other in taken):
                taken.append(patch)
                placed.append((top, left, size))
                break
        else:
            return None
    return placed


def window_shape_scores(windows: np.ndarray) -> np.ndarray:
    """How much each (N, 28, 28) window looks like a whole, centred MNIST digit, in [0, 1].

    MNIST digits have (almost) no ink in the outer 2-pixel ring and their centre of mass within a
    pixel of (14, 14); a window cutting through a digit, or straddling two, breaks one or both.
    """
    total = windows.sum(axis=(1, 2)) + 1e-9  # (N,)
    border = 1.0 - windows[:, 2:-2, 2:-2].sum(axis=(1, 2)) / total  # share of ink in the outer ring
    r = np.arange(SIZE, dtype=np.float64)
    com_r = windows.sum(axis=2) @ r / total  # (N,)
    com_c = windows.sum(axis=1) @ r / total
    off = np.hypot(com_r - SIZE / 2, com_c - SIZE / 2)  # pixels from where MNIST puts it
    return np.exp(-border / 0.04) * np.exp(-(off / 2.0) ** 2)


def _windows(image: np.ndarray, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """All 28×28 windows at `stride` (N, 28, 28) and their top-left corners (N, 2)."""
    view = sliding_window_view(image, (SIZE, SIZE))[::stride, ::stride]  # (R, C, 28, 28)
    rows, cols = np.meshgrid(np.arange(view.shape[0]) * stride, np.arange(view.shape[1]) * stride, indexing="ij")
    return view.reshape(-1, SIZE, SIZE), np.stack([rows.ravel(), cols.ravel()], 1)


def nms(boxes: list[Box], scores: list[float], iou_threshold: float = 0.3) -> list[int]:
    """Non-maximum suppression: indices of boxes kept, best first; a box overlapping a kept one is dropped."""
    keep: list[int] = []
    for i in np.argsort(-np.asarray(scores), kind="stable"):
        if all(iou(boxes[i], boxes[k]) <= iou_threshold for k in keep):
            keep.append(int(i))
    return keep


def detect(image: np.ndarray, predict: Callable[[np.ndarray], np.ndarray], *, scales: tuple[float, ...] = (1.0, 0.7),
           stride: int = 2, min_score: float = 0.3, min_ink: float = 15.0, nms_iou: float = 0.3) -> list[Detection]:
    """Slide a 28×28 window over `image` at each scale, classify, score, refine each box to its ink, suppress overlaps.

    `predict` maps (N, 1, 28, 28) float32 in [0, 1] to class probabilities (N, K). Windows with less
    than `min_ink` ink near their middle are background, and windows whose shape score alone is below
    `min_score` cannot win: neither reaches the classifier (that is most windows).
    """
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2 or min(image.shape) < SIZE:
        raise ValueError(f"need a 2D image at least {SIZE}×{SIZE}, got shape {image.shape}")
    if stride < 1:
        raise ValueError(f"stride must be at least 1, got {stride}")
    boxes: list[Box] = []
    scores: list[float] = []
    found: list[tuple[int, float]] = []
    for scale in scales:
        h, w = round(image.shape[0] * scale), round(image.shape[1] * scale)
        if min(h, w) < SIZE:
            continue
        scaled = image if scale == 1.0 else resize(image, h, w)
        pad = SIZE // 2  # blank margin, so a digit at the picture's edge can still sit mid-window
        wins, corners = _windows(np.pad(scaled, pad), stride)
        corners = corners - pad
        inner = wins[:, 4:-4, 4:-4].sum(axis=(1, 2))  # ink near the middle: is anything there at all?
        shape = window_shape_scores(wins)
        busy = (inner >= min_ink * scale * scale) & (shape >= min_score)  # else the score cannot reach min_score
        if not busy.any():
            continue
        wins, corners = wins[busy], corners[busy]
        probs = predict(wins[:, None].astype(np.float32))  # (N, K)
        score = probs.max(1) * shape[busy]
        for j in np.flatnonzero(score >= min_score):
            top, left = corners[j] / scale
            t0, l0 = max(0, int(round(top))), max(0, int(round(left)))
            t1, l1 = int(round(top + SIZE / scale)), int(round(left + SIZE / scale))
            ink = ink_bbox(image[t0:t1, l0:l1], INK)
            if ink is None:
                continue
            boxes.append((t0 + ink[0], l0 + ink[1], t0 + ink[2], l0 + ink[3]))
            scores.append(float(score[j]))
            found.append((int(probs[j].argmax()), float(probs[j].max())))
    keep = nms(boxes, scores, nms_iou)
    return [Detection(boxes[i], found[i][0], scores[i], found[i][1]) for i in keep]


def evaluate(detections: list[Detection], scene: Scene, iou_threshold: float = 0.5) -> dict[str, float]:
    """Precision and recall of the boxes (a hit overlaps a true box by IoU ≥ threshold), and label accuracy of hits.

    Matching is greedy, best score first; each true box can be claimed once.
    """
    claimed: set[int] = set()
    hits = right = 0
    for det in sorted(detections, key=lambda d: -d.score):
        overlaps = [(iou(det.box, tb), k) for k, tb in enumerate(scene.boxes) if k not in claimed]
        best = max(overlaps, default=(0.0, -1))
        if best[0] >= iou_threshold:
            claimed.add(best[1])
            hits += 1
            right += int(det.label == scene.labels[best[1]])
    n_true, n_pred = len(scene.boxes), len(detections)
    return {
        "precision": hits / n_pred if n_pred else 1.0,
        "recall": hits / n_true if n_true else 1.0,
        "label_accuracy": right / hits if hits else 0.0,  # of the digits found, how many were read right
        "found_and_read": right / n_true if n_true else 1.0,  # box and label both right
        "true": float(n_true), "predicted": float(n_pred), "hits": float(hits),
    }
