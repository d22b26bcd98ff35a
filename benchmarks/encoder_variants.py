"""Does more written data, or a second epoch, make the fine-tuned encoder better on real news? (issue 17)

    python benchmarks/encoder_variants.py      # about 45 minutes on 2 cores (three encoders to train)

Four encoders, each trained as the shipped one (``benchmarks/train_encoder.py``: same pairs recipe, seed, batch
and learning rate; the held-out debates kept out) and differing only in the written rounds they read and the
number of epochs: the shipped one (first round, one epoch, not retrained), the first round for two epochs, both
rounds (``data/synthetic`` and ``data/synthetic/round2``) for one and for two epochs. Each is measured by
``benchmarks/choose_labeller.py`` (development set: the direct labeller's 4-class macro-F1, seed and other texts
apart, and direction) and ``benchmarks/heldout_debates.py`` (the three held-out written debates). Trained encoders
are kept in ``build/variants/`` and not retrained when present. Writes ``benchmarks/results/encoder_variants.json``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build/variants"
ROUND1, BOTH = "data/synthetic", "data/synthetic,data/synthetic/round2"
#: name -> (written folders, epochs); None: the shipped encoder, measured as it ships.
VARIANTS = {
    "shipped: round 1, 1 epoch": None,
    "round 1, 2 epochs": (ROUND1, 2),
    "rounds 1+2, 1 epoch": (BOTH, 1),
    "rounds 1+2, 2 epochs": (BOTH, 2),
}


def run(*args: str) -> None:
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    BUILD.mkdir(parents=True, exist_ok=True)
    results = {}
    for name, recipe in VARIANTS.items():
        if recipe is None:
            model = "stance-minilm-l6"
        else:
            written, epochs = recipe
            model = str(BUILD / f"{'both' if ',' in written else 'round1'}-{epochs}ep")
            if not (Path(model) / "config.json").exists():
                run("benchmarks/train_encoder.py", "--written", written, "--epochs", str(epochs), "--out", model)
        dev_json, held_json = BUILD / "dev.json", BUILD / "heldout.json"
        dev_json.unlink(missing_ok=True)
        held_json.unlink(missing_ok=True)
        run("benchmarks/choose_labeller.py", "--embedding", model, "--out", str(dev_json))
        run("benchmarks/heldout_debates.py", "--backend", "embedding", "--name", model, "--out", str(held_json))
        dev = json.loads(dev_json.read_text())
        held = next(iter(json.loads(held_json.read_text()).values()))
        embedding = dev["labellers"]["embedding"]
        results[name] = {
            "dev_macro_f1": embedding["macro_f1_5fold_cv"],
            "dev_macro_f1_seed": embedding["macro_f1_seed"],
            "dev_macro_f1_other": embedding["macro_f1_other"],
            "dev_f1_per_label": embedding["f1_per_label"],
            "dev_direction": dev["direction_accuracy"]["embedding"],
            "heldout_macro_f1": held["macro_f1_5fold_cv"],
            "heldout_direction": held["direction_accuracy"],
            "heldout_events_none": held["events_labelled_none"],
            "model": held["model"],
        }
        print(name, {k: v for k, v in results[name].items() if k not in ("model", "dev_f1_per_label")}, flush=True)
    out = ROOT / "benchmarks/results/encoder_variants.json"
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
