"""The training engine: resumable trainers that take one step at a time and report plain numbers.

What it teaches: training is a loop of small steps — predict, measure the loss, nudge every weight
against its gradient — and the curves are just the numbers each step reports. What it simplifies:
one model, one device, no distributed tricks.

Every lesson's trainer follows one contract (`BaseTrainer`): `step()` returns a record (a dict of
floats with "step" and "seconds"), `run(...)` is a generator for scripts, `run_for(seconds)` is a
time-boxed chunk for the UI, and `history`, `done`, `stop`, `progress`, `state_dict()` describe it.
A non-finite loss is a result, not a crash: the trainer stops and says why in `stop`.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from dlcore.data import Dataset
from dlcore.models import EVAL_CHUNK, count_params

Record = dict[str, float]


@dataclass(frozen=True)
class Limits:
    """Caps that keep one shared server responsive; enforced here so scripts and pages agree."""

    max_steps: int = 100_000
    max_params: int = 2_000_000
    max_batch_size: int = 4_096
    max_seconds: float = 600.0  # training time of one run, summed over chunks


DEFAULT_LIMITS = Limits()


class LimitError(ValueError):
    """A setting is outside the limits; `key` and `value`/`limit` let a page translate the message."""

    def __init__(self, key: str, value: float, limit: float):
        super().__init__(f"{key} = {value:g} is above the limit of {limit:g}")
        self.key, self.value, self.limit = key, value, limit


@dataclass(frozen=True)
class Stop:
    """Why a trainer stopped: kind is 'finished', 'diverged' or 'time_limit'."""

    kind: str
    step: int
    detail: str = ""

    @property
    def message(self) -> str:
        """A sentence a person can read (pages translate by `kind` instead)."""
        if self.kind == "diverged":
            return (f"training diverged: {self.detail} became NaN or infinite at step {self.step}; "
                    "try a smaller learning rate")
        if self.kind == "time_limit":
            return f"stopped at step {self.step}: the time limit for one run was reached"
        return f"finished after {self.step} steps"


def pick_device(name: str | None = None) -> torch.device:
    """The requested device, else CUDA when present, else CPU."""
    if name:
        return torch.device(name)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


class BaseTrainer:
    """Resumable state plus a step. Subclasses implement `_step()` and may implement `_evaluate()`."""

    def __init__(self, *, steps: int, seed: int = 0, eval_every: int = 10, examples_per_step: int = 1,
                 limits: Limits = DEFAULT_LIMITS):
        check_limit("steps", steps, limits.max_steps)
        if steps < 1:
            raise ValueError(f"steps must be ≥ 1, got {steps}")
        self.total_steps = steps
        self.seed = seed
        self.eval_every = max(1, eval_every)
        self.examples_per_step = examples_per_step
        self.limits = limits
        self.steps = 0
        self.seconds = 0.0  # time spent inside step(), so curves can be plotted against time
        self.history: list[Record] = []
        self.stop: Stop | None = None

    # -- the contract -----------------------------------------------------------------------------
    @property
    def done(self) -> bool:
        """True once the trainer has stopped, for any reason."""
        return self.stop is not None

    @property
    def progress(self) -> float:
        """Fraction of the planned steps taken, 0..1."""
        return min(1.0, self.steps / self.total_steps)

    def step(self) -> Record:
        """One optimisation step; returns its record (with evaluation metrics every `eval_every` steps)."""
        if self.done:
            raise RuntimeError(f"the trainer has stopped: {self.stop.message}")  # type: ignore[union-attr]
        start = time.perf_counter()
        record = self._step()
        self.steps += 1
        if self.steps % self.eval_every == 0 or self.steps == self.total_steps:
            record.update(self._evaluate())
        self.seconds += time.perf_counter() - start
        record = {"step": float(self.steps), "seconds": self.seconds, **record}
        self.history.append(record)
        self._check(record)
        return record

    def run(self, steps: int | None = None, log_every: int = 1, seconds: float | None = None) -> Iterator[Record]:
        """Yield every `log_every`-th record until done, `steps` more steps, or `seconds` of wall time."""
        start, taken = time.perf_counter(), 0
        while not self.done and (steps is None or taken < steps):
            record = self.step()
            taken += 1
            out_of_time = seconds is not None and time.perf_counter() - start >= seconds
            if self.done or taken == steps or out_of_time or self.steps % log_every == 0:
                yield record  # the last record of a run or chunk is always reported
            if out_of_time:
                return

    def run_for(self, seconds: float) -> list[Record]:
        """Train for about `seconds` (a UI chunk) and return the records taken."""
        return list(self.run(seconds=seconds))

    def metrics(self, *keys: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """For each key, the (steps, values) pairs where it was recorded: ready for a curve."""
        out = {}
        for key in keys:
            pairs = [(r["step"], r[key]) for r in self.history if key in r]
            if pairs:
                steps, values = zip(*pairs)
                out[key] = (np.asarray(steps), np.asarray(values))
        return out

    def latest(self, key: str) -> float | None:
        """The most recent value of a metric, or None if never recorded."""
        for record in reversed(self.history):
            if key in record:
                return record[key]
        return None

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to resume exactly: counters, history, stop and the subclass's state."""
        return copy.deepcopy({"steps": self.steps, "seconds": self.seconds, "history": self.history,
                              "stop": asdict(self.stop) if self.stop else None, **self._state()})  # a snapshot, not live tensors

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what `state_dict()` saved, so training continues the same curve."""
        self.steps, self.seconds = state["steps"], state["seconds"]
        self.history = [dict(r) for r in state["history"]]
        self.stop = Stop(**state["stop"]) if state["stop"] else None
        self._load_state(state)

    # -- for subclasses ---------------------------------------------------------------------------
    def _step(self) -> Record:
        raise NotImplementedError

    def _evaluate(self) -> Record:
        return {}

    def _state(self) -> dict[str, Any]:
        return {}

    def _load_state(self, state: dict[str, Any]) -> None:
        pass

    def _check(self, record: Record) -> None:
        bad = [k for k, v in record.items() if not math.isfinite(v)]
        if bad:
            self.stop = Stop("diverged", self.steps, bad[0])
        elif self.steps >= self.total_steps:
            self.stop = Stop("finished", self.steps)
        elif self.seconds >= self.limits.max_seconds:
            self.stop = Stop("time_limit", self.steps)


@contextmanager
def private_rng(seed: int, device: torch.device) -> Iterator[None]:
    """Seed torch's global generator for a block (dropout draws from it), then put it back as it was."""
    devices = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield


def check_limit(key: str, value: float, limit: float) -> None:
    """Raise LimitError when value > limit."""
    if value > limit:
        raise LimitError(key, value, limit)


OPTIMIZERS = ("sgd", "momentum", "adam")
EXPLODED_WINDOW = 20  # steps of batch loss averaged to call a classifier "exploded"
EXPLODED_FACTOR = 3.0 / math.log(2)  # × the loss of an even guess: 3.0 for two classes


def make_optimizer(name: str, params: Any, lr: float, weight_decay: float = 0.0) -> torch.optim.Optimizer:
    """SGD, SGD with momentum 0.9, or Adam."""
    if lr <= 0 or not math.isfinite(lr):
        raise ValueError(f"learning rate must be a positive number, got {lr}")
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=weight_decay)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=weight_decay)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    raise ValueError(f"unknown optimizer {name!r}; choose from {OPTIMIZERS}")


class Trainer(BaseTrainer):
    """Supervised training of any model on a Dataset: cross-entropy for classes, MSE for numbers.

    Mini-batches walk a fresh seeded permutation each epoch; `l1`/`l2` add weight penalties.
    """

    def __init__(self, model: nn.Module, data: Dataset, *, lr: float = 0.01, optimizer: str = "adam",
                 batch_size: int = 32, steps: int = 1000, l1: float = 0.0, l2: float = 0.0, seed: int = 0,
                 eval_every: int = 10, eval_size: int = 1000, device: str | None = None,
                 augment: Any = None, limits: Limits = DEFAULT_LIMITS):
        check_limit("batch_size", batch_size, limits.max_batch_size)
        check_limit("params", count_params(model), limits.max_params)
        if batch_size < 1:
            raise ValueError(f"batch_size must be ≥ 1, got {batch_size}")
        super().__init__(steps=steps, seed=seed, eval_every=eval_every, examples_per_step=batch_size,
                         limits=limits)
        self.device = pick_device(device)
        self.model = model.to(self.device)
        self.data = data
        self.batch_size = min(batch_size, len(data.x_train))
        self.l1, self.l2 = l1, l2
        self.augment = augment  # optional callable(x_batch, generator) -> x_batch, e.g. random shifts
        self.optimizer = make_optimizer(optimizer, model.parameters(), lr)
        self.loss_fn: nn.Module = nn.CrossEntropyLoss() if data.is_classification else nn.MSELoss()
        self.eval_loss_fn = self.loss_fn  # what the curves report; a subclass may train on a variant
        self.x_train, self.y_train = self._tensors(data.x_train, data.y_train)
        self.x_test, self.y_test = self._tensors(data.x_test, data.y_test)
        eval_idx = torch.randperm(len(self.x_train), generator=torch.Generator().manual_seed(seed))[:eval_size]
        self._eval_train = (self.x_train[eval_idx], self.y_train[eval_idx])  # a fixed subset keeps evals cheap
        self.generator = torch.Generator().manual_seed(seed)
        self._order = torch.empty(0, dtype=torch.long)
        self._cursor = 0

    def _tensors(self, x: np.ndarray, y: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        return torch.as_tensor(x, device=self.device), torch.as_tensor(y, device=self.device)

    def _next_batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        if self._cursor + self.batch_size > len(self._order):
            self._order = torch.randperm(len(self.x_train), generator=self.generator)
            self._cursor = 0
        idx = self._order[self._cursor:self._cursor + self.batch_size].to(self.device)
        self._cursor += self.batch_size
        x = self.x_train[idx]
        if self.augment is not None:
            x = self.augment(x, self.generator)
        return x, self.y_train[idx]

    def _check(self, record: Record) -> None:
        super()._check(record)
        if self.stop is None and self.data.is_classification and self._exploded():
            self.stop = Stop("diverged", self.steps, "loss")

    def _exploded(self) -> bool:
        """A loss stuck far above an even guess: with tanh or sigmoid, far too large steps swing the
        weights wildly yet rarely overflow to NaN, so the network is just confidently wrong, again and again."""
        recent = [r["loss"] for r in self.history[-EXPLODED_WINDOW:]]
        chance = math.log(len(self.data.classes))
        return len(recent) == EXPLODED_WINDOW and sum(recent) / EXPLODED_WINDOW > EXPLODED_FACTOR * chance

    def _penalty(self) -> torch.Tensor:
        weights = [p for name, p in self.model.named_parameters() if name.endswith("weight")]
        total = torch.zeros((), device=self.device)
        if self.l1:
            total = total + self.l1 * sum(w.abs().sum() for w in weights)
        if self.l2:
            total = total + self.l2 * sum((w * w).sum() for w in weights)
        return total

    def _step(self) -> Record:
        self.model.train()
        with private_rng(self.seed * 1_000_003 + self.steps, self.device):  # dropout: same seed, same masks
            x, y = self._next_batch()
            loss = self.loss_fn(self.model(x), y)
            self.optimizer.zero_grad(set_to_none=True)
            (loss + self._penalty()).backward()
            self.optimizer.step()
        return {"loss": loss.item()}

    @torch.no_grad()
    def measure(self, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float | None]:
        """Mean loss and (for classes) accuracy of the current model on (x, y)."""
        self.model.eval()
        out = torch.cat([self.model(chunk) for chunk in x.split(EVAL_CHUNK)])
        loss = self.eval_loss_fn(out, y).item()
        acc = (out.argmax(1) == y).float().mean().item() if self.data.is_classification else None
        return loss, acc

    def _evaluate(self) -> Record:
        record: Record = {}
        for split_name, (x, y) in (("train", self._eval_train), ("test", (self.x_test, self.y_test))):
            loss, acc = self.measure(x, y)
            record[f"{split_name}_loss"] = loss
            if acc is not None:
                record[f"{split_name}_acc"] = acc
        return record

    @torch.no_grad()
    def predict(self, x: np.ndarray) -> np.ndarray:
        """Model outputs for NumPy inputs: class probabilities, or the regression values."""
        self.model.eval()
        out = self.model(torch.as_tensor(np.asarray(x, dtype=np.float32), device=self.device))
        return (out.softmax(1) if self.data.is_classification else out).cpu().numpy()

    def _state(self) -> dict[str, Any]:
        return {"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
                "generator": self.generator.get_state(), "order": self._order.clone(), "cursor": self._cursor}

    def _load_state(self, state: dict[str, Any]) -> None:
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.generator.set_state(state["generator"])
        self._order, self._cursor = state["order"].clone(), state["cursor"]
