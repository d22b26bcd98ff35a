"""Training and measuring data for the shipped NLI cross-encoder, built from the copies in ``data/nli/``.

Every table has the columns ``premise, hypothesis, label, source`` (label: entailment / neutral / contradiction).
What is trained on and what is kept for measuring (``data/nli/README.md`` lists each file's license):

- training: SNLI dev+test, Breaking NLI, MultiNLI dev-matched minus the held-out slice, CAD-NLI train, ConjNLI
  train, TaxiNLI (MultiNLI subsets, minus any pair of the held-out slice), Touché-23 train+dev, Perspectrum train;
- measuring: ``mnli_heldout`` (1,000 MultiNLI dev-matched pairs, drawn with a fixed seed), ``perspectrum_dev``,
  ``touche_test``, ``cad_dev``, ``conjnli_dev``. None of their pairs is trained on.

Two shapes of pair teach what our labeller needs beyond literal entailment: an argument with a policy
conclusion ("We should ban X"), from Touché and Perspectrum, where entailment means *for* and contradiction
*against*; and (``negations=True``) the same pair with the policy negated ("We should not ban X") and the label
flipped, so the model learns direction toward a proposal rather than topic. An argument paired with another
topic's conclusion is ``neutral``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..columns import NLI_CLASSES
from ..io import InputError

COLUMNS = ["premise", "hypothesis", "label", "source"]
MIXES = ("base", "all")

_FLIP = {"entailment": "contradiction", "contradiction": "entailment"}
_MODAL = re.compile(r"\b(should|must|ought to|needs to|need to)\b(?! not\b)", re.IGNORECASE)
# SNLI's copy is whitespace-tokenised ("packages ."); undo the common cases so it reads like our statements.
_DETOK = [
    (re.compile(r" ([.,!?;:%)])"), r"\1"),
    (re.compile(r"([($]) "), r"\1"),
    (re.compile(r" (n't|'s|'re|'m|'ve|'ll|'d)\b"), r"\1"),
]


def _read(path: Path, source: str) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(f"{path}: training data file missing (copy it from shared/nli, see data/nli/README.md)")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table = table.rename(columns=str.strip)
    table["label"] = table["label"].str.strip().str.lower()
    table = table[
        table["label"].isin(NLI_CLASSES)
        & (table["premise"].str.strip() != "")
        & (table["hypothesis"].str.strip() != "")
    ]
    return table.assign(source=source)[COLUMNS].reset_index(drop=True)


def _detokenise(text: str) -> str:
    for pattern, repl in _DETOK:
        text = pattern.sub(repl, text)
    return text


def negate(hypothesis: str) -> str | None:
    """ "We should ban X" → "We should not ban X"; ``None`` when the sentence has no modal to negate."""
    if not _MODAL.search(hypothesis):
        return None
    return _MODAL.sub(
        lambda m: {"need to": "need not", "needs to": "need not"}.get(m.group(1).lower(), m.group(1) + " not"),
        hypothesis,
        count=1,
    )


def _negated(table: pd.DataFrame) -> pd.DataFrame:
    """The stance pairs again, hypothesis negated and label flipped (only rows whose hypothesis has a modal)."""
    stance = table[table["label"].isin(_FLIP)]
    negated = stance["hypothesis"].map(negate)
    keep = negated.notna()
    return stance[keep].assign(
        hypothesis=negated[keep],
        label=stance.loc[keep, "label"].map(_FLIP),
        source=stance.loc[keep, "source"] + "_negated",
    )


def _unrelated(table: pd.DataFrame, rng: np.random.Generator, share: float, source: str) -> pd.DataFrame:
    """``neutral`` pairs: each sampled premise with a hypothesis (conclusion) of another topic."""
    hyps = table["hypothesis"].unique()
    picked = table.sample(frac=share, random_state=int(rng.integers(1 << 31))).copy()
    other = rng.integers(0, len(hyps), len(picked))
    shuffled = hyps[other]
    clash = shuffled == picked["hypothesis"].to_numpy()
    shuffled[clash] = hyps[(other[clash] + 1) % len(hyps)]
    return picked.assign(hypothesis=shuffled, label="neutral", source=source)


def perspectrum(root: Path, split: str) -> pd.DataFrame:
    """Perspectrum pairs of one split: perspective as premise, claim as hypothesis, SUPPORT → entailment,
    UNDERMINE → contradiction."""
    path = root / "perspectrum" / "perspectrum_train_dev.csv"
    if not path.is_file():
        raise InputError(f"{path}: Perspectrum file missing")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table = table[table["split"] == split]
    label = table["stance_3"].map({"SUPPORT": "entailment", "UNDERMINE": "contradiction"})
    return (
        pd.DataFrame(
            {
                "premise": table["perspective"],
                "hypothesis": table["claim"],
                "label": label,
                "source": f"perspectrum_{split}",
            }
        )
        .dropna()
        .reset_index(drop=True)
    )


def heldout_sets(root: Path, seed: int = 13, mnli_n: int = 1000) -> dict[str, pd.DataFrame]:
    """The measuring sets (see the module docstring); never trained on."""
    mnli = _read(root / "mnli_dev_matched.csv", "mnli")
    return {
        "mnli_heldout": mnli.sample(n=mnli_n, random_state=seed).reset_index(drop=True),
        "perspectrum_dev": perspectrum(root, "dev"),
        "touche_test": _read(root / "more/touche23_valueeval/test.csv", "touche_test"),
        "cad_dev": _read(root / "more/cad_nli/dev.csv", "cad_dev"),
        "conjnli_dev": _read(root / "more/conjnli/dev.csv", "conjnli_dev"),
    }


def training_set(
    root: str | Path,
    *,
    mix: str = "all",
    negations: bool = True,
    neutral_share: float = 0.5,
    fraction: float = 1.0,
    seed: int = 13,
) -> pd.DataFrame:
    """The training pairs, shuffled with ``seed``.

    ``mix``: ``base`` is the top-level files of ``data/nli`` plus Perspectrum train; ``all`` adds ``data/nli/more``.
    ``negations``: add the negated-policy pairs. ``neutral_share``: how many off-topic ``neutral`` pairs to add per
    stance pair. ``fraction``: keep this share of the pairs (for learning curves).
    """
    root = Path(root)
    if mix not in MIXES:
        raise ValueError(f"mix must be one of {MIXES}, not {mix!r}")
    rng = np.random.default_rng(seed)
    held = heldout_sets(root, seed)
    snli = pd.concat([_read(root / "snli_dev.csv", "snli"), _read(root / "snli_test.csv", "snli")])
    snli["premise"], snli["hypothesis"] = snli["premise"].map(_detokenise), snli["hypothesis"].map(_detokenise)
    parts = [snli, _read(root / "breaking_nli.csv", "breaking_nli"), _read(root / "mnli_dev_matched.csv", "mnli")]
    stance = [perspectrum(root, "train")]
    if mix == "all":
        more = root / "more"
        parts += [
            _read(more / "cad_nli/train.csv", "cad_nli"),
            _read(more / "conjnli/train_adversarial.csv", "conjnli"),
            *(
                _read(more / "taxinli" / f, "taxinli")
                for f in ("mnli_train_subset.csv", "mnli_dev_mismatched_subset.csv", "mnli_dev_matched_subset.csv")
            ),
        ]
        stance += [
            _read(more / "touche23_valueeval/train.csv", "touche"),
            _read(more / "touche23_valueeval/dev.csv", "touche"),
        ]
    for table in stance:
        parts += [table, _unrelated(table, rng, neutral_share, table["source"].iloc[0] + "_unrelated")]
        if negations:
            parts.append(_negated(table))
    train = pd.concat(parts, ignore_index=True)
    # Nothing measured is trained on: drop every pair that occurs in a held-out set (MultiNLI's slice also
    # occurs in TaxiNLI's copy of dev-matched), then exact duplicates.
    held_keys = set()
    for table in held.values():
        held_keys.update(zip(table["premise"].str.strip(), table["hypothesis"].str.strip()))
    keys = list(zip(train["premise"].str.strip(), train["hypothesis"].str.strip()))
    train = train[[k not in held_keys for k in keys]]
    train = train.drop_duplicates(["premise", "hypothesis"]).reset_index(drop=True)
    train = train.sample(frac=fraction, random_state=seed).reset_index(drop=True)
    return train
