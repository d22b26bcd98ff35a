"""Evaluation against gold labels.

Gold for an article is ``data/gold/{article}.csv`` with columns ``start, end, label`` (optional ``speaker``; other
columns such as ``text`` are kept for reading). Gold rows are matched to predicted statements by character overlap
in ``text.txt``, so gold made with another segmentation still evaluates: each gold span takes the label of the
statement that overlaps it most.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from .io import InputError

GOLD_COLUMNS = ["start", "end", "label"]


def match_gold(stances: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Gold rows with the best-overlapping statement's ``statement_id``, ``predicted`` label and ``confidence``.

    Gold rows that overlap no statement get ``statement_id`` -1 and predicted ``none``.
    """
    s_start, s_end = stances["start"].to_numpy(), stances["end"].to_numpy()
    ids, predicted, confidence = [], [], []
    for g_start, g_end in gold[["start", "end"]].itertuples(index=False):
        overlap = np.minimum(s_end, g_end) - np.maximum(s_start, g_start)
        best = int(overlap.argmax()) if len(overlap) else -1
        if best < 0 or overlap[best] <= 0:
            ids.append(-1), predicted.append("none"), confidence.append(np.nan)
        else:
            row = stances.iloc[best]
            ids.append(int(row["statement_id"])), predicted.append(row["label"]), confidence.append(row["confidence"])
    return gold.assign(statement_id=ids, predicted=predicted, confidence=confidence)


def check_gold(gold: pd.DataFrame, names: list[str], source: str) -> None:
    missing = [c for c in GOLD_COLUMNS if c not in gold.columns]
    if missing:
        raise InputError(f"{source}: gold file lacks columns {missing}")
    unknown = sorted(set(gold["label"]) - set(names))
    if unknown:
        raise InputError(f"{source}: gold labels {unknown} are not configured labels ({', '.join(names)})")


def label_metrics(y_true: list[str], y_pred: list[str], names: list[str]) -> tuple[pd.DataFrame, float, pd.DataFrame]:
    """Per-label precision/recall/F1/support, macro-F1 over ``names``, and the confusion matrix (rows = gold)."""
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=names, zero_division=0)
    per_label = pd.DataFrame({"label": names, "precision": p, "recall": r, "f1": f, "support": s})
    matrix = pd.DataFrame(confusion_matrix(y_true, y_pred, labels=names), index=names, columns=names)
    return per_label, float(np.mean(f)), matrix


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> tuple[float, pd.DataFrame]:
    """ECE over equal-width confidence bins, and the per-bin table behind a reliability diagram."""
    confidence, correct = np.asarray(confidence, float), np.asarray(correct, float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    rows, ece = [], 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            gap = abs(correct[mask].mean() - confidence[mask].mean())
            ece += mask.mean() * gap
            rows.append((edges[b], edges[b + 1], int(mask.sum()), confidence[mask].mean(), correct[mask].mean()))
    return float(ece), pd.DataFrame(rows, columns=["bin_low", "bin_high", "n", "mean_confidence", "accuracy"])
