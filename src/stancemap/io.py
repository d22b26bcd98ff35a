"""Atomic writes and the one error type users see.

A half-written CSV that a later run trusts is worse than no file, so every output goes to a temporary file in the
same directory and is renamed into place only once complete (``os.replace`` is atomic on POSIX).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd


class InputError(ValueError):
    """A problem with a user's file or setting, with a message that names the file and the problem."""


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}")
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")


def write_json(path: str | os.PathLike, data: Any) -> None:
    write_text(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


def write_csv(path: str | os.PathLike, df: pd.DataFrame) -> None:
    """Write a table the same way every time (UTF-8, ``\\n`` line ends, no index, fixed float format)."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, lineterminator="\n", float_format="%.6g")


def write_with(path: str | os.PathLike, save: Callable[[Path], None]) -> None:
    """Atomically write ``path`` with ``save(tmp_path)`` (for writers such as matplotlib's ``savefig``)."""
    with atomic_path(path) as tmp:
        save(tmp)


def read_table(path: str | os.PathLike, columns: list[str]) -> pd.DataFrame:
    """Read a CSV written by a stage and check it has the documented columns."""
    df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(f"{path}: missing columns {missing}; found {list(df.columns)}")
    return df


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
