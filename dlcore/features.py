"""Hand-made input features for 2D points: x1, x2, x1², x2², x1·x2, sin x1, sin x2.

What it teaches: a network only sees the numbers you feed it. Give a plain linear model the feature
x1² + x2² (through x1² and x2²) and a ring becomes a straight cut; give it only x1 and x2 and it
needs hidden layers to bend its boundary. What it simplifies: the set is fixed (TensorFlow
Playground's seven), and there is no scaling, so x1² reaches 36 on the [-6, 6] square, as there.

The same transform exists twice, for NumPy (`transform`) and as a torch layer (`FeatureLayer`), and a
test checks that they agree, so the decision grid, the neuron heatmaps and training all see the
same inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn

SCALE = 6.0  # points live in about [-6, 6]²: x / 6 and x² / 36 keep every feature in about [-1, 1]

# name → (NumPy function, torch function) of the two raw coordinates a = x1, b = x2
_FUNCS: dict[str, tuple[Callable[[np.ndarray, np.ndarray], np.ndarray],
                        Callable[[torch.Tensor, torch.Tensor], torch.Tensor]]] = {
    "x1": (lambda a, b: a / SCALE, lambda a, b: a / SCALE),
    "x2": (lambda a, b: b / SCALE, lambda a, b: b / SCALE),
    "x1sq": (lambda a, b: a * a / SCALE**2, lambda a, b: a * a / SCALE**2),
    "x2sq": (lambda a, b: b * b / SCALE**2, lambda a, b: b * b / SCALE**2),
    "x1x2": (lambda a, b: a * b / SCALE**2, lambda a, b: a * b / SCALE**2),
    "sinx1": (lambda a, b: np.sin(a), lambda a, b: torch.sin(a)),
    "sinx2": (lambda a, b: np.sin(b), lambda a, b: torch.sin(b)),
}
FEATURES: tuple[str, ...] = tuple(_FUNCS)
LABELS: dict[str, str] = {"x1": "x1", "x2": "x2", "x1sq": "x1²", "x2sq": "x2²", "x1x2": "x1·x2",
                          "sinx1": "sin x1", "sinx2": "sin x2"}
DEFAULT = ("x1", "x2")


def parse(text: str | Sequence[str]) -> tuple[str, ...]:
    """Feature names from "x1,x2,x1sq" (or a list), in the canonical order, checked and de-duplicated."""
    names = [n.strip() for n in text.split(",")] if isinstance(text, str) else [str(n).strip() for n in text]
    names = [n for n in names if n]
    unknown = [n for n in names if n not in _FUNCS]
    if unknown:
        raise ValueError(f"unknown feature {unknown[0]!r}; choose from {', '.join(FEATURES)}")
    if not names:
        raise ValueError("choose at least one input feature")
    return tuple(n for n in FEATURES if n in names)


def transform(x: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """(N, 2) raw points → (N, len(names)) float32 features."""
    x = np.asarray(x, dtype=np.float32)
    a, b = x[:, 0], x[:, 1]
    return np.stack([_FUNCS[n][0](a, b) for n in parse(names)], 1).astype(np.float32)


class FeatureLayer(nn.Module):
    """The same transform as a torch layer, so a model takes raw (x1, x2) points."""

    def __init__(self, names: Sequence[str]):
        super().__init__()
        self.names = parse(names)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b = x[:, 0], x[:, 1]  # (N,), (N,)
        return torch.stack([_FUNCS[n][1](a, b) for n in self.names], 1)  # (N, F)

    def extra_repr(self) -> str:
        return ", ".join(self.names)
