"""Train a CNN on real digits: pick the layers, train live on 4,000 MNIST digits, watch the learned kernels
and the feature maps of every layer, read the confusion matrix, then race an MLP of the same size."""

import streamlit as st

from dlcore import cnn, models
from dlcore.experiments import cnn as exp
from ui import cnn_training as ui
from ui import live
from ui.i18n import t
from ui.widgets import show_code

NS = ui.NS

st.title(t("cnn_training.title"))
st.markdown(t("cnn_training.intro"))

# --- 1. the network -----------------------------------------------------------------------------
st.header(t("cnn_training.setup_header"))
st.markdown(t("cnn_training.setup_intro"))
cfg, applied = ui.config_form()
if applied or st.session_state.get(f"{NS}.cfg") != cfg:
    live.reset(NS)
    live.reset(ui.MLP_NS)
    st.session_state[f"{NS}.cfg"] = cfg
try:
    preview = ui.preview_model(cfg)
except ValueError as err:
    st.error(t("live.bad_setting", detail=str(err)))
    st.stop()
if cfg.pretrained:
    st.info(t("cnn_training.pretrained_note"), icon=":material/download_done:")
ui.architecture(preview)

# --- 2. train it live ---------------------------------------------------------------------------
st.header(t("cnn_training.train_header"))
st.markdown(t("cnn_training.train_intro"))
index = st.slider(t("cnn_training.digit"), 0, 999, 0, key=f"{NS}.digit", help=t("cnn_training.digit_help"))
live.live_panel(NS, lambda: exp.build_cnn_trainer(cfg), lambda trainer: ui.draw(trainer, cfg, index))
with st.expander(t("cnn_training.read_maps"), icon=":material/lightbulb:"):
    st.markdown(t("cnn_training.read_maps_text"))

# --- 3. CNN vs MLP ------------------------------------------------------------------------------
st.header(t("cnn_training.compare_header"))
st.markdown(t("cnn_training.compare_intro", params=f"{models.count_params(preview):,}"))
live.live_panel(ui.MLP_NS, lambda: ui.build_mlp(cfg), lambda trainer: ui.draw_comparison(trainer, cfg))
st.markdown(t("cnn_training.compare_outro"))

show_code(cnn.CNN, cnn.shift, exp.build_cnn_trainer)
