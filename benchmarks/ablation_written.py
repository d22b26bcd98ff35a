"""Issue 17's ablation: does the cross-encoder gain from our written news statements, at the same training budget?

Two cross-encoders are trained from MiniLM-L6 with the settings of ``config/train.yaml``, one with the written
statements (``data/synthetic/``) and one without, for the same number of updates (a fraction of one epoch of the
set with them: a full epoch is about an hour per model on 2 cores). Each is then measured as a labeller on the
development set (``choose_labeller.py --backend nli``: the cross-encoder alone and the two-step labeller) and on
the written debates no model trained on (``heldout_debates.py``). Run by hand:

    python benchmarks/ablation_written.py train --variant with --threads 1 &
    python benchmarks/ablation_written.py train --variant without --threads 1 &
    wait && python benchmarks/ablation_written.py measure   # writes benchmarks/results/ablation_written.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build/ablation-written"
NEWS_HELDOUT = "data/news/heldout"
VARIANTS = ("with", "without", "with_news")


def train(variant: str, fraction: float, threads: int) -> None:
    import pandas as pd

    from stancemap.training.data import training_set, written_pairs
    from stancemap.training.train import train_cross_encoder

    t = yaml.safe_load((ROOT / "config/train.yaml").read_text(encoding="utf-8"))

    def pairs(written):
        return training_set(
            ROOT / t["data"],
            mix=t["mix"],
            negations=t["negations"],
            neutral_share=t["neutral_share"],
            seed=t["seed"],
            stance=t.get("stance", False),
            written=written,
            heldout_debates=t.get("heldout_debates", []),
        )

    with_written = pairs(ROOT / t["written"])
    data = with_written if variant != "without" else pairs(None)
    if variant == "with_news":
        held = set(t.get("heldout_debates", []))
        extra = []
        for folder, source in ((ROOT / "data/synthetic/round2", "written_round2"), (ROOT / "data/news/train", "news")):
            debates = sorted(set(pd.read_csv(folder / "propositions.csv", dtype=str)["debate"]) - held)
            extra.append(written_pairs(folder, debates, t["seed"], source))
        data = pd.concat([data, *extra], ignore_index=True)
    # the same number of updates for both: a fraction of one epoch of the larger set
    epochs = fraction * len(with_written) / len(data)
    print(f"{variant}: {len(data)} pairs, {epochs:.4f} epochs", flush=True)
    train_cross_encoder(
        data,
        OUT / variant,
        epochs=epochs,
        batch_size=t["batch_size"],
        lr=t["lr"],
        max_length=t["max_length"],
        seed=t["seed"],
        threads=threads,
    )


def measure(variants: list[str]) -> None:
    out = ROOT / "benchmarks/results/ablation_written.json"
    result = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    missing = [v for v in variants if not (OUT / v / "training.json").is_file()]
    if missing:
        sys.exit(
            f"not trained: {', '.join(str((OUT / v).relative_to(ROOT)) for v in missing)}; first run "
            + " and ".join(f"`python benchmarks/ablation_written.py train --variant {v}`" for v in missing)
        )
    for variant in variants:
        folder = OUT / variant
        dev, held, news = (OUT / f"{variant}-{name}.json" for name in ("dev", "heldout", "news"))
        for path in (dev, held, news):
            path.unlink(missing_ok=True)  # heldout_debates.py appends to its file
        jobs = [
            ("choose_labeller.py", ["--backend", "nli", "--nli", str(folder)], dev),
            ("heldout_debates.py", ["--backend", "nli", "--name", str(folder)], held),
        ]
        if variant == "with_news":
            jobs.append(
                ("heldout_debates.py", ["--backend", "nli", "--name", str(folder), "--statements", NEWS_HELDOUT], news)
            )
        for script, args, path in jobs:
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args, "--out", str(path)], check=True)
        result[variant] = {
            "training": json.loads((folder / "training.json").read_text()),
            "development_set": json.loads(dev.read_text()),
            "heldout_debates": json.loads(held.read_text()),
            **({"news_heldout": json.loads(news.read_text())} if news.exists() else {}),
        }
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--variant", choices=VARIANTS, required=True)
    t.add_argument("--fraction", type=float, default=0.25, help="of one epoch of the set with the written statements")
    t.add_argument("--threads", type=int, default=1)
    m = sub.add_parser("measure")
    m.add_argument("--variant", choices=VARIANTS, action="append", help="measure only these (default: all three)")
    args = parser.parse_args()
    if args.command == "train":
        train(args.variant, args.fraction, args.threads)
    else:
        measure(args.variant or list(VARIANTS))


if __name__ == "__main__":
    main()
