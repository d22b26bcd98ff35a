"""Ingest: one raw article file becomes ``text.txt`` (the text every offset refers to) and ``meta.json``.

For ``.txt`` the text is the file decoded as UTF-8 with only ``\\r\\n`` turned into ``\\n``, so a character offset
means the same in the raw file and in ``text.txt``. For ``.md`` the Markdown markup (heading marks, emphasis, link
targets) is removed so that it is not labelled as words; the first ``# `` heading becomes the title.
"""

from __future__ import annotations

import re
from pathlib import Path

from .io import InputError, sha256_file, write_json, write_text

SUPPORTED_SUFFIXES = (".txt", ".md")

#: Byte signatures of files that are certainly not text (PDF, ZIP/DOCX, PNG, JPEG, GIF).
_BINARY_MAGIC = {b"%PDF": "a PDF", b"PK\x03\x04": "a ZIP/DOCX archive", b"\x89PNG": "a PNG image",
                 b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image"}


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


def ingest_file(source: str | Path, text_out: str | Path, meta_out: str | Path, *, max_bytes: int = 5_000_000) -> dict:
    """Read one article and write its text and metadata; return the metadata.

    Raises :class:`InputError` naming the file for anything that is not a readable article.
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
    title = None
    if suffix == ".md":
        text, title = markdown_to_text(text)
    if not text.strip():
        raise InputError(f"{source}: the file is empty or holds only whitespace")
    meta = {
        "article": source.stem,
        "source": source.as_posix(),
        "format": suffix.lstrip("."),
        "sha256": sha256_file(source),
        "size_bytes": size,
        "encoding": encoding,
        "n_chars": len(text),
        "title": title,
    }
    write_text(text_out, text)
    write_json(meta_out, meta)
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
            raise InputError(f"{found[path.stem]} and {path} have the same name; rename one (article ids are file stems)")
        found[path.stem] = path
    return found
