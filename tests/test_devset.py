"""The hand-labelled development set that chose the default labeller (data/dev/) must stay usable: every statement
verbatim in its source text, labels the configured ones, and enough of each direction to measure it."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_dev_statements_are_verbatim_and_labelled():
    done = subprocess.run([sys.executable, str(ROOT / "data/dev/check.py")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:]
    dev = pd.read_csv(ROOT / "data/dev/statements.csv", keep_default_na=False)
    labels = set(yaml.safe_load((ROOT / "config/config.yaml").read_text())["labels"]) | {"none"}
    assert set(dev["label"]) == labels
    counts = dev["label"].value_counts()
    assert counts["pro_negotiation"] >= 20 and counts["anti_negotiation"] >= 20
    seed = pd.read_csv(ROOT / "data/gold/blinken-ukraine-2023.csv")
    assert len(dev) + len(seed) >= 150
