"""Running one workflow step: log to the step's log file, end a user error with its message, not a traceback, and
run each job in a forked copy of a process that has already loaded what the job needs."""

from __future__ import annotations

import gc
import logging
import os
import runpy
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .io import InputError, remove_stale_temporaries


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


#: What a job can ask to find loaded when it starts (see :func:`fork_script`).
WARM_PARTS = ("tables", "text", "speakers", "model", "figures")
#: Held while loading and while forking: a fork during another thread's import would leave that module's import
#: lock held forever in the child.
_LOCK = threading.Lock()


def _warm(parts: Iterable[str], model: dict | None) -> None:
    for part in parts:
        if part == "tables":
            import pandas  # noqa: F401
        elif part == "text":
            from .text.spans import _segmenter

            _segmenter()
        elif part == "speakers":
            import textacy.extract.triples  # noqa: F401  (imported by the first quotation otherwise: 2 s)

            from .text.speakers import load_nlp

            load_nlp()
        elif part == "model":
            if model is not None and model["backend"] == "embedding":  # the one backend kept loaded
                from transformers.utils import logging as transformers_logging

                from .models import load_scorer

                transformers_logging.disable_progress_bar()  # this process writes to the terminal, not a log
                load_scorer({**model, "threads": 1})  # one thread: no thread pool to break in a forked child
        elif part == "figures":
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot
        else:
            raise ValueError(f"unknown part {part!r}; choose from {', '.join(WARM_PARTS)}")


def fork_script(script: str | Path, job: Any, warm: Iterable[str] = (), model: dict | None = None) -> None:
    """Run a workflow script in a forked copy of this process, with ``snakemake`` bound to ``job``.

    Why: a job started as a new Python process spends seconds importing pandas, spaCy, torch and matplotlib and
    loading the model, then a fraction of a second working, and an article passes through eight jobs. Here the
    parent (Snakemake's own process) loads what ``warm`` names once per run (``tables``: pandas; ``text``: the
    sentence splitter; ``speakers``: spaCy's English pipeline; ``model``: the scorer of the ``model`` config
    section; ``figures``: matplotlib), and each job is a fork that starts with it in memory. A fork is still a
    process of its own: jobs run in parallel on all cores, a crash or ``sys.exit`` ends only the child, and the
    parent sees its exit status. The script runs as under Snakemake's ``script:`` directive, so it runs the same
    on a cluster node.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    remove_stale_temporaries(job.output)  # a killed run's half-written files of this job's outputs
    with _LOCK:
        _warm(warm, model)
        gc.freeze()  # the collector then never walks (and so copies) the pages the child shares with us
        pid = os.fork()
    if pid == 0:  # the child: never return into Snakemake's code
        code = 1
        try:
            runpy.run_path(str(script), init_globals={"snakemake": job}, run_name="__main__")
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        except BaseException:
            traceback.print_exc()  # into the job's log once run_step has redirected stderr
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status, usage = os.wait4(pid, 0)
    if len(job.log):  # what the job cost, for benchmarks/scaling.py and anyone asking where the time goes
        with open(job.log[0], "a", encoding="utf-8") as log:
            log.write(
                f"stancemap job: {usage.ru_utime:.2f} s user, {usage.ru_stime:.2f} s system CPU, "
                f"peak resident {usage.ru_maxrss / 1024:.0f} MB (shared pages counted)\n"
            )
    code = os.waitstatus_to_exitcode(status)
    if code:
        what = f"signal {-code}" if code < 0 else f"exit status {code}"
        message = f"{Path(script).stem} ended with {what}"
        if len(job.log):  # its last lines, so that a retry overwriting the log does not lose why it failed
            lines = Path(job.log[0]).read_text(encoding="utf-8", errors="replace").splitlines()
            tail = [line for line in lines if not line.startswith("stancemap job:")][-12:]
            message += f"; the end of {job.log[0]}:\n" + "\n".join(tail)
        raise StepFailed(message)


class StepFailed(RuntimeError):
    """A forked job ended with a non-zero status; the reason is in its log (and on the terminal for input errors)."""
