"""How long from a drawing to its prediction and feature maps? Prints JSON.

Server side (always): for drawings made from held-out digits placed on a 280×280 canvas and shrunk 2×
as the canvas sends them (ui/canvas.py), time each stage the page runs after a stroke — decoding the
canvas message, preprocessing, prediction + feature maps, the pictures and HTML the page sends — and
their total. Target: total ≤ 300 ms.

Browser (with --url, e.g. http://localhost:8501): open /cnn_draw in Debian's chromium once, then per
trial press Clear, draw a digit with mouse moves and time, inside the page (performance.now()), from
the pointerup event until the prediction heading is in the page and until the feature-map pictures are
decoded and the frame after them has been drawn (two animation frames). The same spans measured from
Python (mouse.up() → Playwright sees them) are printed too; they include Playwright's own polling.
Timings on a shared 2-core machine are noisy; the load average is printed, and medians are the figures
to quote.

    python bench/draw_latency.py [--n 30] [--url http://localhost:8501] [--trials 12]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # as the app's frame sets it
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from dlcore import cnn, data, preprocess  # noqa: E402
from dlcore.figures.cnn import pictures_html  # noqa: E402
from ui import canvas  # noqa: E402
from ui.cnn_draw import prediction_figures, read_drawing  # noqa: E402

TEXT = {"canvas": "canvas {h}×{w}", "crop": "crop {h}×{w}", "scaled": "20 px: {h}×{w}", "centred": "centred",
        "normalised": "normalised", "steps_title": "Preprocessing", "probs_title": "Class probabilities",
        "maps_title": "Layer {layer}: {c} maps of {h}×{w}"}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def summary(ms: list[float]) -> dict[str, float]:
    """Median, 90th percentile and maximum, in milliseconds."""
    return {"median": round(statistics.median(ms), 1), "p90": round(float(np.percentile(ms, 90)), 1),
            "max": round(max(ms), 1)}


def server_side(n: int) -> dict[str, object]:
    """Time each stage for n drawings made from held-out digits."""
    torch.set_num_threads(1)
    t0 = time.perf_counter()
    model = cnn.load_pretrained()
    load_ms = (time.perf_counter() - t0) * 1000
    ds = data.mnist()
    stages: dict[str, list[float]] = {k: [] for k in ("decode", "preprocess", "model", "pictures_html", "total")}
    read_drawing(model, preprocess.to_canvas(ds.x_test[0, 0]))  # warm-up: first torch call allocates
    for i in range(n):
        gray = preprocess.to_canvas(ds.x_test[i, 0], seed=i)  # (280, 280), ink = 1
        shrunk = (255 * gray.reshape(140, 2, 140, 2).mean((1, 3))).round().astype(np.uint8)  # as the browser sends it
        message = {"n": i + 1, "w": 140, "h": 140, "gray": base64.b64encode(shrunk.tobytes()).decode()}
        start = time.perf_counter()
        image = canvas.decode(message)
        t1 = time.perf_counter()
        steps = preprocess.preprocess(image)
        t2 = time.perf_counter()
        probs, maps = cnn.predict_proba(model, steps.x)[0], cnn.feature_maps(model, steps.x)
        t3 = time.perf_counter()
        view = prediction_figures(steps, probs, maps, TEXT)
        html = [view["probs"], pictures_html(view["steps"], view["steps_captions"], "dl-steps", TEXT["steps_title"]),
                pictures_html(view["maps"], view["maps_titles"], "dl-maps", row=False)]
        t4 = time.perf_counter()
        for key, (a, b) in {"decode": (start, t1), "preprocess": (t1, t2), "model": (t2, t3),
                            "pictures_html": (t3, t4), "total": (start, t4)}.items():
            stages[key].append((b - a) * 1000)
    return {"drawings": n, "snapshot_load_ms": round(load_ms, 1), "stages_ms": {k: summary(v) for k, v in stages.items()},
            "message_bytes": len(json.dumps(message)), "html_bytes": sum(len(h) for h in html),
            "feature_map_layers": len(maps), "target_total_ms": 300,
            "meets_target": statistics.median(stages["total"]) <= 300}


WATCH = """() => {
  const t = window.__draw = {};
  document.addEventListener("pointerup", () => {
    t.up = performance.now();
    const seen = () => {
      if (!t.prediction && [...document.querySelectorAll("h3")].some(h => h.textContent.includes("The network reads")))
        t.prediction = performance.now();
      const maps = [...document.querySelectorAll(".dl-maps img")];
      if (!t.inserted && maps.length) {
        t.inserted = performance.now();
        Promise.all(maps.map(m => m.decode().catch(() => null))).then(() =>
          requestAnimationFrame(() => requestAnimationFrame(() => { t.maps = performance.now(); })));
      }
      if (t.prediction && t.inserted) observer.disconnect();
    };
    const observer = new MutationObserver(seen);
    observer.observe(document.body, {subtree: true, childList: true, characterData: true});
  }, {capture: true, once: true});
}"""
READY = "() => window.__draw && window.__draw.maps !== undefined"
EMPTY = """() => ![...document.querySelectorAll(".dl-maps img")].length"""


def browser(url: str, trials: int) -> dict[str, object]:
    """Draw a 7 on the page's canvas `trials` times (Clear between); time pointerup → prediction and feature maps."""
    from playwright.sync_api import sync_playwright

    in_page = {"prediction": [], "maps": []}
    from_python = {"prediction": [], "maps": []}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = b.new_page(viewport={"width": 1400, "height": 2400})
        page.goto(f"{url.rstrip('/')}/cnn_draw?lang=en")
        canvas_el = page.locator("canvas.dlc-canvas").first
        canvas_el.wait_for(timeout=120_000)
        page.get_by_text("Draw a digit first").wait_for(timeout=60_000)  # the page has settled
        page.wait_for_timeout(1000)
        for trial in range(trials + 1):  # the first drawing warms up the page; it is not counted
            page.locator("button.dlc-clear").first.click()
            page.wait_for_function(EMPTY, timeout=30_000)
            page.get_by_text("Draw a digit first").wait_for(timeout=30_000)
            page.wait_for_timeout(300)
            box = canvas_el.bounding_box()
            d = 4 * (trial % 5)  # a slightly different 7 each time
            stroke = [(70 + d, 60), (210, 60 + d), (190, 110), (160 - d, 170), (130, 230 - d)]
            page.mouse.move(box["x"] + stroke[0][0], box["y"] + stroke[0][1])
            page.mouse.down()
            for (ax, ay), (bx, by) in zip(stroke, stroke[1:]):
                for k in range(1, 11):
                    page.mouse.move(box["x"] + ax + (bx - ax) * k / 10, box["y"] + ay + (by - ay) * k / 10)
            page.evaluate(WATCH)
            start = time.perf_counter()
            page.mouse.up()
            page.get_by_role("heading", name=re.compile("^The network reads")).wait_for(timeout=30_000)
            py_prediction = (time.perf_counter() - start) * 1000
            page.wait_for_function(READY, timeout=30_000)
            py_maps = (time.perf_counter() - start) * 1000
            t = page.evaluate("() => window.__draw")
            if trial:
                in_page["prediction"].append(t["prediction"] - t["up"])
                in_page["maps"].append(t["maps"] - t["up"])
                from_python["prediction"].append(py_prediction)
                from_python["maps"].append(py_maps)
        b.close()
    return {"trials": trials, "mouse_up_to_prediction_ms": summary(in_page["prediction"]),
            "mouse_up_to_feature_maps_ms": summary(in_page["maps"]),
            "all_feature_maps_ms": [round(v) for v in in_page["maps"]],
            "seen_from_python_ms": {k: summary(v) for k, v in from_python.items()},
            "target_ms": 300, "meets_target": statistics.median(in_page["maps"]) <= 300}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="drawings for the server-side timing")
    parser.add_argument("--url", default="", help="a running app, to time the real canvas in chromium")
    parser.add_argument("--trials", type=int, default=12, help="drawings in the browser (after one warm-up)")
    args = parser.parse_args()
    report: dict[str, object] = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, torch threads 1",
                                 "load_average_before": os.getloadavg() if hasattr(os, "getloadavg") else None,
                                 "server": server_side(args.n)}
    if args.url:
        report["browser"] = browser(args.url, args.trials)
        report["load_average_after"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
