"""The Hugging Face NLI path, offline: a tiny random-weight BERT NLI model built and saved by the test.

Random weights say nothing about stance; the test checks the plumbing that a real model (e.g.
MoritzLaurer/deberta-v3-base-zeroshot-v2.0) goes through: entailment index from label2id, batching, truncation of
the premise only, output columns.
"""

import numpy as np
import pytest
import torch
from conftest import LABEL2ID
from transformers import AutoTokenizer, BertForSequenceClassification

from stancemap.io import InputError
from stancemap.models import load_scorer
from stancemap.models.cache import model_key, score_matrix
from stancemap.models.nli import entailment_index
from stancemap.stance.classify import classify_statements
from stancemap.text.segment import segment_text


def manual_score(folder, premise, hypothesis, max_length=256):
    tok = AutoTokenizer.from_pretrained(folder)
    model = BertForSequenceClassification.from_pretrained(folder).eval()
    enc = tok(premise, hypothesis, truncation="only_first", max_length=max_length, return_tensors="pt")
    with torch.no_grad():
        logits = model(**enc).logits[0]
    return torch.softmax(logits[[1, 0]], -1)[0].item()


def test_entailment_index_is_found_by_name():
    assert entailment_index(LABEL2ID) == (1, 0)
    assert entailment_index({"entailment": 0, "not_entailment": 1}) == (0, None)
    with pytest.raises(InputError, match="no entailment label"):
        entailment_index({"LABEL_0": 0, "LABEL_1": 1})


def test_scores_match_a_direct_forward_pass_whatever_the_batch_size(tiny_nli):
    premises = ["We should talk to Moscow.", "Tanks arrive next week from Germany and Poland.", "Fine."]
    hypotheses = ["The speaker wants negotiations.", "Allies send weapons."]
    big = score_matrix(load_scorer({"backend": "nli", "name": str(tiny_nli), "batch_size": 64}), premises, hypotheses)
    one = score_matrix(load_scorer({"backend": "nli", "name": str(tiny_nli), "batch_size": 1}), premises, hypotheses)
    assert big.shape == (3, 2)
    np.testing.assert_allclose(big, one, atol=1e-5)
    assert big[1, 0] == pytest.approx(manual_score(tiny_nli, premises[1], hypotheses[0]), abs=1e-5)


def test_only_the_premise_is_truncated(tiny_nli):
    scorer = load_scorer({"backend": "nli", "name": str(tiny_nli), "max_length": 32})
    premise = "Talks with Russia were discussed at length again. " * 20
    hypothesis = "The speaker wants negotiations with Russia to end the war."
    score = scorer.score_pairs([premise], [hypothesis])[0]
    assert score == pytest.approx(manual_score(tiny_nli, premise, hypothesis, max_length=32), abs=1e-5)
    assert scorer.truncated([premise, "Short."], [hypothesis]) == 1
    with pytest.raises(InputError, match="hypothesis is longer"):
        scorer.score_pairs(["Short."], ["word " * 40])


def test_fingerprint_and_output_columns(tiny_nli, config):
    scorer = load_scorer({"backend": "nli", "name": str(tiny_nli)})
    fp = scorer.fingerprint()
    assert fp["backend"] == "nli" and fp["entailment_index"] == 1 and len(fp["weights_sha256"]) == 64
    out = classify_statements(segment_text("We should talk. Send tanks.", "a"), scorer, config)
    assert {"label", "confidence", "score_pro_negotiation", "score_none"} <= set(out.columns)
    assert len(out) == 2


def test_bfloat16_precision_is_close_and_kept_apart_in_the_cache(tiny_nli):
    premises = ["We must talk to Moscow now.", "Send more tanks.", "It rained all day in Kyiv."]
    hypotheses = ["We should negotiate."] * 3
    fp32 = load_scorer({"backend": "nli", "name": str(tiny_nli)})
    bf16 = load_scorer({"backend": "nli", "name": str(tiny_nli), "precision": "bfloat16"})
    np.testing.assert_allclose(
        bf16.score_pairs(premises, hypotheses), fp32.score_pairs(premises, hypotheses), atol=0.02
    )
    assert bf16.fingerprint()["precision"] == "bfloat16" and "precision" not in fp32.fingerprint()
    assert bf16.model.dtype == torch.bfloat16 and bf16.first_token
    assert model_key(bf16.fingerprint()) != model_key(fp32.fingerprint())
    assert model_key({**fp32.fingerprint(), "forward": "other"}) != model_key(fp32.fingerprint())


PREMISES = [
    "We must talk to Moscow now, before the winter offensive begins.",
    "Send tanks.",
    "It rained all day in Kyiv, and the talks were postponed again by both sides.",
]


def test_the_first_token_forward_pass_gives_the_models_logits(tiny_nli):
    """Only the classifier's token is computed in the last layer; padding in the batch must not change that."""
    from stancemap.models.nli import first_token_logits

    scorer = load_scorer({"backend": "nli", "name": str(tiny_nli)})
    assert scorer.first_token and scorer.fingerprint()["forward"] == "first-token"
    inputs = scorer._tensors(scorer._padded(scorer._encode(PREMISES, ["We should negotiate."] * 3)))
    assert inputs["attention_mask"].min() == 0  # the batch is padded
    with torch.inference_mode():
        np.testing.assert_allclose(first_token_logits(scorer.model, **inputs), scorer.model(**inputs).logits, atol=1e-5)


def test_a_model_the_first_token_pass_gets_wrong_runs_the_ordinary_way(tiny_nli, monkeypatch):
    import stancemap.models.nli as nli

    monkeypatch.setattr(nli, "first_token_logits", lambda model, **inputs: model(**inputs).logits + 1.0)
    scorer = load_scorer({"backend": "nli", "name": str(tiny_nli)})
    assert not scorer.first_token and scorer.fingerprint()["forward"] == "full"
    assert scorer.score_pairs(PREMISES[1:2], ["We should negotiate."])[0] == pytest.approx(
        manual_score(tiny_nli, PREMISES[1], "We should negotiate."), abs=1e-5
    )


def test_scores_do_not_depend_on_the_number_of_workers(tiny_nli):
    hypotheses = ["We should negotiate.", "Allies must stand together."]
    before = torch.get_num_threads()
    try:
        one = load_scorer({"backend": "nli", "name": str(tiny_nli), "batch_size": 2, "threads": 1})
        assert one.workers == 1
        serial = score_matrix(one, PREMISES, hypotheses)
        two = load_scorer({"backend": "nli", "name": str(tiny_nli), "batch_size": 2, "threads": 2})
        assert two.workers == 2
        assert np.array_equal(score_matrix(two, PREMISES, hypotheses), serial)
        assert torch.get_num_threads() == 2  # restored after the batches ran on one thread each
    finally:
        torch.set_num_threads(before)


def test_an_error_in_a_batch_reaches_the_caller_and_restores_the_threads(tiny_nli, monkeypatch):
    before = torch.get_num_threads()
    try:
        scorer = load_scorer({"backend": "nli", "name": str(tiny_nli), "batch_size": 1, "threads": 2})

        def broken(inputs):
            raise RuntimeError("out of memory in a batch")

        monkeypatch.setattr(scorer, "_forward", broken)
        with pytest.raises(RuntimeError, match="out of memory"):
            scorer.score_pairs(PREMISES, ["We should negotiate."] * 3)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
