"""Perceptron & activation functions: the activation gallery (curve, derivative, saturation), one neuron
set by hand (weights, bias, heatmap, decision line, formula), and one neuron trained live on logic gates
and two clouds with the perceptron rule or gradient descent, step by step — and why XOR defeats it."""

import streamlit as st

from dlcore import activations, figures
from dlcore.experiments import perceptron as P
from dlcore.figures import neuron as nf
from ui import live
from ui import perceptron as ui
from ui.i18n import option_labels, t
from ui.widgets import show_code

NS = "perceptron"
NAMES = activations.NAMES
ACC_KEYS = ("train_acc", "test_acc")

st.title(t("perceptron.title"))
st.markdown(t("perceptron.intro"))

# --- 1. the activation gallery ------------------------------------------------------------------
st.header(t("perceptron.gallery_header"))
st.markdown(t("perceptron.gallery_intro"))
act_names = option_labels("perceptron.name_", NAMES)
c = st.columns([1, 1, 2])
left = c[0].selectbox(t("perceptron.pick_a"), NAMES, NAMES.index("sigmoid"), act_names.get, key=f"{NS}.act_a")
right = c[1].selectbox(t("perceptron.pick_b"), NAMES, NAMES.index("relu"), act_names.get, key=f"{NS}.act_b")
low, high = c[2].slider(t("perceptron.range"), -20.0, 20.0, (-6.0, 6.0), 0.5, key=f"{NS}.range")
high = max(high, low + 0.5)  # the slider allows low == high
curves = [activations.curve(name, low, high) for name in (left, right)]
st.plotly_chart(nf.activation_curves(curves, [act_names[left], act_names[right]], t("perceptron.value_label"),
                                     t("perceptron.derivative_label"), t("perceptron.saturated_label"),
                                     title=t("perceptron.gallery_title")), key=f"{NS}.gallery")
ui.activation_notes(curves)
st.info(t("perceptron.saturation_explained"), icon=":material/lightbulb:")

# --- 2. one neuron by hand ----------------------------------------------------------------------
st.header(t("perceptron.hand_header"))
st.markdown(t("perceptron.hand_intro"))
gates = list(P.GATES)
gate_names = option_labels("perceptron.gate_", gates)
controls, picture = st.columns([1, 2])
with controls:
    w1 = st.slider("w1", -3.0, 3.0, 1.0, 0.1, key=f"{NS}.w1")
    w2 = st.slider("w2", -3.0, 3.0, 1.0, 0.1, key=f"{NS}.w2")
    bias = st.slider("b", -3.0, 3.0, -1.5, 0.1, key=f"{NS}.b")
    act = st.selectbox(t("perceptron.activation"), NAMES, NAMES.index("sigmoid"), act_names.get, key=f"{NS}.hand_act")
    gate = st.selectbox(t("perceptron.gate"), gates, 0, gate_names.get, key=f"{NS}.gate")
    corner = st.radio(t("perceptron.point"), range(4), format_func=lambda i: f"({i // 2}, {i % 2})",
                      horizontal=True, key=f"{NS}.corner")
labels = P.gate_data(gate).y_train
with picture:
    fig = ui.neuron_figure((w1, w2, bias), act, P.GATE_EXTENT, [(gate_names[gate], P.CORNERS, labels)],
                           t("perceptron.hand_title", f=act_names[act]), highlight=P.CORNERS[corner])
    st.plotly_chart(fig, key=f"{NS}.hand_map")
st.latex(P.formula(w1, w2, bias, *P.CORNERS[corner], act))
correct = P.count_correct(w1, w2, bias, P.CORNERS, labels)
(st.success if correct == 4 else st.info)(t("perceptron.hand_score", correct=correct, gate=gate_names[gate]))
if P.decision_segment(w1, w2, bias, P.GATE_EXTENT) is None:
    st.caption(t("perceptron.line_outside"))

# --- 3. train it live ---------------------------------------------------------------------------
st.header(t("perceptron.train_header"))
st.markdown(t("perceptron.train_intro"))
rule_names = option_labels("perceptron.rule_", P.RULES)
rule = st.radio(t("perceptron.rule"), P.RULES, format_func=rule_names.get, horizontal=True, key=f"{NS}.rule")
st.caption(t(f"perceptron.rule_help_{rule}"))
data_names = {**gate_names, "gaussians": t("perceptron.data_gaussians")}
with st.form(f"{NS}.form"):
    c = st.columns(4)
    dataset = c[0].selectbox(t("perceptron.dataset"), P.DATASETS, format_func=data_names.get, key=f"{NS}.dataset")
    train_act = c[1].selectbox(t("perceptron.activation"), P.RULE_ACTIVATIONS[rule], format_func=act_names.get,
                               key=f"{NS}.train_act.{rule}")
    lr = c[2].select_slider(t("perceptron.lr"), [0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 3.0], 0.5, key=f"{NS}.lr")
    steps = c[3].select_slider(t("perceptron.steps"), [10, 30, 100, 300, 1000, 3000], 300, key=f"{NS}.steps")
    c = st.columns(4)
    full_batch = c[0].checkbox(t("perceptron.full_batch"), key=f"{NS}.full_batch", help=t("perceptron.full_batch_help"))
    copies = c[1].slider(t("perceptron.copies"), 0, 20, 0, key=f"{NS}.copies", help=t("perceptron.copies_help"))
    noise = c[2].slider(t("perceptron.noise"), 0.0, 1.0, 0.3, 0.05, key=f"{NS}.noise")
    seed = c[3].number_input(t("common.seed"), 0, 10_000, 0, key=f"{NS}.seed")
    applied = st.form_submit_button(t("common.apply"), icon=":material/check:")
cfg = P.PerceptronConfig(dataset=dataset, rule=rule, activation=train_act, lr=lr, steps=steps,
                         full_batch=full_batch, copies=copies, noise=noise, seed=int(seed))
if applied or st.session_state.get(f"{NS}.cfg") != cfg:
    live.reset(NS)
    st.session_state[f"{NS}.cfg"] = cfg
if rule == "gradient" and train_act in activations.NO_GRADIENT:
    st.warning(t("perceptron.no_gradient"), icon=":material/trending_flat:")


def draw(trainer: P.PerceptronTrainer | None) -> None:
    """The neuron's map with the last update highlighted, accuracy and weights so far, and what happened."""
    tr = trainer or P.build(cfg)  # before Start: the data and the first (random) line
    up = tr.last_update()
    points = [(t("perceptron.train_points"), tr.x_train, tr.y_train)]
    has_test = len(tr.x_test) != len(tr.x_train) or bool((tr.x_test != tr.x_train).any())  # gates: test = train
    if has_test:
        points.append((t("perceptron.test_points"), tr.x_test, tr.y_test))
    fig = ui.neuron_figure(up.after if up else tr.initial, cfg.activation, tr.extent, points,
                           t("perceptron.live_title", step=tr.steps), before=up.before if up else None,
                           highlight=tr.x_train[up.point] if up and up.point >= 0 else None,
                           highlight_label="update_point", n=81)
    picture, charts = st.columns([3, 2])
    with picture:
        live.chart(fig)
    with charts:
        if tr.history:
            acc = {t(f"perceptron.{k}"): v for k, v in tr.metrics(*ACC_KEYS[:1 + has_test]).items()}
            live.chart(figures.curves(acc, title=t("perceptron.acc_title"), x_label=t("perceptron.step_label"),
                                      height=230).update_yaxes(range=[-0.02, 1.02]))
            live.chart(figures.curves(tr.metrics("w1", "w2", "b"), title=t("perceptron.weights_title"),
                                      x_label=t("perceptron.step_label"), height=230))
        else:
            st.info(t("perceptron.charts_empty"))
    ui.explain_step(tr)
    if cfg.dataset == "xor" and tr.steps >= 8:
        ui.xor_warning()


live.live_panel(NS, lambda: P.build(cfg), draw)
st.markdown(t("perceptron.step_tip"))
show_code(P.PerceptronTrainer._step, P.PerceptronTrainer.dloss_dz, P.neuron_output)
