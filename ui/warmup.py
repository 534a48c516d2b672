"""Import torch (through dlcore) in the background once per process, so no visitor waits for it."""

from __future__ import annotations

import importlib
import threading

import streamlit as st


@st.cache_resource(show_spinner=False)
def start() -> threading.Thread:
    """Start the one warm-up thread of this server process (cached: runs once, shared by all)."""
    thread = threading.Thread(target=importlib.import_module, args=("dlcore.train",), daemon=True,
                              name="dlcore-warmup")
    thread.start()
    return thread
