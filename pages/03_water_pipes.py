"""The 田 water-pipe network: an MLP drawn as pipes. A character image flows in at the left, every
weight is a valve, training turns the valves until the right outlet (田, 日, 目 …) carries the most
flow. Pick a test character or draw one, weld (freeze) the valves to compare, see what it confuses."""

import dataclasses

import streamlit as st

from dlcore.experiments import characters as C
from dlcore.figures import pipes
from ui import live
from ui import waterpipe as ui
from ui.i18n import t
from ui.widgets import show_code

NS = ui.NS
D = C.CharactersConfig()

st.title(t("water_pipes.title"))
st.markdown(t("water_pipes.intro"))

# --- 1. the network's settings ------------------------------------------------------------------
with st.expander(t("water_pipes.settings"), icon=":material/tune:"):
    with st.form(f"{NS}.form"):
        c = st.columns(3)
        chars = c[0].text_input(t("water_pipes.chars"), D.chars, key=f"{NS}.chars", help=t("water_pipes.chars_help"))
        size = c[1].select_slider(t("water_pipes.size"), [8, 12, 16, 20, 24, 28], D.size, key=f"{NS}.size",
                                  help=t("water_pipes.size_help"))
        samples = c[2].slider(t("water_pipes.samples"), 20, 400, D.samples, 10, key=f"{NS}.samples",
                              help=t("water_pipes.samples_help"))
        c = st.columns(3)
        hidden = c[0].text_input(t("water_pipes.hidden"), D.hidden, key=f"{NS}.hidden", help=t("water_pipes.hidden_help"))
        activation = c[1].selectbox(t("water_pipes.activation"), ["relu", "tanh", "sigmoid", "leaky_relu", "elu", "gelu"],
                                    key=f"{NS}.activation")
        optimizer = c[2].selectbox(t("water_pipes.optimizer"), ["adam", "momentum", "sgd"], key=f"{NS}.optimizer")
        c = st.columns(4)
        lr = c[0].select_slider(t("water_pipes.lr"), [0.0003, 0.001, 0.002, 0.005, 0.01, 0.03, 0.1, 0.3, 1.0, 10.0],
                                D.lr, key=f"{NS}.lr")
        batch = c[1].select_slider(t("water_pipes.batch"), [8, 16, 32, 64, 128, 256], D.batch_size, key=f"{NS}.batch")
        steps = c[2].number_input(t("water_pipes.steps"), 10, 20_000, D.steps, 100, key=f"{NS}.steps")
        seed = c[3].number_input(t("common.seed"), 0, 10_000, D.seed, key=f"{NS}.seed")
        applied = st.form_submit_button(t("common.apply"), icon=":material/check:")
cfg = dataclasses.replace(D, chars=chars, size=size, samples=samples, hidden=hidden, activation=activation,
                          optimizer=optimizer, lr=lr, batch_size=batch, steps=int(steps), seed=int(seed))
if applied or st.session_state.get(f"{NS}.cfg") != cfg:
    live.reset(NS)  # new pipes: the old trainer no longer fits (welded networks stay)
    st.session_state[f"{NS}.cfg"] = cfg
try:
    C.validate(cfg)
    ds = ui.dataset(cfg)
except ValueError as err:
    st.error(t("water_pipes.bad_setting", detail=str(err)))
    st.stop()
st.caption(t("water_pipes.summary", n=len(ds.classes), chars=" ".join(ds.classes), size=cfg.size,
             train=len(ds.x_train), test=len(ds.x_test), hidden=cfg.hidden or "–"))

# --- 2. train live and watch the water ----------------------------------------------------------
st.header(t("water_pipes.train_header"))
st.markdown(t("water_pipes.train_intro"))
with st.sidebar:
    st.subheader(t("water_pipes.input_header"))
    image, expected = ui.pick_input(ds, cfg.size)
live.live_panel(NS, lambda: C.build(cfg), lambda trainer: ui.live_view(trainer, cfg, image, expected))
st.caption(t("water_pipes.legend"))

# --- 3. weld the valves -------------------------------------------------------------------------
st.header(t("water_pipes.weld_header"))
st.markdown(t("water_pipes.weld_intro"))
trainer = live.get_trainer(NS)
ui.weld_button(trainer, cfg)
ui.compare(trainer, cfg, image, expected)

# --- 4. what it confuses ------------------------------------------------------------------------
st.header(t("water_pipes.confuse_header"))
st.markdown(t("water_pipes.confuse_intro"))
ui.confusions(trainer, cfg)

st.markdown(t("water_pipes.takeaway"))
show_code(C.flow, C.fit_drawing, pipes.pipes)
