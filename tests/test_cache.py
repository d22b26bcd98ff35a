import multiprocessing

import numpy as np
import pytest

from stancemap.models.cache import ScoreCache, score_matrix


class Counting:
    """Scores each pair by the lengths of its texts (plus an offset per "model") and counts the pairs it scores."""

    def __init__(self, weights="w1", offset=0.0):
        self.weights, self.offset, self.scored = weights, offset, 0

    def score_pairs(self, premises, hypotheses):
        self.scored += len(premises)
        return np.array([len(p) / (len(p) + len(h)) + self.offset for p, h in zip(premises, hypotheses)])

    def fingerprint(self):
        return {"backend": "test", "weights_sha256": self.weights, "max_length": 256}


STATEMENTS = ["We should talk.", "Send more tanks now.", "It rained in Kyiv."]
HYPOTHESES = ["Talks are needed.", "Allies send weapons."]


def test_a_rerun_computes_only_new_pairs(tmp_path):
    scorer = Counting()
    first = score_matrix(scorer, STATEMENTS, HYPOTHESES, tmp_path)
    assert scorer.scored == 6
    again = score_matrix(scorer, STATEMENTS, HYPOTHESES, tmp_path)
    assert scorer.scored == 6 and np.array_equal(first, again)
    edited = score_matrix(scorer, STATEMENTS, ["Talks are needed now.", "Allies send weapons."], tmp_path)
    assert scorer.scored == 9, "only the edited hypothesis's pairs are computed"
    np.testing.assert_array_equal(edited[:, 1], first[:, 1])
    assert np.allclose(edited, score_matrix(Counting(), STATEMENTS, ["Talks are needed now.", HYPOTHESES[1]]))


def test_never_serves_a_score_for_another_model(tmp_path):
    a = score_matrix(Counting("w1"), STATEMENTS, HYPOTHESES, tmp_path)
    other = Counting("w2", offset=1.0)
    b = score_matrix(other, STATEMENTS, HYPOTHESES, tmp_path)
    assert other.scored == 6 and np.allclose(b, a + 1.0)


def test_unidentifiable_model_is_not_cached(tmp_path, caplog):
    scorer = Counting(weights=None)
    score_matrix(scorer, STATEMENTS, HYPOTHESES, tmp_path)
    score_matrix(scorer, STATEMENTS, HYPOTHESES, tmp_path)
    assert scorer.scored == 12 and "cache off" in caplog.text


def _write(args):
    folder, worker = args
    cache = ScoreCache(folder, "model")
    for round_ in range(20):
        cache.put([(cache.key(f"statement {worker}-{round_}-{i}", "h"), float(i)) for i in range(50)])
    cache.close()


def test_parallel_jobs_can_write_at_once(tmp_path):
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        pool.map(_write, [(tmp_path, w) for w in range(3)])
    cache = ScoreCache(tmp_path, "model")
    keys = [cache.key(f"statement {w}-{r}-{i}", "h") for w in range(3) for r in range(20) for i in range(50)]
    assert len(cache.get(keys)) == 3000


def test_the_thread_count_is_part_of_the_cache_key():
    """An embedding's last digits depend on torch's thread count; a cache filled with two threads must not serve a
    one-thread run (the seed's stances.csv differed in the sixth digit until the key held it)."""
    from stancemap.models.cache import model_key

    base = {"backend": "embedding", "weights_sha256": "ab12", "max_length": 256}
    assert model_key({**base, "torch_threads": 1}) != model_key({**base, "torch_threads": 2})
    assert model_key({**base, "torch_threads": 1}) == model_key({**base, "torch_threads": 1})


def test_the_cache_is_one_sqlite_file_in_wal_mode_with_a_long_busy_timeout(tmp_path):
    """What the module docstring promises jobs running at once: ``{cache_dir}/scores.sqlite`` (its folder made if
    missing), write-ahead logging so readers never block the writer, and a 300 s wait for a lock rather than
    SQLite's default 5 s, which a long classify job holding the write lock could exceed."""
    folder = tmp_path / "nested" / "cache"
    cache = ScoreCache(folder, "model-key")
    try:
        assert (folder / "scores.sqlite").is_file()
        assert cache.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cache.db.execute("PRAGMA busy_timeout").fetchone()[0] == 300_000
    finally:
        cache.close()


def _open_and_put(args):
    folder, i = args
    try:
        cache = ScoreCache(folder, "model")
        cache.put([(cache.key(f"statement {i}", "h"), float(i))])
        cache.close()
        return "ok"
    except Exception as err:  # reported, so that the test names the error
        return repr(err)


def test_jobs_that_open_a_new_cache_at_the_same_moment_all_succeed(tmp_path):
    """Eight jobs open one new cache at once, twelve times over. Switching a new file to WAL needs an exclusive lock,
    and SQLite answered one of two jobs asking at once "database is locked" without waiting (before the retry, 13
    of 240 such opens failed on this machine; a SLURM classify job failed this way in CI)."""
    results = []
    with multiprocessing.get_context("fork").Pool(8) as pool:
        for trial in range(12):
            folder = tmp_path / f"cache{trial}"
            results += pool.map(_open_and_put, [(folder, i) for i in range(8)])
    assert [r for r in results if r != "ok"] == []
    cache = ScoreCache(tmp_path / "cache0", "model")
    assert len(cache.get([cache.key(f"statement {i}", "h") for i in range(8)])) == 8
    cache.close()


def test_the_switch_to_wal_waits_out_an_immediate_lock_and_raises_other_errors():
    import sqlite3

    from stancemap.models.cache import _switch_to_wal

    class Busy:
        def __init__(self, errors):
            self.errors, self.calls = list(errors), 0

        def execute(self, sql):
            self.calls += 1
            assert sql == "PRAGMA journal_mode=WAL"
            if self.errors:
                raise self.errors.pop(0)

    db = Busy([sqlite3.OperationalError("database is locked")] * 2)
    _switch_to_wal(db)
    assert db.calls == 3
    broken = Busy([sqlite3.OperationalError("disk I/O error")])
    with pytest.raises(sqlite3.OperationalError, match="^disk I/O error$"):  # not retried
        _switch_to_wal(broken)
    assert broken.calls == 1
    stuck = Busy([sqlite3.OperationalError("database is locked")] * 3)
    with pytest.raises(sqlite3.OperationalError, match="locked"):  # a lock that never clears ends in the error
        _switch_to_wal(stuck, attempts=3)
    assert stuck.calls == 3


def test_a_cache_dir_that_is_a_file_is_refused_by_name(tmp_path):
    from stancemap.io import InputError

    (tmp_path / "cache").write_text("not a folder")
    with pytest.raises(InputError, match=r"cache: cannot hold the prediction cache \(.*File exists.*\); set cache_dir"):
        ScoreCache(tmp_path / "cache", "model")
