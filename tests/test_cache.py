import multiprocessing

import numpy as np

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
