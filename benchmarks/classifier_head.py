"""Would SetFit's second half, a classifier head on the fine-tuned encoder, label better than cosine to hypotheses?

    python benchmarks/classifier_head.py [--embedding stance-minilm-l6]   # about a minute on 2 cores

SetFit fine-tunes a sentence encoder on contrastive pairs (what ``stance-minilm-l6`` is) and then fits a
logistic-regression head on its embeddings. Our embedding backend uses only the first half: a statement takes
the label whose hypotheses are closest, ``none`` below a threshold. This fits the head, with settings fixed
before measuring (scikit-learn's default ``C=1``, balanced class weights), on the encoder's embeddings of every
statement it was trained on (both written rounds and ``data/news/train``, without the held-out debates), and
labels the same three sets the encoder is measured on:

- the development set (``choose_labeller.dev_set``: seed and other texts, read with the configured context);
- the written statements of the held-out debates (``config/train.yaml``'s ``heldout_debates``);
- the real news sentences of debates no model trained on (``data/news/heldout``).

Two feature sets: the embedding alone (the head is then tied to our four label names, not to any hypothesis),
and the embedding with the statement's best cosine to each side's claims (its own debate's propositions for
the written and news sentences, the configured hypotheses for the development set), which keeps a zero-shot
signal. Writes ``benchmarks/results/classifier_head.json``; compare with the encoder's row in
``encoder_variants.json`` (the threshold rule on the same sets).

A scratch run before this script, with the cosines multiplied by 5 (and event reports counted without denials),
gave 0.653 on the development set and 0.644 on the held-out news with the second feature set: the scale of one
feature alone moves the development set by about 2 points, so differences of that size are noise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
from choose_labeller import NAMES, SEED, dev_set
from heldout_debates import side_scores

from stancemap.models import load_scorer
from stancemap.report.evaluate import label_metrics
from stancemap.stance.classify import raw_label_scores

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ["data/synthetic", "data/synthetic/round2", "data/news/train"]


def read(folders: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statements and propositions of these folders, each read as one table."""
    tables = [
        [pd.read_csv(ROOT / f / name, keep_default_na=False) for f in folders]
        for name in ("statements.csv", "propositions.csv")
    ]
    return pd.concat(tables[0], ignore_index=True), pd.concat(tables[1], ignore_index=True)


def metrics(gold: np.ndarray, predicted: np.ndarray, proba: np.ndarray, classes: list[str], events: np.ndarray) -> dict:
    """Macro-F1, each label's F1, direction (pro above anti on the pro/anti statements), event reports as none."""
    per_label = label_metrics(list(gold), list(predicted), NAMES)[0]
    direction = np.isin(gold, NAMES[:2])
    pro, anti = proba[:, classes.index(NAMES[0])], proba[:, classes.index(NAMES[1])]
    return {
        "n": len(gold),
        "macro_f1": round(label_metrics(list(gold), list(predicted), NAMES)[1], 4),
        "f1_per_label": {r["label"]: round(float(r["f1"]), 3) for _, r in per_label.iterrows()},
        "direction_accuracy": round(float(((pro >= anti) == (gold == NAMES[0]))[direction].mean()), 4),
        **({"events_labelled_none": round(float((predicted[events] == "none").mean()), 4)} if events.any() else {}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedding", default="stance-minilm-l6", help="sentence encoder (name or folder)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/classifier_head.json"))
    args = parser.parse_args()
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    held = yaml.safe_load((ROOT / "config/train.yaml").read_text())["heldout_debates"]
    scorer = load_scorer({"backend": "embedding", "name": args.embedding})

    statements, propositions = read(TRAIN)
    train = statements[~statements["debate"].isin(held)].reset_index(drop=True)
    written, written_props = read(["data/synthetic"])
    sets = {
        "heldout_written": (written[written["debate"].isin(held)].reset_index(drop=True), written_props),
        "heldout_news": read(["data/news/heldout"]),
    }
    # each statement's embedding, and its best cosine to each side's claims, scored as the benchmarks score them
    features = {"train": (scorer.embed(train["text"].tolist()), side_scores(train, propositions, scorer, "embedding"))}
    for name, (table, props) in sets.items():
        features[name] = (scorer.embed(table["text"].tolist()), side_scores(table, props, scorer, "embedding"))
    dev = dev_set(config.get("context", "none"))
    premises = dev["premise"].tolist()
    features["dev"] = (scorer.embed(premises), raw_label_scores(scorer, premises, config)[:, :3])

    results = {}
    for kind in ("embedding", "embedding_and_side_cosines"):

        def x(name: str, kind: str = kind) -> np.ndarray:
            vectors, cosines = features[name]
            return vectors if kind == "embedding" else np.column_stack([vectors, cosines])

        head = LogisticRegression(C=1.0, class_weight="balanced", max_iter=5000).fit(x("train"), train["label"])
        classes = list(head.classes_)
        row = {}
        gold, seed = dev["label"].to_numpy(), (dev["source"] == SEED).to_numpy()
        predicted, proba = head.predict(x("dev")), head.predict_proba(x("dev"))
        none = np.zeros(len(gold), dtype=bool)
        row["dev"] = {
            **metrics(gold, predicted, proba, classes, none),
            "macro_f1_seed": round(label_metrics(list(gold[seed]), list(predicted[seed]), NAMES)[1], 4),
            "macro_f1_other": round(label_metrics(list(gold[~seed]), list(predicted[~seed]), NAMES)[1], 4),
        }
        for name, (table, _) in sets.items():
            events = table["kind"].isin(["event", "denial"]).to_numpy()
            row[name] = metrics(
                table["label"].to_numpy(), head.predict(x(name)), head.predict_proba(x(name)), classes, events
            )
        results[kind] = row
        print(kind, json.dumps({k: v["macro_f1"] for k, v in row.items()}), flush=True)
    out = {
        "head": "LogisticRegression(C=1.0, class_weight='balanced')",
        "n_train": len(train),
        "train_folders": TRAIN,
        "heldout_debates": held,
        "embedding_model": scorer.fingerprint(),
        "results": results,
    }
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
