"""Streamlit helpers for the convolution lesson: input and kernel pickers, the formula, the sliding player.

State lives in session state under "conv.*": `conv.pos` is how many output cells are filled in,
`conv.playing` whether the kernel is moving, `conv.sig` the settings the position belongs to.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import streamlit as st

from dlcore import conv, data
from dlcore.figures import conv as cfig
from ui.i18n import option_labels, t, texts

NS = "conv"
TICK_SECONDS = 0.4  # one animation frame while playing
SPEEDS = (1, 2, 5, 10, 25, 100)  # windows per frame
STILL = {"displayModeBar": False}  # no zoom toolbar on figures that redraw several times a second


def explain(err: conv.ConvError) -> str:
    """The refusal in the visitor's language (falls back to dlcore's English sentence)."""
    key = f"convolution.err_{err.code}"
    return t(key, **err.values) if key in texts("en") else str(err)


@st.cache_data(max_entries=8, show_spinner=False)
def _decode(payload: bytes, max_side: int, invert: bool) -> np.ndarray:
    return conv.load_image(payload, max_side, invert)


def pick_input() -> tuple[np.ndarray | None, str]:
    """Radio for digit / character / upload and that source's controls; returns (image or None, label)."""
    sources = ("digit", "character", "upload")
    labels = option_labels("convolution.source_", sources)
    source = st.radio(t("convolution.source"), sources, format_func=labels.__getitem__, horizontal=True,
                      key=f"{NS}.source")
    if source == "digit":
        digits = data.mnist()
        index = st.slider(t("convolution.digit_index"), 0, len(digits.x_test) - 1, 0, key=f"{NS}.digit")
        return digits.x_test[index, 0].astype(np.float64), t("convolution.digit_label", label=digits.y_test[index])
    if source == "character":
        left, right = st.columns(2)
        char = left.selectbox(t("convolution.character"), data.CHARACTERS, key=f"{NS}.char")
        size = right.slider(t("convolution.char_size"), 8, 28, 12, key=f"{NS}.char_size")
        return data.draw_strokes(data.CHARACTER_STROKES[char], size, 0.12).astype(np.float64), char
    upload = st.file_uploader(t("convolution.upload"), type=["png", "jpg", "jpeg"], key=f"{NS}.upload",
                              help=t("convolution.upload_help"))
    left, right = st.columns(2)
    max_side = left.slider(t("convolution.upload_size"), 8, 64, 32, key=f"{NS}.upload_size")
    invert = right.checkbox(t("convolution.invert"), value=True, key=f"{NS}.invert", help=t("convolution.invert_help"))
    if upload is None:
        st.info(t("convolution.upload_first"))
        return None, ""
    try:
        return _decode(upload.getvalue(), max_side, invert), upload.name
    except conv.ConvError as err:
        st.error(explain(err), icon=":material/broken_image:")
        return None, ""


def pick_kernel() -> np.ndarray | None:
    """Select a named kernel or edit a custom 3×3 / 5×5 grid; returns the kernel (None if a cell is empty)."""
    names = list(conv.KERNELS) + ["custom_3", "custom_5"]

    labels = {n: f"{t('convolution.k_' + n.rsplit('_', 1)[0])} {n[-1]}×{n[-1]}" for n in names}
    name = st.selectbox(t("convolution.kernel"), names, index=names.index("sobel_x_3"),
                        format_func=labels.__getitem__, key=f"{NS}.kernel")
    st.caption(t(f"convolution.kh_{name.rsplit('_', 1)[0]}"))
    if not name.startswith("custom"):
        return conv.kernel(name)
    size = int(name[-1])
    start = pd.DataFrame(conv.kernel(f"identity_{size}"), columns=[str(c) for c in range(size)])
    edited = st.data_editor(start, key=f"{NS}.{name}", hide_index=True, num_rows="fixed")
    grid = edited.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)
    if not np.isfinite(grid).all():
        st.warning(t("convolution.err_kernel_not_finite"))
        return None
    return grid


def formula(shape: tuple[int, int], k: int, stride: int, padding: int) -> tuple[int, int] | None:
    """Show out = ⌊(n + 2p − k) / s⌋ + 1 with the numbers; a friendly warning instead when it has no answer."""
    try:
        rows, cols = conv.output_shape(shape, k, stride, padding)
    except conv.ConvError as err:
        st.warning(explain(err), icon=":material/block:")
        return None
    axes = [("n", shape[0], rows)] if shape[0] == shape[1] else [("H", shape[0], rows), ("W", shape[1], cols)]
    for n_name, n, out in axes:
        st.latex(rf"\text{{{t('convolution.out')}}}_{{{n_name}}} = \left\lfloor \frac{{{n_name} + 2p - k}}{{s}}"
                 rf"\right\rfloor + 1 = \left\lfloor \frac{{{n} + 2\cdot{padding} - {k}}}{{{stride}}}\right\rfloor"
                 rf" + 1 = {out}")
    missed = conv.leftover(max(shape), k, stride, padding)
    if missed:
        st.caption(t("convolution.leftover", count=missed))
    return rows, cols


def _signature(image: np.ndarray, kernel: np.ndarray, stride: int, padding: int) -> str:
    digest = hashlib.sha1(image.tobytes() + kernel.tobytes() + bytes([stride % 256, padding % 256]))
    return digest.hexdigest() + str(image.shape)


def player(image: np.ndarray, kernel: np.ndarray, stride: int, padding: int) -> None:
    """Play / Pause / Step / Reset and the fragment that slides the kernel and fills the output in."""
    full = conv.conv2d(image, kernel, stride, padding)
    total = full.size
    sig = _signature(image, kernel, stride, padding)
    if st.session_state.get(f"{NS}.sig") != sig:  # new settings: show the finished map, stop playing
        st.session_state.update({f"{NS}.sig": sig, f"{NS}.pos": total, f"{NS}.playing": False})

    def toggle() -> None:
        playing = not st.session_state[f"{NS}.playing"]
        if playing and st.session_state[f"{NS}.pos"] >= total:
            st.session_state[f"{NS}.pos"] = 0  # play again from the start
        st.session_state[f"{NS}.playing"] = playing

    def step() -> None:
        pos = st.session_state[f"{NS}.pos"]
        st.session_state.update({f"{NS}.playing": False, f"{NS}.pos": 1 if pos >= total else pos + 1})

    def reset() -> None:
        st.session_state.update({f"{NS}.playing": False, f"{NS}.pos": 0})

    playing = st.session_state[f"{NS}.playing"]
    cols = st.columns([1, 1, 1, 3])
    cols[0].button(t("convolution.pause") if playing else t("convolution.play"), key=f"{NS}.toggle", on_click=toggle,
                   type="primary", icon=":material/pause:" if playing else ":material/play_arrow:", width="stretch")
    cols[1].button(t("convolution.step"), key=f"{NS}.step", on_click=step, icon=":material/skip_next:",
                   width="stretch", help=t("convolution.step_help"))
    cols[2].button(t("convolution.reset"), key=f"{NS}.reset", on_click=reset, icon=":material/restart_alt:",
                   width="stretch")
    cols[3].select_slider(t("convolution.speed"), SPEEDS, value=10, key=f"{NS}.speed")

    @st.fragment(run_every=TICK_SECONDS if playing else None)
    def frames() -> None:
        pos = st.session_state[f"{NS}.pos"]
        if st.session_state[f"{NS}.playing"]:
            pos = min(total, pos + st.session_state[f"{NS}.speed"])
            st.session_state[f"{NS}.pos"] = pos
        here = conv.window_at(image, kernel, max(pos - 1, 0), stride, padding)
        st.progress(pos / total, text=t("convolution.position", pos=pos, total=total, row=here.out_row,
                                        col=here.out_col))
        left, right = st.columns(2)
        left.plotly_chart(cfig.input_window(image, padding, (here.top, here.left, kernel.shape[0]),
                                            t("convolution.fig_input")), key=f"{NS}.fig_in", config=STILL)
        right.plotly_chart(cfig.output_filling(full, pos, (here.out_row, here.out_col), t("convolution.fig_output")),
                           key=f"{NS}.fig_out", config=STILL)
        left, right = st.columns([3, 2])
        titles = [t("convolution.fig_window"), t("convolution.fig_kernel"), t("convolution.fig_products")]
        left.plotly_chart(cfig.dot_product(here.patch, kernel, titles), key=f"{NS}.fig_dot", config=STILL)
        right.markdown(t("convolution.dot_caption", row=here.out_row, col=here.out_col))
        right.code(conv.dot_product_text(here.patch, kernel), language=None)
        if st.session_state[f"{NS}.playing"] and pos >= total:
            st.session_state[f"{NS}.playing"] = False
            st.rerun()  # the whole page, so the button says Play again

    frames()


def pooling_views(image: np.ndarray, kernel: np.ndarray, kind: str, size: int, stride: int) -> None:
    """Pooling on the input and on its feature map (conv + ReLU), before and after, side by side."""
    pool = conv.max_pool2d if kind == "max" else conv.avg_pool2d
    feature = conv.relu(conv.conv2d(image, kernel, 1, kernel.shape[0] // 2))
    try:
        pooled_in, pooled_map = pool(image, size, stride), pool(feature, size, stride)
    except conv.ConvError as err:
        st.warning(explain(err), icon=":material/block:")
        return
    shape = "{}×{}".format
    titles = [[t("convolution.fig_input_shape", shape=shape(*image.shape)),
               t("convolution.fig_pooled_shape", shape=shape(*pooled_in.shape))],
              [t("convolution.fig_feature_shape", shape=shape(*feature.shape)),
               t("convolution.fig_pooled_shape", shape=shape(*pooled_map.shape))]]
    st.plotly_chart(cfig.map_grid([[image, pooled_in], [feature, pooled_map]], titles), key=f"{NS}.fig_pool")


def shift_views(image: np.ndarray, kernel: np.ndarray, kind: str, size: int, stride: int, dx: int, dy: int) -> None:
    """Shift the input, compare feature maps before and after pooling, with a similarity number for each."""
    try:
        report = conv.shift_report(image, kernel, dx, dy, kind, size, stride)
    except conv.ConvError as err:
        st.warning(explain(err), icon=":material/block:")
        return
    before, after = report.similarity_before, report.similarity_after
    cols = st.columns(2)
    cols[0].metric(t("convolution.sim_before"), f"{before:.0%}")
    delta = t("convolution.sim_delta", d=100 * (after - before))
    cols[1].metric(t("convolution.sim_after"), f"{after:.0%}", delta=delta)
    titles = [[t("convolution.fig_map_orig"), t("convolution.fig_map_shifted", dx=dx, dy=dy)],
              [t("convolution.fig_pool_orig"), t("convolution.fig_pool_shifted")]]
    st.plotly_chart(cfig.map_grid([[report.map_a, report.map_b], [report.pooled_a, report.pooled_b]], titles),
                    key=f"{NS}.fig_shift")
    st.caption(t("convolution.sim_better" if after > before + 0.005 else "convolution.sim_not_better"))
