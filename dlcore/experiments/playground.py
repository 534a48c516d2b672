"""The playground: a small network learns to separate two classes of 2D points, and you watch inside.

What it teaches: each hidden neuron draws one soft line (or, deeper in, a bent shape built from the
neurons before it); the output mixes them into the decision boundary; training nudges every weight
until the boundary wraps the data. With no hidden layer the model is logistic regression: one
straight cut in the chosen features. What it simplifies: two classes only, one output neuron
(P(class 1) = sigmoid of its value), inputs on the fixed square [-6, 6]².

Besides the trainer, this module holds the plain computations the page draws: the 100×100 decision
grid, every neuron's output on a coarse grid, the weight matrices, and "turning a valve" (setting
one weight by hand).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import torch
from torch import nn

from dlcore import data, features, models
from dlcore.experiments import register
from dlcore.train import Trainer

EXTENT = 6.0  # the points live in about [-6, 6]²; every grid covers that square
MAX_LAYERS = 6
MAX_NEURONS = 8
MAX_NEURONS_ADVANCED = 32
MAX_POINTS = 2000
DATASETS = tuple(data.TOYS)
PLAYGROUND_ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear", "leaky_relu", "elu", "gelu", "silu")


@dataclass(frozen=True)
class PlaygroundConfig:
    """Everything that defines one playground experiment (also what the page keeps in the URL)."""

    dataset: str = "spiral"  # circle, xor, gaussians, spiral or moons: the spiral is the hardest
    points: int = 500  # as in TensorFlow Playground: enough to see the shape, quick to train on
    noise: float = 0.0  # 0..1, a fraction of each data set's own scale
    test_ratio: float = 0.5  # half the points are held out, so over-fitting shows
    batch_size: int = 250  # = the whole training set by default: smooth steps; try 10 for noisy ones
    features: str = "x1,x2"  # comma-separated names from dlcore.features.FEATURES
    hidden: str = "8,8"  # neurons per hidden layer; "" = no hidden layer = logistic regression
    activation: str = "tanh"  # smooth and centred on 0, the playground's classic choice
    lr: float = 0.1  # Adam's step size; tuned so the spiral is learned within 600 steps
    optimizer: str = "adam"  # sgd, momentum or adam
    l1: float = 0.0  # penalty on Σ|w|: pushes useless weights to exactly 0
    l2: float = 0.0  # penalty on Σw²: keeps all weights small, smoother boundaries
    steps: int = 3000  # a few seconds of training; Pause / Step / Reset any time
    seed: int = 0  # one seed for the data, the initial weights and the batch order
    advanced: bool = False  # lift the limit from 8 to 32 neurons per layer


def parse_hidden(text: str, advanced: bool = False) -> tuple[int, ...]:
    """Hidden layer sizes from "8,8" ("" = none), checked against the playground's limits."""
    try:
        sizes = tuple(int(s) for s in str(text).replace(" ", "").split(",") if s)
    except ValueError:
        raise ValueError(f"hidden layers must be whole numbers separated by commas, got {text!r}") from None
    cap = MAX_NEURONS_ADVANCED if advanced else MAX_NEURONS
    if len(sizes) > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} hidden layers, got {len(sizes)}")
    if any(not 1 <= s <= cap for s in sizes):
        raise ValueError(f"each hidden layer needs 1 to {cap} neurons, got {text!r}")
    return sizes


class TwoClassLogits(nn.Module):
    """One output neuron z becomes the two logits (0, z), so softmax gives P(class 1) = sigmoid(z).

    This keeps the drawing honest (one output neuron, as in TensorFlow Playground) while the
    standard cross-entropy loss and accuracy of `Trainer` still apply.
    """

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.cat([torch.zeros_like(z), z], 1)  # (N, 1) → (N, 2)


def build_model(cfg: PlaygroundConfig) -> nn.Sequential:
    """Features → hidden layers → one output neuron → two logits, seeded with cfg.seed."""
    names = features.parse(cfg.features)
    sizes = [len(names), *parse_hidden(cfg.hidden, cfg.advanced), 1]
    if cfg.activation not in models.ACTIVATIONS:
        raise ValueError(f"unknown activation {cfg.activation!r}; choose from {', '.join(PLAYGROUND_ACTIVATIONS)}")
    body = models.mlp(sizes, cfg.activation)
    net = nn.Sequential(features.FeatureLayer(names), *body, TwoClassLogits())
    return models.init_weights(net, cfg.seed)


def make_data(cfg: PlaygroundConfig) -> data.Dataset:
    """The seeded 2D data set of this config."""
    if not 10 <= cfg.points <= MAX_POINTS:
        raise ValueError(f"points must be between 10 and {MAX_POINTS}, got {cfg.points}")
    return data.toy2d(cfg.dataset, cfg.points, cfg.noise, cfg.test_ratio, cfg.seed)


@register("playground", PlaygroundConfig, "a small network separates two classes of 2D points")
def build(cfg: PlaygroundConfig) -> Trainer:
    """The playground's trainer; `trainer.config` keeps the config it was built from."""
    if cfg.l1 < 0 or cfg.l2 < 0:
        raise ValueError("L1 and L2 must be ≥ 0")
    ds = make_data(cfg)
    trainer = Trainer(build_model(cfg), ds, lr=cfg.lr, optimizer=cfg.optimizer, batch_size=cfg.batch_size,
                      steps=cfg.steps, l1=cfg.l1, l2=cfg.l2, seed=cfg.seed, eval_every=10, device="cpu")
    trainer.config = cfg  # type: ignore[attr-defined]
    return trainer


def config_from_strings(values: dict[str, str], base: PlaygroundConfig | None = None) -> PlaygroundConfig:
    """A config from text values (e.g. URL query parameters); unknown or malformed ones are ignored."""
    base = base or PlaygroundConfig()
    out = {}
    for f in fields(PlaygroundConfig):
        if f.name not in values:
            continue
        raw, kind = str(values[f.name]), type(getattr(base, f.name))
        try:
            out[f.name] = raw.lower() in ("1", "true", "yes", "on") if kind is bool else kind(raw)
        except ValueError:
            continue
    return PlaygroundConfig(**{**{f.name: getattr(base, f.name) for f in fields(base)}, **out})


def config_to_strings(cfg: PlaygroundConfig) -> dict[str, str]:
    """The config as text values (for the URL); the inverse of `config_from_strings`."""
    return {f.name: (str(int(v)) if isinstance(v := getattr(cfg, f.name), bool) else str(v)) for f in fields(cfg)}


# ----------------------------------------------------------------------------- what the page draws
def grid_points(resolution: int, extent: float = EXTENT) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Axis values xs, ys and the (resolution², 2) points of a square grid, row by row (y outer)."""
    xs = np.linspace(-extent, extent, resolution, dtype=np.float32)
    gx, gy = np.meshgrid(xs, xs)
    return xs, xs.copy(), np.stack([gx.ravel(), gy.ravel()], 1)


def _linears(model: nn.Sequential) -> list[nn.Linear]:
    return [m for m in model if isinstance(m, nn.Linear)]


@torch.no_grad()
def layer_outputs(model: nn.Sequential, points: np.ndarray) -> list[np.ndarray]:
    """What every neuron outputs for each point: [features (N, F), hidden 1 (N, h1), …, output P(1) (N, 1)]."""
    was_training = model.training
    model.eval()
    x = torch.as_tensor(np.asarray(points, dtype=np.float32))
    outs, linear_seen = [], False
    for module in model:
        if isinstance(module, TwoClassLogits):
            outs.append(torch.sigmoid(x))  # the output neuron, shown as P(class 1)
            break
        x = module(x)
        if isinstance(module, features.FeatureLayer):
            outs.append(x)
        elif isinstance(module, nn.Linear):
            linear_seen = True
        elif linear_seen and not isinstance(module, nn.Dropout):  # the activation after a hidden Linear
            outs.append(x)
            linear_seen = False
    model.train(was_training)
    return [o.numpy() for o in outs]


def decision_grid(model: nn.Sequential, resolution: int = 100,
                  extent: float = EXTENT) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """xs, ys and P(class 1) on a resolution × resolution grid (rows = ys)."""
    xs, ys, pts = grid_points(resolution, extent)
    with torch.no_grad():
        was_training = model.training
        model.eval()
        prob = model(torch.from_numpy(pts)).softmax(1)[:, 1].numpy()
        model.train(was_training)
    return xs, ys, prob.reshape(resolution, resolution)


def neuron_grids(model: nn.Sequential, resolution: int = 10, extent: float = EXTENT,
                 normalize: bool = True) -> list[np.ndarray]:
    """Every neuron's output on a coarse grid: per layer an array (neurons, res, res).

    With `normalize`, each map is scaled into [-1, 1] (by its largest |value|; the output neuron's
    P(1) becomes 2P − 1), so a small heatmap shows the neuron's pattern whatever its range.
    """
    _, _, pts = grid_points(resolution, extent)
    maps = [o.T.reshape(-1, resolution, resolution) for o in layer_outputs(model, pts)]
    if not normalize:
        return maps
    out = []
    for i, m in enumerate(maps):
        if i == len(maps) - 1:
            out.append(2 * m - 1)
        else:
            scale = np.abs(m).reshape(len(m), -1).max(1)
            out.append(m / np.where(scale > 0, scale, 1)[:, None, None])
    return out


def neuron_grid(model: nn.Sequential, layer: int, index: int, resolution: int = 60,
                extent: float = EXTENT) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """xs, ys and one neuron's raw output on a finer grid (layer 0 = features, last = output P(1))."""
    xs, ys, pts = grid_points(resolution, extent)
    out = layer_outputs(model, pts)[layer][:, index]
    return xs, ys, out.reshape(resolution, resolution)


def layer_sizes(model: nn.Sequential) -> list[int]:
    """Neurons per drawn layer: [features, hidden…, 1]."""
    linears = _linears(model)
    return [linears[0].in_features] + [lin.out_features for lin in linears]


def weights(model: nn.Sequential) -> list[np.ndarray]:
    """The weight matrices, input side first; matrix l is (neurons in layer l+1, neurons in layer l)."""
    return [lin.weight.detach().numpy().copy() for lin in _linears(model)]


def biases(model: nn.Sequential) -> list[np.ndarray]:
    """The bias of every neuron after the inputs, one vector per layer."""
    return [lin.bias.detach().numpy().copy() for lin in _linears(model)]


@torch.no_grad()
def set_weight(model: nn.Sequential, layer: int, to: int, frm: int, value: float) -> float:
    """Turn a valve: set the weight from neuron `frm` of layer `layer` to neuron `to` of the next; returns the old value."""
    lin = _linears(model)[layer]
    old = float(lin.weight[to, frm])
    lin.weight[to, frm] = float(value)
    return old


def neuron_labels(model: nn.Sequential) -> list[list[str]]:
    """Short names of every drawn neuron: feature names, then h1.1 …, then "out"."""
    names = next(m for m in model if isinstance(m, features.FeatureLayer)).names
    sizes = layer_sizes(model)
    labels = [[features.LABELS[n] for n in names]]
    labels += [[f"h{l}.{j + 1}" for j in range(n)] for l, n in enumerate(sizes[1:-1], start=1)]
    return labels + [["out"]]
