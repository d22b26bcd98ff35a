"""Merge the written batches into statements.csv and propositions.csv, and check them for leakage.

Each round of writing gets its own folder, so that a model trained on an earlier round is reproduced from the same
files: the first round (batches h1-h6) in this folder, the second (h7-h9) in ``round2/``.

Leakage check: every written sentence is embedded with the default encoder (MiniLM-L6, the pipeline's own) and
compared with every statement we evaluate on (data/dev/statements.csv and the seed's hand-labelled sentences in
data/gold/). The highest cosine per written sentence goes to leakage.csv with its nearest evaluation statement; a
sentence above MAX_COSINE is dropped (listed in its round's leakage.csv with kept = False). Run from the project
root:

    python data/synthetic/build.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from stancemap.io import write_csv
from stancemap.models.embedding import EmbeddingScorer
from stancemap.training.leakage import MAX_COSINE, evaluation_statements, nearest_evaluation

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LABELS = {"pro_negotiation", "anti_negotiation", "alliance_focused", "none"}
SIDES = {"pro", "anti", "alliance"}


#: Output folder of each round -> the batches written in it.
ROUNDS = {HERE: "h[1-6]", HERE / "round2": "h[7-9]"}


def main() -> None:
    evaluation = evaluation_statements(ROOT)
    scorer = EmbeddingScorer("default", batch_size=64, max_length=256)
    held = scorer.embed(evaluation["text"].tolist())  # once for every round
    for folder, pattern in ROUNDS.items():
        build_round(folder, pattern, scorer, evaluation, held)


def build_round(
    folder: Path, pattern: str, scorer: EmbeddingScorer, evaluation: pd.DataFrame, held: np.ndarray
) -> None:
    """One round's statements, propositions and leakage check (``held``: the evaluation statements embedded)."""
    batches = sorted((HERE / "batches").glob(f"{pattern}.csv"))
    statements = pd.concat([pd.read_csv(p, dtype=str).assign(writer=p.stem) for p in batches], ignore_index=True)
    propositions = pd.concat(
        [pd.read_csv(p, dtype=str) for p in sorted((HERE / "batches").glob(f"{pattern}_propositions.csv"))],
        ignore_index=True,
    )
    assert set(statements["label"]) <= LABELS and set(propositions["side"]) <= SIDES
    assert not statements["text"].duplicated().any(), "a sentence is written twice"
    assert set(statements["debate"]) == set(propositions["debate"])

    leakage = nearest_evaluation(statements, scorer.embed(statements["text"].tolist()), evaluation, held)
    folder.mkdir(exist_ok=True)
    write_csv(folder / "leakage.csv", leakage.sort_values("max_cosine", ascending=False))

    kept = statements[leakage["kept"].to_numpy()].copy()
    kept = kept.sort_values(["debate", "writer"], kind="stable").reset_index(drop=True)
    kept.insert(1, "statement_id", kept.groupby("debate").cumcount())
    write_csv(folder / "statements.csv", kept[["debate", "statement_id", "text", "label", "kind", "writer"]])
    write_csv(folder / "propositions.csv", propositions.sort_values(["debate", "side"], kind="stable"))
    print(
        f"{folder.relative_to(ROOT)}: {len(kept)} statements kept of {len(statements)} "
        f"({(~leakage['kept']).sum()} above {MAX_COSINE}); "
        f"{statements['debate'].nunique()} debates; max cosine {leakage['max_cosine'].max():.3f}, "
        f"median {np.median(leakage['max_cosine']):.3f}"
    )
    print(kept.groupby(["debate", "label"]).size().unstack().to_string())


if __name__ == "__main__":
    main()
