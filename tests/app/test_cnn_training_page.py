"""The CNN-training page in both languages: preview before Start, live training of a tiny CNN, the
pretrained snapshot, the MLP comparison, and a bad setting that is refused with a message."""

from __future__ import annotations

import json

import pytest

from tests.app.helpers import open_app, texts

PAGE = "pages/06_cnn_training.py"
TINY = {"cnn.layers": 1, "cnn.filters0": 4, "cnn.epochs": 1, "cnn.batch": 256, "cnn.fc": 16}  # 16 steps


def chart_titles(at) -> list[str]:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return [(s["layout"].get("title") or {}).get("text", "") for s in specs]


@pytest.mark.parametrize("lang,title,maps", [("en", "Train a CNN on real digits", "Feature maps"),
                                             ("zh", "在真实手写数字上训练 CNN", "特征图")])
def test_page_trains_a_tiny_cnn_and_shows_curves_kernels_and_maps(lang, title, maps):
    at = open_app(lang, PAGE, **TINY)
    assert not at.exception
    assert at.title[0].value == title
    assert any(maps in t for t in chart_titles(at))  # the untrained network can be looked into at once
    at.button(key="cnn.step").click().run()
    assert not at.exception
    trainer = at.session_state["cnn.trainer"]
    assert trainer.steps == 1 and trainer.total_steps == 16
    at.button(key="cnn.toggle").click().run()
    for _ in range(30):
        if trainer.done:
            break
        at.run()
    assert not at.exception and trainer.done and trainer.stop.kind == "finished"
    titles = chart_titles(at)
    assert len(titles) >= 6  # loss, accuracy, kernels, confused digits, feature maps, confusion matrix
    assert trainer.latest("test_acc") > 0.3
    assert "4" in at.metric[0].value or "," in at.metric[0].value  # the parameter count is shown


def test_settings_change_resets_training_and_three_layers_give_three_map_rows():
    at = open_app("en", PAGE, **TINY)
    at.button(key="cnn.step").click().run()
    assert at.session_state["cnn.trainer"].steps == 1
    at.slider(key="cnn.layers").set_value(3)
    at.button(key="FormSubmitter:cnn.form-Apply").click().run()
    assert not at.exception
    assert "cnn.trainer" not in at.session_state
    maps = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                if "Feature maps" in json.dumps(json.loads(c.proto.spec)["layout"].get("title", "")))
    assert len(maps["data"]) == 4  # the input plus one grid per conv layer


def test_pretrained_snapshot_shows_a_trained_network_before_start():
    at = open_app("zh", PAGE, **{"cnn.pretrained": True})
    assert not at.exception
    assert "预训练快照" in texts(at)
    conf = [t for t in chart_titles(at) if "混淆矩阵" in t]
    assert conf and float(conf[0].split("准确率")[1].strip(" %")) >= 97.5


def test_mlp_comparison_trains_beside_the_cnn():
    at = open_app("en", PAGE, **TINY)
    at.button(key="cnn.step").click().run()
    at.button(key="cnn_mlp.step").click().run()
    assert not at.exception
    mlp = at.session_state["cnn_mlp.trainer"]
    assert mlp.steps == 1 and mlp.seed == at.session_state["cnn.trainer"].seed
    assert any("against training time" in t for t in chart_titles(at))

