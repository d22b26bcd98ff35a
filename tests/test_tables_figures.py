import numpy as np
import pandas as pd
import pytest

from stancemap.report.compare import compare_articles
from stancemap.report.plots import label_colours, write_article_figures
from stancemap.report.stats import bootstrap_shares
from stancemap.report.tables import write_article_tables

NAMES = ["pro_negotiation", "anti_negotiation", "alliance_focused", "none"]


def test_bootstrap_is_deterministic_and_brackets_the_share():
    labels = ["pro_negotiation"] * 10 + ["none"] * 30
    a = bootstrap_shares(labels, NAMES, resamples=500, seed=1)
    b = bootstrap_shares(labels, NAMES, resamples=500, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert a["n"].tolist() == [10, 0, 0, 30]
    assert (a["ci_low"] <= a["share"]).all() and (a["share"] <= a["ci_high"]).all()
    assert a.loc[0, "ci_low"] > 0.1 and a.loc[0, "ci_high"] < 0.45
    with pytest.raises(ValueError, match="not in the configured set"):
        bootstrap_shares(["maybe"], NAMES)


def test_colours_are_fixed_and_distinct():
    colours = label_colours(NAMES + ["humanitarian"])
    assert colours == label_colours(["humanitarian"] + NAMES)
    assert len(set(colours.values())) == 5


def comparison_outputs(folder):
    """The compare_articles rule's named outputs, under ``folder``."""
    stems = {
        "table": "stance_shares",
        "speakers_table": "stance_by_speaker",
        "tests": "distribution_tests",
        "fragile_table": "sensitivity",
    }
    out = {}
    for key, stem in stems.items():
        prefix = key.removesuffix("_table")
        out |= {
            key: folder / f"{stem}.csv",
            f"{prefix}_md": folder / f"{stem}.md",
            f"{prefix}_tex": folder / f"{stem}.tex",
        }
    out |= {
        "figure": folder / "stance_shares.png",
        "svg": folder / "stance_shares.svg",
        "speakers": folder / "stance_by_speaker.png",
        "speakers_svg": folder / "stance_by_speaker.svg",
        "fragile": folder / "sensitivity.png",
        "fragile_svg": folder / "sensitivity.svg",
    }
    return out


def stances(article, labels):
    n = len(labels)
    return pd.DataFrame(
        {
            "article": article,
            "statement_id": range(n),
            "start": np.arange(n) * 10,
            "end": np.arange(n) * 10 + 9,
            "paragraph": 0,
            "text": [f"Statement {i}." for i in range(n)],
            "label": labels,
            "confidence": np.linspace(0.3, 0.9, n),
        }
    )


def test_tables_figures_and_comparison_are_written(tmp_path):
    paths = []
    for article, labels in {
        "a": ["pro_negotiation", "none", "none", "alliance_focused"] * 5,
        "b": ["anti_negotiation", "none"] * 8,
    }.items():
        (tmp_path / article).mkdir()
        stances(article, labels).to_csv(tmp_path / article / "stances.csv", index=False)
        paths.append(tmp_path / article / "stances.csv")
        t, f = tmp_path / article / "tables", tmp_path / article / "figures"
        tables = {
            "summary": t / "label_summary.csv",
            "summary_md": t / "label_summary.md",
            "top": t / "top_statements.csv",
            "top_md": t / "top_statements.md",
            "speakers": t / "stance_by_speaker.csv",
            "speakers_md": t / "stance_by_speaker.md",
        }
        write_article_tables(paths[-1], tables, NAMES, resamples=200, seed=0, level=0.95, top_n=2)
        figures = {
            "shares": f / "stance_shares.png",
            "shares_svg": f / "stance_shares.svg",
            "along": f / "stance_along_article.png",
            "along_svg": f / "stance_along_article.svg",
            "speakers": f / "stance_by_speaker.png",
            "speakers_svg": f / "stance_by_speaker.svg",
        }
        write_article_figures(paths[-1], t / "label_summary.csv", figures, NAMES, level=0.95)
    summary = pd.read_csv(tmp_path / "a/tables/label_summary.csv")
    assert summary["n"].tolist() == [5, 0, 5, 10] and summary["share"].sum() == pytest.approx(1)
    top = pd.read_csv(tmp_path / "a/tables/top_statements.csv")
    assert set(top["label"]) == {"pro_negotiation", "alliance_focused"} and top.groupby("label").size().max() == 2
    assert (top.groupby("label")["confidence"].apply(lambda c: c.is_monotonic_decreasing)).all()
    assert (tmp_path / "a/tables/label_summary.md").read_text().startswith("# Stance labels in a")
    for name in ["stance_shares", "stance_along_article"]:
        assert (tmp_path / f"a/figures/{name}.png").read_bytes()[:4] == b"\x89PNG"
        assert b"<svg" in (tmp_path / f"a/figures/{name}.svg").read_bytes()[:500]
    shares = compare_articles(
        paths, comparison_outputs(tmp_path / "comparison"), NAMES, resamples=200, seed=0, level=0.95
    )
    assert shares.groupby("article").size().tolist() == [4, 4]
    assert (tmp_path / "comparison/stance_shares.png").exists()
    assert not list(tmp_path.rglob("*.tmp*")), "no temporary files left behind"
