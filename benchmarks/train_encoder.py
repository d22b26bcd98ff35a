"""Fine-tune the embedding backend's encoder on the written statements (the second design of the direction issue).

    python benchmarks/train_encoder.py [--out build/encoder-minilm-l6] [--epochs 1] [--holdout DEBATE,...]
                                       [--written data/synthetic,data/synthetic/round2] [--seed 13]

``--written``: the folders of statements (default: ``config/train.yaml``'s ``written``, the first written round).
The shipped encoder (``stance-minilm-l6``) is ``--written data/synthetic,data/synthetic/round2,data/news/train
--epochs 2`` (``benchmarks/encoder_variants.py``: the variant that measured best). The debates named in
``--holdout`` are not trained on (the same ones the cross-encoder keeps out). Then measure it:
``python benchmarks/choose_labeller.py --embedding build/encoder-minilm-l6``. ``--seed`` (default:
``config/train.yaml``'s) draws the pairs' propositions and the training order: a second seed of one recipe measures
how far its scores move by chance alone.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import yaml

from stancemap.training.encoder import encoder_pairs, train_encoder

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    train = yaml.safe_load((ROOT / "config/train.yaml").read_text())
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "build/encoder-minilm-l6"))
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--holdout", default=",".join(train["heldout_debates"]))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--written", default=train["written"], help="comma-separated folders of written statements")
    parser.add_argument("--seed", type=int, default=train["seed"], help="pairs and order (another seed: the spread)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    folders = [ROOT / f for f in args.written.split(",")]
    held = [d for d in args.holdout.split(",") if d]
    import pandas as pd

    debates = sorted({d for f in folders for d in pd.read_csv(f / "propositions.csv")["debate"]} - set(held))
    pairs = encoder_pairs(folders, debates, seed=args.seed)
    provenance = {"statements": args.written.split(","), "heldout_debates": held}
    print(
        train_encoder(pairs, args.out, epochs=args.epochs, seed=args.seed, threads=args.threads, provenance=provenance)
    )


if __name__ == "__main__":
    main()
