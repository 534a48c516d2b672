"""The activation-function gallery: each function's value and derivative, and where it saturates.

What it teaches: a neuron squashes its weighted sum z through an activation f. Learning by gradient
needs f'(z): wherever f' is (nearly) zero, the neuron "saturates" — nudging its weights barely moves
its output, so almost no gradient flows back and learning starves. What it simplifies: plain NumPy
over a 1D range (the same formulas torch uses; the tests check them against torch.autograd).

The step and sign functions are flat everywhere except a jump at 0: their derivative is 0 (and
undefined at the jump), so gradient descent cannot train them — that is why the perceptron has its
own learning rule, and why modern networks use smooth activations.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SATURATION = 0.05  # |f'(x)| below this counts as saturated: a step moves the output by < 5% of itself
LEAKY_SLOPE = 0.01  # torch's default negative slope for leaky ReLU
ELU_ALPHA = 1.0  # torch's default α for ELU

Array = np.ndarray


def _sigmoid(x: Array) -> Array:
    # exp of a non-positive number only, so large |x| never overflows
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


_erf = np.vectorize(math.erf, otypes=[float])


def _phi(x: Array) -> Array:
    """Standard normal CDF Φ(x), used by GELU."""
    return 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))


@dataclass(frozen=True)
class Activation:
    """One activation: f, its derivative f', and both formulas in LaTeX."""

    name: str
    f: Callable[[Array], Array]
    df: Callable[[Array], Array]
    formula: str  # LaTeX for f(x)
    derivative_formula: str  # LaTeX for f'(x)
    output_range: tuple[float, float]  # (low, high) of f over the real line (±inf allowed)


def _elu(x: Array) -> Array:
    return np.where(x > 0, x, ELU_ALPHA * np.expm1(np.minimum(x, 0.0)))


ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (
    Activation("step", lambda x: (x >= 0).astype(float), lambda x: np.zeros_like(x, dtype=float),
               r"\mathrm{step}(x)=\begin{cases}1 & x\ge 0\\ 0 & x<0\end{cases}",
               r"0 \;(x\ne 0;\ \text{undefined at } 0)", (0.0, 1.0)),
    Activation("sign", lambda x: np.where(x >= 0, 1.0, -1.0), lambda x: np.zeros_like(x, dtype=float),
               r"\mathrm{sign}(x)=\begin{cases}1 & x\ge 0\\ -1 & x<0\end{cases}",
               r"0 \;(x\ne 0;\ \text{undefined at } 0)", (-1.0, 1.0)),
    Activation("sigmoid", _sigmoid, lambda x: _sigmoid(x) * (1.0 - _sigmoid(x)),
               r"\sigma(x)=\frac{1}{1+e^{-x}}", r"\sigma(x)\,(1-\sigma(x))", (0.0, 1.0)),
    Activation("tanh", np.tanh, lambda x: 1.0 - np.tanh(x) ** 2,
               r"\tanh(x)=\frac{e^{x}-e^{-x}}{e^{x}+e^{-x}}", r"1-\tanh^2(x)", (-1.0, 1.0)),
    Activation("relu", lambda x: np.maximum(x, 0.0), lambda x: (x > 0).astype(float),
               r"\mathrm{ReLU}(x)=\max(0,x)", r"\begin{cases}1 & x>0\\ 0 & x\le 0\end{cases}", (0.0, math.inf)),
    Activation("leaky_relu", lambda x: np.where(x > 0, x, LEAKY_SLOPE * x),
               lambda x: np.where(x > 0, 1.0, LEAKY_SLOPE),
               rf"\mathrm{{LeakyReLU}}(x)=\begin{{cases}}x & x>0\\ {LEAKY_SLOPE}\,x & x\le 0\end{{cases}}",
               rf"\begin{{cases}}1 & x>0\\ {LEAKY_SLOPE} & x\le 0\end{{cases}}", (-math.inf, math.inf)),
    Activation("elu", _elu, lambda x: np.where(x > 0, 1.0, _elu(x) + ELU_ALPHA),
               r"\mathrm{ELU}(x)=\begin{cases}x & x>0\\ e^{x}-1 & x\le 0\end{cases}",
               r"\begin{cases}1 & x>0\\ e^{x} & x\le 0\end{cases}", (-ELU_ALPHA, math.inf)),
    Activation("gelu", lambda x: x * _phi(x),
               lambda x: _phi(x) + x * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi),
               r"\mathrm{GELU}(x)=x\,\Phi(x)", r"\Phi(x)+x\,\varphi(x)", (-0.17, math.inf)),
    Activation("softplus", lambda x: np.logaddexp(0.0, x), _sigmoid,
               r"\mathrm{softplus}(x)=\ln(1+e^{x})", r"\sigma(x)", (0.0, math.inf)),
    Activation("silu", lambda x: x * _sigmoid(x),
               lambda x: _sigmoid(x) * (1.0 + x * (1.0 - _sigmoid(x))),
               r"\mathrm{SiLU}(x)=x\,\sigma(x)", r"\sigma(x)\,\bigl(1+x\,(1-\sigma(x))\bigr)", (-0.28, math.inf)),
)}
NAMES: tuple[str, ...] = tuple(ACTIVATIONS)
NO_GRADIENT = ("step", "sign")  # derivative 0 wherever it exists: gradient descent cannot train these


def get(name: str) -> Activation:
    """One activation by name; a ValueError lists the known names."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose from {', '.join(NAMES)}")
    return ACTIVATIONS[name]


def value(name: str, x: Array) -> Array:
    """f(x) elementwise."""
    return get(name).f(np.asarray(x, dtype=float))


def derivative(name: str, x: Array) -> Array:
    """f'(x) elementwise (torch's convention at kinks; 0 for step and sign, whose jump has none)."""
    return get(name).df(np.asarray(x, dtype=float))


def saturated_regions(x: Array, dy: Array, threshold: float = SATURATION) -> list[tuple[float, float]]:
    """The [start, end] intervals of a sorted grid x where |f'(x)| < threshold."""
    flat = np.abs(np.asarray(dy)) < threshold
    regions: list[tuple[float, float]] = []
    start = None
    for i, is_flat in enumerate(flat):
        if is_flat and start is None:
            start = i
        if start is not None and (not is_flat or i == len(flat) - 1):
            end = i if is_flat else i - 1
            regions.append((float(x[start]), float(x[end])))
            start = None
    return regions


@dataclass(frozen=True)
class Curve:
    """An activation sampled on a range: ready for a figure."""

    name: str
    x: Array
    y: Array  # f(x)
    dy: Array  # f'(x)
    saturated: list[tuple[float, float]]  # intervals where |f'| < SATURATION

    @property
    def saturated_fraction(self) -> float:
        """Share of the sampled range where the neuron is saturated (0..1)."""
        return float(np.mean(np.abs(self.dy) < SATURATION))


def curve(name: str, low: float = -5.0, high: float = 5.0, n: int = 401) -> Curve:
    """Sample f and f' of one activation on [low, high] and find where it saturates."""
    if not high > low:
        raise ValueError(f"need low < high, got [{low}, {high}]")
    x = np.linspace(low, high, max(2, n))
    dy = derivative(name, x)
    return Curve(name, x, value(name, x), dy, saturated_regions(x, dy))


def color_range(name: str) -> tuple[float, float] | None:
    """The output range for a fixed colour scale, or None when f is unbounded (scale to the data then)."""
    lo, hi = get(name).output_range
    return (lo, hi) if math.isfinite(lo) and math.isfinite(hi) else None


def midpoint(name: str) -> float:
    """The output on the decision line w·x + b = 0: f(0), or the middle of the jump for step and sign."""
    if name in NO_GRADIENT:
        return sum(get(name).output_range) / 2
    return float(value(name, np.array([0.0]))[0])
