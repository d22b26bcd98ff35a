"""Code a sample in the terminal: one statement at a time, one key per label, saved after every answer.

The screen shows the statement's paragraph (``context``), the statement, and the codebook: each label with its
``description`` from the config and its key (1, 2, ...; ``none`` last). ``b`` takes back the previous answer,
``q`` (or Ctrl-D, Ctrl-C) stops. Every answer is written to the file at once (atomically), so stopping loses
nothing, and a later run resumes at the first statement this coder has not coded. The model's labels are never
shown. A second coder works on the same file with ``--coder NAME``: the answers go to a column ``label_NAME`` and
the first coder's ``label`` column is not shown either.
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

from ..columns import NONE
from ..io import InputError, write_csv
from .sample import read_sample

#: Keys for the labels, in order (b and q are commands).
KEYS = "123456789acdefghijklmnoprstuvwxyz"
WIDTH = 100


def coder_column(coder: str | None) -> str:
    """``label`` for the first coder, ``label_<coder>`` for any other."""
    if coder is None:
        return "label"
    if not re.fullmatch(r"[A-Za-z0-9_-]+", coder):
        raise InputError(f"coder name {coder!r}: use letters, digits, '_' or '-' (it becomes a column name)")
    return f"label_{coder}"


def read_key() -> str:
    """One key press from the terminal (no Enter needed); from a pipe, one line."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.strip()[:1]
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        key = sys.stdin.read(1)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    if key in ("\x04", ""):
        raise EOFError
    return key


def label_descriptions(config: dict) -> dict[str, str]:
    """Each label's ``description`` from the config (what coders go by), and one for ``none``."""
    out = {name: spec.get("description", "") for name, spec in config["labels"].items()}
    out[NONE] = "None of the stances above: background, events, biography, or text that is not the article's."
    return out


def codebook(names: list[str], descriptions: Mapping[str, str]) -> dict[str, str]:
    """Key -> label."""
    if len(names) > len(KEYS):
        raise InputError(f"{len(names)} labels: the terminal coder has keys for at most {len(KEYS)}")
    return dict(zip(KEYS, names))


def _screen(row, number: int, total: int, done: int, keys: Mapping[str, str], descriptions: Mapping[str, str]) -> str:
    wrap = lambda text, indent="    ": textwrap.fill(str(text), WIDTH, initial_indent=indent, subsequent_indent=indent)  # noqa: E731
    lines = [
        "",
        "=" * WIDTH,
        f"Statement {number} of {total} ({done} coded)   article: {row.article}, statement {row.statement_id}",
        "",
        "Context (its paragraph):",
        wrap(row.context) if row.context != row.text else "    (the statement is the whole paragraph)",
        "",
        "Statement:",
        wrap(row.text, "  > "),
        "",
    ]
    for key, name in keys.items():
        lines.append(wrap(f"[{key}] {name}: {descriptions.get(name, '')}".rstrip(": "), "  ").lstrip())
    lines.append("[b] back to the previous statement   [q] stop (everything coded is saved)")
    return "\n".join(lines)


def annotate(
    path: str | Path,
    names: list[str],
    descriptions: Mapping[str, str],
    *,
    coder: str | None = None,
    read_key: Callable[[], str] = read_key,
    write: Callable[[str], None] = print,
) -> int:
    """Code the uncoded statements of the sample file ``path`` (see the module docstring); returns how many were
    coded in this session. ``read_key`` and ``write`` are the terminal (tests pass scripted keys)."""
    sample = read_sample(path)
    column = coder_column(coder)
    if column not in sample.columns:
        sample[column] = ""
    entered = sample[column].str.strip()
    bad = entered.ne("") & ~entered.isin(names)
    if bad.any():
        lines = [int(i) + 2 for i in sample.index[bad][:10]]
        raise InputError(
            f"{path}: lines {lines}: {column} holds labels that are not configured ({sorted(set(entered[bad]))[:5]}); "
            f"configured: {', '.join(names)}"
        )
    keys = codebook(names, descriptions)
    pending = [i for i in sample.index if entered[i] == ""]
    done_before = len(sample) - len(pending)
    history: list[int] = []
    pos = 0
    if not pending:
        write(f"All {len(sample)} statements of {path} are coded ({column}).")
        return 0
    while pos < len(pending):
        i = pending[pos]
        write(_screen(sample.loc[i], i + 1, len(sample), done_before + len(history), keys, descriptions))
        try:
            key = read_key()
        except (EOFError, KeyboardInterrupt):
            break
        if key in keys:
            sample.at[i, column] = keys[key]
            write_csv(path, sample)
            history.append(i)
            pos += 1
        elif key == "b" and history:
            sample.at[history.pop(), column] = ""
            write_csv(path, sample)
            pos -= 1
        elif key == "q":
            break
        else:
            write(f"'{key}' is not a key here: use {', '.join(keys)} for a label, b to go back, q to stop.")
    left = len(pending) - pos
    write(f"\nSaved {path}: {len(history)} coded now, {left} left for {column}.")
    return len(history)
