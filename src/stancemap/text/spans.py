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
_LINE_BREAK = re.compile(r"\n")
#: Layouts: ``blank`` (paragraphs separated by blank lines, a single line break inside one is a wrapped line),
#: ``wrapped`` (the same, with lines broken at a fixed width), ``lines`` (every line break ends a paragraph: a page
#: copied from a browser).
LAYOUTS = ("blank", "wrapped", "lines")
_MAX_WRAP_WIDTH = 100
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")


def detect_layout(text: str) -> str:
    """Whether a single line break in ``text`` ends a paragraph, decided once for the whole file.

    Only lines followed by another non-blank line tell (a blank line ends a paragraph in every layout). When most of
    them reach nearly the width of the longest line, that width is one text is wrapped at (at most 100
    characters), and most of them end mid-sentence, the text is hard-wrapped: ``wrapped``. Otherwise lines of
    varied lengths are paragraphs: ``lines``. A text without such lines is ``blank``.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    inner = [line for line, after in zip(lines, lines[1:]) if line.strip() and after.strip()]
    if not inner:
        return "blank"
    # The wrap width is that of the longest line with a space in it: a link or other unbreakable token runs past
    # the width a text is wrapped at (a plain-text e-mail's long URL).
    width = max((len(line) for line in lines if " " in line.strip()), default=0)
    near = sum(len(line) >= 0.7 * width for line in inner)
    ended = sum(bool(_ENDS_SENTENCE.search(line)) for line in inner)
    wrapped = width <= _MAX_WRAP_WIDTH and near >= 0.7 * len(inner) and ended < 0.5 * len(inner)
    return "wrapped" if wrapped else "lines"


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def paragraphs(text: str, layout: str | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each non-blank paragraph, trimmed of surrounding whitespace.

    ``layout`` (one of :data:`LAYOUTS`) defaults to :func:`detect_layout`'s decision, a function of the text alone,
    so every stage that splits the same text finds the same paragraphs.
    """
    layout = layout or detect_layout(text)
    breaks = _LINE_BREAK if layout == "lines" else _PARAGRAPH_BREAK
    spans, pos = [], 0
    for match in [*breaks.finditer(text), None]:
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
        spans += _split_quotations(flat, found, found + len(sentence))
        cursor = found + len(sentence)
    return spans


#: A quotation: from an opening mark to its closing mark, or to the end of the text when it is left open.
QUOTATION = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)")
_LETTER = re.compile(r"[^\W\d_]")


def _split_quotations(flat: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a sentence where a sentence ends inside a quotation: pysbd keeps “We will not give up land. We will
    fight,” she said. as one sentence; it is two statements. The quotation's own text is split by pysbd again, so
    an abbreviation inside it ("U.S.") still does not end a sentence."""
    cuts = []
    for quote in QUOTATION.finditer(flat, start, end):
        closed = quote.end() - quote.start() > 1 and flat[quote.end() - 1] in '”"'
        inner_end = quote.end() - closed
        cursor = quote.start() + 1
        for part in _segmenter().segment(flat[cursor:inner_end])[:-1]:
            part = part.strip()
            at = flat.find(part, cursor, inner_end) if part else -1
            if at < 0:
                break
            cursor = at + len(part)
            if _ENDS_SENTENCE.search(part) and _LETTER.search(flat, cursor, end):
                cuts.append(cursor)
    spans, begin = [], start
    for cut in sorted(set(cuts)):
        spans.append((begin, cut))
        rest = flat[cut:end]
        begin = cut + len(rest) - len(rest.lstrip())
    spans.append((begin, end))
    return spans
