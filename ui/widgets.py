"""Small widgets every lesson shares: the "show the code" expander and a drawing canvas."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import streamlit as st

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
    """A square canvas to draw on; returns the drawing as grayscale (H, W) in [0, 1] (ink = 1), or None.

    None means nothing was drawn yet (or the canvas component is unavailable, e.g. under AppTest).
    """
    try:
        from streamlit_drawable_canvas import st_canvas
    except Exception:  # the component needs a running server; a missing canvas must not break a page
        st.info(t("common.canvas_unavailable"))
        return None
    result = st_canvas(stroke_width=stroke_width, stroke_color="#000000", background_color="#ffffff",
                       height=height, width=height, drawing_mode="freedraw", return_image_data=True, key=key)
    rgba = result.image_data
    if rgba is None:
        return None
    rgb = np.asarray(rgba, dtype=np.float32)[..., :3] / 255.0  # (H, W, 3), white paper, black ink
    ink = 1.0 - rgb.mean(-1)
    return ink if ink.max() > 0.05 else None
