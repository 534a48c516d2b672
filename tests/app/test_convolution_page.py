"""The convolution page: both languages, the sliding player, bad strides and bad uploads give messages."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

PAGE = "pages/05_convolution.py"


def _open(lang: str = "en", **state: object) -> AppTest:
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def _array(value: object) -> np.ndarray:
    """A plotly array from a figure spec: plain nested lists, or plotly's typed {dtype, bdata, shape}."""
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).astype(float)
        shape = value.get("shape")
        return flat.reshape([int(n) for n in str(shape).split(",")]) if shape else flat
    return np.array([[np.nan if v is None else v for v in row] for row in value], dtype=float)


def _output_z(at: AppTest) -> np.ndarray:
    """The output map the player drew (the heatmap titled with the output figure's title)."""
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        title = (spec["layout"].get("title") or {}).get("text", "")
        if title in ("Output feature map", "输出特征图"):
            return _array(spec["data"][0]["z"])
    raise AssertionError("no output map on the page")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_renders_and_steps_in_both_languages(lang: str) -> None:
    at = _open(lang)
    title = at.title[0].value
    assert title == ("Convolution & pooling, step by step" if lang == "en" else "卷积与池化，一步一步看")
    assert len(at.get("plotly_chart")) >= 6  # kernel, input, output, dot product, pooling, shift demo
    assert not at.warning and not at.error
    total = 26 * 26  # a 28×28 digit, Sobel 3×3, stride 1, no padding
    assert at.session_state["conv.pos"] == total  # settings just chosen: the finished map is shown
    assert np.isfinite(_output_z(at)).all()
    at.button(key="conv.reset").click().run()
    assert at.session_state["conv.pos"] == 0
    assert np.isnan(_output_z(at)).all()  # nothing computed yet: every cell blank
    at.button(key="conv.step").click().run()
    at.button(key="conv.step").click().run()
    assert at.session_state["conv.pos"] == 2
    z = _output_z(at)
    assert np.isfinite(z).sum() == 2 and np.isfinite(z[0, :2]).all()
    code = at.code[0].value  # the dot product written out for the current window
    assert code.count("×") == 9 and "=" in code
    metrics = [m.label for m in at.metric]
    assert len(metrics) == 2  # similarity before and after pooling
    assert not at.exception


def test_play_advances_and_pause_stops() -> None:
    at = _open("en")
    at.button(key="conv.toggle").click().run()  # Play from a finished map restarts at 0
    assert at.session_state["conv.playing"] is True
    first = at.session_state["conv.pos"]
    assert 0 < first <= 10
    at.run()  # a fragment tick (AppTest runs the page; the fragment advances by "windows per frame")
    assert at.session_state["conv.pos"] == first + 10
    assert at.button(key="conv.toggle").label == "Pause"
    at.button(key="conv.toggle").click().run()
    paused_at = at.session_state["conv.pos"]
    at.run()
    assert at.session_state["conv.playing"] is False and at.session_state["conv.pos"] == paused_at
    assert not at.exception


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_stride_larger_than_the_input_is_a_message_not_a_crash(lang: str) -> None:
    at = _open(lang, **{"conv.stride": 40})
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    assert "40" in text and "28" in text
    assert ("larger than the input" in text) if lang == "en" else ("比输入" in text)
    assert all(b.key not in ("conv.step", "conv.toggle") for b in at.button)  # no player without a valid size
    assert len(at.metric) == 2  # pooling still works below


def test_padding_character_and_custom_kernel() -> None:
    at = _open("en", **{"conv.source": "character", "conv.char_size": 10, "conv.padding": 1,
                        "conv.kernel": "custom_3"})
    assert not at.warning and not at.error
    z = _output_z(at)
    assert z.shape == (10, 10)  # padding 1 keeps a 10×10 input at 10×10
    assert any("10×10" in c.value for c in at.caption)
    at.session_state["conv.custom_3"] = {"edited_rows": {1: {"1": None}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert any("needs a number" in w.value for w in at.warning)  # an emptied cell: a message, no crash


def test_upload_source_without_a_file_explains_what_to_do() -> None:
    at = _open("zh", **{"conv.source": "upload"})
    assert not at.exception
    assert any("上传" in i.value for i in at.info)


# ----------------------------------------------------------------------------- uploads
# AppTest cannot drive st.file_uploader, so this small app runs the page's own input picker with the
# uploader replaced by one that returns the given bytes: the same decode → refuse → message path.

def _upload_app(payload: bytes) -> None:
    import streamlit as st

    from ui import convolution

    class Upload:
        name = "test.png"

        def getvalue(self) -> bytes:
            return payload

    real = st.file_uploader
    st.file_uploader = lambda *args, **kwargs: Upload()
    try:
        st.session_state["conv.source"] = "upload"
        image, _ = convolution.pick_input()
        st.session_state["shape"] = None if image is None else image.shape
    finally:
        st.file_uploader = real


def _png(size: tuple[int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("L", size, 200).save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize(("payload", "en", "zh"), [
    (b"just some text, not a picture", "not a PNG or JPG", "不是 PNG 或 JPG"),
    (_png((6000, 6000)), "6000×6000", "6000×6000"),
    (_png((1, 1)), "1×1", "1×1"),
    (b"", "empty", "空的"),
])
def test_bad_uploads_show_a_clear_message(payload: bytes, en: str, zh: str) -> None:
    for lang, expected in (("en", en), ("zh", zh)):
        at = AppTest.from_function(_upload_app, args=(payload,), default_timeout=30)
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        assert at.session_state["shape"] is None
        assert any(expected in e.value for e in at.error), [e.value for e in at.error]


def test_a_good_upload_is_shrunk_to_the_chosen_size() -> None:
    at = AppTest.from_function(_upload_app, args=(_png((300, 150)),), default_timeout=30)
    at.session_state["conv.upload_size"] = 32
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["shape"] == (16, 32)
