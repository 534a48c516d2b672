"""The "Draw a digit & applications" page: both languages, empty canvas, a test digit read end to end,
the five application figures, the live detector, and switching to the model trained on the CNN page."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from dlcore import cnn, data, preprocess
from tests.app.helpers import open_app

PAGE = "pages/07_cnn_draw.py"


@pytest.fixture(scope="module")
def tiny_model() -> cnn.CNN:
    """An untrained CNN stands in for the snapshot: these tests check the page's behaviour, not accuracy."""
    return cnn.build_cnn(cnn.CNNConfig(filters="4,8", fc=16))


def open_page(model: cnn.CNN, lang: str = "en", **state: object) -> AppTest:
    """The page through the frame, with a tiny model standing in for the snapshot."""
    return open_app(lang, PAGE, **{"cnn_draw.pretrained": model, **state})


def html_blocks(at: AppTest) -> list[str]:
    """The bodies of the page's st.html elements (the drawing section sends its bars and pictures as HTML)."""
    return [e.proto.body for e in at.get("html")]


def block(at: AppTest, css_class: str) -> str:
    return next(h for h in html_blocks(at) if f'class="{css_class}"' in h)


def map_titles(at: AppTest) -> list[str]:
    """The per-layer titles of the feature-map pictures (one picture per conv layer)."""
    return re.findall(r"<figcaption[^>]*>([^<]*)</figcaption>", block(at, "dl-maps"))


def pictures(html: str) -> list[np.ndarray]:
    """The inline PNGs of an HTML block, decoded to arrays."""
    return [np.asarray(Image.open(io.BytesIO(base64.b64decode(b)))) for b in re.findall(r'src="data:image/png;base64,([^"]+)"', html)]


def probabilities(at: AppTest) -> np.ndarray:
    """The class probabilities written in the bars' hover titles ("7: 0.981")."""
    return np.array([float(p) for p in re.findall(r'title="\d: ([0-9.]+)"', block(at, "dl-probs"))])


def canvas_message(image: np.ndarray, n: int = 1) -> dict:
    """What the browser canvas sends for a (280, 280) drawing: shrunk 2×, gray bytes (ink = 255), base64."""
    shrunk = (255 * image.reshape(140, 2, 140, 2).mean((1, 3))).round().astype(np.uint8)
    return {"n": n, "w": 140, "h": 140, "gray": base64.b64encode(shrunk.tobytes()).decode()}


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
    steps = block(at, "dl-steps")  # five pictures: canvas, crop, 20 px, centred, normalised
    assert ("Preprocessing" if lang == "en" else "预处理") in steps
    shown = pictures(steps)
    assert len(shown) == 5 and all(p.shape == (120, 120, 3) for p in shown)
    assert ("280×280" if lang == "en" else "画板 280×280") in steps  # the caption gives the canvas's true size
    assert abs(probabilities(at).sum() - 1.0) < 0.01
    assert len(map_titles(at)) == 2  # one picture per conv layer of the model
    assert [p.shape[2] for p in pictures(block(at, "dl-maps"))] == [3, 3]
    assert any(h.value.startswith(("The network reads", "网络认为是")) for h in at.subheader)
    assert not at.get("plotly_chart") or all("fig_app" in c.proto.id or "fig_det" in c.proto.id
                                               for c in at.get("plotly_chart"))  # no plotly in the drawing section


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_drawing_from_the_canvas_is_read(lang: str) -> None:
    """The canvas's message (as the browser sends it) goes through preprocessing to the snapshot's answer."""
    ds = data.mnist()
    i = int(np.flatnonzero(ds.y_test == 3)[0])
    at = open_app(lang, PAGE, **{"cnn_draw.canvas": {"drawing": canvas_message(preprocess.to_canvas(ds.x_test[i, 0]))}})
    assert not at.exception
    heading = next(h.value for h in at.subheader if h.value.startswith(("The network reads", "网络认为是")))
    assert re.search(r"[:：]\s*3\b", heading), heading  # the pretrained CNN reads the 3
    assert "140×140" in block(at, "dl-steps")  # the canvas arrives shrunk 2×
    assert probabilities(at).argmax() == 3
    assert len(map_titles(at)) == 2


def test_cleared_canvas_gives_the_friendly_message(tiny_model: cnn.CNN) -> None:
    at = open_page(tiny_model, **{"cnn_draw.canvas": {"drawing": None}})
    assert not at.exception
    assert any("Draw a digit first" in info.value for info in at.info)
    assert not [h for h in html_blocks(at) if "dl-maps" in h]


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


def test_only_the_open_application_tab_is_drawn(tiny_model: cnn.CNN) -> None:
    at = open_page(tiny_model, "en")
    drawn = [c.proto.id for c in at.get("plotly_chart") if "fig_app" in c.proto.id]
    assert len(drawn) == 1 and "fig_app_classify" in drawn[0]  # the first tab, and only it
    at.session_state["cnn_draw.app_tab"] = at.tabs[3].label  # what clicking "Face landmarks" does
    at.run()
    drawn = [c.proto.id for c in at.get("plotly_chart") if "fig_app" in c.proto.id]
    assert len(drawn) == 1 and "fig_app_face" in drawn[0] and not at.exception
