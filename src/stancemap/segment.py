"""Segment: split an article's text into statements (sentences) with character offsets into ``text.txt``.

Output columns (``STATEMENT_COLUMNS``):

- ``article``: the article's id (the raw file's stem)
- ``statement_id``: 0-based position of the statement in the article
- ``start``, ``end``: character offsets, so that ``text[start:end] == statement text``
- ``paragraph``: 0-based index of the paragraph (blocks separated by blank lines)
- ``text``: the statement

Sentence boundaries come from pysbd, a rule-based segmenter that knows English abbreviations ("Gen.", "U.S.",
"Sept. 9"). pysbd returns strings, not offsets (its ``char_span`` mode mislocates repeated sentences), so each
sentence is found again in its paragraph from a moving cursor.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pysbd

from .io import InputError, write_csv

STATEMENT_COLUMNS = ["article", "statement_id", "start", "end", "paragraph", "text"]

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_HAS_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each non-blank paragraph, trimmed of surrounding whitespace."""
    spans, pos = [], 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((pos + lead, pos + len(chunk.rstrip())))
        pos = match.end() if match else len(text)
    return spans


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets in ``text`` of the sentences in ``text[start:end]``.

    Line breaks inside a paragraph (hard-wrapped text) are read as spaces: pysbd would end a sentence at each.
    The replacement is one character for one, so offsets stay those of ``text``.
    """
    end = len(text) if end is None else end
    flat = text.replace("\n", " ")
    spans, cursor = [], start
    for sentence in _segmenter().segment(flat[start:end]):
        sentence = sentence.strip()
        if not sentence:
            continue
        found = flat.find(sentence, cursor, end)
        if found < 0:  # pysbd changed the text; never guess an offset
            raise InputError(f"segmenter returned text not in the article near offset {cursor}: {sentence[:60]!r}")
        spans.append((found, found + len(sentence)))
        cursor = found + len(sentence)
    return spans


def segment_text(text: str, article: str, removed: pd.DataFrame | None = None) -> pd.DataFrame:
    """Split ``text`` into a statements table (see module docstring for the columns).

    Paragraphs listed in ``removed`` (``start``, ``end`` of boilerplate, see :mod:`stancemap.clean`) are skipped;
    paragraph numbers stay those of the whole text.
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


def segment_file(text_path: str | Path, out_csv: str | Path, *, article: str | None = None,
                 removed_csv: str | Path | None = None, speakers: bool = True) -> pd.DataFrame:
    """Segment ``text.txt`` and write ``statements.csv``; the article id defaults to the parent folder's name.

    With ``removed_csv`` (from the boilerplate stage), those paragraphs are not statements. With ``speakers``,
    the quote and speaker columns of :mod:`stancemap.speakers` are added (spaCy runs here, once per article, and
    never in classification).
    """
    text_path = Path(text_path)
    article = article or text_path.parent.name
    text = text_path.read_text(encoding="utf-8")
    removed = pd.read_csv(removed_csv) if removed_csv else None
    try:
        table = segment_text(text, article, removed)
    except InputError as err:
        raise InputError(f"{text_path}: {err}") from None
    if table.empty:
        raise InputError(f"{text_path}: no statements found")
    if speakers:
        from .speakers import attribute

        table = pd.concat([table, attribute(text, table)], axis=1)
    write_csv(out_csv, table)
    return table
