"""Failures: which articles were left out of the analysis, and why (``results/failures.csv``).

Columns: ``article, source, stage, error``. Written on every run, empty (header only) when every article passed,
so its absence never has to be interpreted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..columns import FAILURE_COLUMNS
from ..io import write_csv


def read_status(meta_json: str | Path) -> dict:
    return json.loads(Path(meta_json).read_text(encoding="utf-8"))


def collect_failures(meta_jsons: list[str | Path], out_csv: str | Path) -> pd.DataFrame:
    rows = [read_status(p) for p in sorted(map(str, meta_jsons))]
    failed = pd.DataFrame([r for r in rows if r.get("status") != "ok"], columns=FAILURE_COLUMNS)
    write_csv(out_csv, failed)
    return failed
