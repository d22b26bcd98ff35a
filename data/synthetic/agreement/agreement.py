"""Agreement between the writers' labels and a second coder's, on a sample of the written statements.

    python data/synthetic/agreement/agreement.py

Reads ``sample.csv`` (360 statements, 20 per debate, drawn with seed 7 and shown to the second coder without
labels) and ``second_coder.csv``, and writes ``agreement.json``: Cohen's kappa and Krippendorff's alpha with
bootstrap intervals (``stancemap.validation.agreement.coder_agreement``), raw agreement, the confusion matrix,
agreement by form (``kind``), and how often the two coders put one statement on opposite sides (pro vs anti).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from stancemap.validation.agreement import coder_agreement

HERE = Path(__file__).resolve().parent


def main() -> None:
    sample = pd.read_csv(HERE / "sample.csv")
    second = pd.read_csv(HERE / "second_coder.csv")
    first = pd.read_csv(HERE.parent / "statements.csv")
    both = sample.merge(first[["debate", "statement_id", "label", "kind"]], on=["debate", "statement_id"])
    both = both.merge(second[["item", "label", "confidence"]], on="item", suffixes=("_writer", "_second"))
    assert len(both) == len(sample) == len(second), "sample, statements and second coder do not line up"
    long = pd.concat(
        [
            both[["debate", "statement_id"]].assign(coder=coder, label=both[f"label_{coder}"])
            for coder in ("writer", "second")
        ]
    ).rename(columns={"debate": "article"})
    stats = coder_agreement(long, level=0.95, seed=7, resamples=2000)
    same = both["label_writer"] == both["label_second"]
    sides = {"pro_negotiation", "anti_negotiation"}
    both_sided = both["label_writer"].isin(sides) & both["label_second"].isin(sides)
    result = {
        "n": len(both),
        "raw_agreement": round(float(same.mean()), 3),
        **{
            row.measure: {"value": round(row.value, 3), "ci95": [round(row.ci_low, 3), round(row.ci_high, 3)]}
            for row in stats.itertuples()
        },
        "opposite_direction": int((both_sided & ~same).sum()),
        "both_pro_or_anti": int(both_sided.sum()),
        "agreement_by_confidence": same.groupby(both["confidence"]).agg(["mean", "size"]).round(3).to_dict("index"),
        "agreement_by_kind": same.groupby(both["kind"]).agg(["mean", "size"]).round(3).to_dict("index"),
        "confusion_writer_rows_second_columns": pd.crosstab(both["label_writer"], both["label_second"]).to_dict(
            "index"
        ),
    }
    (HERE / "agreement.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
