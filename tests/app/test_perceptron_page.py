"""The perceptron page in both languages: gallery, neuron by hand, step mode, and XOR that never settles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlcore.experiments import perceptron as P
from tests.app.helpers import open_app, texts

PAGE = "pages/01_perceptron.py"
NEXT_PAGE = Path(__file__).resolve().parents[2] / "pages/02_how_networks_learn.py"


def open_page(lang: str):
    at = open_app(lang, PAGE)
    assert not at.exception
    return at


def train_to_the_end(at, runs: int = 20):
    """Press Start, then let the panel's chunks run (one per script run in AppTest) until the trainer stops."""
    at.button(key="perceptron.toggle").click().run()
    for _ in range(runs):
        assert not at.exception
        if at.session_state["perceptron.trainer"].done:
            break
        at.run()
    return at.session_state["perceptron.trainer"]


def chart_specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


@pytest.mark.parametrize("lang,title,word", [("en", "The perceptron and its activation functions", "Step"),
                                             ("zh", "感知机与激活函数", "第 2 步")])
def test_page_opens_and_steps_in_both_languages(lang, title, word):
    at = open_page(lang)
    assert at.title[0].value == title
    gallery = chart_specs(at)[0]
    assert gallery["layout"]["title"]["text"] in ("Activation function f(x) and its derivative f'(x)",
                                                  "激活函数 f(x) 及其导数 f'(x)")
    assert any(s.get("type") == "rect" for s in gallery["layout"]["shapes"])  # saturation shaded
    for _ in range(2):
        at.button(key="perceptron.step").click().run()
        assert not at.exception
    trainer = at.session_state["perceptron.trainer"]
    assert trainer.steps == 2
    assert word in texts(at)
    names = [d.get("name") for s in chart_specs(at) for d in s["data"]]
    highlight = {"en": "caused the last update", "zh": "引起上次更新的点"}[lang]
    before = {"en": "line before this step", "zh": "这一步之前的线"}[lang]
    up = trainer.last_update()
    assert (before in names) == (P.decision_segment(*up.before, trainer.extent) is not None)  # old line dashed
    assert highlight in names  # the point that caused the last update is ringed


def test_neuron_by_hand_moves_the_line_and_plugs_in_numbers():
    at = open_page("en")
    assert "4 of the 4 AND points" in texts(at)  # the default w1 = w2 = 1, b = −1.5 solves AND
    at.slider(key="perceptron.b").set_value(0.5).run()
    at.radio(key="perceptron.corner").set_value(3).run()
    latex = [e.value for e in at.get("latex") if "w_1 x_1" in e.value][0]
    assert "1.00 \\cdot 1.00 + 1.00 \\cdot 1.00 + 0.50" in latex and "(2.50) = 0.924" in latex
    assert "1 of the 4 AND points" in texts(at)  # z ≥ 0 everywhere now: only (1, 1) is right


def test_xor_never_settles_and_says_why():
    at = open_page("zh")
    at.selectbox(key="perceptron.dataset").set_value("xor")
    at.select_slider(key="perceptron.steps").set_value(1000)
    at.button(key="FormSubmitter:perceptron.form-应用").click().run()
    trainer = train_to_the_end(at)
    assert trainer.steps == 1000 and not trainer.converged
    assert max(r["train_acc"] for r in trainer.history) <= 0.75
    assert "XOR 永远稳定不下来" in texts(at)
    links = at.get("page_link")
    assert len(links) == (1 if NEXT_PAGE.exists() else 0)


def test_and_settles_and_gradient_with_step_explains_zero_slope():
    at = open_page("en")
    trainer = train_to_the_end(at)
    assert trainer.converged and trainer.latest("train_acc") == 1.0
    assert "Settled after" in texts(at)
    at.radio(key="perceptron.rule").set_value("gradient").run()
    at.selectbox(key="perceptron.train_act.gradient").set_value("step")
    at.button(key="FormSubmitter:perceptron.form-Apply").click().run()
    assert "perceptron.trainer" not in at.session_state  # new settings: a fresh trainer on the next Start
    assert "slope 0 everywhere" in texts(at)
    at.button(key="perceptron.step").click().run()
    trainer = at.session_state["perceptron.trainer"]
    assert trainer.rule == "gradient" and trainer.weights == trainer.initial
