"""How scores become labels, pinned to numbers worked out by hand: the none threshold, the temperature, the
aggregate over paraphrases, the confidence, and the prediction cache's key.

The scorer is a lookup table, so every raw score is known; the expected shares are softmaxes computed here with
``math.exp``.
"""

import hashlib
import logging
import math

import numpy as np
import pandas as pd
import pytest

from stancemap.io import InputError
from stancemap.models.cache import ScoreCache, model_key, score_matrix
from stancemap.stance.classify import (
    classify_statements,
    decide,
    direction_pair,
    group_scores,
    hypothesis_groups,
    label_names,
    label_statements,
    load_direction_scorer,
    premises,
    raw_label_scores,
    two_step_scores,
)


class TableScorer:
    """Scores each (premise, hypothesis) pair from a dict; 0.0 for any pair not listed. Counts the pairs."""

    def __init__(self, table: dict, weights: str | None = "w") -> None:
        self.table, self.weights, self.scored = table, weights, 0

    def score_pairs(self, premises, hypotheses):
        self.scored += len(premises)
        return np.array([self.table.get((p, h), 0.0) for p, h in zip(premises, hypotheses)])

    def truncated(self, premises, hypotheses):
        return 0

    def fingerprint(self):
        return {"backend": "table", "weights_sha256": self.weights, "max_length": 64}


def config(threshold=0.37, temperature=0.05, aggregate="max", strategy="threshold"):
    return {
        "labels": {"talks": {"hypotheses": ["t1", "t2"]}, "arms": {"hypotheses": ["a1"]}},
        "none": {"strategy": strategy, "threshold": threshold, "hypotheses": ["n1"]},
        "aggregate": aggregate,
        "temperature": temperature,
        "model": {"backend": "embedding", "name": "default"},
    }


def softmax(raw, temperature):
    e = [math.exp(r / temperature) for r in raw]
    return [x / sum(e) for x in e]


# --- the none threshold ------------------------------------------------------------------------------------------


def test_none_exactly_when_no_label_scores_above_the_threshold():
    """Best label scores 0.36, 0.38, 0.20 around the default 0.37: none, talks, none; a threshold 0.2 lower
    (0.17) would label all three."""
    scorer = TableScorer({("s1", "t1"): 0.36, ("s2", "t2"): 0.38, ("s3", "a1"): 0.20})
    out = label_statements(["s1", "s2", "s3"], scorer, config())
    assert out["label"].tolist() == ["none", "talks", "none"]
    assert label_statements(["s1", "s2", "s3"], scorer, config(threshold=0.17))["label"].tolist() == [
        "talks", "talks", "arms",
    ]  # fmt: skip


def test_the_none_column_is_the_threshold_itself():
    raw = raw_label_scores(TableScorer({("s", "t1"): 0.9}), ["s", "x"], config(threshold=0.37))
    assert raw.tolist() == [[0.9, 0.0, 0.37], [0.0, 0.0, 0.37]]


def test_the_project_default_none_threshold():
    """The shipped config's rule (README, "Choosing the none rule"): threshold 0.37, max, temperature 0.05."""
    from pathlib import Path

    import yaml

    shipped = yaml.safe_load((Path(__file__).resolve().parents[1] / "config/config.yaml").read_text())
    assert shipped["none"] == {**shipped["none"], "strategy": "threshold", "threshold": 0.37}
    assert (shipped["aggregate"], shipped["temperature"], shipped["context"]) == ("max", 0.05, "quote")


def test_hypothesis_strategy_scores_none_from_its_own_hypotheses():
    cfg = config(strategy="hypothesis")
    assert hypothesis_groups(cfg) == {"talks": ["t1", "t2"], "arms": ["a1"], "none": ["n1"]}
    assert "none" not in hypothesis_groups(config())
    raw = raw_label_scores(TableScorer({("s", "t1"): 0.4, ("s", "n1"): 0.6}), ["s"], cfg)
    assert raw.tolist() == [[0.4, 0.0, 0.6]]  # not the 0.37 threshold
    assert label_names(cfg) == ["talks", "arms", "none"]


# --- temperature and confidence ----------------------------------------------------------------------------------


def test_shares_are_a_softmax_at_the_configured_temperature():
    raw = [0.5, 0.3, 0.37]
    for temperature in (0.05, 0.2, 1.0):
        out = decide(np.array([raw]), ["talks", "arms", "none"], temperature)
        expected = softmax(raw, temperature)
        assert out[["score_talks", "score_arms", "score_none"]].iloc[0].tolist() == pytest.approx(expected)
        assert out["confidence"].iloc[0] == pytest.approx(max(expected)) and out["label"].iloc[0] == "talks"
    # by hand at 0.05: z = 10, 6, 7.4 -> 1 / (1 + e^-4 + e^-2.6)
    out = decide(np.array([raw]), ["talks", "arms", "none"], 0.05)
    assert out["confidence"].iloc[0] == pytest.approx(1 / (1 + math.exp(-4) + math.exp(-2.6)))


def test_the_config_temperature_reaches_the_confidence():
    scorer = TableScorer({("s", "t1"): 0.5, ("s", "a1"): 0.3})
    statements = pd.DataFrame({"text": ["s"], "paragraph": [0]})
    for temperature in (0.05, 0.5):
        out = classify_statements(statements, scorer, config(temperature=temperature))
        assert out["confidence"].iloc[0] == pytest.approx(softmax([0.5, 0.3, 0.37], temperature)[0])


def test_decide_handles_large_scores_and_no_statements():
    out = decide(np.array([[900.0, 899.0]]), ["a", "b"], 1.0)  # no overflow: shifted by the row's max
    assert out["score_a"].iloc[0] == pytest.approx(1 / (1 + math.exp(-1)))
    empty = decide(np.zeros((0, 2)), ["a", "b"], 0.05)
    assert empty.empty and list(empty.columns) == ["label", "confidence", "score_a", "score_b"]
    assert raw_label_scores(TableScorer({}), [], config()).shape == (0, 3)


def test_a_tie_goes_to_the_first_label_with_half_the_share():
    out = decide(np.array([[0.4, 0.4, 0.1]]), ["talks", "arms", "none"], 0.05)
    assert out["label"].iloc[0] == "talks"
    assert out["confidence"].iloc[0] == pytest.approx(1 / (2 + math.exp(-6)))


# --- aggregate over paraphrases ----------------------------------------------------------------------------------


def test_aggregate_max_and_mean_over_a_labels_hypotheses():
    scorer = TableScorer({("s", "t1"): 0.2, ("s", "t2"): 0.6, ("s", "a1"): 0.5})
    groups = {"talks": ["t1", "t2"], "arms": ["a1"]}
    assert [c.tolist() for c in group_scores(scorer, ["s"], groups, config())] == [[0.6], [0.5]]
    mean = group_scores(scorer, ["s"], groups, config(aggregate="mean"))
    assert mean[0].tolist() == pytest.approx([0.4]) and mean[1].tolist() == [0.5]
    # the decision flips: max gives talks, mean gives arms
    assert label_statements(["s"], scorer, config())["label"].tolist() == ["talks"]
    assert label_statements(["s"], scorer, config(aggregate="mean"))["label"].tolist() == ["arms"]


# --- what the model reads ----------------------------------------------------------------------------------------


def test_quote_context_without_quote_ids_reads_the_statement_alone():
    statements = pd.DataFrame({"text": ["A.", "B."], "paragraph": [0, 0]})
    assert premises(statements, "quote") == ["A.", "B."]
    assert premises(statements) == ["A.", "B."]
    other = pd.DataFrame({"text": ["A.", "B."], "paragraph": [0, 1]})
    assert premises(other, "previous") == ["A.", "B."]  # a new paragraph: no previous statement


# --- two-step ----------------------------------------------------------------------------------------------------


def test_two_step_scores_by_hand():
    """Topic raw scores pro 0.2, anti 0.6, allies 0.1, none 0.3 at temperature 1: the talks topic takes
    max(0.2, 0.6) = 0.6; its share e^.6 / (e^.6 + e^.1 + e^.3) is split 3:1 by direction scores 0.3 and 0.1."""
    names = ["pro", "anti", "allies", "none"]
    out = two_step_scores(np.array([[0.2, 0.6, 0.1, 0.3]]), np.array([[0.3, 0.1]]), (0, 1), names, 1.0)
    topic = softmax([0.6, 0.1, 0.3], 1.0)
    assert out[[f"score_{n}" for n in names]].iloc[0].tolist() == pytest.approx(
        [topic[0] * 0.75, topic[0] * 0.25, topic[1], topic[2]]
    )
    assert out["label"].iloc[0] == "pro" and out["confidence"].iloc[0] == pytest.approx(topic[0] * 0.75)
    flipped = two_step_scores(np.array([[0.2, 0.6, 0.1, 0.3]]), np.array([[0.1, 0.3]]), (0, 1), names, 1.0)
    assert flipped["label"].iloc[0] == "anti" and flipped["confidence"].iloc[0] == pytest.approx(topic[0] * 0.75)
    # an even direction split keeps the first label
    even = two_step_scores(np.array([[0.6, 0.2, 0.1, 0.3]]), np.array([[0.2, 0.2]]), (0, 1), names, 1.0)
    assert even["label"].iloc[0] == "pro" and even["score_pro"].iloc[0] == pytest.approx(even["score_anti"].iloc[0])
    # zero direction scores do not divide by zero: P(first) is 0, so the second label
    zero = two_step_scores(np.array([[0.6, 0.2, 0.1, 0.3]]), np.array([[0.0, 0.0]]), (0, 1), names, 1.0)
    assert zero["label"].iloc[0] == "anti" and zero["score_pro"].iloc[0] == 0.0
    empty = two_step_scores(np.zeros((0, 4)), np.zeros((0, 2)), (0, 1), names, 1.0)
    assert empty.empty


def test_two_step_needs_a_direction_scorer_and_direct_needs_none():
    cfg = {
        **config(),
        "labeller": "two_step",
        "direction": {"model": {}, "hypotheses": {"talks": ["x"], "arms": ["y"]}},
    }
    with pytest.raises(ValueError, match="needs a direction scorer"):
        label_statements(["s"], TableScorer({}), cfg)
    assert direction_pair(cfg) == (0, 1)
    assert load_direction_scorer(config()) is None
    with pytest.raises(InputError, match=r"not talks, none"):
        direction_pair({**cfg, "direction": {"hypotheses": {"talks": ["x"], "none": ["y"]}}})
    with pytest.raises(InputError, match="exactly two"):
        direction_pair({**cfg, "direction": {"hypotheses": {"talks": ["x"]}}})


# --- the prediction cache's key ------------------------------------------------------------------------------------

BASE = {"backend": "nli", "weights_sha256": "abc", "max_length": 256, "entailment_index": 1}


def test_model_key_changes_with_every_setting_that_changes_a_score():
    key = model_key(BASE)
    assert len(key) == 64 and int(key, 16) >= 0
    for change in (
        {"backend": "onnx"},
        {"weights_sha256": "abd"},
        {"max_length": 128},
        {"entailment_index": 0},
        {"precision": "bfloat16"},
        {"forward": "first_token"},
    ):
        assert model_key({**BASE, **change}) != key, change


def test_model_key_ignores_what_does_not_change_a_score():
    key = model_key(BASE)
    assert model_key(dict(reversed(list(BASE.items())))) == key  # order of the fingerprint
    assert model_key({**BASE, "name": "other/path", "batch_size": 4, "threads": 2, "device": "cpu"}) == key


def test_model_key_is_stable_on_disk():
    """Existing caches stay valid only if the key's recipe never drifts: sha256 of the sorted JSON of the four
    always-recorded settings (float32 fingerprints have no ``precision``)."""
    expected = hashlib.sha256(
        b'{"backend": "nli", "entailment_index": 1, "max_length": 256, "weights_sha256": "abc"}'
    ).hexdigest()
    assert model_key(BASE) == expected
    assert model_key({**BASE, "precision": "float32"}) != expected


def test_no_weights_no_key():
    assert model_key({**BASE, "weights_sha256": None}) is None
    assert model_key({**BASE, "weights_sha256": ""}) is None
    assert model_key({"backend": "nli"}) is None


def test_pair_key_separates_hypothesis_from_premise(tmp_path):
    cache = ScoreCache(tmp_path, "m")
    try:
        assert cache.key("bc", "a") != cache.key("c", "ab")  # "a" + "bc" == "ab" + "c" without a separator
        assert cache.key("p", "h") != cache.key("h", "p")
        assert cache.key("p", "h") == hashlib.sha256(b"m\0h\0p").digest()
        assert ScoreCache(tmp_path, "other").key("p", "h") != cache.key("p", "h")
    finally:
        cache.close()


def test_score_matrix_counts_distinct_pairs_and_keeps_order(tmp_path):
    table = {("a", "h1"): 0.1, ("a", "h2"): 0.2, ("b", "h1"): 0.3, ("b", "h2"): 0.4}
    scorer = TableScorer(table)
    stats: dict = {}
    out = score_matrix(scorer, ["a", "b", "a"], ["h1", "h2"], tmp_path, stats)
    assert out.tolist() == [[0.1, 0.2], [0.3, 0.4], [0.1, 0.2]]
    assert stats == {"pairs": 4, "hits": 0, "computed": 4} and scorer.scored == 4
    out = score_matrix(scorer, ["b", "c"], ["h2"], tmp_path, stats)
    assert out.tolist() == [[0.4], [0.0]]
    assert stats == {"pairs": 6, "hits": 1, "computed": 5} and scorer.scored == 5
    # no cache folder: every pair, duplicates included, goes to the model
    nocache = TableScorer(table)
    stats = {}
    assert score_matrix(nocache, ["a", "a"], ["h1"], None, stats).tolist() == [[0.1], [0.1]]
    assert stats == {"pairs": 2, "hits": 0, "computed": 2} and nocache.scored == 2
    assert score_matrix(nocache, [], ["h1"], None).shape == (0, 1)


def test_a_cache_is_per_model_key(tmp_path, caplog):
    score_matrix(TableScorer({("a", "h"): 0.5}, weights="w1"), ["a"], ["h"], tmp_path)
    other = TableScorer({("a", "h"): 0.9}, weights="w2")
    assert score_matrix(other, ["a"], ["h"], tmp_path).tolist() == [[0.9]] and other.scored == 1
    same = TableScorer({}, weights="w1")  # same weights: served from the cache, the scorer is not asked
    assert score_matrix(same, ["a"], ["h"], tmp_path).tolist() == [[0.5]] and same.scored == 0
    with caplog.at_level(logging.INFO, logger="stancemap.models.cache"):
        score_matrix(same, ["a", "b"], ["h"], tmp_path)
    assert "2 pairs, 1 hits, 1 computed" in caplog.text


def test_the_direction_scorer_is_loaded_from_its_own_model_with_the_topic_models_threads(monkeypatch):
    import stancemap.stance.classify as classify

    loaded = []
    monkeypatch.setattr(classify, "load_scorer", lambda spec: loaded.append(spec) or "scorer")
    cfg = {
        **config(),
        "model": {"backend": "embedding", "name": "default", "threads": 3},
        "labeller": "two_step",
        "direction": {"model": {"backend": "onnx", "name": "default"}, "hypotheses": {"talks": ["x"], "arms": ["y"]}},
    }
    assert load_direction_scorer(cfg) == "scorer"
    assert loaded == [{"backend": "onnx", "name": "default", "threads": 3}]
    with pytest.raises(InputError):  # the pair is checked before any model is loaded
        load_direction_scorer({**cfg, "direction": {**cfg["direction"], "hypotheses": {"talks": ["x"]}}})
    assert len(loaded) == 1


class LengthScorer(TableScorer):
    """A table scorer that counts a premise as cut when it has more than ``limit`` words, as the embedding
    backend counts tokens against ``max_length`` (the hypotheses are embedded on their own, so they do not count)."""

    def __init__(self, table: dict, limit: int) -> None:
        super().__init__(table)
        self.limit, self.asked = limit, []

    def truncated(self, premises, hypotheses):
        self.asked.append((list(premises), list(hypotheses)))
        return sum(len(p.split()) > self.limit for p in premises)


def statements_file(tmp_path, texts, paragraphs):
    table = pd.DataFrame(
        {
            "article": "a",
            "statement_id": [f"a-{i:04d}" for i in range(len(texts))],
            "paragraph": paragraphs,
            "sentence": range(len(texts)),
            "text": texts,
            "start": 0,
            "end": 0,
            "speaker": "narrator",
            "speaker_source": "narrator",
            "quote_id": "",
        }
    )
    path = tmp_path / "statements.csv"
    table.to_csv(path, index=False)
    return path


def test_run_json_counts_the_statements_and_those_cut_at_max_length(tmp_path, caplog):
    """Three statements of 3, 5 and 4 words, cut above 4 words: one is cut when each is read alone; with the
    previous statement of the same paragraph as context (paragraphs 0, 0, 1), the second reads 8 words and the
    third stays alone at 4, so still one; the truncation check sees every configured hypothesis."""
    import json

    from stancemap.stance.classify import classify_file

    path = statements_file(
        tmp_path, ["Talks are needed.", "Send more tanks right now.", "It rained all day."], [0, 0, 1]
    )
    scorer = LengthScorer({}, limit=4)
    caplog.set_level(logging.INFO, logger="stancemap")
    classify_file(path, tmp_path / "stances.csv", tmp_path / "run.json", config(), scorer=scorer)
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["n_statements"] == 3 and run["truncated"] == 1
    # what the job log says: the cut statements, the labels, and 3 statements x 3 hypotheses = 9 pairs computed
    assert "1 statements are longer than model.max_length and were cut" in caplog.text
    assert "labels: {'none': 3}" in caplog.text
    assert f"{path}: 3 statements, 9 pairs in " in caplog.text and "cache hits 0, computed 9" in caplog.text
    assert scorer.asked[-1] == (
        ["Talks are needed.", "Send more tanks right now.", "It rained all day."],
        ["t1", "t2", "a1"],
    )
    # the context the labels are computed with is the one the truncation is counted on
    scorer = LengthScorer({}, limit=6)
    classify_file(
        path, tmp_path / "stances.csv", tmp_path / "run.json", {**config(), "context": "previous"}, scorer=scorer
    )
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["truncated"] == 1 and run["context"] == "previous"
    assert scorer.asked[-1][0][1] == "Talks are needed. Send more tanks right now."


def test_classify_file_refuses_an_empty_statements_file_by_name(tmp_path):
    from stancemap.stance.classify import classify_file

    path = statements_file(tmp_path, [], [])
    with pytest.raises(InputError, match=r"statements\.csv: no statements to classify"):
        classify_file(path, tmp_path / "stances.csv", tmp_path / "run.json", config(), scorer=TableScorer({}))
    assert not (tmp_path / "stances.csv").exists()


def test_classify_file_loads_the_configured_models_when_none_are_given(monkeypatch, tmp_path):
    """Without scorers passed in, the topic model comes from ``config["model"]`` and, for the two-step labeller, the
    direction model from ``config["direction"]``; both are recorded in run.json."""
    import json

    import stancemap.stance.classify as classify

    topic = TableScorer({("Talks are needed.", "t1"): 0.9})
    direction = TableScorer({}, weights="direction-weights")
    loaded = []
    monkeypatch.setattr(classify, "load_scorer", lambda spec: loaded.append(spec) or topic)
    monkeypatch.setattr(classify, "load_direction_scorer", lambda cfg: loaded.append("direction") or direction)
    path = statements_file(tmp_path, ["Talks are needed."], [0])
    cfg = {
        **config(),
        "labeller": "two_step",
        "direction": {"model": {"backend": "onnx", "name": "default"}, "hypotheses": {"talks": ["x"], "arms": ["y"]}},
    }
    classify.classify_file(path, tmp_path / "stances.csv", tmp_path / "run.json", cfg)
    assert loaded == [cfg["model"], "direction"]
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["labeller"] == "two_step"
    assert run["direction"]["model"]["weights_sha256"] == "direction-weights"


def test_a_wrong_direction_pair_is_named_with_the_labels_it_may_use():
    """The error lists the configured stance labels (``none`` cannot be a direction) and the keys given."""
    cfg = {**config(), "labeller": "two_step", "direction": {"hypotheses": {"talks": ["x"], "none": ["y"]}}}
    with pytest.raises(InputError) as error:
        direction_pair(cfg)
    assert str(error.value) == (
        "direction.hypotheses must name exactly two configured labels (of talks, arms), not talks, none"
    )
