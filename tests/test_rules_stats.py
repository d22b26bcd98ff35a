"""The statistics a researcher reads, pinned to independent references.

Bootstrap intervals against the normal approximation of a share's sampling error; chi-square, its p-value and
Cramér's V against scipy; the permutation p-value against an exact enumeration; Holm on a hand-worked example;
macro-F1 and calibration error on spans whose answer is worked out by hand; gold matching on hand-drawn
offsets; the tables' counts and order on a small hand-made table. None of these runs a browser or a model.
"""

import json
from itertools import combinations
from math import comb

import numpy as np
import pandas as pd
import pytest
from conftest import evaluation_outputs
from scipy.stats import chi2_contingency, norm
from scipy.stats.contingency import association

from stancemap.io import InputError
from stancemap.report.compare import _chi2, distribution_test, distribution_tests, holm, read_articles_sheet
from stancemap.report.evaluate import (
    check_gold,
    evaluate_article,
    expected_calibration_error,
    gold_statements,
    label_metrics,
    match_gold,
)
from stancemap.report.stats import bootstrap_shares
from stancemap.report.tables import (
    label_summary,
    stance_by_speaker,
    to_latex,
    to_markdown,
    top_statements,
    write_table,
)

NAMES = ["pro_negotiation", "anti_negotiation", "alliance_focused", "none"]


# --- bootstrap intervals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [0.95, 0.80, 0.50])
def test_bootstrap_interval_matches_the_normal_approximation_at_its_level(level):
    """400 statements, 40% of one label: the share's standard error is sqrt(.4 * .6 / 400) = 0.0245, so the
    interval is share ± z * 0.0245 with z the normal quantile of the level (1.96 at 95%, 1.28 at 80%, 0.67 at
    50%). Percentile intervals of a share this far from 0 and 1 agree with that to the third decimal."""
    labels = ["pro_negotiation"] * 160 + ["none"] * 240
    table = bootstrap_shares(labels, NAMES, resamples=20000, seed=1, level=level).set_index("label")
    z = norm.ppf(1 - (1 - level) / 2)
    se = np.sqrt(0.4 * 0.6 / 400)
    row = table.loc["pro_negotiation"]
    assert row["ci_high"] - row["ci_low"] == pytest.approx(2 * z * se, abs=0.005)
    assert row["ci_low"] == pytest.approx(0.4 - z * se, abs=0.005)
    assert row["ci_high"] == pytest.approx(0.4 + z * se, abs=0.005)
    # the complementary label's interval mirrors it
    assert table.loc["none", "ci_low"] == pytest.approx(1 - row["ci_high"], abs=0.005)


def test_bootstrap_counts_shares_order_and_empty_labels():
    labels = ["none", "pro_negotiation", "none", "alliance_focused", "none"]
    table = bootstrap_shares(labels, NAMES, resamples=500, seed=0)
    assert table["label"].tolist() == NAMES  # the configured order, not the order of appearance
    assert table["n"].tolist() == [1, 0, 1, 3]
    assert table["share"].tolist() == [0.2, 0.0, 0.2, 0.6]
    # a label never seen has a degenerate interval at 0; every interval brackets its share
    assert table.loc[1, ["ci_low", "ci_high"]].tolist() == [0.0, 0.0]
    assert (table["ci_low"] <= table["share"]).all() and (table["share"] <= table["ci_high"]).all()
    # with 5 statements, a 95% interval of a 3/5 share is wide: it reaches 1/5 or below and 1 (all five)
    assert table.loc[3, "ci_low"] <= 0.2 and table.loc[3, "ci_high"] == 1.0


def test_bootstrap_is_reproducible_per_seed_and_differs_between_seeds():
    labels = ["pro_negotiation"] * 7 + ["none"] * 13
    a = bootstrap_shares(labels, NAMES, resamples=300, seed=3)
    pd.testing.assert_frame_equal(a, bootstrap_shares(labels, NAMES, resamples=300, seed=3))
    # with few resamples the interpolated quantiles take many values, so a generator that ignored the seed would
    # give two different tables here nearly every time (with 300 resamples they often tie by chance)
    few = [bootstrap_shares(labels, NAMES, resamples=7, seed=11) for _ in range(5)]
    for other in few[1:]:
        pd.testing.assert_frame_equal(few[0], other)
    others = [bootstrap_shares(labels, NAMES, resamples=300, seed=s) for s in range(4, 9)]
    assert any(not o[["ci_low", "ci_high"]].equals(a[["ci_low", "ci_high"]]) for o in others)


def test_bootstrap_default_level_is_95_percent():
    labels = ["pro_negotiation"] * 160 + ["none"] * 240
    default = bootstrap_shares(labels, NAMES, resamples=4000, seed=2)
    explicit = bootstrap_shares(labels, NAMES, resamples=4000, seed=2, level=0.95)
    pd.testing.assert_frame_equal(default, explicit)
    width = default.loc[0, "ci_high"] - default.loc[0, "ci_low"]
    assert width == pytest.approx(2 * 1.96 * np.sqrt(0.24 / 400), abs=0.006)


def test_bootstrap_refuses_unknown_labels_and_handles_no_statements():
    with pytest.raises(ValueError, match=r"labels not in the configured set: \['maybe'\]"):
        bootstrap_shares(["none", "maybe"], NAMES, resamples=10, seed=0)
    empty = bootstrap_shares([], NAMES, resamples=10, seed=0)
    assert empty["label"].tolist() == NAMES and (empty["n"] == 0).all()
    assert empty[["share", "ci_low", "ci_high"]].isna().all().all()


def test_bootstrap_of_one_statement_is_certain_of_its_label():
    """One statement: every resample is that statement, so its label's share is 1 with the interval [1, 1]."""
    one = bootstrap_shares(["alliance_focused"], NAMES, resamples=50, seed=0).set_index("label")
    assert one["n"].tolist() == [0, 0, 1, 0]
    assert one["share"].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert one.loc["alliance_focused", ["ci_low", "ci_high"]].tolist() == [1.0, 1.0]
    assert one.loc["none", ["ci_low", "ci_high"]].tolist() == [0.0, 0.0]


# --- chi-square, permutation p-value, Cramér's V --------------------------------------------------------------


def codes(counts):
    return np.repeat(np.arange(len(counts)), counts)


@pytest.mark.parametrize(
    "a, b",
    [
        ([10, 5, 3, 12], [4, 9, 8, 6]),
        ([20, 1, 0, 5], [3, 2, 0, 30]),  # a label neither uses: left out, one degree of freedom fewer
        ([6, 14, 0, 0], [11, 2, 0, 0]),  # 2 x 2: Pearson's statistic, without Yates' correction
    ],
)
def test_chi_square_p_value_and_cramers_v_agree_with_scipy(a, b):
    result = distribution_test(codes(a), codes(b), 4, resamples=99, seed=0)
    table = np.array([a, b])
    table = table[:, table.sum(0) > 0]
    reference = chi2_contingency(table, correction=False)
    assert result["chi2"] == pytest.approx(reference.statistic, rel=1e-9)
    assert result["dof"] == reference.dof
    assert result["p_asymptotic"] == pytest.approx(reference.pvalue, rel=1e-9)
    assert result["cramers_v"] == pytest.approx(association(table, method="cramer", correction=False), rel=1e-9)
    assert (result["n_a"], result["n_b"]) == (sum(a), sum(b))


def test_cramers_v_at_its_extremes():
    """0 for the same distribution; 1 when no label is shared; and sqrt(chi2 / n) for 2 x k, not chi2 / n."""
    same = distribution_test(codes([4, 2, 6, 0]), codes([2, 1, 3, 0]), 4, resamples=99, seed=0)
    assert same["chi2"] == pytest.approx(0, abs=1e-12) and same["cramers_v"] == pytest.approx(0, abs=1e-9)
    assert same["p_asymptotic"] == pytest.approx(1.0) and same["p_permutation"] == 1.0
    apart = distribution_test(codes([5, 5, 0, 0]), codes([0, 0, 3, 7]), 4, resamples=99, seed=0)
    assert apart["chi2"] == pytest.approx(20.0) and apart["cramers_v"] == pytest.approx(1.0)
    # chi2 = 5 on n = 20 gives V = 0.5 (chi2 / n would be 0.25)
    half = distribution_test(codes([15, 5]), codes([5, 15]), 2, resamples=99, seed=0)
    assert half["chi2"] == pytest.approx(10.0) and half["cramers_v"] == pytest.approx(np.sqrt(10 / 40))


def test_one_label_only_has_no_test():
    result = distribution_test(codes([0, 0, 0, 5]), codes([0, 0, 0, 3]), 4, resamples=49, seed=0)
    assert result["dof"] == 0 and result["p_asymptotic"] == 1.0 and result["cramers_v"] == 0.0


def exact_permutation_p(a, b):
    """The exact permutation p-value: the share of all ways to split the pooled statements into groups of
    len(a) and len(b) whose chi-square is at least the observed one."""
    pooled = np.concatenate([a, b])
    n_labels = int(pooled.max()) + 1

    def stat(x, y):
        t = np.stack([np.bincount(x, minlength=n_labels), np.bincount(y, minlength=n_labels)])
        t = t[:, t.sum(0) > 0]
        return chi2_contingency(t, correction=False).statistic if t.shape[1] > 1 else 0.0

    observed = stat(a, b)
    hits = 0
    for chosen in combinations(range(len(pooled)), len(a)):
        mask = np.zeros(len(pooled), bool)
        mask[list(chosen)] = True
        hits += stat(pooled[mask], pooled[~mask]) >= observed - 1e-9
    return hits / comb(len(pooled), len(a))


@pytest.mark.parametrize(
    "counts_a, counts_b",
    [
        ([5, 1, 1], [1, 3, 3]),
        ([4, 1, 0], [1, 3, 1]),  # a label used once: a shuffle that drops its column changes the statistic
        ([5, 0, 1], [1, 4, 1]),  # chi-square values 0.9 apart: "at least the observed" must not be loosened
    ],
)
def test_permutation_p_value_converges_to_the_exact_one(counts_a, counts_b):
    a, b = codes(counts_a), codes(counts_b)
    exact = exact_permutation_p(a, b)  # 10 to 12 statements: at most 924 splits
    result = distribution_test(a, b, 3, resamples=4000, seed=0)
    assert 0.02 < exact < 0.25  # a case where the answer is neither 0 nor 1
    assert result["p_permutation"] == pytest.approx(exact, abs=0.015)


def test_permutation_p_value_counts_the_observed_table_and_ties():
    """Completely separated groups of 6: only 2 of C(12, 6) = 924 splits are as extreme, so with 99 resamples
    the p-value is (0 + 1) / (99 + 1) almost surely; never 0."""
    result = distribution_test(codes([6, 0]), codes([0, 6]), 2, resamples=99, seed=0)
    assert result["p_permutation"] == pytest.approx(1 / 100)
    # identical groups: every shuffle ties the observed 0, so p is exactly 1
    tie = distribution_test(codes([3, 3]), codes([3, 3]), 2, resamples=99, seed=0)
    assert tie["p_permutation"] == 1.0


def test_permutation_p_value_is_seeded():
    a, b = codes([5, 1, 1]), codes([1, 3, 3])
    first = distribution_test(a, b, 3, resamples=500, seed=7)
    assert first == distribution_test(a, b, 3, resamples=500, seed=7)
    assert len({distribution_test(a, b, 3, resamples=500, seed=s)["p_permutation"] for s in range(5)}) > 1


def test_private_chi2_ignores_empty_columns():
    assert _chi2(np.array([[5, 0], [5, 0]])) == 0.0
    assert _chi2(np.array([[10, 0], [0, 10]])) == pytest.approx(20.0)


def test_holm_on_a_hand_worked_example():
    """p = (.01, .04, .03, .005), m = 4. Sorted: .005 x 4 = .02; .01 x 3 = .03; .03 x 2 = .06; .04 x 1 = .04,
    raised to .06 so that adjusted p-values keep the order of the raw ones."""
    adjusted = holm(np.array([0.01, 0.04, 0.03, 0.005]))
    assert adjusted == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_holm_caps_at_one_and_leaves_a_single_p_value_alone():
    assert holm(np.array([0.5, 0.6, 0.01])) == pytest.approx([1.0, 1.0, 0.03])
    assert holm(np.array([0.2])) == pytest.approx([0.2])
    assert holm(np.array([0.3, 0.3])) == pytest.approx([0.6, 0.6])


def test_distribution_tests_table_pairs_and_holm_column():
    units = {
        "c": ["none"] * 10,
        "a": ["pro_negotiation"] * 10,
        "b": ["pro_negotiation"] * 5 + ["none"] * 5,
    }
    table = distribution_tests(units, NAMES, resamples=199, seed=0)
    assert list(table.columns) == [
        "a", "b", "n_a", "n_b", "chi2", "dof", "p_asymptotic", "p_permutation", "p_holm", "cramers_v",
    ]  # fmt: skip
    assert list(zip(table["a"], table["b"])) == [("a", "b"), ("a", "c"), ("b", "c")]  # sorted pairs
    assert table["chi2"].tolist() == pytest.approx([20 / 3, 20.0, 20 / 3])
    assert table["p_holm"].to_numpy() == pytest.approx(holm(table["p_permutation"].to_numpy()))
    assert (table["p_holm"] >= table["p_permutation"]).all()
    # the separated pair has the smallest p-value (about 1 / 200), so Holm multiplies it by the 3 pairs
    assert table.loc[1, "p_permutation"] <= 0.01 and table.loc[1, "p_holm"] == pytest.approx(
        3 * table.loc[1, "p_permutation"]
    )
    # the two others tie: the larger multiplier (2) applies to both, by the running maximum
    assert table.loc[0, "p_holm"] == table.loc[2, "p_holm"] == pytest.approx(2 * table.loc[0, "p_permutation"])
    empty = distribution_tests({"a": ["none"]}, NAMES, resamples=9, seed=0)
    assert empty.empty and "p_holm" in empty.columns


def test_articles_sheet_is_checked(tmp_path):
    assert read_articles_sheet(None, ["x"]).to_dict("records") == [{"article": "x"}]
    assert read_articles_sheet(tmp_path / "absent.tsv", ["x"]).to_dict("records") == [{"article": "x"}]
    sheet = tmp_path / "articles.tsv"
    sheet.write_text("article\tgroup\tdate\nb\tleft\t2023\na\tright\t\n")
    meta = read_articles_sheet(sheet, ["a", "b", "c"])
    assert meta.to_dict("records") == [
        {"article": "a", "group": "right", "date": ""},
        {"article": "b", "group": "left", "date": "2023"},
        {"article": "c", "group": "", "date": ""},
    ]
    for content, message in [
        ("name\tgroup\na\tx\n", "needs an 'article' column"),
        ("article\tcolour\na\tx\n", r"unknown columns \['colour'\]"),
        ("article\ta\tx\n", "allowed: article, outlet, date, group"),
        ("article\tgroup\na\tx\na\ty\n", r"articles listed twice: \['a'\]"),
    ]:
        sheet.write_text(content)
        with pytest.raises(InputError, match=message):
            read_articles_sheet(sheet, ["a"])


# --- evaluation: gold matching, macro-F1, calibration error ----------------------------------------------------


def stance_table(spans, labels, confidence):
    return pd.DataFrame(
        {
            "article": "a",
            "statement_id": range(len(spans)),
            "start": [s for s, _ in spans],
            "end": [e for _, e in spans],
            "paragraph": 0,
            "text": [f"s{i}" for i in range(len(spans))],
            "label": labels,
            "confidence": confidence,
        }
    )


def test_gold_matching_takes_the_statement_that_overlaps_most():
    stances = stance_table([(0, 10), (10, 30), (40, 50)], ["none", "pro_negotiation", "anti_negotiation"],
                           [0.9, 0.6, 0.7])  # fmt: skip
    gold = pd.DataFrame({"start": [5, 2, 30, 45, 8], "end": [25, 8, 40, 60, 12], "label": "none"})
    matched = match_gold(stances, gold)
    # 5-25: 5 chars of s0, 15 of s1 -> s1; 2-8: inside s0; 30-40: touches s1 and s2 but overlaps neither;
    # 45-60: 5 chars of s2; 8-12: 2 chars each of s0 and s1 -> the first
    assert matched["statement_id"].tolist() == [1, 0, -1, 2, 0]
    assert matched["predicted"].tolist() == ["pro_negotiation", "none", "none", "anti_negotiation", "none"]
    assert matched["confidence"].tolist()[:2] == [0.6, 0.9] and np.isnan(matched["confidence"][2])
    none_at_all = match_gold(stances.iloc[:0], gold.iloc[:1])
    assert none_at_all["statement_id"].tolist() == [-1]


def test_gold_statements_labels_each_statement_from_its_best_gold_span(tmp_path):
    statements = stance_table([(0, 10), (10, 30), (40, 50)], "none", 1.0).drop(columns=["label", "confidence"])
    (tmp_path / "gold.csv").write_text("start,end,label\n0,9,alliance_focused\n12,28,pro_negotiation\n")
    out = gold_statements(statements, tmp_path / "gold.csv")
    assert out["gold"].tolist()[:2] == ["alliance_focused", "pro_negotiation"] and pd.isna(out["gold"][2])


def test_check_gold_converts_offsets_and_names_bad_lines():
    gold = check_gold(pd.DataFrame({"start": ["0", "5"], "end": ["4", "9"], "label": ["none", "none"]}), NAMES, "g")
    assert gold["start"].tolist() == [0, 5] and gold["end"].dtype.kind == "i"
    with pytest.raises(InputError, match=r"g: start/end .* see lines \[3\]"):
        check_gold(pd.DataFrame({"start": [0, 5], "end": [4, 5], "label": "none"}), NAMES, "g")
    with pytest.raises(InputError, match=r"g: gold file lacks columns \['label'\]"):
        check_gold(pd.DataFrame({"start": [0], "end": [4]}), NAMES, "g")


def test_macro_f1_and_ece_for_one_scored_span():
    """One span, right with confidence 0.8: accuracy 1, macro-F1 1 (one label occurs), ECE |1 - 0.8| = 0.2.
    Wrong with confidence 0.7: both labels that occur have F1 0, so macro-F1 0, and ECE |0 - 0.7| = 0.7."""
    _, macro, matrix = label_metrics(["none"], ["none"], NAMES)
    assert macro == 1.0 and matrix.loc["none", "none"] == 1 and matrix.to_numpy().sum() == 1
    ece, bins = expected_calibration_error(np.array([0.8]), np.array([True]))
    assert ece == pytest.approx(0.2) and bins.to_dict("records") == [
        {"bin_low": 0.8, "bin_high": 0.9, "n": 1, "mean_confidence": 0.8, "accuracy": 1.0}
    ]
    _, macro, matrix = label_metrics(["anti_negotiation"], ["pro_negotiation"], NAMES)
    assert macro == 0.0 and matrix.loc["anti_negotiation", "pro_negotiation"] == 1  # rows are gold
    assert expected_calibration_error(np.array([0.7]), np.array([False]))[0] == pytest.approx(0.7)


def test_macro_f1_by_hand():
    """gold  a a b b c, predicted a b b b a. F1(a) = 2*.5*.5/(1) = .5 (P 1/2, R 1/2); F1(b) = 2*(2/3)*1/(5/3) = .8;
    F1(c) = 0; macro = 1.3 / 3."""
    per_label, macro, _ = label_metrics(list("aabbc"), list("abbba"), ["a", "b", "c", "d"])
    assert macro == pytest.approx(1.3 / 3)
    assert per_label.set_index("label")["f1"].tolist() == pytest.approx([0.5, 0.8, 0.0, 0.0])
    assert per_label["support"].tolist() == [2, 2, 1, 0]


def test_ece_over_several_bins_by_hand():
    """Bins of width 0.1: {0.05} wrong, {0.15} wrong, {0.95, 0.95} one right. ECE = .25 * .05 + .25 * .15
    + .5 * |.5 - .95| = .275. A confidence of 1.0 falls in the last bin, 0.0 in the first."""
    ece, bins = expected_calibration_error(np.array([0.05, 0.15, 0.95, 0.95]), np.array([0, 0, 1, 0]))
    assert ece == pytest.approx(0.275)
    assert bins["n"].tolist() == [1, 1, 2] and bins["bin_low"].tolist() == pytest.approx([0.0, 0.1, 0.9])
    assert bins["accuracy"].tolist() == [0.0, 0.0, 0.5]
    ece, bins = expected_calibration_error(np.array([1.0, 0.0]), np.array([1, 1]))
    assert ece == pytest.approx(0.5) and bins["bin_low"].tolist() == pytest.approx([0.0, 0.9])
    ece, bins = expected_calibration_error(np.array([0.3, 0.7]), np.array([1, 0]), bins=2)
    assert ece == pytest.approx(0.7) and bins["n"].tolist() == [1, 1]


def test_evaluate_article_metrics_for_one_scored_span(tmp_path):
    (tmp_path / "a").mkdir()
    stance_table([(0, 19), (20, 40)], ["none", "pro_negotiation"], [0.9, 0.6]).to_csv(
        tmp_path / "a/stances.csv", index=False
    )
    # one span on the second statement (gold anti, predicted pro, confidence 0.6), one on nothing
    (tmp_path / "gold.csv").write_text("start,end,label,text\n22,38,anti_negotiation,x\n100,120,none,y\n")
    out = evaluation_outputs(tmp_path / "out")
    metrics = evaluate_article(tmp_path / "a/stances.csv", tmp_path / "gold.csv", out, NAMES)
    assert {k: metrics[k] for k in ("article", "n_gold", "n_unmatched", "n_scored", "accuracy", "macro_f1")} == {
        "article": "a", "n_gold": 2, "n_unmatched": 1, "n_scored": 1, "accuracy": 0.0, "macro_f1": 0.0,
    }  # fmt: skip
    assert metrics["ece"] == pytest.approx(0.6)
    assert json.loads(out["metrics"].read_text())["confusion_matrix"]["rows_gold_columns_predicted"][1] == [1, 0, 0, 0]
    matched = pd.read_csv(out["matched"])
    assert matched["statement_id"].tolist() == [1, -1] and matched["predicted"].tolist() == ["pro_negotiation", "none"]
    assert "n = 1 matched of 2, accuracy 0.000, macro-F1 0.000, ECE 0.600" in out["per_label_md"].read_text()
    # the reliability figure's data: the one bin with its point
    (tmp_path / "bad.csv").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InputError, match="cannot be read as CSV"):
        evaluate_article(tmp_path / "a/stances.csv", tmp_path / "bad.csv", out, NAMES)


# --- tables ----------------------------------------------------------------------------------------------------


def speaker_stances():
    table = stance_table(
        [(i * 10, i * 10 + 9) for i in range(6)],
        ["pro_negotiation", "none", "pro_negotiation", "alliance_focused", "none", "anti_negotiation"],
        [0.5, 0.9, 0.8, 0.7, 0.4, 0.8],
    )
    return table.assign(speaker=["Blinken", "", "Milley", "Blinken", None, "Milley"])


def test_label_summary_mean_confidence_per_label():
    summary = label_summary(speaker_stances(), NAMES, resamples=200, seed=0, level=0.95).set_index("label")
    assert summary["n"].tolist() == [2, 1, 1, 2]
    assert summary["mean_confidence"].tolist() == pytest.approx([0.65, 0.8, 0.7, 0.65])
    empty = label_summary(speaker_stances().iloc[:1], NAMES, resamples=50, seed=0, level=0.95)
    assert empty["mean_confidence"].isna().tolist() == [False, True, True, True]


def test_top_statements_order_ties_and_none_left_out():
    stances = speaker_stances()
    stances.loc[0, "confidence"] = 0.8  # ties with statement 2: the lower statement_id ranks first
    top = top_statements(stances, NAMES, top_n=1)
    assert top[["label", "rank", "statement_id"]].values.tolist() == [
        ["pro_negotiation", 1, 0], ["anti_negotiation", 1, 5], ["alliance_focused", 1, 3],
    ]  # fmt: skip
    top = top_statements(speaker_stances(), NAMES, top_n=5)
    assert top.loc[top["label"] == "pro_negotiation", "statement_id"].tolist() == [2, 0]
    assert top.loc[top["label"] == "pro_negotiation", "rank"].tolist() == [1, 2]
    assert "none" not in set(top["label"]) and list(top.columns) == ["label", "rank", "statement_id", "confidence",
                                                                     "text"]  # fmt: skip


def test_stance_by_speaker_counts_narrator_and_order():
    table = stance_by_speaker(speaker_stances(), NAMES)
    assert table.values.tolist() == [
        ["(narrator)", 2, 0, 0, 0, 2],
        ["Blinken", 2, 1, 0, 1, 0],
        ["Milley", 2, 1, 1, 0, 0],
    ]
    assert list(table.columns) == ["speaker", "n", *NAMES]
    off = stance_by_speaker(speaker_stances().drop(columns="speaker"), NAMES)
    assert off.empty and list(off.columns) == ["speaker", "n", *NAMES]


def test_write_table_formats(tmp_path):
    df = pd.DataFrame({"label": ["pro_negotiation", "a&b"], "share": [0.12345, 0.5], "n": [1, 2]})
    write_table(df, "Shares (95% intervals)\n\nsecond line", tmp_path / "t.csv", tmp_path / "t.md", tmp_path / "t.tex")
    assert pd.read_csv(tmp_path / "t.csv").equals(df)
    md = (tmp_path / "t.md").read_text()
    assert md == to_markdown(df, "Shares (95% intervals)\n\nsecond line")
    assert md.startswith("# Shares (95% intervals)\n\nsecond line\n\n|") and "0.123" in md and "0.12345" not in md
    tex = (tmp_path / "t.tex").read_text()
    assert tex == to_latex(df, "Shares (95% intervals)")
    for needed in ("\\toprule", "\\midrule", "\\bottomrule", "\\caption{Shares (95\\% intervals)}",
                   "pro\\_negotiation", "a\\&b", "0.123"):  # fmt: skip
        assert needed in tex
    assert "second line" not in tex
    with pytest.raises(ValueError, match=r"t\.txt: a table is written as \.csv, \.md.* not '\.txt'"):
        write_table(df, "x", tmp_path / "t.txt")


def test_gold_statements_follows_statement_ids_not_gold_row_order(tmp_path):
    statements = stance_table([(0, 10), (10, 30), (40, 50)], "none", 1.0).drop(columns=["label", "confidence"])
    (tmp_path / "gold.csv").write_text("start,end,label\n41,49,none\n100,110,none\n12,28,pro_negotiation\n")
    out = gold_statements(statements, tmp_path / "gold.csv")
    assert pd.isna(out["gold"][0]) and out["gold"].tolist()[1:] == ["pro_negotiation", "none"]
