"""Turn Perspectrum (../shared/benchmarks/perspectrum/, CC BY-SA 4.0) into evaluation pairs.

text = the perspective, hypothesis = the claim, label = entailment (SUPPORT) or contradiction (UNDERMINE).

    python benchmarks/perspectrum_pairs.py dev benchmarks/data/perspectrum_dev_pairs.csv
    stancemap evaluate benchmarks/data/perspectrum_dev_pairs.csv --out benchmarks/results/perspectrum_dev_embedding.json
"""

import sys
from pathlib import Path

import pandas as pd

SOURCE = Path(__file__).resolve().parents[2] / "shared/benchmarks/perspectrum/perspectrum_train_dev.csv"


def main(split: str, out: str) -> None:
    data = pd.read_csv(SOURCE)
    data = data[data["split"] == split]
    pairs = pd.DataFrame(
        {
            "text": data["perspective"],
            "hypothesis": data["claim"],
            "label": data["stance_3"].map({"SUPPORT": "entailment", "UNDERMINE": "contradiction"}),
        }
    )
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    pairs.dropna().to_csv(out, index=False, lineterminator="\n")
    print(f"{len(pairs)} pairs -> {out}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
