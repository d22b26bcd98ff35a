"""What does one more article cost? Full runs of the default target on corpora of seed-sized articles.

    python benchmarks/scaling.py              # 1, 10, 100 and 300 articles: about 25 minutes on 2 cores
    python benchmarks/scaling.py --large      # and 1,000 articles: about 30 minutes more
    python benchmarks/scaling.py --sizes 100,300,1000   # cold runs of these sizes only (scaling-100-300-1000.json)

Then 10 and 100 articles again with ``report.article_figures: false`` (no per-article figures; what a large
corpus would run), about 5 minutes.

Writes ``benchmarks/results/scaling.json``. For each corpus size: the wall time of ``snakemake --cores 2`` from
nothing (``cold``: an empty prediction cache), the peak memory of the whole process tree (the sum of each
process's proportional set size, so that pages a forked job shares with Snakemake's process count once), and the
marginal seconds per article between consecutive sizes. On the 100-article corpus also: the same run again from
nothing but with the prediction cache kept (``with_cache``), and the time to add one article to the finished
corpus (what a researcher waits for after dropping one file into ``data/raw/``).

Articles are made from the seed (``data/raw/blinken-ukraine-2023.txt``, 2,500 words, 88 statements): its
paragraphs in a shuffled order, and in every sentence some names and nouns swapped for others of the same kind
with a seeded random generator, so that each article is seed-sized, English, laid out as the seed, and has
statements of its own (no article's statements are all in another's cache).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data/raw/blinken-ukraine-2023.txt"
SWAPS = [
    ["Blinken", "Sullivan", "Austin", "Nuland", "Kirby", "Price"],
    ["Zelensky", "Kuleba", "Yermak", "Reznikov", "Podolyak"],
    ["Russia", "Moscow", "the Kremlin"],
    ["Ukraine", "Kyiv"],
    ["war", "conflict", "invasion", "fighting"],
    ["talks", "negotiations", "diplomacy"],
    ["allies", "partners", "coalition members"],
    ["officials", "diplomats", "aides", "advisers"],
    ["Europe", "the European Union", "NATO"],
    ["said", "says", "noted", "argued"],
]
_WORD = {w: group for group in SWAPS for w in group}
_PATTERN = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _WORD), key=len, reverse=True)) + r")\b")


def make_article(rng: random.Random) -> str:
    """One seed-sized article: the seed's paragraphs shuffled (its first five lines, the header, stay first)."""
    paragraphs = SEED.read_text(encoding="utf-8").strip().split("\n\n")
    head, body = paragraphs[:3], paragraphs[3:]
    rng.shuffle(body)
    return "\n\n".join(head + [_PATTERN.sub(lambda m: rng.choice(_WORD[m.group(1)]), p) for p in body]) + "\n"


def make_corpus(folder: Path, n: int, seed: int = 0, first: int = 0) -> None:
    raw = folder / "data/raw"
    raw.mkdir(parents=True, exist_ok=True)
    for i in range(first, first + n):
        text = make_article(random.Random(seed * 100_003 + i))
        (raw / f"article-{i:04d}.txt").write_text(text, encoding="utf-8")


def _job_of(pid: int, folder: Path) -> str:
    """The log a forked job has open (``stancemap.step.run_step`` opens it), else the process's command."""
    logs = str(folder / "logs")
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(logs):
            return os.path.relpath(target, folder)
    return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")


def _tree_pss_kb(root: int, folder: Path) -> dict[str, int]:
    """Proportional set size, in KB, of ``root`` (``snakemake``) and of each of its descendants, named by its job.

    A forked job is named by the log it has open (``logs/<rule>/<article>.log``); anything else by its command.
    Their sum is the tree's memory: a page a job shares with Snakemake's process is counted once, split between
    them.
    """
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(status.parent.name))
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            name = "snakemake" if pid == root else _job_of(pid, folder)
        except OSError:
            continue
        found[f"{name} ({pid})" if name in found else name] = int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1))
    return found


def snakemake(folder: Path, *args: str) -> dict:
    """Run the default target in ``folder``: wall seconds, peak memory (GB) of the process tree and what it was.

    ``peak_at``: each process's share at the sampled peak, in MB, and when it came (seconds from the start);
    ``snakemake_peak_gb``: the peak of Snakemake's own process alone, which holds the job graph.
    """
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--directory", str(folder)]
    cmd += ["--cores", "2", "--quiet", "all", *args]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    peak, own, at, done = 0, 0, {}, threading.Event()

    def sample() -> None:
        nonlocal peak, own, at
        while not done.wait(0.25):
            tree = _tree_pss_kb(process.pid, folder)
            total = sum(tree.values())
            own = max(own, tree.get("snakemake", 0))
            if total > peak:
                peak, at = total, {"seconds": round(time.perf_counter() - started, 1), **tree}

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode:
        raise RuntimeError(output[-3000:])
    return {
        "seconds": round(seconds, 1),
        "peak_gb": round(peak / 1024**2, 2),
        "snakemake_peak_gb": round(own / 1024**2, 2),
        "peak_at": {k: v if k == "seconds" else round(v / 1024) for k, v in at.items()},
    }


def cpu_per_article(folder: Path, n: int) -> dict:
    """CPU seconds per article of each rule, from the jobs' logs (each ends with the CPU time of its fork)."""
    per_rule: dict[str, float] = {}
    for log in folder.glob("logs/**/*.log"):
        match = re.search(r"stancemap job: ([\d.]+) s user, ([\d.]+) s system", log.read_text(errors="replace"))
        if match:
            rule = log.parent.name if log.parent.name != "logs" else log.stem
            per_rule[rule] = per_rule.get(rule, 0.0) + float(match.group(1)) + float(match.group(2))
    return {rule: round(cpu / n, 3) for rule, cpu in sorted(per_rule.items(), key=lambda kv: -kv[1])}


def project(n: int, article_figures: bool = True) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"stancemap-scale-{n}-"))
    shutil.copytree(ROOT / "config", folder / "config")
    if not article_figures:
        config = folder / "config/config.yaml"
        text = config.read_text(encoding="utf-8")
        assert "\n  article_figures: true\n" in text
        config.write_text(text.replace("\n  article_figures: true\n", "\n  article_figures: false\n"))
    make_corpus(folder, n)
    return folder


def cold_run(n: int, article_figures: bool = True) -> tuple[dict, Path]:
    """A run from nothing on ``n`` articles: wall seconds, peak memory and the CPU of all its processes."""
    folder = project(n, article_figures)
    before = os.times()
    found = snakemake(folder)
    after = os.times()
    found["cpu_seconds"] = round(
        after.children_user + after.children_system - before.children_user - before.children_system, 1
    )
    return found, folder


def with_snakemake_itself(folder: Path, n: int, cpu_seconds: float) -> dict:
    """:func:`cpu_per_article` and Snakemake's own process (the whole run's CPU less its jobs')."""
    per_rule = cpu_per_article(folder, n)
    per_rule["snakemake_itself"] = round(cpu_seconds / n - sum(per_rule.values()), 3)
    return per_rule


def marginal_per_article(cold: dict[int, dict]) -> dict[str, float]:
    """Seconds per article between consecutive corpus sizes of ``cold`` (size -> run)."""
    sizes = sorted(cold)
    return {
        f"{a}->{b}": round((cold[b]["seconds"] - cold[a]["seconds"]) / (b - a), 2) for a, b in zip(sizes, sizes[1:])
    }


def write_result(result: dict, out: Path) -> None:
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def corpus_sizes(text: str) -> list[int]:
    """``--sizes``: comma-separated whole numbers of articles, at least 1 each; sorted, each once."""
    try:
        sizes = sorted({int(n) for n in text.split(",")})
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give whole numbers of articles, e.g. 100,300,1000") from None
    if sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a corpus has at least 1 article")
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also run 1,000 articles (about 30 minutes more)")
    parser.add_argument(
        "--sizes",
        type=corpus_sizes,
        help="only cold runs of these sizes (comma-separated), to benchmarks/results/scaling-SIZES.json",
    )
    args = parser.parse_args()
    if args.sizes:
        sizes = args.sizes
        cold = {}
        for n in sizes:
            cold[n], folder = cold_run(n)
            cold[n]["cpu_per_article"] = with_snakemake_itself(folder, n, cold[n]["cpu_seconds"])
            print(f"{n} articles, cold: {cold[n]}", flush=True)
            shutil.rmtree(folder)
        result = {
            "cold": {str(n): v for n, v in cold.items()},
            "marginal_seconds_per_article": marginal_per_article(cold),
            "cores": os.cpu_count(),
            "note": "cold runs only, of the sizes asked for (scaling.py --sizes ...); as in scaling.json",
        }
        write_result(result, ROOT / f"benchmarks/results/scaling-{'-'.join(map(str, sizes))}.json")
        return
    sizes = [1, 10, 100, 300] + ([1000] if args.large else [])
    cold, extra = {}, {}
    for n in sizes:
        cold[n], folder = cold_run(n)
        if n == 100:
            extra["cpu_per_article_100"] = with_snakemake_itself(folder, n, cold[n]["cpu_seconds"])
        print(f"{n} articles, cold: {cold[n]}", flush=True)
        if n == 100:
            make_corpus(folder, 1, first=n)
            extra["add_one_to_100"] = snakemake(folder)
            print(f"one article added to 100: {extra['add_one_to_100']}", flush=True)
            (folder / f"data/raw/article-{n:04d}.txt").unlink()
            for output in ("results", "data/processed", "logs"):
                shutil.rmtree(folder / output)
            extra["with_cache_100"] = snakemake(folder)
            print(f"100 articles, with the cache: {extra['with_cache_100']}", flush=True)
        shutil.rmtree(folder)
    marginal = marginal_per_article(cold)
    plain = {}
    for n in (10, 100):
        plain[n], folder = cold_run(n, article_figures=False)
        if n == 100:
            extra_plain = with_snakemake_itself(folder, n, plain[n]["cpu_seconds"])
        print(f"{n} articles, cold, without article figures: {plain[n]}", flush=True)
        shutil.rmtree(folder)
    result = {
        "cold": {str(n): v for n, v in cold.items()},
        "marginal_seconds_per_article": marginal,
        **extra,
        "without_article_figures": {
            "cold": {str(n): v for n, v in plain.items()},
            "marginal_seconds_per_article": {"10->100": round((plain[100]["seconds"] - plain[10]["seconds"]) / 90, 2)},
            "cpu_per_article_100": extra_plain,
        },
        "cores": os.cpu_count(),
        "article": "seed-sized (2,500 words, 88 statements), made from the seed (see the module docstring)",
        "note": "snakemake --cores 2, default config (speakers on, default model); peak = sum of PSS of the tree; "
        "cpu_seconds: user + system CPU of the whole run; cpu_per_article_100: each rule's jobs (their logs) and "
        "Snakemake's own process (the rest), per article, on the 100-article corpus",
    }
    write_result(result, ROOT / "benchmarks/results/scaling.json")


if __name__ == "__main__":
    main()
