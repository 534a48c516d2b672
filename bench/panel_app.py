"""A bare page with the shared live panel on the home page's curve fit, made long enough to time.

`bench/run.py` serves it to measure the panel's throughput against a raw loop on the same model and
data, how fast Pause takes effect, and whether other widgets answer while training runs. The "Raw loop"
button times that loop inside this same server process (same heap, same threads), so the ratio shows the
panel's own cost rather than the differences between two processes.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # as the frame does
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import time  # noqa: E402

import streamlit as st  # noqa: E402

from dlcore.experiments import curve_fit  # noqa: E402
from ui import live  # noqa: E402

CONFIG = curve_fit.CurveFitConfig(steps=100_000)

clicks = st.session_state.setdefault("bench.clicks", 0)
if st.button("Other widget", key="bench.other"):
    st.session_state["bench.clicks"] = clicks = clicks + 1
st.markdown(f"other-widget-clicks={clicks}")
if st.button("Raw loop", key="bench.raw"):
    import torch

    torch.set_num_threads(1)
    raw = curve_fit.build(CONFIG)
    raw.run_for(0.3)  # warm-up, as the panel's first chunk
    start, before = time.perf_counter(), raw.steps
    raw.run_for(2.5)
    st.session_state["bench.raws"] = raws = st.session_state.get("bench.raws", 0) + 1
    st.markdown(f"raw-{raws}-steps-per-s={(raw.steps - before) / (time.perf_counter() - start):.1f}")
live.live_panel("bench", lambda: curve_fit.build(CONFIG), lambda trainer: None)
