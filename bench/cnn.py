"""Time-to-accuracy of the default CNN and of the comparison MLP (same parameter budget, data, seed).

    python bench/cnn.py                 # both models, default configs, seed 0, 1 thread (as the app trains)
    python bench/cnn.py --seeds 0,1,2   # the same for several seeds, one after the other
    python bench/cnn.py --threads 2 --budget 60 --no-mlp

Prints one JSON object: per seed and model, seconds of training until the held-out accuracy first
reached 97%, 97.5% and 98% (null if never), the best and the final held-out accuracy within the budget,
and the CPU seconds the process used (with one thread, CPU seconds ≈ the wall time on a quiet machine;
on a busy one the wall time is larger), then a summary of the CNN over the seeds; one line per seed
goes to stderr as it finishes. Evaluation time counts as training time, as in the app. Figures, never
pass/fail.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from dlcore import cnn, models  # noqa: E402
from dlcore.experiments import cnn as exp  # noqa: E402


def race(trainer: exp.DigitTrainer, budget: float) -> dict[str, float | int | None]:
    """Train until finished or `budget` seconds of training; first times at which test accuracy hit 97 / 97.5 / 98 %."""
    hits: dict[str, float | None] = {"0.97": None, "0.975": None, "0.98": None}
    cpu_hits: dict[str, float | None] = dict(hits)
    best, cpu0 = 0.0, time.process_time()
    for record in trainer.run(seconds=budget):
        acc = record.get("test_acc")
        if acc is None:
            continue
        best = max(best, acc)
        for level in hits:
            if hits[level] is None and acc >= float(level):
                hits[level] = round(record["seconds"], 2)
                cpu_hits[level] = round(time.process_time() - cpu0, 2)
    return {"params": models.count_params(trainer.model), "steps": trainer.steps,
            "seconds_to_97": hits["0.97"], "seconds_to_97_5": hits["0.975"], "seconds_to_98": hits["0.98"],
            "cpu_seconds_to_97": cpu_hits["0.97"], "cpu_seconds_to_97_5": cpu_hits["0.975"],
            "cpu_seconds_to_98": cpu_hits["0.98"],
            "best_acc": round(best, 4), "final_acc": trainer.latest("test_acc"),
            "seconds": round(trainer.seconds, 2), "cpu_seconds": round(time.process_time() - cpu0, 2),
            "examples_per_s": round(trainer.steps * trainer.examples_per_step / max(trainer.seconds, 1e-9))}


def main() -> None:
    """Parse flags, run the CNN then the MLP, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="torch threads (the app uses 1 per chunk)")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds of training per model")
    parser.add_argument("--epochs", type=float, default=0.0, help="epochs for both (0 = the CNN default)")
    parser.add_argument("--eval-every", type=int, default=25, help="steps between evaluations (as in the app)")
    parser.add_argument("--seeds", default="0", help="comma-separated seeds, run one after the other (e.g. 0,1,2)")
    parser.add_argument("--no-mlp", action="store_true", help="skip the comparison MLP")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)  # a script may set this; dlcore itself never does
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    cfg = cnn.CNNConfig(eval_every=args.eval_every)
    if args.epochs:
        cfg = dataclasses.replace(cfg, epochs=args.epochs)
    exp.build_cnn_trainer(cfg)  # load the digits once, outside the timing
    out: dict = {"threads": args.threads, "budget_s": args.budget, "load_before": os.getloadavg(),
                 "cnn_config": {k: v for k, v in dataclasses.asdict(cfg).items() if k != "seed"}, "runs": {}}
    for seed in seeds:
        run_cfg = dataclasses.replace(cfg, seed=seed)
        result = {"cnn": race(exp.build_cnn_trainer(run_cfg), args.budget)}
        if not args.no_mlp:
            mlp_cfg, params = exp.mlp_config_like(run_cfg)
            result["mlp"] = race(exp.build_mlp_trainer(mlp_cfg, params), args.budget)
        out["runs"][str(seed)] = result
        print(f"seed {seed}: " + "; ".join(f"{name} best {r['best_acc']:.1%} final {r['final_acc']:.1%}, "
                                           f"97.5% after {r['seconds_to_97_5']} s, ran {r['seconds']} s"
                                           for name, r in result.items()), file=sys.stderr, flush=True)
    cnn_runs = [r["cnn"] for r in out["runs"].values()]
    out["cnn_summary"] = {"seeds": seeds, "final_acc": [r["final_acc"] for r in cnn_runs],
                          "seconds_to_97_5": [r["seconds_to_97_5"] for r in cnn_runs],
                          "run_seconds": [r["seconds"] for r in cnn_runs],
                          "all_reach_97_5_within_20_s": all(r["seconds_to_97_5"] is not None and r["seconds_to_97_5"] <= 20
                                                             for r in cnn_runs)}
    out["load_after"] = os.getloadavg()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
