"""Agreement between the first coder's labels and a second coder's, on every real news sentence.

    python data/news/agreement/agreement.py

Reads ``sample.csv`` (all 394 sentences of batches n1 and n2, as in ``train/`` and ``heldout/`` when round 1 was
all there was, sorted by debate, article and sentence index, so each article in reading order; ``item`` numbers
them from 1; shown to the second coder without labels), ``second_coder.csv`` and the first labels in
``../batches/``, and writes ``agreement.json``: the two-coder report of
``stancemap.validation.agreement.two_coder_report`` for all sentences, and for the held-out and training debates
apart (the held-out ones are what ``benchmarks/heldout_debates.py --statements data/news/heldout`` measures on).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from stancemap.validation.agreement import two_coder_report

HERE = Path(__file__).resolve().parent


def main() -> None:
    sample = pd.read_csv(HERE / "sample.csv", dtype=str)
    second = pd.read_csv(HERE / "second_coder.csv", dtype=str, keep_default_na=False)
    first = pd.concat(
        [pd.read_csv(HERE.parent / "batches" / f"{b}.csv", dtype=str, keep_default_na=False) for b in ("n1", "n2")]
    )
    heldout = set(pd.read_csv(HERE.parent / "heldout/statements.csv", dtype=str)["debate"])
    both = sample.merge(first[["debate", "source", "sentence", "label", "kind"]], on=["debate", "source", "sentence"])
    both = both.merge(second[["item", "label", "confidence"]], on="item", suffixes=("_first", "_second"))
    assert len(both) == len(sample) == len(second), "sample, batches and second coder do not line up"
    both["unit"] = both["source"] + ":" + both["sentence"]
    result = {
        "all": two_coder_report(both, first="first", second="second"),
        "heldout": two_coder_report(both[both["debate"].isin(heldout)], first="first", second="second"),
        "train": two_coder_report(both[~both["debate"].isin(heldout)], first="first", second="second"),
    }
    (HERE / "agreement.json").write_text(json.dumps(result, indent=1) + "\n")
    for part, report in result.items():
        kappa = report["cohen_kappa"]
        print(
            f"{part}: n={report['n']}, raw {report['raw_agreement']}, kappa {kappa['value']} {kappa['ci95']}, "
            f"opposite sides {report['opposite_direction']} of {report['both_pro_or_anti']}"
        )


if __name__ == "__main__":
    main()
