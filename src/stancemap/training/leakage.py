"""Leakage check for statements we write or label for training: how close each one comes to a statement we evaluate
on. Used by ``data/synthetic/build.py`` and ``data/news/build.py``; a statement above the bound is dropped there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: A training statement whose embedding cosine with any evaluation statement exceeds this is dropped.
MAX_COSINE = 0.85


def evaluation_statements(root: Path) -> pd.DataFrame:
    """``source, text`` of every statement we evaluate on: the development set (``data/dev/statements.csv``) and the
    hand-labelled statements of every article in ``data/gold/``."""
    return pd.concat(
        [
            pd.read_csv(root / "data/dev/statements.csv", dtype=str)[["source", "text"]],
            *[
                pd.read_csv(p, dtype=str)[["text"]].assign(source=p.stem)
                for p in sorted((root / "data/gold").glob("*.csv"))
            ],
        ],
        ignore_index=True,
    )


def nearest_evaluation(
    statements: pd.DataFrame, vectors: np.ndarray, evaluation: pd.DataFrame, held: np.ndarray
) -> pd.DataFrame:
    """``debate, text, max_cosine, nearest_source, nearest_text, kept``, one row per statement (rows of ``vectors``:
    its unit embeddings), against the evaluation statements (rows of ``held``)."""
    cosine = vectors @ held.T
    nearest = cosine.argmax(axis=1)
    leakage = pd.DataFrame(
        {
            "debate": statements["debate"].to_numpy(),
            "text": statements["text"].to_numpy(),
            "max_cosine": cosine.max(axis=1).round(4),
            "nearest_source": evaluation["source"].to_numpy()[nearest],
            "nearest_text": evaluation["text"].to_numpy()[nearest],
        }
    )
    leakage["kept"] = leakage["max_cosine"] <= MAX_COSINE
    return leakage
