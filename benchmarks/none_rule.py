"""How should "none" be decided, and should the model read context? Measured against the seed's hand labels.

For each context option (the statement alone, with the previous statement, with its whole quotation) the
statements are scored once with the configured model, then labelled with (a) explicit "none" hypotheses and
(b) a threshold on the best label score, the threshold chosen two ways: the best on all statements (optimistic)
and by 5-fold cross-validation (each fold labelled with the threshold that scored best on the other four: honest).
Statements are those of the pipeline (boilerplate removed, quotes and speakers found); gold spans that overlap no
statement (boilerplate) are left out. Metric: 4-class macro-F1.

    python benchmarks/none_rule.py            # writes benchmarks/results/none_rule.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import yaml

from stancemap.models import load_scorer
from stancemap.report.evaluate import gold_statements, label_metrics
from stancemap.stance.classify import decide, label_names, premises, raw_label_scores
from stancemap.text.segment import statements_from_raw

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "blinken-ukraine-2023"


def main() -> None:
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    config["cache_dir"] = ""
    statements = gold_statements(
        statements_from_raw(ROOT / "data/raw" / f"{ARTICLE}.txt"), ROOT / "data/gold" / f"{ARTICLE}.csv"
    )
    has_gold = statements["gold"].notna().to_numpy()
    y_true = statements["gold"].to_numpy()
    scorer = load_scorer(config["model"])
    names = label_names(config)
    temperature = config["temperature"]
    grid = [round(float(t), 2) for t in np.arange(0.10, 0.61, 0.01)]
    folds = np.arange(len(statements)) % 5
    everything = np.ones(len(statements), dtype=bool)

    def f1(raw: np.ndarray, rows: np.ndarray) -> float:
        pred = decide(raw[rows], names, temperature)["label"].to_numpy()
        keep = has_gold[rows]
        return label_metrics(list(y_true[rows][keep]), list(pred[keep]), names)[1]

    results = {}
    for context in ("none", "previous", "quote"):
        texts = premises(statements, context)
        by_hypothesis = raw_label_scores(scorer, texts, dict(config, none={**config["none"], "strategy": "hypothesis"}))
        base = raw_label_scores(scorer, texts, dict(config, none={**config["none"], "strategy": "threshold"}))

        def with_threshold(t: float, base: np.ndarray = base) -> np.ndarray:
            raw = base.copy()
            raw[:, -1] = t
            return raw

        sweep = {t: f1(with_threshold(t), everything) for t in grid}
        best_t = max(sweep, key=sweep.get)
        predicted = np.empty(len(statements), dtype=object)
        chosen = []
        for k in range(5):
            train = folds != k
            t_k = max(grid, key=lambda t: f1(with_threshold(t), train))
            chosen.append(t_k)
            predicted[~train] = decide(with_threshold(t_k)[~train], names, temperature)["label"].to_numpy()
        results[context] = {
            "macro_f1_none_hypothesis": round(f1(by_hypothesis, everything), 4),
            "macro_f1_threshold_5fold_cv": round(
                label_metrics(list(y_true[has_gold]), list(predicted[has_gold]), names)[1], 4
            ),
            "thresholds_chosen_per_fold": chosen,
            "macro_f1_threshold_best_in_sample": round(sweep[best_t], 4),
            "best_threshold_in_sample": best_t,
            "macro_f1_at_configured_threshold": round(sweep.get(float(config["none"]["threshold"]), float("nan")), 4),
        }
    result = {
        "article": ARTICLE,
        "n_statements": len(statements),
        "n_gold_matched": int(has_gold.sum()),
        "model": scorer.fingerprint()["name"],
        "configured_threshold": config["none"]["threshold"],
        "by_context": results,
    }
    out = ROOT / "benchmarks/results/none_rule.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    json.dump(result, sys.stdout, indent=2)


if __name__ == "__main__":
    main()
