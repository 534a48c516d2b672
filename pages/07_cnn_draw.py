"""Draw a digit & applications: your drawing goes through MNIST's preprocessing (crop, scale, centre,
normalise), the CNN reads it and shows every layer's feature maps; then what CNNs output beyond one
label, and a live detector that slides the CNN over a scene of digits and boxes each one."""

import streamlit as st

from dlcore import detect, preprocess
from ui import cnn_draw as ui
from ui.i18n import t
from ui.widgets import show_code

NS = "cnn_draw"

st.title(t("cnn_draw.title"))
st.markdown(t("cnn_draw.intro"))
model = ui.pick_model()

# --- 1. draw a digit ----------------------------------------------------------------------------
st.header(t("cnn_draw.draw_header"))
st.markdown(t("cnn_draw.draw_intro"))
ui.draw_section(model)
show_code(preprocess.preprocess, preprocess.paste_centred)

# --- 2. what CNNs output ------------------------------------------------------------------------
st.header(t("cnn_draw.apps_header"))
st.markdown(t("cnn_draw.apps_intro"))
ui.applications_gallery()

# --- 3. live: find and box every digit ----------------------------------------------------------
st.header(t("cnn_draw.det_header"))
st.markdown(t("cnn_draw.det_intro"))
with st.form(f"{NS}.det_form"):
    c = st.columns(3)
    n_digits = c[0].slider(t("cnn_draw.det_digits"), 1, 7, 5, key=f"{NS}.det_digits")
    min_score = c[1].slider(t("cnn_draw.det_min_score"), 0.05, 0.95, 0.3, 0.05, key=f"{NS}.det_min_score",
                            help=t("cnn_draw.det_min_score_help"))
    seed = c[2].number_input(t("common.seed"), 0, 10_000, 0, key=f"{NS}.det_seed")
    st.form_submit_button(t("cnn_draw.det_run"), icon=":material/center_focus_strong:")
ui.detection_section(model, n_digits, int(seed), min_score)
st.markdown(t("cnn_draw.det_explained"))
show_code(detect.detect, detect.window_shape_scores, detect.nms)
