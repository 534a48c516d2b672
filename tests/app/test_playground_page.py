"""The playground page in both languages: train, step, logistic regression, divergence, the URL, a valve."""

import json

import pytest

from tests.app.helpers import open_app, texts

PAGE = "pages/02_how_networks_learn.py"


def _open(lang="en", **params):
    at = open_app(lang, None, **{"live.burst_seconds": 0.3})
    at.switch_page(PAGE)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _trainer(at):
    return at.session_state["pg.trainer"] if "pg.trainer" in at.session_state else None


def _specs(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


@pytest.mark.parametrize("lang, start", [("en", "Start"), ("zh", None)])
def test_start_trains_and_draws_boundary_network_curves(lang, start):
    at = _open(lang, steps="40", hidden="4,3")
    assert at.title[0].value == ("How a network learns" if lang == "en" else "网络是怎样学习的")
    specs = _specs(at)
    assert len(specs) == 3  # boundary, network, one neuron before Start; the loss chart waits for a loss
    assert any("once training starts" in i.value or "开始训练后" in i.value for i in at.info)
    start_button = _button(at, start) if start else at.button(key="pg.toggle")
    start_button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    trainer = _trainer(at)
    assert trainer is not None and trainer.steps > 0
    assert trainer.config.hidden == "4,3"
    specs = _specs(at)
    assert len(specs) == 4 and specs[2]["data"][0]["name"] in ("train loss", "训练损失")  # the loss, now drawn
    heat = specs[0]["data"][0]
    assert heat["type"] == "heatmap"
    assert sum(d["type"] == "heatmap" for d in specs[1]["data"]) == 4  # inputs, 2 hidden layers, output


def test_step_takes_one_step_and_settings_live_in_the_url():
    at = _open("en", dataset="xor", hidden="3", seed="5", features="x1,x2,x1x2")
    at.button(key="pg.step").click().run()
    trainer = _trainer(at)
    assert trainer.steps == 1 and trainer.config.dataset == "xor" and trainer.config.seed == 5
    assert at.query_params["dataset"] in ("xor", ["xor"]) and at.query_params["features"] in ("x1,x2,x1x2", ["x1,x2,x1x2"])
    assert "dataset=xor" in at.code[0].value and "seed=5" in at.code[0].value  # the link to share


def test_apply_writes_the_form_into_the_url_and_new_data_bumps_the_seed():
    at = _open("en")
    at.session_state["pg.w.dataset"] = "moons"
    at.session_state["pg.w.layers"] = 1
    at.session_state["pg.w.n0"] = 3
    at.button(key="FormSubmitter:pg.form-Apply").click().run()
    assert not at.exception
    assert at.session_state["pg.cfg"].dataset == "moons" and at.session_state["pg.cfg"].hidden == "3"
    assert at.query_params["hidden"] in ("3", ["3"])
    seed = at.session_state["pg.cfg"].seed
    at.button(key="FormSubmitter:pg.form-New data").click().run()
    assert at.session_state["pg.cfg"].seed == seed + 1 and at.session_state["pg.cfg"].dataset == "moons"


def test_no_hidden_layer_says_logistic_regression():
    for lang, word in (("en", "logistic regression"), ("zh", "逻辑回归")):
        at = _open(lang, hidden="", dataset="circle", features="x1sq,x2sq", steps="20")
        assert word in texts(at)
        at.button(key="pg.step").click().run()
        assert not at.exception and _trainer(at).steps == 1


def test_sgd_learning_rate_10_shows_divergence_and_page_stays_usable():
    at = _open("en", optimizer="sgd", lr="10.0", steps="400")
    at.button(key="pg.toggle").click().run()
    for _ in range(5):
        if _trainer(at).done:
            break
        at.run()
    assert _trainer(at).stop.kind == "diverged"
    assert "diverged" in texts(at) and "exploded" in texts(at)
    at.button(key="pg.reset").click().run()
    assert not at.exception and _trainer(at) is None
    at.query_params["lr"] = "0.1"
    at.run()
    at.button(key="pg.step").click().run()
    assert not at.exception and _trainer(at).steps == 1


def test_turning_a_valve_changes_the_weight_and_the_boundary():
    at = _open("en", hidden="2", steps="10")
    before = _specs(at)[0]["data"][0]["z"]
    at.selectbox(key="pg.valve_layer").set_value(1).run()
    at.number_input(key="pg.valve_value").set_value(15.0).run()
    at.button(key="pg.valve_set").click().run()
    assert not at.exception
    model = _trainer(at).model
    assert float(model[3].weight.detach()[0, 0]) == 15.0
    assert "changed from" in texts(at)
    assert _specs(at)[0]["data"][0]["z"] != before


def test_largest_network_and_enlarged_neuron():
    at = _open("en", hidden="32,32,32,32,32,32", advanced="1", steps="30",
               features="x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2")
    at.selectbox(key="pg.neuron").set_value(10).run()  # output, 7 inputs, then h1.1, h1.2, h1.3
    at.button(key="pg.step").click().run()
    assert not at.exception
    assert len(_trainer(at).model) == 1 + 7 + 6 + 1
    assert "h1.3" in _specs(at)[3]["layout"]["title"]["text"]


def test_test_points_are_drawn_only_when_asked():
    at = _open("en")
    boundary = _specs(at)[0]
    assert [tr.get("name") for tr in boundary["data"][1:]] == ["train"]  # off by default, as in TF Playground
    at.toggle(key="pg.show_test").set_value(True).run()
    boundary = _specs(at)[0]
    assert [tr.get("name") for tr in boundary["data"][1:]] == ["train", "test"]
    assert boundary["data"][2]["marker"]["color"] == "rgba(0,0,0,0)"  # test points hollow
