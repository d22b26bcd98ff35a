"""Evaluation against gold labels.

Gold for an article is ``data/gold/{article}.csv`` with columns ``start, end, label`` (optional ``speaker``; other
columns such as ``text`` are kept for reading). Gold rows are matched to predicted statements by character overlap
in ``text.txt``, so gold made with another segmentation still evaluates: each gold span takes the label of the
statement that overlaps it most.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from ..columns import GOLD_COLUMNS, STANCE_COLUMNS
from ..io import InputError, read_table, write_json
from .plots import confusion_figure, reliability_figure, save
from .tables import declared, write_table


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


def gold_statements(statements: pd.DataFrame, gold_csv: str | Path) -> pd.DataFrame:
    """``statements`` with a ``gold`` column: the label of the gold span that overlaps each most (NaN where none
    does). For benchmarks that score statements against hand labels without running the workflow (statements
    from :func:`stancemap.text.segment.statements_from_raw`)."""
    matched = match_gold(statements.assign(label="none", confidence=1.0), pd.read_csv(gold_csv))
    matched = matched[matched["statement_id"] >= 0]
    gold = pd.Series(matched["label"].to_numpy(), index=matched["statement_id"]).reindex(statements["statement_id"])
    return statements.assign(gold=gold.to_numpy())


def check_gold(gold: pd.DataFrame, names: list[str], source: str) -> pd.DataFrame:
    """The gold table with integer offsets; an :class:`InputError` naming the rows for anything unusable."""
    missing = [c for c in GOLD_COLUMNS if c not in gold.columns]
    if missing:
        raise InputError(f"{source}: gold file lacks columns {missing}")
    offsets = gold[["start", "end"]].apply(pd.to_numeric, errors="coerce")
    bad = offsets.isna().any(axis=1) | (offsets["end"] <= offsets["start"])
    if bad.any():
        rows = [i + 2 for i in gold.index[bad][:10]]  # file line numbers (header is line 1)
        raise InputError(f"{source}: start/end must be whole numbers with start < end; see lines {rows}")
    gold = gold.assign(start=offsets["start"].astype(int), end=offsets["end"].astype(int))
    unknown = sorted(set(gold["label"]) - set(names))
    if unknown:
        raise InputError(f"{source}: gold labels {unknown} are not configured labels ({', '.join(names)})")
    return gold


def label_metrics(y_true: list[str], y_pred: list[str], names: list[str]) -> tuple[pd.DataFrame, float, pd.DataFrame]:
    """Per-label precision/recall/F1/support, macro-F1, and the confusion matrix (rows = gold).

    Macro-F1 averages over the labels that occur in the gold or the predictions: a label absent from both has no
    F1 to speak of and would pull the average down with a 0.
    """
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=names, zero_division=0)
    per_label = pd.DataFrame({"label": names, "precision": p, "recall": r, "f1": f, "support": s})
    matrix = pd.DataFrame(confusion_matrix(y_true, y_pred, labels=names), index=names, columns=names)
    occurring = [i for i, n in enumerate(names) if n in set(y_true) | set(y_pred)]
    return per_label, float(np.mean(f[occurring])), matrix  # scikit-learn refuses empty inputs: one label occurs


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, bins: int = 10
) -> tuple[float, pd.DataFrame]:
    """ECE over equal-width confidence bins, and the per-bin table behind a reliability diagram."""
    confidence, correct = np.asarray(confidence, float), np.asarray(correct, float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.digitize(confidence, edges[1:-1])  # 0 … bins - 1: the inner edges only, so 1.0 is in the last bin
    rows, ece = [], 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            gap = abs(correct[mask].mean() - confidence[mask].mean())
            ece += mask.mean() * gap
            rows.append((edges[b], edges[b + 1], int(mask.sum()), confidence[mask].mean(), correct[mask].mean()))
    return float(ece), pd.DataFrame(rows, columns=["bin_low", "bin_high", "n", "mean_confidence", "accuracy"])


def metrics_table(metrics: dict) -> pd.DataFrame:
    """``key, value`` rows of the metrics' top-level numbers and strings (floats to 3 decimals), for reading."""
    rows = [
        (k, f"{v:.3f}" if isinstance(v, float) else str(v))
        for k, v in metrics.items()
        if isinstance(v, (str, int, float))
    ]
    return pd.DataFrame(rows, columns=["key", "value"])


def evaluate_article(stances_csv: str | Path, gold_csv: str | Path, out: Mapping[str, str], names: list[str]) -> dict:
    """Compare one article's labels with its gold file; write metrics, tables and figures to the paths in ``out``
    (the rule's named outputs).

    ``metrics`` (JSON: n, accuracy, macro_f1, ece, per-label metrics, confusion matrix), ``per_label`` and
    ``per_label_md``, ``matched`` (every gold span with its predicted label), ``confusion`` and ``confusion_svg``,
    ``reliability`` and ``reliability_svg``.
    """
    stances = read_table(stances_csv, STANCE_COLUMNS)
    try:
        gold = pd.read_csv(gold_csv, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise InputError(f"{gold_csv}: cannot be read as CSV ({err})") from None
    gold = check_gold(gold, names, str(gold_csv))
    matched = match_gold(stances, gold)
    # Gold spans that overlap no statement (boilerplate the pipeline removed, say) are counted, not scored.
    hit = matched["statement_id"] >= 0
    if not hit.any():
        raise InputError(
            f"{gold_csv}: no gold span overlaps a statement of {stances_csv}; are the offsets for "
            "this version of the article's text.txt?"
        )
    scored = matched[hit]
    per_label, macro_f1, matrix = label_metrics(scored["label"].tolist(), scored["predicted"].tolist(), names)
    correct = (scored["label"] == scored["predicted"]).to_numpy()
    ece, bins = expected_calibration_error(scored["confidence"].to_numpy(), correct)
    article = Path(stances_csv).parent.name
    metrics = {
        "article": article,
        "n_gold": len(gold),
        "n_unmatched": int((~hit).sum()),
        "n_scored": int(hit.sum()),
        "accuracy": float(correct.mean()),
        "macro_f1": macro_f1,
        "ece": ece,
        "per_label": per_label.to_dict(orient="records"),
        "confusion_matrix": {"labels": names, "rows_gold_columns_predicted": matrix.to_numpy().tolist()},
    }
    write_json(out["metrics"], metrics)
    write_table(
        per_label,
        f"{article}: labels against gold (n = {int(hit.sum())} matched of {len(gold)}, "
        f"accuracy {metrics['accuracy']:.3f}, "
        f"macro-F1 {macro_f1:.3f}, ECE {ece:.3f})",
        out["per_label"],
        out["per_label_md"],
        *declared(out, "per_label_html"),
    )
    write_table(
        matched,
        f"{article}: every gold span with the label it got\n"
        "label: the hand label; predicted: the label of the statement that overlaps it most "
        "(statement_id -1: no statement overlaps it, counted but not scored)",
        out["matched"],
        *declared(out, "matched_html"),
    )
    if "metrics_html" in out:
        write_table(metrics_table(metrics), f"{article}: labels against the hand labels (gold)", out["metrics_html"])
    save(confusion_figure(matrix, article), out["confusion"], out["confusion_svg"])
    save(reliability_figure(bins, ece, article), out["reliability"], out["reliability_svg"])
    return metrics
