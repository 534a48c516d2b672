"""Train the CNN snapshot that ships with the app: dlcore/pretrained/cnn_mnist.pt.

    python bench/pretrain_cnn.py                  # default architecture, 20 epochs, seed 0
    python bench/pretrain_cnn.py --epochs 20 --out dlcore/pretrained/cnn_mnist.pt

The snapshot holds only the architecture and the float32 weights (no optimizer state, no history), so it
stays far below 1 MB; `dlcore.cnn.load_pretrained()` rebuilds the model from it. Training is seeded and
runs on one thread, so the same command reproduces the same weights on the same torch build.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from dlcore import cnn, data  # noqa: E402
from dlcore.experiments import cnn as exp  # noqa: E402


def main() -> None:
    """Train, report, save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(cnn.PRETRAINED))
    args = parser.parse_args()
    torch.set_num_threads(1)  # deterministic and like the app
    cfg = dataclasses.replace(cnn.CNNConfig(), epochs=args.epochs, seed=args.seed, eval_every=1_000_000)
    trainer = exp.build_cnn_trainer(cfg)
    list(trainer.run())
    model = trainer.model.cpu().eval()
    ds = data.mnist()
    acc = float((cnn.predict_proba(model, ds.x_test).argmax(1) == ds.y_test).mean())
    command = f"python bench/pretrain_cnn.py --epochs {args.epochs:g} --seed {args.seed}"
    info = {"config": dataclasses.asdict(cfg), "test_acc": acc, "steps": trainer.steps, "command": command,
            "torch": str(torch.__version__)}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    cnn.save_snapshot(model, args.out, info)
    print(f"saved {args.out}: {Path(args.out).stat().st_size:,} bytes, held-out accuracy {acc:.2%}, "
          f"{trainer.steps} steps in {trainer.seconds:.1f} s")


if __name__ == "__main__":
    main()
