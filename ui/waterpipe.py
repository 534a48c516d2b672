"""Streamlit helpers of "The 田 water-pipe network": the input picker (a test sample or a drawing), the
pipe figure of any network, the live curves, welding the valves, and the confusions."""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st
from torch import nn

from dlcore import data, figures
from dlcore.experiments import characters as C
from dlcore.figures.pipes import pipes
from ui import live
from ui.i18n import option_labels, t
from ui.widgets import drawing_canvas

NS = "pipes"
MAX_WELDED = 4  # welded networks kept per session: enough to compare, small enough for memory


@st.cache_resource(max_entries=8, show_spinner=False)
def dataset(cfg: C.CharactersConfig) -> data.Dataset:
    """The drawn characters of a config (read-only, so one copy serves every visitor)."""
    return C.dataset(cfg)


def untrained(cfg: C.CharactersConfig) -> nn.Sequential:
    """This visitor's untrained network for `cfg`: what the water does before any training."""
    held = st.session_state.get(f"{NS}.untrained")
    if held is None or held[0] != cfg:
        held = (cfg, C.network(cfg, len(C.classes(cfg))))
        st.session_state[f"{NS}.untrained"] = held
    return held[1]


def pick_input(ds: data.Dataset, size: int) -> tuple[np.ndarray, int | None]:
    """A test character (class + index) or the visitor's drawing; returns the image and its true class."""
    names = option_labels("water_pipes.source_", ("sample", "draw"))
    source = st.segmented_control(t("water_pipes.source"), list(names), default="sample", required=True,
                                  format_func=names.get, key=f"{NS}.source")
    if source == "draw":
        drawing = drawing_canvas(f"{NS}.canvas", height=240, stroke_width=22)
        st.caption(t("water_pipes.draw_tip"))
        image = None if drawing is None else C.fit_drawing(drawing, size)
        if image is not None:
            return image, None
        st.info(t("water_pipes.draw_empty"), icon=":material/draw:")
    if st.session_state.get(f"{NS}.cls", 0) >= len(ds.classes):
        st.session_state[f"{NS}.cls"] = 0  # the class list shrank after Apply
    label = st.selectbox(t("water_pipes.pick_class"), range(len(ds.classes)), format_func=lambda i: ds.classes[i],
                         key=f"{NS}.cls")
    per_class = int(np.bincount(ds.y_test, minlength=len(ds.classes)).min())  # same range for every class
    if st.session_state.get(f"{NS}.idx", 0) >= per_class:
        st.session_state[f"{NS}.idx"] = 0
    index = st.number_input(t("water_pipes.pick_index"), 0, max(0, per_class - 1), 0, key=f"{NS}.idx",
                            help=t("water_pipes.pick_index_help", n=per_class))
    return C.sample(ds, int(label), int(index)), int(label)


def _column_labels(n_layers: int) -> list[str]:
    hidden = [t("water_pipes.col_hidden", k=k) for k in range(1, n_layers - 1)]
    return [t("water_pipes.col_input"), *hidden, t("water_pipes.col_outlets")]


def pipe_figure(model: nn.Module, classes: tuple[str, ...], image: np.ndarray, expected: int | None,
                title: str, height: int = 460) -> tuple[Any, C.Flow]:
    """The pipe figure of one network for one input, and the flow it shows."""
    flow = C.flow(model, image)
    fig = pipes(flow.layers, flow.edges, flow.probs, flow.image, classes, expected=expected, title=title,
                column_labels=_column_labels(len(flow.layers)),
                pipe_names=(t("water_pipes.pipe_opens"), t("water_pipes.pipe_closes")),
                neuron_label=t("water_pipes.valve"), height=height)
    return fig, flow


def flow_sentence(flow: C.Flow, classes: tuple[str, ...], expected: int | None) -> None:
    """Where the most water comes out, and whether that is the right outlet."""
    win = flow.winner
    text = t("water_pipes.flow_to", char=classes[win], p=f"{flow.probs[win]:.0%}")
    if expected is None:
        st.info(text, icon=":material/water_drop:")
    elif expected == win:
        st.success(text + " " + t("water_pipes.flow_right"), icon=":material/water_drop:")
    else:
        st.warning(text + " " + t("water_pipes.flow_wrong", char=classes[expected]), icon=":material/water_drop:")


def live_view(trainer: Any, cfg: C.CharactersConfig, image: np.ndarray, expected: int | None) -> None:
    """Inside the live panel: loss and accuracy curves beside the pipes for the chosen input."""
    model = trainer.model if trainer is not None else untrained(cfg)
    classes = C.classes(cfg)
    fig, flow = pipe_figure(model, classes, image, expected, t("water_pipes.pipes_title"))
    curves_col, pipes_col = st.columns([2, 3])
    with pipes_col:
        live.chart(fig)
        flow_sentence(flow, classes, expected)
    with curves_col:
        if trainer is None or not trainer.metrics("test_loss"):
            st.info(t("water_pipes.untrained_note"), icon=":material/info:")
            return
        for key, name in (("loss", "loss_title"), ("acc", "acc_title")):
            series = {t(f"water_pipes.{split}"): trainer.metrics(f"{split}_{key}").get(f"{split}_{key}", ([], []))
                      for split in ("train", "test")}
            live.chart(figures.curves(series, title=t(f"water_pipes.{name}"), x_label=t("water_pipes.step"),
                                      height=230))


def weld_button(trainer: Any, cfg: C.CharactersConfig) -> None:
    """Weld the live network's valves: keep a frozen copy in the session (it survives Reset)."""
    welded: list[C.Welded] = st.session_state.setdefault(f"{NS}.welded", [])
    left, right = st.columns([1, 3])
    if left.button(t("water_pipes.weld"), key=f"{NS}.weld", icon=":material/hardware:", type="primary",
                   disabled=trainer is None or trainer.steps == 0):
        name = t("water_pipes.weld_name", n=len(welded) + 1, steps=trainer.steps)
        welded.append(C.weld(trainer, cfg, name))
        del welded[:-MAX_WELDED]  # keep the newest few
    if right.button(t("water_pipes.unweld"), key=f"{NS}.unweld", icon=":material/delete:", disabled=not welded):
        welded.clear()
    if trainer is None or trainer.steps == 0:
        st.caption(t("water_pipes.weld_needs_training"))


def compare(trainer: Any, cfg: C.CharactersConfig, image: np.ndarray, expected: int | None) -> None:
    """The live network beside a welded one, on the same input."""
    welded: list[C.Welded] = st.session_state.get(f"{NS}.welded", [])
    if not welded:
        st.info(t("water_pipes.weld_none"), icon=":material/hardware:")
        return
    pick = st.selectbox(t("water_pipes.weld_pick"), range(len(welded)), len(welded) - 1,
                        format_func=[w.name for w in welded].__getitem__, key=f"{NS}.weld_pick")
    w = welded[min(int(pick or 0), len(welded) - 1)]
    cols = st.columns(2)
    model = trainer.model if trainer is not None else untrained(cfg)
    acc = trainer.latest("test_acc") if trainer is not None else None
    nets = ((t("water_pipes.live_net"), model, C.classes(cfg), cfg.size, acc),
            (w.name, w.model, w.classes, w.size, w.test_acc))
    for i, (col, (name, net, classes, size, score)) in enumerate(zip(cols, nets)):
        with col:
            same = expected is not None and classes == C.classes(cfg)
            fig, flow = pipe_figure(net, classes, C.as_input(image, size), expected if same else None, name, 400)
            st.plotly_chart(fig, key=f"{NS}.cmp_{i}")
            st.metric(t("water_pipes.test_acc"), "–" if score is None else f"{score:.1%}")
            flow_sentence(flow, classes, expected if same else None)


def confused_grid(images: np.ndarray, captions: list[str], cols: int = 4) -> Any:
    """The shared image grid with room above each image for the caption of the one above it."""
    n, h, w = images.shape
    room = np.full((n, max(4, h * 2 // 5), w), np.nan, dtype=np.float32)  # blank rows: caption space
    rows = -(-n // cols)
    return figures.image_grid(np.concatenate([room, images], 1), captions, cols=cols, zmin=0, zmax=1,
                              title=t("water_pipes.confused_title"), height=70 + rows * 160)


def confusions(trainer: Any, cfg: C.CharactersConfig) -> None:
    """The test characters a network gets wrong (true → predicted) and its confusion matrix."""
    welded: list[C.Welded] = st.session_state.get(f"{NS}.welded", [])
    options = (["live"] if trainer is not None else []) + [f"w{i}" for i in range(len(welded))]
    if not options:
        st.info(t("water_pipes.confuse_none"))
        return
    names = {k: t("water_pipes.live_net") if k == "live" else welded[int(k[1:])].name for k in options}
    which = st.radio(t("water_pipes.confuse_pick"), options, horizontal=True, key=f"{NS}.confuse_net",
                     format_func=names.get)
    which = which if which in options else options[0]
    if which == "live":
        model, ds = trainer.model, trainer.data
    else:
        w = welded[int(which[1:])]
        model, ds = w.model, dataset(w.config)
    probs = C.predict_proba(model, ds.x_test)
    worst = C.most_confused(probs, ds.x_test, ds.y_test, k=16)
    counts = C.confusion_matrix(ds.y_test, probs.argmax(1), len(ds.classes))
    wrong, total = int(len(ds.y_test) - np.trace(counts)), len(ds.y_test)
    st.caption(t("water_pipes.confuse_summary", wrong=wrong, total=total, acc=f"{1 - wrong / total:.1%}"))
    left, right = st.columns(2)
    with left:
        if len(worst.true):
            captions = [f"{ds.classes[a]}→{ds.classes[b]} {p:.0%}" for a, b, p in
                        zip(worst.true, worst.pred, worst.confidence)]
            st.plotly_chart(confused_grid(worst.images, captions), key=f"{NS}.confused")
        else:
            st.success(t("water_pipes.confuse_perfect"))
    with right:
        st.plotly_chart(figures.confusion(counts, ds.classes, title=t("water_pipes.matrix_title"),
                                          true_label=t("water_pipes.true_label"), pred_label=t("water_pipes.pred_label")),
                        key=f"{NS}.matrix")
