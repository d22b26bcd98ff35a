"""A prediction cache, so that a rerun computes only the (statement, hypothesis) pairs it has not seen.

Scores are stored in one SQLite file, ``{cache_dir}/scores.sqlite``, keyed by sha256 of (model key, hypothesis,
statement). The model key hashes the backend, the weight files' sha256 and every setting that changes a score
(``max_length``; for the nli backend its ``precision`` and forward pass), so a score is never served for another
model; a model whose weights cannot be hashed (a hub id not in the local cache) is not cached at all. SQLite's
locking (WAL mode, a long busy timeout) makes it safe for several Snakemake jobs to read and write at once; a write
is one transaction, so a killed job leaves either all of its new scores or none.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from pathlib import Path

import numpy as np

from ..io import InputError

log = logging.getLogger(__name__)


def model_key(fingerprint: dict) -> str | None:
    """A key for every setting that changes a score, or None when the weights cannot be identified."""
    if not fingerprint.get("weights_sha256"):
        return None
    keep = {k: fingerprint.get(k) for k in ("backend", "weights_sha256", "max_length", "entailment_index")}
    # settings only some backends record. `precision` is absent for float32, so float32 keys are as before it
    # existed. `forward` is recorded by every nli model and by ONNX exports that carry it: adding it retired the
    # nli caches written before the first-token pass and before bfloat16 meant bfloat16 weights (not autocast).
    # `torch_threads` (embedding models): a score's last digits depend on it.
    keep.update({k: fingerprint[k] for k in ("precision", "forward", "torch_threads") if k in fingerprint})
    return hashlib.sha256(json.dumps(keep, sort_keys=True).encode()).hexdigest()


def _switch_to_wal(db: sqlite3.Connection, attempts: int = 600) -> None:  # 600 x 0.1 s: a minute
    """Put the database in WAL mode. Two jobs that open a new cache at the same moment both ask for the exclusive
    lock the switch needs; SQLite then answers one of them "database is locked" at once, without waiting out the
    busy timeout (a deadlock it will not wait on). That job waits and asks again: by then the other has switched the
    file, and asking again is a no-op. (A SLURM classify job failed this way in CI.)"""
    for attempt in range(attempts):
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or attempt == attempts - 1:
                raise
            time.sleep(0.1)


class ScoreCache:
    def __init__(self, folder: str | Path, model: str) -> None:
        folder = Path(folder)
        self.model = model
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(folder / "scores.sqlite", timeout=300, isolation_level=None)
        except (OSError, sqlite3.Error) as err:
            raise InputError(
                f"{folder}: cannot hold the prediction cache ({err}); set cache_dir to a folder you can write, "
                "or to an empty value for no cache"
            ) from None
        _switch_to_wal(self.db)
        self.db.execute("CREATE TABLE IF NOT EXISTS scores (key BLOB PRIMARY KEY, score REAL NOT NULL)")

    def key(self, premise: str, hypothesis: str) -> bytes:
        return hashlib.sha256("\0".join((self.model, hypothesis, premise)).encode()).digest()

    def get(self, keys: list[bytes]) -> dict[bytes, float]:
        found: dict[bytes, float] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows = self.db.execute(f"SELECT key, score FROM scores WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update(rows)
        return found

    def put(self, items: list[tuple[bytes, float]]) -> None:
        with self.db:  # one transaction
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?)", items)

    def close(self) -> None:
        self.db.close()


def score_matrix(
    scorer, premises: list[str], hypotheses: list[str], cache_dir: str | Path | None = None, stats: dict | None = None
) -> np.ndarray:
    """Scores of every (premise, hypothesis) combination, shape ``(len(premises), len(hypotheses))``.

    With ``cache_dir``, stored scores are reused and only the missing pairs go to the model. ``stats``, if given,
    is updated with the counts of ``pairs``, cache ``hits`` and ``computed`` pairs.
    """
    pairs = [(p, h) for p in premises for h in hypotheses]
    stats = stats if stats is not None else {}
    for name in ("pairs", "hits", "computed"):
        stats.setdefault(name, 0)
    key = model_key(scorer.fingerprint()) if cache_dir else None
    if key is None:
        if cache_dir:
            log.warning("cache off: the model's weights cannot be hashed, so its scores could not be told apart")
        scores = scorer.score_pairs([p for p, _ in pairs], [h for _, h in pairs]) if pairs else np.zeros(0)
        stats["pairs"] += len(pairs)
        stats["computed"] += len(pairs)
        return np.asarray(scores, dtype=np.float64).reshape(len(premises), len(hypotheses))
    cache = ScoreCache(cache_dir, key)
    try:
        distinct = list(dict.fromkeys(pairs))
        keys = [cache.key(p, h) for p, h in distinct]
        stored = cache.get(keys)
        missing = [i for i, k in enumerate(keys) if k not in stored]
        if missing:
            new = scorer.score_pairs([distinct[i][0] for i in missing], [distinct[i][1] for i in missing])
            fresh = [(keys[i], float(s)) for i, s in zip(missing, new)]
            cache.put(fresh)
            stored.update(fresh)
        log.info(
            "prediction cache %s: %d pairs, %d hits, %d computed",
            Path(cache_dir) / "scores.sqlite",
            len(distinct),
            len(distinct) - len(missing),
            len(missing),
        )
        stats["pairs"] += len(distinct)
        stats["hits"] += len(distinct) - len(missing)
        stats["computed"] += len(missing)
        by_pair = {pair: stored[k] for pair, k in zip(distinct, keys)}
        return np.array([by_pair[pair] for pair in pairs], dtype=np.float64).reshape(len(premises), len(hypotheses))
    finally:
        cache.close()
