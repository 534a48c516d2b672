"""Share and take away: the generated PyTorch script reproduces dlcore's run; curves CSV; weights bytes."""

import csv
import io
import json
import os
import subprocess
import sys
import types

import numpy as np
import pytest
import torch

from dlcore import export
from dlcore.experiments import playground as pg

torch.set_num_threads(1)

# every moving part at once: extra features, two layers, momentum, both penalties, batches that wrap epochs
CFG = pg.PlaygroundConfig(dataset="moons", points=300, noise=0.2, test_ratio=0.3, batch_size=32,
                          features="x1,x2,x1sq,x1x2,sinx2", hidden="6,3", activation="relu", lr=0.05,
                          optimizer="momentum", l1=0.001, l2=0.002, steps=150, seed=3)


def _script_module(cfg: pg.PlaygroundConfig) -> types.ModuleType:
    module = types.ModuleType("generated")
    exec(compile(export.pytorch_script(cfg), "generated.py", "exec"), module.__dict__)
    return module


@pytest.mark.parametrize("dataset", ["circle", "xor", "gaussians", "spiral", "moons"])
def test_script_builds_the_same_data_and_initial_weights(dataset):
    cfg = pg.PlaygroundConfig(dataset=dataset, points=120, noise=0.3, features="x1,x2,x2sq,sinx1", hidden="3",
                              seed=7)
    script = _script_module(cfg)
    ds = pg.make_data(cfg)
    for got, want in zip(script.make_data(), (ds.x_train, ds.y_train, ds.x_test, ds.y_test)):
        np.testing.assert_array_equal(got, want)
    theirs, ours = script.make_model(), pg.build_model(cfg)
    for (name_a, a), (name_b, b) in zip(theirs.state_dict().items(), ours.state_dict().items()):
        assert name_a == name_b
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    x = torch.as_tensor(ds.x_test)
    torch.testing.assert_close(theirs(x), ours(x))  # the same features, layers and output


def test_generated_script_run_alone_reaches_the_same_final_loss(tmp_path):
    trainer = pg.build(CFG)
    for _ in trainer.run():
        pass
    path = tmp_path / "playground_experiment.py"
    path.write_text(export.pytorch_script(CFG), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # no dlcore on the path: self-contained
    env["OMP_NUM_THREADS"] = "1"
    weights = tmp_path / "net.pt"
    run = subprocess.run([sys.executable, str(path), "--save", str(weights)], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr
    last = json.loads(run.stdout.strip().splitlines()[-1])
    assert last["step"] == CFG.steps
    ours = trainer.history[-1]["loss"]
    assert abs(last["loss"] - ours) / ours <= 1e-4
    assert abs(last["test_loss"] - trainer.latest("test_loss")) / trainer.latest("test_loss") <= 1e-4
    saved = torch.load(weights)["model"]
    for name, value in trainer.model.state_dict().items():
        torch.testing.assert_close(saved[name], value, rtol=1e-4, atol=1e-5)


def test_curves_csv_has_one_row_per_step_and_blank_cells_between_evaluations():
    trainer = pg.build(pg.PlaygroundConfig(steps=25, hidden="3"))
    for _ in trainer.run():
        pass
    rows = list(csv.DictReader(io.StringIO(export.curves_csv(trainer.history))))
    assert len(rows) == 25 and list(rows[0]) == list(export.CSV_COLUMNS)
    assert rows[0]["test_loss"] == "" and float(rows[9]["test_loss"]) == pytest.approx(trainer.history[9]["test_loss"])
    assert [int(r["step"]) for r in rows] == list(range(1, 26))


def test_weights_bytes_load_back_into_the_same_network():
    trainer = pg.build(pg.PlaygroundConfig(steps=5, hidden="4,2"))
    for _ in trainer.run():
        pass
    saved = torch.load(io.BytesIO(export.weights_bytes(trainer.model, trainer.config)))
    assert saved["config"]["hidden"] == "4,2"
    fresh = pg.build_model(pg.PlaygroundConfig(**saved["config"]))
    fresh.load_state_dict(saved["model"])
    x = torch.as_tensor(trainer.data.x_test)
    torch.testing.assert_close(fresh(x), trainer.model(x))
