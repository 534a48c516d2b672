"""The "Draw a digit & applications" page: both languages, empty canvas, a test digit read end to end,
the five application figures, the live detector, and switching to the model trained on the CNN page."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dlcore import cnn
from tests.app.helpers import open_app

PAGE = "pages/07_cnn_draw.py"


@pytest.fixture(scope="module")
def tiny_model() -> cnn.CNN:
    """An untrained CNN stands in for the snapshot: these tests check the page's behaviour, not accuracy."""
    return cnn.build_cnn(cnn.CNNConfig(filters="4,8", fc=16))


def open_page(model: cnn.CNN, lang: str = "en", **state: object) -> AppTest:
    """The page through the frame, with a tiny model standing in for the snapshot."""
    return open_app(lang, PAGE, **{"cnn_draw.pretrained": model, **state})


def charts(at: AppTest) -> dict[str, dict]:
    return {c.proto.id: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


def map_titles(at: AppTest) -> list[str]:
    """The per-layer titles inside the feature-map figure (one annotation per conv layer)."""
    return [a["text"] for spec in charts(at).values() for a in spec["layout"].get("annotations", [])
            if "feature maps" in a["text"] or "特征图" in a["text"]]


def rows(z: object) -> int:
    """Rows of a heatmap's z in a plotly spec (a nested list, or a typed array {"bdata", "dtype", "shape"})."""
    return int(str(z["shape"]).split(",")[0]) if isinstance(z, dict) else len(z)


def values(arr: object) -> np.ndarray:
    """A plotly spec's array as NumPy (decoding typed arrays)."""
    if isinstance(arr, dict):
        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=arr["dtype"])
    return np.asarray(arr, dtype=float)


def chart_titled(at: AppTest, *words: str) -> dict:
    return next(s for s in charts(at).values() if any(w in s["layout"].get("title", {}).get("text", "") for w in words))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_opens_with_friendly_empty_canvas(tiny_model: cnn.CNN, lang: str) -> None:
    at = open_page(tiny_model, lang)
    assert not at.exception
    expected = "Draw a digit first" if lang == "en" else "请先写一个数字"
    assert any(expected in info.value for info in at.info)  # no canvas under AppTest: the friendly message
    assert len(at.tabs) == 5  # classification, detection, segmentation, face landmarks, pose
    assert any(m.label in ("Recall", "召回率") for m in at.metric)  # the live detector ran


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_test_digit_is_preprocessed_predicted_and_mapped(tiny_model: cnn.CNN, lang: str) -> None:
    at = open_page(tiny_model, lang, **{"cnn_draw.source": "test", "cnn_draw.test_index": 3})
    assert not at.exception
    steps = chart_titled(at, "Preprocessing", "预处理")  # five panels: canvas, crop, 20 px, centred, normalised
    assert len(steps["data"]) == 5
    assert [rows(d["z"]) for d in steps["data"]][-2:] == [28, 28]
    assert rows(steps["data"][0]["z"]) == 112  # the 280-px canvas, shrunk for the wire
    assert "280×280" in steps["layout"]["annotations"][0]["text"]  # …while its caption gives the true size
    probs = chart_titled(at, "Class probabilities", "各类别的概率")
    assert abs(values(probs["data"][0]["y"]).sum() - 1.0) < 1e-4
    assert len(map_titles(at)) == 2  # one grid per conv layer of the model
    assert any(h.value.startswith(("The network reads", "网络认为是")) for h in at.subheader)


def test_detector_reacts_to_its_form(tiny_model: cnn.CNN) -> None:
    at = open_page(tiny_model)
    truth = next(m for m in at.metric if m.label.startswith("True digits"))
    assert len(truth.value.split()) == 5
    at.slider(key="cnn_draw.det_digits").set_value(3)
    next(b for b in at.button if b.label == "New scene & detect").click().run()
    assert not at.exception
    truth = next(m for m in at.metric if m.label.startswith("True digits"))
    assert len(truth.value.split()) == 3


def test_model_trained_on_cnn_page_can_be_picked(tiny_model: cnn.CNN) -> None:
    from dlcore.experiments.cnn import build_cnn_trainer

    trainer = build_cnn_trainer(cnn.CNNConfig(conv_layers=1, filters="3", fc=8, epochs=0.05, eval_every=5))
    trainer.run(steps=3)
    for _ in trainer.run(steps=3):
        pass
    at = open_page(tiny_model, **{"cnn.trainer": trainer, "cnn_draw.source": "test"})
    assert not at.exception
    at.radio(key="cnn_draw.model").set_value("trained").run()
    assert not at.exception
    maps = map_titles(at)
    assert len(maps) == 1 and "3 feature maps" in maps[0]  # the trained model's single 3-kernel layer
