"""The SLURM profile parses, selects the slurm executor and gives every job its cluster resources."""

import shutil
import subprocess
import sys

from conftest import ROOT

PROFILE = ROOT / "workflow/profiles/slurm"


def dry_run(tmp_path, profile):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    (tmp_path / "data/raw").mkdir(parents=True)
    (tmp_path / "data/raw/a.txt").write_text("The allies must stay united behind Ukraine.\n")
    cmd = [
        sys.executable,
        "-m",
        "snakemake",
        "-s",
        str(ROOT / "Snakefile"),
        "--directory",
        str(tmp_path),
        "--workflow-profile",
        str(profile),
        "--dry-run",
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=tmp_path)


def test_slurm_profile_dry_run(tmp_path):
    result = dry_run(tmp_path, PROFILE)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    assert "slurm_partition=standard" in out and "runtime=20" in out


def test_a_broken_profile_is_refused(tmp_path):
    broken = tmp_path / "profile"
    broken.mkdir()
    (broken / "config.yaml").write_text(
        (PROFILE / "config.yaml").read_text().replace("executor: slurm", "executor: slurmm")
    )
    result = dry_run(tmp_path / "p", broken)
    assert result.returncode != 0 and "slurmm" in result.stdout + result.stderr
