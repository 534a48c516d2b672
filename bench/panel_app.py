"""A bare page with the shared live panel on the home page's curve fit, made long enough to time.

`bench/run.py` serves it to measure the panel's throughput against a raw loop on the same model and
data, how fast Pause takes effect, and whether other widgets answer while training runs.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # as the frame does
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

from dlcore.experiments import curve_fit  # noqa: E402
from ui import live  # noqa: E402

CONFIG = curve_fit.CurveFitConfig(steps=100_000)

clicks = st.session_state.setdefault("bench.clicks", 0)
if st.button("Other widget", key="bench.other"):
    st.session_state["bench.clicks"] = clicks = clicks + 1
st.markdown(f"other-widget-clicks={clicks}")
live.live_panel("bench", lambda: curve_fit.build(CONFIG), lambda trainer: None)
