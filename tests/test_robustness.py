"""Outputs are atomic: an interrupted or failed write never leaves a file that a later run would trust."""

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from stancemap.io import outputs_together, write_csv, write_json
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


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_outputs_get_the_users_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_csv(tmp_path / "t.csv", pd.DataFrame({"a": [1]}))
        write_json(tmp_path / "t.json", {"a": 1})
    finally:
        os.umask(old)
    assert {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir()} == {"t.csv": mode, "t.json": mode}


def test_outputs_together_appear_together_or_not_at_all(tmp_path):
    with pytest.raises(RuntimeError), outputs_together():
        write_csv(tmp_path / "stances.csv", pd.DataFrame({"a": [1]}))
        assert not (tmp_path / "stances.csv").exists()  # held back until the block ends
        raise RuntimeError("killed between the two writes")
    assert list(tmp_path.iterdir()) == []  # no output and no temporary file left
    with outputs_together():
        write_csv(tmp_path / "stances.csv", pd.DataFrame({"a": [1]}))
        write_json(tmp_path / "run.json", {"n": 1})
        write_json(tmp_path / "run.json", {"n": 2})  # written twice: the last write wins
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.json", "stances.csv"]
    assert json.loads((tmp_path / "run.json").read_text()) == {"n": 2}


# --- the workflow, run by a real `snakemake` (two tiny articles, speakers off, short max_length) ---------------

ALPHA = (
    "Talks stall as allies meet\n\nNATO allies pledged to stay united and keep sending weapons to Ukraine. Critics "
    "said that talks with Moscow would be a waste of time until Ukraine wins on the battlefield, and that any "
    "ceasefire now would only let the Russian army rest, rearm and attack again next year.\n"
)
BETA = "The envoy called for peace talks and a ceasefire with Russia. She spoke in Vienna.\n"


def snakemake(workdir: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--directory", str(workdir)]
    return subprocess.run([*cmd, "--cores", "2", *args], capture_output=True, text=True, timeout=timeout)


def make_project(work: Path, outside: Path) -> Path:
    """A project with two articles, an empty one, a Word file and a link to a file outside data/raw/."""
    shutil.copytree(ROOT / "config", work / "config")
    config = (work / "config/config.yaml").read_text()
    config = config.replace("speakers: true", "speakers: false").replace("max_length: 256", "max_length: 24")
    (work / "config/config.yaml").write_text(config.replace("cache_dir: .cache/stancemap", 'cache_dir: ""'))
    raw = work / "data/raw"
    raw.mkdir(parents=True)
    (raw / "alpha.txt").write_text(ALPHA, encoding="utf-8")
    (raw / "beta.txt").write_text(BETA, encoding="utf-8")
    (raw / "empty.txt").write_text("  \n", encoding="utf-8")
    (raw / "notes.docx").write_bytes(b"PK\x03\x04")
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n" * 20)
    (raw / "passwd.txt").symlink_to(outside)
    return work


def outputs(work: Path) -> dict[str, bytes]:
    """Every file the pipeline wrote (results and processed data), by path."""
    return {
        p.relative_to(work).as_posix(): p.read_bytes()
        for folder in ("results", "data/processed")
        for p in sorted((work / folder).rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted run, under umask 022: its outputs and what it printed."""
    root = tmp_path_factory.mktemp("reference")
    work = make_project(root / "project", root / "passwd")
    old = os.umask(0o022)
    try:
        result = snakemake(work)
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr[-4000:]
    return work, result.stderr, outputs(work)


def test_end_of_run_summary_names_skipped_failed_and_truncated_once(reference):
    _, stderr, _ = reference
    assert stderr.count("stancemap summary") == 1
    summary = stderr[stderr.index("stancemap summary") :]
    assert "notes.docx: unsupported file type '.docx'" in summary
    assert "passwd.txt: a symbolic link" in summary
    assert "empty: data/raw/empty.txt: the file is empty" in summary
    # alpha has a sentence of well over 24 tokens; beta's two sentences are shorter.
    assert "statements longer than model.max_length (24 tokens)" in summary
    assert "alpha: 1 of 2 statement(s)" in summary and "beta:" not in summary.split("cut")[1]


def test_a_symlink_out_of_raw_dir_is_never_read(reference):
    work, _, files = reference
    assert not (work / "data/processed/passwd").exists() and not (work / "results/passwd").exists()
    assert not any(b"root:x:0:0" in content for content in files.values())


def test_outputs_are_readable_as_the_umask_allows(reference):
    work, _, _ = reference
    modes = {p.stat().st_mode & 0o777 for p in (work / "results").rglob("*") if p.is_file()}
    assert modes == {0o644}


def test_unloadable_model_stops_before_any_job_and_keeps_results(reference, tmp_path):
    work, _, before = reference
    bad = tmp_path / "missing.yaml"
    bad.write_text("model:\n  backend: nli\n  name: some/missing-model\n")
    result = snakemake(work, "--configfile", str(bad), timeout=120)
    assert result.returncode != 0
    lines = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if "some/missing-model" in line and "cannot be loaded" in line
    ]
    assert len(lines) == 1 and "tried" in lines[0] and "hf download some/missing-model" in lines[0]
    assert outputs(work) == before


@pytest.mark.parametrize(
    "change, words",
    [
        ("modle: {}\n", ["unknown key 'modle' (did you mean 'model'?)", "model: the model that scores"]),
        ("raw_dir: /etc\n", ['raw_dir: "/etc" is not allowed', "relative to the project (no '..', not absolute)"]),
        ("none: {threshold: 7}\n", ["none.threshold: 7 is not allowed", "allowed: a number >= 0 and <= 1"]),
    ],
)
def test_config_errors_are_a_few_lines(reference, tmp_path, change, words):
    work, _, _ = reference
    bad = tmp_path / "bad.yaml"
    bad.write_text(change)
    result = snakemake(work, "--configfile", str(bad), "--dry-run", timeout=120)
    shown = result.stdout + result.stderr
    assert result.returncode != 0
    for w in words:
        assert w in shown
    assert len(shown.strip().splitlines()) <= 8, shown  # not the schema and the whole config (370 lines)
    assert "^(?!" not in shown  # no regular expression


def wait_for(path: Path, proc: subprocess.Popen, deadline: float = 300) -> None:
    end = time.time() + deadline
    while not path.exists():
        assert proc.poll() is None, f"snakemake ended before {path} appeared"
        assert time.time() < end, f"{path} did not appear"
        time.sleep(0.02)


@pytest.mark.parametrize(
    "kill_when, whole_group",
    [
        ("data/processed/alpha/meta.json", True),  # right after the first article is decoded
        ("results/alpha/stances.csv", True),  # as a classify job finishes: its two outputs
        ("results/alpha/tables/label_summary.csv", False),  # Snakemake alone (OOM killer): its jobs run on
    ],
)
def test_a_killed_run_is_completed_by_a_rerun_byte_for_byte(reference, tmp_path, kill_when, whole_group):
    _, _, expected = reference
    work = make_project(tmp_path / "project", tmp_path / "passwd")
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--directory", str(work), "--cores", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(work / kill_when, proc)
        if whole_group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        end = time.time() + 300
        while True:  # the orphaned jobs finish (or were killed) before the rerun
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            assert time.time() < end
            time.sleep(0.2)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    # The documented recovery: the lock of the killed run is removed (safe: nothing runs in this folder), then
    # a plain rerun. No output of the killed run is deleted by hand.
    assert snakemake(work, "--unlock").returncode == 0
    result = snakemake(work)
    assert result.returncode == 0, result.stderr[-4000:]
    assert outputs(work) == expected


def test_comparison_is_removed_when_fewer_than_two_articles_remain(reference):
    """Runs last: it empties beta in the shared project."""
    work, _, files = reference
    assert "results/comparison/stance_shares.csv" in files
    (work / "data/raw/beta.txt").write_text("   \n", encoding="utf-8")
    result = snakemake(work)
    assert result.returncode == 0, result.stderr[-4000:]
    assert not (work / "results/comparison").exists()
    assert "results/comparison/ removed: fewer than two articles left to compare (alpha)" in result.stderr
    assert "beta: data/raw/beta.txt: the file is empty" in result.stderr


def test_a_refused_input_is_named_on_the_terminal_not_only_in_the_log(tmp_path):
    """run_step sends stderr to the job's log; the one-line reason a user must act on also reaches the terminal."""
    code = (
        "from stancemap.io import InputError\n"
        "from stancemap.step import run_step\n"
        "def refuse():\n"
        "    raise InputError('data/validation/labels.csv: lines [3]: unknown labels')\n"
        f"run_step({str(tmp_path / 'job.log')!r}, refuse)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == "stancemap: data/validation/labels.csv: lines [3]: unknown labels"
    assert "stancemap: data/validation/labels.csv" in (tmp_path / "job.log").read_text()
