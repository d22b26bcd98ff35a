"""Learning curve of the shipped cross-encoder: held-out scores against the number of training pairs seen.

    python benchmarks/learning_curve.py [--run build/nli-minilm-l6/torch]   # after snakemake train_model

``train_model`` saves the model at 1/4, 1/2 and 3/4 of its run (``checkpoints`` in ``config/train.yaml``) and at
the end; this measures each on the held-out sets of ``stancemap.training.data`` (MultiNLI slice, CAD and ConjNLI dev:
3-class accuracy; Perspectrum dev and Touché test: macro-F1 of entailment vs contradiction), with the PyTorch
model and the project's engine. A curve still rising at the end says more data or another epoch would pay.
(Within one run the learning rate is still decaying at each checkpoint, so an early checkpoint is not quite a
model trained on less data; it is the affordable proxy on 2 CPU cores, where a full run takes about an hour.)
Writes ``benchmarks/results/learning_curve.json``.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from stancemap.models import load_scorer
from stancemap.training.card import heldout_metrics

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--run", default=str(ROOT / "build/nli-minilm-l6/torch"))
    parser.add_argument("--data", default=str(ROOT / "data/nli"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/learning_curve.json"))
    args = parser.parse_args()
    run = Path(args.run)
    training = json.loads((run / "training.json").read_text())
    steps = sorted(
        int(m.group(1)) for p in run.glob("checkpoint-*") if (m := re.fullmatch(r"checkpoint-(\d+)", p.name))
    )
    points = [(s, run / f"checkpoint-{s}") for s in steps] + [(training["steps"], run)]
    curve = []
    for step, folder in points:
        metrics, _ = heldout_metrics(load_scorer({"backend": "nli", "name": str(folder), "threads": 2}), args.data)
        row = {
            "step": step,
            "pairs_seen": min(step * training["batch_size"], int(training["pairs"] * training["epochs"])),
            **{k: next(x for key, x in v.items() if key != "n") for k, v in metrics.items()},
        }
        curve.append(row)
        print(json.dumps(row), flush=True)
    result = {
        "run": {k: training[k] for k in ("pairs", "epochs", "batch_size", "lr", "seed", "seconds")},
        "metrics": "mnli_heldout, cad_dev, conjnli_dev: accuracy; perspectrum_dev, touche_test: macro-F1 forced",
        "curve": curve,
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
