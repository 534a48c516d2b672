"""How a network learns: the playground. Pick data, features and layers, train live, watch every neuron's map,
the decision boundary and the loss; turn one weight by hand; share the settings as a link; take the weights,
the curves and an equivalent plain-PyTorch script home."""

import streamlit as st

from dlcore import export, features
from dlcore.experiments import playground as pg
from ui import live
from ui import playground as ui
from ui.i18n import t
from ui.widgets import show_code

NS = ui.NS

st.title(t("playground.title"))
st.markdown(t("playground.intro"))

# --- 1. the experiment (kept in the URL, so a link opens the same one) ----------------------------------
st.header(t("playground.settings_header"))
cfg = ui.current_config()
ui.settings_form(cfg)
if not pg.parse_hidden(cfg.hidden, cfg.advanced):
    st.info(t("playground.logistic"), icon=":material/linear_scale:")

# --- 2. train it live -------------------------------------------------------------------------------------
st.header(t("playground.train_header"))
st.markdown(t("playground.train_intro"))
live.live_panel(NS, lambda: pg.build(cfg), lambda trainer: ui.draw(trainer, cfg))

# --- 3. look inside: one neuron, one valve ----------------------------------------------------------------
st.subheader(t("playground.inspect_header"))
st.markdown(t("playground.inspect_intro"))
ui.inspect_controls(cfg)
with st.expander(t("playground.read_header"), icon=":material/lightbulb:"):
    st.markdown(t("playground.read_text"))
with st.expander(t("playground.try_header"), icon=":material/science:"):
    st.markdown(t("playground.try_text"))

# --- 4. share and take away -------------------------------------------------------------------------------
st.subheader(t("playground.share_header"))
st.markdown(t("playground.share_intro"))
ui.downloads(cfg)

show_code(features.FeatureLayer, pg.build_model, pg.decision_grid, pg.set_weight, export.pytorch_script)
