"""Atomic writes and the one error type users see.

A half-written CSV that a later run trusts is worse than no file, so every output goes to a temporary file in the
same directory and is renamed into place only once complete (``os.replace`` is atomic on POSIX). The temporary
file is created private (mode 0600, by :func:`tempfile.mkstemp`) and given the mode a plain ``open`` would have given
it (0666 less the user's umask) just before the rename, so collaborators on a shared filesystem can read results
exactly when the user's other files are readable to them.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import pandas as pd


class InputError(ValueError):
    """A problem with a user's file or setting, with a message that names the file and the problem."""


def current_umask() -> int:
    """The process's umask, read without changing it where Linux allows (``/proc/self/status``); elsewhere set and
    restored at once (``os.umask`` has no read-only form)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: The outputs written inside :func:`outputs_together`, as (temporary file, final path), waiting to be renamed.
_STAGED: ContextVar[dict[Path, Path] | None] = ContextVar("stancemap_staged_outputs", default=None)


@contextmanager
def outputs_together() -> Iterator[None]:
    """Hold back every output written in the block and rename them all into place only when the block succeeds.

    A job with two outputs (``stances.csv`` and ``run.json``) must not leave one without the other: a half set
    is what a later run would trust, or fail on. The renames at the end take microseconds, not the seconds between
    two writes; an interruption before them leaves none of the outputs. Nested blocks join the outermost one.
    """
    if _STAGED.get() is not None:
        yield
        return
    staged: dict[Path, Path] = {}
    token = _STAGED.set(staged)
    try:
        yield
    except BaseException:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        raise
    finally:
        _STAGED.reset(token)
    for path, tmp in staged.items():
        os.replace(tmp, path)


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` only if the block succeeds (inside
    :func:`outputs_together`, when that block succeeds)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}")
    os.close(fd)
    staged = _STAGED.get()
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~current_umask())
        if staged is None:
            os.replace(tmp, path)
        else:
            earlier = staged.pop(path, None)  # written twice in one block: the last write wins
            if earlier is not None:
                earlier.unlink(missing_ok=True)
            staged[path] = Path(tmp)
            tmp = None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def remove_stale_temporaries(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Delete what a killed writer of ``paths`` left behind: the temporary files :func:`atomic_path` names after
    them (``.{stem}.XXXX.tmp{suffix}``). Only for a job about to write these paths itself, which owns their names.
    Returns what was deleted."""
    gone = []
    for path in map(Path, paths):
        for stale in path.parent.glob(f".{glob.escape(path.stem)}.*.tmp{glob.escape(path.suffix)}"):
            stale.unlink(missing_ok=True)
            gone.append(stale)
    return gone


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
