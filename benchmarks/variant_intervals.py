"""Which differences between encoders are real? Paired bootstrap intervals of macro-F1 on the development set and
the held-out real news.

    python benchmarks/variant_intervals.py [--models stance-minilm-l6,build/variants/both-news4-2ep,...]

Every encoder labels the same statements as in ``choose_labeller.py`` (the development set, hypotheses of
``config/config.yaml``) and ``heldout_debates.py --statements data/news/heldout`` (each sentence against its own
debate's claims), with the none threshold by 5-fold cross-validation. The statements are then resampled with
replacement (2,000 times, fixed seed), the same resample for every encoder, and each encoder's macro-F1 and its
difference from the first encoder (the shipped one) recomputed: the 2.5th and 97.5th percentiles are the 95%
intervals, and ``share_above`` is how often the encoder beat the first. The thresholds stay as chosen, so the
intervals are the statements' sampling noise, not the training's (``train_encoder.py --seed`` measures that).
Encoder folders that do not exist are skipped with a message. Writes ``benchmarks/results/variant_intervals.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from choose_labeller import NAMES, cross_validated, dev_set, threshold_labeller
from heldout_debates import side_scores

from stancemap.models import load_scorer
from stancemap.report.evaluate import label_metrics
from stancemap.stance.classify import raw_label_scores

ROOT = Path(__file__).resolve().parents[1]
MODELS = [
    "stance-minilm-l6",
    "build/variants/both-news4-2ep",
    "build/variants/both-news4-2ep-seed14",
    "build/variants/both-news4-2ep-seed15",
    "build/variants/both-news4x2-2ep",
    "build/variants/news4-only-2ep",
]


def predictions(scores: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Labels with the none threshold chosen by 5-fold cross-validation, as the benchmarks choose it."""
    return cross_validated(threshold_labeller(scores), gold, np.arange(len(gold)) % 5)[2]


def macro_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    return label_metrics(list(gold), list(predicted), NAMES)[1]


def intervals(gold: np.ndarray, predicted: dict[str, np.ndarray], resamples: int, seed: int) -> dict:
    """Each encoder's macro-F1 and its difference from the first, with paired bootstrap 95% intervals."""
    rng = np.random.default_rng(seed)
    names = list(predicted)
    draws = {name: [] for name in names}
    for _ in range(resamples):
        rows = rng.integers(len(gold), size=len(gold))
        for name in names:
            draws[name].append(macro_f1(gold[rows], predicted[name][rows]))
    first = np.array(draws[names[0]])
    out = {}
    for name in names:
        values = np.array(draws[name])
        diff = values - first
        out[name] = {
            "macro_f1": round(macro_f1(gold, predicted[name]), 4),
            "interval": [round(float(q), 4) for q in np.percentile(values, [2.5, 97.5])],
            "difference": round(macro_f1(gold, predicted[name]) - macro_f1(gold, predicted[names[0]]), 4),
            "difference_interval": [round(float(q), 4) for q in np.percentile(diff, [2.5, 97.5])],
            "share_above": round(float((diff > 0).mean()), 4),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(MODELS), help="encoders, the reference first")
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20230101)
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/variant_intervals.json"))
    args = parser.parse_args()
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    models = []
    for name in args.models.split(","):
        if "/" in name and not (ROOT / name / "config.json").is_file():
            print(f"skipped {name}: no trained encoder there (benchmarks/encoder_variants.py trains it)")
            continue
        models.append(name)
    dev = dev_set(config.get("context", "none"))
    news = pd.read_csv(ROOT / "data/news/heldout/statements.csv", keep_default_na=False)
    propositions = pd.read_csv(ROOT / "data/news/heldout/propositions.csv", keep_default_na=False)
    dev_gold, news_gold = dev["label"].to_numpy(), news["label"].to_numpy()
    dev_pred, news_pred, fingerprints = {}, {}, {}
    for name in models:
        scorer = load_scorer({"backend": "embedding", "name": str(ROOT / name) if "/" in name else name})
        scores = raw_label_scores(scorer, dev["premise"].tolist(), config)[:, :3]  # without the threshold column
        dev_pred[name] = predictions(scores, dev_gold)
        news_pred[name] = predictions(side_scores(news, propositions, scorer, "embedding"), news_gold)
        fingerprints[name] = scorer.fingerprint()
    out = {
        "resamples": args.resamples,
        "seed": args.seed,
        "development_set": {"n": len(dev_gold), **intervals(dev_gold, dev_pred, args.resamples, args.seed)},
        "heldout_news": {"n": len(news_gold), **intervals(news_gold, news_pred, args.resamples, args.seed)},
        "models": fingerprints,
    }
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    for part in ("development_set", "heldout_news"):
        for name in models:
            row = out[part][name]
            print(f"{part:16} {name:40} {row['macro_f1']:.3f} {row['interval']} diff {row['difference_interval']}")


if __name__ == "__main__":
    main()
