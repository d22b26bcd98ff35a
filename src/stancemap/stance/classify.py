"""Classify: give every statement a stance label, a confidence and one score per label.

How scores become labels (the same for every backend):

1. Each label has several hypotheses (paraphrases). A statement's raw score for a label is the largest
   (``aggregate: max``) or the mean (``aggregate: mean``) of its scores against that label's hypotheses.
2. ``none`` competes as one more label. With ``none.strategy: threshold`` its raw score is the constant
   ``none.threshold``, so a statement is ``none`` exactly when no label scores above the threshold. With
   ``none.strategy: hypothesis`` its raw score comes from ``none.hypotheses`` like any other label.
3. The raw scores go through a softmax with ``temperature``; ``score_<label>`` are those shares (they sum to 1),
   ``label`` is the largest and ``confidence`` its share. They order statements by how clearly one label wins;
   they are not calibrated probabilities (see the evaluation's reliability diagram for how far they are).

Output columns: the statement columns, then ``label``, ``confidence`` and ``score_<label>`` for each label and
``none``.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ..columns import NONE, STATEMENT_COLUMNS
from ..io import InputError, read_table, write_csv, write_json
from ..models import Scorer, load_scorer
from ..models.cache import score_matrix
from .provenance import provenance

log = logging.getLogger(__name__)


def label_names(config: dict) -> list[str]:
    """The configured labels in config order, then ``none``."""
    return [*config["labels"], NONE]


def hypothesis_groups(config: dict) -> dict[str, list[str]]:
    """The hypotheses the model scores, per label; ``none`` has its own only with ``strategy: hypothesis``."""
    groups = {name: spec["hypotheses"] for name, spec in config["labels"].items()}
    if config["none"]["strategy"] == "hypothesis":
        groups[NONE] = config["none"]["hypotheses"]
    return groups


def group_scores(
    scorer: Scorer, statements: list[str], groups: dict[str, list[str]], config: dict, stats: dict | None = None
) -> list[np.ndarray]:
    """One score per statement and group of hypotheses: their max (``aggregate: max``) or mean."""
    hypotheses = [h for hs in groups.values() for h in hs]
    pair_scores = score_matrix(scorer, statements, hypotheses, config.get("cache_dir") or None, stats)
    reduce = np.max if config["aggregate"] == "max" else np.mean
    columns, pos = [], 0
    for hs in groups.values():
        columns.append(reduce(pair_scores[:, pos : pos + len(hs)], axis=1))
        pos += len(hs)
    return columns


def raw_label_scores(scorer: Scorer, statements: list[str], config: dict, stats: dict | None = None) -> np.ndarray:
    """Raw score per (statement, label), labels in :func:`label_names` order."""
    none = config["none"]
    columns = group_scores(scorer, statements, hypothesis_groups(config), config, stats)
    if none["strategy"] == "threshold":
        columns.append(np.full(len(statements), float(none["threshold"])))
    return np.stack(columns, axis=1) if statements else np.zeros((0, len(label_names(config))))


def decide(raw: np.ndarray, names: list[str], temperature: float) -> pd.DataFrame:
    """Turn raw scores into ``label``, ``confidence`` and ``score_<label>`` columns."""
    z = raw / temperature
    z = np.exp(z - z.max(axis=1, keepdims=True))
    shares = z / z.sum(axis=1, keepdims=True)
    best = shares.argmax(axis=1)
    out = pd.DataFrame({"label": [names[i] for i in best], "confidence": shares.max(axis=1) if len(raw) else []})
    for i, name in enumerate(names):
        out[f"score_{name}"] = shares[:, i]
    return out


def two_step_scores(
    raw: np.ndarray, direction: np.ndarray, pair: tuple[int, int], names: list[str], temperature: float
) -> pd.DataFrame:
    """The two-step labeller: one model decides the topic, another only the direction within it.

    ``raw`` holds the topic model's raw score per statement and label (:func:`label_names` order, ``none`` last);
    ``pair`` are the column indices of the two opposite labels (pro and anti negotiation) and ``direction`` the
    direction model's raw scores for those two (shape ``(n, 2)``). Step 1: the two labels become one topic whose
    score is the larger of theirs, and a softmax with ``temperature`` over the topics gives their shares. Step 2:
    the direction model splits that topic's share, P(first) = d_first / (d_first + d_second). So
    ``score_<first>`` is P(topic) x P(first | topic), and the scores still sum to 1. The label is the topic's
    winner, made first or second by the direction; ``confidence`` is that label's score.
    """
    i, j = pair
    keep = [k for k in range(raw.shape[1]) if k != j]
    topic = raw[:, keep].copy()
    topic[:, keep.index(i)] = raw[:, [i, j]].max(axis=1)
    shares = decide(topic, [names[k] for k in keep], temperature)
    p_first = direction[:, 0] / np.maximum(direction[:, 0] + direction[:, 1], 1e-12)
    scores = np.zeros(raw.shape)
    for k in keep:
        scores[:, k] = shares[f"score_{names[k]}"].to_numpy()
    both = scores[:, i].copy()
    scores[:, i], scores[:, j] = both * p_first, both * (1 - p_first)
    pick = np.asarray(keep)[topic.argmax(axis=1)]
    pick = np.where((pick == i) & (p_first < 0.5), j, pick)
    out = pd.DataFrame({"label": [names[k] for k in pick], "confidence": scores[np.arange(len(pick)), pick]})
    for k, name in enumerate(names):
        out[f"score_{name}"] = scores[:, k]
    return out


def direction_pair(config: dict) -> tuple[int, int]:
    """Column indices of the two labels the direction step decides between (``direction.hypotheses`` keys)."""
    names = label_names(config)
    keys = list(config["direction"]["hypotheses"])
    unknown = [k for k in keys if k not in names[:-1]]
    if len(keys) != 2 or unknown:
        raise InputError(
            f"direction.hypotheses must name exactly two configured labels (of {', '.join(names[:-1])}),"
            f" not {', '.join(keys)}"
        )
    return names.index(keys[0]), names.index(keys[1])


def label_statements(
    texts: list[str], scorer: Scorer, config: dict, *, direction_scorer: Scorer | None = None, stats: dict | None = None
) -> pd.DataFrame:
    """``label``, ``confidence`` and ``score_<label>`` for what the model reads of each statement, with the
    configured labeller: ``direct`` (one model scores every label) or ``two_step`` (see :func:`two_step_scores`)."""
    raw = raw_label_scores(scorer, texts, config, stats)
    names = label_names(config)
    if config.get("labeller", "direct") != "two_step":
        return decide(raw, names, config["temperature"])
    if direction_scorer is None:
        raise ValueError("the two_step labeller needs a direction scorer")
    direction = np.stack(
        group_scores(direction_scorer, texts, config["direction"]["hypotheses"], config, stats), axis=1
    )
    return two_step_scores(raw, direction, direction_pair(config), names, config["temperature"])


def load_direction_scorer(config: dict) -> Scorer | None:
    """The direction step's model, when the labeller is ``two_step`` (with the topic model's threads)."""
    if config.get("labeller") != "two_step":
        return None
    direction_pair(config)
    return load_scorer({**config["direction"]["model"], "threads": config["model"].get("threads")})


def premises(statements: pd.DataFrame, context: str = "none") -> list[str]:
    """The text the model reads for each statement.

    ``none``: the statement alone. ``previous``: the previous statement of the same paragraph, then the statement
    ("Biden agreed." means little alone). ``quote``: all sentences of the statement's direct quotation (its
    ``quote_id``), the statement alone when it is not in one.
    """
    texts = statements["text"].tolist()
    if context == "previous":
        out = []
        for i, (text, paragraph) in enumerate(zip(texts, statements["paragraph"])):
            same = i > 0 and statements["paragraph"].iloc[i - 1] == paragraph
            out.append(f"{texts[i - 1]} {text}" if same else text)
        return out
    if context == "quote" and "quote_id" in statements.columns:
        ids = statements["quote_id"].fillna("").astype(str)
        joined = {q: " ".join(t for t, i in zip(texts, ids) if i == q) for q in set(ids) if q}
        return [joined[q] if q else t for t, q in zip(texts, ids)]
    return texts


def classify_statements(
    statements: pd.DataFrame,
    scorer: Scorer,
    config: dict,
    stats: dict | None = None,
    direction_scorer: Scorer | None = None,
) -> pd.DataFrame:
    """Add the label columns to a statements table."""
    decided = label_statements(
        premises(statements, config.get("context", "none")),
        scorer,
        config,
        direction_scorer=direction_scorer,
        stats=stats,
    )
    return pd.concat([statements.reset_index(drop=True), decided], axis=1)


def classify_file(
    statements_csv: str | Path,
    out_csv: str | Path,
    run_json: str | Path,
    config: dict,
    *,
    scorer: Scorer | None = None,
    direction_scorer: Scorer | None = None,
    inputs: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Classify one article's ``statements.csv`` into ``stances.csv`` and record provenance in ``run.json``.

    ``config`` is the workflow config (labels, none, aggregate, temperature, model); ``inputs`` maps names to
    input files whose sha256 goes into ``run.json``.
    """
    statements = read_table(statements_csv, STATEMENT_COLUMNS)
    if statements.empty:
        raise InputError(f"{statements_csv}: no statements to classify")
    scorer = scorer or load_scorer(config["model"])
    direction_scorer = direction_scorer or load_direction_scorer(config)
    started = time.perf_counter()
    stats: dict = {}
    table = classify_statements(statements, scorer, config, stats, direction_scorer)
    seconds = time.perf_counter() - started
    hypotheses = [h for hs in hypothesis_groups(config).values() for h in hs]
    truncated = scorer.truncated(premises(statements, config.get("context", "none")), hypotheses)
    if truncated:
        log.warning("%d statements are longer than model.max_length and were cut (statement side only)", truncated)
    log.info("labels: %s", table["label"].value_counts().to_dict())
    log.info(
        "%s: %d statements, %d pairs in %.2f s: %.1f pairs/s; cache hits %d, computed %d",
        statements_csv,
        len(table),
        stats["pairs"],
        seconds,
        stats["pairs"] / max(seconds, 1e-9),
        stats["hits"],
        stats["computed"],
    )
    write_csv(out_csv, table)
    write_json(
        run_json,
        provenance(
            config,
            scorer,
            {"statements": str(statements_csv), **(inputs or {})},
            direction_scorer=direction_scorer,
            n_statements=len(table),
            truncated=truncated,
        ),
    )
    return table
