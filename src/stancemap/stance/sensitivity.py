"""Sensitivity to the wording of hypotheses: how many statements change label when each label is described by a
single phrasing instead of all of them.

Variant ``phrasing k`` keeps only the k-th hypothesis of every label (a label with fewer phrasings keeps its last
one); variant ``configured`` is the run's own rule (all phrasings, ``aggregate``). A statement is *fragile* when its
label differs between any two variants. Scores come from the prediction cache, so this costs little once the
article is classified.

Outputs: ``labels`` (``statement_id``, one label column per variant, ``changed``) and ``shares`` (``variant, label,
n, share``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..columns import STATEMENT_COLUMNS
from ..io import read_table, write_csv
from ..models import Scorer, load_scorer
from .classify import label_statements, load_direction_scorer, premises

CONFIGURED = "configured"


def variants(config: dict) -> dict[str, dict]:
    """Config copies, one per phrasing index, plus the configured one (the two-step labeller's direction
    hypotheses are varied the same way)."""
    two_step = config.get("labeller", "direct") == "two_step"
    lists = [spec["hypotheses"] for spec in config["labels"].values()]
    if two_step:
        lists += list(config["direction"]["hypotheses"].values())
    out = {}
    for k in range(max(len(hs) for hs in lists)):
        labels = {
            name: {**spec, "hypotheses": [spec["hypotheses"][min(k, len(spec["hypotheses"]) - 1)]]}
            for name, spec in config["labels"].items()
        }
        variant = {**config, "labels": labels}
        if two_step:
            variant["direction"] = {
                **config["direction"],
                "hypotheses": {
                    name: [hs[min(k, len(hs) - 1)]] for name, hs in config["direction"]["hypotheses"].items()
                },
            }
        out[f"phrasing {k + 1}"] = variant
    out[CONFIGURED] = config
    return out


def label_variants(
    statements: pd.DataFrame, scorer: Scorer, config: dict, direction_scorer: Scorer | None = None
) -> pd.DataFrame:
    table = statements[["article", "statement_id"]].copy()
    texts = premises(statements, config.get("context", "none"))
    configs = variants(config)
    for name, variant in configs.items():
        table[name] = label_statements(texts, scorer, variant, direction_scorer=direction_scorer)["label"].to_numpy()
    table["changed"] = table[list(configs)].nunique(axis=1) > 1
    return table


def sensitivity_file(
    statements_csv: str | Path, labels_csv: str | Path, config: dict, *, scorer: Scorer | None = None
) -> pd.DataFrame:
    """Label every statement under each single phrasing of the hypotheses and write ``sensitivity_labels.csv``
    (one column per phrasing, ``changed`` where they disagree). Tables and figures are the report's
    (:mod:`stancemap.report.sensitivity`)."""
    statements = read_table(statements_csv, STATEMENT_COLUMNS)
    scorer = scorer or load_scorer(config["model"])
    labels = label_variants(statements, scorer, config, load_direction_scorer(config))
    write_csv(labels_csv, labels)
    return labels
