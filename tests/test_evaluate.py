import pandas as pd
import pytest
from conftest import evaluation_outputs

from stancemap.io import InputError
from stancemap.report.evaluate import evaluate_article, label_metrics

NAMES = ["pro_negotiation", "anti_negotiation", "alliance_focused", "none"]


def test_macro_f1_ignores_labels_absent_from_gold_and_predictions():
    y = ["pro_negotiation", "none", "alliance_focused"]
    per_label, macro, matrix = label_metrics(y, y, NAMES)
    assert macro == 1.0 and len(per_label) == 4 and matrix.to_numpy().trace() == 3


@pytest.fixture
def stances_csv(tmp_path):
    (tmp_path / "a").mkdir()
    pd.DataFrame(
        {
            "article": "a",
            "statement_id": [0, 1],
            "start": [0, 20],
            "end": [19, 40],
            "paragraph": 0,
            "text": ["x" * 19, "y" * 20],
            "label": ["none", "pro_negotiation"],
            "confidence": [0.9, 0.6],
        }
    ).to_csv(tmp_path / "a/stances.csv", index=False)
    return tmp_path / "a/stances.csv"


@pytest.mark.parametrize(
    "gold, message",
    [
        ("start,end,label\n0,x,none\n", "whole numbers"),
        ("start,end,label\n5,2,none\n", "start < end"),
        ("start,end,label\n100,120,none\n", "no gold span overlaps"),
        ("start,end,label\n0,10,maybe\n", "not configured labels"),
    ],
)
def test_unusable_gold_is_a_clear_error(tmp_path, stances_csv, gold, message):
    (tmp_path / "gold.csv").write_text(gold)
    with pytest.raises(InputError, match=message):
        evaluate_article(stances_csv, tmp_path / "gold.csv", evaluation_outputs(tmp_path / "out"), NAMES)


def test_gold_made_with_another_segmentation_still_evaluates(tmp_path, stances_csv):
    (tmp_path / "gold.csv").write_text("start,end,label\n2,15,none\n22,38,anti_negotiation\n")
    metrics = evaluate_article(stances_csv, tmp_path / "gold.csv", evaluation_outputs(tmp_path / "out"), NAMES)
    assert metrics["n_scored"] == 2 and metrics["accuracy"] == 0.5
