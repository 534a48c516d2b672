"""A CNN and a comparable MLP learning real handwritten digits (4,000 to train, 1,000 held out).

What it teaches: on images, a few shared convolution kernels beat a fully connected network with the
same number of weights; shifting the training digits by a pixel or two teaches position tolerance.
What it simplifies: small models, CPU training, one fixed train/test split of 5,000 MNIST digits.

    python -m dlcore train cnn --epochs 8
    python -m dlcore train mlp_mnist --epochs 8
"""

from __future__ import annotations

import math

from dlcore import data, models
from dlcore.cnn import CNNConfig, MLPConfig, build_cnn, build_mlp, shift
from dlcore.experiments import register
from dlcore.train import OPTIMIZERS, Trainer


def _steps(epochs: float, batch_size: int, n: int) -> int:
    if not epochs > 0:
        raise ValueError(f"epochs must be positive, got {epochs}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be ≥ 1, got {batch_size}")
    return max(1, math.ceil(epochs * n / min(batch_size, n)))


def _trainer(net, cfg, ds: data.Dataset) -> Trainer:  # noqa: ANN001 (either config)
    if cfg.optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {cfg.optimizer!r}; choose from {OPTIMIZERS}")
    return Trainer(net, ds, lr=cfg.lr, optimizer=cfg.optimizer, batch_size=cfg.batch_size,
                   steps=_steps(cfg.epochs, cfg.batch_size, len(ds.x_train)), seed=cfg.seed,
                   eval_every=cfg.eval_every, augment=shift if cfg.augment else None)


@register("cnn", CNNConfig, "a small CNN learns 4,000 real handwritten digits (1,000 held out)")
def build_cnn_trainer(cfg: CNNConfig) -> Trainer:
    """The CNN trainer on dlcore.data.mnist()."""
    return _trainer(build_cnn(cfg), cfg, data.mnist())


@register("mlp_mnist", MLPConfig, "an MLP with about the CNN's parameter count, on the same digits")
def build_mlp_trainer(cfg: MLPConfig, params: int | None = None) -> Trainer:
    """The comparison MLP trainer; `params` sizes its hidden layer when cfg.hidden is 0."""
    return _trainer(build_mlp(cfg, params), cfg, data.mnist())


def mlp_config_like(cfg: CNNConfig) -> tuple[MLPConfig, int]:
    """The MLP config that matches a CNN config (same training settings and seed) and the CNN's parameter count."""
    params = models.count_params(build_cnn(cfg))
    mlp_cfg = MLPConfig(dropout=cfg.dropout, optimizer=cfg.optimizer, lr=cfg.lr, batch_size=cfg.batch_size,
                        epochs=cfg.epochs, augment=cfg.augment, seed=cfg.seed, eval_every=cfg.eval_every)
    return mlp_cfg, params
