"""Learning from examples: a tiny network bends a curve through noisy points (the home page demo).

What it teaches: inputs go in, adjustable parameters shape the output, the loss says how wrong it is,
and each step adjusts the parameters a little until the curve fits. What it simplifies: one input,
one output, mean squared error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dlcore import data
from dlcore.experiments import register

if TYPE_CHECKING:
    from dlcore.train import Trainer


@dataclass(frozen=True)
class CurveFitConfig:
    """Settings for fitting y = sin(x) + x/3 from noisy samples."""

    points: int = 40  # few points, so the fit visibly chases them
    noise: float = 0.2  # standard deviation of the noise added to y
    hidden: int = 16  # neurons per hidden layer: enough to bend twice
    layers: int = 2  # hidden layers
    activation: str = "tanh"  # smooth, so the fitted curve is smooth
    optimizer: str = "adam"
    lr: float = 0.02
    steps: int = 1500  # about 3 s on a laptop core
    seed: int = 0


@register("curve_fit", CurveFitConfig, "a tiny network fits a curve through noisy points")
def build(cfg: CurveFitConfig) -> Trainer:
    """The curve-fitting trainer: full-batch training of a small tanh MLP."""
    from dlcore import models  # torch loads here, not on import: the home page reads the config first
    from dlcore.train import Trainer

    ds = data.curve(n=cfg.points, noise=cfg.noise, seed=cfg.seed)
    net = models.init_weights(models.mlp([1] + [cfg.hidden] * cfg.layers + [1], cfg.activation), cfg.seed)
    return Trainer(net, ds, lr=cfg.lr, optimizer=cfg.optimizer, batch_size=len(ds.x_train), steps=cfg.steps,
                   seed=cfg.seed, eval_every=10)
