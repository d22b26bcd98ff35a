"""Agreement between the writers' labels and a second coder's, on a sample of the written statements.

    python data/synthetic/agreement/agreement.py

Reads ``sample.csv`` (360 statements, 20 per debate, drawn with seed 7 and shown to the second coder without
labels) and ``second_coder.csv``, and writes ``agreement.json``: Cohen's kappa and Krippendorff's alpha with
bootstrap intervals (``stancemap.validation.agreement.two_coder_report``), raw agreement, the confusion matrix,
agreement by form (``kind``), and how often the two coders put one statement on opposite sides (pro vs anti).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from stancemap.validation.agreement import two_coder_report

HERE = Path(__file__).resolve().parent


def main() -> None:
    sample = pd.read_csv(HERE / "sample.csv")
    second = pd.read_csv(HERE / "second_coder.csv")
    first = pd.read_csv(HERE.parent / "statements.csv")
    both = sample.merge(first[["debate", "statement_id", "label", "kind"]], on=["debate", "statement_id"])
    both = both.merge(second[["item", "label", "confidence"]], on="item", suffixes=("_writer", "_second"))
    assert len(both) == len(sample) == len(second), "sample, statements and second coder do not line up"
    result = two_coder_report(
        both.assign(unit=both["debate"] + ":" + both["statement_id"].astype(str)), first="writer", second="second"
    )
    (HERE / "agreement.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
