"""The whole workflow, run by Snakemake's CLI on small articles written here, with the real default model."""

import shutil
import subprocess
import sys
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


def snakemake(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--directory", str(workdir),
           "--cores", "2", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    work = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "config", work / "config")
    (work / "data/raw").mkdir(parents=True)
    (work / "data/raw/alpha.txt").write_bytes(ARTICLE_TXT.encode("utf-8"))
    (work / "data/raw/beta.md").write_text(ARTICLE_MD, encoding="utf-8")
    result = snakemake(work)
    assert result.returncode == 0, result.stderr[-4000:]
    return work


def test_statements_index_the_text(project):
    text = (project / "data/processed/alpha/text.txt").read_text(encoding="utf-8")
    assert "\r" not in text
    stances = pd.read_csv(project / "results/alpha/stances.csv")
    assert list(stances.columns[:8]) == ["article", "statement_id", "start", "end", "paragraph", "text", "label",
                                         "confidence"]
    assert all(text[r.start : r.end] == r.text for r in stances.itertuples())
    assert "“We should seize the chance to negotiate an end to the war,” said Gen. A. B. Carter of the U.S. Army." \
        in stances["text"].tolist()
    assert set(stances["label"]) <= {"pro_negotiation", "anti_negotiation", "alliance_focused", "none"}
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


def test_rerun_is_byte_identical(project):
    files = ["results/alpha/stances.csv", "results/alpha/tables/label_summary.csv",
             "results/comparison/stance_shares.csv", "results/alpha/figures/stance_shares.svg"]
    before = {f: (project / f).read_bytes() for f in files}
    result = snakemake(project, "--forceall")
    assert result.returncode == 0, result.stderr[-4000:]
    assert {f: (project / f).read_bytes() for f in files} == before


def test_adding_an_article_reruns_only_its_jobs_and_the_comparison(project):
    (project / "data/raw/gamma.txt").write_text("Allies must stay united behind Ukraine.\n", encoding="utf-8")
    try:
        result = snakemake(project, "--dry-run")
        assert result.returncode == 0, result.stderr[-4000:]
        out = result.stdout + result.stderr
        stats = out[out.index("Job stats:"):].split("\n\n")[0]
        counts = dict(line.split() for line in stats.splitlines()[3:] if line.strip())
        assert counts == {"article_text": "1", "statements": "1", "stances": "1", "stance_tables": "1",
                          "stance_figures": "1", "comparison": "1", "all": "1", "total": "7"}
        assert "alpha" not in " ".join(l for l in out.splitlines() if "wildcards:" in l)
    finally:
        (project / "data/raw/gamma.txt").unlink()


def test_config_error_stops_before_any_job(project, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((project / "config/config.yaml").read_text().replace("threshold: 0.38", "threshold: 7"))
    result = snakemake(project, "--configfile", str(bad), "--dry-run")
    assert result.returncode != 0 and "threshold" in result.stdout + result.stderr
