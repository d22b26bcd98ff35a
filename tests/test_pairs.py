import json

import pytest

from stancemap.cli import main

PAIRS = """text,hypothesis,label
Vaccines protect children.,Vaccination should be compulsory.,entailment
People should decide for themselves.,Vaccination should be compulsory.,contradiction
Talks could end the war.,We should negotiate with Russia.,entailment
Russia will use any pause to rearm.,We should negotiate with Russia.,contradiction
"""


def run(tmp_path, *extra, pairs=PAIRS):
    (tmp_path / "pairs.csv").write_text(pairs, encoding="utf-8")
    main(["evaluate", str(tmp_path / "pairs.csv"), "--out", str(tmp_path / "m.json"), *extra])
    return json.loads((tmp_path / "m.json").read_text())


def test_nli_backend_reports_forced_macro_f1_for_stance_gold(tmp_path, tiny_nli, capsys):
    metrics = run(tmp_path, "--backend", "nli", "--model", str(tiny_nli))
    assert metrics["n"] == 4 and 0 <= metrics["accuracy"] <= 1
    assert metrics["macro_f1_labels"] == ["entailment", "contradiction"]
    assert 0 <= metrics["macro_f1_forced"] <= 1
    assert sum(map(sum, metrics["confusion_matrix"]["rows_gold_columns_predicted"])) == 4
    assert metrics["model"]["backend"] == "nli" and len(metrics["pairs_file"]["sha256"]) == 64
    assert "macro-F1 forced" in capsys.readouterr().out


def test_three_class_gold_has_no_forced_score(tmp_path, tiny_nli):
    metrics = run(
        tmp_path,
        "--backend",
        "nli",
        "--model",
        str(tiny_nli),
        pairs=PAIRS + "The sky is blue.,We should negotiate with Russia.,neutral\n",
    )
    assert metrics["macro_f1_forced"] is None and len(metrics["macro_f1_labels"]) == 3


def test_embedding_backend_says_why_it_has_no_forced_score(tmp_path):
    metrics = run(tmp_path, "--backend", "embedding")
    assert metrics["macro_f1_forced"] is None and "no direction" in metrics["macro_f1_forced_reason"]
    predicted = [sum(col) for col in zip(*metrics["confusion_matrix"]["rows_gold_columns_predicted"])]
    assert predicted[2] == 0  # never predicts contradiction


def test_bad_pairs_file_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="not one of entailment"):
        run(tmp_path, pairs="text,hypothesis,label\na,b,SUPPORT\n")
    with pytest.raises(SystemExit, match="missing columns"):
        run(tmp_path, pairs="premise,hypothesis,label\na,b,entailment\n")
