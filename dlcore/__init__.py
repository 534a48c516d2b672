"""dlcore: the deep-learning library behind DL Workshop, usable from scripts, notebooks and the CLI.

    from dlcore import data, models, train
    trainer = train.Trainer(models.mlp([2, 16, 16, 2]), data.spiral(n=500, seed=0), lr=0.03)
    for record in trainer.run(steps=500, log_every=50):
        print(record)

Submodules load on first use, so `import dlcore` stays cheap. dlcore never imports streamlit.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """`dlcore.train`, `dlcore.conv`, … load on first touch."""
    if importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'dlcore' has no attribute {name!r}")
