"""Ingest: one raw article file becomes ``text.txt`` (the text every offset refers to) and ``meta.json``.

For ``.txt`` the text is the file decoded as UTF-8 with only ``\\r\\n`` turned into ``\\n``, so a character offset
means the same in the raw file and in ``text.txt``. For ``.md`` the Markdown markup (heading marks, emphasis, link
targets) is removed so that it is not labelled as words; the first ``# `` heading becomes the title. For ``.html``
and ``.htm`` (a page saved from the browser) trafilatura extracts the main text and the title, author, date and
outlet, offline.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..io import InputError, sha256_file, write_json, write_text
from .boilerplate import find_boilerplate
from .spans import paragraphs

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm")

#: Byte signatures of files that are certainly not text (PDF, ZIP/DOCX, PNG, JPEG, GIF).
_BINARY_MAGIC = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP/DOCX archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
}


def decode(raw: bytes, source: str | Path) -> tuple[str, str]:
    """Decode article bytes, returning ``(text, encoding)``.

    UTF-8 first (a BOM is dropped); Windows-1252, the usual encoding of text saved on Windows, second. Anything
    else is refused with the byte offset of the first undecodable byte, because guessing wrong would put mojibake
    into every statement.
    """
    for magic, what in _BINARY_MAGIC.items():
        if raw.startswith(magic):
            raise InputError(f"{source}: this is {what}, not text; save the article as .txt or .md")
    if b"\x00" in raw[:4096]:
        raise InputError(f"{source}: contains NUL bytes, so it is binary, not text")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise InputError(
                f"{source}: not valid UTF-8 (byte 0x{raw[utf8_error.start]:02x} at offset {utf8_error.start}) "
                "nor Windows-1252; re-save it as UTF-8"
            ) from None


_MD_RULES = [
    (re.compile(r"^```.*$", re.M), ""),  # code fences
    (re.compile(r"^ {0,3}#{1,6}\s+", re.M), ""),  # heading marks
    (re.compile(r"^ {0,3}>\s?", re.M), ""),  # block quotes
    (re.compile(r"^ {0,3}[-*+]\s+", re.M), ""),  # bullets
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> link text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # italics
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
]


def markdown_to_text(md: str) -> tuple[str, str | None]:
    """Strip Markdown markup, returning ``(text, title)`` where the title is the first level-1 heading."""
    match = re.search(r"^ {0,3}#\s+(.+?)\s*#*\s*$", md, re.M)
    title = match.group(1).strip() if match else None
    text = md
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text, title


#: Frequent English function words. Running English prose has 30-50% of its words in this set; German, French or
#: Spanish prose has under 10% (the few shared forms, such as "in" or "a"). See :func:`english_share`.
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "that",
        "is",
        "was",
        "he",
        "for",
        "it",
        "with",
        "as",
        "his",
        "on",
        "be",
        "at",
        "by",
        "i",
        "this",
        "had",
        "not",
        "are",
        "but",
        "from",
        "or",
        "have",
        "an",
        "they",
        "which",
        "you",
        "were",
        "her",
        "she",
        "there",
        "been",
        "one",
        "all",
        "we",
        "their",
        "has",
        "would",
        "will",
        "what",
        "if",
        "can",
        "when",
        "so",
        "no",
        "said",
        "who",
        "more",
        "about",
        "up",
        "out",
        "them",
        "than",
        "its",
        "into",
        "could",
        "also",
        "our",
        "after",
        "him",
        "over",
        "just",
        "only",
        "new",
        "some",
        "these",
        "those",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")


def english_share(text: str) -> tuple[float, int]:
    """Share of the words of ``text`` that are common English function words, and the number of words."""
    words = [w.lower() for w in _WORD.findall(text)]
    return (sum(w in _ENGLISH for w in words) / len(words) if words else 0.0), len(words)


def check_english(text: str, source: str | Path, *, min_share: float = 0.15, min_words: int = 30) -> None:
    """Refuse an article that is clearly not English: the stance hypotheses and the default model are English,
    so its labels would be noise that looks like a finding. Texts under ``min_words`` words are not judged."""
    share, n = english_share(text)
    if n >= min_words and share < min_share:
        raise InputError(
            f"{source}: does not look like English ({share:.0%} of {n} words are common English words; "
            "English prose has 30-50%); the labels and model are English (config: ingest.require_english)"
        )


def html_to_text(html: str, source: str | Path) -> tuple[str, dict[str, str | None]]:
    """Main text and metadata (title, author, date, outlet) of a saved web page, by trafilatura.

    Only the given HTML is parsed: nothing is fetched (no URL, image or stylesheet is requested). Paragraphs are
    separated by blank lines, as in our text files.
    """
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        output_format="python",
    )
    n_words = len(_WORD.findall(doc.text or "")) if doc is not None else 0
    if n_words < 20:  # trafilatura falls back to menus and footers when a page has no article
        raise InputError(f"{source}: no article text found in this HTML page ({n_words} words of main text)")
    text = re.sub(r"\n+", "\n\n", doc.text.strip()) + "\n"
    return text, {"title": doc.title, "author": doc.author, "date": doc.date, "outlet": doc.sitename}


def ingest_file(
    source: str | Path,
    text_out: str | Path,
    meta_out: str | Path,
    *,
    max_bytes: int = 5_000_000,
    require_english: bool = True,
) -> dict:
    """Read one article and write its text and metadata; return the metadata.

    Raises :class:`InputError` naming the file for anything that is not a readable English article with at least
    one statement.
    """
    source = Path(source)
    suffix = source.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(f"{source}: unsupported file type {suffix!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    size = source.stat().st_size
    if size > max_bytes:
        raise InputError(f"{source}: {size:,} bytes is over the limit of {max_bytes:,} (config: ingest.max_bytes)")
    text, encoding = decode(source.read_bytes(), source)
    text = text.replace("\r\n", "\n")
    extra: dict[str, str | None] = {"title": None}
    if suffix == ".md":
        text, extra["title"] = markdown_to_text(text)
    elif suffix in (".html", ".htm"):
        text, extra = html_to_text(text, source)
    if not text.strip():
        raise InputError(f"{source}: the file is empty or holds only whitespace")
    if not _WORD.search(text):
        raise InputError(f"{source}: no statements: the text has no words")
    if require_english:
        check_english(text, source)

    if len(find_boilerplate(text)[0]) >= len(paragraphs(text)):
        raise InputError(
            f"{source}: no statements: every paragraph looks like a title, headline, caption or promo "
            "line (no sentence ends in punctuation)"
        )
    meta = {
        "article": source.stem,
        "status": "ok",
        "source": source.as_posix(),
        "format": suffix.lstrip("."),
        "sha256": sha256_file(source),
        "size_bytes": size,
        "encoding": encoding,
        "n_chars": len(text),
        **extra,
    }
    write_text(text_out, text)
    write_json(meta_out, meta)
    return meta


def ingest_or_record(source: str | Path, text_out: str | Path, meta_out: str | Path, **options) -> dict:
    """Like :func:`ingest_file`, but a bad article is recorded instead of raised.

    ``meta.json`` gets ``status: failed`` and the ``error``, and ``text.txt`` is left empty, so the workflow can
    leave this article out and go on with the others (its reason goes to ``results/failures.csv``).
    """
    try:
        return ingest_file(source, text_out, meta_out, **options)
    except (InputError, OSError) as err:
        source = Path(source)
        meta = {
            "article": source.stem,
            "source": source.as_posix(),
            "status": "failed",
            "stage": "ingest",
            "error": str(err),
        }
        write_text(text_out, "")
        write_json(meta_out, meta)
        import logging

        logging.getLogger(__name__).error("%s", err)
        return meta


def discover(raw_dir: str | Path) -> dict[str, Path]:
    """Map article id (file stem) to file for every supported file in ``raw_dir``.

    Hidden files are ignored, other extensions are skipped with a warning, and two supported files with the same
    stem (``a.txt`` and ``a.md``) are an error: their outputs would overwrite each other.
    """
    import logging

    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError(f"{raw_dir}: the raw article folder does not exist")
    found: dict[str, Path] = {}
    for path in sorted(raw_dir.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            logging.getLogger(__name__).warning("skipping %s: unsupported file type %r", path, path.suffix)
            continue
        if path.stem in found:
            raise InputError(
                f"{found[path.stem]} and {path} have the same name; rename one (article ids are file stems)"
            )
        found[path.stem] = path
    return found
