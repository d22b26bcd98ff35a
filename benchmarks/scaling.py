"""Does the workflow scale to a corpus? DAG build time for up to 1,000 articles, and full-run wall time for a few
corpus sizes (is it linear?).

    python benchmarks/scaling.py      # about 10 minutes on 2 cores; writes benchmarks/results/scaling.json

Articles are generated: short (five sentences) English texts assembled from a fixed list of sentences with a
seeded random generator, so that every run sees the same corpus.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = [
    "The allies agreed to send more air defence systems to Ukraine.",
    "Diplomats said it was time to negotiate a ceasefire with Russia.",
    "Officials in Kyiv rejected any talks while Russian troops occupy their land.",
    "The minister grew up in a small town and studied law.",
    "NATO members promised to keep the coalition united.",
    "Critics argued that talks with Moscow would be a waste of time.",
    "The summit ended without a joint statement.",
    "Some lawmakers urged both sides to seek a negotiated settlement.",
]


def make_corpus(folder: Path, n: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    raw = folder / "data/raw"
    raw.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        paragraphs = [" ".join(rng.sample(SENTENCES, 2)), " ".join(rng.sample(SENTENCES, 3))]
        (raw / f"article-{i:04d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def snakemake(folder: Path, *args: str) -> float:
    cmd = [
        sys.executable,
        "-m",
        "snakemake",
        "-s",
        str(ROOT / "Snakefile"),
        "--directory",
        str(folder),
        "--cores",
        "2",
        "--quiet",
        "all",
        *args,
    ]
    started = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(result.stdout[-2000:] + result.stderr[-2000:])
    return time.perf_counter() - started


def project(n: int) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"stancemap-scale-{n}-"))
    shutil.copytree(ROOT / "config", folder / "config")
    make_corpus(folder, n)
    return folder


def main() -> None:
    dag = {}
    for n in (100, 300, 1000):
        folder = project(n)
        dag[n] = round(snakemake(folder, "--dry-run"), 2)
        print(f"dry run, {n} articles: {dag[n]} s", flush=True)
        shutil.rmtree(folder)
    runs = {}
    for n in (8, 16, 32):
        folder = project(n)
        runs[n] = round(snakemake(folder), 1)
        print(f"full run, {n} articles: {runs[n]} s", flush=True)
        shutil.rmtree(folder)
    sizes = sorted(runs)
    per_article = {n: round(runs[n] / n, 2) for n in sizes}
    result = {
        "dag_build_seconds_by_articles": dag,
        "full_run_seconds_by_articles": runs,
        "seconds_per_article": per_article,
        "ratio_largest_to_smallest_per_article": round(per_article[sizes[-1]] / per_article[sizes[0]], 2),
        "cores": os.cpu_count(),
        "note": "dry run = building the DAG up to the ingest checkpoints; full run = every rule, --cores 2",
    }
    out = ROOT / "benchmarks/results/scaling.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
