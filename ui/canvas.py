"""A tiny drawing canvas, built with Streamlit's components v2 (inline HTML/CSS/JS, no build step).

Why our own: streamlit-drawable-canvas waits a fixed 200 ms after the mouse is released before it
tells Python, and ships a large fabric.js bundle. This one sends the drawing the moment the pen
lifts (pointer events, so mouse, pen and touch all work), already shrunk in the browser to a small
gray array (ink = 255) encoded as base64: 140×140 bytes for the default 280-px canvas.

The browser keeps each canvas's last picture in memory (per widget key), so a canvas that Streamlit
unmounts and mounts again (switching a page's source back to "draw") shows what Python still holds.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import numpy as np
import streamlit as st

SHRINK = 2  # the browser averages SHRINK×SHRINK pixel blocks before sending: 4× fewer bytes, ample for 28×28

HTML = """<div class="dlc"><canvas class="dlc-canvas" aria-label="drawing canvas"></canvas>
<div class="dlc-bar"><button type="button" class="dlc-clear"></button></div></div>"""

CSS = """
.dlc { display: flex; flex-direction: column; gap: 0.4rem; width: 100%; }
.dlc-canvas { touch-action: none; cursor: crosshair; background: #fff; border-radius: var(--st-base-radius, 0.5rem);
  border: 1px solid var(--st-border-color, #d5dae5); display: block; box-sizing: border-box;
  width: 100%; height: auto; aspect-ratio: 1 / 1; }
.dlc-bar { display: flex; }
.dlc-clear { font: inherit; font-size: 0.875rem; padding: 0.25rem 0.75rem; cursor: pointer;
  color: var(--st-text-color, #31333f); background: var(--st-background-color, #fff);
  border: 1px solid var(--st-border-color, #d5dae5); border-radius: var(--st-button-radius, 0.5rem); }
.dlc-clear:hover { border-color: var(--st-primary-color, #ff4b4b); color: var(--st-primary-color, #ff4b4b); }
"""

JS = """
const pictures = new Map();  // widget key -> {n, pixels}: survives a remount while this page is open

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".dlc");
  const canvas = root.querySelector("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  root.querySelector(".dlc-clear").textContent = data.clear;
  if (root.dataset.ready) return;  // already set up: a rerun only brings new data
  root.dataset.ready = "1";

  const size = data.size, shrink = data.shrink;
  canvas.width = canvas.height = size;  // drawing pixels; on screen it shrinks to fit a narrow column
  root.style.maxWidth = size + "px";
  const blank = () => { ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, size, size); };
  blank();
  const held = pictures.get(data.key);
  if (held && held.n === data.stamp) ctx.putImageData(held.pixels, 0, 0);  // remounted: show what Python holds
  else if (data.stamp) { pictures.delete(data.key); setStateValue("drawing", null); }
  let count = held ? held.n : 0;

  function send() {
    const px = ctx.getImageData(0, 0, size, size);
    const w = Math.floor(size / shrink), out = new Uint8Array(w * w), area = shrink * shrink;
    let ink = 0;
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let dy = 0; dy < shrink; dy++) for (let dx = 0; dx < shrink; dx++)
        sum += 255 - px.data[((y * shrink + dy) * size + x * shrink + dx) * 4];
      const v = Math.round(sum / area);
      out[y * w + x] = v;
      if (v > 12) ink++;
    }
    if (!ink) { pictures.delete(data.key); setStateValue("drawing", null); return; }
    let bin = "";
    for (let i = 0; i < out.length; i += 8192) bin += String.fromCharCode.apply(null, out.subarray(i, i + 8192));
    count += 1;
    pictures.set(data.key, { n: count, pixels: px });
    setStateValue("drawing", { n: count, w: w, h: w, gray: btoa(bin) });
  }

  let last = null;
  const at = (e) => { const r = canvas.getBoundingClientRect(); return [(e.clientX - r.left) * size / r.width, (e.clientY - r.top) * size / r.height]; };
  function line(a, b) {
    ctx.strokeStyle = "#000"; ctx.lineWidth = data.stroke; ctx.lineCap = "round"; ctx.lineJoin = "round";
    ctx.beginPath(); ctx.moveTo(a[0], a[1]); ctx.lineTo(b[0], b[1]); ctx.stroke();
  }
  canvas.addEventListener("pointerdown", (e) => {
    e.preventDefault(); canvas.setPointerCapture(e.pointerId); last = at(e); line(last, last);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!last) return;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const ev of (events.length ? events : [e])) { const p = at(ev); line(last, p); last = p; }
  });
  const lift = () => { if (!last) return; last = null; send(); };  // at once: no debounce
  canvas.addEventListener("pointerup", lift);
  canvas.addEventListener("pointercancel", lift);
  root.querySelector(".dlc-clear").addEventListener("click", () => {
    blank(); pictures.delete(data.key); setStateValue("drawing", null);
  });
}
"""

_component = st.components.v2.component("dl_workshop.drawing_canvas", html=HTML, css=CSS, js=JS)


def decode(payload: Any) -> np.ndarray | None:
    """The canvas's message → gray (h, w) float32 in [0, 1], ink = 1; None for no ink or a malformed message."""
    if not isinstance(payload, dict):
        return None
    try:
        h, w = int(payload["h"]), int(payload["w"])
        gray = np.frombuffer(base64.b64decode(payload["gray"], validate=True), dtype=np.uint8)
        image = gray.reshape(h, w).astype(np.float32) / 255.0  # (h, w)
    except (KeyError, TypeError, ValueError, binascii.Error):
        return None
    return image if image.size and image.max() > 0.05 else None


def canvas(key: str, size: int, stroke_width: int, clear_label: str) -> np.ndarray | None:
    """Mount the canvas (size×size CSS pixels) and return the latest drawing, or None."""
    stamp_key = f"{key}._stamp"
    result = _component(key=key, data={"key": key, "size": int(size), "stroke": int(stroke_width), "shrink": SHRINK,
                                       "clear": clear_label, "stamp": st.session_state.get(stamp_key, 0)},
                        default={"drawing": None}, on_drawing_change=lambda: None, width="stretch", height="content")
    payload = result.get("drawing") if isinstance(result, dict) else getattr(result, "drawing", None)
    st.session_state[stamp_key] = payload.get("n", 0) if isinstance(payload, dict) else 0
    return decode(payload)
