"""The sha256 manifest of a model folder: what the onnx backend checks before it loads a single byte.

``MANIFEST.sha256`` holds ``sha256sum`` lines (``<hash>  <name>``) for every other file of the folder, so
``sha256sum -c MANIFEST.sha256`` checks it too. A folder without one, or with a line that names a file outside the
folder, is refused: a model whose files cannot be checked could be damaged or swapped without anyone noticing. So is
an empty manifest, or one that does not list ``model.onnx``: it would check nothing that matters.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..io import InputError, sha256_file, write_text

MANIFEST = "MANIFEST.sha256"
_HEX = re.compile(r"[0-9a-fA-F]{64}")
#: The weights a manifest must list (an ONNX model, or a shipped encoder's safetensors). Without one, a manifest of
#: the tokenizer alone would pass.
WEIGHT_FILES = ("model.onnx", "model.safetensors")


def file_table(folder: Path) -> dict:
    """``{name: {"bytes": size, "sha256": hash}}`` of every file in ``folder`` but the manifest, in name order."""
    return {
        p.name: {"bytes": p.stat().st_size, "sha256": sha256_file(p)}
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != MANIFEST
    }


def write_manifest(folder: Path) -> dict:
    table = file_table(folder)
    write_text(folder / MANIFEST, "".join(f"{v['sha256']}  {name}\n" for name, v in table.items()))
    return table


def verify_manifest(folder: str | Path) -> None:
    """Check every file listed in ``folder/MANIFEST.sha256``; an :class:`InputError` names the first file that is
    missing or whose sha256 differs, or the manifest when it is missing, empty, malformed or lists no
    weights (``model.onnx`` or ``model.safetensors``).

    Every line is parsed before any file is hashed, so a bad line is reported as such, not as a missing file."""
    folder = Path(folder)
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise InputError(f"{manifest}: no manifest; export the model with stancemap.training.export")
    listed: dict[str, str] = {}
    for n, line in enumerate(manifest.read_text().splitlines(), 1):
        if not line.strip():
            continue
        digest, sep, name = line.partition("  ")
        name = name.lstrip("*")
        outside = "/" in name or "\\" in name or name in (".", "..")  # a name must stay inside the folder
        if not sep or not _HEX.fullmatch(digest) or not name or outside:
            raise InputError(f"{manifest}, line {n}: not a sha256sum line: {line!r}")
        listed[name] = digest.lower()
    if not listed:
        raise InputError(f"{manifest}: empty; it must list the sha256 of every file of the model folder")
    if not any(name in listed for name in WEIGHT_FILES):
        raise InputError(f"{manifest}: does not list {' or '.join(WEIGHT_FILES)}, so the weights would go unchecked")
    for name, digest in listed.items():
        path = folder / name
        if not path.is_file():
            raise InputError(f"{path}: listed in {MANIFEST} but missing")
        if sha256_file(path) != digest:
            raise InputError(f"{path}: sha256 does not match {MANIFEST}; the file is damaged or was changed")
