"""Every lesson's trainer, by name: a frozen config dataclass plus a `build(config)` function.

The same config feeds a page's form, a script's arguments and the CLI's flags
(`python -m dlcore train NAME --field value`). A lesson adds a module here that calls `register`;
modules are discovered, so nothing else needs editing.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for hints: reading a config must not import torch
    from dlcore.train import BaseTrainer


@dataclass(frozen=True)
class Experiment:
    """A named trainer: its config class, how to build it, and one line saying what it trains."""

    name: str
    config: type
    build: Callable[[Any], BaseTrainer]
    summary: str

    def make(self, **overrides: Any) -> BaseTrainer:
        """Build the trainer from the default config with some fields replaced."""
        return self.build(dataclasses.replace(self.config(), **overrides))


_REGISTRY: dict[str, Experiment] = {}


Build = Callable[[Any], "BaseTrainer"]


def register(name: str, config: type, summary: str) -> Callable[[Build], Build]:
    """Decorator for a `build(config) -> trainer` function."""
    def wrap(build: Build) -> Build:
        _REGISTRY[name] = Experiment(name, config, build, summary)
        return build
    return wrap


def all_experiments() -> dict[str, Experiment]:
    """Every registered experiment, importing the lesson modules on first use."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return dict(sorted(_REGISTRY.items()))


def get(name: str) -> Experiment:
    """One experiment by name; a ValueError lists the known names."""
    experiments = all_experiments()
    if name not in experiments:
        raise ValueError(f"unknown trainer {name!r}; choose from {', '.join(experiments)}")
    return experiments[name]
