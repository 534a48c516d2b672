"""DL Workshop — the frame around every lesson: thread caps, page config, language, navigation.

This file imports no torch, so the home page appears fast; a few seconds later a background thread
imports torch, so the first Start on any lesson does not wait for it either.
"""

import os

# Before torch is ever imported: each training chunk uses this many threads, and a process-wide
# slot system (ui/live.py) keeps chunks × threads within the cores. One thread per chunk: the
# lessons' models are small, and on a busy 2-core box two OpenMP threads per chunk ran 30× slower
# than one (measured: 7.6 vs 232 steps/s), while one thread each lets two visitors train at once.
_THREADS = os.environ.get("DLW_THREADS", "1")
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, _THREADS)

import streamlit as st  # noqa: E402

from ui import nav, warmup  # noqa: E402
from ui.i18n import language_switch, t  # noqa: E402

st.set_page_config(page_title="DL Workshop · 深度学习工作坊", page_icon="🧠", layout="wide")
language_switch()

sections: dict[str, list] = {}
for lesson in nav.available():
    page = st.Page(lesson.file, title=t(lesson.title), icon=lesson.icon, url_path=lesson.url_path or None,
                   default=not lesson.url_path)
    sections.setdefault(t(lesson.part), []).append(page)

st.sidebar.caption(t("nav.tagline"))
st.navigation(sections, expanded=True).run()
warmup.start()
