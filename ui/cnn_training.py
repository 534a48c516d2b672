"""Streamlit helpers of the "Train a CNN on real digits" page: the settings form, the live figures (heavy
ones redrawn at most every few seconds) and the CNN-vs-MLP comparison."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import streamlit as st

from dlcore import cnn, data, figures, models
from dlcore.experiments import cnn as exp
from dlcore.figures import cnn as cfig
from ui import live
from ui.i18n import lang, option_labels, t

NS = "cnn"  # the trainer lives in st.session_state["cnn.trainer"]; the draw page reads it too
MLP_NS = "cnn_mlp"
MAPS_EVERY = 2.0  # seconds between redraws of the kernels and feature maps while training (≤ 0.5 Hz)
MISTAKES_EVERY = 5.0  # the confusion matrix needs all 1,000 test digits: redraw it less often
FILTER_CHOICES = [4, 8, 12, 16, 24, 32]
LR_CHOICES = [0.0003, 0.001, 0.003, 0.006, 0.01, 0.03, 0.1]


@st.cache_resource
def digits() -> data.Dataset:
    """The 5,000 digits, read once per server (read-only)."""
    return data.mnist()


def config_form() -> tuple[cnn.CNNConfig, bool]:
    """The settings, in a form so a nudge does not restart training; returns (config, Apply pressed)."""
    d = cnn.CNNConfig()
    default_filters = cnn.parse_filters(d.filters, cnn.MAX_LAYERS)
    with st.form(f"{NS}.form"):
        c = st.columns(4)
        layers = c[0].slider(t("cnn_training.conv_layers"), 1, cnn.MAX_LAYERS, d.conv_layers, key=f"{NS}.layers",
                             help=t("cnn_training.conv_layers_help"))
        filters = [c[1 + i].select_slider(t("cnn_training.filters", i=i + 1), FILTER_CHOICES, default_filters[i],
                                          key=f"{NS}.filters{i}", help=t("cnn_training.filters_help"))
                   for i in range(cnn.MAX_LAYERS)]
        c = st.columns(4)
        kernel = c[0].select_slider(t("cnn_training.kernel"), cnn.KERNELS, d.kernel, key=f"{NS}.kernel",
                                    format_func=lambda k: f"{k}×{k}")
        fc = c[1].select_slider(t("cnn_training.fc"), [16, 32, 64, 128, 256], d.fc, key=f"{NS}.fc")
        dropout = c[2].slider(t("cnn_training.dropout"), 0.0, 0.7, d.dropout, 0.05, key=f"{NS}.dropout",
                              help=t("cnn_training.dropout_help"))
        with c[3]:
            pool = st.checkbox(t("cnn_training.pool"), d.pool, key=f"{NS}.pool", help=t("cnn_training.pool_help"))
            batch_norm = st.checkbox(t("cnn_training.batch_norm"), d.batch_norm, key=f"{NS}.bn",
                                     help=t("cnn_training.batch_norm_help"))
        c = st.columns(4)
        optimizer = c[0].selectbox(t("cnn_training.optimizer"), ["adam", "momentum", "sgd"], key=f"{NS}.optimizer",
                                   format_func=option_labels("cnn_training.opt_", ("adam", "momentum", "sgd")).get)
        lr = c[1].select_slider(t("cnn_training.lr"), LR_CHOICES, d.lr, key=f"{NS}.lr")
        batch = c[2].select_slider(t("cnn_training.batch_size"), [16, 32, 64, 128, 256], d.batch_size,
                                   key=f"{NS}.batch")
        epochs = c[3].slider(t("cnn_training.epochs"), 1, 30, int(d.epochs), key=f"{NS}.epochs")
        c = st.columns(4)
        augment = c[0].checkbox(t("cnn_training.augment"), d.augment, key=f"{NS}.augment",
                                help=t("cnn_training.augment_help"))
        lr_decay = c[1].checkbox(t("cnn_training.lr_decay"), d.lr_decay, key=f"{NS}.lr_decay",
                                 help=t("cnn_training.lr_decay_help"))
        pretrained = c[2].checkbox(t("cnn_training.pretrained"), False, key=f"{NS}.pretrained",
                                   help=t("cnn_training.pretrained_help"))
        seed = c[3].number_input(t("common.seed"), 0, 10_000, d.seed, key=f"{NS}.seed")
        applied = st.form_submit_button(t("common.apply"), icon=":material/check:")
    cfg = cnn.CNNConfig(conv_layers=layers, filters=",".join(map(str, filters[:layers])), kernel=kernel, pool=pool,
                        batch_norm=batch_norm, dropout=dropout, fc=fc, optimizer=optimizer, lr=lr, batch_size=batch,
                        epochs=float(epochs), lr_decay=lr_decay, augment=augment, seed=int(seed), pretrained=pretrained)
    return cfg, applied


def preview_model(cfg: cnn.CNNConfig) -> cnn.CNN:
    """The network Start would train, before any step (fresh weights, or the snapshot): one per config."""
    if st.session_state.get(f"{NS}.preview_cfg") != cfg:
        st.session_state[f"{NS}.preview"] = cnn.load_pretrained() if cfg.pretrained else cnn.build_cnn(cfg)
        st.session_state[f"{NS}.preview_cfg"] = cfg
    return st.session_state[f"{NS}.preview"]


def architecture(model: cnn.CNN) -> None:
    """Parameter count and the layer table (output shape and weights per layer)."""
    rows = cnn.layer_table(model)
    c = st.columns([1, 3])
    c[0].metric(t("cnn_training.params"), f"{models.count_params(model):,}")
    c[1].caption(" → ".join(f"**{r['layer']}** {'×'.join(map(str, r['shape']))}" for r in rows))


def _throttled(key: str, token: tuple, every: float, make: Callable[[], Any]) -> Any:
    """`make()` again when token[:-1] changed, or token[-1] changed and `every` seconds passed; else the cached value."""
    cached = st.session_state.get(key)
    now = time.monotonic()
    if cached is None or cached[0][:-1] != token[:-1] or (cached[0] != token and now - cached[1] >= every):
        cached = (token, now, make())
        st.session_state[key] = cached
    return cached[2]


def _inside(model: cnn.CNN, index: int) -> tuple[Any, Any]:
    """Figures of the first-layer kernels and of the feature maps of test digit `index`."""
    ds = digits()
    x = ds.x_test[index:index + 1]  # (1, 1, 28, 28)
    maps = cnn.feature_maps(model, x)
    titles = [t("cnn_training.layer_maps", i=i + 1, c=m.shape[0], h=m.shape[1], w=m.shape[2]) for i, m in enumerate(maps)]
    fig_maps = cfig.feature_maps(x[0, 0], maps, titles, t("cnn_training.maps_title", label=ds.y_test[index]),
                                 input_title=t("cnn_training.input_digit"))
    return cfig.kernels(cnn.first_layer_filters(model), t("cnn_training.kernels_title"), cols=8), fig_maps


def _mistakes(model: cnn.CNN) -> tuple[Any, Any]:
    """Figures of the confusion matrix on the 1,000 test digits and of the most confidently wrong ones."""
    ds = digits()
    probs = cnn.predict_proba(model, ds.x_test)  # (1000, 10)
    counts = cnn.confusion_matrix(ds.y_test, probs.argmax(1))
    fig_conf = figures.confusion(counts, ds.classes, t("cnn_training.confusion_title", acc=np.trace(counts) / counts.sum()),
                                 t("cnn_training.true"), t("cnn_training.predicted"), height=380)
    worst = cnn.most_confused(probs, ds.y_test, 10)
    captions = [f"{ds.y_test[i]} → {probs[i].argmax()}<br>{probs[i].max():.0%}" for i in worst]
    return fig_conf, cfig.digits(ds.x_test[worst, 0], captions, t("cnn_training.confused_title"), cols=5)


def draw(trainer: Any, cfg: cnn.CNNConfig, index: int) -> None:
    """Curves at every redraw; kernels and feature maps at most every MAPS_EVERY s, mistakes every MISTAKES_EVERY s."""
    model = trainer.model if trainer is not None else preview_model(cfg)
    steps = -1 if trainer is None else trainer.steps
    state = (id(model), trainer is not None and trainer.done, st.session_state.get(f"{NS}.running"), lang())
    if trainer is not None:
        c = st.columns(2)
        names = {"train_loss": t("cnn_training.train"), "test_loss": t("cnn_training.test")}
        for col, keys, title in ((c[0], ("train_loss", "test_loss"), "loss_title"),
                                 (c[1], ("train_acc", "test_acc"), "acc_title")):
            series = {names[k.replace("acc", "loss")]: v for k, v in trainer.metrics(*keys).items()}
            with col:
                live.chart(figures.curves(series, t(f"cnn_training.{title}"), t("cnn_training.step"), height=260))
    # redrawn at once when the model, digit, language or run state changes; while training, at most every N s
    kernels, maps = _throttled(f"{NS}.inside", (*state, index, steps), MAPS_EVERY, lambda: _inside(model, index))
    conf, wrong = _throttled(f"{NS}.mistakes", (*state, steps), MISTAKES_EVERY, lambda: _mistakes(model))
    c = st.columns([2, 3])
    with c[0]:
        live.chart(kernels)
        live.chart(wrong)
    with c[1]:
        live.chart(maps)
    live.chart(conf)


def draw_comparison(mlp_trainer: Any, cfg: cnn.CNNConfig) -> None:
    """Both parameter counts, then test accuracy against training seconds for this session's CNN and the MLP."""
    cnn_trainer = live.get_trainer(NS)
    if st.session_state.get(f"{MLP_NS}.sizes", (None,))[0] != cfg:  # building both nets costs time: once per config
        mlp_cfg, cnn_params = exp.mlp_config_like(cfg)
        st.session_state[f"{MLP_NS}.sizes"] = (cfg, cnn_params, models.count_params(cnn.build_mlp(mlp_cfg, cnn_params)))
    _, cnn_params, mlp_params = st.session_state[f"{MLP_NS}.sizes"]
    c = st.columns(2)
    c[0].metric(t("cnn_training.cnn_params"), f"{cnn_params:,}")
    c[1].metric(t("cnn_training.mlp_params"), f"{mlp_params:,}")
    c[0].caption(t("cnn_training.compare_best", acc=_best(cnn_trainer)))
    c[1].caption(t("cnn_training.compare_best", acc=_best(mlp_trainer)))
    runs = {}
    for name, tr in ((t("cnn_training.cnn"), cnn_trainer), (t("cnn_training.mlp"), mlp_trainer)):
        if tr is not None and tr.history:
            runs[name] = {t("cnn_training.test"): _by_seconds(tr, "test_acc"),
                          t("cnn_training.train"): _by_seconds(tr, "train_acc")}
    if runs:
        live.chart(cfig.comparison(runs, t("cnn_training.compare_title"), t("cnn_training.seconds"),
                                   t("cnn_training.accuracy")))


def _by_seconds(trainer: Any, key: str) -> tuple[np.ndarray, np.ndarray]:
    pairs = [(r["seconds"], r[key]) for r in trainer.history if key in r]
    return (np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])) if pairs else (np.zeros(0), np.zeros(0))


def _best(trainer: Any) -> str:
    accs = trainer.metrics("test_acc").get("test_acc") if trainer is not None else None
    return "–" if accs is None else f"{accs[1].max():.1%}"


def build_mlp(cfg: cnn.CNNConfig) -> Any:
    """The MLP trainer matched to the CNN config: same data, seed and training settings, similar parameter count."""
    mlp_cfg, params = exp.mlp_config_like(cfg)
    return exp.build_mlp_trainer(mlp_cfg, params)
