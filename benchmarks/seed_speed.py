"""Statements per second and peak memory, classifying the seed article with the project's labels, per model.

    python benchmarks/seed_speed.py        # writes benchmarks/results/seed_speed.json (under a minute)

Each model runs in a fresh Python process (so peak memory is that model's alone, imports included), with 2
threads, no prediction cache, on the seed's statements (boilerplate removed) and every hypothesis of
``config/config.yaml``. Statements per second counts scoring only; peak memory is the process's maximum resident
set, loading included.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import yaml
from stancemap.stance.classify import classify_statements
from stancemap.text.boilerplate import find_boilerplate
from stancemap.models import load_scorer
from stancemap.text.segment import segment_text
root = Path(sys.argv[1]); model = json.loads(sys.argv[2])
config = yaml.safe_load((root / "config/config.yaml").read_text())
config.update(cache_dir="", context="none", labeller="direct", model={**model, "threads": 2})
text = (root / "data/raw/blinken-ukraine-2023.txt").read_text(encoding="utf-8")
statements = segment_text(text, "seed", find_boilerplate(text)[0])
scorer = load_scorer(config["model"])
started = time.perf_counter()
stats = {}
table = classify_statements(statements, scorer, config, stats)
seconds = time.perf_counter() - started
print(json.dumps({"model": model, "statements": len(table), "pairs": stats["pairs"], "seconds": round(seconds, 3),
                  "statements_per_s": round(len(table) / seconds, 1), "pairs_per_s": round(stats["pairs"] / seconds, 1),
                  "peak_mem_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "torch_imported": "torch" in sys.modules}))
"""


def main() -> None:
    models = [{"backend": "embedding", "name": "default"}, {"backend": "onnx", "name": "default"}]
    results = []
    for model in models:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(ROOT), json.dumps(model)], check=True, capture_output=True, text=True
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(results[-1], flush=True)
    path = ROOT / "benchmarks/results/seed_speed.json"
    path.write_text(
        json.dumps({"machine": "2-core machine (see classify_speed.json)", "runs": results}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
