"""A CNN and a comparable MLP learning real handwritten digits (4,000 to train, 1,000 held out).

What it teaches: on images, a few shared convolution kernels beat a fully connected network with the
same number of weights; shifting the training digits by a pixel or two teaches position tolerance.
What it simplifies: small models, CPU training, one fixed train/test split of 5,000 MNIST digits.

    python -m dlcore train cnn --epochs 8
    python -m dlcore train mlp_mnist --epochs 8
"""

from __future__ import annotations

import math

from torch import nn

from dlcore import data, models
from dlcore.cnn import CNNConfig, MLPConfig, build_cnn, build_mlp, load_pretrained, shift
from dlcore.experiments import register
from dlcore.train import OPTIMIZERS, Record, Trainer


def _steps(epochs: float, batch_size: int, n: int) -> int:
    if not epochs > 0:
        raise ValueError(f"epochs must be positive, got {epochs}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be ≥ 1, got {batch_size}")
    return max(1, math.ceil(epochs * n / min(batch_size, n)))


EARLY_EVALS = (2, 5, 10)  # extra evaluations at these steps: the first seconds are the most eventful


class DigitTrainer(Trainer):
    """The shared Trainer plus a learning-rate schedule (warm-up, then optional cosine decay; a pure function of
    the step, so resumable) and label smoothing. Evaluation reports plain cross-entropy, as without smoothing."""

    def __init__(self, *args, lr_decay: bool = False, warmup: float = 0.0, label_smoothing: float = 0.0,  # noqa: ANN002
                 **kwargs):  # noqa: ANN003
        if not 0.0 <= warmup < 1.0:
            raise ValueError(f"warmup must be a share of the steps in [0, 1), got {warmup}")
        if not 0.0 <= label_smoothing < 1.0:
            raise ValueError(f"label_smoothing must be in [0, 1), got {label_smoothing}")
        super().__init__(*args, **kwargs)
        self.lr_decay, self.warmup, self.label_smoothing = lr_decay, warmup, label_smoothing
        self.base_lr = self.optimizer.param_groups[0]["lr"]
        self.loss_fn = nn.CrossEntropyLoss(label_smoothing=label_smoothing)  # what training minimises
        self.eval_loss_fn = nn.CrossEntropyLoss()  # what the curves report: plain, so 0 still means perfect

    def current_lr(self) -> float:
        """The learning rate of the next step: during warm-up base × (0.1 → 1) linearly, then base, or with
        decay base × ½(1 + cos(π · progress after warm-up))."""
        progress = self.steps / self.total_steps
        if progress < self.warmup:
            return self.base_lr * (0.1 + 0.9 * progress / self.warmup)
        if not self.lr_decay:
            return self.base_lr
        return self.base_lr * 0.5 * (1.0 + math.cos(math.pi * (progress - self.warmup) / (1.0 - self.warmup)))

    def _step(self) -> Record:
        lr = self.current_lr()
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        record = {**super()._step(), "lr": lr}  # Trainer seeds dropout from (seed, step)
        if self.steps + 1 in EARLY_EVALS and (self.steps + 1) % self.eval_every:
            record.update(self._evaluate())  # a few early points, so the curves start at once
        return record


def _trainer(net: nn.Module, cfg: CNNConfig | MLPConfig, ds: data.Dataset) -> DigitTrainer:
    if cfg.optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {cfg.optimizer!r}; choose from {OPTIMIZERS}")
    return DigitTrainer(net, ds, lr=cfg.lr, optimizer=cfg.optimizer, batch_size=cfg.batch_size,
                        steps=_steps(cfg.epochs, cfg.batch_size, len(ds.x_train)), seed=cfg.seed,
                        eval_every=cfg.eval_every, eval_size=500, augment=shift if cfg.augment else None,
                        lr_decay=cfg.lr_decay, warmup=cfg.warmup, label_smoothing=cfg.label_smoothing)


@register("cnn", CNNConfig, "a small CNN learns 4,000 real handwritten digits (1,000 held out)")
def build_cnn_trainer(cfg: CNNConfig) -> DigitTrainer:
    """The CNN trainer on dlcore.data.mnist(); with cfg.pretrained it starts from the committed snapshot."""
    return _trainer(load_pretrained() if cfg.pretrained else build_cnn(cfg), cfg, data.mnist())


@register("mlp_mnist", MLPConfig, "an MLP with about the CNN's parameter count, on the same digits")
def build_mlp_trainer(cfg: MLPConfig, params: int | None = None) -> DigitTrainer:
    """The comparison MLP trainer; `params` sizes its hidden layer when cfg.hidden is 0."""
    return _trainer(build_mlp(cfg, params), cfg, data.mnist())


def mlp_config_like(cfg: CNNConfig) -> tuple[MLPConfig, int]:
    """The MLP config that matches a CNN config (same training settings and seed) and the CNN's parameter count."""
    params = models.count_params(load_pretrained() if cfg.pretrained else build_cnn(cfg))
    mlp_cfg = MLPConfig(dropout=cfg.dropout, optimizer=cfg.optimizer, lr=cfg.lr, batch_size=cfg.batch_size,
                        epochs=cfg.epochs, lr_decay=cfg.lr_decay, warmup=cfg.warmup, label_smoothing=cfg.label_smoothing,
                        augment=cfg.augment, seed=cfg.seed, eval_every=cfg.eval_every)
    return mlp_cfg, params
