"""Redraw rate of the playground's live view while it trains (the page's draw path, without a browser).

    python bench/playground.py                  # default spiral (2×8) and the largest network (6×32)
    python bench/playground.py --seconds 10 --chunk 0.2

For each network, the loop alternates a training chunk (`--chunk` seconds, as the live panel does) with
one redraw: the 100×100 decision grid, every neuron's 10×10 map, the 50×50 enlarged neuron, and the
four figures (boundary, loss curves, network with flow, enlarged neuron) built and serialised the way
st.plotly_chart does it (to_dict, then to_json). Prints one JSON object per network:

- redraw_hz: redraws per wall-clock second of the interleaved loop (what the page shows);
- redraw_ms_mean / redraw_ms_p90: the cost of one redraw;
- page_updates_hz_with_panel_chunk: 1 / (live panel chunk + mean redraw): updates per second on the page;
- steps_per_s_interleaved vs steps_per_s_raw: training throughput with and without redraws, and their ratio.

One thread, as the app trains. The machine is shared: treat the figures as noisy. Figures, never pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import plotly.io as pio  # noqa: E402
import torch  # noqa: E402

from dlcore import features  # noqa: E402
from dlcore.experiments import playground as pg  # noqa: E402
from dlcore.figures import network as nf  # noqa: E402

PANEL_CHUNK = 0.25  # ui/live.py CHUNK_SECONDS (not imported: ui needs streamlit)
CONFIGS = {
    "default_spiral_2x8": pg.PlaygroundConfig(steps=100_000),
    "largest_6x32_all_features": pg.PlaygroundConfig(hidden="32,32,32,32,32,32", advanced=True, batch_size=10,
                                                     features=",".join(features.FEATURES), lr=0.03, steps=100_000),
}


def as_streamlit_sends_it(fig) -> int:  # noqa: ANN001
    """What st.plotly_chart does with a Figure: to_dict, then JSON; returns the JSON length."""
    return len(pio.to_json(fig.to_dict(), validate=False))


def redraw(trainer, figs: nf.LiveFigures, phase: float) -> int:  # noqa: ANN001
    """One redraw of the live view; returns the bytes that would go to the browser."""
    model = trainer.model
    sizes = pg.layer_sizes(model)
    m = trainer.metrics("train_loss", "test_loss")
    xs, ys, z = pg.neuron_grid(model, 1, 0, resolution=50)
    out = [
        figs.boundary(pg.decision_grid(model)[2]),
        figs.curves({"train loss": m.get("train_loss", ([], [])), "test loss": m.get("test_loss", ([], []))}),
        nf.network(sizes, pg.weights(model), pg.neuron_grids(model, 10), pg.neuron_labels(model),
                   ["in"] + [f"h{i}" for i in range(1, len(sizes) - 1)] + ["out"], phase=phase, selected=(1, 0),
                   edge=(0, 0, 0)),
        figs.neuron(xs, ys, z, "h1.1"),
    ]
    return sum(as_streamlit_sends_it(f) for f in out)


def bench(cfg: pg.PlaygroundConfig, seconds: float, chunk: float) -> dict[str, float]:
    """Raw training throughput, then the interleaved train-and-redraw loop."""
    raw = pg.build(cfg)
    raw.run_for(0.5)  # warm-up
    start_steps, start = raw.steps, time.perf_counter()
    raw.run_for(min(3.0, seconds / 2))
    raw_rate = (raw.steps - start_steps) / (time.perf_counter() - start)

    trainer = pg.build(cfg)
    xs, ys, _ = pg.grid_points(100)
    ds = trainer.data
    figs = nf.LiveFigures(xs, ys, [("train", ds.x_train, ds.y_train), ("test", ds.x_test, ds.y_test)],
                          ["train loss", "test loss"], boundary_title="boundary", curves_title="loss")
    redraw(trainer, figs, 0.0)  # warm-up (plotly's first figure loads its templates)
    times, sizes, phase, train_time = [], [], 0.0, 0.0
    begin = time.perf_counter()
    while time.perf_counter() - begin < seconds:
        t0 = time.perf_counter()
        trainer.run_for(chunk)
        t1 = time.perf_counter()
        phase = (phase + 0.23) % 1.0
        sizes.append(redraw(trainer, figs, phase))
        times.append(time.perf_counter() - t1)
        train_time += t1 - t0
    wall = time.perf_counter() - begin
    mean = statistics.fmean(times)
    return {
        "redraws": len(times),
        "redraw_hz": round(len(times) / wall, 2),
        "redraw_ms_mean": round(1000 * mean, 1),
        "redraw_ms_p90": round(1000 * sorted(times)[int(0.9 * (len(times) - 1))], 1),
        "redraw_only_capacity_hz": round(1 / mean, 1),
        "page_updates_hz_with_panel_chunk": round(1 / (PANEL_CHUNK + mean), 2),
        "bytes_per_redraw": int(statistics.fmean(sizes)),
        "steps_per_s_raw": round(raw_rate, 1),
        "steps_per_s_interleaved": round(trainer.steps / wall, 1),
        "throughput_ratio": round(trainer.steps / wall / raw_rate, 3),
        "params": sum(p.numel() for p in trainer.model.parameters()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="length of the interleaved loop per network")
    parser.add_argument("--chunk", type=float, default=0.2, help="training seconds between two redraws")
    args = parser.parse_args()
    torch.set_num_threads(1)
    result = {"chunk_s": args.chunk, "threads": torch.get_num_threads(), "load_avg_1min": os.getloadavg()[0]}
    for name, cfg in CONFIGS.items():
        result[name] = bench(cfg, args.seconds, args.chunk)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
