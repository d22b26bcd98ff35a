"""Agreement between the first coder's labels and a second coder's, on every real news sentence of rounds 1 to 4.

    python data/news/agreement/agreement.py

For each round: ``sample.csv`` (every sentence of the round's batches, sorted by debate, article and sentence
index, so each article in reading order; ``item`` numbers them from 1; shown to the second coder without labels),
the second coder's labels and the first labels in ``../batches/``. Round 1 (batches n1, n2; 394 sentences) is in
this folder, with one second coder (``second_coder.csv``); round 2 (n3, n4, n5; 729 sentences) in ``round2/``,
coded by two helpers, items 1–375 (``second_coder_a.csv``) and 376–729 (``second_coder_b.csv``), whole articles
each; round 3 (n6, n7; 454 sentences) in ``round3/``, one second coder; round 4 (n8 to n11; 1,161 sentences) in
``round4/``, three second coders, items 1–389, 390–780 and 781–1161 (``second_coder_a/b/c.csv``), whole articles
each. Writes ``agreement.json``: the two-coder report of ``stancemap.validation.agreement.two_coder_report`` for
each round and for all rounds together (``all_rounds``; ``both`` before rounds 3 and 4 were coded twice), each for
all sentences and for the held-out and training debates apart (the held-out ones are what
``benchmarks/heldout_debates.py --statements data/news/heldout`` measures on).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from stancemap.validation.agreement import two_coder_report

HERE = Path(__file__).resolve().parent
ROUNDS = {
    "round1": (HERE, ("n1", "n2"), ("second_coder.csv",)),
    "round2": (HERE / "round2", ("n3", "n4", "n5"), ("second_coder_a.csv", "second_coder_b.csv")),
    "round3": (HERE / "round3", ("n6", "n7"), ("second_coder.csv",)),
    "round4": (
        HERE / "round4",
        ("n8", "n9", "n10", "n11"),
        ("second_coder_a.csv", "second_coder_b.csv", "second_coder_c.csv"),
    ),
}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def coded_round(folder: Path, batches: tuple[str, ...], coders: tuple[str, ...]) -> pd.DataFrame:
    """One round's sentences with the first and second labels (``label_first``, ``label_second``)."""
    sample = _read(folder / "sample.csv")
    second = pd.concat([_read(folder / name) for name in coders])
    first = pd.concat([_read(HERE.parent / "batches" / f"{b}.csv") for b in batches])
    both = sample.merge(first[["debate", "source", "sentence", "label", "kind"]], on=["debate", "source", "sentence"])
    both = both.merge(second[["item", "label", "confidence"]], on="item", suffixes=("_first", "_second"))
    if not len(both) == len(sample) == len(second) == second["item"].nunique():
        raise SystemExit(f"{folder}: sample ({len(sample)}), batches and second coder ({len(second)}) do not line up")
    both["unit"] = both["source"] + ":" + both["sentence"]
    return both


def reports(both: pd.DataFrame, heldout: set[str]) -> dict:
    held = both["debate"].isin(heldout)
    return {
        "all": two_coder_report(both, first="first", second="second"),
        "heldout": two_coder_report(both[held], first="first", second="second"),
        "train": two_coder_report(both[~held], first="first", second="second"),
    }


def main() -> None:
    heldout = set(pd.read_csv(HERE.parent / "heldout/statements.csv", dtype=str)["debate"])
    coded = {name: coded_round(*spec) for name, spec in ROUNDS.items()}
    coded["all_rounds"] = pd.concat(coded.values(), ignore_index=True)
    result = {name: reports(both, heldout) for name, both in coded.items()}
    (HERE / "agreement.json").write_text(json.dumps(result, indent=1) + "\n")
    for name, parts in result.items():
        for part, report in parts.items():
            kappa = report["cohen_kappa"]
            print(
                f"{name} {part}: n={report['n']}, raw {report['raw_agreement']}, kappa {kappa['value']} "
                f"{kappa['ci95']}, opposite sides {report['opposite_direction']} of {report['both_pro_or_anti']}"
            )


if __name__ == "__main__":
    main()
