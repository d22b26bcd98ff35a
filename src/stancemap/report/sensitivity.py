"""How fragile the labels are to the wording of the hypotheses: shares under each phrasing, as tables (the figure is
drawn with the article's other figures, :func:`stancemap.report.plots.write_article_figures`).

Reads ``sensitivity_labels.csv`` (:func:`stancemap.stance.sensitivity.sensitivity_file`): one label column per
phrasing of the hypotheses, plus ``changed``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..columns import SENSITIVITY_COLUMNS, VARIANT_SHARE_COLUMNS
from ..io import read_table
from .tables import declared, write_table


def variant_shares(labels: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    columns = [c for c in labels.columns if c not in ("article", "statement_id", "changed")]
    rows = []
    for variant in columns:
        counts = labels[variant].value_counts()
        for name in names:
            n = int(counts.get(name, 0))
            rows.append((variant, name, n, n / len(labels) if len(labels) else float("nan")))
    return pd.DataFrame(rows, columns=VARIANT_SHARE_COLUMNS)


def summarise_sensitivity(labels_csv: str | Path, out: Mapping[str, str], names: list[str]) -> pd.DataFrame:
    """Write the shares under each phrasing (``table``, ``table_md``, ``table_html``) and every statement's label
    under each (``labels_html``)."""
    labels = read_table(labels_csv, SENSITIVITY_COLUMNS)
    shares = variant_shares(labels, names)
    article = Path(labels_csv).parent.name
    n_changed = int(labels["changed"].sum())
    write_table(
        shares,
        f"{article}: label shares under each phrasing of the hypotheses "
        f"({n_changed} of {len(labels)} statements change label across phrasings)",
        out["table"],
        out["table_md"],
        *declared(out, "table_html"),
    )
    if "labels_html" in out:
        write_table(
            labels,
            f"Label of every statement under each phrasing of the hypotheses ({article})\n"
            "changed: the label differs between phrasings",
            out["labels_html"],
        )
    return shares
