"""Streamlit helpers for the perceptron lesson: the neuron map with translated labels, the activation
notes under the gallery, and the sentences that explain the last training step."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from dlcore import activations
from dlcore.activations import Curve
from dlcore.experiments import perceptron as P
from dlcore.figures import neuron as nf
from ui import nav
from ui.i18n import t

NEXT_PAGE = "pages/02_how_networks_learn.py"


def neuron_figure(weights: tuple[float, float, float], activation: str, extent: tuple[float, float],
                  points: list[tuple[str, np.ndarray, np.ndarray]], title: str,
                  before: tuple[float, float, float] | None = None, highlight: np.ndarray | None = None,
                  highlight_label: str = "highlight_label", n: int = 101) -> go.Figure:
    """The neuron's output over the plane with its line (and the line before the last update, dashed)."""
    xs, ys, z = P.neuron_grid(*weights, activation, extent, n)
    previous = P.decision_segment(*before, extent) if before is not None and before != weights else None
    return nf.neuron_map(
        xs, ys, z, mid=activations.midpoint(activation), z_range=activations.color_range(activation), points=points,
        line=P.decision_segment(*weights, extent), previous_line=previous, highlight=highlight,
        weights=weights[:2], title=title, output_label=t("perceptron.output_label"),
        line_label=t("perceptron.line_label"), previous_label=t("perceptron.previous_label"),
        highlight_label=t(f"perceptron.{highlight_label}"))


def activation_notes(curves: list[Curve]) -> None:
    """Under each gallery panel: the formulas, a note on where it saturates, and the saturated share."""
    for col, c in zip(st.columns(len(curves)), curves, strict=True):
        a = activations.get(c.name)
        with col:
            st.latex(a.formula)
            st.latex(rf"f'(x) = {a.derivative_formula}")
            st.caption(t(f"perceptron.note_{c.name}"))
            st.metric(t("perceptron.saturated_share"), f"{c.saturated_fraction:.0%}")


def explain_step(trainer: P.PerceptronTrainer) -> None:
    """Say what the last step did, which point caused it, and whether training settled."""
    up = trainer.last_update()
    if up is None:
        st.caption(t("perceptron.no_step_yet"))
        return
    moved = ", ".join(f"{k} {a:+.2f} → {b:+.2f}" for k, a, b in zip(("w1", "w2", "b"), up.before, up.after, strict=True))
    if up.point >= 0:
        x1, x2 = trainer.x_train[up.point]
        key = "last_point_perceptron" if trainer.rule == "perceptron" else "last_point_gradient"
        st.markdown(t(f"perceptron.{key}", step=up.step, x1=f"{x1:.2f}", x2=f"{x2:.2f}",
                      label=int(trainer.y_train[up.point]), moved=moved))
    elif up.before != up.after:
        st.markdown(t("perceptron.last_batch", step=up.step, moved=moved))
    else:
        st.markdown(t("perceptron.last_none", step=up.step))
    if trainer.converged:
        st.success(t("perceptron.converged", step=trainer.steps))


def xor_warning() -> None:
    """Why XOR never settles, and the way out: the next page (linked only once it exists)."""
    st.warning(t("perceptron.xor_never"), icon=":material/block:")
    if (nav.ROOT / NEXT_PAGE).exists():
        st.page_link(NEXT_PAGE, label=t("perceptron.xor_link"), icon=":material/arrow_forward:")
