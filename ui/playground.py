"""Streamlit helpers of the "How a network learns" playground: settings kept in the URL, the settings form,
the live figures (redrawn fast: static parts built once), neuron and valve controls, and the downloads."""

from __future__ import annotations

from dataclasses import fields, replace
from urllib.parse import urlencode

import numpy as np
import streamlit as st

from dlcore import export, features
from dlcore.experiments import playground as pg
from dlcore.figures import network as nf
from ui import live
from ui.i18n import lang, option_labels, t

NS = "pg"  # the trainer lives in st.session_state["pg.trainer"]
FIELDS = tuple(f.name for f in fields(pg.PlaygroundConfig))
DEFAULT = pg.PlaygroundConfig()
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
OPTIMIZERS = ("sgd", "momentum", "adam")
LR_CHOICES = (0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_CHOICES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1)
BATCH_CHOICES = (1, 5, 10, 25, 50, 100, 250, 500)
POINT_CHOICES = (100, 200, 500, 1000, 2000)
FLOW_STEP = 0.23  # how far the flow dots move along the edges per redraw while training


def _key(name: str) -> str:
    return f"{NS}.{name}"


def sanitize(cfg: pg.PlaygroundConfig) -> pg.PlaygroundConfig:
    """Any config (e.g. from a hand-edited link) made safe for the form: unknown choices fall back to defaults."""
    ok = {
        "dataset": cfg.dataset in pg.DATASETS, "activation": cfg.activation in ACTIVATIONS,
        "optimizer": cfg.optimizer in OPTIMIZERS, "lr": 0 < cfg.lr <= 10,
    }
    try:
        features.parse(cfg.features)
        pg.parse_hidden(cfg.hidden, cfg.advanced)
        ok["features"] = ok["hidden"] = True
    except ValueError:
        ok["features"] = ok["hidden"] = False
    clean = replace(cfg, **{k: getattr(DEFAULT, k) for k, good in ok.items() if not good})
    return replace(clean, points=int(np.clip(clean.points, 10, pg.MAX_POINTS)),
                   noise=float(np.clip(clean.noise, 0, 1)), test_ratio=float(np.clip(clean.test_ratio, 0.1, 0.9)),
                   batch_size=int(np.clip(clean.batch_size, 1, 500)), steps=int(np.clip(clean.steps, 1, 100_000)),
                   l1=float(np.clip(clean.l1, 0, 1)), l2=float(np.clip(clean.l2, 0, 1)),
                   seed=int(np.clip(clean.seed, 0, 1_000_000)))


def _write_url(cfg: pg.PlaygroundConfig) -> None:
    for name, value in pg.config_to_strings(cfg).items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value


def current_config() -> pg.PlaygroundConfig:
    """The experiment: from the link when it names one, else this visitor's last settings; the URL mirrors it."""
    asked = {name: st.query_params[name] for name in FIELDS if name in st.query_params}
    cfg = sanitize(pg.config_from_strings(asked)) if asked else st.session_state.get(_key("cfg"), DEFAULT)
    if st.session_state.get(_key("cfg"), cfg) != cfg:
        live.reset(NS)  # a different experiment arrived through the link
    st.session_state[_key("cfg")] = cfg
    _write_url(cfg)
    if st.session_state.get(_key("form_cfg")) != cfg:  # show the settings in the form's widgets
        hidden = pg.parse_hidden(cfg.hidden, cfg.advanced)
        for name in ("dataset", "noise", "test_ratio", "points", "batch_size", "activation", "lr", "optimizer",
                     "l1", "l2", "steps", "seed", "advanced"):
            st.session_state[_key(f"w.{name}")] = getattr(cfg, name)
        st.session_state[_key("w.features")] = list(features.parse(cfg.features))
        st.session_state[_key("w.layers")] = len(hidden)
        for i in range(pg.MAX_LAYERS):
            st.session_state[_key(f"w.n{i}")] = hidden[i] if i < len(hidden) else 4
        st.session_state[_key("form_cfg")] = cfg
    return cfg


def _from_widgets(seed_step: int = 0) -> None:
    """Apply / New data: read the form, keep the new settings (URL included) and drop the old trainer."""
    w = {name: st.session_state[_key(f"w.{name}")] for name in (
        "dataset", "noise", "test_ratio", "points", "batch_size", "activation", "lr", "optimizer", "l1", "l2",
        "steps", "seed", "advanced", "layers")}
    names = st.session_state[_key("w.features")] or ["x1", "x2"]
    hidden = ",".join(str(int(st.session_state[_key(f"w.n{i}")])) for i in range(int(w.pop("layers"))))
    cfg = sanitize(pg.PlaygroundConfig(**{**w, "seed": int(w["seed"]) + seed_step, "steps": int(w["steps"]),
                                          "features": ",".join(names), "hidden": hidden}))
    st.session_state[_key("cfg")] = cfg
    st.session_state.pop(_key("form_cfg"), None)
    _write_url(cfg)
    live.reset(NS)


def settings_form(cfg: pg.PlaygroundConfig) -> None:
    """Data, features, network and training settings in one form: nothing restarts until Apply."""
    cap = pg.MAX_NEURONS_ADVANCED if cfg.advanced else pg.MAX_NEURONS
    k = _key
    ds_names = option_labels("playground.ds_", pg.DATASETS)
    opt_names = option_labels("playground.opt_", OPTIMIZERS)
    with st.form(k("form")):
        c = st.columns([2.5, 1, 1, 1, 1])
        c[0].radio(t("playground.dataset"), pg.DATASETS, key=k("w.dataset"), horizontal=True,
                   format_func=ds_names.get)
        c[1].slider(t("playground.noise"), 0.0, 1.0, step=0.05, key=k("w.noise"), help=t("playground.noise_help"))
        c[2].slider(t("playground.test_ratio"), 0.1, 0.9, step=0.1, key=k("w.test_ratio"),
                    help=t("playground.test_ratio_help"))
        c[3].select_slider(t("playground.points"), POINT_CHOICES, key=k("w.points"))
        c[4].select_slider(t("playground.batch_size"), BATCH_CHOICES, key=k("w.batch_size"),
                           help=t("playground.batch_help"))
        st.pills(t("playground.features"), features.FEATURES, selection_mode="multi", key=k("w.features"),
                 format_func=features.LABELS.get, help=t("playground.features_help"))
        c = st.columns([1.4] + [1] * pg.MAX_LAYERS + [1.2])
        c[0].slider(t("playground.layers"), 0, pg.MAX_LAYERS, key=k("w.layers"), help=t("playground.layers_help"))
        for i in range(pg.MAX_LAYERS):
            c[1 + i].number_input(t("playground.neurons", i=i + 1), 1, cap, key=k(f"w.n{i}"),
                                  help=t("playground.neurons_help", cap=cap))
        c[-1].selectbox(t("playground.activation"), ACTIVATIONS, key=k("w.activation"))
        c = st.columns(6)
        c[0].select_slider(t("playground.lr"), LR_CHOICES, key=k("w.lr"), help=t("playground.lr_help"))
        c[1].selectbox(t("playground.optimizer"), OPTIMIZERS, key=k("w.optimizer"),
                       format_func=opt_names.get)
        c[2].select_slider(t("playground.l1"), REG_CHOICES, key=k("w.l1"), help=t("playground.l1_help"))
        c[3].select_slider(t("playground.l2"), REG_CHOICES, key=k("w.l2"), help=t("playground.l2_help"))
        c[4].number_input(t("playground.steps"), 1, 100_000, step=100, key=k("w.steps"))
        c[5].number_input(t("common.seed"), 0, 1_000_000, key=k("w.seed"), help=t("playground.seed_help"))
        c = st.columns([1, 1, 3])
        c[0].form_submit_button(t("common.apply"), icon=":material/check:", on_click=_from_widgets, type="primary")
        c[1].form_submit_button(t("playground.regenerate"), icon=":material/casino:", on_click=_from_widgets,
                                args=(1,), help=t("playground.regenerate_help"))
        c[2].checkbox(t("playground.advanced"), key=k("w.advanced"), help=t("playground.advanced_help"))


def preview(cfg: pg.PlaygroundConfig):  # noqa: ANN201 - a Trainer
    """The untrained trainer of a config (one per visitor): drawn before Start, and the source of neuron names."""
    if st.session_state.get(_key("preview_cfg")) != cfg:
        st.session_state[_key("preview")] = pg.build(cfg)
        st.session_state[_key("preview_cfg")] = cfg
    return st.session_state[_key("preview")]


def _keep_in_range(key: str, n: int) -> None:
    """Forget a stored choice that the current network no longer has (e.g. neuron 7 of a 4-neuron layer)."""
    if not 0 <= st.session_state.get(key, 0) < n:
        st.session_state.pop(key, None)


def neuron_choices(cfg: pg.PlaygroundConfig) -> list[tuple[int, int, str]]:
    """(layer, index, name) of every drawn neuron, output first (the most useful one to enlarge)."""
    labels = pg.neuron_labels(preview(cfg).model)
    every = [(l, j, name) for l, layer in enumerate(labels) for j, name in enumerate(layer)]
    return every[-1:] + every[:-1]


def inspect_controls(cfg: pg.PlaygroundConfig) -> None:
    """Pick a neuron to enlarge, and turn a valve: set one weight by hand."""
    labels = pg.neuron_labels(preview(cfg).model)
    c = st.columns([1.3, 1, 1, 1, 1, 1])
    choices = neuron_choices(cfg)
    names = [t("playground.layer_in")] + [f"h{l}" for l in range(1, len(labels) - 1)] + ["out"]
    links = [f"{names[l]} → {names[l + 1]}" for l in range(len(labels) - 1)]
    _keep_in_range(_key("neuron"), len(choices))
    _keep_in_range(_key("valve_layer"), len(links))
    c[0].selectbox(t("playground.enlarge"), range(len(choices)), key=_key("neuron"),
                   format_func=lambda i: choices[i][2], help=t("playground.enlarge_help"))
    layer = c[1].selectbox(t("playground.valve_layer"), range(len(links)), key=_key("valve_layer"),
                           format_func=links.__getitem__)
    _keep_in_range(_key(f"valve_from{layer}"), len(labels[layer]))
    _keep_in_range(_key(f"valve_to{layer}"), len(labels[layer + 1]))
    frm = c[2].selectbox(t("playground.valve_from"), range(len(labels[layer])), key=_key(f"valve_from{layer}"),
                         format_func=labels[layer].__getitem__)
    to = c[3].selectbox(t("playground.valve_to"), range(len(labels[layer + 1])), key=_key(f"valve_to{layer}"),
                        format_func=labels[layer + 1].__getitem__)
    value = c[4].number_input(t("playground.valve_value"), -20.0, 20.0, 2.0, 0.5, key=_key("valve_value"))
    st.session_state[_key("edge")] = (layer, to, frm)
    with c[5]:
        st.write("")
        st.button(t("playground.valve_set"), key=_key("valve_set"), on_click=_turn_valve,
                  args=(cfg, layer, to, frm, value), icon=":material/tune:", use_container_width=True)
    if st.session_state.get(_key("valve_msg")):
        st.caption(st.session_state[_key("valve_msg")])


def _turn_valve(cfg: pg.PlaygroundConfig, layer: int, to: int, frm: int, value: float) -> None:
    trainer = live.get_trainer(NS)
    if trainer is None:  # no run yet: start one (paused) so the change has a network to live in
        trainer = st.session_state[_key("trainer")] = pg.build(cfg)
    old = pg.set_weight(trainer.model, layer, to, frm, value)
    labels = pg.neuron_labels(trainer.model)
    st.session_state[_key("valve_msg")] = t("playground.valve_done", frm=labels[layer][frm],
                                            to=labels[layer + 1][to], old=f"{old:.3f}", new=f"{value:.3f}")


def _live_figures(trainer, cfg: pg.PlaygroundConfig) -> nf.LiveFigures:  # noqa: ANN001
    """The boundary and loss charts of this data set and language, built once and then only refreshed."""
    show_test = bool(st.session_state.get(_key("show_test")))
    cache_key = (cfg.dataset, cfg.points, cfg.noise, cfg.test_ratio, cfg.seed, lang(), show_test)
    if st.session_state.get(_key("figs_key")) != cache_key:
        xs, ys, _ = pg.grid_points(100)
        ds = trainer.data
        points = [(t("playground.train_points"), ds.x_train, ds.y_train)]
        if show_test:  # off by default, as in TensorFlow Playground: a few hundred more SVG points slow every redraw
            points.append((t("playground.test_points"), ds.x_test, ds.y_test))
        st.session_state[_key("figs")] = nf.LiveFigures(
            xs, ys, points,
            [t("playground.train_loss"), t("playground.test_loss")], boundary_title=t("playground.boundary_title"),
            curves_title=t("playground.curves_title"), x_label=t("playground.step_axis"),
            y_label=t("playground.loss_axis"), height=430)
        st.session_state[_key("figs_key")] = cache_key
    return st.session_state[_key("figs")]


def draw(trainer, cfg: pg.PlaygroundConfig) -> None:  # noqa: ANN001
    """The live view: boundary with points, the network with its neuron maps and flow, loss curves, one neuron."""
    shown = trainer or preview(cfg)
    model, figs = shown.model, _live_figures(shown, cfg)
    running = bool(st.session_state.get(_key("running"))) and trainer is not None and not trainer.done
    phase = None
    if running:
        phase = st.session_state[_key("phase")] = (st.session_state.get(_key("phase"), 0.0) + FLOW_STEP) % 1.0
    if trainer is not None and trainer.stop is not None and trainer.stop.kind == "diverged":
        st.warning(t("playground.diverged_hint"), icon=":material/local_fire_department:")
    left, right = st.columns([1, 1.15])
    with left:
        live.chart(figs.boundary(pg.decision_grid(model)[2]))
        st.toggle(t("playground.show_test"), key=_key("show_test"), help=t("playground.show_test_help"))
        if trainer is not None and trainer.latest("test_loss") is not None:
            st.caption(t("playground.scores", train=f"{trainer.latest('train_loss'):.3f}",
                         test=f"{trainer.latest('test_loss'):.3f}", acc=f"{100 * trainer.latest('test_acc'):.1f}"))
    sizes = pg.layer_sizes(model)
    titles = [t("playground.layer_in")] + [t("playground.layer_hidden", i=i) for i in range(1, len(sizes) - 1)]
    choices = neuron_choices(cfg)
    layer, index, name = choices[min(st.session_state.get(_key("neuron"), 0), len(choices) - 1)]
    edge = st.session_state.get(_key("edge"))
    if edge is not None and not (edge[0] < len(sizes) - 1 and edge[1] < sizes[edge[0] + 1] and edge[2] < sizes[edge[0]]):
        edge = None
    with right:
        live.chart(nf.network(sizes, pg.weights(model), pg.neuron_grids(model, 10), pg.neuron_labels(model),
                              titles + [t("playground.layer_out")], phase=phase, selected=(layer, index),
                              edge=edge, weight_label=t("playground.weight"),
                              height=430 if max(sizes) <= 8 else None))
        st.caption(t("playground.network_caption"))
    left, right = st.columns([1, 1.15])
    with left:
        if trainer is None or not trainer.history:
            st.info(t("playground.curves_empty"), icon=":material/show_chart:")  # no empty chart to draw
        else:
            names = [t("playground.train_loss"), t("playground.test_loss")]
            m = trainer.metrics("train_loss", "test_loss")
            live.chart(figs.curves({names[0]: m.get("train_loss", ([], [])), names[1]: m.get("test_loss", ([], []))}))
    with right:
        xs, ys, z = pg.neuron_grid(model, layer, index, resolution=50)
        live.chart(figs.neuron(xs, ys, z, t("playground.neuron_title", name=name), probability=layer == len(sizes) - 1))


def downloads(cfg: pg.PlaygroundConfig) -> None:
    """Share the link; download the trained weights, the curves as CSV and the equivalent PyTorch script."""
    base = str(st.context.url or "").split("?")[0]
    st.code(f"{base}?{urlencode({'lang': lang(), **pg.config_to_strings(cfg)})}", language=None)
    trainer = live.get_trainer(NS)
    c = st.columns(3)
    c[0].download_button(
        t("playground.download_weights"), (lambda: export.weights_bytes(trainer.model, cfg)) if trainer else b"",
        "playground_weights.pt", "application/octet-stream", key=_key("dl_weights"), disabled=trainer is None,
        on_click="ignore", icon=":material/download:", use_container_width=True)
    c[1].download_button(
        t("playground.download_csv"), (lambda: export.curves_csv(trainer.history)) if trainer else "",
        "playground_curves.csv", "text/csv", key=_key("dl_csv"), disabled=trainer is None, on_click="ignore",
        icon=":material/table:", use_container_width=True)
    c[2].download_button(t("playground.download_script"), export.pytorch_script(cfg), "playground_experiment.py",
                         "text/x-python", key=_key("dl_script"), on_click="ignore", icon=":material/code:",
                         use_container_width=True)
    if trainer is None:
        st.caption(t("playground.no_trainer_yet"))
