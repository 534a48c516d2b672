"""Convolution & pooling, step by step: slide a kernel over a digit, a character or your own picture,
watch every dot product fill the output map in, then see what pooling keeps when the digit moves."""

import streamlit as st

from dlcore import conv
from dlcore.figures import conv as cfig
from ui import convolution as ui
from ui.i18n import option_labels, t
from ui.widgets import show_code

NS = "conv"

st.title(t("convolution.title"))
st.markdown(t("convolution.intro"))

# --- 1. convolution, step by step ---------------------------------------------------------------
st.header(t("convolution.conv_header"))
st.markdown(t("convolution.conv_intro"))
pick_in, pick_k = st.columns(2)
with pick_in:
    st.subheader(t("convolution.input_header"))
    image, label = ui.pick_input()
    if image is not None:
        st.caption(t("convolution.input_caption", label=label, h=image.shape[0], w=image.shape[1]))
with pick_k:
    st.subheader(t("convolution.kernel_header"))
    kernel = ui.pick_kernel()
    if kernel is not None:
        st.plotly_chart(cfig.kernel_grid(kernel, height=200 if len(kernel) == 3 else 260), key=f"{NS}.fig_kernel")

st.subheader(t("convolution.geometry_header"))
c = st.columns([1, 1, 2])
stride = int(c[0].number_input(t("convolution.stride"), 1, 64, 1, key=f"{NS}.stride",
                               help=t("convolution.stride_help")))
padding = int(c[1].number_input(t("convolution.padding"), 0, 8, 0, key=f"{NS}.padding",
                                help=t("convolution.padding_help")))
shape = None
if image is not None and kernel is not None:
    st.markdown(t("convolution.formula_intro"))
    shape = ui.formula(image.shape, len(kernel), stride, padding)

if shape is not None:
    st.markdown(t("convolution.player_intro"))
    ui.player(image, kernel, stride, padding)
    with st.expander(t("convolution.read_more"), icon=":material/lightbulb:"):
        st.markdown(t("convolution.read_more_text"))

# --- 2. pooling ---------------------------------------------------------------------------------
st.header(t("convolution.pool_header"))
st.markdown(t("convolution.pool_intro"))
c = st.columns(3)
kinds = option_labels("convolution.pool_", ("max", "avg"))
kind = c[0].radio(t("convolution.pool_kind"), list(kinds), format_func=kinds.__getitem__, horizontal=True,
                  key=f"{NS}.pool_kind")
size = c[1].slider(t("convolution.pool_size"), 2, 4, 2, key=f"{NS}.pool_size")
pool_stride = c[2].slider(t("convolution.pool_stride"), 1, 4, 2, key=f"{NS}.pool_stride",
                          help=t("convolution.pool_stride_help"))
if image is None or kernel is None:
    st.info(t("convolution.need_input"))
else:
    ui.pooling_views(image, kernel, kind, size, pool_stride)

    st.subheader(t("convolution.shift_header"))
    st.markdown(t("convolution.shift_intro"))
    c = st.columns(2)
    dx = c[0].slider(t("convolution.shift_dx"), -2, 2, 1, key=f"{NS}.dx")
    dy = c[1].slider(t("convolution.shift_dy"), -2, 2, 0, key=f"{NS}.dy")
    ui.shift_views(image, kernel, kind, size, pool_stride, dx, dy)

st.markdown(t("convolution.takeaways"))
show_code(conv.output_size, conv.slide, conv.conv2d, conv.pool2d, conv.shift_report)
