"""Streamlit helpers of the "Draw a digit & applications" page: model choice, the drawing fragment,
the prediction figures, the gallery of CNN outputs and the live sliding-window detector."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import streamlit as st

from dlcore import cnn, data, detect, preprocess
from dlcore.figures import applications as apps
from dlcore.figures import cnn as cnn_figures
from ui import live
from ui.i18n import option_labels, t
from ui.widgets import drawing_canvas

NS = "cnn_draw"
CLASSES = data.DIGITS


# ----------------------------------------------------------------------------- which model

def _pretrained() -> cnn.CNN:
    """This visitor's own copy of the committed snapshot (loaded once per session, never shared)."""
    if f"{NS}.pretrained" not in st.session_state:
        with st.spinner(t("cnn_draw.model_loading")):
            st.session_state[f"{NS}.pretrained"] = cnn.load_pretrained()
    return st.session_state[f"{NS}.pretrained"]


def trained_model() -> cnn.CNN | None:
    """The CNN trained on the CNN-training page in this session, if there is one (read only)."""
    model = getattr(live.get_trainer("cnn"), "model", None)
    return model if isinstance(model, cnn.CNN) else None


def pick_model() -> cnn.CNN:
    """A switch between the pretrained snapshot and the visitor's own trained CNN (when it exists)."""
    mine = trained_model()
    options = ["pretrained", "trained"] if mine is not None else ["pretrained"]
    choice = st.radio(t("cnn_draw.model"), options, format_func=option_labels("cnn_draw.model_", options).get,
                      horizontal=True, key=f"{NS}.model")
    if mine is None:
        st.caption(t("cnn_draw.model_none_trained"))
    elif choice == "trained":
        trainer = live.get_trainer("cnn")
        acc = trainer.latest("test_acc")
        st.caption(t("cnn_draw.model_trained_info", steps=trainer.steps,
                     acc="–" if acc is None else f"{acc:.1%}"))
    return mine if choice == "trained" and mine is not None else _pretrained()


# ----------------------------------------------------------------------------- reading a drawing

def read_drawing(model: cnn.CNN, image: np.ndarray) -> tuple[preprocess.Steps, np.ndarray, list[np.ndarray]]:
    """Preprocess a drawing and run the model: the steps, class probabilities (10,), feature maps per layer."""
    steps = preprocess.preprocess(image)  # raises EmptyDrawing
    return steps, cnn.predict_proba(model, steps.x)[0], cnn.feature_maps(model, steps.x)


def prediction_figures(steps: preprocess.Steps, probs: np.ndarray, maps: list[np.ndarray],
                       text: dict[str, str]) -> dict[str, Any]:
    """What one reading shows: "probs" (HTML bars), "steps" and "maps" (RGB pictures) with their captions.

    No plotly here: this is redrawn after every stroke, and chromium without a GPU needs ~0.1–0.3 s per
    plotly figure but a few milliseconds for a few divs and inline PNGs.
    """
    s = steps
    return {
        "probs": cnn_figures.probability_bars_html(probs, CLASSES, text["probs_title"]),
        "steps": [cnn_figures.step_picture(img, side=120) for img in s.images()],
        "steps_captions": [text["canvas"].format(h=s.canvas.shape[0], w=s.canvas.shape[1]),
                           text["crop"].format(h=s.cropped.shape[0], w=s.cropped.shape[1]),
                           text["scaled"].format(h=s.scaled.shape[0], w=s.scaled.shape[1]),
                           text["centred"], text["normalised"]],
        "maps": cnn_figures.feature_map_pictures(maps, width=680),
        "maps_titles": [text["maps_title"].format(layer=i + 1, c=m.shape[0], h=m.shape[1], w=m.shape[2])
                        for i, m in enumerate(maps)],
    }


def _texts() -> dict[str, str]:
    keys = ("canvas", "crop", "scaled", "centred", "normalised", "steps_title", "probs_title", "maps_title")
    return {k: t(f"cnn_draw.fig_{k}") for k in keys}


def _input_image() -> np.ndarray | None:
    """What to read: the canvas, or a held-out test digit put on a canvas (works without the canvas, too)."""
    source = st.segmented_control(t("cnn_draw.source"), ["draw", "test"], default="draw", required=True,
                                  format_func=option_labels("cnn_draw.source_", ("draw", "test")).get, key=f"{NS}.source")
    if source == "test":
        ds = data.mnist()
        i = int(st.number_input(t("cnn_draw.test_index"), 0, len(ds.x_test) - 1, 0, key=f"{NS}.test_index"))
        st.caption(t("cnn_draw.test_truth", label=int(ds.y_test[i])))
        image = preprocess.to_canvas(ds.x_test[i, 0], seed=i)
        st.image(1.0 - image, width=200, clamp=True)
        return image
    st.caption(t("cnn_draw.canvas_tip"))
    return drawing_canvas(f"{NS}.canvas", height=280)


@st.fragment
def draw_section(model: cnn.CNN) -> None:
    """Canvas (or test digit) → preprocessing → prediction → feature maps; reruns alone on each stroke."""
    left, right = st.columns([1, 2])
    with left:
        image = _input_image()
    if image is None:
        right.info(t("cnn_draw.empty"), icon=":material/draw:")
        return
    try:
        steps, probs, maps = read_drawing(model, image)
    except preprocess.EmptyDrawing:
        right.info(t("cnn_draw.empty"), icon=":material/draw:")
        return
    except ValueError as err:
        right.error(t("cnn_draw.bad_image", detail=str(err)))
        return
    text = _texts()
    view = prediction_figures(steps, probs, maps, text)
    best = int(probs.argmax())
    with right:
        st.subheader(t("cnn_draw.prediction", digit=best, p=f"{probs[best]:.0%}"))
        if probs[best] < 0.6:
            st.caption(t("cnn_draw.unsure"))
        st.html(view["probs"])
    st.html(cnn_figures.pictures_html(view["steps"], view["steps_captions"], "dl-steps", text["steps_title"]))
    st.caption(t("cnn_draw.steps_explained", scale=f"{steps.scale:.2f}", dy=steps.shift[0], dx=steps.shift[1]))
    st.markdown(t("cnn_draw.maps_intro"))
    st.html(cnn_figures.pictures_html(view["maps"], view["maps_titles"], "dl-maps", row=False))


# ----------------------------------------------------------------------------- what CNNs output

@functools.cache
def _drawings() -> tuple[apps.Cartoon, apps.Face]:
    return apps.cartoon(), apps.face()


def applications_gallery() -> None:
    """Five tabs: classification, detection, segmentation, face landmarks, pose — each a figure and its output."""
    scene, face = _drawings()
    kinds = ("classify", "detect", "segment", "face", "pose")
    # on_change="rerun" lets only the open tab be drawn: five plotly figures at once slowed the page's opening
    for kind, tab in zip(kinds, st.tabs([t(f"cnn_draw.app_{k}") for k in kinds], key=f"{NS}.app_tab",
                                        on_change="rerun")):
        if not tab.open:
            continue
        with tab:
            text, picture = st.columns([2, 3])
            text.markdown(t(f"cnn_draw.app_{kind}_text"))
            if kind == "classify":
                house = dict(scene.objects)["house"]
                names = [t(f"cnn_draw.obj_{k}") for k in ("house", "tree", "person", "car", "cat")]
                fig = apps.classification(scene.image[house[0]:house[2], house[1]:house[3]], names,
                                          [0.86, 0.07, 0.04, 0.02, 0.01], t("cnn_draw.app_classify_title"))
            elif kind == "detect":
                fig = apps.boxes(scene.image, [b for _, b in scene.objects],
                                 [t(f"cnn_draw.obj_{k}") for k, _ in scene.objects], [0.97, 0.93, 0.88],
                                 title=t("cnn_draw.app_detect_title"))
            elif kind == "segment":
                fig = apps.segmentation(scene.image, scene.mask, [t(f"cnn_draw.obj_{k}") for k in scene.mask_classes],
                                        t("cnn_draw.app_segment_title"))
            elif kind == "face":
                fig = apps.landmarks(face.image, face.landmarks, t("cnn_draw.app_face_title", n=len(face.landmarks)))
            else:
                person = dict(scene.objects)["person"]
                crop = (max(0, person[0] - 8), max(0, person[1] - 20), person[2] + 8, person[3] + 20)
                fig = apps.pose(scene.image, scene.keypoints, scene.skeleton,
                                t("cnn_draw.app_pose_title", n=len(scene.keypoints)), crop=crop, height=340)
            picture.plotly_chart(fig, key=f"{NS}.fig_app_{kind}")


# ----------------------------------------------------------------------------- the live detector

def detection_section(model: cnn.CNN, n_digits: int, seed: int, min_score: float) -> None:
    """Generate a scene, slide the model over it, draw boxes vs truth and report precision / recall."""
    key = (id(model), n_digits, seed, min_score, getattr(live.get_trainer("cnn"), "steps", 0))
    cached = st.session_state.get(f"{NS}.det")
    if cached is None or cached[0] != key:  # reruns from other widgets reuse the last result
        try:
            scene = detect.make_scene(n_digits, seed=seed)
        except ValueError as err:
            st.error(t("cnn_draw.det_bad", detail=str(err)))
            return
        found = detect.detect(scene.image, lambda x: cnn.predict_proba(model, x), min_score=min_score)
        cached = (key, scene, found, detect.evaluate(found, scene))
        st.session_state[f"{NS}.det"] = cached
    _, scene, found, score = cached
    fig = apps.boxes(scene.image, [d.box for d in found], [str(d.label) for d in found], [d.score for d in found],
                     truth=[tuple(b) for b in scene.boxes], title=t("cnn_draw.det_title", n=len(found)),
                     truth_name=t("cnn_draw.det_truth"), found_name=t("cnn_draw.det_found"), height=380)
    st.plotly_chart(fig, key=f"{NS}.fig_det")
    c = st.columns(4)
    c[0].metric(t("cnn_draw.det_precision"), f"{score['precision']:.0%}", help=t("cnn_draw.det_precision_help"))
    c[1].metric(t("cnn_draw.det_recall"), f"{score['recall']:.0%}", help=t("cnn_draw.det_recall_help"))
    c[2].metric(t("cnn_draw.det_labels"), f"{score['label_accuracy']:.0%}", help=t("cnn_draw.det_labels_help"))
    left_to_right = np.argsort(scene.boxes[:, 1], kind="stable")
    c[3].metric(t("cnn_draw.det_truth_labels"), " ".join(str(scene.labels[i]) for i in left_to_right))
