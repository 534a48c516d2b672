"""Small widgets every lesson shares: the "show the code" expander and a drawing canvas."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import streamlit as st

from ui.canvas import canvas
from ui.i18n import t


def show_code(*objects: Any) -> None:
    """An expander with the source of the dlcore functions or classes a lesson is about.

    The code is only sent once the expander is opened: a collapsed st.code still makes the browser
    load and run its syntax highlighter, which slowed every page's first paint.
    """
    key = "code." + ".".join(f"{obj.__module__}.{obj.__qualname__}" for obj in objects)
    expander = st.expander(t("common.show_code"), icon=":material/code:", key=key, on_change="rerun")
    if expander.open:
        with expander:
            for obj in objects:
                st.code(inspect.getsource(obj), language="python")


def drawing_canvas(key: str, height: int = 280, stroke_width: int = 18) -> np.ndarray | None:
    """A square canvas to draw on (mouse, pen or touch) with a Clear button; returns the drawing as grayscale
    (h, w) in [0, 1] (ink = 1; the browser sends it shrunk 2×, so h = w = height // 2), or None.

    None means nothing was drawn yet (or the canvas cannot run, e.g. under AppTest, where no browser runs its
    JavaScript). The drawing reaches Python the moment the pen lifts; see ui/canvas.py.
    """
    return canvas(key, height, stroke_width, t("common.canvas_clear"))
