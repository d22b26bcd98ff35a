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


def test_written_statements_give_pairs_by_side_and_keep_held_out_debates_out():
    written = ROOT / "data/synthetic"
    pairs = training_set(
        ROOT / "data/nli", mix="base", stance=True, written=written, heldout_debates=["sudan", "cyprus"]
    )
    statements = pd.read_csv(written / "statements.csv", keep_default_na=False)
    propositions = pd.read_csv(written / "propositions.csv", keep_default_na=False)
    side_of = dict(zip(propositions["proposition"], zip(propositions["debate"], propositions["side"])))
    held = set(statements.loc[statements["debate"].isin(["sudan", "cyprus"]), "text"])
    mine = pairs[pairs["source"] == "written"]
    assert not held & set(mine["premise"]) and set(mine["premise"]) == set(statements["text"]) - held
    label_of = dict(zip(statements["text"], zip(statements["debate"], statements["label"])))
    expected = {  # (statement label, proposition side) -> NLI label, within the statement's own debate
        ("pro_negotiation", "pro"): "entailment",
        ("pro_negotiation", "anti"): "contradiction",
        ("anti_negotiation", "anti"): "entailment",
        ("anti_negotiation", "pro"): "contradiction",
        ("alliance_focused", "alliance"): "entailment",
    }
    for premise, hypothesis, label in mine[["premise", "hypothesis", "label"]].itertuples(index=False):
        debate, stance = label_of[premise]
        p_debate, side = side_of[hypothesis]
        want = expected.get((stance, side), "neutral") if p_debate == debate else "neutral"
        assert label == want, (premise, hypothesis, label)
    assert set(mine["label"]) == set(CLASSES)
    # Every statement has one pair against another debate (neutral) and three against its own.
    assert len(mine) == 4 * len(set(mine["premise"]))
    assert {"argq", "argq_negated", "ukp_convarg"} <= set(pairs["source"])
    measured = heldout_sets(ROOT / "data/nli", written=written, heldout_debates=["sudan", "cyprus"])
    assert set(measured["written_heldout_debates"]["premise"]) == held
    assert not set(zip(measured["argq_test"]["premise"], measured["argq_test"]["hypothesis"])) & set(
        zip(pairs["premise"], pairs["hypothesis"])
    )


def test_encoder_pairs_target_the_statement_s_own_side():
    from stancemap.training.encoder import encoder_pairs

    written = ROOT / "data/synthetic"
    pairs = encoder_pairs(written, ["gaza"], seed=0)
    statements = pd.read_csv(written / "statements.csv", keep_default_na=False)
    propositions = pd.read_csv(written / "propositions.csv", keep_default_na=False)
    side_of = dict(zip(propositions["proposition"], zip(propositions["debate"], propositions["side"])))
    label_of = dict(zip(statements["text"], statements["label"]))
    own = {"pro_negotiation": "pro", "anti_negotiation": "anti", "alliance_focused": "alliance"}
    for text, proposition, target in pairs.itertuples(index=False):
        debate, side = side_of[proposition]
        assert target == float(debate == "gaza" and own.get(label_of[text]) == side)
    assert pairs["target"].sum() == (statements.query("debate == 'gaza'")["label"] != "none").sum()


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


def test_encoder_pairs_read_rounds_of_writing_as_one_merged_folder(tmp_path):
    from stancemap.training.encoder import encoder_pairs

    rounds = [ROOT / "data/synthetic", ROOT / "data/synthetic/round2"]
    for name, keys in (("statements.csv", ["debate"]), ("propositions.csv", ["debate", "side"])):
        merged = pd.concat([pd.read_csv(r / name, dtype=str, keep_default_na=False) for r in rounds])
        merged.sort_values(keys, kind="stable").to_csv(tmp_path / name, index=False)
    debates = ["drc_rwanda", "gaza", "libya"]  # the rounds interleave in the merged order
    pairs = encoder_pairs(rounds, debates, seed=3)
    assert pairs.equals(encoder_pairs(tmp_path, debates, seed=3))
    assert set(pairs["statement"]) >= set(pd.read_csv(rounds[1] / "statements.csv").query("debate == 'libya'")["text"])
