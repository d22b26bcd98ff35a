"""Segment: split an article's text into statements (sentences) with character offsets into ``text.txt``.

Output columns (``STATEMENT_COLUMNS``):

- ``article``: the article's id (the raw file's stem)
- ``statement_id``: 0-based position of the statement in the article
- ``start``, ``end``: character offsets, so that ``text[start:end] == statement text``
- ``paragraph``: 0-based index of the paragraph (blocks separated by blank lines)
- ``text``: the statement

Paragraphs and sentences come from :mod:`stancemap.text.spans`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..columns import REMOVED_COLUMNS, STATEMENT_COLUMNS
from ..io import InputError, read_table, write_csv
from .boilerplate import find_boilerplate
from .spans import paragraphs, sentences
from .speakers import attribute

_HAS_LETTER = re.compile(r"[^\W\d_]")


def segment_text(text: str, article: str, removed: pd.DataFrame | None = None) -> pd.DataFrame:
    """Split ``text`` into a statements table (see module docstring for the columns).

    Paragraphs listed in ``removed`` (``start``, ``end`` of boilerplate, see :mod:`stancemap.text.boilerplate`) are
    skipped; paragraph numbers stay those of the whole text.
    """
    skip = set() if removed is None else set(zip(removed["start"], removed["end"]))
    rows = []
    for p, (p_start, p_end) in enumerate(paragraphs(text)):
        if (p_start, p_end) in skip:
            continue
        for s_start, s_end in sentences(text, p_start, p_end):
            if not _HAS_LETTER.search(text, s_start, s_end):  # "***", "1." : separators, not statements
                continue
            rows.append((article, len(rows), s_start, s_end, p, text[s_start:s_end]))
    return pd.DataFrame(rows, columns=STATEMENT_COLUMNS)


def segment_file(
    text_path: str | Path,
    out_csv: str | Path,
    *,
    article: str | None = None,
    removed_csv: str | Path | None = None,
    speakers: bool = True,
) -> pd.DataFrame:
    """Segment ``text.txt`` and write ``statements.csv``; the article id defaults to the parent folder's name.

    With ``removed_csv`` (from the boilerplate stage), those paragraphs are not statements. With ``speakers``,
    the quote and speaker columns of :mod:`stancemap.text.speakers` are added (spaCy runs here, once per article, and
    never in classification).
    """
    text_path = Path(text_path)
    article = article or text_path.parent.name
    text = text_path.read_text(encoding="utf-8")
    removed = read_table(removed_csv, REMOVED_COLUMNS) if removed_csv else None
    try:
        table = segment_text(text, article, removed)
    except InputError as err:
        raise InputError(f"{text_path}: {err}") from None
    if table.empty:
        raise InputError(f"{text_path}: no statements found")
    if speakers:
        table = pd.concat([table, attribute(text, table)], axis=1)
    write_csv(out_csv, table)
    return table


def statements_from_raw(raw_txt: str | Path) -> pd.DataFrame:
    """A raw article's statements as the workflow makes them (boilerplate removed, quotes and speakers found),
    in one call: for benchmarks and notebooks that do not run the workflow."""
    path = Path(raw_txt)
    text = path.read_text(encoding="utf-8")  # text mode: "\r\n" reads as "\n"
    statements = segment_text(text, path.stem, find_boilerplate(text)[0])
    return statements.join(attribute(text, statements))
