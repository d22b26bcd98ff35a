"""Read a coded file: ``data/validation/labels.csv``.

Two layouts are accepted, so that the coded sample can be used as it is (``cp sample.csv labels.csv``):

- long: ``article, statement_id, label`` and, with more than one coder, ``coder``: one row per label given;
- the sample's own: ``label`` (the first coder) and ``label_<name>`` per further coder, one row per statement.

Rows with an empty label were not coded and are left out. Anything else wrong stops with an :class:`InputError`
that names the file and its lines (line 1 is the header): missing columns, an empty file, an unknown statement or
label, a statement labelled twice by one coder (or twice with no ``coder`` column to tell the coders apart), and
an empty ``coder``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..io import InputError
from .sample import label_columns

#: ``data/validation/labels.csv`` in the long layout (``coder`` optional).
LABEL_COLUMNS = ["article", "statement_id", "label"]
#: The coder of the ``label`` column of a sample file.
FIRST_CODER = "first"


def _lines(mask: pd.Series) -> list[int]:
    return [int(i) + 2 for i in mask[mask].index[:10]]


def read_labels(path: str | Path, names: list[str], statements: pd.DataFrame) -> pd.DataFrame:
    """``article, statement_id, coder, label, line``: one row per label given, checked against ``names`` and the
    ``statements`` (``article, statement_id``) of the run."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}: the file is empty; it needs columns {', '.join(LABEL_COLUMNS)}") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot be read as CSV ({err})") from None
    raw.columns = [c.strip() for c in raw.columns]
    missing = [c for c in LABEL_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(f"{path}: missing columns {missing}; found {list(raw.columns)}")
    raw = raw.assign(line=raw.index + 2)
    columns = label_columns(raw.columns)
    if "coder" not in raw.columns and len(columns) > 1:  # the sample's layout: one column per coder
        coder_of = {c: FIRST_CODER if c == "label" else c.removeprefix("label_") for c in columns}
        long = raw.melt(["article", "statement_id", "line"], columns, var_name="coder", value_name="_label")
        long = long.rename(columns={"_label": "label"})
        long["coder"] = long["coder"].map(coder_of)
    else:
        long = raw.assign(coder=raw["coder"].str.strip() if "coder" in raw.columns else FIRST_CODER)
        if "coder" in raw.columns and long["coder"].eq("").any():
            raise InputError(f"{path}: lines {_lines(long['coder'].eq(''))}: the coder column is empty")
    long = long.assign(label=long["label"].str.strip(), article=long["article"].str.strip())
    long = long[long["label"] != ""].reset_index(drop=True)
    if long.empty:
        raise InputError(f"{path}: no statement has a label yet (code some with: stancemap annotate FILE)")
    ids = pd.to_numeric(long["statement_id"], errors="coerce")
    if ids.isna().any() or (ids % 1 != 0).any():
        raise InputError(
            f"{path}: lines {long.loc[ids.isna() | (ids % 1 != 0), 'line'].tolist()[:10]}: "
            "statement_id must be a whole number"
        )
    long["statement_id"] = ids.astype(int)
    unknown = ~long["label"].isin(names)
    if unknown.any():
        bad = long[unknown]
        raise InputError(
            f"{path}: lines {bad['line'].tolist()[:10]}: unknown labels {sorted(set(bad['label']))[:10]}; "
            f"the configured labels are {', '.join(names)}"
        )
    known = set(zip(statements["article"], statements["statement_id"].astype(int)))
    absent = [(a, s) not in known for a, s in zip(long["article"], long["statement_id"])]
    if any(absent):
        bad = long[absent]
        first = bad.iloc[0]
        raise InputError(
            f"{path}: lines {bad['line'].tolist()[:10]} name statements this run does not have (e.g. article "
            f"{first['article']!r}, statement_id {first['statement_id']}); was the sample drawn from another "
            "segmentation, or did that article fail (results/failures.csv)?"
        )
    twice = long.duplicated(["article", "statement_id", "coder"], keep=False)
    if twice.any():
        hint = (
            "; with two coders add a coder column naming who gave each label"
            if "coder" not in raw.columns
            else " by the same coder"
        )
        raise InputError(f"{path}: lines {long.loc[twice, 'line'].tolist()[:10]} label the same statement twice{hint}")
    return long[["article", "statement_id", "coder", "label", "line"]]


def reference_labels(labels: pd.DataFrame) -> pd.DataFrame:
    """One label per coded statement: the first coder's (coders in order of first appearance), else the next
    coder's who coded it. Put adjudicated labels first to make them the reference."""
    order = {c: i for i, c in enumerate(pd.unique(labels["coder"]))}
    ranked = labels.assign(_rank=labels["coder"].map(order)).sort_values(["_rank", "line"], kind="stable")
    first = ranked.drop_duplicates(["article", "statement_id"], keep="first")
    return first[["article", "statement_id", "coder", "label"]].reset_index(drop=True)
