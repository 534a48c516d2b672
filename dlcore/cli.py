"""Command line: run any lesson's trainer without the app.

    python -m dlcore --help
    python -m dlcore train curve_fit --lr 0.05 --steps 500
    python -m dlcore train curve_fit --json      # one JSON line per logged step
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
import typing
from typing import Any

from dlcore import experiments
from dlcore.train import BaseTrainer, Record

BAR_WIDTH = 30


def _parse_bool(text: str) -> bool:
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def _add_config_flags(parser: argparse.ArgumentParser, config: type) -> None:
    hints = typing.get_type_hints(config)
    for field in dataclasses.fields(config):
        kind = hints[field.name]
        convert = _parse_bool if kind is bool else kind if kind in (int, float, str) else str
        parser.add_argument(f"--{field.name.replace('_', '-')}", dest=field.name, type=convert,
                            default=field.default, help=f"default: {field.default}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one `train` sub-command per registered experiment."""
    found = experiments.all_experiments()
    listing = "\n".join(f"  {name:<14} {exp.summary}" for name, exp in found.items())
    parser = argparse.ArgumentParser(
        prog="python -m dlcore", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="DL Workshop's library from the command line.",
        epilog=f"trainers:\n{listing}\n\nexample: python -m dlcore train curve_fit --steps 300 --json")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train one lesson's model", description="Train one lesson's model.")
    names = train.add_subparsers(dest="name", required=True, metavar="NAME")
    for name, exp in found.items():
        sub = names.add_parser(name, help=exp.summary, description=exp.summary)
        _add_config_flags(sub, exp.config)
        sub.add_argument("--json", action="store_true", help="print one JSON line per logged step")
        sub.add_argument("--log-every", type=int, default=0, help="log every N steps (default: about 50 lines)")
        sub.add_argument("--save", metavar="PATH", help="save the trained state (torch.save) to PATH")
    return parser


def _bar(trainer: BaseTrainer, record: Record, started: float) -> str:
    filled = int(BAR_WIDTH * trainer.progress)
    shown = "  ".join(f"{k} {v:.4g}" for k, v in record.items() if k not in ("step", "seconds"))
    rate = trainer.steps / max(time.perf_counter() - started, 1e-9)
    return f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {trainer.steps}/{trainer.total_steps}  {rate:.0f} steps/s  {shown}"


def train(name: str, overrides: dict[str, Any], as_json: bool, log_every: int, save: str | None) -> int:
    """Run one experiment to the end, printing progress or JSON lines; exit code 1 if it diverged."""
    exp = experiments.get(name)
    trainer = exp.build(exp.config(**overrides))
    every = log_every or max(1, trainer.total_steps // 50)
    started = time.perf_counter()
    for record in trainer.run(log_every=every):
        if as_json:
            print(json.dumps(record), flush=True)
        else:
            print(_bar(trainer, record, started), end="", file=sys.stderr, flush=True)
    if not as_json:
        print(file=sys.stderr)
    print(trainer.stop.message if trainer.stop else "stopped", file=sys.stderr)
    if save:
        import torch

        torch.save(trainer.state_dict(), save)
    return 1 if trainer.stop and trainer.stop.kind == "diverged" else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m dlcore`."""
    args = vars(build_parser().parse_args(argv))
    args.pop("command")
    name, as_json, log_every, save = args.pop("name"), args.pop("json"), args.pop("log_every"), args.pop("save")
    try:
        return train(name, args, as_json, log_every, save)
    except ValueError as err:  # bad settings: say so plainly, no traceback
        print(f"error: {err}", file=sys.stderr)
        return 2
