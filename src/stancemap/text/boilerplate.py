"""Boilerplate: the parts of a pasted web page that are not the article, found paragraph by paragraph.

Nothing is deleted from ``text.txt``: the removed spans are listed in ``removed.csv`` (``start, end, reason,
text``) so that a researcher can audit them, and segmentation skips them, so the offsets of kept statements still
index ``text.txt``. Reasons:

- ``masthead``: a first line with words glued together by a lost line break ("The Washington PostDemocracy Dies in
  Darkness"): a site's name and slogan.
- ``title``, ``standfirst``: the headline and the summary line under it (leading lines without final punctuation).
  Kept as metadata, not statements.
- ``header``: another line of the header before the first sentence ("From: …", a one-sentence summary followed by a
  byline or date line).
- ``byline``, ``dateline``: "By …"; a line that is a date or time ("Updated March 3, 2023 5:12 p.m. ET").
- ``caption``: a paragraph that ends in a photo credit in parentheses ("(Jonathan Ernst/Pool/AP)", "(Photo: …)",
  Wikinews' "; from file, 2008."), a credit line ("Image: …"), and the one-sentence line right above a credit line
  (its caption).
- ``related_headline``: a short line without final punctuation between body paragraphs: a link to another story.
- ``promo``: the trailing box: from the end of the article back, a last short line ending in a colon (a form's
  label, "Leave a comment:", in any language), "Label: text" paragraphs, calls to action ("Read
  our full coverage", "Subscribe", "Sign up", "Are you on Telegram?"), section labels ("Sources", "Share this:"),
  notices and citations, and headline-like lines; section labels and notices elsewhere too, with box labels (a
  short line ending in a colon without a speech verb: "Legal Disclaimer:"), bar-separated tag lists, bare links,
  e-mail footers and the licence, disclaimer and site-banner lines a short list names.

Paragraphs follow the file's own layout (:func:`stancemap.text.spans.detect_layout`). When the rules would leave
no sentence, nothing is removed and the header's ``note`` says why.

The rules are deliberately about shape, not about one site's wording, so that they carry to other outlets; each
has a test written for it (tests/test_clean.py, tests/test_layouts.py).
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
#: The word a credit line starts with ("Image: …", "Photos, …").
_CREDIT_WORD = r"^(?:Photo|Photograph|Image|Picture|Credit|Image source|File photo)s?\s*"
_CREDIT = re.compile(
    r"\((?:[^()]*/[^()]*|(?:Photo|Photograph|Image|Video|Credit)s?\b[^()]*|[^()]*\b(?:AP|AFP|Reuters|"
    r"Getty Images|EPA|Bloomberg|Photo(?:graph)? by)\b[^()]*)\)\s*$"
    rf"|{_CREDIT_WORD}[:,]\s*\S[^.!?]{{0,80}}$"
    r"|;\s*from file(?:,\s*\d{4})?\.?\s*$",  # Wikinews: "Leung Yiu-chung of NWSC; from file, 2008."
    re.I,
)
#: A credit on a line of its own, a full stop allowed ("Image: U.S. Navy."): the line before it is its caption.
_CREDIT_LINE = re.compile(rf"{_CREDIT_WORD}:\s*\S[^!?]{{0,80}}$", re.I)
_LABEL = re.compile(r"^[A-Z][\w’'\- ]{0,40}:\s+\S")
_CALL = re.compile(
    r"^(Read|Subscribe|Sign up|Follow|Are you on|Download|Click|Share|Watch|Listen|Get|Join|Support|Please "
    r"(?:enter|log in|sign)|Leave a (?:comment|reply)|Have an opinion|Got a correction|(?:E-?mail|Print) this)\b",
    re.I,
)
#: A line on its own that names a page section: the start of a related-links, sources or sharing box.
_SECTION = re.compile(
    r"^(?:Sources?|Related(?: news| stories| articles| content| coverage| topics| links)?|External links|See also|"
    r"More (?:stories|from \w+(?: \w+)?|on this story|news)|Read more|Also read|Read also|Further reading|Most read|"
    r"Recommended|Explore the topic|Topics|Tags|Share this(?: page| article| story)?|Share|Comments?|"
    r"Advertisement|Story continues below(?: advertisement)?|Latest news|Trending)\s*:?\s*$",
    re.I,
)
#: Credits and notices that shape cannot tell from prose: a short list of the common ones.
_NOTICE = re.compile(
    r"^\(?(?:With inputs from|With (?:additional )?reporting by|Additional reporting by|Reporting by|Editing by|"
    r"Writing by|Compiled by)\b|^(?:Copyright|©)|All rights reserved|^This (?:page|article|story) (?:is|was) "
    r"(?:archived|first published|originally published)|^This story originated|archival policy|"
    r"^(?:READ|SEE) (?:MORE|ALSO)\b|^/?Public Release\.|^This (?:e-?mail|message) was sent to|"
    r"\b(?:text|content)\b.{0,60}\b(?:available|licensed|published|released) under (?:the terms of )?(?:the |a )?"
    r"Creative Commons|without warranty of any kind|^This page was last (?:edited|modified|updated)|"
    r"\b(?:following|below) is attributable to\b|^Retrieved from \"?https?://|the free news source you can write|"
    # Archive notices: "historical material", "links may not work", Wikinews' "reflect the specific time …".
    r"\bhistorical (?:material|collection)\b|\bis no longer (?:being )?updated\b|\blinks? .{0,40}may not "
    r"(?:work|function)|\breflect the specific time at which|^In \"[^\"]{1,40}\"\s*$|"
    # The banner of every US federal site and GOV.UK's feedback box.
    r"official website of the United States government|belongs to an official government organi[sz]ation|"
    r"safely connected to the \.gov website|^Is this page (?:useful|helpful)\?|^Report a problem with this page|"
    r"^(?:https?://|www\.)\S+\s*$|^--\s",  # a bare link; an e-mail signature
    re.I,
)
#: A line of short items separated by bars or arrows: a tag list, a navigation bar or a breadcrumb trail
#: ("Categories: Europe | Politics | …", "Home » Press Releases » …").
_BAR_LIST = re.compile(r"^(?:[^|]{1,80}\|){3,}|^(?:[^»>]{1,80}[»>]){2,}")
#: The verbs that end a body line introducing a quotation ("Foreign Secretary David Lammy said:").
#: A speech verb in any form ("said", "says", "saying", "stating"): a line ending in a colon with one introduces a
#: quotation, not a box.
_SPEECH = re.compile(
    r"\b(?:said|says|say|saying|reads|reading|told|tells|telling|added|adds|adding|commented|commenting|tweeted|"
    r"tweeting|wrote|writes|writing|posted|stated|stating|declared|declaring|announced|announcing|explained|"
    r"explaining|warned|warning|noted|noting|continued|continuing|concluded|concluding|remarked|remarking|replied|"
    r"replying|responded|responding|insisted|insisting|urged|urging|argued|arguing|asked|asking)\b",
    re.I,
)
_BYLINE = re.compile(r"^(?:By|Written by|Words by|Story by|Reported by)\s+[A-Z]")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b(?:{_MONTH} \d{{1,2}}(?:, \d{{4}})?|\d{{1,2}} {_MONTH} \d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|"
    r"\d+ (?:minutes?|hours?|days?|mins?|hrs?) ago|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b"
)
_CITATION = re.compile(r"[\"”]\s*[—–-]+\s*[^\"”]{1,60},\s*" + _MONTH + r" \d{1,2}, \d{4}\s*$")
_MAX_HEADLINE_WORDS = 16


def _words(paragraph: str) -> int:
    return len(paragraph.split())


def _headline_like(paragraph: str) -> bool:
    """Short, no final punctuation: reads as a headline, not as prose (a hard-wrapped one may span lines). A line
    ending in a comma runs on ("Mr President,"): a speech's salutation, not a headline."""
    text = paragraph.rstrip()
    return _words(text) <= _MAX_HEADLINE_WORDS and not _FINAL.search(text) and not text.endswith(",")


def _dateline(paragraph: str) -> bool:
    """A line that is a date or time ("Published 3 March 2022", "Updated March 3, 2023 5:12 p.m. ET"), not a
    sentence that mentions one ("The talks began on Monday.")."""
    ends = not _FINAL.search(paragraph) or re.search(r"\b[ap]\.m\.\s*$", paragraph, re.I)
    return _words(paragraph) <= 10 and bool(_DATE.search(paragraph)) and bool(ends)


def _furniture(paragraph: str) -> str | None:
    """The kind of page furniture a paragraph is by its shape (or a common phrase), wherever it stands."""
    if _SECTION.match(paragraph):
        return "section"
    if _words(paragraph) <= 15 and _BYLINE.match(paragraph):
        return "byline"
    if _dateline(paragraph):
        return "dateline"
    if _CREDIT.search(paragraph):
        return "caption"
    if _NOTICE.search(paragraph) or _CITATION.search(paragraph):
        return "notice"
    if _BAR_LIST.match(paragraph) or _box_label(paragraph):
        return "section"
    return None


def _credit_line(paragraph: str) -> bool:
    return _words(paragraph) <= 12 and bool(_CREDIT_LINE.match(paragraph))


def _caption_like(paragraph: str) -> bool:
    """One sentence of at most 25 words without quotation marks: what a caption is. Above a credit line it is taken
    as that image's caption; the cost is a one-sentence body paragraph above an image whose caption did not copy."""
    inner = re.search(r"[.!?]\s+[A-Z]", paragraph.rstrip())
    return _words(paragraph) <= 25 and not inner and not re.search(r"[\"“”]", paragraph) and not _credit_line(paragraph)


def _open_label(paragraph: str) -> bool:
    """A short line that ends in a colon with nothing after it: at a page's end, a form or box label whose content
    did not copy ("Leave a comment:", in any language)."""
    return _words(paragraph) <= 6 and paragraph.rstrip().endswith(":")


def _box_label(paragraph: str) -> bool:
    """A line of at most 12 words ending in a colon that does not introduce a quotation: a box's label ("Legal
    Disclaimer:", "Wikipedia has more about this subject:"), or any line "The following is …:". A body line that
    ends in a colon introduces what someone said, so a speech verb keeps it ("Prime Minister Theresa May said:");
    the cost is a short lead-in without one ("The agreement covers three points:")."""
    if not paragraph.rstrip().endswith(":"):
        return False
    return re.match(r"The (?:following|below) is\b", paragraph) is not None or (
        _words(paragraph) <= 12 and not _SPEECH.search(paragraph)
    )


def _promo_like(paragraph: str) -> bool:
    return bool(_LABEL.match(paragraph) or _CALL.match(paragraph) or _headline_like(paragraph) or _furniture(paragraph))


def find_boilerplate(text: str) -> tuple[pd.DataFrame, dict[str, str | None]]:
    """Removed spans (``REMOVED_COLUMNS``) and the header metadata ``{"title", "standfirst", "note"}``.

    ``note`` says when nothing was removed although the rules found boilerplate: when they would leave no sentence
    (or under a fifth of the words), the page's layout is one they misread, and losing the article would be worse
    than keeping a headline among its statements.
    """
    spans = paragraphs(text)
    body = [text[s:e] for s, e in spans]
    reason: dict[int, str] = {}
    header: dict[str, str | None] = {"title": None, "standfirst": None, "note": None}

    # The header: masthead, title, standfirst, bylines, date lines, captions, "From: …" lines, up to the first
    # sentence. A line followed by a byline or date line is header too ("From Wikinews, …!", a one-sentence summary).
    i = 0
    while i < len(body):
        kind = _furniture(body[i])
        if kind is None and i + 1 < len(body) and i < 8 and _words(body[i]) <= 40:
            after = body[i + 1]
            if _furniture(after) in ("byline", "dateline") or (
                _LABEL.match(after) and not _furniture(after) and not _FINAL.search(after)
            ):
                kind = "header"
        if kind is None and i > 0 and _LABEL.match(body[i]) and _words(body[i]) <= 20:
            kind = "header"
        if kind is None and not _FINAL.search(body[i]) and _words(body[i]) <= 40:
            kind = "headline"
        if kind is None:
            break
        if kind == "headline" or (kind == "header" and header["standfirst"] is None):
            if i == 0 and _GLUED.search(body[i]) and _words(body[i]) <= 10:
                reason[i] = "masthead"
            elif header["title"] is None:
                reason[i], header["title"] = "title", body[i]
            elif header["standfirst"] is None:
                reason[i], header["standfirst"] = "standfirst", body[i]
            else:  # a third headline-like line: the body has begun (a "header" always found the standfirst free)
                break
        else:
            reason[i] = kind
        i += 1

    # The trailing box, from the end back; it needs at least one label, call, section or notice to count.
    j = len(body) - 1
    if j >= i and _open_label(body[j]):
        reason[j] = "promo"
        j -= 1
    while j >= i and _promo_like(body[j]):
        j -= 1
    trailing = range(j + 1, len(body))
    if any(_LABEL.match(body[k]) or _CALL.match(body[k]) or _furniture(body[k]) for k in trailing if k not in reason):
        for k in trailing:
            reason[k] = "promo"

    for k, paragraph in enumerate(body):
        if k in reason:
            continue
        if k + 1 < len(body) and _credit_line(body[k + 1]) and _caption_like(paragraph):
            reason[k] = "caption"  # a caption, then its credit on the next line
            continue
        kind = "caption" if _credit_line(paragraph) else _furniture(paragraph)
        if kind:
            reason[k] = "promo" if kind in ("section", "notice") else kind
        elif _headline_like(paragraph):
            reason[k] = "related_headline"

    kept = [k for k in range(len(body)) if k not in reason]
    words, kept_words = sum(map(_words, body)), sum(_words(body[k]) for k in kept)
    if reason and (not any(_FINAL.search(body[k]) for k in kept) or kept_words < 0.2 * words):
        header["note"] = (
            f"nothing removed: the boilerplate rules would have removed {len(reason)} of {len(body)} paragraphs "
            f"({1 - kept_words / words:.0%} of the words), so every paragraph is kept "
            "as statements; check this article's layout"
        )
        reason = {}

    rows = [(spans[k][0], spans[k][1], why, body[k]) for k, why in sorted(reason.items())]
    return pd.DataFrame(rows, columns=REMOVED_COLUMNS), header


def remove_boilerplate(text_path: str | Path, removed_csv: str | Path) -> pd.DataFrame:
    """Write ``removed.csv`` for one article's ``text.txt`` (the title and standfirst are rows of it)."""
    text = Path(text_path).read_text(encoding="utf-8")
    removed, _ = find_boilerplate(text)
    write_csv(removed_csv, removed)
    return removed
