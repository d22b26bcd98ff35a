"""Draw the statements a person codes by hand: a seeded simple random sample, across the corpus or per group.

The sample file (``data/validation/sample.csv``) has columns ``article, statement_id, text, context, label`` with
``label`` empty, and nothing of the model's (no label, no score): a coder who sees the model's answer tends to
agree with it. ``context`` is the statement's paragraph, which the codebook asks coders to read.

Rows are in the order drawn (a seeded random permutation), so the first ``k`` rows are themselves a simple random
sample: a coder who stops early still leaves a valid sample, and a larger ``sample_size`` only appends rows.
Drawing again never loses an entered label: labels (``label`` and any ``label_<coder>`` column) are carried over
to the same statements, and a draw that would drop a labelled statement, or whose text changed, is refused.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from ..columns import STATEMENT_COLUMNS
from ..io import InputError, read_table, write_csv

log = logging.getLogger(__name__)

#: ``data/validation/sample.csv``; a second coder adds ``label_<coder>``.
SAMPLE_COLUMNS = ["article", "statement_id", "text", "context", "label"]
#: The stratum of articles the sheet gives no group.
NO_GROUP = "(no group)"


def label_columns(columns) -> list[str]:
    """The coders' label columns of a sample file: ``label`` and ``label_<coder>``."""
    return [c for c in columns if c == "label" or str(c).startswith("label_")]


def with_context(statements: pd.DataFrame) -> pd.DataFrame:
    """The statements with ``context``: every statement of the same paragraph, in order, joined by spaces."""
    paragraphs = statements.groupby(["article", "paragraph"], sort=False)["text"].transform(lambda t: " ".join(t))
    return statements.assign(context=paragraphs)


def draw(statements: pd.DataFrame, size: int, seed: int, groups: pd.Series | None = None) -> pd.DataFrame:
    """``size`` statements drawn at random without replacement (all of them if there are fewer), or ``size`` per
    group when ``groups`` (the group of each statement's article) is given.

    The order of ``statements`` does not matter: they are sorted first, so the same corpus and seed give the
    same sample. With groups, rows alternate between groups in draw order, so any prefix is balanced.
    """
    order = statements.assign(_group=groups.to_numpy() if groups is not None else "")
    order = order.sort_values(["article", "statement_id"], kind="stable").reset_index(drop=True)
    rng = np.random.default_rng(seed)
    order["_rank"] = -1
    for _, index in sorted(order.groupby("_group").groups.items()):
        ranks = rng.permutation(len(index))
        order.loc[index, "_rank"] = ranks
    picked = order[order["_rank"] < size].sort_values(["_rank", "_group"], kind="stable")
    return picked.drop(columns=["_rank", "_group"]).reset_index(drop=True)


def read_sample(path: str | Path) -> pd.DataFrame:
    """A sample file as text (nothing converted, so a save writes back exactly what was read)."""
    try:
        sample = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot be read as CSV ({err})") from None
    missing = [c for c in SAMPLE_COLUMNS if c not in sample.columns]
    if missing:
        raise InputError(f"{path}: missing columns {missing}; a sample file has {', '.join(SAMPLE_COLUMNS)}")
    return sample


def keep_labels(new: pd.DataFrame, old: pd.DataFrame, source: str) -> pd.DataFrame:
    """``new`` with the labels entered in ``old`` carried over; an :class:`InputError` if any would be lost."""
    coded = old[old[label_columns(old.columns)].ne("").any(axis=1)]
    keys = list(zip(new["article"], new["statement_id"]))
    text_of = dict(zip(keys, new["text"]))
    lost = [
        line
        for line, article, statement, text in zip(
            coded.index + 2, coded["article"], coded["statement_id"], coded["text"]
        )
        if text_of.get((article, statement)) != text
    ]
    if lost:
        raise InputError(
            f"{source}: lines {lost[:10]} hold labels for statements that a new draw would drop or whose text has "
            "changed; nothing was written. Rename the file to keep it and draw a new sample, or restore the "
            "validation settings (sample_size, seed, by_group) and the articles it was drawn from."
        )
    for column in label_columns(old.columns):
        values = dict(zip(zip(old["article"], old["statement_id"]), old[column]))
        new[column] = [values.get(k, "") for k in keys]
    return new


def draw_sample(
    statement_csvs: list[str | Path],
    out_csv: str | Path,
    *,
    sample_size: int,
    seed: int,
    by_group: bool = False,
    articles_sheet: str | Path | None = None,
) -> pd.DataFrame:
    """Write the sample to code to ``out_csv`` (see the module docstring), keeping labels already in it."""
    from ..report.compare import read_articles_sheet

    tables = [read_table(p, STATEMENT_COLUMNS) for p in statement_csvs]
    statements = pd.concat([with_context(t) for t in tables if len(t)], ignore_index=True) if tables else None
    if statements is None or statements.empty:
        raise InputError("no statements to sample from: run the workflow first (snakemake --cores 4)")
    groups = None
    if by_group:
        sheet = read_articles_sheet(articles_sheet, sorted(statements["article"].unique()))
        if "group" not in sheet.columns:
            raise InputError(
                f"validation.by_group is true but {articles_sheet or 'the articles sheet'} has no group column"
            )
        group_of = dict(zip(sheet["article"], sheet["group"].replace("", NO_GROUP)))
        groups = statements["article"].map(group_of)
    sample = draw(statements, sample_size, seed, groups)
    sample = sample.astype({"statement_id": int}).astype({"statement_id": str})[SAMPLE_COLUMNS[:-1]]
    sample = sample.assign(label="")
    if Path(out_csv).exists():
        sample = keep_labels(sample, read_sample(out_csv), str(out_csv))
    write_csv(out_csv, sample)
    n_coded = int(sample[label_columns(sample.columns)].ne("").any(axis=1).sum())
    log.info("drew %d of %d statements (%d already coded) into %s", len(sample), len(statements), n_coded, out_csv)
    return sample
