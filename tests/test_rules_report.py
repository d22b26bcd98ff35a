"""What a researcher reads in the report: the comparison's tables and captions, the article tables, and their
HTML, Markdown and LaTeX cells. Expected counts and shares are worked out by hand from the small inputs below;
the statistics are checked against scipy. Figures are checked through their data (the figure objects handed to
``save``), not through file bytes."""

import numpy as np
import pandas as pd
import pytest
from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from scipy.stats import chi2_contingency

import stancemap.report.compare as compare
from stancemap.io import InputError
from stancemap.report.compare import (
    compare_articles,
    distribution_test,
    holm,
    read_articles_sheet,
    with_corrected_shares,
)
from stancemap.report.evaluate import metrics_table
from stancemap.report.stats import bootstrap_shares
from stancemap.report.tables import (
    HTML_STYLE,
    _cell,
    label_summary,
    stance_by_speaker,
    to_html,
    to_html_fragment,
    to_latex,
    top_statements,
    write_article_tables,
)

NAMES = ["pro_negotiation", "anti_negotiation", "none"]
PRO, ANTI, NONE = NAMES
NOTE = "Articles included: a, b, c. Articles that failed are listed in results/failures.csv."

#: Three small articles: (label, speaker, confidence) per statement.
ARTICLES = {
    "a": [(PRO, "Ann Lee", 0.9), (PRO, "Ann Lee", 0.7), (NONE, "", 0.6)],
    "b": [(ANTI, "Bo Ray", 0.8), (ANTI, "Bo Ray", 0.6), (NONE, "", 0.5), (NONE, "", 0.7)],
    "c": [(PRO, "Cy Dee", 0.9), (NONE, "", 0.4)],
}


def stances_table(article, rows):
    n = len(rows)
    return pd.DataFrame(
        {
            "article": article,
            "statement_id": range(n),
            "start": np.arange(n) * 20,
            "end": np.arange(n) * 20 + 19,
            "paragraph": 0,
            "text": [f"Statement {i} of {article}." for i in range(n)],
            "label": [r[0] for r in rows],
            "confidence": [r[2] for r in rows],
            "speaker": [r[1] for r in rows],
        }
    )


def write_articles(folder, articles=ARTICLES):
    paths = []
    for article, rows in articles.items():
        (folder / article).mkdir()
        stances_table(article, rows).to_csv(folder / article / "stances.csv", index=False)
        paths.append(folder / article / "stances.csv")
    return paths[::-1]  # handed over in reverse: the comparison sorts them itself


def outputs(folder):
    """Every output of the compare_articles rule, the optional HTML pages included."""
    folder.mkdir()
    out = {}
    for key, prefix, stem in [
        ("table", "table", "stance_shares"),
        ("speakers_table", "speakers", "stance_by_speaker"),
        ("tests", "tests", "distribution_tests"),
        ("fragile_table", "fragile", "sensitivity"),
    ]:
        out |= {
            key: folder / f"{stem}.csv",
            f"{prefix}_md": folder / f"{stem}.md",
            f"{prefix}_tex": folder / f"{stem}.tex",
            f"{key}_html": folder / f"{stem}.html",
        }
    out |= {
        "figure": folder / "shares.png",
        "svg": folder / "shares.svg",
        "speakers": folder / "speakers.png",
        "speakers_svg": folder / "speakers.svg",
        "fragile": folder / "fragile.png",
        "fragile_svg": folder / "fragile.svg",
    }
    return out


@pytest.fixture
def saved(monkeypatch):
    """The figures compare_articles hands to ``save``, with their paths (nothing is drawn)."""
    figures = []
    monkeypatch.setattr(compare, "save", lambda fig, *paths: figures.append((fig, paths)))
    yield figures
    for fig, _ in figures:
        if isinstance(fig, Figure):
            plt.close(fig)


def sensitivity_file(folder, article, changed):
    path = folder / "sens" / article / "sensitivity_labels.csv"
    path.parent.mkdir(parents=True)
    n = len(changed)
    pd.DataFrame({"article": article, "statement_id": range(n), "changed": changed, "phrasing 1": PRO}).to_csv(
        path, index=False
    )
    return path


def test_the_comparison_tables_figures_and_captions_for_three_articles(tmp_path, saved):
    """Hand counts: a has 2 pro + 1 none (n 3), b 2 anti + 2 none (n 4), c 1 pro + 1 none (n 2)."""
    out = outputs(tmp_path / "comparison")
    sens = [
        sensitivity_file(tmp_path, "c", [True, True]),
        sensitivity_file(tmp_path, "a", [True, False, False]),
        sensitivity_file(tmp_path, "b", [False, True, False, True]),
        sensitivity_file(tmp_path, "zz", [True]),  # not among the compared articles: left out
    ]
    shares = compare_articles(
        write_articles(tmp_path),
        out,
        NAMES,
        resamples=40,
        seed=3,
        level=0.9,
        sensitivity_csvs=sens,
        test_resamples=50,
    )

    # --- the shares table: one row per article and label, in that order
    columns = ["article", "label", "n", "share", "ci_low", "ci_high", "mean_confidence", "n_statements"]
    assert shares.columns.tolist() == columns
    assert shares["article"].tolist() == ["a"] * 3 + ["b"] * 3 + ["c"] * 3
    assert shares["label"].tolist() == NAMES * 3
    assert shares["n"].tolist() == [2, 0, 1, 0, 2, 2, 1, 0, 1]
    assert shares["share"].tolist() == pytest.approx([2 / 3, 0, 1 / 3, 0, 0.5, 0.5, 0.5, 0, 0.5])
    assert shares["n_statements"].tolist() == [3] * 3 + [4] * 3 + [2] * 3
    # mean confidence per label: a pro (0.9 + 0.7) / 2, none 0.6; b anti (0.8 + 0.6) / 2, none (0.5 + 0.7) / 2
    expected_conf = [0.8, np.nan, 0.6, np.nan, 0.7, 0.6, 0.9, np.nan, 0.4]
    np.testing.assert_allclose(shares["mean_confidence"], expected_conf)
    # the intervals are the configured bootstrap's (same resamples, seed and level) for each article
    for article, rows in ARTICLES.items():
        reference = bootstrap_shares([r[0] for r in rows], NAMES, resamples=40, seed=3, level=0.9)
        got = shares[shares["article"] == article]
        np.testing.assert_allclose(got[["ci_low", "ci_high"]], reference[["ci_low", "ci_high"]])
    written = pd.read_csv(out["table"])
    assert written.columns.tolist() == columns and written["n"].tolist() == shares["n"].tolist()
    title = "Stance shares across 3 articles (90% bootstrap intervals)"
    assert out["table_md"].read_text().startswith(f"# {title}\n\n{NOTE}\n\n| article ")
    assert "\\caption{Stance shares across 3 articles (90\\% bootstrap intervals)}" in out["table_tex"].read_text()
    assert f"<h2>{title}</h2><p>{NOTE}</p>" in out["table_html"].read_text()

    # --- statements per speaker: most statements first, then article, then speaker
    by = pd.read_csv(out["speakers_table"])
    assert by.columns.tolist() == ["article", "speaker", "n", *NAMES]
    assert by.values.tolist() == [
        ["a", "Ann Lee", 2, 2, 0, 0],
        ["b", "(narrator)", 2, 0, 0, 2],
        ["b", "Bo Ray", 2, 0, 2, 0],
        ["a", "(narrator)", 1, 0, 0, 1],
        ["c", "(narrator)", 1, 0, 0, 1],
        ["c", "Cy Dee", 1, 1, 0, 0],
    ]
    speakers_md = out["speakers_md"].read_text()
    assert speakers_md.startswith(f"# Statements per speaker and label, by article\n\n{NOTE}\n\n")
    assert "\\caption{Statements per speaker and label, by article}" in out["speakers_tex"].read_text()
    assert f"<h2>Statements per speaker and label, by article</h2><p>{NOTE}</p>" in (
        out["speakers_table_html"].read_text()
    )

    # --- distribution tests: every pair of articles, chi-square as scipy computes it on the 2 x labels table
    tests = pd.read_csv(out["tests"])
    assert tests.columns.tolist() == [
        *["a", "b", "n_a", "n_b", "chi2", "dof", "p_asymptotic", "p_permutation", "p_holm", "cramers_v"]
    ]
    assert tests[["a", "b", "n_a", "n_b"]].values.tolist() == [["a", "b", 3, 4], ["a", "c", 3, 2], ["b", "c", 4, 2]]
    contingency = {  # counts of pro, anti, none; a label neither article uses is left out of its table
        ("a", "b"): [[2, 0, 1], [0, 2, 2]],
        ("a", "c"): [[2, 1], [1, 1]],
        ("b", "c"): [[0, 2, 2], [1, 0, 1]],
    }
    codes = {a: np.array([NAMES.index(r[0]) for r in rows]) for a, rows in ARTICLES.items()}
    for row in tests.itertuples():
        chi2, p, dof, _ = chi2_contingency(contingency[row.a, row.b], correction=False)
        assert (row.chi2, row.dof, row.p_asymptotic) == (pytest.approx(chi2, rel=1e-5), dof, pytest.approx(p, rel=1e-5))
        # the permutation p-value uses the configured number of permutations and the seed
        own = distribution_test(codes[row.a], codes[row.b], 3, resamples=50, seed=3)
        assert row.p_permutation == pytest.approx(own["p_permutation"], rel=1e-5)
        assert round(row.p_permutation * 51) == pytest.approx(row.p_permutation * 51, abs=1e-3)
    # Holm by hand over the three permutation p-values: sorted ascending, times 3, 2, 1, running maximum, cap 1
    p = tests["p_permutation"].to_numpy()
    order = np.argsort(p)
    adjusted = np.minimum(1, np.maximum.accumulate(p[order] * np.array([3, 2, 1])))
    np.testing.assert_allclose(tests["p_holm"].to_numpy()[order], adjusted, rtol=1e-5)
    tests_title = (
        "Do label distributions differ between articles? Chi-square, permutation p-value (50 permutations), "
        "Holm-adjusted, Cramér's V"
    )
    assert out["tests_md"].read_text().startswith(f"# {tests_title}\n\n{NOTE}\n\n")
    assert "Cram" in out["tests_tex"].read_text() and "(50 permutations)" in out["tests_tex"].read_text()
    assert f"<p>{NOTE}</p>" in out["tests_html"].read_text()

    # --- sensitivity: statements whose label changes, per compared article (zz is not compared)
    fragile = pd.read_csv(out["fragile_table"])
    assert fragile.columns.tolist() == ["article", "n_statements", "n_changed", "share_changed"]
    assert fragile[["article", "n_statements", "n_changed"]].values.tolist() == [["a", 3, 1], ["b", 4, 2], ["c", 2, 2]]
    assert fragile["share_changed"].tolist() == pytest.approx([1 / 3, 0.5, 1.0], rel=1e-5)
    fragile_title = "Statements whose label changes with the phrasing of the hypotheses"
    assert out["fragile_md"].read_text().startswith(f"# {fragile_title}\n\n{NOTE}\n\n")
    assert f"\\caption{{{fragile_title}}}" in out["fragile_tex"].read_text()
    assert f"<h2>{fragile_title}</h2>" in out["fragile_table_html"].read_text()

    # --- the figures, read through their data
    assert [paths for _, paths in saved] == [
        (out["figure"], out["svg"]),
        (out["speakers"], out["speakers_svg"]),
        (out["fragile"], out["fragile_svg"]),
    ]
    assert all(isinstance(fig, Figure) for fig, _ in saved)
    shares_fig, speakers_fig, fragile_fig = (fig for fig, _ in saved)
    assert shares_fig.get_suptitle() == "Stance shares across 3 articles"
    assert "90% bootstrap interval" in shares_fig.get_supxlabel()
    assert len(shares_fig.axes) == 3  # a panel per label
    ticks = [t.get_text() for t in shares_fig.axes[0].get_yticklabels()]
    assert ticks == ["c\nn=2", "b\nn=4", "a\nn=3"]  # bottom to top
    ax = speakers_fig.axes[0]
    assert ax.get_title() == "Stance by speaker across articles (narrators left out)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Ann Lee — a (n=2)", "Bo Ray — b (n=2)", "Cy Dee — c (n=1)"]
    assert {t.get_text() for t in fragile_fig.axes[0].texts} == {"33% (1 of 3)", "50% (2 of 4)", "100% (2 of 2)"}


def articles_sheet(tmp_path, rows):
    path = tmp_path / "articles.tsv"
    pd.DataFrame(rows, columns=["article", "outlet", "group"]).to_csv(path, sep="\t", index=False)
    return path


def test_more_articles_than_max_pairwise_are_compared_by_group_of_the_articles_sheet(tmp_path, saved):
    """Groups: a and c are "left", b has none. Pooled counts (pro, anti, none): (no group) = b = 0, 2, 2;
    left = a + c = 3, 0, 2."""
    sheet = articles_sheet(tmp_path, [("c", "Daily", "left"), ("a", "Times", "left"), ("b", "NA", "")])
    out = outputs(tmp_path / "comparison")
    shares = compare_articles(
        write_articles(tmp_path),
        out,
        NAMES,
        resamples=20,
        seed=0,
        level=0.95,
        articles_sheet=sheet,
        max_pairwise=2,
        test_resamples=30,
    )
    assert shares.columns.tolist()[:3] == ["article", "outlet", "group"]
    assert shares.drop_duplicates("article")[["article", "outlet", "group"]].values.tolist() == [
        ["a", "Times", "left"],
        ["b", "NA", ""],  # "NA" is an outlet's name, not a missing value
        ["c", "Daily", "left"],
    ]
    tests = pd.read_csv(out["tests"], keep_default_na=False)
    assert tests[["a", "b", "n_a", "n_b", "dof"]].values.tolist() == [["(no group)", "left", 4, 5, 2]]
    chi2, p, _, _ = chi2_contingency([[0, 2, 2], [3, 0, 2]], correction=False)
    assert tests.loc[0, "chi2"] == pytest.approx(chi2, rel=1e-5)
    assert tests.loc[0, "p_asymptotic"] == pytest.approx(p, rel=1e-5)
    assert tests.loc[0, "p_holm"] == tests.loc[0, "p_permutation"]  # one test: nothing to adjust
    assert (
        out["tests_md"]
        .read_text()
        .startswith(
            "# Do label distributions differ between groups? Chi-square, permutation p-value (30 permutations), "
            f"Holm-adjusted, Cramér's V\n\n{NOTE}\n\n"
        )
    )
    ticks = [t.get_text() for t in saved[0][0].axes[0].get_yticklabels()]
    # ordered by group ("" first, at the top), then article; the ticks run bottom to top
    assert ticks == ["c\nleft; Daily; n=2", "a\nleft; Times; n=3", "b\nNA; n=4"]


def test_as_many_articles_as_max_pairwise_are_still_compared_pairwise(tmp_path, saved):
    out = outputs(tmp_path / "comparison")
    compare_articles(write_articles(tmp_path), out, NAMES, resamples=10, seed=0, level=0.95, max_pairwise=3)
    tests = pd.read_csv(out["tests"])
    assert len(tests) == 3 and "(2000 permutations)" in out["tests_md"].read_text().splitlines()[0]


def test_with_one_group_only_the_distribution_tests_say_they_were_not_run(tmp_path, saved):
    sheet = articles_sheet(tmp_path, [("a", "", "left"), ("b", "", "left"), ("c", "", "left")])
    out = outputs(tmp_path / "comparison")
    compare_articles(
        write_articles(tmp_path), out, NAMES, resamples=10, seed=0, level=0.95, articles_sheet=sheet, max_pairwise=1
    )
    assert len(pd.read_csv(out["tests"])) == 0
    assert (
        out["tests_md"]
        .read_text()
        .startswith(
            "# Do label distributions differ between articles? Chi-square, permutation p-value (2000 permutations), "
            "Holm-adjusted, Cramér's V (not run: more than 1 articles and no groups in the articles sheet)\n\n"
        )
    )
    assert "no rows" in out["tests_html"].read_text()


def test_thirty_one_articles_are_past_the_default_pairwise_limit(tmp_path, saved):
    """The default ``max_pairwise`` is 30: 31 articles without groups get no pairwise tests (465 pairs), and the
    speaker figure shows the 25 speakers with most statements."""
    articles = {f"art{i:02d}": [(PRO, f"Person {i:02d}", 0.5)] for i in range(31)}
    out = outputs(tmp_path / "comparison")
    compare_articles(write_articles(tmp_path, articles), out, NAMES, resamples=5, seed=0, level=0.95)
    assert len(pd.read_csv(out["tests"])) == 0
    assert "(not run: more than 30 articles and no groups in the articles sheet)" in out["tests_md"].read_text()
    speakers_fig = saved[1][0]
    assert speakers_fig.axes[0].get_title() == ("Stance by speaker across articles (narrators left out) (top 25 of 31)")


def test_the_articles_sheet_keeps_ids_and_values_as_written(tmp_path):
    path = tmp_path / "articles.tsv"
    path.write_text("article\tdate\tgroup\n007\t2024-01-05\tNA\n010\t2024-02-01\tEU\n")
    meta = read_articles_sheet(path, ["010", "007", "099"])
    assert meta.values.tolist() == [["010", "2024-02-01", "EU"], ["007", "2024-01-05", "NA"], ["099", "", ""]]
    assert read_articles_sheet(tmp_path / "absent.tsv", ["x"]).values.tolist() == [["x"]]
    path.write_text("article\tsource\nx\ty\n")
    with pytest.raises(InputError, match="unknown columns"):
        read_articles_sheet(path, ["x"])


def test_holm_caps_adjusted_p_values_at_one():
    """p = 0.6, 0.7 (m = 2): 2 x 0.6 = 1.2 -> 1, then max(1, 1 x 0.7) = 1."""
    assert holm(np.array([0.7, 0.6])).tolist() == [1.0, 1.0]


def test_corrected_shares_are_merged_per_article_and_label(tmp_path):
    validation = tmp_path / "shares.csv"
    rows = [
        ("corpus", PRO, 0.25, 0.1, 0.4),
        ("article:a", PRO, 0.31, 0.2, 0.42),
        ("article:a", NONE, 0.6, 0.5, 0.7),
        ("article:b", ANTI, 0.45, 0.3, 0.6),
        ("group:a", PRO, 0.9, 0.8, 1.0),
    ]
    pd.DataFrame(rows, columns=["scope", "label", "corrected_share", "ci_low", "ci_high"]).to_csv(
        validation, index=False
    )
    shares = pd.DataFrame({"article": ["a", "a", "b", "c"], "label": [PRO, NONE, PRO, PRO], "share": [0.5] * 4})
    merged = with_corrected_shares(shares, validation)
    assert merged.columns.tolist() == [
        *["article", "label", "share", "corrected_share", "corrected_ci_low", "corrected_ci_high"]
    ]
    assert merged[["article", "label"]].values.tolist() == shares[["article", "label"]].values.tolist()
    np.testing.assert_allclose(
        merged[["corrected_share", "corrected_ci_low", "corrected_ci_high"]],
        [[0.31, 0.2, 0.42], [0.6, 0.5, 0.7], [np.nan] * 3, [np.nan] * 3],
    )


def test_the_comparison_with_a_validation_adds_the_corrected_columns(tmp_path, saved):
    validation = tmp_path / "shares.csv"
    pd.DataFrame(
        [("article:b", ANTI, 0.4, 0.3, 0.5)], columns=["scope", "label", "corrected_share", "ci_low", "ci_high"]
    ).to_csv(validation, index=False)
    out = outputs(tmp_path / "comparison")
    shares = compare_articles(
        write_articles(tmp_path), out, NAMES, resamples=10, seed=0, level=0.95, validation_csv=validation
    )
    assert shares.loc[shares["corrected_share"].notna(), ["article", "label", "corrected_share"]].values.tolist() == [
        ["b", ANTI, 0.4]
    ]
    assert "hollow diamonds" in saved[0][0].get_supxlabel()


# --- one article's tables


def test_an_article_s_tables_captions_and_declared_pages(tmp_path):
    rows = [(PRO, "Ann Lee", 0.9), (PRO, "", 0.8), (PRO, "Ann Lee", 0.6), (NONE, "", 0.99), (ANTI, "Bo Ray", 0.7)]
    (tmp_path / "a").mkdir()
    stances_table("a", rows).to_csv(tmp_path / "a" / "stances.csv", index=False)
    t = tmp_path / "tables"
    t.mkdir()
    out = {
        "summary": t / "summary.csv",
        "summary_md": t / "summary.md",
        "summary_html": t / "summary.html",
        "top": t / "top.csv",
        "top_md": t / "top.md",
        "speakers": t / "speakers.csv",
        "speakers_md": t / "speakers.md",
        "speakers_html": t / "speakers.html",
        "statements_html": t / "statements.html",
    }
    write_article_tables(tmp_path / "a" / "stances.csv", out, NAMES, resamples=30, seed=2, level=0.8, top_n=2)
    summary = pd.read_csv(out["summary"])
    assert summary["n"].tolist() == [3, 1, 1]
    reference = bootstrap_shares([r[0] for r in rows], NAMES, resamples=30, seed=2, level=0.8)
    np.testing.assert_allclose(summary[["ci_low", "ci_high"]], reference[["ci_low", "ci_high"]], rtol=1e-5)
    assert (
        out["summary_md"].read_text().startswith("# Stance labels in a (n = 5 statements, 80% bootstrap intervals)\n\n")
    )
    assert "<h2>Stance labels in a (n = 5 statements, 80% bootstrap intervals)</h2>" in out["summary_html"].read_text()
    top = pd.read_csv(out["top"])  # two most confident per stance label, none left out
    assert top[["label", "rank", "statement_id"]].values.tolist() == [[PRO, 1, 0], [PRO, 2, 1], [ANTI, 1, 4]]
    assert out["top_md"].read_text().startswith("# Most confident statements per label in a\n\n")
    assert not (t / "top.html").exists()
    speakers = pd.read_csv(out["speakers"])
    assert speakers.values.tolist() == [["(narrator)", 2, 1, 0, 1], ["Ann Lee", 2, 2, 0, 0], ["Bo Ray", 1, 0, 1, 0]]
    assert (
        out["speakers_md"]
        .read_text()
        .startswith(
            "# Statements per speaker and label in a (speakers from quotes and attributions; one person or group "
            "written two ways is one row, both names shown)\n\n"
        )
    )
    assert "<td>Ann Lee</td>" in out["speakers_html"].read_text()
    page = out["statements_html"].read_text()
    assert (
        "<h2>Every statement of a with its label (5 statements)</h2><p>confidence ranks how clearly one label wins; "
        "it is not a calibrated probability. Full scores: results/a/stances.csv.</p>"
    ) in page
    assert (
        '<tr><th class="num">statement_id</th><th class="num">paragraph</th><th>speaker</th><th>label</th>'
        '<th class="num">confidence</th><th class="text">text</th></tr>'
    ) in page
    assert page.count("<tr>") == 1 + 5


def test_an_empty_article_is_named_by_its_folder_and_has_no_statements_page_unless_declared(tmp_path):
    folder = tmp_path / "empty_one"
    folder.mkdir()
    stances_table("x", []).to_csv(folder / "stances.csv", index=False)
    out = {k: tmp_path / f"{k}.{'md' if k.endswith('_md') else 'csv'}" for k in ["summary", "top", "speakers"]}
    out |= {f"{k}_md": tmp_path / f"{k}.md" for k in ["summary", "top", "speakers"]}
    write_article_tables(folder / "stances.csv", out, NAMES, resamples=10, seed=0, level=0.95, top_n=3)
    assert out["summary_md"].read_text().startswith("# Stance labels in empty_one (n = 0 statements, 95%")
    assert pd.read_csv(out["summary"])["n"].tolist() == [0, 0, 0]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["empty_one", "summary.csv", "summary.md", "top.csv", "top.md", "speakers.csv", "speakers.md"]
    )


def test_the_statements_page_leaves_out_columns_the_table_lacks(tmp_path):
    folder = tmp_path / "copy_of_b"  # the article is named by its table, not by the folder it was copied to
    folder.mkdir()
    stances_table("b", [(PRO, "", 0.5)]).drop(columns=["speaker"]).to_csv(folder / "stances.csv", index=False)
    out = {k: tmp_path / f"{k}.csv" for k in ["summary", "top", "speakers"]}
    out |= {f"{k}_md": tmp_path / f"{k}.md" for k in ["summary", "top", "speakers"]}
    out["statements_html"] = tmp_path / "statements.html"
    write_article_tables(folder / "stances.csv", out, NAMES, resamples=10, seed=0, level=0.95, top_n=1)
    page = out["statements_html"].read_text()
    assert "<th>label</th>" in page and "<th>speaker</th>" not in page
    assert "results/b/stances.csv" in page


def test_label_summary_uses_the_configured_bootstrap_and_averages_confidence_per_label():
    table = pd.DataFrame({"label": [PRO, PRO, NONE, PRO], "confidence": [0.2, 0.4, 0.9, 0.6]})
    summary = label_summary(table, NAMES, resamples=25, seed=7, level=0.5)
    reference = bootstrap_shares(table["label"], NAMES, resamples=25, seed=7, level=0.5)
    np.testing.assert_allclose(summary[["ci_low", "ci_high"]], reference[["ci_low", "ci_high"]])
    np.testing.assert_allclose(summary["mean_confidence"], [0.4, np.nan, 0.9])  # (0.2 + 0.4 + 0.6) / 3


def test_top_statements_skip_none_wherever_it_stands_in_the_label_order():
    table = pd.DataFrame(
        {"statement_id": [0, 1, 2], "label": [NONE, ANTI, PRO], "confidence": [0.9, 0.5, 0.4], "text": ["x"] * 3}
    )
    top = top_statements(table, [PRO, NONE, ANTI], top_n=3)
    assert top["label"].tolist() == [PRO, ANTI]


# --- speakers


def test_speakers_without_a_name_are_the_narrator_and_absent_labels_count_zero():
    table = pd.DataFrame({"speaker": [None, "", "Some"], "label": [NONE, NONE, PRO]})
    by = stance_by_speaker(table, NAMES)
    # "Some" ("Some argue that ...") is a speaker of its own, not a determiner to strip
    assert by.values.tolist() == [["(narrator)", 2, 0, 0, 2], ["Some", 1, 1, 0, 0]]
    assert by[ANTI].dtype.kind == "i"
    # a speaker column read back from CSV has NaN or None, not "", where no one speaks
    only_missing = pd.DataFrame({"speaker": pd.Series([np.nan, None], dtype=object), "label": [NONE, PRO]})
    assert stance_by_speaker(only_missing, NAMES).values.tolist() == [["(narrator)", 2, 1, 0, 1]]


def test_one_name_written_two_ways_is_named_by_the_more_frequent_form_first():
    table = pd.DataFrame({"speaker": ["Critics", "his critics", "the critics"], "label": [ANTI, ANTI, PRO]})
    by = stance_by_speaker(table, NAMES)
    # all three share the key "critics"; one statement each: ties in alphabetical order (capitals first)
    assert by.values.tolist() == [["Critics / his critics / the critics", 3, 1, 2, 0]]
    table = pd.DataFrame({"speaker": ["Critics", "his critics", "his critics"], "label": [ANTI] * 3})
    assert stance_by_speaker(table, NAMES)["speaker"].tolist() == ["his critics / Critics"]


def test_a_bare_surname_is_written_out_as_the_article_most_often_writes_it():
    texts = ["President Biden spoke first.", "Mr. Biden replied.", "Later Mr. Biden left.", "Biden said no."]
    table = pd.DataFrame({"speaker": ["", "", "", "Biden"], "label": [NONE] * 4, "text": texts})
    assert stance_by_speaker(table, NAMES)["speaker"].tolist() == ["(narrator)", "Mr. Biden"]
    # one of each: the shorter form wins
    table = table.assign(text=["President Biden spoke first.", "Mr. Biden replied.", "x", "Biden said no."])
    assert stance_by_speaker(table, NAMES)["speaker"].tolist() == ["(narrator)", "Mr. Biden"]
    # without a text column the surname stays as attributed
    assert stance_by_speaker(table.drop(columns="text"), NAMES)["speaker"].tolist() == ["(narrator)", "Biden"]


def test_a_surname_written_two_ways_keeps_both_forms_and_is_not_written_out():
    table = pd.DataFrame(
        {
            "speaker": ["Blinken", "Blinken", "BLINKEN"],
            "label": [PRO] * 3,
            "text": ["Secretary of State Blinken arrived.", "He spoke.", "He left."],
        }
    )
    assert stance_by_speaker(table, NAMES)["speaker"].tolist() == ["Blinken / BLINKEN"]


# --- cells and pages


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "True"),
        (np.bool_(False), "False"),
        (None, ""),
        (float("nan"), ""),
        (np.float64("nan"), ""),
        (pd.NA, ""),
        (pd.NaT, ""),
        ("nan", "nan"),
        ("", ""),
        ("Ann Lee", "Ann Lee"),
        (3, "3"),
        (np.int64(12), "12"),
        (0.12345, "0.123"),
        (np.float32(0.5), "0.500"),
        (2.0, "2.000"),
    ],
)
def test_a_cell_shows_three_decimals_for_a_fraction_and_blank_for_missing(value, text):
    assert _cell(value) == text


FRAME = pd.DataFrame(
    {
        "label": ["pro", "none"],
        "n": [3, 10],
        "share": [0.12345, np.nan],
        "text": ["a < b & c", 'say "no"'],
        "flag": [True, False],
    }
)
FRAGMENT = (
    '<div class="stancemap-table"><h2>Shares &amp; counts</h2><p>first note</p><p>second &lt;note&gt;</p>\n'
    "<table>\n"
    '<thead><tr><th>label</th><th class="num">n</th><th class="num">share</th><th class="text">text</th>'
    "<th>flag</th></tr></thead>\n"
    "<tbody>\n"
    '<tr><td>pro</td><td class="num">3</td><td class="num">0.123</td><td class="text">a &lt; b &amp; c</td>'
    "<td>True</td></tr>\n"
    '<tr><td>none</td><td class="num">10</td><td class="num"></td><td class="text">say &quot;no&quot;</td>'
    "<td>False</td></tr>\n"
    "</tbody>\n"
    "</table></div>\n"
)


def test_an_html_fragment_has_heading_notes_classes_and_escaped_cells():
    assert to_html_fragment(FRAME, "Shares & counts\nfirst note\n  \nsecond <note>") == FRAGMENT


def test_an_empty_table_says_so_across_all_its_columns():
    fragment = to_html_fragment(FRAME.iloc[:0], "Nothing")
    assert '<tbody>\n<tr><td colspan="5"><em>no rows</em></td></tr>\n</tbody>' in fragment
    assert fragment.startswith('<div class="stancemap-table"><h2>Nothing</h2>\n<table>')


def test_an_html_page_is_self_contained_with_the_title_s_first_line():
    page = to_html(FRAME, "Shares & counts\nfirst note\n  \nsecond <note>")
    assert page == (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Shares &amp; counts</title>\n'
        f"<style>{HTML_STYLE}</style></head>\n<body>\n{FRAGMENT}</body></html>\n"
    )
    assert ".stancemap-table th.num" in HTML_STYLE


def test_latex_escapes_headers_and_caption_and_blanks_missing_values():
    df = pd.DataFrame({"label": ["pro_negotiation", "none"], "n_statements": [3, 4], "share": [0.12345, np.nan]})
    tex = to_latex(df, "Shares_by label at 95%")
    assert tex.startswith("\\begin{table}[htbp]\n\\caption{Shares\\_by label at 95\\%}\n")
    assert "label & n\\_statements & share \\\\" in tex
    assert "pro\\_negotiation & 3 & 0.123 \\\\" in tex
    assert "none & 4 &  \\\\" in tex
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex


def test_the_metrics_page_lists_top_level_numbers_and_strings():
    metrics = {
        "article": "a",
        "n_gold": 4,
        "accuracy": 0.5,
        "macro_f1": 2 / 3,
        "per_label": [{"label": "pro"}],
        "confusion_matrix": {"labels": []},
    }
    table = metrics_table(metrics)
    assert table.columns.tolist() == ["key", "value"]
    assert table.values.tolist() == [["article", "a"], ["n_gold", "4"], ["accuracy", "0.500"], ["macro_f1", "0.667"]]


# --- evaluation against gold spans -----------------------------------------------------------------------------

GOLD_NAMES = ["pro_negotiation", "anti_negotiation", "alliance_focused", "none"]


def evaluated(tmp_path, monkeypatch):
    """Three statements (pro 0.95, anti 0.75, none 0.55) and four gold spans: pro on the first (right), pro on
    the second (wrong), none on the third (right), and one span past the text's end (unmatched)."""
    import stancemap.report.evaluate as evaluate

    figures = []
    monkeypatch.setattr(evaluate, "save", lambda fig, *paths: figures.append((fig, paths)))
    (tmp_path / "art").mkdir()
    pd.DataFrame(
        {
            "article": "art",
            "statement_id": [0, 1, 2],
            "start": [0, 20, 41],
            "end": [19, 40, 60],
            "paragraph": 0,
            "text": ["s0", "s1", "s2"],
            "label": ["pro_negotiation", "anti_negotiation", "none"],
            "confidence": [0.95, 0.75, 0.55],
        }
    ).to_csv(tmp_path / "art/stances.csv", index=False)
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "start,end,label,text\n2,15,pro_negotiation,NA\n22,38,pro_negotiation,b\n45,58,none,c\n100,120,none,d\n"
    )
    out = {
        "metrics": tmp_path / "out/metrics.json",
        "per_label": tmp_path / "out/per_label.csv",
        "per_label_md": tmp_path / "out/per_label.md",
        "per_label_html": tmp_path / "out/per_label.html",
        "matched": tmp_path / "out/matched.csv",
        "matched_html": tmp_path / "out/matched.html",
        "metrics_html": tmp_path / "out/metrics.html",
        "confusion": tmp_path / "out/confusion.png",
        "confusion_svg": tmp_path / "out/confusion.svg",
        "reliability": tmp_path / "out/reliability.png",
        "reliability_svg": tmp_path / "out/reliability.svg",
    }
    metrics = evaluate.evaluate_article(tmp_path / "art/stances.csv", gold, out, GOLD_NAMES)
    return metrics, out, figures


def test_evaluating_three_scored_spans_and_one_unmatched_by_hand(tmp_path, monkeypatch):
    """Scored: pro→pro (right), pro→anti (wrong), none→none (right): accuracy 2/3. Per label: pro P 1, R 1/2,
    F1 2/3; anti P 0 (one false positive), R 0, F1 0; none F1 1; alliance occurs nowhere and is left out of the
    macro-F1 = (2/3 + 0 + 1) / 3 = 5/9. ECE over ten bins: (|1 - .95| + |0 - .75| + |1 - .55|) / 3 = 1.25 / 3."""
    import json

    metrics, out, figures = evaluated(tmp_path, monkeypatch)
    assert (metrics["n_gold"], metrics["n_scored"], metrics["n_unmatched"]) == (4, 3, 1)
    assert metrics["accuracy"] == pytest.approx(2 / 3)
    assert metrics["macro_f1"] == pytest.approx(5 / 9)
    assert metrics["ece"] == pytest.approx(1.25 / 3)
    written = json.loads(out["metrics"].read_text())
    assert list(written) == [
        "article", "n_gold", "n_unmatched", "n_scored", "accuracy", "macro_f1", "ece", "per_label", "confusion_matrix",
    ]  # fmt: skip
    assert written["per_label"][0] == {
        "label": "pro_negotiation", "precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3), "support": 2,
    }  # fmt: skip
    assert written["confusion_matrix"] == {
        "labels": GOLD_NAMES,
        "rows_gold_columns_predicted": [[1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]],
    }
    per_label = pd.read_csv(out["per_label"])
    assert list(per_label.columns) == ["label", "precision", "recall", "f1", "support"]
    # every page is written, with its caption; "NA" in the gold text stays text
    assert "art: labels against gold (n = 3 matched of 4, accuracy 0.667, macro-F1 0.556, ECE 0.417)" in (
        out["per_label_html"].read_text()
    )
    matched_page = out["matched_html"].read_text()
    assert "(statement_id -1: no statement overlaps it, counted but not scored)" in matched_page
    assert "label: the hand label; predicted: the label of the statement that overlaps it most" in matched_page
    matched = pd.read_csv(out["matched"], keep_default_na=False)
    assert matched["text"].tolist() == ["NA", "b", "c", "d"]
    assert matched["statement_id"].tolist() == [0, 1, 2, -1]
    metrics_page = out["metrics_html"].read_text()
    assert "art: labels against the hand labels (gold)" in metrics_page and "0.556" in metrics_page
    # the figures: the confusion matrix and the reliability diagram of this article, each to its PNG and SVG
    assert [paths for _, paths in figures] == [
        (out["confusion"], out["confusion_svg"]),
        (out["reliability"], out["reliability_svg"]),
    ]
    assert figures[0][0].axes[0].get_title() == "Confusion matrix, art (3 gold spans)"
    assert figures[1][0].axes[0].get_title() == "Reliability, art (ECE = 0.417)"
    for fig, _ in figures:
        plt.close(fig)


def test_gold_files_that_cannot_be_scored_are_named_with_the_reason(tmp_path, monkeypatch):
    import stancemap.report.evaluate as evaluate

    _, out, _ = evaluated(tmp_path, monkeypatch)
    far = tmp_path / "far.csv"
    far.write_text("start,end,label,text\n100,120,none,d\n")
    with pytest.raises(InputError) as error:
        evaluate.evaluate_article(tmp_path / "art/stances.csv", far, out, GOLD_NAMES)
    assert str(error.value) == (
        f"{far}: no gold span overlaps a statement of {tmp_path / 'art/stances.csv'}; are the offsets for "
        "this version of the article's text.txt?"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("start,end,label,text\n2,15,maybe,a\n")
    with pytest.raises(InputError) as error:
        evaluate.evaluate_article(tmp_path / "art/stances.csv", bad, out, GOLD_NAMES)
    assert str(error.value) == (
        f"{bad}: gold labels ['maybe'] are not configured labels "
        "(pro_negotiation, anti_negotiation, alliance_focused, none)"
    )


def test_check_gold_lists_only_the_bad_lines_and_at_most_ten():
    from stancemap.report.evaluate import check_gold

    gold = pd.DataFrame({"start": ["0", "x", "8"], "end": ["4", "9", "12"], "label": "none"})
    with pytest.raises(InputError, match=r"see lines \[3\]$"):  # the header is line 1: the second row is line 3
        check_gold(gold, GOLD_NAMES, "g.csv")
    twelve_bad = pd.DataFrame({"start": [5] * 12, "end": [5] * 12, "label": "none"})
    with pytest.raises(InputError, match=r"see lines \[2, 3, 4, 5, 6, 7, 8, 9, 10, 11\]$"):
        check_gold(twelve_bad, GOLD_NAMES, "g.csv")
    good = check_gold(pd.DataFrame({"start": ["0.0"], "end": ["4"], "label": "none"}), GOLD_NAMES, "g.csv")
    assert good["start"].dtype.kind == "i" and good["end"].dtype.kind == "i"


def test_a_gold_span_sharing_one_character_with_a_statement_is_matched_to_it():
    from stancemap.report.evaluate import match_gold

    stances = pd.DataFrame(
        {"statement_id": [0, 1], "start": [0, 20], "end": [19, 40], "label": "none", "confidence": 1}
    )
    gold = pd.DataFrame({"start": [19, 40], "end": [21, 50], "label": "none"})
    assert match_gold(stances, gold)["statement_id"].tolist() == [1, -1]  # [19, 21) ∩ [20, 40) is one character


def test_a_speaker_column_read_back_empty_is_all_narrator_without_a_pandas_warning(tmp_path):
    """A stances.csv in which no speaker was found reads back as a float column of NaN; filling it with text
    warns in pandas 3 and fails in pandas 4."""
    import warnings

    path = tmp_path / "stances.csv"
    pd.DataFrame({"speaker": ["", ""], "label": [PRO, NONE], "text": ["a", "b"]}).to_csv(path, index=False)
    stances = pd.read_csv(path)
    assert stances["speaker"].dtype.kind == "f"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = stance_by_speaker(stances, NAMES)
    assert table.values.tolist() == [["(narrator)", 2, 1, 0, 1]]
