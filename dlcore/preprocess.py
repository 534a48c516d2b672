"""Turning a drawing into an MNIST-style digit, one visible step at a time.

What it teaches: a network only works on inputs that look like its training data. MNIST digits were
made by cropping each digit to its ink, scaling the longer side to 20 pixels (keeping the aspect
ratio), and pasting it into a 28×28 frame so that its centre of mass sits in the middle. A drawing
has to go through the same steps before the network can read it. What it simplifies: plain NumPy,
area-averaging resize, integer centring shifts (as MNIST's own recipe does).

Every step is kept (`Steps`), so a page can show the canvas, the crop, the 20-pixel version, the
centred 28×28 frame and the normalised network input side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SIZE = 28  # side of the network's input, as in MNIST
BOX = 20  # the longer side of the digit after scaling, as in MNIST
INK = 0.1  # a pixel darker than this (0 = paper, 1 = ink) counts as ink
MIN_INK_PIXELS = 4  # fewer ink pixels than this is "nothing drawn"
MIN_INK_FRACTION = 1e-4  # …or fewer than this share of the canvas (a stray dot on a huge canvas)
MAX_SIDE = 8192  # refuse images larger than this on a side (memory)


class EmptyDrawing(ValueError):
    """The image holds no ink (or too little to be a digit); `ink_pixels` says how much was found."""

    def __init__(self, ink_pixels: int):
        super().__init__(f"nothing to read: only {ink_pixels} ink pixel(s) found; draw a digit first")
        self.ink_pixels = ink_pixels


@dataclass(frozen=True, eq=False)
class Steps:
    """Every intermediate image of the preprocessing, plus the numbers that produced them."""

    canvas: np.ndarray  # (H, W) the drawing as given, values 0..1, ink = 1
    bbox: tuple[int, int, int, int]  # (top, left, bottom, right) of the ink, bottom/right exclusive
    cropped: np.ndarray  # (h, w) the ink's bounding box
    scaled: np.ndarray  # (≤20, ≤20) longer side scaled to 20 px, aspect kept
    centred: np.ndarray  # (28, 28) pasted so the centre of mass is in the middle
    normalised: np.ndarray  # (28, 28) intensities stretched to 0..1 like the training data
    scale: float  # scaled size / cropped size
    shift: tuple[int, int]  # (rows, cols) moved to bring the centre of mass to the middle

    @property
    def x(self) -> np.ndarray:
        """The network input: (1, 1, 28, 28) float32."""
        return self.normalised[None, None].astype(np.float32)

    def images(self) -> list[np.ndarray]:
        """The step images in order: canvas, cropped, scaled, centred, normalised."""
        return [self.canvas, self.cropped, self.scaled, self.centred, self.normalised]


def as_gray(image: np.ndarray) -> np.ndarray:
    """A 2D float image in [0, 1] from a gray (H, W), (H, W, 1), RGB or RGBA array (0..1 or 0..255)."""
    img = np.asarray(image)
    if img.ndim == 3 and img.shape[2] in (1, 3, 4):
        if img.shape[2] == 4:  # RGBA: alpha is the ink of a transparent canvas
            img = img[..., 3]
        else:
            img = img[..., :3].mean(axis=2)
    if img.ndim != 2:
        raise ValueError(f"expected a 2D grayscale image, got shape {img.shape}")
    if img.shape[0] > MAX_SIDE or img.shape[1] > MAX_SIDE:
        raise ValueError(f"image of {img.shape[0]}×{img.shape[1]} is too large (max {MAX_SIDE} a side)")
    img = img.astype(np.float64)
    if not np.all(np.isfinite(img)):
        raise ValueError("image contains NaN or infinite values")
    if img.size and img.max() > 1.0:
        img = img / 255.0
    return np.clip(img, 0.0, 1.0)


def ink_bbox(image: np.ndarray, threshold: float = INK) -> tuple[int, int, int, int] | None:
    """(top, left, bottom, right) of pixels above `threshold` (bottom/right exclusive), None if none."""
    rows = np.flatnonzero((image > threshold).any(axis=1))
    cols = np.flatnonzero((image > threshold).any(axis=0))
    if rows.size == 0:
        return None
    return int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1


def _resample_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) weights: area averaging when shrinking, linear interpolation when growing."""
    if n_out <= n_in:  # each output pixel averages the input span it covers (fractional overlaps)
        edges = np.linspace(0.0, n_in, n_out + 1)
        lo, hi = edges[:-1, None], edges[1:, None]  # (n_out, 1)
        pix = np.arange(n_in)[None, :]  # (1, n_in)
        overlap = np.clip(np.minimum(hi, pix + 1) - np.maximum(lo, pix), 0.0, None)  # (n_out, n_in)
        return overlap / overlap.sum(axis=1, keepdims=True)
    centres = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5  # output centres in input coordinates
    centres = np.clip(centres, 0.0, n_in - 1)
    left = np.floor(centres).astype(int)
    right = np.minimum(left + 1, n_in - 1)
    frac = centres - left
    m = np.zeros((n_out, n_in))
    m[np.arange(n_out), left] += 1.0 - frac
    m[np.arange(n_out), right] += frac
    return m


def resize(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize a 2D image to (height, width): area-averaging down, bilinear up (anti-aliased, no deps)."""
    if height < 1 or width < 1:
        raise ValueError(f"target size must be at least 1×1, got {height}×{width}")
    rows = _resample_matrix(image.shape[0], height)  # (height, H)
    cols = _resample_matrix(image.shape[1], width)  # (width, W)
    return rows @ image @ cols.T  # (height, width)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, col) of the intensity-weighted centre, in pixel-centre coordinates."""
    total = image.sum()
    if total <= 0:
        return (image.shape[0] - 1) / 2, (image.shape[1] - 1) / 2
    r = np.arange(image.shape[0]) @ image.sum(axis=1) / total
    c = np.arange(image.shape[1]) @ image.sum(axis=0) / total
    return float(r), float(c)


def paste_centred(digit: np.ndarray, size: int = SIZE) -> tuple[np.ndarray, tuple[int, int]]:
    """Paste `digit` into a size×size frame with its centre of mass moved to the frame's centre.

    The shift is rounded to whole pixels and clamped so the digit never leaves the frame.
    Returns the frame and the (row, col) of the digit's top-left corner.
    """
    h, w = digit.shape
    if h > size or w > size:
        raise ValueError(f"digit of {h}×{w} does not fit a {size}×{size} frame")
    cr, cc = centre_of_mass(digit)
    mid = size / 2  # MNIST's digits have their centre of mass at pixel (14, 14), measured on data.mnist()
    top = int(np.clip(round(mid - cr), 0, size - h))
    left = int(np.clip(round(mid - cc), 0, size - w))
    frame = np.zeros((size, size))
    frame[top:top + h, left:left + w] = digit
    return frame, (top, left)


def normalise(image: np.ndarray) -> np.ndarray:
    """Stretch intensities so the darkest ink is 1.0, as in the training digits (values 0..1)."""
    peak = image.max()
    return np.clip(image / peak, 0.0, 1.0) if peak > 0 else image


def preprocess(image: np.ndarray, threshold: float = INK) -> Steps:
    """Crop to the ink, scale the longer side to 20 px, centre by mass in 28×28, normalise.

    Raises `EmptyDrawing` when there is (almost) no ink, and ValueError for an unusable array.
    """
    canvas = as_gray(image)
    ink = int((canvas > threshold).sum())
    if ink < max(MIN_INK_PIXELS, MIN_INK_FRACTION * canvas.size):
        raise EmptyDrawing(ink)
    bbox = ink_bbox(canvas, threshold)
    assert bbox is not None  # ink > 0 above
    top, left, bottom, right = bbox
    cropped = canvas[top:bottom, left:right]
    h, w = cropped.shape
    scale = BOX / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    scaled = np.clip(resize(cropped, new_h, new_w), 0.0, 1.0)
    centred, (row, col) = paste_centred(scaled)
    shift = (row - (SIZE - new_h) // 2, col - (SIZE - new_w) // 2)  # vs. centring the box itself
    return Steps(canvas, bbox, cropped, scaled, centred, normalise(centred), scale, shift)


def to_canvas(digit: np.ndarray, size: int = 280, seed: int = 0) -> np.ndarray:
    """A 28×28 digit enlarged 4-8× and put at a random place on a size×size canvas, like a drawing."""
    if size < 2 * SIZE:
        raise ValueError(f"canvas must be at least {2 * SIZE} px, got {size}")
    rng = np.random.default_rng(seed)
    side = int(rng.integers(size * 4 // 10, size * 8 // 10 + 1))  # the digit's 28-px frame, enlarged
    big = np.clip(resize(np.asarray(digit, dtype=np.float64).reshape(SIZE, SIZE), side, side), 0.0, 1.0)
    top, left = (int(v) for v in rng.integers(0, size - side + 1, 2))
    canvas = np.zeros((size, size))
    canvas[top:top + side, left:left + side] = big
    return canvas
