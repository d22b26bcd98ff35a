"""Outputs are atomic: an interrupted or failed write never leaves a file that a later run would trust."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from stancemap.io import write_csv
from stancemap.stance.classify import classify_file
from stancemap.text.segment import segment_text


def test_killed_classification_leaves_no_stances_file(tmp_path):
    segment_text("We should talk. Send tanks.", "a").to_csv(tmp_path / "statements.csv", index=False)
    script = textwrap.dedent(f"""
        import pathlib, time, numpy as np, yaml
        from stancemap.stance.classify import classify_file

        class Slow:
            def truncated(self, premises, hypotheses):
                return 0
            def score_pairs(self, premises, hypotheses):
                pathlib.Path({str(tmp_path / "started")!r}).touch()
                time.sleep(60)
                return np.zeros(len(premises))
            def fingerprint(self):
                return {{}}

        config = yaml.safe_load(open({str(ROOT / "config/config.yaml")!r}))
        classify_file({str(tmp_path / "statements.csv")!r}, {str(tmp_path / "stances.csv")!r},
                      {str(tmp_path / "run.json")!r}, config, scorer=Slow())
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.time() + 60
        while not (tmp_path / "started").exists():
            assert proc.poll() is None and time.time() < deadline, "classification did not start"
            time.sleep(0.1)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not (tmp_path / "stances.csv").exists() and not (tmp_path / "run.json").exists()


def test_a_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "table.csv"
    write_csv(target, pd.DataFrame({"a": [1, 2]}))
    before = target.read_bytes()

    def half_then_fail(self, path, **kwargs):
        Path(path).write_text("a\n1\n")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        write_csv(target, pd.DataFrame({"a": [3, 4]}))
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_statement_longer_than_the_model_limit_is_truncated_and_recorded(tmp_path, config):
    long = "Negotiations with Russia were discussed at great length by the allies again and again. " * 12
    segment_text(long.strip(), "a").pipe(lambda t: t.head(1).assign(text=long.strip(), end=len(long.strip()))).to_csv(
        tmp_path / "statements.csv", index=False
    )
    small = dict(config, model={**config["model"], "max_length": 32})
    table = classify_file(tmp_path / "statements.csv", tmp_path / "stances.csv", tmp_path / "run.json", small)
    assert len(table) == 1 and table["label"].iloc[0] in {
        "pro_negotiation",
        "anti_negotiation",
        "alliance_focused",
        "none",
    }
    assert json.loads((tmp_path / "run.json").read_text())["truncated"] == 1
