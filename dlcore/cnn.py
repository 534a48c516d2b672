"""Convolutional networks on real digits: the CNN, a comparable MLP, shift augmentation and what to look at.

What it teaches: a convolution layer slides a few small learned kernels over the image, so the same
detector (an edge, a stroke end) is found wherever it sits; pooling keeps the strongest answer of each
neighbourhood, so a digit moved by a pixel or two still looks the same to the next layer. With far fewer
weights than a fully connected network, a CNN learns digits faster and generalises better. What it
simplifies: 1-3 conv blocks ("same" padding, ReLU, optional 2×2 max pooling), one hidden dense layer,
28×28 grayscale inputs, 10 classes.

Everything a page shows is computed here and returned as NumPy arrays: feature maps of every layer,
first-layer kernels, the confusion matrix, the most confidently wrong test digits.
"""

from __future__ import annotations

import dataclasses
import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from dlcore import models

PRETRAINED = Path(__file__).resolve().parent / "pretrained" / "cnn_mnist.pt"
KERNELS = (3, 5, 7)
MAX_LAYERS = 3
SHIFT = 2  # pixels: the largest random shift of the augmentation


@dataclass(frozen=True)
class CNNConfig:
    """A small CNN for 28×28 digits and how to train it (defaults: ≥ 97.5% on held-out digits in seconds)."""

    conv_layers: int = 2  # conv blocks: 1 finds strokes, 2 combines them into parts of digits
    filters: str = "16,16"  # kernels per conv layer, comma separated; the last value repeats if short
    kernel: int = 5  # kernel size (3, 5 or 7): 5×5 sees a whole stroke piece on a 28×28 digit
    pool: bool = True  # 2×2 max pooling after each conv: halves the map, tolerates small shifts
    batch_norm: bool = True  # rescale each feature map to mean 0, spread 1 per batch: trains in far fewer steps
    dropout: float = 0.2  # fraction of dense inputs dropped while training: fights overfitting on 4,000 digits
    fc: int = 128  # neurons in the dense layer before the 10 outputs
    optimizer: str = "adam"  # adapts each weight's step size: converges fast without tuning
    lr: float = 0.006  # Adam's step size; 10× larger tends to stall, 10× smaller crawls
    batch_size: int = 128  # examples per step: on a CPU, 128 gave the best accuracy per second (64 and 256 were slower)
    epochs: float = 12.0  # passes over the 4,000 training digits (fractions allowed); about 15 s on one core
    lr_decay: bool = True  # cosine decay of the learning rate to 0 by the last step: big steps first, fine ones last
    warmup: float = 0.1  # share of the steps in which the learning rate climbs from 10 % to full: a calm start
    #                      while batch norm's statistics settle (with it, 12 seeds of 12 ended ≥ 97.9 %, not 96.6 %)
    label_smoothing: float = 0.1  # train towards 90 % on the right digit, 10 % spread over all ten: the network
    #                               stops chasing 100 % certainty on 4,000 digits and generalises better
    augment: bool = True  # shift each training digit by up to ±2 px at random: more variety for free
    seed: int = 0  # one seed for initialisation, shuffling and augmentation
    eval_every: int = 25  # steps between evaluations on 500 train and the 1,000 held-out digits
    pretrained: bool = False  # start from the committed snapshot's weights (its architecture replaces the fields above)


@dataclass(frozen=True)
class MLPConfig:
    """The comparison: a fully connected network with about as many weights as a CNN config."""

    hidden: int = 0  # neurons in the hidden layer; 0 = match the parameter count of the default CNN
    dropout: float = 0.2  # same regularisation as the CNN's dense layer
    optimizer: str = "adam"
    lr: float = 0.006
    batch_size: int = 128
    epochs: float = 12.0
    lr_decay: bool = True
    warmup: float = 0.1  # the same learning-rate schedule and targets as the CNN
    label_smoothing: float = 0.1
    augment: bool = True  # the same ±2 px shifts the CNN gets, for a fair comparison
    seed: int = 0
    eval_every: int = 25


def parse_filters(filters: str | int | list[int] | tuple[int, ...], layers: int) -> list[int]:
    """Kernels per layer from "16,32" (or an int, or a list); the last value repeats to fill `layers`."""
    if isinstance(filters, str):
        try:
            values = [int(v) for v in filters.replace(" ", "").split(",") if v]
        except ValueError:
            raise ValueError(f"filters must be whole numbers separated by commas, got {filters!r}") from None
    elif isinstance(filters, int):
        values = [filters]
    else:
        values = [int(v) for v in filters]
    if not values or min(values) < 1 or max(values) > 128:
        raise ValueError(f"filters per layer must be between 1 and 128, got {filters!r}")
    return (values + [values[-1]] * layers)[:layers]


class CNN(nn.Module):
    """Conv blocks (conv → [batch norm] → ReLU → [2×2 max pool]), then dropout → dense → ReLU → dropout → 10 outputs."""

    def __init__(self, channels: list[int], kernel: int = 5, pool: bool = True, dropout: float = 0.0,
                 fc: int = 64, batch_norm: bool = False, size: int = 28, classes: int = 10):
        super().__init__()
        if not 1 <= len(channels) <= MAX_LAYERS:
            raise ValueError(f"a CNN here has 1 to {MAX_LAYERS} conv layers, got {len(channels)}")
        if kernel not in KERNELS:
            raise ValueError(f"kernel size must be one of {KERNELS}, got {kernel}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}")
        if fc < 1:
            raise ValueError(f"the dense layer needs at least 1 neuron, got {fc}")
        self.channels, self.kernel, self.pool, self.size = list(channels), kernel, pool, size
        self.batch_norm = batch_norm
        self.convs, self.norms = nn.ModuleList(), nn.ModuleList()
        fan_in, side = 1, size
        for out in channels:
            self.convs.append(nn.Conv2d(fan_in, out, kernel, padding=kernel // 2))  # "same": side unchanged
            self.norms.append(nn.BatchNorm2d(out) if batch_norm else nn.Identity())
            fan_in = out
            side = side // 2 if pool else side
        self.act = nn.ReLU()
        self.pooling = nn.MaxPool2d(2) if pool else nn.Identity()
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(fan_in * side * side, fc), nn.ReLU(),
                                  nn.Dropout(dropout), nn.Linear(fc, classes))

    def forward_maps(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Logits and the activation map (after ReLU, before pooling) of every conv layer."""
        maps = []
        for conv, norm in zip(self.convs, self.norms):
            x = self.act(norm(conv(x)))  # (B, C, H, W)
            maps.append(x)
            x = self.pooling(x)  # (B, C, H/2, W/2) when pooling
        return self.head(x), maps  # (B, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_maps(x)[0]


def model_config(cfg: CNNConfig) -> dict[str, Any]:
    """Just the architecture fields of a config (what a snapshot must store to rebuild the model)."""
    return {"channels": parse_filters(cfg.filters, cfg.conv_layers), "kernel": cfg.kernel, "pool": cfg.pool,
            "dropout": cfg.dropout, "fc": cfg.fc, "batch_norm": cfg.batch_norm}


def build_cnn(cfg: CNNConfig | None = None) -> CNN:
    """The CNN described by `cfg` (default config if None), with seeded initial weights."""
    cfg = cfg or CNNConfig()
    if not 1 <= cfg.conv_layers <= MAX_LAYERS:
        raise ValueError(f"conv_layers must be between 1 and {MAX_LAYERS}, got {cfg.conv_layers}")
    net = CNN(**model_config(cfg))
    models.init_weights(net, cfg.seed)
    return net


def mlp_hidden_for(params: int, inputs: int = 28 * 28, classes: int = 10) -> int:
    """Hidden width h of an [inputs, h, classes] MLP whose parameter count is closest to `params`."""
    return max(1, round((params - classes) / (inputs + 1 + classes)))  # (in+1)h + (h+1)classes = params


def build_mlp(cfg: MLPConfig | None = None, params: int | None = None) -> nn.Sequential:
    """The comparison MLP: flatten → hidden (ReLU, dropout) → 10; sized to `params` when cfg.hidden is 0."""
    cfg = cfg or MLPConfig()
    hidden = cfg.hidden or mlp_hidden_for(params if params is not None else models.count_params(build_cnn()))
    return models.init_weights(models.mlp([28 * 28, hidden, 10], "relu", flatten=True, dropout=cfg.dropout), cfg.seed)


def shift(x: torch.Tensor, generator: torch.Generator, max_shift: int = SHIFT) -> torch.Tensor:
    """Move each image by a random whole number of pixels in [-max_shift, max_shift] along x and y (zero fill)."""
    if max_shift <= 0:
        return x
    b, c, h, w = x.shape  # (B, C, H, W)
    padded = nn.functional.pad(x, (max_shift,) * 4)  # (B, C, H+2s, W+2s)
    offsets = torch.randint(0, 2 * max_shift + 1, (2, b), generator=generator).to(x.device)
    rows = offsets[0][:, None] + torch.arange(h, device=x.device)  # (B, H) rows to read
    cols = offsets[1][:, None] + torch.arange(w, device=x.device)  # (B, W)
    batch = torch.arange(b, device=x.device)[:, None, None]
    out = padded.permute(0, 2, 3, 1)[batch, rows[:, :, None], cols[:, None, :]]  # (B, H, W, C)
    return out.permute(0, 3, 1, 2).contiguous()  # (B, C, H, W)


def layer_table(model: CNN) -> list[dict[str, Any]]:
    """One row per layer: its name, the output shape for one 28×28 digit and its parameter count."""
    rows: list[dict[str, Any]] = []
    side, channels = model.size, 1
    rows.append({"layer": "input", "shape": (1, side, side), "params": 0})
    for i, (conv, norm) in enumerate(zip(model.convs, model.norms), start=1):
        channels = conv.out_channels
        params = models.count_params(conv) + models.count_params(norm)
        rows.append({"layer": f"conv{i} {conv.kernel_size[0]}×{conv.kernel_size[1]}", "shape": (channels, side, side),
                     "params": params})
        if model.pool:
            side //= 2
            rows.append({"layer": f"pool{i} 2×2", "shape": (channels, side, side), "params": 0})
    dense, out = model.head[2], model.head[5]
    rows.append({"layer": "dense", "shape": (dense.out_features,), "params": models.count_params(dense)})
    rows.append({"layer": "output", "shape": (out.out_features,), "params": models.count_params(out)})
    return rows


# ----------------------------------------------------------------------------- looking inside

def _as_batch(x: np.ndarray) -> torch.Tensor:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 2:
        x = x[None, None]
    elif x.ndim == 3:
        x = x[:, None] if x.shape[0] != 1 else x[None]
    if x.ndim != 4 or x.shape[1] != 1:
        raise ValueError(f"expected images shaped (N, 1, H, W), got {x.shape}")
    return torch.from_numpy(x)


def _device(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


@torch.no_grad()
def predict_proba(model: nn.Module, x: np.ndarray) -> np.ndarray:
    """Class probabilities (N, 10) for images (N, 1, 28, 28) in [0, 1] (a single (28, 28) image works too)."""
    xb = _as_batch(x).numpy()
    return models.predict_proba(model, xb) if len(xb) else np.zeros((0, 10), dtype=np.float32)


@torch.no_grad()
def feature_maps(model: CNN, x: np.ndarray) -> list[np.ndarray]:
    """The activation map of every conv layer (after ReLU) for one image (1, 1, 28, 28): a list of (C, H, W)."""
    was_training = model.training
    model.eval()
    _, maps = model.forward_maps(_as_batch(x)[:1].to(_device(model)))
    model.train(was_training)
    return [m[0].cpu().numpy() for m in maps]


@torch.no_grad()
def first_layer_filters(model: CNN) -> np.ndarray:
    """The learned kernels of the first conv layer, (C, k, k) (one input channel)."""
    return model.convs[0].weight[:, 0].detach().cpu().numpy().copy()


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, classes: int = 10) -> np.ndarray:
    """counts[i, j] = examples of class i predicted as class j."""
    return models.confusion_matrix(y_true, y_pred, classes)


def most_confused(probs: np.ndarray, y_true: np.ndarray, k: int = 8) -> np.ndarray:
    """Indices of up to k misclassified examples, most confidently wrong first."""
    return models.most_confused(probs, y_true, k)


# ----------------------------------------------------------------------------- the pretrained snapshot

def save_snapshot(model: CNN, path: str | Path, info: dict[str, Any] | None = None) -> None:
    """Save only what rebuilds the model (architecture + weights, float32), plus a little info."""
    arch = {"channels": model.channels, "kernel": model.kernel, "pool": model.pool,
            "dropout": float(model.head[1].p), "fc": model.head[2].out_features, "batch_norm": model.batch_norm}
    torch.save({"arch": arch, "model": model.state_dict(), "info": info or {}}, path)


def load_snapshot(path: str | Path) -> CNN:
    """Rebuild a CNN saved by `save_snapshot`."""
    state = torch.load(path, map_location="cpu", weights_only=True)
    net = CNN(**state["arch"])
    net.load_state_dict(state["model"])
    return net.eval()


@functools.lru_cache(maxsize=1)
def _pretrained_bytes() -> bytes:
    """The snapshot's bytes: the committed file, else a quick CNN trained once in this process."""
    if PRETRAINED.exists():
        return PRETRAINED.read_bytes()
    from dlcore.experiments.cnn import build_cnn_trainer  # local import: experiments imports this module

    trainer = build_cnn_trainer(dataclasses.replace(CNNConfig(), epochs=3.0, eval_every=10_000))
    trainer.run_for(30.0)
    buf = io.BytesIO()
    save_snapshot(trainer.model.cpu(), buf, {"note": "trained in-process: no snapshot file found"})
    return buf.getvalue()


def load_pretrained() -> CNN:
    """A trained CNN for the default config, in eval mode; a fresh copy on every call (safe to modify)."""
    return load_snapshot(io.BytesIO(_pretrained_bytes()))


def pretrained_info() -> dict[str, Any]:
    """What the snapshot file says about itself (config, accuracy, command), {} when it is missing."""
    return dict(torch.load(io.BytesIO(_pretrained_bytes()), map_location="cpu", weights_only=True).get("info", {}))
