"""Plain SVG figures for the first page a visitor sees: the AI ⊃ ML ⊃ DL discs and a small x–y chart.

Why not plotly here: the browser loads plotly's 4.7 MB bundle the first time a page shows a plotly
chart, which alone made the home page appear about 1 s later (measured with bench/run.py). These
builders return an SVG string (pages show it with `st.markdown(..., unsafe_allow_html=True)`;
`st.html` strips SVG): it scales to its column, hovering an
element shows its <title> as a tooltip, and it costs the browser next to nothing to draw.
They follow the shared theme (colours, fonts) so the home page looks like every other page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape as _escape

import numpy as np

from dlcore.figures.charts import decimate
from dlcore.figures.theme import CLASS_COLORS, FONT

def escape(text: str) -> str:
    """Text made safe for SVG content and double-quoted attributes (apostrophes stay readable)."""
    return _escape(text, quote=False).replace('"', "&quot;")


RING_COLORS = ("#dbe9f6", "#9ecae1", "#f59322")
INK = "#31333f"
GRID = "#e6e6ea"


def nested_sets(names: Sequence[str], hovers: Sequence[str], selected: int | None = None) -> str:
    """Discs nested like AI ⊃ ML ⊃ DL (outermost first); hovering a disc shows its text, `selected` is outlined."""
    parts = []
    for i, (name, hover) in enumerate(zip(names, hovers)):
        r = 100 - 30 * i
        cy = 100 - r  # every disc rests on the same bottom point, so each sits inside the last
        faded = selected is not None and i != selected
        parts.append(
            f'<g opacity="{0.55 if faded else 1}" style="cursor:help">'
            f'<title>{escape(hover)}</title>'
            f'<circle cx="0" cy="{cy}" r="{r}" fill="{RING_COLORS[i % 3]}" stroke="#333" '
            f'stroke-width="{2.5 if i == selected else 0.6}"/>'
            f'<text x="0" y="{cy - r + 19}" text-anchor="middle" font-size="9.5" font-weight="bold" '
            f'fill="{INK}">{escape(name)}</text></g>')
    label = escape(" ⊃ ".join(names))
    return (f'<svg viewBox="-105 -105 210 210" width="100%" style="max-height:380px;font-family:{escape(FONT)}" '
            f'role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>')


@dataclass(frozen=True)
class Series:
    """One named set of (x, y) values, drawn as a line (solid, "dot" or "dash") or as points."""

    name: str
    x: np.ndarray
    y: np.ndarray
    color: str = CLASS_COLORS[0]
    points: bool = False
    dash: str = ""


DASHES = {"": "", "dot": "2 4", "dash": "8 5"}


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 × 10^k apart) covering [lo, hi], about `count` of them."""
    if not hi > lo:
        lo, hi = lo - 1, hi + 1
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    return [round(first + k * step, 12) for k in range(int((hi - first) / step + 1e-9) + 1)]


def _label(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e4 else f"{value:.0e}"


def xy_chart(series: Sequence[Series], title: str = "", x_label: str = "", y_label: str = "",
             log_y: bool = False, width: int = 560, height: int = 340) -> str:
    """A line/point chart of named series with axes, grid, legend and a title; non-finite values are skipped."""
    left, right, top, bottom = 56, 14, 58 if title else 34, 42
    pw, ph = width - left - right, height - top - bottom
    ys_all = [np.asarray(s.y, dtype=float).ravel() for s in series]
    keep = [np.isfinite(y) & ((y > 0) if log_y else True) for y in ys_all]
    x_all = np.concatenate([np.asarray(s.x, dtype=float).ravel()[k] for s, k in zip(series, keep)] or [np.zeros(1)])
    y_all = np.concatenate([y[k] for y, k in zip(ys_all, keep)] or [np.ones(1)])
    if x_all.size == 0:
        x_all, y_all = np.zeros(1), np.ones(1)
    fy = np.log10 if log_y else (lambda v: v)
    x0, x1 = float(x_all.min()), float(x_all.max())
    y0, y1 = float(fy(y_all).min()), float(fy(y_all).max())
    if x1 <= x0:
        x0, x1 = x0 - 1, x1 + 1
    if y1 <= y0:
        y0, y1 = y0 - 1, y1 + 1
    pad = 0.05 * (y1 - y0)
    y0, y1 = y0 - pad, y1 + pad

    def px(x: np.ndarray) -> np.ndarray:
        return left + (np.asarray(x, dtype=float) - x0) / (x1 - x0) * pw

    def py(y: np.ndarray) -> np.ndarray:
        return top + ph - (fy(np.asarray(y, dtype=float)) - y0) / (y1 - y0) * ph

    out = [f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="white" stroke="{GRID}"/>']
    for v in nice_ticks(x0, x1):
        xx = float(px(np.array(v)))
        out.append(f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{top}" y2="{top + ph}" stroke="{GRID}"/>'
                   f'<text x="{xx:.1f}" y="{top + ph + 15}" text-anchor="middle">{_label(v)}</text>')
    y_ticks = [10.0 ** e for e in nice_ticks(y0, y1) if float(e).is_integer()] if log_y else nice_ticks(y0, y1)
    if log_y and len(y_ticks) < 2:  # less than a decade shown: label 1-2-5 steps instead
        y_ticks = [v for v in nice_ticks(10 ** y0, 10 ** y1) if v > 0]
    for v in y_ticks:
        yy = float(py(np.array(v)))
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="{GRID}"/>'
                   f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{_label(v)}</text>')
    for s, y, k in zip(series, ys_all, keep):
        x = np.asarray(s.x, dtype=float).ravel()
        tip = f"<title>{escape(s.name)}</title>"
        if s.points:
            dots = "".join(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3.5"/>' for a, b in zip(px(x[k]), py(y[k])))
            out.append(f'<g fill="{s.color}" fill-opacity="0.85">{tip}{dots}</g>')
        else:
            xd, yd = decimate(x, np.where(k, y, np.nan), max_points=400)  # a 560-px chart shows no more
            out.append(f'<path d="{_path(px(xd), py(yd))}" fill="none" stroke="{s.color}" stroke-width="2.5" '
                       f'stroke-dasharray="{DASHES[s.dash]}" stroke-linejoin="round">{tip}</path>')
    out.append(_legend(series, left + pw, 18 if not title else 40))
    if title:
        out.append(f'<text x="6" y="18" font-size="15" font-weight="600">{escape(title)}</text>')
    out.append(f'<text x="{left + pw / 2:.0f}" y="{height - 6}" text-anchor="middle">{escape(x_label)}</text>')
    if y_label:
        out.append(f'<text transform="translate(14 {top + ph / 2:.0f}) rotate(-90)" text-anchor="middle">'
                   f'{escape(y_label)}</text>')
    return (f'<svg viewBox="0 0 {width} {height}" width="100%" font-size="12" fill="{INK}" '
            f'style="font-family:{escape(FONT)}" role="img" aria-label="{escape(title)}" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(out)}</svg>')


def _path(xs: np.ndarray, ys: np.ndarray) -> str:
    """An SVG path through the finite points; a gap (NaN) lifts the pen."""
    d, pen_down = [], False
    for x, y in zip(xs, ys):
        if not (math.isfinite(x) and math.isfinite(y)):
            pen_down = False
            continue
        d.append(f'{"L" if pen_down else "M"}{x:.1f} {y:.1f}')
        pen_down = True
    return "".join(d)


def _legend(series: Sequence[Series], right_edge: float, y: float) -> str:
    """Swatches and names in one row, right-aligned above the plot."""
    items, x = [], right_edge
    for s in reversed(series):
        x -= 26 + _text_width(s.name)
        mark = (f'<circle cx="{x + 8}" cy="{y - 4}" r="4" fill="{s.color}"/>' if s.points else
                f'<line x1="{x}" x2="{x + 18}" y1="{y - 4}" y2="{y - 4}" stroke="{s.color}" stroke-width="2.5" '
                f'stroke-dasharray="{DASHES[s.dash]}"/>')
        items.append(f'{mark}<text x="{x + 22}" y="{y}">{escape(s.name)}</text>')
    return "".join(items)


def _text_width(text: str, size: float = 12) -> float:
    """Rough width in px: Chinese characters are about a full em wide, Latin ones about 0.58 em."""
    return sum(size if ord(ch) > 0x2E80 else 0.58 * size for ch in text)
