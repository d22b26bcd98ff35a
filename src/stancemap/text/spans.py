"""Spans of text: paragraphs and sentences as ``(start, end)`` character offsets into the article's text.

Offsets, not strings, so that every later table can point back into ``text.txt``. Sentence boundaries come from
pysbd, a rule-based segmenter that knows English abbreviations ("Gen.", "U.S.", "Sept. 9"). pysbd returns strings,
not offsets (its ``char_span`` mode mislocates repeated sentences), so each sentence is found again in its
paragraph from a moving cursor.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

from ..io import InputError

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


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
