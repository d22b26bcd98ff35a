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


def written_pairs(folder: Path, debates: list[str] | None, seed: int, source: str = "written") -> pd.DataFrame:
    """NLI pairs from our written news statements (``data/synthetic/``) against the propositions of their debate.

    A pro (anti) statement entails one of its debate's pro (anti) propositions and contradicts one of the other
    side's; an alliance statement entails an alliance proposition and is neutral to a negotiation one; a no-stance
    statement is neutral to a proposition of each side; every statement is also neutral to a proposition of
    another debate. Propositions are drawn at random among each side's phrasings (``seed``), so the model sees
    many wordings and stays an NLI model for any hypothesis. ``debates``: only these (None: all).
    """
    statements = pd.read_csv(folder / "statements.csv", dtype=str, keep_default_na=False)
    propositions = pd.read_csv(folder / "propositions.csv", dtype=str, keep_default_na=False)
    if debates is not None:
        statements = statements[statements["debate"].isin(debates)]
    rng = np.random.default_rng(seed)
    by = {key: group["proposition"].tolist() for key, group in propositions.groupby(["debate", "side"])}
    all_debates = sorted(propositions["debate"].unique())
    plan = {
        "pro_negotiation": [("pro", "entailment"), ("anti", "contradiction"), ("alliance", "neutral")],
        "anti_negotiation": [("anti", "entailment"), ("pro", "contradiction"), ("alliance", "neutral")],
        "alliance_focused": [("alliance", "entailment"), ("pro", "neutral"), ("anti", "neutral")],
        "none": [("pro", "neutral"), ("anti", "neutral"), ("alliance", "neutral")],
    }
    rows = []
    for debate, text, label in statements[["debate", "text", "label"]].itertuples(index=False):
        for side, nli in plan[label]:
            options = by[(debate, side)]
            rows.append((text, options[rng.integers(len(options))], nli))
        other = [d for d in all_debates if d != debate][rng.integers(len(all_debates) - 1)]
        options = by[(other, ["pro", "anti", "alliance"][rng.integers(3)])]
        rows.append((text, options[rng.integers(len(options))], "neutral"))
    return pd.DataFrame(rows, columns=COLUMNS[:3]).assign(source=source)


def heldout_sets(
    root: Path, seed: int = 13, mnli_n: int = 1000, *, written: Path | None = None, heldout_debates: list[str] = ()
) -> dict[str, pd.DataFrame]:
    """The measuring sets (see the module docstring); never trained on. With ``written`` (the folder of our
    written statements), also the pairs of the debates in ``heldout_debates``, and ArgQ's test split
    (topic-disjoint from its train split) when the stance data is present."""
    mnli = _read(root / "mnli_dev_matched.csv", "mnli")
    sets = {
        "mnli_heldout": mnli.sample(n=mnli_n, random_state=seed).reset_index(drop=True),
        "perspectrum_dev": perspectrum(root, "dev"),
        "touche_test": _read(root / "more/touche23_valueeval/test.csv", "touche_test"),
        "cad_dev": _read(root / "more/cad_nli/dev.csv", "cad_dev"),
        "conjnli_dev": _read(root / "more/conjnli/dev.csv", "conjnli_dev"),
    }
    if (root / "stance/ibm_argq30k/test.csv").is_file():
        sets["argq_test"] = _read(root / "stance/ibm_argq30k/test.csv", "argq_test")
    if written is not None and heldout_debates:
        sets["written_heldout_debates"] = written_pairs(written, list(heldout_debates), seed, "written_heldout")
    return sets


def training_set(
    root: str | Path,
    *,
    mix: str = "all",
    negations: bool = True,
    neutral_share: float = 0.5,
    fraction: float = 1.0,
    seed: int = 13,
    stance: bool = False,
    written: str | Path | None = None,
    heldout_debates: list[str] = (),
) -> pd.DataFrame:
    """The training pairs, shuffled with ``seed``.

    ``mix``: ``base`` is the top-level files of ``data/nli`` plus Perspectrum train; ``all`` adds ``data/nli/more``.
    ``negations``: add the negated-policy pairs. ``neutral_share``: how many off-topic ``neutral`` pairs to add per
    stance pair. ``fraction``: keep this share of the pairs (for learning curves). ``stance``: add IBM ArgQ-30k
    train and UKPConvArg1 (arguments for or against a policy, ``data/nli/stance/``), with their negated and
    off-topic pairs. ``written``: add the pairs of our written news statements (:func:`written_pairs`) but those of
    ``heldout_debates``, which are kept for measuring.
    """
    root = Path(root)
    if mix not in MIXES:
        raise ValueError(f"mix must be one of {MIXES}, not {mix!r}")
    rng = np.random.default_rng(seed)
    written = Path(written) if written else None
    held = heldout_sets(root, seed, written=written, heldout_debates=heldout_debates)
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
    if stance:
        stance += [
            _read(root / "stance/ibm_argq30k/train.csv", "argq"),
            _read(root / "stance/ukp_convarg1/all.csv", "ukp_convarg"),
        ]
    if written is not None:
        debates = pd.read_csv(written / "propositions.csv", dtype=str)["debate"].unique()
        parts.append(written_pairs(written, sorted(set(debates) - set(heldout_debates)), seed))
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
