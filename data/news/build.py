"""Merge the labelled batches of real news sentences, check them for leakage, and split them by debate.

Batches (``batches/n*.csv``, one per labeller, with ``_sources.csv``, ``_propositions.csv`` and ``_NOTES.md``) hold
every sentence of openly licensed news articles, verbatim, each labelled by hand (README). Output:

- ``train/statements.csv`` and ``train/propositions.csv``: the debates a model may train on, in the written
  statements' format (``debate, statement_id, text, label, kind, writer``, then ``source, sentence``), so that
  ``python benchmarks/train_encoder.py --written data/synthetic,data/news/train`` reads them as one more round.
- ``heldout/statements.csv`` and ``heldout/propositions.csv``: debates never trained on, for measuring
  (``python benchmarks/heldout_debates.py --statements data/news/heldout``). Which debates: every debate about a
  topic the written statements hold out (``config/train.yaml``: Sudan, arms control, Cyprus), and then every
  fourth of the others in alphabetical order, starting with the second, counted within each labelling round
  (``ROUNDS``), so that a later round never moves a debate of an earlier one between the splits: a debate keeps the
  split of the round that brought it. Fixed before any model was trained on a round.
- ``sources.csv``: every article, its outlet, licence and where its text was found.
- ``leakage.csv``: every sentence's highest cosine (default MiniLM-L6 encoder) against every statement we evaluate
  on (``data/dev/statements.csv`` and the seed's hand labels in ``data/gold/``) and that statement; a sentence above
  ``MAX_COSINE`` is dropped. Run from the project root:

    python data/news/build.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from stancemap.io import write_csv
from stancemap.models.embedding import EmbeddingScorer
from stancemap.training.leakage import MAX_COSINE, evaluation_statements, nearest_evaluation

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LABELS = {"pro_negotiation", "anti_negotiation", "alliance_focused", "none"}
SIDES = {"pro", "anti", "alliance"}
COLUMNS = ["debate", "statement_id", "text", "label", "kind", "writer", "source", "sentence"]


#: Labelling rounds, by batch: the split rule counts each round's new debates on their own.
ROUNDS = [("n1", "n2"), ("n3", "n4", "n5"), ("n6", "n7"), ("n8", "n9", "n10", "n11")]


def heldout_debates(debates: list[str]) -> list[str]:
    """The debates of one round kept out of training (see the module docstring)."""
    written_heldout = yaml.safe_load((ROOT / "config/train.yaml").read_text())["heldout_debates"]
    topics = [d.split("_")[0] for d in written_heldout]  # sudan, arms, cyprus
    near = [d for d in debates if any(t in d for t in topics)]
    rest = sorted(d for d in debates if d not in near)
    return sorted(near + rest[1::4])


def heldout_by_round(statements: pd.DataFrame) -> list[str]:
    """Held-out debates of every round; a debate belongs to the first round with a sentence of it."""
    held, seen = [], set()
    for batches in ROUNDS:
        new = sorted(set(statements.loc[statements["writer"].isin(batches), "debate"]) - seen)
        held += heldout_debates(new)
        seen |= set(new)
    unknown = sorted(set(statements["writer"]) - {b for r in ROUNDS for b in r})
    assert not unknown, f"batches in no round of ROUNDS: {unknown}"
    return sorted(held)


def main() -> None:
    batches = sorted(p for p in (HERE / "batches").glob("n*.csv") if p.stem.count("_") == 0)
    statements = pd.concat(
        [pd.read_csv(p, dtype=str, keep_default_na=False).assign(writer=p.stem) for p in batches], ignore_index=True
    )
    propositions = pd.concat(
        [pd.read_csv(HERE / "batches" / f"{p.stem}_propositions.csv", dtype=str) for p in batches], ignore_index=True
    ).drop_duplicates()  # a debate two batches labelled keeps the propositions of both
    sources = pd.concat(
        [pd.read_csv(HERE / "batches" / f"{p.stem}_sources.csv", dtype=str).assign(writer=p.stem) for p in batches],
        ignore_index=True,
    )
    bad = sorted(set(statements["label"]) - LABELS)
    assert not bad, f"labels not in the codebook: {bad}"
    assert set(propositions["side"]) <= SIDES
    assert set(statements["debate"]) <= set(propositions["debate"]), "a debate without propositions"
    assert not sources["source"].duplicated().any(), "an article taken twice"
    assert set(statements["source"]) <= set(sources["source"]), "a sentence without its source"
    for debate, group in propositions.groupby("debate"):
        assert set(group["side"]) == SIDES, f"{debate}: propositions missing for a side"
    duplicated = statements["text"].duplicated()
    if duplicated.any():
        twice = statements["text"][duplicated].tolist()
        print(f"{len(twice)} sentences occur twice (kept once): {twice}")
        statements = statements[~duplicated]

    evaluation = evaluation_statements(ROOT)
    scorer = EmbeddingScorer("default", batch_size=64, max_length=256)
    vectors, held = scorer.embed(statements["text"].tolist()), scorer.embed(evaluation["text"].tolist())
    leakage = nearest_evaluation(statements, vectors, evaluation, held)
    write_csv(HERE / "leakage.csv", leakage.sort_values("max_cosine", ascending=False, kind="stable"))
    kept = statements[leakage["kept"].to_numpy()].copy()
    kept = kept.sort_values(["debate", "source", "sentence"], key=_natural, kind="stable").reset_index(drop=True)
    kept["statement_id"] = kept.groupby("debate").cumcount()

    held = heldout_by_round(kept)
    for split, rows in (("train", kept[~kept["debate"].isin(held)]), ("heldout", kept[kept["debate"].isin(held)])):
        (HERE / split).mkdir(exist_ok=True)
        write_csv(HERE / split / "statements.csv", rows[COLUMNS])
        props = propositions[propositions["debate"].isin(rows["debate"])]
        write_csv(HERE / split / "propositions.csv", props.sort_values(["debate", "side"], kind="stable"))
        n_debates, n_articles = rows["debate"].nunique(), rows["source"].nunique()
        print(f"{split}: {len(rows)} sentences, {n_debates} debates, {n_articles} articles")
        print(rows.groupby(["debate", "label"]).size().unstack(fill_value=0).to_string())
    write_csv(HERE / "sources.csv", sources.sort_values("source", kind="stable"))
    print(
        f"{len(kept)} of {len(statements)} sentences kept ({int((~leakage['kept']).sum())} above {MAX_COSINE}); "
        f"max cosine {leakage['max_cosine'].max():.3f}, median {np.median(leakage['max_cosine']):.3f}; "
        f"held out: {', '.join(held)}"
    )


def _natural(column: pd.Series) -> pd.Series:
    """Sentence indices sort as numbers, other columns as text."""
    return pd.to_numeric(column) if column.name == "sentence" else column


if __name__ == "__main__":
    main()
