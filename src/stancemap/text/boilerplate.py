"""Boilerplate: the parts of a pasted web page that are not the article, found paragraph by paragraph.

Nothing is deleted from ``text.txt``: the removed spans are listed in ``removed.csv`` (``start, end, reason,
text``) so that a researcher can audit them, and segmentation skips them, so the offsets of kept statements still
index ``text.txt``. Reasons:

- ``masthead``: a first line with words glued together by a lost line break ("The Washington PostDemocracy Dies in
  Darkness"): a site's name and slogan.
- ``title``, ``standfirst``: the headline and the summary line under it (leading lines without final punctuation).
  Kept as metadata, not statements.
- ``caption``: a paragraph that ends in a photo credit in parentheses ("(Jonathan Ernst/Pool/AP)", "(Photo: …)").
- ``related_headline``: a short line without final punctuation between body paragraphs: a link to another story.
- ``promo``: the trailing box: from the end of the article back, "Label: text" paragraphs, calls to action ("Read
  our full coverage", "Subscribe", "Sign up", "Are you on Telegram?") and headline-like lines.

The rules are deliberately about shape, not about one site's wording, so that they carry to other outlets; each
has a test written for it (tests/test_clean.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..columns import REMOVED_COLUMNS
from ..io import write_csv
from .spans import paragraphs

_FINAL = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$|[”\"]\s*$")
_GLUED = re.compile(r"\b[A-Z]?[a-z]{2,}[A-Z][a-z]+")  # "PostDemocracy"
_CREDIT = re.compile(
    r"\((?:[^()]*/[^()]*|(?:Photo|Photograph|Image|Video|Credit)s?\b[^()]*|[^()]*\b(?:AP|AFP|Reuters|"
    r"Getty Images|EPA|Bloomberg)\b[^()]*)\)\s*$"
)
_LABEL = re.compile(r"^[A-Z][\w’'\- ]{0,40}:\s+\S")
_CALL = re.compile(
    r"^(Read|Subscribe|Sign up|Follow|Are you on|Download|Click|Share|Watch|Listen|Get|Join|Support)"
    r"\b",
    re.I,
)
_MAX_HEADLINE_WORDS = 16


def _words(paragraph: str) -> int:
    return len(paragraph.split())


def _headline_like(paragraph: str) -> bool:
    """Short, one line, no final punctuation: reads as a headline, not as prose."""
    return "\n" not in paragraph and _words(paragraph) <= _MAX_HEADLINE_WORDS and not _FINAL.search(paragraph)


def _promo_like(paragraph: str) -> bool:
    return bool(_LABEL.match(paragraph) or _CALL.match(paragraph) or _headline_like(paragraph))


def find_boilerplate(text: str) -> tuple[pd.DataFrame, dict[str, str | None]]:
    """Removed spans (``REMOVED_COLUMNS``) and the header metadata ``{"title": …, "standfirst": …}``."""
    spans = paragraphs(text)
    body = [text[s:e] for s, e in spans]
    reason: dict[int, str] = {}
    header: dict[str, str | None] = {"title": None, "standfirst": None}

    # Leading lines without final punctuation: masthead, title, standfirst.
    i = 0
    while i < len(body) and not _FINAL.search(body[i]) and "\n" not in body[i] and _words(body[i]) <= 40:
        if i == 0 and _GLUED.search(body[i]) and _words(body[i]) <= 10:
            reason[i] = "masthead"
        elif header["title"] is None:
            reason[i], header["title"] = "title", body[i]
        elif header["standfirst"] is None:
            reason[i], header["standfirst"] = "standfirst", body[i]
        else:
            break
        i += 1

    # The trailing box, from the end back; it needs at least one label or call to action to count.
    j = len(body) - 1
    while j >= i and _promo_like(body[j]):
        j -= 1
    trailing = range(j + 1, len(body))
    if any(_LABEL.match(body[k]) or _CALL.match(body[k]) for k in trailing):
        for k in trailing:
            reason[k] = "promo"

    for k, paragraph in enumerate(body):
        if k in reason:
            continue
        if _CREDIT.search(paragraph):
            reason[k] = "caption"
        elif _headline_like(paragraph):
            reason[k] = "related_headline"

    rows = [(spans[k][0], spans[k][1], why, body[k]) for k, why in sorted(reason.items())]
    return pd.DataFrame(rows, columns=REMOVED_COLUMNS), header


def remove_boilerplate(text_path: str | Path, removed_csv: str | Path) -> pd.DataFrame:
    """Write ``removed.csv`` for one article's ``text.txt`` (the title and standfirst are rows of it)."""
    text = Path(text_path).read_text(encoding="utf-8")
    removed, _ = find_boilerplate(text)
    write_csv(removed_csv, removed)
    return removed
