"""The SLURM profile, run for real: a one-node SLURM cluster (tests/slurm/cluster.py, Debian's slurmctld, slurmd and
munge) runs the workflow through `snakemake --workflow-profile workflow/profiles/slurm` on two short articles, and
every file under results/ and data/processed/ comes out byte-identical to a local `snakemake --cores 2` run of an
identical copy. Nothing here names a rule: jobs are read from Snakemake's own log, files from the output trees.

Needs root and Debian's slurmctld and slurmd (installed by .ci/run); without them the test is skipped locally and
fails in CI. Notes: docs/slurm-test.md.
"""

import hashlib
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT

_spec = importlib.util.spec_from_file_location("slurm_cluster", ROOT / "tests/slurm/cluster.py")
slurm_cluster = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(slurm_cluster)

try:
    slurm_cluster.check_available()
    UNAVAILABLE = None
except slurm_cluster.Unavailable as e:
    UNAVAILABLE = str(e)
if UNAVAILABLE and not os.environ.get("CI"):
    pytest.skip(f"no SLURM cluster can run here: {UNAVAILABLE}", allow_module_level=True)

PROFILE = ROOT / "workflow/profiles/slurm"
# Compared trees: what the workflow writes for a reader and what it hands from one stage to the next. Nothing in
# them is excluded: run.json and provenance.csv hold no time stamps or host names, meta.json no absolute paths, and
# the figures are written without dates (checked on both runs: every file byte-identical). Logs (logs/, and
# Snakemake's and SLURM's under .snakemake/) are outside these trees and do differ: times, job ids, hosts.
TREES = ("results", "data/processed")
EXCLUDED: set[str] = set()
TIMEOUT = 900  # seconds for each run; a hung status query shows as a timeout with the run's log

ARTICLES = {
    "geneva-talks.txt": """Geneva talks resume as envoys test a ceasefire plan

Envoys from Kyiv and Moscow met in Geneva on Tuesday for the first direct talks in months. The Swiss foreign \
minister said both delegations had agreed to discuss a limited ceasefire around the Zaporizhzhia nuclear plant. \
"Diplomacy is the only way to end this war," said the United Nations mediator. A Ukrainian negotiator warned that \
Kyiv would not trade territory for a pause in the fighting. Russian officials insisted that any settlement must \
recognise what they called the new realities on the ground. European diplomats said the allies would keep \
coordinating sanctions while the talks continue. The next round is expected in two weeks.
""",
    "brussels-summit.txt": """Allies pledge air defence as Brussels summit weighs peace proposals

Leaders of the alliance gathered in Brussels to agree on a new package of air defence systems for Ukraine. "We must \
stay united behind Ukraine for as long as it takes," the secretary general told reporters. Several ministers argued \
that talks with the Kremlin would be a mistake while Russian missiles still strike Ukrainian cities. Others said a \
negotiated peace should be prepared now, so that a ceasefire can hold when the moment comes. Ukraine's foreign \
minister thanked the partners and asked for faster deliveries. The summit ended with a joint statement on long-term \
security guarantees.
""",
}

# What a user of this cluster would add on the command line to the project's profile (docs/slurm-test.md):
CLUSTER_ARGS = [
    # No slurmdbd here, so `sacct` fails ("Slurm accounting storage is disabled"); the plugin picks sacct whenever
    # the command exists, and a failed status query drops the job from its watch list: the run would hang.
    "--slurm-status-command",
    "squeue",
    # The plugin first looks at a job's state 40 s after submitting it, and again 40 s after each job that ends:
    # some 10 minutes for this DAG. Short jobs, so look after 2 s (then +10 s while nothing has finished).
    "--slurm-init-seconds-before-status-checks",
    "2",
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if UNAVAILABLE:
        pytest.fail(f"CI must run the SLURM test: {UNAVAILABLE}")
    running = slurm_cluster.Cluster(tmp_path_factory.mktemp(slurm_cluster.MARK))
    try:
        running.start()
        yield running
    finally:
        running.stop()


def project(path: Path) -> Path:
    shutil.copytree(ROOT / "config", path / "config")
    (path / "data/raw").mkdir(parents=True)
    for name, text in ARTICLES.items():
        (path / "data/raw" / name).write_text(text)
    return path


def snakemake(workdir: Path, args: list[str], env: dict[str, str]) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--directory", str(workdir), *args]
    with (workdir.parent / f"{workdir.name}.log").open("w") as log:
        return subprocess.Popen(cmd, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def finish(proc: subprocess.Popen, deadline: float) -> int:
    try:
        return proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # its own session: Snakemake and what it started
        proc.wait()
        return -9


@pytest.fixture(scope="module")
def runs(cluster, tmp_path_factory):
    """The same two articles run locally and on the cluster, at the same time (the cluster run mostly waits)."""
    base = tmp_path_factory.mktemp("runs")
    local, slurm = project(base / "local"), project(base / "slurm")
    started = time.monotonic()
    procs = {
        "slurm": snakemake(slurm, ["--workflow-profile", str(PROFILE), *CLUSTER_ARGS], cluster.env),
        "local": snakemake(local, ["--cores", "2"], {**os.environ}),
    }
    deadline = started + TIMEOUT
    codes = {name: finish(proc, deadline) for name, proc in procs.items()}
    seconds = time.monotonic() - started
    logs = {name: (base / f"{name}.log").read_text() for name in procs}
    run_id = re.search(r"SLURM run ID: (\S+)", logs["slurm"])
    queue = cluster.run(
        ["squeue", "--states=all", "--noheader", "--format=%i|%T|%C", f"--name={run_id.group(1) if run_id else '-'}"],
        check=False,
    ).stdout
    for name in procs:
        assert codes[name] == 0, f"{name} run: exit {codes[name]} after {seconds:.0f} s\n{logs[name][-6000:]}\n" + (
            "" if name == "local" else cluster.logs()
        )
    print(f"local and SLURM runs: {seconds:.0f} s")
    states = {jobid: (state, int(cpus)) for jobid, state, cpus in (line.split("|") for line in queue.split())}
    return {"local": local, "slurm": slurm, "logs": logs, "queue": states}


def tree(root: Path) -> dict[str, str]:
    files = {}
    for top in TREES:
        for path in sorted((root / top).rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and rel not in EXCLUDED:
                files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


JOB = re.compile(r"^(local)?(rule|checkpoint) (\S+):\n((?:    .*\n)+)", re.MULTILINE)
SUBMITTED = re.compile(r"^Job (\d+) has been submitted with SLURM jobid (\d+)", re.MULTILINE)


def jobs(log: str) -> list[dict]:
    """Every job Snakemake announced: rule, its jobid and threads, and whether it ran in Snakemake's own process."""
    found = []
    for local, _kind, rule, body in JOB.findall(log):
        fields = dict(re.findall(r"^    (\w+): (.*)$", body, re.MULTILINE))
        found.append({"rule": rule, "jobid": fields["jobid"], "threads": int(fields.get("threads", 1)), "local": local})
    return found


def test_the_cluster_writes_what_a_local_run_writes_byte_for_byte(runs):
    local, slurm = tree(runs["local"]), tree(runs["slurm"])
    assert len(local) > 10 and any(p.startswith("data/processed/") for p in local), sorted(local)
    missing = sorted(set(local) - set(slurm))
    extra = sorted(set(slurm) - set(local))
    differ = sorted(p for p in set(local) & set(slurm) if local[p] != slurm[p])
    assert not (missing or extra or differ), f"missing on SLURM: {missing}\nonly on SLURM: {extra}\ndiffer: {differ}"


def test_every_job_ran_as_a_slurm_job_and_completed(runs):
    local_jobs, slurm_jobs = jobs(runs["logs"]["local"]), jobs(runs["logs"]["slurm"])
    # The same jobs in both runs (a job the profile's `retries: 1` ran again is announced twice: counted once)...
    distinct = {j["jobid"]: j for j in slurm_jobs}
    assert Counter(j["rule"] for j in distinct.values()) == Counter(j["rule"] for j in local_jobs)
    # ...and on the cluster each one was submitted, but those Snakemake runs itself (a target rule, localrules).
    submissions = SUBMITTED.findall(runs["logs"]["slurm"])
    remote = [j for j in distinct.values() if not j["local"]]
    assert remote and not [j["rule"] for j in remote if j["jobid"] not in {jobid for jobid, _ in submissions}]
    # SLURM's own record: every submission of this run, and each job's last attempt COMPLETED.
    assert set(runs["queue"]) == {slurm_id for _, slurm_id in submissions}, runs["queue"]
    last = dict(submissions)
    assert {runs["queue"][slurm_id][0] for slurm_id in last.values()} == {"COMPLETED"}, runs["queue"]
    # A first attempt that failed and was retried is a finding, not a pass: it is said, loudly. Seen once in CI
    # (a classify job, exit status 1, its log overwritten by the retry; not reproduced in 4 runs since): why it
    # failed is now on the terminal and in the job's SLURM log (stancemap.step.fork_script shows the log's tail).
    retried = [(distinct[jobid]["rule"], slurm_id) for jobid, slurm_id in submissions if last[jobid] != slurm_id]
    if retried:
        warnings.warn(f"SLURM jobs failed and were retried: {retried}; see .snakemake/slurm_logs", stacklevel=1)


def test_each_slurm_job_gets_a_cpu_per_thread(runs):
    submitted = dict(SUBMITTED.findall(runs["logs"]["slurm"]))
    short = {
        j["rule"]: (j["threads"], runs["queue"][submitted[j["jobid"]]][1])
        for j in jobs(runs["logs"]["slurm"])
        if j["jobid"] in submitted and runs["queue"][submitted[j["jobid"]]][1] < j["threads"]
    }
    assert not short, f"rule: (threads, CPUs allocated) {short}"
