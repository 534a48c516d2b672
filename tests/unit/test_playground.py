"""The playground through dlcore alone: features, limits, learning, the drawn computations, the figure."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest
import torch

from dlcore import cli, experiments, features
from dlcore.experiments import playground as pg
from dlcore.figures import network as nf

torch.set_num_threads(1)  # tiny models: one thread is fastest, and the shared 2-core box stays usable


def make(**overrides):
    return experiments.get("playground").make(**overrides)


# ----------------------------------------------------------------------------- features
def test_numpy_and_torch_features_agree():
    x = np.random.default_rng(0).uniform(-6, 6, (200, 2)).astype(np.float32)
    names = ",".join(features.FEATURES)
    expected = features.transform(x, names)
    got = features.FeatureLayer(names)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)
    a, b = x[:, 0], x[:, 1]
    by_hand = np.stack([a / 6, b / 6, a * a / 36, b * b / 36, a * b / 36, np.sin(a), np.sin(b)], 1)
    np.testing.assert_allclose(expected, by_hand, rtol=1e-5, atol=1e-6)


def test_feature_names_are_checked_and_put_in_order():
    assert features.parse("sinx2, x1 ,x1") == ("x1", "sinx2")
    with pytest.raises(ValueError, match="unknown feature"):
        features.parse("x1,x3")
    with pytest.raises(ValueError, match="at least one"):
        features.parse("")


# ----------------------------------------------------------------------------- limits and config
def test_layer_limits():
    assert pg.parse_hidden("") == ()
    assert pg.parse_hidden("8, 1,4") == (8, 1, 4)
    with pytest.raises(ValueError, match="at most 6"):
        pg.parse_hidden("1,1,1,1,1,1,1")
    with pytest.raises(ValueError, match="1 to 8"):
        pg.parse_hidden("9")
    assert pg.parse_hidden("32,32,32,32,32,32", advanced=True) == (32,) * 6
    with pytest.raises(ValueError, match="1 to 32"):
        pg.parse_hidden("33", advanced=True)
    with pytest.raises(ValueError, match="whole numbers"):
        pg.parse_hidden("8,x")


def test_config_round_trips_through_strings():
    cfg = pg.PlaygroundConfig(dataset="xor", noise=0.25, hidden="4,2", advanced=True, features="x1,x1x2", l2=0.001)
    assert pg.config_from_strings(pg.config_to_strings(cfg)) == cfg
    bad = pg.config_from_strings({"points": "many", "lr": "0.3", "advanced": "true", "other": "x"})
    assert bad.points == pg.PlaygroundConfig().points and bad.lr == 0.3 and bad.advanced


# ----------------------------------------------------------------------------- learning
def test_spiral_reaches_95_percent_within_600_steps():
    trainer = make(dataset="spiral", noise=0.0, hidden="8,8", activation="tanh", optimizer="adam", steps=600, seed=0)
    for _ in trainer.run():
        pass
    assert trainer.steps <= 600 and trainer.stop.kind == "finished"
    assert trainer.latest("test_acc") >= 0.95


def test_no_hidden_layer_is_logistic_regression_and_features_make_a_ring_linear():
    trainer = make(dataset="circle", hidden="", features="x1sq,x2sq", steps=300)
    linears = [m for m in trainer.model if isinstance(m, torch.nn.Linear)]
    assert len(linears) == 1 and linears[0].in_features == 2 and linears[0].out_features == 1
    p = trainer.predict(np.array([[1.0, 2.0]], dtype=np.float32))[0, 1]
    w, b = linears[0].weight.detach().numpy()[0], float(linears[0].bias.detach()[0])
    f = features.transform(np.array([[1.0, 2.0]]), "x1sq,x2sq")[0]
    assert p == pytest.approx(1 / (1 + np.exp(-(f @ w + b))), rel=1e-5)  # sigmoid(w·f + b): logistic regression
    for _ in trainer.run():
        pass
    assert trainer.latest("test_acc") >= 0.95
    plain = make(dataset="circle", hidden="", features="x1,x2", steps=300)
    for _ in plain.run():
        pass
    assert plain.latest("test_acc") < 0.75  # a straight cut cannot separate a ring


def test_sgd_with_learning_rate_10_diverges_with_a_reason():
    trainer = make(optimizer="sgd", lr=10.0, steps=500)
    records = list(trainer.run())
    assert trainer.stop.kind == "diverged" and trainer.stop.detail == "loss"
    assert len(records) < 100
    xs, ys, prob = pg.decision_grid(trainer.model)  # the page can still draw it
    assert prob.shape == (100, 100)


def test_sensible_settings_do_not_count_as_diverged():
    for ds in ("circle", "xor", "moons"):
        trainer = make(dataset=ds, noise=0.3, batch_size=10, lr=0.03, steps=300)
        for _ in trainer.run():
            pass
        assert trainer.stop.kind == "finished"


def test_cli_trains_the_playground(capsys):
    assert cli.main(["train", "playground", "--steps", "20", "--hidden", "4", "--json", "--log-every", "10"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines[-1]["step"] == 20 and "test_acc" in lines[-1]


# ----------------------------------------------------------------------------- what the page draws
def test_decision_grid_matches_the_models_own_predictions():
    trainer = make(steps=50)
    for _ in trainer.run():
        pass
    xs, ys, prob = pg.decision_grid(trainer.model)
    assert prob.shape == (100, 100) and xs[0] == -6 and xs[-1] == 6
    i, j = 37, 81  # row = y index, column = x index
    expected = trainer.predict(np.array([[xs[j], ys[i]]], dtype=np.float32))[0, 1]
    assert prob[i, j] == pytest.approx(expected, abs=1e-6)


def test_neuron_outputs_match_a_forward_pass_by_hand():
    trainer = make(hidden="5,3", features="x1,x2,sinx1", activation="tanh", steps=20)
    for _ in trainer.run():
        pass
    pts = np.random.default_rng(1).uniform(-6, 6, (7, 2)).astype(np.float32)
    outs = pg.layer_outputs(trainer.model, pts)
    assert [o.shape for o in outs] == [(7, 3), (7, 5), (7, 3), (7, 1)]
    (w1, w2, w3), (b1, b2, b3) = pg.weights(trainer.model), pg.biases(trainer.model)
    f = features.transform(pts, "x1,x2,sinx1")
    h1 = np.tanh(f @ w1.T + b1)
    h2 = np.tanh(h1 @ w2.T + b2)
    out = 1 / (1 + np.exp(-(h2 @ w3.T + b3)))
    for got, want in zip(outs, [f, h1, h2, out]):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    maps = pg.neuron_grids(trainer.model, 10)
    assert [m.shape for m in maps] == [(3, 10, 10), (5, 10, 10), (3, 10, 10), (1, 10, 10)]
    assert all(np.abs(m).max() <= 1 + 1e-6 for m in maps)
    _, _, big = pg.neuron_grid(trainer.model, 1, 2, resolution=10)
    raw = pg.neuron_grids(trainer.model, 10, normalize=False)[1][2]
    np.testing.assert_allclose(big, raw, rtol=1e-6)
    assert pg.neuron_labels(trainer.model) == [["x1", "x2", "sin x1"], ["h1.1", "h1.2", "h1.3", "h1.4", "h1.5"],
                                               ["h2.1", "h2.2", "h2.3"], ["out"]]


def test_turning_a_valve_moves_the_boundary():
    trainer = make(hidden="4", steps=10)
    before = pg.decision_grid(trainer.model)[2]
    old = pg.set_weight(trainer.model, 1, 0, 2, 5.0)
    assert pg.weights(trainer.model)[1][0, 2] == 5.0 and old != 5.0
    after = pg.decision_grid(trainer.model)[2]
    assert np.abs(after - before).max() > 0.05
    pg.set_weight(trainer.model, 1, 0, 2, old)
    np.testing.assert_allclose(pg.decision_grid(trainer.model)[2], before, atol=1e-6)


# ----------------------------------------------------------------------------- the network figure
def _network_figure(model, **kw):
    return nf.network(pg.layer_sizes(model), pg.weights(model), pg.neuron_grids(model, 10), pg.neuron_labels(model),
                      ["in", "h1", "h2", "out"][:len(pg.layer_sizes(model))], **kw)


def test_network_figure_is_valid_plotly_with_signed_edges_and_moving_flow():
    model = make(hidden="4,3", features="x1,x2,x1x2").model
    fig = _network_figure(model, phase=0.0, selected=(1, 2), edge=(0, 1, 2))
    go.Figure(fig.to_dict())  # full validation of the fast, unvalidated build
    spec = json.loads(fig.to_json())
    lines = [t for t in spec["data"] if t["type"] == "scatter" and t.get("mode") == "lines" and "opacity" in t]
    colors = {t["line"]["color"] for t in lines}
    assert colors <= {nf.POSITIVE, nf.NEGATIVE} and len(colors) == 2
    w = np.concatenate([x.ravel() for x in pg.weights(model)])
    n_segments = sum((len(t["x"]["bdata"]) if isinstance(t["x"], dict) else len(t["x"])) > 0 for t in lines)
    assert n_segments >= 2 and len(w) == 3 * 4 + 4 * 3 + 3
    heatmaps = [t for t in spec["data"] if t["type"] == "heatmap"]
    assert len(heatmaps) == 4  # one per layer: inputs, two hidden, output

    def dots(phase):
        f = _network_figure(model, phase=phase)
        return [np.asarray(t.x) for t in f.data if isinstance(t, go.Scatter) and t.mode == "markers"
                and t.hoverinfo == "skip"]

    assert dots(0.1) and not np.allclose(dots(0.1)[0], dots(0.4)[0])  # the flow moves between redraws
    idle = _network_figure(model, phase=None).data
    assert not [t for t in idle if isinstance(t, go.Scatter) and t.mode == "markers" and t.hoverinfo == "skip"]


def test_largest_network_draws():
    model = make(hidden="32,32,32,32,32,32", advanced=True, features=",".join(features.FEATURES)).model
    fig = _network_figure(model, phase=0.5)
    assert sum(isinstance(t, go.Heatmap) for t in fig.data) == 8
    assert len(fig.to_json()) < 1_500_000


def test_live_figures_swap_only_the_numbers():
    trainer = make(steps=30)
    for _ in trainer.run():
        pass
    xs, ys, prob = pg.decision_grid(trainer.model)
    ds = trainer.data
    live = nf.LiveFigures(xs, ys, [("train", ds.x_train, ds.y_train), ("test", ds.x_test, ds.y_test)],
                          ["train_loss", "test_loss"], boundary_title="b", curves_title="c")
    fig = live.boundary(prob)
    go.Figure(fig.to_dict())
    np.testing.assert_allclose(np.asarray(fig.data[0].z), prob, rtol=1e-6)
    assert len(fig.data) == 3
    curves = live.curves(trainer.metrics("train_loss", "test_loss"))
    go.Figure(curves.to_dict())
    assert len(curves.data[1].y) == 3 and curves.data[1].y[-1] == pytest.approx(trainer.latest("test_loss"))
    neuron = nf.neuron_map(*pg.neuron_grid(trainer.model, 1, 0, resolution=30), title="h1.1")
    go.Figure(neuron.to_dict())
