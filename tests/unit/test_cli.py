"""The command line: every trainer listed, flags from the config, JSON lines that parse."""

import json
import subprocess
import sys

from dlcore import experiments
from tests.conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dlcore", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_help_lists_every_trainer():
    out = run("--help")
    assert out.returncode == 0
    for name in experiments.all_experiments():
        assert name in out.stdout


def test_train_help_lists_config_fields():
    out = run("train", "curve_fit", "--help")
    assert "--hidden" in out.stdout and "--lr" in out.stdout and "--json" in out.stdout


def test_json_lines_parse_and_carry_metrics():
    out = run("train", "curve_fit", "--steps", "40", "--log-every", "10", "--json")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["step"] for r in lines] == [10, 20, 30, 40]
    assert {"step", "seconds", "loss", "train_loss", "test_loss"} <= set(lines[-1])


def test_progress_bar_and_bad_values():
    out = run("train", "curve_fit", "--steps", "20")
    assert out.returncode == 0 and "20/20" in out.stderr and "finished" in out.stderr
    bad = run("train", "curve_fit", "--steps", "100000000")
    assert bad.returncode == 2 and "limit" in bad.stderr and "Traceback" not in bad.stderr
    diverged = run("train", "curve_fit", "--lr", "1e6", "--optimizer", "sgd")
    assert diverged.returncode == 1 and "diverged" in diverged.stderr
