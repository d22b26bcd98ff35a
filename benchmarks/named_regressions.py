"""Issue 16's named regressions, made one at a time in a copy of the package: does the test suite catch each?

Each change below is one the issue reports as passing every test before. The script copies ``src/`` to a temporary
folder, makes the change there (the working tree is not touched), runs the rule tests against the copy and records
which test failed first. A change no test catches is a failure of this check. Run by hand (about 5 minutes):

    python benchmarks/named_regressions.py        # writes benchmarks/results/named_regressions.json
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = [
    "tests/test_rules_stats.py",
    "tests/test_rules_stance.py",
    "tests/test_rules_text.py",
    "tests/test_rules_text_cases.py",
    "tests/test_rules_report.py",
    "tests/test_classify.py",
    "tests/test_segment.py",
    "tests/test_speakers.py",
    "tests/test_clean.py",
]

#: (what the issue calls it, file under src/stancemap, the exact text, what it becomes)
CHANGES = [
    (
        "none threshold lowered by 0.2",
        "stance/classify.py",
        'columns.append(np.full(len(statements), float(none["threshold"])))',
        'columns.append(np.full(len(statements), float(none["threshold"]) - 0.2))',
    ),
    (
        "the config's softmax temperature ignored",
        "stance/classify.py",
        'return decide(raw, names, config["temperature"])',
        "return decide(raw, names, 0.05)",
    ),
    (
        "textacy's direct quotations switched off",
        "text/speakers.py",
        "triples = list(direct_quotations(doc))",
        "triples = []",
    ),
    ("maximum headline length halved", "text/boilerplate.py", "_MAX_HEADLINE_WORDS = 16", "_MAX_HEADLINE_WORDS = 8"),
    (
        "maximum headline length more than doubled",
        "text/boilerplate.py",
        "_MAX_HEADLINE_WORDS = 16",
        "_MAX_HEADLINE_WORDS = 33",
    ),
    (
        "masthead rule widened tenfold",
        "text/boilerplate.py",
        "_GLUED.search(body[i]) and _words(body[i]) <= 10",
        "_GLUED.search(body[i]) and _words(body[i]) <= 100",
    ),
    (
        "statements with no letters kept",
        "text/segment.py",
        "if not _HAS_LETTER.search(text, s_start, s_end):",
        "if False:",
    ),
    (
        "Holm's correction dropped",
        "report/compare.py",
        'holm(table["p_permutation"].to_numpy())',
        'table["p_permutation"].to_numpy()',
    ),
    (
        "Cramér's V without its square root",
        "report/compare.py",
        "float(np.sqrt(stat / (len(pooled) * max(min(table.shape) - 1, 1))))",
        "float(stat / (len(pooled) * max(min(table.shape) - 1, 1)))",
    ),
    ("bootstrap intervals at the wrong level", "report/stats.py", "alpha = (1 - level) / 2", "alpha = 1 - level"),
]


def run(change: tuple[str, str, str, str], work: Path) -> dict:
    name, file, old, new = change
    src = work / "src"
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("weights", "__pycache__"))
    (src / "stancemap/weights").symlink_to(ROOT / "src/stancemap/weights")
    path = src / "stancemap" / file
    text = path.read_text(encoding="utf-8")
    if text.count(old) != 1:
        raise SystemExit(f"{file}: the text to change is not there exactly once: {old!r}")
    path.write_text(text.replace(old, new), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(src), "HF_HUB_OFFLINE": "1"}
    tests = [t for t in TESTS if (ROOT / t).exists()]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    failed = re.findall(r"^FAILED (\S+)", result.stdout, flags=re.M)
    return {"change": name, "file": file, "caught": result.returncode != 0, "first_failure": failed[:1]}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        # the unchanged copy must pass, or a "caught" below would mean nothing
        baseline = run(("unchanged", "stance/classify.py", "def decide(", "def decide("), Path(tmp))
        if baseline["caught"]:
            raise SystemExit("the rule tests fail on the unchanged package; fix that first")
        rows = []
        for change in CHANGES:
            row = run(change, Path(tmp))
            rows.append(row)
            print(f"{'caught ' if row['caught'] else 'MISSED '} {row['change']}: {row['first_failure']}", flush=True)
    out = ROOT / "benchmarks/results/named_regressions.json"
    out.write_text(json.dumps({"tests": TESTS, "changes": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"{sum(r['caught'] for r in rows)} of {len(rows)} caught; written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
