"""Stance on debates no model trained on: the written statements of ``heldout_debates`` (config/train.yaml).

    python benchmarks/heldout_debates.py --backend embedding --name default
    python benchmarks/heldout_debates.py --backend onnx --name build/nli-minilm-l6/onnx
    python benchmarks/heldout_debates.py --backend embedding --name stance-minilm-l6 --statements data/news/heldout

Each statement is scored against its own debate's propositions (``data/synthetic/propositions.csv``, three per
side): a label's score is the best of its side's propositions (P(entailment) for a cross-encoder, cosine for an
encoder), ``none`` wins below a threshold chosen by 5-fold cross-validation, as in ``choose_labeller.py``.
Reports 4-class macro-F1, direction accuracy (pro vs anti on the pro/anti statements) and how often plain event
reports and denials (``kind`` event or denial) come out ``none``. Appends to
``benchmarks/results/heldout_debates.json`` under ``<backend>:<name>``.

``--statements FOLDER``: every statement of another folder in the same format instead (``data/news/heldout``: real
news sentences of debates no model trained on, ``data/news/README.md``), under ``<backend>:<name>@<FOLDER>``.
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
from choose_labeller import NAMES, cross_validated, threshold_labeller

from stancemap.models import load_scorer
from stancemap.report.evaluate import label_metrics

ROOT = Path(__file__).resolve().parents[1]
SIDES = {"pro": NAMES[0], "anti": NAMES[1], "alliance": NAMES[2]}


def side_scores(statements: pd.DataFrame, propositions: pd.DataFrame, scorer, backend: str) -> np.ndarray:
    """Statements x (pro, anti, alliance): each statement's best score against its own debate's propositions of
    that side (cosine for an encoder, P(entailment) for a cross-encoder)."""
    statements = statements.reset_index(drop=True)
    scores = np.zeros((len(statements), 3))
    for debate, rows in statements.groupby("debate"):
        props = propositions[propositions["debate"] == debate]
        hyps = props["proposition"].tolist()
        texts = rows["text"].tolist()
        premises, hypotheses = [t for t in texts for _ in hyps], hyps * len(texts)
        if backend == "embedding":
            pair = scorer.score_pairs(premises, hypotheses)
        else:
            pair = scorer.pair_probabilities(premises, hypotheses)[:, 0]
        pair = pair.reshape(len(texts), len(hyps))
        for j, side in enumerate(SIDES):
            cols = np.flatnonzero(props["side"].to_numpy() == side)
            scores[rows.index, j] = pair[:, cols].max(axis=1)
    return scores


def written_metrics(statements: pd.DataFrame, scores: np.ndarray) -> dict:
    """What the written statements measure, from their side scores (rows aligned with ``statements``): 4-class
    macro-F1 with the none threshold by 5-fold cross-validation, each label's F1, direction accuracy on the pro/anti
    statements, the share of event reports and denials labelled none, and macro-F1 and direction per debate."""
    gold = statements["label"].to_numpy()
    folds = np.arange(len(gold)) % 5
    f1, chosen, predicted = cross_validated(threshold_labeller(scores), gold, folds)
    per_label = label_metrics(list(gold), list(predicted), NAMES)[0]
    direction = np.isin(gold, NAMES[:2])
    right = (scores[:, 0] >= scores[:, 1]) == (gold == NAMES[0])
    events = statements["kind"].isin(["event", "denial"]).to_numpy()
    debates = statements["debate"].to_numpy()
    return {
        "n": len(gold),
        "macro_f1_5fold_cv": round(f1, 4),
        "thresholds_per_fold": chosen,
        "f1_per_label": {r["label"]: round(float(r["f1"]), 3) for _, r in per_label.iterrows()},
        "direction_accuracy": round(float(right[direction].mean()), 4),
        "n_direction": int(direction.sum()),
        "events_labelled_none": round(float((predicted[events] == "none").mean()), 4),
        "n_events": int(events.sum()),
        "per_debate": {
            d: {
                "macro_f1": round(label_metrics(list(gold[m]), list(predicted[m]), NAMES)[1], 4),
                # None for a debate without pro or anti statements (taiwan_arms of the real news: alliance only)
                "direction_accuracy": round(float(right[m & direction].mean()), 4) if (m & direction).any() else None,
            }
            for d in sorted(set(debates))
            for m in [debates == d]
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", required=True, choices=["embedding", "nli", "onnx"])
    parser.add_argument("--name", default="default")
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/heldout_debates.json"))
    parser.add_argument("--statements", help="score every statement of this folder (default: the written held-out)")
    args = parser.parse_args()
    train = yaml.safe_load((ROOT / "config/train.yaml").read_text())
    folder = ROOT / (args.statements or train["written"])
    statements = pd.read_csv(folder / "statements.csv", keep_default_na=False)
    debates = sorted(statements["debate"].unique()) if args.statements else train["heldout_debates"]
    statements = statements[statements["debate"].isin(debates)].reset_index(drop=True)
    propositions = pd.read_csv(folder / "propositions.csv", keep_default_na=False)
    scorer = load_scorer({"backend": args.backend, "name": args.name})
    scores = side_scores(statements, propositions, scorer, args.backend)
    found = written_metrics(statements, scores)
    result = {
        "debates": debates,
        **{key: value for key, value in found.items() if key != "per_debate"},
        "per_debate_macro_f1": {d: found["per_debate"][d]["macro_f1"] for d in debates},
        "model": scorer.fingerprint(),
    }
    out = Path(args.out)
    everything = json.loads(out.read_text()) if out.is_file() else {}
    everything[f"{args.backend}:{args.name}" + (f"@{args.statements}" if args.statements else "")] = result
    out.write_text(json.dumps(everything, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "model"}, indent=1))


if __name__ == "__main__":
    main()
