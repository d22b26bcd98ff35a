"""Running one workflow step: log to the step's log file, and end a user error with its message, not a traceback."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from .io import InputError


def run_step(log_path: str, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Call ``fn(*args, **kwargs)`` with stderr and logging going to ``log_path``.

    An :class:`InputError` (a problem with the user's file or config) exits with its one-line message, written to
    the log and to the terminal (the job's own stderr, which Snakemake shows above "Error in rule"); any other
    exception is a bug and keeps its traceback in the log.
    """
    sys.stderr = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 (open for the rest of the job)
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", force=True
    )
    try:
        return fn(*args, **kwargs)
    except InputError as err:
        logging.getLogger("stancemap").error("%s", err)
        print(f"stancemap: {err}", file=sys.__stderr__, flush=True)
        sys.exit(f"stancemap: {err}")
