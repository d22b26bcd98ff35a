import numpy as np
import pandas as pd
import pytest

from stancemap.stance.classify import classify_file, classify_statements, decide, label_names, raw_label_scores
from stancemap.text.segment import segment_text


class KeywordScorer:
    """A transparent scorer: 1.0 when the hypothesis's first word occurs in the statement, else 0.1."""

    def truncated(self, premises, hypotheses):
        return 0

    def score_pairs(self, premises, hypotheses):
        return np.array([1.0 if h.split()[0].lower() in p.lower() else 0.1 for p, h in zip(premises, hypotheses)])

    def fingerprint(self):
        return {"backend": "keyword", "name": "keyword"}


CONFIG = {
    "labels": {"talks": {"hypotheses": ["talks", "negotiate"]}, "arms": {"hypotheses": ["tanks"]}},
    "none": {"strategy": "threshold", "threshold": 0.5, "hypotheses": ["weather"]},
    "aggregate": "max",
    "temperature": 0.05,
    "model": {"backend": "embedding", "name": "default"},
}


def test_threshold_rule_labels_none_when_nothing_scores_above_it():
    statements = ["We must negotiate.", "Send tanks.", "It rained."]
    raw = raw_label_scores(KeywordScorer(), statements, CONFIG)
    out = decide(raw, label_names(CONFIG), CONFIG["temperature"])
    assert out["label"].tolist() == ["talks", "arms", "none"]
    shares = out[[f"score_{n}" for n in label_names(CONFIG)]].to_numpy()
    assert np.allclose(shares.sum(axis=1), 1) and np.allclose(out["confidence"], shares.max(axis=1))


def test_hypothesis_rule_scores_none_from_its_hypotheses():
    config = dict(CONFIG, none={"strategy": "hypothesis", "threshold": 0.5, "hypotheses": ["weather"]})
    out = decide(raw_label_scores(KeywordScorer(), ["Weather talks."], config), label_names(config), 0.05)
    # "talks" and "none" tie at 1.0: argmax takes the first, and the confidence says it was a coin toss.
    assert out["label"].iloc[0] == "talks" and out["confidence"].iloc[0] == pytest.approx(0.5, abs=0.01)


def test_mean_aggregate_differs_from_max():
    raw_max = raw_label_scores(KeywordScorer(), ["talks only"], CONFIG)
    raw_mean = raw_label_scores(KeywordScorer(), ["talks only"], dict(CONFIG, aggregate="mean"))
    assert raw_max[0, 0] == 1.0 and raw_mean[0, 0] == pytest.approx(0.55)


def test_classify_file_writes_columns_and_provenance(tmp_path):
    statements = segment_text("We must negotiate. Send tanks. It rained.", "a")
    statements.to_csv(tmp_path / "statements.csv", index=False)
    table = classify_file(
        tmp_path / "statements.csv", tmp_path / "stances.csv", tmp_path / "run.json", CONFIG, scorer=KeywordScorer()
    )
    written = pd.read_csv(tmp_path / "stances.csv")
    assert list(written.columns) == [
        *statements.columns,
        "label",
        "confidence",
        "score_talks",
        "score_arms",
        "score_none",
    ]
    assert written["label"].tolist() == table["label"].tolist() == ["talks", "arms", "none"]
    import json

    run = json.loads((tmp_path / "run.json").read_text())
    assert run["labels"] == {"talks": ["talks", "negotiate"], "arms": ["tanks"]}
    assert run["inputs"]["statements"]["sha256"] and run["versions"]["pandas"]


def test_default_model_separates_topics(config, embedding_scorer):
    """The shipped default must at least tell an alliance sentence from biography and from talks."""
    statements = segment_text(
        "NATO allies stayed united and coordinated weapons deliveries to Ukraine. "
        "He grew up in Paris and plays the guitar. "
        "The general urged both sides to seize the chance for peace talks and a ceasefire.",
        "t",
    )
    out = classify_statements(statements, embedding_scorer, config)
    assert out["label"].tolist() == ["alliance_focused", "none", "pro_negotiation"]


def test_context_options_change_what_the_model_reads():
    from stancemap.stance.classify import premises

    statements = pd.DataFrame(
        {
            "text": ["Talks failed.", "“We tried,” she said.", "“Really.”", "Biden agreed."],
            "paragraph": [0, 1, 1, 1],
            "quote_id": ["", "q1", "q1", ""],
        }
    )
    assert premises(statements, "none") == statements["text"].tolist()
    assert premises(statements, "previous") == [
        "Talks failed.",
        "“We tried,” she said.",
        "“We tried,” she said. “Really.”",
        "“Really.” Biden agreed.",
    ]
    assert premises(statements, "quote") == [
        "Talks failed.",
        "“We tried,” she said. “Really.”",
        "“We tried,” she said. “Really.”",
        "Biden agreed.",
    ]


# The two-step labeller: the topic model merges "pro" and "anti" into one topic; the direction model splits it.
TWO_STEP = {
    "labels": {
        "pro": {"hypotheses": ["talks"]},
        "anti": {"hypotheses": ["talks"]},
        "allies": {"hypotheses": ["allies"]},
    },
    "none": {"strategy": "threshold", "threshold": 0.5, "hypotheses": ["weather"]},
    "aggregate": "max",
    "temperature": 0.05,
    "model": {"backend": "embedding", "name": "default"},
    "labeller": "two_step",
    "direction": {"model": {"backend": "onnx"}, "hypotheses": {"pro": ["yes"], "anti": ["never"]}},
}


def test_two_step_topic_first_then_direction():
    from stancemap.stance.classify import label_statements

    texts = ["Talks, yes.", "Talks? Never.", "Our allies, yes.", "It rained, yes."]
    out = label_statements(texts, KeywordScorer(), TWO_STEP, direction_scorer=KeywordScorer())
    # The direction words ("yes", "never") decide only statements whose topic is talks: "allies" and the rain
    # sentence keep their topic label although "yes" scores for pro.
    assert out["label"].tolist() == ["pro", "anti", "allies", "none"]
    scores = out[[f"score_{n}" for n in ["pro", "anti", "allies", "none"]]].to_numpy()
    assert np.allclose(scores.sum(axis=1), 1)
    assert np.allclose(out["confidence"], scores[np.arange(4), [0, 1, 2, 3]])
    # P(pro) = P(talks topic) x P(pro | talks): 1.0 vs 0.1 direction scores split the topic's share 10:1.
    assert scores[0, 0] / scores[0, 1] == pytest.approx(10)


def test_two_step_needs_two_configured_direction_labels():
    from stancemap.io import InputError
    from stancemap.stance.classify import direction_pair

    bad = dict(TWO_STEP, direction={**TWO_STEP["direction"], "hypotheses": {"pro": ["yes"], "talks": ["no"]}})
    with pytest.raises(InputError, match="exactly two configured labels"):
        direction_pair(bad)


def test_two_step_is_recorded_and_varied_in_sensitivity(tmp_path):
    import json

    from stancemap.stance.sensitivity import variants

    statements = segment_text("Talks, yes. Our allies, yes. It rained.", "a")
    statements.to_csv(tmp_path / "statements.csv", index=False)
    classify_file(
        tmp_path / "statements.csv",
        tmp_path / "stances.csv",
        tmp_path / "run.json",
        TWO_STEP,
        scorer=KeywordScorer(),
        direction_scorer=KeywordScorer(),
    )
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["labeller"] == "two_step" and run["direction"]["hypotheses"] == {"pro": ["yes"], "anti": ["never"]}
    two = dict(TWO_STEP, direction={**TWO_STEP["direction"], "hypotheses": {"pro": ["yes", "sure"], "anti": ["never"]}})
    assert [v["direction"]["hypotheses"]["pro"] for v in variants(two).values()] == [["yes"], ["sure"], ["yes", "sure"]]
