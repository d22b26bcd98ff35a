"""Evaluation on labelled (text, hypothesis) pairs: NLI test sets and stance benchmarks such as Perspectrum.

Input CSV columns: ``text, hypothesis, label`` with label one of entailment / neutral / contradiction.

How each backend predicts a pair's class:

- ``nli`` and ``onnx``: the most probable of the three classes. For a stance benchmark (gold only entailment and
  contradiction) ``macro_f1_forced`` also decides each pair by the larger of P(entailment) and P(contradiction),
  the usual way such benchmarks are scored.
- ``embedding``: a similarity has no direction, so it can only say "related" or not: entailment when the cosine
  similarity reaches ``threshold`` (the config's ``none.threshold``), otherwise neutral. It never predicts
  contradiction, and ``macro_f1_forced`` is ``null`` for it, with the reason.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from ..columns import NLI_CLASSES, PAIR_COLUMNS
from ..io import InputError, read_table


def read_pairs(path: str | Path) -> pd.DataFrame:
    pairs = read_table(path, PAIR_COLUMNS)
    pairs["label"] = pairs["label"].astype(str).str.strip().str.lower()
    unknown = sorted(set(pairs["label"]) - set(NLI_CLASSES))
    if unknown:
        raise InputError(f"{path}: labels {unknown} are not one of {', '.join(NLI_CLASSES)}")
    if pairs[["text", "hypothesis"]].isna().any().any():
        raise InputError(f"{path}: some rows have an empty text or hypothesis")
    return pairs


def evaluate_pairs(pairs: pd.DataFrame, scorer, *, threshold: float) -> dict:
    """Metrics of ``scorer`` on ``pairs`` (see the module docstring for how each backend predicts)."""
    texts, hyps = pairs["text"].astype(str).tolist(), pairs["hypothesis"].astype(str).tolist()
    gold = pairs["label"].to_numpy()
    present = [c for c in NLI_CLASSES if c in set(gold)]
    started = time.perf_counter()
    forced, reason = None, None
    if hasattr(scorer, "pair_probabilities"):
        probs = scorer.pair_probabilities(texts, hyps)
        predicted = np.array(NLI_CLASSES)[probs.argmax(axis=1)]
        forced_pred = np.where(probs[:, 0] >= probs[:, 2], "entailment", "contradiction")
    else:
        similarity = scorer.score_pairs(texts, hyps)
        predicted = np.where(similarity >= threshold, "entailment", "neutral")
        forced_pred = None
        reason = "a similarity score has no direction: the embedding backend cannot choose between the two"
    seconds = time.perf_counter() - started
    stance_only = set(present) <= {"entailment", "contradiction"}
    if stance_only and forced_pred is not None:
        forced = float(f1_score(gold, forced_pred, labels=present, average="macro", zero_division=0))
    return {
        "n": len(pairs),
        "accuracy": float(accuracy_score(gold, predicted)),
        "macro_f1": float(f1_score(gold, predicted, labels=present, average="macro", zero_division=0)),
        "macro_f1_labels": present,
        "macro_f1_forced": forced if stance_only else None,
        **({"macro_f1_forced_reason": reason} if stance_only and reason else {}),
        "confusion_matrix": {
            "labels": list(NLI_CLASSES),
            "rows_gold_columns_predicted": confusion_matrix(gold, predicted, labels=NLI_CLASSES).tolist(),
        },
        "pairs_per_second": len(pairs) / max(seconds, 1e-9),
        "model": scorer.fingerprint(),
    }


def format_metrics(metrics: dict) -> str:
    """A short table for the terminal."""
    lines = [
        f"pairs            {metrics['n']}",
        f"accuracy         {metrics['accuracy']:.3f}",
        f"macro-F1         {metrics['macro_f1']:.3f}  (over {', '.join(metrics['macro_f1_labels'])})",
    ]
    if "macro_f1_forced" in metrics and metrics["macro_f1_forced"] is not None:
        lines.append(f"macro-F1 forced  {metrics['macro_f1_forced']:.3f}  (entailment vs contradiction)")
    elif metrics.get("macro_f1_forced_reason"):
        lines.append(f"macro-F1 forced  n/a: {metrics['macro_f1_forced_reason']}")
    matrix = metrics["confusion_matrix"]
    lines.append("confusion (rows gold, columns predicted: " + ", ".join(matrix["labels"]) + ")")
    for name, row in zip(matrix["labels"], matrix["rows_gold_columns_predicted"]):
        lines.append(f"  {name:<14} " + " ".join(f"{v:>6}" for v in row))
    return "\n".join(lines)
