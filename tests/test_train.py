"""The training path of the shipped cross-encoder: its data (what is held out stays out) and its loop (a few
steps on a tiny model give a model the scorers load)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stancemap.columns import NLI_CLASSES as CLASSES
from stancemap.training.data import heldout_sets, negate, training_set

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def train_pairs():
    return training_set(ROOT / "data/nli", mix="all")


def test_nothing_measured_is_trained_on(train_pairs):
    held = heldout_sets(ROOT / "data/nli")
    trained = set(zip(train_pairs["premise"].str.strip(), train_pairs["hypothesis"].str.strip()))
    for name, table in held.items():
        keys = set(zip(table["premise"].str.strip(), table["hypothesis"].str.strip()))
        assert not keys & trained, name
    assert set(train_pairs["label"]) == set(CLASSES)
    assert not train_pairs.duplicated(["premise", "hypothesis"]).any()


def test_policy_pairs_come_negated_with_the_label_flipped(train_pairs):
    assert negate("We should ban fast food") == "We should not ban fast food"
    assert negate("Vaccination must be made compulsory") == "Vaccination must not be made compulsory"
    assert negate("Schools teach history.") is None
    negated = train_pairs[train_pairs["source"] == "touche_negated"].iloc[0]
    original = train_pairs[
        (train_pairs["source"] == "touche")
        & (train_pairs["premise"] == negated["premise"])
        & (train_pairs["hypothesis"].map(negate) == negated["hypothesis"])
    ]
    assert len(original) == 1
    assert {original["label"].iloc[0], negated["label"]} == {"entailment", "contradiction"}


def test_mixes_and_fractions(train_pairs):
    base = training_set(ROOT / "data/nli", mix="base", negations=False)
    assert len(base) < len(train_pairs) and not base["source"].str.contains("touche|negated").any()
    assert len(training_set(ROOT / "data/nli", fraction=0.25)) == pytest.approx(len(train_pairs) / 4, abs=1)


def test_a_few_training_steps_give_a_model_both_backends_load(tiny_nli, tmp_path):
    from stancemap.models import load_scorer
    from stancemap.training.export import export_onnx
    from stancemap.training.train import train_cross_encoder

    pairs = pd.DataFrame(
        {
            "premise": ["We must talk to Moscow now.", "Send more tanks.", "It rained."] * 8,
            "hypothesis": ["We should negotiate.", "We should negotiate.", "Allies send arms."] * 8,
            "label": ["entailment", "contradiction", "neutral"] * 8,
            "source": "test",
        }
    )
    record = train_cross_encoder(pairs, tmp_path / "model", base=tiny_nli, epochs=1, batch_size=8, checkpoints=1)
    assert record["steps"] == 3 and (tmp_path / "model/checkpoint-1").is_dir()
    assert json.loads((tmp_path / "model/training.json").read_text())["pairs"] == 24
    config = json.loads((tmp_path / "model/config.json").read_text())
    assert config["id2label"] == {"0": "entailment", "1": "neutral", "2": "contradiction"}
    torch_scores = load_scorer({"backend": "nli", "name": str(tmp_path / "model")}).score_pairs(
        ["Talk now."], ["Talk."]
    )
    export_onnx(tmp_path / "model", tmp_path / "onnx")
    onnx_scores = load_scorer({"backend": "onnx", "name": str(tmp_path / "onnx")}).score_pairs(["Talk now."], ["Talk."])
    assert np.allclose(torch_scores, onnx_scores, atol=0.02)
