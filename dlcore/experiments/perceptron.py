"""One neuron learns a straight line: the perceptron rule and gradient descent on logic gates and two clouds.

What it teaches: a neuron computes z = w1·x1 + w2·x2 + b and says "class 1" when z ≥ 0, so its
decision boundary is the straight line w1·x1 + w2·x2 + b = 0. Rosenblatt's perceptron rule moves that
line towards one misclassified point at a time (w += lr·(y − ŷ)·x) and stops once every point is on
its side; gradient descent (sigmoid + cross-entropy: logistic regression) follows the loss's slope
instead. AND, OR and NAND can be split by one line; XOR cannot, so a single neuron never settles on it.
What it simplifies: two inputs, one neuron, plain NumPy (the gradient is one line of calculus, checked
against torch.autograd in the tests).

Every step records the weights and which training point caused the update, so a page can replay the
line's jump (before dashed, after solid) and highlight the point responsible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from dlcore import activations, data
from dlcore.experiments import register
from dlcore.train import BaseTrainer, Record, Stop

CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)  # (x1, x2) inputs of a logic gate
GATES = {"and": (0, 0, 0, 1), "or": (0, 1, 1, 1), "nand": (1, 1, 1, 0), "xor": (0, 1, 1, 0)}  # outputs per corner
DATASETS = (*GATES, "gaussians")
RULES = ("perceptron", "gradient")
RULE_ACTIVATIONS = {
    "perceptron": ("step", "sign"),  # a hard threshold: the rule only needs the predicted class
    "gradient": ("sigmoid", "tanh", "step", "sign"),  # step/sign have f' = 0: gradient descent never moves
}
GATE_EXTENT = (-1.0, 2.0)  # room around the corners, so most lines a step produces stay in view


@dataclass(frozen=True)
class PerceptronConfig:
    """Settings for training one neuron with two inputs."""

    dataset: str = "and"  # and, or, nand, xor (the 4 corners of a logic gate) or gaussians (two clouds)
    rule: str = "perceptron"  # perceptron: w += lr·(y − ŷ)·x on one misclassified point; gradient: descend the loss
    activation: str = "step"  # perceptron: step or sign; gradient: sigmoid (cross-entropy), tanh (squared error), step/sign (f' = 0)
    lr: float = 0.5  # how far one update moves the line
    steps: int = 300  # the perceptron rule stops earlier as soon as every training point is right
    full_batch: bool = False  # gradient rule: average over all points per step instead of one point
    copies: int = 0  # gates: jittered copies of each corner added to train and used as test (0: test = the 4 corners)
    jitter: float = 0.1  # gates: standard deviation of the jitter of those copies
    points: int = 100  # gaussians: number of points (half train, half test)
    noise: float = 0.3  # gaussians: 0..1, widens the clouds until they overlap
    seed: int = 0  # initial weights, point order, jitter and clouds


def gate_data(gate: str, copies: int = 0, jitter: float = 0.1, seed: int = 0) -> data.Dataset:
    """A logic gate's truth table as a Dataset: the 4 corners, plus jittered copies for a real test set."""
    if gate not in GATES:
        raise ValueError(f"unknown gate {gate!r}; choose from {', '.join(GATES)}")
    if copies < 0 or jitter < 0:
        raise ValueError("copies and jitter must be ≥ 0")
    labels = np.array(GATES[gate], dtype=np.int64)
    if copies == 0:
        return data.Dataset(gate, CORNERS.copy(), labels.copy(), CORNERS.copy(), labels.copy(), data.TWO_CLASSES)
    rng = np.random.default_rng(seed)

    def jittered() -> np.ndarray:
        return (np.repeat(CORNERS, copies, 0) + rng.normal(0, jitter, (4 * copies, 2))).astype(np.float32)

    rep = np.repeat(labels, copies)
    return data.Dataset(gate, np.concatenate([CORNERS, jittered()]), np.concatenate([labels, rep]),
                        jittered(), rep.copy(), data.TWO_CLASSES)


# ----------------------------------------------------------------------------- the neuron, as pure functions

def neuron_output(w1: float, w2: float, b: float, activation: str, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """y = f(w1·x1 + w2·x2 + b), elementwise."""
    return activations.value(activation, w1 * np.asarray(x1) + w2 * np.asarray(x2) + b)


def neuron_grid(w1: float, w2: float, b: float, activation: str, extent: tuple[float, float] = GATE_EXTENT,
                n: int = 101) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The neuron's output on an n×n grid over extent²: (xs, ys, z) with z[i, j] at (xs[j], ys[i])."""
    xs = np.linspace(extent[0], extent[1], n)
    gx, gy = np.meshgrid(xs, xs)  # (n, n) each
    return xs, xs.copy(), neuron_output(w1, w2, b, activation, gx, gy)


def count_correct(w1: float, w2: float, b: float, x: np.ndarray, y: np.ndarray) -> int:
    """How many points (N, 2) with labels y (N,) fall on their own side: class 1 where w·x + b ≥ 0."""
    return int(((np.asarray(x) @ np.array([w1, w2]) + b >= 0).astype(np.int64) == np.asarray(y)).sum())


def decision_segment(w1: float, w2: float, b: float, extent: tuple[float, float]) -> np.ndarray | None:
    """The part of the line w1·x1 + w2·x2 + b = 0 inside the square extent² as [[x1, x2], [x1, x2]], or None."""
    lo, hi = extent
    found: list[tuple[float, float]] = []
    if abs(w2) > 1e-12:  # crossings with the left and right edges
        found += [(x, -(w1 * x + b) / w2) for x in (lo, hi)]
    if abs(w1) > 1e-12:  # crossings with the bottom and top edges
        found += [(-(w2 * y + b) / w1, y) for y in (lo, hi)]
    eps = 1e-9 * max(1.0, hi - lo)
    inside = sorted({(round(p[0], 12), round(p[1], 12)) for p in found
                     if lo - eps <= p[0] <= hi + eps and lo - eps <= p[1] <= hi + eps})
    if len(inside) < 2:
        return None
    return np.array([inside[0], inside[-1]])


def _number(v: float) -> str:
    return f"({v:.2f})" if v < 0 else f"{v:.2f}"


def formula(w1: float, w2: float, b: float, x1: float, x2: float, activation: str) -> str:
    """LaTeX: y = f(w1·x1 + w2·x2 + b) with the numbers plugged in, the sum, and the result."""
    z = w1 * x1 + w2 * x2 + b
    y = float(activations.value(activation, np.array([z]))[0])
    name = r"\mathrm{" + activation.replace("_", r"\_") + "}"
    return (rf"\begin{{aligned}} y &= {name}(w_1 x_1 + w_2 x_2 + b) \\ &= {name}({_number(w1)} \cdot {_number(x1)}"
            rf" + {_number(w2)} \cdot {_number(x2)} + {_number(b)}) \\ &= {name}({z:.2f}) = {y:.3f} \end{{aligned}}")


# ----------------------------------------------------------------------------- training

@dataclass(frozen=True)
class Update:
    """What one step did: the training point that caused it (-1: all points / none) and the line before and after."""

    step: int
    point: int
    before: tuple[float, float, float]  # (w1, w2, b)
    after: tuple[float, float, float]


class PerceptronTrainer(BaseTrainer):
    """One neuron, two inputs; the perceptron rule or gradient descent, one step at a time."""

    def __init__(self, ds: data.Dataset, *, rule: str = "perceptron", activation: str = "step", lr: float = 0.5,
                 steps: int = 300, full_batch: bool = False, seed: int = 0,
                 extent: tuple[float, float] | None = None):
        if rule not in RULES:
            raise ValueError(f"unknown rule {rule!r}; choose from {', '.join(RULES)}")
        if activation not in RULE_ACTIVATIONS[rule]:
            raise ValueError(f"the {rule} rule works with the activations {', '.join(RULE_ACTIVATIONS[rule])}, "
                             f"not {activation!r}")
        if not (lr > 0 and math.isfinite(lr)):
            raise ValueError(f"learning rate must be a positive number, got {lr}")
        batch = len(ds.x_train) if full_batch and rule == "gradient" else 1
        super().__init__(steps=steps, seed=seed, eval_every=1, examples_per_step=batch)
        self.data, self.rule, self.activation, self.lr = ds, rule, activation, lr
        self.full_batch = full_batch and rule == "gradient"
        self.x_train = ds.x_train.astype(np.float64)  # (N, 2)
        self.y_train = ds.y_train.astype(np.int64)  # (N,) 0/1
        self.x_test, self.y_test = ds.x_test.astype(np.float64), ds.y_test.astype(np.int64)
        bound = float(np.ceil(np.abs(np.concatenate([self.x_train, self.x_test])).max() + 0.5))
        self.extent = extent or (-bound, bound)
        self.rng = np.random.default_rng(seed)
        self.w = self.rng.uniform(-0.5, 0.5, 2)  # (2,) small random weights: the first line is a guess ...
        through = self.rng.uniform(self.x_train.min(0), self.x_train.max(0))  # ... through the data's box
        self.b = float(-self.w @ through)
        self.initial = self.weights
        self._order = self.rng.permutation(len(self.x_train))
        self._cursor = 0
        self.converged = False

    # -- what the neuron computes
    @property
    def weights(self) -> tuple[float, float, float]:
        """(w1, w2, b) now."""
        return float(self.w[0]), float(self.w[1]), self.b

    def z(self, x: np.ndarray) -> np.ndarray:
        """Weighted sums w·x + b for points x (N, 2)."""
        return x @ self.w + self.b

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class 1 where z ≥ 0, else 0 (the line w·x + b = 0 is the boundary)."""
        return (self.z(np.asarray(x, dtype=np.float64)) >= 0).astype(np.int64)

    def _target(self, y: np.ndarray) -> np.ndarray:
        """Labels in the activation's output range: ±1 for sign/tanh, 0/1 otherwise."""
        return 2.0 * y - 1.0 if self.activation in ("sign", "tanh") else y.astype(np.float64)

    def loss(self, x: np.ndarray, y: np.ndarray) -> float:
        """Perceptron rule: mean of max(0, −s·z) (s = ±1); gradient: cross-entropy (sigmoid) or ½ squared error."""
        z = self.z(x)
        if self.rule == "perceptron":
            return float(np.mean(np.maximum(0.0, -(2.0 * y - 1.0) * z)))
        if self.activation == "sigmoid":  # binary cross-entropy from logits, stable for large |z|
            return float(np.mean(np.logaddexp(0.0, z) - y * z))
        return float(np.mean(0.5 * (activations.value(self.activation, z) - self._target(y)) ** 2))

    def dloss_dz(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∂loss/∂z per point: σ(z) − y for sigmoid + cross-entropy, (f(z) − t)·f'(z) for squared error."""
        z = self.z(x)
        if self.activation == "sigmoid":
            return activations.value("sigmoid", z) - y
        return (activations.value(self.activation, z) - self._target(y)) * activations.derivative(self.activation, z)

    # -- one step
    def _next_index(self, wanted: np.ndarray | None = None) -> int:
        """The next point in a seeded order (reshuffled each pass); only `wanted` points when given."""
        for _ in range(2 * len(self._order) + 1):
            if self._cursor >= len(self._order):
                self._order, self._cursor = self.rng.permutation(len(self.x_train)), 0
            i = int(self._order[self._cursor])
            self._cursor += 1
            if wanted is None or wanted[i]:
                return i
        raise RuntimeError("no wanted point found")  # unreachable: the caller checks wanted.any()

    def _step(self) -> Record:
        point = -1
        if self.rule == "perceptron":
            wrong = self.predict(self.x_train) != self.y_train
            if wrong.any():
                point = self._next_index(wrong)
                x = self.x_train[point]
                t = float(self._target(self.y_train[point:point + 1])[0])
                y_hat = float(activations.value(self.activation, np.array([self.z(x[None])[0]]))[0])
                self.w = self.w + self.lr * (t - y_hat) * x  # Rosenblatt: move the line towards the point
                self.b += self.lr * (t - y_hat)
        else:
            if self.full_batch:
                x, y = self.x_train, self.y_train
            else:
                point = self._next_index()
                x, y = self.x_train[point:point + 1], self.y_train[point:point + 1]
            dz = self.dloss_dz(x, y)  # (B,)
            self.w = self.w - self.lr * (dz @ x) / len(x)  # ∂loss/∂w = ∂loss/∂z · x, averaged
            self.b -= self.lr * float(dz.mean())
        errors = int((self.predict(self.x_train) != self.y_train).sum())
        if self.rule == "perceptron" and errors == 0:
            self.converged = True
            self.stop = Stop("finished", self.steps + 1, "converged")
        w1, w2, b = self.weights
        return {"loss": self.loss(self.x_train, self.y_train), "w1": w1, "w2": w2, "b": b,
                "point": float(point), "errors": float(errors)}

    def _evaluate(self) -> Record:
        return {"train_acc": float(np.mean(self.predict(self.x_train) == self.y_train)),
                "test_acc": float(np.mean(self.predict(self.x_test) == self.y_test))}

    def last_update(self) -> Update | None:
        """The most recent step: which point caused it and the line before and after (None before any step)."""
        if not self.history:
            return None
        rec = self.history[-1]
        prev = self.history[-2] if len(self.history) > 1 else None
        before = (prev["w1"], prev["w2"], prev["b"]) if prev else self.initial
        return Update(int(rec["step"]), int(rec["point"]), before, (rec["w1"], rec["w2"], rec["b"]))

    def _state(self) -> dict[str, Any]:
        return {"w": self.w.copy(), "b": self.b, "rng": self.rng.bit_generator.state, "order": self._order.copy(),
                "cursor": self._cursor, "converged": self.converged}

    def _load_state(self, state: dict[str, Any]) -> None:
        self.w, self.b = state["w"].copy(), state["b"]
        self.rng.bit_generator.state = state["rng"]
        self._order, self._cursor, self.converged = state["order"].copy(), state["cursor"], state["converged"]


def make_data(cfg: PerceptronConfig) -> data.Dataset:
    """The config's data set: a logic gate's corners or two gaussian clouds."""
    if cfg.dataset == "gaussians":
        return data.toy2d("gaussians", cfg.points, cfg.noise, 0.5, cfg.seed)
    if cfg.dataset not in GATES:
        raise ValueError(f"unknown data set {cfg.dataset!r}; choose from {', '.join(DATASETS)}")
    return gate_data(cfg.dataset, cfg.copies, cfg.jitter, cfg.seed)


@register("perceptron", PerceptronConfig, "one neuron learns a line: perceptron rule or gradient descent on AND/OR/NAND/XOR")
def build(cfg: PerceptronConfig) -> PerceptronTrainer:
    """The single-neuron trainer for a config."""
    extent = GATE_EXTENT if cfg.dataset in GATES else None
    return PerceptronTrainer(make_data(cfg), rule=cfg.rule, activation=cfg.activation, lr=cfg.lr, steps=cfg.steps,
                             full_batch=cfg.full_batch, seed=cfg.seed, extent=extent)
