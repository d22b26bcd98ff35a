"""Which labeller should be the default? 4-class macro-F1 on the hand-labelled development set.

    python benchmarks/choose_labeller.py [--nli FOLDER] [--backend onnx|nli] [--embedding FOLDER]
                                         [--hypotheses FILE] [--out FILE]

The development set is the seed's statements (as the pipeline segments them, gold matched by overlap, the
model reading the configured context) plus ``data/dev/statements.csv`` (statements from 11 other texts on the
war's diplomacy, each read with the previous sentence of its paragraph when ``context`` is not ``none``).
Labellers compared, each with its "none" threshold chosen by 5-fold cross-validation (every fold labelled with
the threshold that scored best on the other four, so the score is not tuned on the statements it scores):

- ``embedding``: cosine similarity to the configured hypotheses (the old default);
- ``nli``: the cross-encoder, P(entailment) of the hypotheses of ``benchmarks/hypotheses.yaml``;
- ``two_step``: embeddings decide the topic (negotiation, alliance, none), the cross-encoder decides only the
  direction (pro or anti) of negotiation statements, by P(entailment) of each side's hypotheses (or, in
  ``two_step_entailment_vs_contradiction``, by P(entailment) against P(contradiction): the backend's
  ``score_pairs``, which the pipeline caches);
- ``two_step_nli``: the same two steps, both from the cross-encoder.

``direction_accuracy``: on the statements labelled pro- or anti-negotiation, how often each model puts pro above
anti (or the reverse) correctly, whatever the topic step says. Writes ``benchmarks/results/choose_labeller.json``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from stancemap.models import load_scorer
from stancemap.report.evaluate import gold_statements, label_metrics
from stancemap.stance.classify import NONE, decide, premises, two_step_scores
from stancemap.text.segment import statements_from_raw

ROOT = Path(__file__).resolve().parents[1]
SEED = "blinken-ukraine-2023"
NAMES = ["pro_negotiation", "anti_negotiation", "alliance_focused", NONE]
GRID = [round(float(t), 3) for t in np.arange(0.05, 0.951, 0.01)]


def dev_set(context: str) -> pd.DataFrame:
    """Columns ``source, text, premise, label``: what the model reads and the hand label."""
    statements = gold_statements(
        statements_from_raw(ROOT / "data/raw" / f"{SEED}.txt"), ROOT / "data/gold" / f"{SEED}.csv"
    )
    seed = pd.DataFrame(
        {
            "source": SEED,
            "text": statements["text"],
            "premise": premises(statements, context),
            "label": statements["gold"],
        }
    ).dropna(subset=["label"])
    dev = pd.read_csv(ROOT / "data/dev/statements.csv", keep_default_na=False)
    read = [f"{c} {t}" if c and context != "none" else t for c, t in zip(dev["context"], dev["text"])]
    dev = pd.DataFrame({"source": dev["source"], "text": dev["text"], "premise": read, "label": dev["label"]})
    return pd.concat([seed, dev], ignore_index=True)


def label_scores(pair: np.ndarray, groups: dict[str, list[str]], hypotheses: list[str]) -> np.ndarray:
    """Max over each label's hypotheses: columns pro, anti, alliance."""
    cols = [[hypotheses.index(h) for h in groups[name]] for name in NAMES[:3]]
    return np.stack([pair[:, c].max(axis=1) for c in cols], axis=1)


def threshold_labeller(scores: np.ndarray) -> Callable[[float], np.ndarray]:
    """Labels of the direct labeller as a function of the none threshold: ``scores`` are statements x (pro, anti,
    alliance), ``none`` wins below the threshold (what :func:`cross_validated` chooses)."""
    return lambda t: decide(np.column_stack([scores, np.full(len(scores), t)]), NAMES, 0.05)["label"].to_numpy()


def cross_validated(raw_for: callable, gold: np.ndarray, folds: np.ndarray) -> tuple[float, list[float], np.ndarray]:
    """Macro-F1 with the none threshold chosen on the other folds; the thresholds; the predictions."""

    def f1(t: float, rows: np.ndarray) -> float:
        return label_metrics(list(gold[rows]), list(raw_for(t)[rows]), NAMES)[1]

    predicted = np.empty(len(gold), dtype=object)
    chosen = []
    for k in sorted(set(folds)):
        train = folds != k
        t_k = max(GRID, key=lambda t: f1(t, train))
        chosen.append(t_k)
        predicted[~train] = raw_for(t_k)[~train]
    return label_metrics(list(gold), list(predicted), NAMES)[1], chosen, predicted


def select_direction(e: np.ndarray, pro: list[int], anti: list[int], truth: np.ndarray) -> tuple[list[int], list[int]]:
    """Greedy choice of direction hypotheses: the best (pro, anti) pair, then add the hypothesis that helps most
    while accuracy rises. ``e``: P(entailment), statements x hypotheses; ``truth``: True for pro."""

    def acc(ps: list[int], as_: list[int]) -> float:
        return float(((e[:, ps].max(1) >= e[:, as_].max(1)) == truth).mean())

    ps, as_ = max(([[i], [j]] for i in pro for j in anti), key=lambda c: acc(*c))
    while True:
        options = [(ps + [i], as_) for i in pro if i not in ps] + [(ps, as_ + [j]) for j in anti if j not in as_]
        best = max(options, key=lambda c: acc(*c), default=None)
        if best is None or acc(*best) <= acc(ps, as_):
            return ps, as_
        ps, as_ = best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nli", default="default", help="cross-encoder folder (default: the shipped one)")
    parser.add_argument("--backend", default="onnx", choices=["onnx", "nli"])
    parser.add_argument("--embedding", default="default", help="sentence encoder folder (default: the shipped one)")
    parser.add_argument(
        "--hypotheses",
        default=str(ROOT / "benchmarks/hypotheses.yaml"),
        help="the cross-encoder's hypotheses per label (benchmarks/hypotheses_rephrased.yaml: wordings never tuned on)",
    )
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/choose_labeller.json"))
    args = parser.parse_args()
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    data = dev_set(config.get("context", "none"))
    gold = data["label"].to_numpy()
    folds = np.arange(len(data)) % 5
    prem = data["premise"].tolist()

    emb_groups = {name: config["labels"][name]["hypotheses"] for name in NAMES[:3]}
    emb_hyps = [h for hs in emb_groups.values() for h in hs]
    embedder = load_scorer({"backend": "embedding", "name": args.embedding})
    emb = embedder.score_pairs([p for p in prem for _ in emb_hyps], emb_hyps * len(prem)).reshape(len(prem), -1)
    emb = label_scores(emb, emb_groups, emb_hyps)

    nli_groups = {k: v for k, v in yaml.safe_load(Path(args.hypotheses).read_text()).items() if k in NAMES}
    nli_hyps = [h for hs in nli_groups.values() for h in hs]
    scorer = load_scorer({"backend": args.backend, "name": args.nli})
    probs = scorer.pair_probabilities([p for p in prem for _ in nli_hyps], nli_hyps * len(prem))
    probs = probs.reshape(len(prem), len(nli_hyps), 3)
    nli_entail = label_scores(probs[:, :, 0], nli_groups, nli_hyps)
    nli_ec = label_scores(probs[:, :, 0] / (probs[:, :, 0] + probs[:, :, 2] + 1e-9), nli_groups, nli_hyps)

    def two_step(topic: np.ndarray, direction: np.ndarray):
        return lambda t: two_step_scores(
            np.column_stack([topic, np.full(len(topic), t)]), direction[:, :2], (0, 1), NAMES, 0.05
        )["label"].to_numpy()

    labellers = {
        "embedding": threshold_labeller(emb),
        "nli_entailment": threshold_labeller(nli_entail),
        "nli_entailment_vs_contradiction": threshold_labeller(nli_ec),
        "two_step": two_step(emb, nli_entail),
        "two_step_entailment_vs_contradiction": two_step(emb, nli_ec),
        "two_step_nli": two_step(nli_entail, nli_entail),
    }
    results = {}
    for name, raw_for in labellers.items():
        f1, chosen, predicted = cross_validated(raw_for, gold, folds)
        per_label = label_metrics(list(gold), list(predicted), NAMES)[0]
        results[name] = {
            "macro_f1_5fold_cv": round(f1, 4),
            "thresholds_per_fold": chosen,
            "f1_per_label": {r["label"]: round(float(r["f1"]), 3) for _, r in per_label.iterrows()},
            "macro_f1_seed": round(
                label_metrics(list(gold[data["source"] == SEED]), list(predicted[data["source"] == SEED]), NAMES)[1], 4
            ),
            "macro_f1_other": round(
                label_metrics(list(gold[data["source"] != SEED]), list(predicted[data["source"] != SEED]), NAMES)[1], 4
            ),
        }
    direction = np.isin(gold, NAMES[:2])
    truth = gold[direction] == NAMES[0]
    # Direction hypotheses chosen on the development set: accuracy by 5-fold cross-validation (chosen on four
    # folds, counted on the fifth), and the choice made on all of it (what the config should use).
    e_dir = probs[direction][:, :, 0]
    pro_idx = [nli_hyps.index(h) for h in nli_groups[NAMES[0]]]
    anti_idx = [nli_hyps.index(h) for h in nli_groups[NAMES[1]]]
    dir_folds = np.arange(int(direction.sum())) % 5
    right = np.zeros(len(truth), dtype=bool)
    for k in range(5):
        fit = dir_folds != k
        ps, as_ = select_direction(e_dir[fit], pro_idx, anti_idx, truth[fit])
        right[~fit] = (e_dir[~fit][:, ps].max(1) >= e_dir[~fit][:, as_].max(1)) == truth[~fit]
    ps, as_ = select_direction(e_dir, pro_idx, anti_idx, truth)
    selected = {
        "accuracy_5fold_cv": round(float(right.mean()), 4),
        "chosen_on_all": {NAMES[0]: [nli_hyps[i] for i in ps], NAMES[1]: [nli_hyps[i] for i in as_]},
        "accuracy_in_sample": round(float(((e_dir[:, ps].max(1) >= e_dir[:, as_].max(1)) == truth).mean()), 4),
    }
    results_direction = {
        name: round(float(((s[direction, 0] >= s[direction, 1]) == truth).mean()), 4)
        for name, s in {
            "embedding": emb,
            "nli_entailment": nli_entail,
            "nli_entailment_vs_contradiction": nli_ec,
        }.items()
    }
    out = {
        "n_statements": len(data),
        "n_seed": int((data["source"] == SEED).sum()),
        "labels": pd.Series(gold).value_counts().to_dict(),
        "context": config.get("context"),
        "nli_model": scorer.fingerprint(),
        "embedding_model": embedder.fingerprint(),
        "hypotheses_file": str(Path(args.hypotheses).resolve().relative_to(ROOT)),
        "labellers": results,
        "direction_accuracy": {"n": int(direction.sum()), **results_direction},
        "direction_hypotheses_selected": selected,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v["macro_f1_5fold_cv"] for k, v in results.items()}, indent=1))
    print("direction accuracy", out["direction_accuracy"], out["direction_hypotheses_selected"])


if __name__ == "__main__":
    main()
