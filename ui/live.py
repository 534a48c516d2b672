"""The live-training panel every lesson shares: Start / Pause / Step / Reset and a training fragment.

How it stays responsive (see DESIGN.md §4): the trainer lives in session state; the buttons live
outside the fragment, so a click reruns the page and preempts training within one chunk; the
fragment trains one short time-boxed chunk per run, then redraws; its timer queues the next run before
this one ends, so chunks follow each other and the panel keeps most of a raw loop's throughput
(bench/run.py: 0.82×). That needs `runner.postScriptGC = false` in .streamlit/config.toml: Streamlit's
gc.collect() after every run took ~0.2 s with torch loaded. Each chunk takes a process-wide slot, so many
visitors on one server take turns instead of fighting over the cores.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import streamlit as st

from ui.i18n import t

CHUNK_SECONDS = 0.25  # one time-boxed chunk of training per redraw: about 4 redraws a second
TICK_SECONDS = 0.2  # the fragment's timer: a tick always lands during a run, so the next run follows at once
BREATH_SECONDS = 0.02  # idle time after each redraw: without it, back-to-back chunks starved the sending
SLOT_WAIT_SECONDS = 1.0  # how long a chunk waits for a free slot before showing "waiting"
THREADS = int(os.environ.get("OMP_NUM_THREADS", "1"))


@st.cache_resource
def _slots() -> threading.BoundedSemaphore:
    """Process-wide training slots: each chunk uses THREADS cores; slots × THREADS ≈ cores."""
    return threading.BoundedSemaphore(max(1, (os.cpu_count() or 1) // max(1, THREADS)))


@contextmanager
def training_slot() -> Iterator[bool]:
    """Hold a training slot while a chunk runs; yields False if none came free in time."""
    slots = _slots()
    got = slots.acquire(timeout=SLOT_WAIT_SECONDS)
    try:
        yield got
    finally:
        if got:
            slots.release()


def _key(ns: str, name: str) -> str:
    return f"{ns}.{name}"


def get_trainer(ns: str) -> Any:
    """The page's trainer, or None before the first Start / Step."""
    return st.session_state.get(_key(ns, "trainer"))


def reset(ns: str) -> None:
    """Forget the trainer (e.g. after the settings changed); the next Start builds a new one."""
    for name in ("trainer", "running", "error", "rate"):
        st.session_state.pop(_key(ns, name), None)


def chart(fig: Any, **kwargs: Any) -> None:
    """A live figure: no key, so the browser updates the same chart in place instead of rebuilding it."""
    st.plotly_chart(fig, config={"displayModeBar": False}, **kwargs)


# Streamlit's browser code for plotly charts: one 4.7 MB file, loaded the first time a page shows a chart.
_CHART_CODE = next((Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"), None)


def prefetch_charts() -> None:
    """On a page without plotly (the home page), let the browser load the chart code once it is idle.

    Parsing that file takes about a second here; done while the visitor reads, their first lesson then
    opens without the wait. The file is found next to the app's own script, so a base URL path still works.
    """
    if _CHART_CODE is None:  # another Streamlit build: nothing to prefetch, charts still load on demand
        return
    st.html(f"""<script>
      const app = document.querySelector('script[src*="/static/js/index."]');
      if (app) (window.requestIdleCallback || setTimeout)(() => import(app.src.replace(/index\.[^/]+\.js$/, "{_CHART_CODE.name}")).catch(() => {{}}), {{timeout: 3000}});
    </script>""", unsafe_allow_javascript=True)


def _ensure_trainer(ns: str, build: Callable[[], Any]) -> Any:
    trainer = get_trainer(ns)
    if trainer is None:
        from dlcore.train import LimitError  # imported here: the frame must not pull in torch

        try:
            trainer = build()
        except LimitError as err:
            st.session_state[_key(ns, "error")] = t("live.limit", key=err.key, value=f"{err.value:g}",
                                                   limit=f"{err.limit:g}")
            return None
        except ValueError as err:
            st.session_state[_key(ns, "error")] = t("live.bad_setting", detail=str(err))
            return None
        st.session_state[_key(ns, "trainer")] = trainer
        st.session_state.pop(_key(ns, "error"), None)
    return trainer


def _train_chunk(trainer: Any) -> bool:
    """One chunk of training in a slot; False when no slot came free."""
    import torch

    with training_slot() as got:
        if not got:
            return False
        if torch.get_num_threads() != THREADS:
            torch.set_num_threads(THREADS)
        trainer.run_for(CHUNK_SECONDS)
    return True


def _status(ns: str, trainer: Any, waiting: bool) -> None:
    if trainer is None:
        st.caption(t("live.not_started"))
        return
    st.progress(trainer.progress, text=t("live.progress", step=trainer.steps, total=trainer.total_steps))
    steps_per_s = st.session_state.get(_key(ns, "rate"), 0.0)
    cols = st.columns(4)
    cols[0].metric(t("live.steps_per_s"), f"{steps_per_s:,.0f}")
    cols[1].metric(t("live.examples_per_s"), f"{steps_per_s * trainer.examples_per_step:,.0f}")
    cols[2].metric(t("live.seed"), trainer.seed)
    cols[3].metric(t("live.device"), str(getattr(trainer, "device", "cpu")))
    if waiting:
        st.info(t("live.waiting"))
    stop = trainer.stop
    if stop is not None and stop.kind == "diverged":
        st.error(t("live.diverged", step=stop.step, key=stop.detail))
    elif stop is not None and stop.kind == "time_limit":
        st.warning(t("live.time_limit", step=stop.step))
    elif stop is not None:
        st.success(t("live.finished", step=stop.step))


def _in_fragment_rerun() -> bool:
    """True when only fragments are rerunning (a timer tick), not the whole page.

    Training happens only then: in a full-page run it would hold back everything drawn below the
    panel, and the page would sit greyed out until the chunk ended.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run) or bool(st.session_state.get("live.train_in_full_runs"))


def _controls(ns: str, build: Callable[[], Any]) -> bool:
    """Start/Pause, Step and Reset; returns whether training is running."""
    running_key = _key(ns, "running")

    def toggle() -> None:
        trainer = _ensure_trainer(ns, build)
        st.session_state[running_key] = bool(trainer) and not trainer.done and not st.session_state.get(running_key)

    def step() -> None:
        st.session_state[running_key] = False
        trainer = _ensure_trainer(ns, build)
        if trainer is not None and not trainer.done:
            trainer.step()

    running = bool(st.session_state.get(running_key))
    cols = st.columns([1, 1, 1, 3])
    cols[0].button(t("live.pause") if running else t("live.start"), key=_key(ns, "toggle"), on_click=toggle,
                   type="primary", icon=":material/pause:" if running else ":material/play_arrow:",
                   width="stretch")
    cols[1].button(t("live.step"), key=_key(ns, "step"), on_click=step, icon=":material/skip_next:",
                   width="stretch", help=t("live.step_help"))
    cols[2].button(t("live.reset"), key=_key(ns, "reset"), on_click=reset, args=(ns,),
                   icon=":material/restart_alt:", width="stretch")
    if st.session_state.get(_key(ns, "error")):
        st.error(st.session_state[_key(ns, "error")])
    return bool(st.session_state.get(running_key))


def live_panel(ns: str, build: Callable[[], Any], draw: Callable[[Any], None]) -> Any:
    """Controls plus the live fragment; `draw(trainer)` renders the lesson's figures. Returns the trainer."""
    running = _controls(ns, build)

    # While running, the timer asks for the next rerun before this one ends; Streamlit queues it, so
    # chunks run back to back and only the redraw sits between them.
    @st.fragment(run_every=TICK_SECONDS if running else None)
    def live() -> None:
        trainer = get_trainer(ns)
        running_now = bool(st.session_state.get(_key(ns, "running")))  # a queued tick may outlive a Pause
        waiting = False
        if running_now and trainer is not None and not trainer.done and _in_fragment_rerun():
            steps_before, chunk_start = trainer.steps, time.perf_counter()
            waiting = not _train_chunk(trainer)
            if not waiting:
                elapsed = time.perf_counter() - chunk_start
                st.session_state[_key(ns, "rate")] = (trainer.steps - steps_before) / max(elapsed, 1e-9)
        _status(ns, trainer, waiting)
        draw(trainer)
        if running_now:
            time.sleep(BREATH_SECONDS)  # let the server's event loop send this redraw before the next chunk
        if running_now and trainer is not None and trainer.done:
            st.session_state[_key(ns, "running")] = False
            st.rerun()  # the whole page, so the Start / Pause button shows the right label

    live()
    return get_trainer(ns)
