"""The 田 water-pipe network page: both languages, untrained pipes before Start, live training with the
flow figure, welding that survives Reset, the comparison, the confusions, and bad settings."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from tests.app.helpers import open_app, texts

PAGE = "pages/03_water_pipes.py"
TINY = {"pipes.samples": 20, "pipes.hidden": "8", "pipes.steps": 40, "pipes.lr": 0.01}


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def pipe_specs(at) -> list[dict]:
    """Plotly specs of pipe figures (they carry the input image as a layout image)."""
    return [s for s in charts(at) if s["layout"].get("images")]


def values(v: object) -> list:
    """A plotly JSON array: a plain list, or a typed array {"dtype", "bdata"}."""
    if isinstance(v, dict):
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v)


def outlets(spec: dict) -> dict:
    return next(d for d in spec["data"] if d.get("mode") == "markers+text")


def click(at, *labels: str):
    next(b for b in at.button if b.label in labels).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_untrained_pipes_then_training_moves_the_water(lang: str) -> None:
    at = open_app(lang, PAGE, **TINY)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == ("The 田 water-pipe network" if lang == "en" else "田字水管网络")
    (before,) = pipe_specs(at)  # the untrained network already shows where the water goes
    assert values(outlets(before)["text"])[0] == "田" and len(outlets(before)["text"]) == 12
    click(at, "Start", "开始")
    trainer = at.session_state["pipes.trainer"]
    while not trainer.done:  # AppTest has no timer: each run trains one chunk
        at.run()
    assert not at.exception
    assert trainer.latest("test_acc") is not None
    titles = [s["layout"].get("title", {}).get("text", "") for s in charts(at)]
    assert any(("Accuracy" if lang == "en" else "准确率") in x for x in titles)
    (after,) = pipe_specs(at)
    assert after["data"] != before["data"]  # the valves turned
    words = ("comes out of the", "出水最多的是")
    assert words[lang == "zh"] in texts(at)


def test_weld_survives_reset_and_compares() -> None:
    at = open_app("en", PAGE, **TINY)
    weld = next(b for b in at.button if b.label == "Weld the valves")
    assert weld.disabled  # nothing trained yet
    for _ in range(3):
        click(at, "Step")
    assert at.session_state["pipes.trainer"].steps == 3
    click(at, "Weld the valves")
    welded = at.session_state["pipes.welded"]
    assert len(welded) == 1 and welded[0].steps == 3
    click(at, "Reset")
    assert "pipes.trainer" not in at.session_state
    assert len(at.session_state["pipes.welded"]) == 1  # the welded network outlives the live trainer
    assert len(pipe_specs(at)) == 3  # live (untrained) pipes + the live and welded pipes side by side
    assert any(m.label == "Test accuracy" for m in at.metric)
    assert at.radio(key="pipes.confuse_net").options == ["Welded #1 (step 3)"]
    titles = [s["layout"].get("title", {}).get("text", "") for s in charts(at)]
    assert "Confusion matrix" in titles
    click(at, "Melt all welded networks")
    assert at.session_state["pipes.welded"] == []


def test_confusions_of_the_live_network_in_chinese() -> None:
    at = open_app("zh", PAGE, **TINY)
    click(at, "单步", "Step")
    assert not at.exception
    spec = next(s for s in charts(at) if s["layout"].get("title", {}).get("text") == "混淆矩阵")
    assert spec["data"][0]["type"] == "heatmap"
    assert "个测试集里的字中有" in texts(at)
    grid = [s for s in charts(at) if "真实 → 预测" in s["layout"].get("title", {}).get("text", "")]
    assert grid, "an untrained network confuses plenty: the grid of wrong outlets is shown"


def test_sample_choice_and_zero_hidden_layers() -> None:
    at = open_app("en", PAGE, **{**TINY, "pipes.hidden": "", "pipes.cls": 2, "pipes.idx": 4})
    assert not at.exception
    (spec,) = pipe_specs(at)
    arrow = next(d for d in spec["data"] if d.get("marker", {}).get("symbol") == "triangle-right")
    assert values(arrow["y"])[0] == pytest.approx(values(outlets(spec)["y"])[2])  # the expected outlet (目) is marked
    labels = next(d for d in spec["data"] if d.get("mode") == "text" and "input" in d.get("text", []))
    assert labels["text"] == ["input", "outlets"]  # no hidden layer: logistic regression


def test_draw_mode_without_canvas_falls_back_to_a_sample() -> None:
    at = open_app("en", PAGE, **TINY, **{"pipes.source": "draw"})
    assert not at.exception
    assert len(pipe_specs(at)) == 1


def test_a_drawing_from_the_canvas_flows_through_the_pipes() -> None:
    """The canvas's message (a 240-px drawing shrunk 2× by the browser) replaces the test sample."""
    from dlcore.experiments import characters as C

    cfg = C.CharactersConfig(samples=20, hidden="8")
    ds = C.dataset(cfg)
    sample = C.sample(ds, 0, 0)  # (size, size), ink = 1
    big = np.kron(sample, np.ones((240 // cfg.size, 240 // cfg.size)))[:240, :240]
    big = np.pad(big, ((0, 240 - big.shape[0]), (0, 240 - big.shape[1])))
    shrunk = (255 * big.reshape(120, 2, 120, 2).mean((1, 3))).round().astype(np.uint8)
    message = {"n": 1, "w": 120, "h": 120, "gray": base64.b64encode(shrunk.tobytes()).decode()}
    at = open_app("en", PAGE, **TINY, **{"pipes.source": "draw", "pipes.canvas": {"drawing": message}})
    assert not at.exception
    assert len(pipe_specs(at)) == 1
    assert not any("Draw" in i.value for i in at.info)  # not the empty-canvas message
    assert not [s for s in at.selectbox if s.key == "pipes.cls"]  # the drawing is the input, no sample picker


def test_bad_settings_give_a_message_and_the_page_stays_usable() -> None:
    at = open_app("en", PAGE, **TINY, **{"pipes.chars": "田X"})
    assert not at.exception
    assert any("no strokes for X" in e.value for e in at.error)
    at.text_input(key="pipes.chars").set_value("田日口")
    next(b for b in at.button if b.label == "Apply").click().run()
    assert not at.exception and not at.error
    assert outlets(pipe_specs(at)[0])["text"] == ["田", "日", "口"]


def test_huge_learning_rate_keeps_the_page_usable() -> None:
    at = open_app("en", PAGE, **{**TINY, "pipes.lr": 10.0, "pipes.optimizer": "sgd", "pipes.steps": 60})
    click(at, "Start")
    trainer = at.session_state["pipes.trainer"]
    while not trainer.done:
        at.run()
    assert not at.exception
    assert trainer.stop.kind == "diverged" or trainer.latest("test_acc") < 0.5  # valves slammed, nothing learned
    assert len(pipe_specs(at)) == 1
