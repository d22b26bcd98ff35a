"""Classify: give every statement a stance label, a confidence and one score per label.

How scores become labels (the same for every backend):

1. Each label has several hypotheses (paraphrases). A statement's raw score for a label is the largest
   (``aggregate: max``) or the mean (``aggregate: mean``) of its scores against that label's hypotheses.
2. ``none`` competes as one more label. With ``none.strategy: threshold`` its raw score is the constant
   ``none.threshold``, so a statement is ``none`` exactly when no label scores above the threshold. With
   ``none.strategy: hypothesis`` its raw score comes from ``none.hypotheses`` like any other label.
3. The raw scores go through a softmax with ``temperature``; ``score_<label>`` are those shares (they sum to 1),
   ``label`` is the largest and ``confidence`` its share. They order statements by how clearly one label wins;
   they are not calibrated probabilities (see the evaluation's reliability diagram for how far they are).

Output columns: the statement columns, then ``label``, ``confidence`` and ``score_<label>`` for each label and
``none``.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .cache import score_matrix
from .io import InputError, read_table, write_csv, write_json
from .models import Scorer, load_scorer
from .provenance import provenance
from .segment import STATEMENT_COLUMNS

NONE = "none"

log = logging.getLogger(__name__)


def label_names(config: dict) -> list[str]:
    """The configured labels in config order, then ``none``."""
    return [*config["labels"], NONE]


def hypothesis_groups(config: dict) -> dict[str, list[str]]:
    """The hypotheses the model scores, per label; ``none`` has its own only with ``strategy: hypothesis``."""
    groups = {name: spec["hypotheses"] for name, spec in config["labels"].items()}
    if config["none"]["strategy"] == "hypothesis":
        groups[NONE] = config["none"]["hypotheses"]
    return groups


def raw_label_scores(scorer: Scorer, statements: list[str], config: dict, stats: dict | None = None) -> np.ndarray:
    """Raw score per (statement, label), labels in :func:`label_names` order."""
    groups = hypothesis_groups(config)
    none = config["none"]
    hypotheses = [h for hs in groups.values() for h in hs]
    pair_scores = score_matrix(scorer, statements, hypotheses, config.get("cache_dir") or None, stats)
    reduce = np.max if config["aggregate"] == "max" else np.mean
    columns, pos = [], 0
    for hs in groups.values():
        columns.append(reduce(pair_scores[:, pos : pos + len(hs)], axis=1))
        pos += len(hs)
    if none["strategy"] == "threshold":
        columns.append(np.full(len(statements), float(none["threshold"])))
    return np.stack(columns, axis=1) if statements else np.zeros((0, len(label_names(config))))


def decide(raw: np.ndarray, names: list[str], temperature: float) -> pd.DataFrame:
    """Turn raw scores into ``label``, ``confidence`` and ``score_<label>`` columns."""
    z = raw / temperature
    z = np.exp(z - z.max(axis=1, keepdims=True))
    shares = z / z.sum(axis=1, keepdims=True)
    best = shares.argmax(axis=1)
    out = pd.DataFrame({"label": [names[i] for i in best], "confidence": shares.max(axis=1) if len(raw) else []})
    for i, name in enumerate(names):
        out[f"score_{name}"] = shares[:, i]
    return out


def premises(statements: pd.DataFrame, context: str = "none") -> list[str]:
    """The text the model reads for each statement.

    ``none``: the statement alone. ``previous``: the previous statement of the same paragraph, then the statement
    ("Biden agreed." means little alone). ``quote``: all sentences of the statement's direct quotation (its
    ``quote_id``), the statement alone when it is not in one.
    """
    texts = statements["text"].tolist()
    if context == "previous":
        out = []
        for i, (text, paragraph) in enumerate(zip(texts, statements["paragraph"])):
            same = i > 0 and statements["paragraph"].iloc[i - 1] == paragraph
            out.append(f"{texts[i - 1]} {text}" if same else text)
        return out
    if context == "quote" and "quote_id" in statements.columns:
        ids = statements["quote_id"].fillna("").astype(str)
        joined = {q: " ".join(t for t, i in zip(texts, ids) if i == q) for q in set(ids) if q}
        return [joined[q] if q else t for t, q in zip(texts, ids)]
    return texts


def classify_statements(statements: pd.DataFrame, scorer: Scorer, config: dict, stats: dict | None = None
                        ) -> pd.DataFrame:
    """Add the label columns to a statements table."""
    raw = raw_label_scores(scorer, premises(statements, config.get("context", "none")), config, stats)
    decided = decide(raw, label_names(config), config["temperature"])
    return pd.concat([statements.reset_index(drop=True), decided], axis=1)


def classify_file(statements_csv: str | Path, out_csv: str | Path, run_json: str | Path, config: dict,
                  *, scorer: Scorer | None = None, inputs: dict[str, str] | None = None) -> pd.DataFrame:
    """Classify one article's ``statements.csv`` into ``stances.csv`` and record provenance in ``run.json``.

    ``config`` is the workflow config (labels, none, aggregate, temperature, model); ``inputs`` maps names to
    input files whose sha256 goes into ``run.json``.
    """
    statements = read_table(statements_csv, STATEMENT_COLUMNS)
    if statements.empty:
        raise InputError(f"{statements_csv}: no statements to classify")
    scorer = scorer or load_scorer(config["model"])
    started = time.perf_counter()
    stats: dict = {}
    table = classify_statements(statements, scorer, config, stats)
    seconds = time.perf_counter() - started
    hypotheses = [h for hs in hypothesis_groups(config).values() for h in hs]
    truncated = scorer.truncated(premises(statements, config.get("context", "none")), hypotheses)
    if truncated:
        log.warning("%d statements are longer than model.max_length and were cut (statement side only)", truncated)
    log.info("labels: %s", table["label"].value_counts().to_dict())
    log.info("%s: %d statements, %d pairs in %.2f s: %.1f pairs/s; cache hits %d, computed %d", statements_csv,
             len(table), stats["pairs"], seconds, stats["pairs"] / max(seconds, 1e-9), stats["hits"],
             stats["computed"])
    write_csv(out_csv, table)
    write_json(run_json, provenance(config, scorer, {"statements": str(statements_csv), **(inputs or {})},
                                    n_statements=len(table), truncated=truncated))
    return table
