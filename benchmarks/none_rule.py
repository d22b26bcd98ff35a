"""Which "none" rule labels the seed best: a threshold on the best label score, or explicit "none" hypotheses?

Scores the seed's statements once with the configured model, then decides labels both ways and compares 4-class
macro-F1 against the hand labels in data/gold/. The threshold is chosen two ways: the best on all statements
(optimistic) and by 5-fold cross-validation (each fold's threshold picked on the other four: honest).

    python benchmarks/none_rule.py            # writes benchmarks/results/none_rule.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from stancemap.classify import NONE, decide, label_names, raw_label_scores
from stancemap.evaluate import label_metrics, match_gold
from stancemap.models import load_scorer
from stancemap.segment import segment_text

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "blinken-ukraine-2023"


def main() -> None:
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    text = (ROOT / "data/raw" / f"{ARTICLE}.txt").read_text(encoding="utf-8").replace("\r\n", "\n")
    statements = segment_text(text, ARTICLE)
    gold = pd.read_csv(ROOT / "data/gold" / f"{ARTICLE}.csv")
    # The gold label of each statement (gold spans matched by character overlap).
    matched = match_gold(statements.assign(label=NONE, confidence=1.0), gold)
    y_true = pd.Series(matched["label"].to_numpy(), index=matched["statement_id"]).reindex(statements["statement_id"])
    has_gold = y_true.notna().to_numpy()
    y_true = y_true.to_numpy()
    scorer = load_scorer(config["model"])
    names = label_names(config)
    temperature = config["temperature"]
    texts = statements["text"].tolist()

    def f1(raw: np.ndarray, rows: np.ndarray) -> float:
        pred = decide(raw[rows], names, temperature)["label"].to_numpy()
        keep = has_gold[rows]
        return label_metrics(list(y_true[rows][keep]), list(pred[keep]), names)[1]

    everything = np.ones(len(statements), dtype=bool)
    by_hypothesis = raw_label_scores(scorer, texts, dict(config, none={**config["none"], "strategy": "hypothesis"}))
    base = raw_label_scores(scorer, texts, dict(config, none={**config["none"], "strategy": "threshold"}))
    grid = [round(float(t), 2) for t in np.arange(0.10, 0.61, 0.01)]

    def with_threshold(t: float) -> np.ndarray:
        raw = base.copy()
        raw[:, -1] = t
        return raw

    sweep = {t: f1(with_threshold(t), everything) for t in grid}
    best_t = max(sweep, key=sweep.get)

    # 5-fold CV: each fold is labelled with the threshold that scored best on the other four.
    folds = np.arange(len(statements)) % 5
    predicted = np.empty(len(statements), dtype=object)
    chosen = []
    for k in range(5):
        train = folds != k
        t_k = max(grid, key=lambda t: f1(with_threshold(t), train))
        chosen.append(t_k)
        predicted[~train] = decide(with_threshold(t_k)[~train], names, temperature)["label"].to_numpy()
    f1_cv = label_metrics(list(y_true[has_gold]), list(predicted[has_gold]), names)[1]

    result = {
        "article": ARTICLE,
        "n_statements": len(statements),
        "n_gold": int(has_gold.sum()),
        "model": scorer.fingerprint()["name"],
        "macro_f1_none_hypothesis": round(f1(by_hypothesis, everything), 4),
        "macro_f1_threshold_best_in_sample": round(sweep[best_t], 4),
        "best_threshold_in_sample": best_t,
        "macro_f1_threshold_5fold_cv": round(f1_cv, 4),
        "thresholds_chosen_per_fold": chosen,
        "configured_threshold": config["none"]["threshold"],
        "macro_f1_at_configured_threshold": round(sweep.get(float(config["none"]["threshold"]), float("nan")), 4),
        "sweep": {str(k): round(v, 4) for k, v in sweep.items()},
    }
    out = ROOT / "benchmarks/results/none_rule.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    json.dump({k: v for k, v in result.items() if k != "sweep"}, sys.stdout, indent=2)


if __name__ == "__main__":
    main()
