"""The activation gallery and the single-neuron trainer: oracle checks against torch, learning tests, contract."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcore import activations, cli, experiments
from dlcore.experiments import perceptron as P
from dlcore.figures import neuron as figs

X = np.concatenate([np.linspace(-6, 6, 241), [-1e-3, 0.0, 1e-3, -30.0, 30.0]])

TORCH = {
    "step": lambda t: torch.heaviside(t, torch.tensor(1.0, dtype=t.dtype)),
    "sign": lambda t: torch.where(t >= 0, 1.0, -1.0).to(t.dtype),
    "sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": F.relu,
    "leaky_relu": lambda t: F.leaky_relu(t, activations.LEAKY_SLOPE), "elu": F.elu, "gelu": F.gelu,
    "softplus": F.softplus, "silu": F.silu,
}


@pytest.mark.parametrize("name", activations.NAMES)
def test_value_and_derivative_match_torch_autograd(name):
    t = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    out = TORCH[name](t)
    if name in activations.NO_GRADIENT:  # torch.sign's autograd: the slope of a staircase is 0
        out = out.detach() + 0 * torch.sign(t)
    out.sum().backward()
    np.testing.assert_allclose(activations.value(name, X), out.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(activations.derivative(name, X), t.grad.numpy(), atol=1e-10)


def test_every_activation_is_listed_once_with_formulas():
    assert set(activations.NAMES) == set(TORCH)
    for a in activations.ACTIVATIONS.values():
        assert a.formula and a.derivative_formula
    with pytest.raises(ValueError, match="unknown activation"):
        activations.get("swish2")


def test_saturation_regions_where_the_derivative_is_tiny():
    sig = activations.curve("sigmoid", -8, 8, 1601)
    (l_lo, l_hi), (r_lo, r_hi) = sig.saturated  # both tails, nothing in the middle
    edge = math.log((1 + math.sqrt(1 - 4 * 0.05)) / (1 - math.sqrt(1 - 4 * 0.05)))  # σ'(x) = 0.05 at |x| ≈ 2.94
    assert l_lo == -8 and abs(l_hi + edge) < 0.02 and abs(r_lo - edge) < 0.02 and r_hi == 8
    tanh = activations.curve("tanh", -5, 5, 1001)
    assert abs(tanh.saturated[1][0] - math.atanh(math.sqrt(0.95))) < 0.02  # ≈ 1.83
    relu = activations.curve("relu", -5, 5, 1001)
    assert relu.saturated == [(-5.0, 0.0)]  # dead for x ≤ 0, never saturated for x > 0
    assert activations.curve("step").saturated == [(-5.0, 5.0)]
    assert activations.curve("step").saturated_fraction == 1.0
    assert activations.curve("elu", 0.5, 5).saturated == []
    with pytest.raises(ValueError):
        activations.curve("tanh", 1, 1)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_gradient_rule_matches_torch_autograd(activation):
    tr = P.build(P.PerceptronConfig(dataset="gaussians", rule="gradient", activation=activation, full_batch=True,
                                    lr=0.1, steps=5))
    list(tr.run(steps=2))
    w = torch.tensor(tr.w, requires_grad=True)
    b = torch.tensor(tr.b, dtype=torch.float64, requires_grad=True)
    x, y = torch.tensor(tr.x_train), torch.tensor(tr.y_train, dtype=torch.float64)
    z = x @ w + b
    if activation == "sigmoid":
        loss = F.binary_cross_entropy_with_logits(z, y)
    else:
        loss = (0.5 * (torch.tanh(z) - (2 * y - 1)) ** 2).mean()
    loss.backward()
    assert tr.loss(tr.x_train, tr.y_train) == pytest.approx(loss.item(), rel=1e-9)
    w_before, b_before = tr.w.copy(), tr.b
    tr.step()
    np.testing.assert_allclose(tr.w, w_before - 0.1 * w.grad.numpy(), rtol=1e-9)
    assert tr.b == pytest.approx(b_before - 0.1 * b.grad.item(), rel=1e-9)


def test_perceptron_rule_moves_towards_one_misclassified_point():
    tr = P.build(P.PerceptronConfig(dataset="and", lr=0.5))
    w_before, b_before = tr.w.copy(), tr.b
    wrong_before = tr.predict(tr.x_train) != tr.y_train
    rec = tr.step()
    i = int(rec["point"])
    assert wrong_before[i]  # the point that caused the update was misclassified
    sign = tr.y_train[i] - (1 - tr.y_train[i])  # y − ŷ = +1 if it should be 1, −1 if it should be 0
    np.testing.assert_allclose(tr.w, w_before + 0.5 * sign * tr.x_train[i])
    assert tr.b == pytest.approx(b_before + 0.5 * sign)
    up = tr.last_update()
    assert up.point == i and up.before == pytest.approx((*w_before, b_before)) and up.after == tr.weights


@pytest.mark.parametrize("gate", ["and", "or", "nand"])
@pytest.mark.parametrize("rule,activation", [("perceptron", "step"), ("perceptron", "sign"), ("gradient", "sigmoid")])
def test_linearly_separable_gates_reach_100_percent(gate, rule, activation):
    tr = P.build(P.PerceptronConfig(dataset=gate, rule=rule, activation=activation, seed=0))
    list(tr.run())
    assert tr.latest("train_acc") == 1.0 and tr.latest("test_acc") == 1.0
    if rule == "perceptron":  # the rule stops by itself once every point is right
        assert tr.converged and tr.stop.kind == "finished" and tr.steps < 50


@pytest.mark.parametrize("rule,activation,full_batch,copies",
                         [("perceptron", "step", False, 0), ("perceptron", "sign", False, 5),
                          ("gradient", "sigmoid", False, 0), ("gradient", "sigmoid", True, 5),
                          ("gradient", "tanh", False, 0)])
def test_xor_is_never_above_75_percent(rule, activation, full_batch, copies):
    tr = P.build(P.PerceptronConfig(dataset="xor", rule=rule, activation=activation, full_batch=full_batch,
                                    copies=copies, steps=3000, seed=0))
    accs = [r["train_acc"] for r in tr.run()]
    assert len(accs) == 3000 and not tr.converged
    assert max(accs) <= 0.75
    assert max(tr.metrics("test_acc")["test_acc"][1]) <= 0.75


def test_step_activation_gives_gradient_descent_nothing_to_follow():
    tr = P.build(P.PerceptronConfig(dataset="and", rule="gradient", activation="step"))
    start = tr.weights
    list(tr.run(steps=50))
    assert tr.weights == start  # f'(z) = 0 everywhere: the line never moves


def test_gaussians_and_jittered_gates_have_a_real_test_set():
    tr = P.build(P.PerceptronConfig(dataset="gaussians", noise=0.3))
    assert len(tr.x_train) == len(tr.x_test) == 50
    list(tr.run())
    assert tr.latest("train_acc") == 1.0 and tr.latest("test_acc") >= 0.9
    ds = P.gate_data("or", copies=3, jitter=0.05, seed=1)
    assert ds.x_train.shape == (16, 2) and ds.x_test.shape == (12, 2)
    np.testing.assert_array_equal(ds.x_train[:4], P.CORNERS)


def test_resume_continues_the_same_curve():
    cfg = P.PerceptronConfig(dataset="xor", rule="gradient", activation="sigmoid", steps=60)
    straight = P.build(cfg)
    list(straight.run())
    first = P.build(cfg)
    list(first.run(steps=25))
    second = P.build(cfg)
    second.load_state_dict(first.state_dict())
    list(second.run())
    assert [r["w1"] for r in second.history] == [r["w1"] for r in straight.history]


def test_bad_settings_are_value_errors():
    for bad in ({"rule": "perceptron", "activation": "sigmoid"}, {"rule": "hebb"}, {"dataset": "nor"},
                {"lr": 0.0}, {"lr": float("nan")}):
        with pytest.raises(ValueError):
            experiments.get("perceptron").make(**bad)


def test_neuron_grid_segment_and_formula():
    xs, ys, z = P.neuron_grid(2.0, -1.0, 0.5, "sigmoid", (-1, 2), n=31)
    assert z.shape == (31, 31)
    assert z[4, 7] == pytest.approx(1 / (1 + math.exp(-(2 * xs[7] - ys[4] + 0.5))))
    seg = P.decision_segment(2.0, -1.0, 0.5, (-1, 2))
    assert seg.shape == (2, 2)
    np.testing.assert_allclose(2 * seg[:, 0] - seg[:, 1] + 0.5, 0, atol=1e-9)
    assert ((seg >= -1 - 1e-9) & (seg <= 2 + 1e-9)).all()
    assert P.decision_segment(0.0, 0.0, 1.0, (-1, 1)) is None  # no weights, no line
    assert P.decision_segment(1.0, 0.0, -5.0, (-1, 1)) is None  # x1 = 5 lies outside the box
    text = P.formula(1.0, -0.5, 0.25, 1.0, 1.0, "sigmoid")
    assert "1.00 \\cdot 1.00 + (-0.50) \\cdot 1.00 + 0.25" in text and "(0.75) = 0.679" in text


def test_figures_build_from_plain_data():
    fig = figs.activation_curves([activations.curve("sigmoid"), activations.curve("relu")], ["σ", "ReLU"],
                                 title="t")
    assert sum(s.type == "rect" for s in fig.layout.shapes) == 3  # sigmoid's two tails, relu's negative half
    ext = P.GATE_EXTENT
    before, after = (0.5, 0.5, -0.2), (1.0, 0.5, -0.9)
    xs, ys, z = P.neuron_grid(*after, "step", ext)
    fig = figs.neuron_map(xs, ys, z, mid=0.5, z_range=(0, 1), points=[("train", P.CORNERS, np.array([0, 0, 0, 1]))],
                          line=P.decision_segment(*after, ext), previous_line=P.decision_segment(*before, ext),
                          highlight=P.CORNERS[3], weights=after[:2], title="neuron", line_label="now",
                          previous_label="before", highlight_label="this point")
    assert [d.name for d in fig.data] == [None, "train", "before", "now", "this point"]
    assert len(fig.layout.annotations) == 1  # the weight arrow


def test_cli_trains_perceptron_as_json(capsys):
    assert cli.main(["train", "perceptron", "--dataset", "or", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[-1]["train_acc"] == 1.0 and {"w1", "w2", "b", "point"} <= set(lines[-1])
