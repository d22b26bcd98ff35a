"""Tables for one article, each written as CSV (for analysis) and Markdown (for reading).

- ``label_summary``: ``label, n, share, ci_low, ci_high, mean_confidence``; one row per label incl. ``none``,
  shares with bootstrap intervals (:mod:`stancemap.report.stats`).
- ``top_statements``: ``label, rank, statement_id, confidence, text``; the ``top_n`` most confident statements of
  each stance label (``none`` left out: its most confident statements are the least interesting).
- ``stance_by_speaker``: ``speaker, n, <label>…``; statements per speaker and label (see :func:`stance_by_speaker`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..columns import NARRATOR, NONE, STANCE_COLUMNS
from ..io import read_table, write_csv, write_text
from .stats import bootstrap_shares


def label_summary(stances: pd.DataFrame, names: list[str], *, resamples: int, seed: int, level: float) -> pd.DataFrame:
    summary = bootstrap_shares(stances["label"], names, resamples=resamples, seed=seed, level=level)
    mean_conf = stances.groupby("label")["confidence"].mean()
    summary["mean_confidence"] = summary["label"].map(mean_conf)
    return summary


def top_statements(stances: pd.DataFrame, names: list[str], top_n: int) -> pd.DataFrame:
    rows = []
    for name in names:
        if name == NONE:
            continue
        best = stances[stances["label"] == name].sort_values(["confidence", "statement_id"], ascending=[False, True])
        for rank, row in enumerate(best.head(top_n).itertuples(), start=1):
            rows.append((name, rank, row.statement_id, row.confidence, row.text))
    return pd.DataFrame(rows, columns=["label", "rank", "statement_id", "confidence", "text"])


def to_markdown(df: pd.DataFrame, title: str) -> str:
    return f"# {title}\n\n{df.to_markdown(index=False, floatfmt='.3f')}\n"


def to_latex(df: pd.DataFrame, caption: str) -> str:
    """A ``booktabs`` table (``\\toprule``, ``\\midrule``, ``\\bottomrule``) with LaTeX special characters escaped."""
    styler = df.style.format(precision=3, escape="latex", na_rep="").hide(axis="index")
    styler = styler.format_index(escape="latex", axis=1)
    return styler.to_latex(hrules=True, caption=caption.replace("_", "\\_").replace("%", "\\%"), position="htbp")


def write_table(df: pd.DataFrame, title: str, *paths: str | Path) -> None:
    """Write ``df`` to each path in the format its suffix names: ``.csv``, ``.md`` (with ``title``) or ``.tex``
    (with the title's first line as caption). The paths are the rule's declared outputs: no name is chosen here."""
    writers = {
        ".csv": lambda p: write_csv(p, df),
        ".md": lambda p: write_text(p, to_markdown(df, title)),
        ".tex": lambda p: write_text(p, to_latex(df, title.split("\n")[0])),
    }
    for path in paths:
        suffix = Path(path).suffix
        if suffix not in writers:
            raise ValueError(f"{path}: a table is written as .csv, .md or .tex, not {suffix!r}")
        writers[suffix](path)


def write_article_tables(
    stances_csv: str | Path,
    out: Mapping[str, str],
    names: list[str],
    *,
    resamples: int,
    seed: int,
    level: float,
    top_n: int,
) -> None:
    """Write one article's tables to the paths in ``out`` (keys ``summary``, ``summary_md``, ``top``, ``top_md``,
    ``speakers``, ``speakers_md``: the rule's named outputs)."""
    stances = read_table(stances_csv, STANCE_COLUMNS)
    article = stances["article"].iloc[0] if len(stances) else Path(stances_csv).parent.name
    summary = label_summary(stances, names, resamples=resamples, seed=seed, level=level)
    write_table(
        summary,
        f"Stance labels in {article} (n = {len(stances)} statements, {level:.0%} bootstrap intervals)",
        out["summary"],
        out["summary_md"],
    )
    write_table(
        top_statements(stances, names, top_n),
        f"Most confident statements per label in {article}",
        out["top"],
        out["top_md"],
    )
    write_table(
        stance_by_speaker(stances, names),
        f"Statements per speaker and label in {article} (speakers from quotes and attributions)",
        out["speakers"],
        out["speakers_md"],
    )


def stance_by_speaker(stances: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """``speaker, n, <label>…``: statement counts per speaker and label, most frequent speakers first.

    Statements without a speaker are the narrator's (``(narrator)``). Empty when the table has no speaker column
    (speakers turned off in the config).
    """
    if "speaker" not in stances.columns:
        return pd.DataFrame(columns=["speaker", "n", *names])
    speaker = stances["speaker"].fillna("").replace("", NARRATOR).rename("speaker")
    counts = pd.crosstab(speaker, stances["label"]).reindex(columns=names, fill_value=0)
    counts.insert(0, "n", counts.sum(axis=1))
    counts = counts.reset_index()
    counts.columns = ["speaker", "n", *names]
    return counts.sort_values(["n", "speaker"], ascending=[False, True], kind="stable").reset_index(drop=True)
