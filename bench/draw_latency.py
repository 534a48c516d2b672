"""How long from a drawing to its prediction and feature maps? Prints JSON.

Server side (always): for drawings made from held-out digits placed on a 280×280 canvas, time each
stage the page runs after a stroke — canvas RGBA → gray (as ui.widgets.drawing_canvas does),
preprocessing, prediction + feature maps, building the plotly figures, and serialising them to JSON
(what st.plotly_chart sends) — and their total. Target: total ≤ 300 ms.

Browser (with --url, e.g. http://localhost:8501): open the page in Debian's chromium, draw a digit on
the canvas with mouse moves, and time from releasing the mouse until the prediction and the feature-map
charts are on screen. Timings on a shared 2-core machine are noisy; medians are the figures to quote.

    python bench/draw_latency.py [--n 30] [--url http://localhost:8501] [--trials 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # as the app's frame sets it
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from dlcore import cnn, data, preprocess  # noqa: E402
from ui.cnn_draw import prediction_figures, read_drawing  # noqa: E402

TEXT = {"canvas": "canvas {h}×{w}", "crop": "crop {h}×{w}", "scaled": "20 px: {h}×{w}", "centred": "centred",
        "normalised": "normalised", "steps_title": "Preprocessing", "probs_title": "Class probabilities",
        "digit": "digit", "prob": "probability", "maps_title": "Layer {layer}: {c} maps of {h}×{w}",
        "map": "map"}
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
    stages: dict[str, list[float]] = {k: [] for k in ("to_gray", "preprocess", "model", "figures", "to_json", "total")}
    read_drawing(model, preprocess.to_canvas(ds.x_test[0, 0]))  # warm-up: first torch call allocates
    for i in range(n):
        gray = preprocess.to_canvas(ds.x_test[i, 0], seed=i)
        rgba = np.full((280, 280, 4), 255, dtype=np.uint8)  # what the canvas sends: black ink on white
        rgba[..., :3] = (255 * (1 - gray))[..., None].astype(np.uint8)
        start = time.perf_counter()
        image = 1.0 - (np.asarray(rgba, dtype=np.float32)[..., :3] / 255.0).mean(-1)
        t1 = time.perf_counter()
        steps = preprocess.preprocess(image)
        t2 = time.perf_counter()
        probs, maps = cnn.predict_proba(model, steps.x)[0], cnn.feature_maps(model, steps.x)
        t3 = time.perf_counter()
        figs = prediction_figures(steps, probs, maps, TEXT)
        t4 = time.perf_counter()
        for fig in figs.values():
            fig.to_json()
        t5 = time.perf_counter()
        for key, (a, b) in {"to_gray": (start, t1), "preprocess": (t1, t2), "model": (t2, t3),
                            "figures": (t3, t4), "to_json": (t4, t5), "total": (start, t5)}.items():
            stages[key].append((b - a) * 1000)
    return {"drawings": n, "snapshot_load_ms": round(load_ms, 1), "stages_ms": {k: summary(v) for k, v in stages.items()},
            "feature_map_layers": len(maps), "target_total_ms": 300,
            "meets_target": statistics.median(stages["total"]) <= 300}


def browser(url: str, trials: int) -> dict[str, object]:
    """Draw a 7 on the page's canvas `trials` times; time mouse-up → prediction and feature maps on screen."""
    from playwright.sync_api import sync_playwright

    stroke = [(70, 60), (210, 60), (190, 110), (160, 170), (130, 230)]  # a 7: bar, then a slanted stem
    to_prediction, to_maps = [], []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = b.new_page(viewport={"width": 1400, "height": 2400})
        for _ in range(trials):
            page.goto(f"{url.rstrip('/')}/cnn_draw?lang=en")
            canvas = page.locator("canvas.upper-canvas").first
            canvas.wait_for(timeout=120_000)
            page.get_by_text("Draw a digit first").wait_for(timeout=60_000)  # the page has settled
            box = canvas.bounding_box()
            page.mouse.move(box["x"] + stroke[0][0], box["y"] + stroke[0][1])
            page.mouse.down()
            for (ax, ay), (bx, by) in zip(stroke, stroke[1:]):
                for k in range(1, 11):
                    page.mouse.move(box["x"] + ax + (bx - ax) * k / 10, box["y"] + ay + (by - ay) * k / 10)
            start = time.perf_counter()
            page.mouse.up()
            page.get_by_text("The network reads").wait_for(timeout=30_000)
            to_prediction.append((time.perf_counter() - start) * 1000)
            page.locator(".annotation-text", has_text="Layer 2").wait_for(timeout=30_000)
            to_maps.append((time.perf_counter() - start) * 1000)
        b.close()
    return {"trials": trials, "mouse_up_to_prediction_ms": summary(to_prediction),
            "mouse_up_to_feature_maps_ms": summary(to_maps)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="drawings for the server-side timing")
    parser.add_argument("--url", default="", help="a running app, to time the real canvas in chromium")
    parser.add_argument("--trials", type=int, default=5, help="drawings in the browser")
    args = parser.parse_args()
    report: dict[str, object] = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, torch threads 1",
                                 "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
                                 "server": server_side(args.n)}
    if args.url:
        report["browser"] = browser(args.url, args.trials)
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
