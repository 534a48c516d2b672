"""Small models for the lessons, with seeded initialisation that never touches global RNG state.

What it teaches: a network is layers of weights and activation functions; its "knowledge" is just
those numbers. What it simplifies: only the few layer types the lessons need.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU, "gelu": nn.GELU, "silu": nn.SiLU, "softplus": nn.Softplus, "linear": nn.Identity,
}


def activation(name: str) -> nn.Module:
    """An activation layer by name (relu, tanh, sigmoid, leaky_relu, elu, gelu, silu, softplus, linear)."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose from {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name]()


def mlp(sizes: list[int], activation_name: str = "relu", flatten: bool = False, dropout: float = 0.0) -> nn.Sequential:
    """A fully connected network: sizes = [inputs, hidden..., outputs]; no activation after the last layer."""
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"an MLP needs at least an input and an output size, all ≥ 1; got {sizes}")
    layers: list[nn.Module] = [nn.Flatten()] if flatten else []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(fan_in, fan_out))
        if i < len(sizes) - 2:
            layers.append(activation(activation_name))
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


def init_weights(model: nn.Module, seed: int) -> nn.Module:
    """Re-initialise every Linear/Conv layer like PyTorch's default, from a private seeded generator.

    A private generator keeps visitors of one server from disturbing each other's random streams.
    """
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Linear, nn.Conv1d, nn.Conv2d)):
                fan_in = module.weight[0].numel()
                bound = 1.0 / math.sqrt(fan_in)  # = kaiming_uniform(a=√5), PyTorch's default
                module.weight.copy_(torch.empty_like(module.weight).uniform_(-bound, bound, generator=gen))
                if module.bias is not None:
                    module.bias.copy_(torch.empty_like(module.bias).uniform_(-bound, bound, generator=gen))
    return model


def count_params(model: nn.Module) -> int:
    """Number of trainable numbers in the model."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


EVAL_CHUNK = 256  # inputs per forward pass when only evaluating: on one CPU thread, 1,024 ran 2× slower


@torch.no_grad()
def predict_proba(model: nn.Module, x: np.ndarray, chunk: int = EVAL_CHUNK) -> np.ndarray:
    """Class probabilities (N, C) for a batch of inputs, in eval mode; the model's mode is restored after."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    xb = torch.as_tensor(np.asarray(x, dtype=np.float32), device=device)
    probs = [model(part).softmax(1) for part in xb.split(chunk)]
    model.train(was_training)
    return torch.cat(probs).cpu().numpy() if probs else np.zeros((0, 0), dtype=np.float32)


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """counts[i, j] = examples of class i predicted as class j."""
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)), 1)
    return counts


def most_confused(probs: np.ndarray, y_true: np.ndarray, k: int) -> np.ndarray:
    """Indices of up to k misclassified examples, most confidently wrong first."""
    probs, y_true = np.asarray(probs), np.asarray(y_true)
    pred = probs.argmax(1)
    wrong = np.flatnonzero(pred != y_true)
    return wrong[np.argsort(-probs[wrong, pred[wrong]], kind="stable")][:k]
