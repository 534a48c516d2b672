"""Home: what deep learning is (AI ⊃ ML ⊃ DL), learning from examples live, and the workshop map."""

import numpy as np
import streamlit as st

from dlcore import data
from dlcore.figures import svg
from dlcore.experiments import curve_fit
from ui import live, nav
from ui.i18n import t
from ui.widgets import show_code

NS = "home"

st.title(t("home.title"))
st.markdown(t("home.intro"))

# --- AI ⊃ ML ⊃ DL ------------------------------------------------------------------------------
st.header(t("home.rings_header"))
rings = ("ai", "ml", "dl")
names = [t(f"home.{r}_name") for r in rings]  # a plain list: format_func must not look up texts later
left, right = st.columns([3, 2])
with right:
    chosen = st.radio(t("home.rings_pick"), range(3), format_func=names.__getitem__, key=f"{NS}.ring",
                      horizontal=True)
    st.markdown(f"#### {names[chosen]}")
    st.markdown(t(f"home.{rings[chosen]}_text"))
with left:
    st.markdown(svg.nested_sets(names, [t(f"home.{r}_hover") for r in rings], selected=chosen),
                unsafe_allow_html=True)  # st.html would strip the SVG

# --- learning from examples, live --------------------------------------------------------------
st.header(t("home.learn_header"))
st.markdown(t("home.learn_intro"))

with st.form(f"{NS}.form"):
    c = st.columns(5)
    hidden = c[0].slider(t("home.hidden"), 1, 64, 16, key=f"{NS}.hidden")
    layers = c[1].slider(t("home.layers"), 1, 4, 2, key=f"{NS}.layers")
    lr = c[2].select_slider(t("home.lr"), [0.001, 0.003, 0.01, 0.02, 0.05, 0.1, 0.3, 1.0, 3.0, 10.0], 0.02,
                            key=f"{NS}.lr")
    optimizer = c[3].selectbox(t("home.optimizer"), ["adam", "sgd", "momentum"], key=f"{NS}.optimizer")
    noise = c[4].slider(t("home.noise"), 0.0, 1.0, 0.2, 0.05, key=f"{NS}.noise")
    seed = st.number_input(t("common.seed"), 0, 10_000, 0, key=f"{NS}.seed")
    applied = st.form_submit_button(t("common.apply"), icon=":material/check:")
cfg = curve_fit.CurveFitConfig(hidden=hidden, layers=layers, lr=lr, optimizer=optimizer, noise=noise, seed=int(seed))
if applied or st.session_state.get(f"{NS}.cfg") != cfg:
    live.reset(NS)
    st.session_state[f"{NS}.cfg"] = cfg

examples = data.curve(n=cfg.points, noise=cfg.noise, seed=cfg.seed)
x_line = np.linspace(-3.2, 3.2, 200, dtype=np.float32)[:, None]


def draw(trainer) -> None:
    """The examples, the hidden truth and the network's current guess, plus its loss so far (SVG: see svg.py)."""
    fit_series = [svg.Series(t("home.examples"), examples.x_train, examples.y_train, points=True),
                  svg.Series(t("home.truth"), x_line, data.curve_truth(x_line), color=svg.CLASS_COLORS[1], dash="dot")]
    if trainer is not None:
        fit_series.append(svg.Series(t("home.guess"), x_line, trainer.predict(x_line), color=svg.CLASS_COLORS[2]))
    fit, loss = st.columns([3, 2])
    fit.markdown(svg.xy_chart(fit_series, title=t("home.fit_title"), x_label="x", y_label="y"), unsafe_allow_html=True)
    if trainer is not None and trainer.history:
        curves = [svg.Series(t(f"home.{key}"), *trainer.metrics(key).get(key, ([], [])), color=color)
                  for key, color in (("train_loss", svg.CLASS_COLORS[0]), ("test_loss", svg.CLASS_COLORS[1]))]
        loss.markdown(svg.xy_chart(curves, title=t("home.loss_title"), x_label=t("home.step"), log_y=True, width=420),
                      unsafe_allow_html=True)
    else:
        loss.info(t("home.loss_empty"))


st.markdown(t("home.cycle"))
live.live_panel(NS, lambda: curve_fit.build(cfg), draw)

# --- the workshop map --------------------------------------------------------------------------
st.header(t("home.map_header"))
st.markdown(t("home.map_intro"))
lessons = [lesson for lesson in nav.available() if lesson.url_path]
parts = list(dict.fromkeys(lesson.part for lesson in lessons))
for col, part in zip(st.columns(max(1, len(parts))), parts):
    with col:
        st.markdown(f"**{t(part)}**")
        for lesson in lessons:
            if lesson.part == part:
                st.page_link(lesson.file, label=t(lesson.title), icon=lesson.icon)
if not lessons:
    st.caption(t("home.map_empty"))

# --- how to use --------------------------------------------------------------------------------
st.header(t("home.howto_header"))
st.markdown(t("home.howto"))
show_code(curve_fit.build, curve_fit.CurveFitConfig)
live.prefetch_charts()  # this page draws SVG: fetch plotly's code now, so the first lesson opens fast
st.caption(t("home.from_a_script", call=f"curve_fit.build(curve_fit.{cfg!r})"))
