"""The whole workflow, run by Snakemake's CLI on small articles written here, with the real default model."""

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

ARTICLE_TXT = """Talks stall as allies meet

Diplomats met in Brussels on Tuesday. NATO allies pledged to stay united and keep sending weapons to Ukraine.

“We should seize the chance to negotiate an end to the war,” said Gen. A. B. Carter of the U.S. Army.\r
Critics said talks with Moscow would be a waste of time until Ukraine wins on the battlefield.
"""

ARTICLE_MD = """# Envoy urges ceasefire

The **envoy** called for peace talks and a ceasefire with Russia. She grew up in [Vienna](https://example.org).
"""


GERMAN = (
    "Die Verhandlungen mit Russland sind nach Ansicht der Regierung derzeit nicht sinnvoll, weil der Krieg "
    "weitergeht und die Ukraine von ihren Partnern weiterhin Waffen bekommt. Der Kanzler sagte, man werde die "
    "Ukraine so lange wie nötig unterstützen und keine Entscheidung über ihren Kopf hinweg treffen.\n"
)


#: The most threads Snakemake's process had during the fixture's run (see test_the_scheduler_does_not_pile_up_timers).
SNAKEMAKE_THREADS: list[int] = []


def snakemake(
    workdir: Path, *args: str, home: Path | None = None, threads: list | None = None
) -> subprocess.CompletedProcess:
    """Run the workflow in ``workdir``; with ``threads`` (a list), append the most threads Snakemake's own process
    had at once (sampled every 20 ms)."""
    cmd = [
        sys.executable,
        "-m",
        "snakemake",
        "-s",
        str(ROOT / "Snakefile"),
        "--directory",
        str(workdir),
        "--cores",
        "2",
        *args,
    ]
    env = dict(os.environ, HOME=str(home)) if home else None
    if threads is None:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    most, done = 0, threading.Event()

    def sample() -> None:
        nonlocal most
        while not done.wait(0.02):
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
            except OSError:
                continue
            most = max(most, int(re.search(r"^Threads:\s+(\d+)", status, re.M).group(1)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate(timeout=600)
    done.set()
    sampler.join()
    threads.append(most)
    return subprocess.CompletedProcess(cmd, process.returncode, stdout, stderr)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    work = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "config", work / "config")
    (work / "data/raw").mkdir(parents=True)
    (work / "data/raw/alpha.txt").write_bytes(ARTICLE_TXT.encode("utf-8"))
    (work / "data/raw/beta.md").write_text(ARTICLE_MD, encoding="utf-8")
    # Bad input that must be recorded, not crash the run: empty, a PDF saved as .txt, German, unsupported type.
    (work / "data/raw/empty.txt").write_text("   \n", encoding="utf-8")
    (work / "data/raw/scan.txt").write_bytes(b"%PDF-1.5\n%\xb5\xed\xae\xfb\n")
    (work / "data/raw/deutsch.txt").write_text(GERMAN, encoding="utf-8")
    (work / "data/raw/notes.docx").write_bytes(b"PK\x03\x04")
    (work / "data/gold").mkdir(parents=True)
    text = ARTICLE_TXT.replace("\r\n", "\n")
    start = text.index("NATO allies")
    (work / "data/gold/alpha.csv").write_text(
        f"start,end,label\n{start},{text.index('Ukraine.', start) + 8},alliance_focused\n0,26,none\n"
    )
    home = tmp_path_factory.mktemp("home")
    result = snakemake(work, home=home, threads=SNAKEMAKE_THREADS)
    assert result.returncode == 0, result.stderr[-4000:]
    # Nothing of ours outside the project; Snakemake itself keeps a copy of the rule scripts in ~/.cache/snakemake.
    outside = [p for p in home.rglob("*") if p.is_file() and ".cache/snakemake" not in p.as_posix()]
    assert not outside, f"the run wrote outside the project: {outside}"
    return work


def test_the_scheduler_does_not_pile_up_timers(project):
    # Snakemake 9.27's job-rate limiter starts a timer thread at every pass of the scheduler loop and each timer's
    # wake-up starts another, so a run's live threads grow with its finished jobs (12 for this project's 20 jobs,
    # hundreds on a corpus, each waking the scheduler every second). common.smk drops the limiter for local runs:
    # the main thread, the job threads and a few of Snakemake's own stay.
    import snakemake.scheduling.job_scheduler as job_scheduler

    assert "self.job_rate_limiter" in Path(job_scheduler.__file__).read_text(), "Snakemake renamed the limiter"
    assert SNAKEMAKE_THREADS and SNAKEMAKE_THREADS[0] <= 8, f"{SNAKEMAKE_THREADS[0]} threads at once"


def test_a_rate_limit_the_user_sets_is_kept(tmp_path):
    # Only Snakemake's default limit (100/1s) is dropped: one a user asks for is theirs, timers and all (the same
    # two articles pile up 12 threads with it, 5 without).
    shutil.copytree(ROOT / "config", tmp_path / "config")
    (tmp_path / "data/raw").mkdir(parents=True)
    (tmp_path / "data/raw/alpha.txt").write_text(ARTICLE_TXT, encoding="utf-8")
    (tmp_path / "data/raw/beta.md").write_text(ARTICLE_MD, encoding="utf-8")
    threads = []
    result = snakemake(tmp_path, "--max-jobs-per-timespan", "50/1s", threads=threads)
    assert result.returncode == 0, result.stderr[-3000:]
    assert threads[0] > 8, f"{threads[0]} threads at once: the limiter was dropped"


def test_statements_index_the_text(project):
    text = (project / "data/processed/alpha/text.txt").read_text(encoding="utf-8")
    assert "\r" not in text
    stances = pd.read_csv(project / "results/alpha/stances.csv")
    assert list(stances.columns[:6]) == ["article", "statement_id", "start", "end", "paragraph", "text"]
    assert {"label", "confidence", "is_quote", "quote_id", "speaker"} <= set(stances.columns)
    assert all(text[r.start : r.end] == r.text for r in stances.itertuples())
    assert (
        "“We should seize the chance to negotiate an end to the war,” said Gen. A. B. Carter of the U.S. Army."
        in stances["text"].tolist()
    )
    assert set(stances["label"]) <= {"pro_negotiation", "anti_negotiation", "alliance_focused", "none"}
    quote = stances[stances["text"].str.startswith("“We should seize")].iloc[0]
    assert quote["is_quote"] and "Carter" in quote["speaker"]
    assert stances.loc[stances["text"].str.startswith("Critics said"), "speaker"].iloc[0] == "Critics"
    removed = pd.read_csv(project / "data/processed/alpha/removed.csv")
    assert removed[["reason", "text"]].values.tolist() == [["title", "Talks stall as allies meet"]]
    assert "Talks stall as allies meet" not in stances["text"].tolist()
    assert stances["confidence"].between(0, 1).all()


def test_outputs_tables_figures_and_provenance(project):
    import json

    run = json.loads((project / "results/beta/run.json").read_text())
    assert run["model"]["weights_sha256"] and run["labels"]["pro_negotiation"] and run["versions"]["torch"]
    meta = json.loads((project / "data/processed/beta/meta.json").read_text())
    assert meta["title"] == "Envoy urges ceasefire"
    for article in ["alpha", "beta"]:
        for name in ["label_summary", "top_statements"]:
            assert (project / f"results/{article}/tables/{name}.md").exists()
        for name in ["stance_shares", "stance_along_article"]:
            for ext in ["png", "svg"]:
                assert (project / f"results/{article}/figures/{name}.{ext}").stat().st_size > 1000
    comparison = pd.read_csv(project / "results/comparison/stance_shares.csv")
    assert sorted(comparison["article"].unique()) == ["alpha", "beta"]
    assert (project / "results/comparison/stance_shares.png").exists()


def test_without_article_figures_every_table_is_made_and_no_figure(tmp_path):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    config = tmp_path / "config/config.yaml"
    shipped = config.read_text()
    assert "\n  article_figures: true\n" in shipped
    config.write_text(shipped.replace("\n  article_figures: true\n", "\n  article_figures: false\n"))
    (tmp_path / "data/raw").mkdir(parents=True)
    (tmp_path / "data/raw/beta.md").write_text(ARTICLE_MD, encoding="utf-8")
    result = snakemake(tmp_path)
    assert result.returncode == 0, result.stderr[-4000:]
    tables = tmp_path / "results/beta/tables"
    for name in ["label_summary.csv", "top_statements.csv", "stance_by_speaker.csv", "sensitivity.csv"]:
        assert (tables / name).stat().st_size > 0
    assert not (tmp_path / "results/beta/figures").exists()
    assert "plot_stances" not in result.stderr
    # Switched on later, the figures are drawn and no table is made again.
    config.write_text(shipped)
    planned = snakemake(tmp_path, "--dry-run")
    assert planned.returncode == 0, planned.stderr[-4000:]
    rules = set(re.findall(r"^\s*(?:local)?rule (\w+):", planned.stdout + planned.stderr, re.M))
    assert rules == {"plot_stances", "all"}, rules


def test_rerun_is_byte_identical(project):
    files = [
        "results/alpha/stances.csv",
        "results/alpha/tables/label_summary.csv",
        "results/comparison/stance_shares.csv",
        "results/alpha/figures/stance_shares.svg",
    ]
    before = {f: (project / f).read_bytes() for f in files}
    result = snakemake(project, "--forceall")
    assert result.returncode == 0, result.stderr[-4000:]
    assert {f: (project / f).read_bytes() for f in files} == before


def test_adding_an_article_reruns_only_its_jobs_and_the_comparison(project):
    untouched = [
        "results/alpha/stances.csv",
        "results/alpha/figures/stance_shares.png",
        "results/beta/tables/label_summary.csv",
        "data/processed/alpha/statements.csv",
    ]
    before = {f: (project / f).stat().st_mtime_ns for f in untouched}
    comparison_before = (project / "results/comparison/stance_shares.csv").stat().st_mtime_ns
    (project / "data/raw/gamma.txt").write_text("Allies must stay united behind Ukraine.\n", encoding="utf-8")
    try:
        result = snakemake(project)
        assert result.returncode == 0, result.stderr[-4000:]
        assert {f: (project / f).stat().st_mtime_ns for f in untouched} == before
        assert (project / "results/gamma/stances.csv").exists()
        assert (project / "results/comparison/stance_shares.csv").stat().st_mtime_ns > comparison_before
        assert "gamma" in (project / "results/comparison/stance_shares.csv").read_text()
    finally:
        (project / "data/raw/gamma.txt").unlink()
        assert snakemake(project).returncode == 0


def test_config_error_stops_before_any_job(project, tmp_path):
    bad = tmp_path / "bad.yaml"
    shipped = (project / "config/config.yaml").read_text()
    assert re.search(r"^  threshold: [0-9.]+$", shipped, re.M), "the config has no none threshold to break"
    bad.write_text(re.sub(r"^  threshold: [0-9.]+$", "  threshold: 7", shipped, flags=re.M))
    result = snakemake(project, "--configfile", str(bad), "--dry-run")
    assert result.returncode != 0 and "threshold" in result.stdout + result.stderr


def test_bad_articles_are_recorded_and_the_others_analysed(project):
    failures = pd.read_csv(project / "results/failures.csv")
    assert sorted(failures["article"]) == ["deutsch", "empty", "scan"]
    reasons = dict(zip(failures["article"], failures["error"]))
    assert "empty" in reasons["empty"] and "PDF" in reasons["scan"] and "English" in reasons["deutsch"]
    assert all(f"data/raw/{a}.txt" in reasons[a] for a in reasons)
    assert not (project / "results/deutsch").exists() and not (project / "results/notes").exists()
    comparison = (project / "results/comparison/stance_shares.md").read_text()
    assert "Articles included: alpha, beta." in comparison


def test_evaluation_is_written_for_articles_with_gold(project):
    import json

    metrics = json.loads((project / "results/alpha/evaluation/metrics.json").read_text())
    # The second gold span is the title, which the boilerplate stage removed: counted, not scored.
    assert metrics["n_gold"] == 2 and metrics["n_unmatched"] == 1 and metrics["n_scored"] == 1
    assert 0 <= metrics["macro_f1"] <= 1 and 0 <= metrics["ece"] <= 1
    assert len(metrics["confusion_matrix"]["rows_gold_columns_predicted"]) == 4
    for name in ["confusion_matrix.png", "reliability.png", "per_label.md", "matched.csv"]:
        assert (project / "results/alpha/evaluation" / name).exists()
    assert not (project / "results/beta/evaluation").exists()


def test_duplicate_stems_stop_before_any_job(tmp_path):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    (tmp_path / "data/raw").mkdir(parents=True)
    (tmp_path / "data/raw/a.txt").write_text("One article.")
    (tmp_path / "data/raw/a.md").write_text("Another article.")
    result = snakemake(tmp_path, "--dry-run")
    assert result.returncode != 0 and "same name" in result.stdout + result.stderr


def test_sensitivity_configured_variant_is_the_run_itself(project):
    """The 'configured' phrasing variant must reproduce stances.csv (same premises, same rule)."""
    for article in ["alpha", "beta"]:
        stances = pd.read_csv(project / f"results/{article}/stances.csv")
        variants = pd.read_csv(project / f"results/{article}/sensitivity_labels.csv")
        assert variants["configured"].tolist() == stances["label"].tolist()
        assert (
            variants["changed"]
            == (
                variants.filter(like="phrasing").nunique(axis=1).gt(1)
                | variants.filter(like="phrasing").ne(variants["configured"], axis=0).any(axis=1)
            )
        ).all()
