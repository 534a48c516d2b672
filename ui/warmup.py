"""Import torch (through dlcore) in the background once per process, so no visitor waits for it."""

from __future__ import annotations

import importlib
import threading

import streamlit as st

DELAY_SECONDS = 4.0  # importing torch holds the GIL for ~2 s: not while the first page is being sent


@st.cache_resource(show_spinner=False)
def start() -> threading.Timer:
    """Start the one warm-up timer of this server process (cached: runs once, shared by all)."""
    timer = threading.Timer(DELAY_SECONDS, importlib.import_module, args=("dlcore.train",))
    timer.daemon = True
    timer.start()
    return timer
