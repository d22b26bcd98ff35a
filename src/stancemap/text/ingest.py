"""Ingest: one raw article file becomes ``text.txt`` (the text every offset refers to) and ``meta.json``.

For ``.txt`` the text is the file decoded as UTF-8 with only ``\\r\\n`` turned into ``\\n``, so a character offset
means the same in the raw file and in ``text.txt``. For ``.md`` the Markdown markup (heading marks, emphasis, link
targets) is removed so that it is not labelled as words; the first ``# `` heading becomes the title. For ``.html``
and ``.htm`` (a page saved from the browser) trafilatura extracts the main text and the title, author, date and
outlet, offline.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from ..io import InputError, outputs_together, sha256_file, write_json, write_text
from .boilerplate import find_boilerplate
from .spans import detect_layout, paragraphs

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm")

#: Byte signatures of files that are certainly not text (PDF, ZIP/DOCX, PNG, JPEG, GIF).
_BINARY_MAGIC = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP/DOCX archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
}


#: Byte-order marks of the UTF-16 and UTF-32 encodings (UTF-32 first: its little-endian mark starts with UTF-16's).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _refuse_nul(text: str, skip: int, encoding: str, source: str | Path) -> None:
    """A NUL character is never part of an article: it would pass into ``text.txt`` and every table. The offset
    reported is in bytes of the file (``skip``: the byte-order mark's length), as a hex editor shows it."""
    at = text.find("\x00")
    if at >= 0:
        offset = skip + len(text[:at].encode(encoding))
        raise InputError(
            f"{source}: NUL byte at offset {offset:,}, so this is binary data (or text in an encoding other "
            "than UTF-8, Windows-1252, or UTF-16/UTF-32 with a byte-order mark), not an article; re-save it as UTF-8"
        )


def decode(raw: bytes, source: str | Path) -> tuple[str, str]:
    """Decode article bytes, returning ``(text, encoding)``.

    UTF-16 and UTF-32 with a byte-order mark (what Windows Notepad calls "Unicode") are decoded by their mark. Then
    UTF-8 (a BOM is dropped); Windows-1252, the usual encoding of text saved on Windows, third. Anything else is
    refused with the byte offset of the first undecodable byte, because guessing wrong would put mojibake into every
    statement. A NUL anywhere is refused with its offset: no encoding we read puts one in an article.
    """
    for magic, what in _BINARY_MAGIC.items():
        if raw.startswith(magic):
            raise InputError(f"{source}: this is {what}, not text; save the article as .txt or .md")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom) :].decode(encoding)
            except UnicodeDecodeError as err:
                raise InputError(
                    f"{source}: starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()} "
                    f"(at byte offset {len(bom) + err.start:,}); re-save it as UTF-8"
                ) from None
            _refuse_nul(text, len(bom), encoding, source)
            return text, encoding
    if b"\x00" in raw:
        _refuse_nul(raw[: raw.index(b"\x00") + 1].decode("latin-1"), 0, "latin-1", source)
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
    if source.is_symlink():
        raise InputError(f"{source}: a symbolic link (to {os.readlink(source)}); refused: copy the article in")
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

    removed, header = find_boilerplate(text)
    if header["note"]:
        logging.getLogger(__name__).warning("%s: %s", source, header["note"])
    meta = {
        "article": source.stem,
        "status": "ok",
        "source": source.as_posix(),
        "format": suffix.lstrip("."),
        "sha256": sha256_file(source),
        "size_bytes": size,
        "encoding": encoding,
        "n_chars": len(text),
        "layout": detect_layout(text),
        "paragraphs": len(paragraphs(text)),
        "boilerplate_paragraphs": len(removed),
        "boilerplate_note": header["note"],
        **extra,
    }
    with outputs_together():  # text.txt and meta.json appear together or not at all
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
        with outputs_together():
            write_text(text_out, "")
            write_json(meta_out, meta)
        import logging

        logging.getLogger(__name__).error("%s", err)
        return meta


def scan_raw_dir(raw_dir: str | Path) -> tuple[dict[str, Path], dict[Path, str]]:
    """The articles of ``raw_dir`` (article id, the file stem, to file) and the files left out, with the reason.

    Hidden files are ignored. Left out, with a reason the run reports: files of other types (a PDF or Word file
    is not read, so the user must hear that it was not), folders, and symbolic links or anything else that resolves
    outside ``raw_dir`` (a link to ``/etc/passwd`` would otherwise be read, copied into ``data/processed/`` and
    classified). Two supported files with the same stem (``a.txt`` and ``a.md``) are an error: their outputs would
    overwrite each other.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError(f"{raw_dir}: the raw article folder does not exist")
    inside = raw_dir.resolve()
    found: dict[str, Path] = {}
    skipped: dict[Path, str] = {}
    for path in sorted(raw_dir.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_symlink():
            skipped[path] = (
                f"a symbolic link (to {os.readlink(path)}); refused: only files inside {raw_dir}/ are read, "
                "so copy the article in"
            )
            continue
        if path.resolve().parent != inside:
            skipped[path] = f"resolves to {path.resolve()}, outside {raw_dir}/; refused: copy the article in"
            continue
        if not path.is_file():
            skipped[path] = "a folder (or not a regular file); articles in subfolders are not read"
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            skipped[path] = (
                f"unsupported file type {path.suffix or '(none)'!r}; save the article as "
                f"{', '.join(SUPPORTED_SUFFIXES)}"
            )
            continue
        if path.stem in found:
            raise InputError(
                f"{found[path.stem]} and {path} have the same name; rename one (article ids are file stems)"
            )
        found[path.stem] = path
    return found, skipped


def discover(raw_dir: str | Path) -> dict[str, Path]:
    """Map article id (file stem) to file for every article in ``raw_dir``; every file left out is logged as a
    warning with the reason (see :func:`scan_raw_dir`)."""
    import logging

    found, skipped = scan_raw_dir(raw_dir)
    for path, reason in skipped.items():
        logging.getLogger(__name__).warning("skipping %s: %s", path, reason)
    return found
