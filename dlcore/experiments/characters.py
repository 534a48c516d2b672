"""The 田 water-pipe network: an MLP learns to tell drawn characters such as 田 日 目 口 apart.

What it teaches: an image "flows" into the network; every weight is a valve that lets more or less of
a neuron's activation through to the next layer; training turns the valves until the outlet labelled
with the right character carries the most flow. What it simplifies: "flow" here is the magnitude of
each neuron's activation and of each edge's contribution |activation × weight| — real water would
never flow backwards, but a negative contribution (it closes the next valve) is shown by colour.

Besides the trainer this module holds the pure computations the page draws: the flow through the
network for one input, predictions, the most-confused test examples, the confusion matrix, fitting a
free-hand drawing to the network's input size, and "welding" (freezing) a trained network.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from dlcore import data, models, preprocess
from dlcore.experiments import register
from dlcore.train import OPTIMIZERS, Trainer

MAX_HIDDEN_LAYERS = 4  # deeper pipe networks add nothing to this lesson but drawing clutter
MAX_NEURONS = 128  # per hidden layer; the pipe figure stays readable up to about 64


@dataclass(frozen=True)
class CharactersConfig:
    """Settings for the 田 water-pipe network."""

    chars: str = "田日目口十王土工干中二三"  # the classes, one character each; all 12 stroke characters
    size: int = 16  # image side in pixels: 16×16 = 256 input pipes, enough to see every stroke
    samples: int = 150  # drawn samples per character (a quarter held out as the test set)
    hidden: str = "32,16"  # neurons per hidden layer, comma separated: two small rows of valves
    activation: str = "relu"  # relu never lets negative "water" through, which fits the metaphor
    optimizer: str = "adam"  # reaches 98% in a few hundred steps without tuning
    lr: float = 0.002  # small enough that the valves turn visibly over a few seconds of training
    batch_size: int = 32  # examples per step
    steps: int = 1500  # ≈ 2 s on one laptop core; ≥ 98% test accuracy is reached by about step 500
    seed: int = 0  # drawing jitter, test split, weight init and batch order


def parse_hidden(text: str) -> list[int]:
    """'32,16' → [32, 16]; '' or '0' → [] (no hidden layer: logistic regression)."""
    parts = [p.strip() for p in str(text).replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    try:
        sizes = [int(p) for p in parts]
    except ValueError:
        raise ValueError(f"hidden sizes must be whole numbers separated by commas, got {text!r}") from None
    sizes = [s for s in sizes if s != 0]
    if any(s < 0 or s > MAX_NEURONS for s in sizes):
        raise ValueError(f"each hidden layer needs 1 to {MAX_NEURONS} neurons, got {text!r}")
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(sizes)}")
    return sizes


def classes(cfg: CharactersConfig) -> tuple[str, ...]:
    """The distinct characters of the config, in order (spaces and commas ignored)."""
    return tuple(dict.fromkeys(cfg.chars.replace(" ", "").replace(",", "")))


def validate(cfg: CharactersConfig) -> None:
    """Raise ValueError with a plain message when a setting cannot work (cheap: nothing is built)."""
    chars = classes(cfg)
    if len(chars) < 2:
        raise ValueError(f"need at least two different characters, got {cfg.chars!r}")
    unknown = [c for c in chars if c not in data.CHARACTER_STROKES]
    if unknown:
        raise ValueError(f"no strokes for {''.join(unknown)}; known: {''.join(data.CHARACTERS)}")
    if not 8 <= cfg.size <= 64:
        raise ValueError(f"size must be between 8 and 64 pixels, got {cfg.size}")
    if not 4 <= cfg.samples <= 2000:
        raise ValueError(f"samples per character must be between 4 and 2000, got {cfg.samples}")
    parse_hidden(cfg.hidden)
    if cfg.activation not in models.ACTIVATIONS:
        raise ValueError(f"unknown activation {cfg.activation!r}; choose from {sorted(models.ACTIVATIONS)}")
    if cfg.optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {cfg.optimizer!r}; choose from {OPTIMIZERS}")


def dataset(cfg: CharactersConfig) -> data.Dataset:
    """The drawn characters the config asks for (a quarter of each class held out for testing)."""
    validate(cfg)
    return data.characters(n_per_class=cfg.samples, size=cfg.size, chars=classes(cfg), seed=cfg.seed)


def network(cfg: CharactersConfig, n_classes: int) -> nn.Sequential:
    """The pipe network: flatten the image, hidden rows of valves, one outlet per character."""
    sizes = [cfg.size * cfg.size, *parse_hidden(cfg.hidden), n_classes]
    return models.init_weights(models.mlp(sizes, cfg.activation, flatten=True), cfg.seed)


@register("characters", CharactersConfig, "the 田 water-pipe network: an MLP tells drawn characters apart")
def build(cfg: CharactersConfig) -> Trainer:
    """The trainer: mini-batch classification of the drawn characters by a small MLP."""
    ds = dataset(cfg)
    return Trainer(network(cfg, len(ds.classes)), ds, lr=cfg.lr, optimizer=cfg.optimizer,
                   batch_size=cfg.batch_size, steps=cfg.steps, seed=cfg.seed, eval_every=25)


# ----------------------------------------------------------------------------- flow through the pipes

@dataclass(frozen=True)
class Flow:
    """What one input does inside the network.

    `layers[0]` is the input (the flattened image), then each hidden layer's activations, then the
    outlets' logits. `edges[k]` (out, in) is the signed contribution activation × weight from layer k
    to layer k+1; its magnitude is the flow along that pipe. `probs` is the share of water per outlet.
    """

    image: np.ndarray  # (H, W)
    layers: list[np.ndarray]  # each (n_k,)
    edges: list[np.ndarray]  # each (n_{k+1}, n_k), signed
    probs: np.ndarray  # (n_classes,)

    @property
    def magnitudes(self) -> list[np.ndarray]:
        """Activation magnitude per neuron per layer (the outlets' entry is the softmax share)."""
        return [np.abs(a) for a in self.layers[:-1]] + [self.probs]

    @property
    def edge_flow(self) -> list[np.ndarray]:
        """Per-edge flow |activation × weight|."""
        return [np.abs(e) for e in self.edges]

    @property
    def winner(self) -> int:
        """The outlet that carries the most flow (the prediction)."""
        return int(np.argmax(self.probs))


@torch.no_grad()
def flow(model: nn.Sequential, image: np.ndarray) -> Flow:
    """Push one (H, W) image through an MLP built by `models.mlp(..., flatten=True)` and record the flow."""
    model.eval()
    device = next(model.parameters()).device
    img = np.asarray(image, dtype=np.float32)
    x = torch.as_tensor(img, device=device).reshape(1, -1)  # (1, H*W)
    layers, edges = [x[0].cpu().numpy()], []
    for module in model:
        if isinstance(module, nn.Flatten):
            continue
        if isinstance(module, nn.Linear):
            edges.append((module.weight * x[0][None, :]).cpu().numpy())  # (out, in) = w_ij · a_j
            x = module(x)
            layers.append(x[0].cpu().numpy())
        else:  # activation (or dropout, a no-op in eval mode): the valve row's output replaces its input
            x = module(x)
            layers[-1] = x[0].cpu().numpy()
    probs = torch.softmax(x[0], 0).cpu().numpy()
    return Flow(img, layers, edges, probs)


predict_proba = models.predict_proba  # (N, C) class probabilities for images (N, 1, H, W)
confusion_matrix = models.confusion_matrix


@dataclass(frozen=True)
class Confusions:
    """The misclassified test examples, most confidently wrong first."""

    images: np.ndarray  # (K, H, W)
    true: np.ndarray  # (K,) class ids
    pred: np.ndarray  # (K,)
    confidence: np.ndarray  # (K,) probability given to the wrong class
    index: np.ndarray  # (K,) position in the test set


def most_confused(probs: np.ndarray, x: np.ndarray, y: np.ndarray, k: int = 16) -> Confusions:
    """The (at most) k test examples the network gets wrong with the highest confidence."""
    pred = probs.argmax(1)
    order = models.most_confused(probs, y, k)
    return Confusions(np.asarray(x)[order, 0], y[order], pred[order], probs[order, pred[order]], order)


# ----------------------------------------------------------------------------- inputs

def resize(image: np.ndarray, size: int) -> np.ndarray:
    """An (H, W) image resized to (size, size): area-averaged when shrinking."""
    return preprocess.resize(np.asarray(image, dtype=np.float32), size, size).astype(np.float32)


def fit_drawing(drawing: np.ndarray, size: int, fill: float = 0.76, threshold: float = 0.1) -> np.ndarray | None:
    """Crop a free-hand drawing (H, W; ink = 1) to its ink, keep its aspect, centre it like the training
    characters (longest side ≈ `fill` of the frame) and shrink it to (size, size). None if there is no ink."""
    img = np.asarray(drawing, dtype=np.float32)
    if img.ndim != 2 or img.size == 0:
        raise ValueError(f"expected a 2D grayscale image, got shape {img.shape}")
    if img.mean() > 0.5:  # white ink on black paper is fine; black ink on white paper is flipped
        img = 1.0 - img
    box = preprocess.ink_bbox(img, threshold)
    if box is None:
        return None
    top, left, bottom, right = box
    crop = img[top:bottom, left:right]
    side = int(np.ceil(max(crop.shape) / fill))
    canvas = np.zeros((side, side), dtype=np.float32)
    top, left = (side - crop.shape[0]) // 2, (side - crop.shape[1]) // 2
    canvas[top:top + crop.shape[0], left:left + crop.shape[1]] = crop
    small = resize(canvas, size)
    return (small / max(float(small.max()), 1e-6)).clip(0, 1).astype(np.float32)  # full-strength ink


def as_input(image: np.ndarray, size: int) -> np.ndarray:
    """An (H, W) image at the network's input size (resized only when the sizes differ)."""
    img = np.asarray(image, dtype=np.float32)
    return img if img.shape == (size, size) else resize(img, size)


def sample(ds: data.Dataset, label: int, index: int) -> np.ndarray:
    """The `index`-th test image (H, W) of class `label` (wrapping around)."""
    where = np.flatnonzero(ds.y_test == label)
    if len(where) == 0:
        raise ValueError(f"class {label} has no test examples")
    return ds.x_test[where[index % len(where)], 0]


# ----------------------------------------------------------------------------- welding

@dataclass(frozen=True, eq=False)
class Welded:
    """A trained network with its valves welded shut: a frozen copy that training can no longer turn."""

    name: str
    model: nn.Sequential = field(repr=False)
    classes: tuple[str, ...]
    size: int
    steps: int
    test_acc: float
    config: CharactersConfig

    def flow(self, image: np.ndarray) -> Flow:
        """The flow of one image (resized to this network's input size when needed)."""
        return flow(self.model, as_input(image, self.size))


def weld(trainer: Trainer, cfg: CharactersConfig, name: str = "") -> Welded:
    """Freeze a copy of the trainer's current weights (requires_grad off, eval mode) with its test accuracy."""
    model = copy.deepcopy(trainer.model).cpu().eval()
    for p in model.parameters():
        p.requires_grad_(False)
    probs = predict_proba(model, trainer.data.x_test)
    acc = float((probs.argmax(1) == trainer.data.y_test).mean())
    return Welded(name or f"#{trainer.steps}", model, tuple(trainer.data.classes), cfg.size, trainer.steps, acc, cfg)
