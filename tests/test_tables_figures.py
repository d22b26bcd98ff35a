import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import QuadMesh

from stancemap.report import plots
from stancemap.report.compare import compare_articles
from stancemap.report.plots import (
    fragility_figure,
    label_colours,
    reliability_figure,
    save,
    sensitivity_figure,
    speaker_figure,
    write_article_figures,
)
from stancemap.report.stats import bootstrap_shares
from stancemap.report.tables import stance_by_speaker, to_html, write_article_tables, write_table

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
        bootstrap_shares(["maybe"], NAMES, resamples=10, seed=0)


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
            "summary_html": t / "label_summary.html",
            "speakers_html": t / "stance_by_speaker.html",
            "statements_html": t / "statements.html",
        }
        write_article_tables(paths[-1], tables, NAMES, resamples=200, seed=0, level=0.95, top_n=2)
        figures = {
            "shares": f / "stance_shares.png",
            "shares_svg": f / "stance_shares.svg",
            "along": f / "stance_along_article.png",
            "along_svg": f / "stance_along_article.svg",
            "speakers": f / "stance_by_speaker.png",
            "speakers_svg": f / "stance_by_speaker.svg",
            "sensitivity": f / "sensitivity.png",
            "sensitivity_svg": f / "sensitivity.svg",
        }
        variants = pd.DataFrame({"article": article, "statement_id": range(len(labels)), "configured": labels})
        variants["phrasing 1"] = ["none"] * len(labels)
        variants["changed"] = variants["configured"] != variants["phrasing 1"]
        variants.to_csv(sensitivity := tmp_path / article / "sensitivity_labels.csv", index=False)
        write_article_figures(paths[-1], t / "label_summary.csv", sensitivity, figures, NAMES, level=0.95)
    summary = pd.read_csv(tmp_path / "a/tables/label_summary.csv")
    assert summary["n"].tolist() == [5, 0, 5, 10] and summary["share"].sum() == pytest.approx(1)
    top = pd.read_csv(tmp_path / "a/tables/top_statements.csv")
    assert set(top["label"]) == {"pro_negotiation", "alliance_focused"} and top.groupby("label").size().max() == 2
    assert (top.groupby("label")["confidence"].apply(lambda c: c.is_monotonic_decreasing)).all()
    assert (tmp_path / "a/tables/label_summary.md").read_text().startswith("# Stance labels in a")
    page = (tmp_path / "a/tables/label_summary.html").read_text()
    assert page.count("<tr>") == 1 + 4 and "<h2>Stance labels in a" in page  # header + one row per label
    assert '<td class="num">10</td>' in page and "<td>alliance_focused</td>" in page
    assert (tmp_path / "a/tables/statements.html").read_text().count("<tr>") == 1 + 20
    assert not (tmp_path / "a/tables/top_statements.html").exists()  # only the outputs the rule declares
    for name in ["stance_shares", "stance_along_article", "stance_by_speaker", "sensitivity"]:
        assert (tmp_path / f"a/figures/{name}.png").read_bytes()[:4] == b"\x89PNG"
        assert b"<svg" in (tmp_path / f"a/figures/{name}.svg").read_bytes()[:500]
    shares = compare_articles(
        paths, comparison_outputs(tmp_path / "comparison"), NAMES, resamples=200, seed=0, level=0.95
    )
    assert shares.groupby("article").size().tolist() == [4, 4]
    assert (tmp_path / "comparison/stance_shares.png").exists()
    assert not list(tmp_path.rglob("*.tmp*")), "no temporary files left behind"


def test_speaker_table_merges_one_group_written_two_ways_and_writes_out_a_titled_surname():
    table = pd.DataFrame(
        {
            "speaker": ["Critics", "his critics", "his critics", "Biden", "", "Tom Shannon"],
            "label": ["anti_negotiation", "anti_negotiation", "none", "none", "none", "pro_negotiation"],
            "text": [
                "Critics counter that talks fail.",
                "It is a mistake, his critics say.",
                "So say his critics.",
                "Biden said nothing.",
                "This portrait of President Biden’s top diplomat is based on interviews.",
                "Shannon said talks help.",
            ],
        }
    )
    by = stance_by_speaker(table, NAMES).set_index("speaker")
    assert by.loc["his critics / Critics", ["n", "anti_negotiation", "none"]].tolist() == [3, 2, 1]
    assert by.loc["President Biden", "n"] == 1 and "Biden" not in by.index
    assert by.loc["(narrator)", "n"] == 1 and by.loc["Tom Shannon", "n"] == 1
    assert by["n"].sum() == 6


def test_html_table_escapes_and_formats():
    df = pd.DataFrame({"label": ["<b>x</b>"], "n": [3], "share": [0.12345], "note": [float("nan")]})
    page = to_html(df, "Title & more\nA note")
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page
    assert '<td class="num">3</td>' in page and '<td class="num">0.123</td>' in page
    assert "<h2>Title &amp; more</h2><p>A note</p>" in page and "<script" not in page


def test_html_pages_for_an_empty_table_metrics_and_a_titled_table(tmp_path):
    from stancemap.report.evaluate import metrics_table

    write_table(pd.DataFrame(columns=["article", "source", "stage", "error"]), "Failures", tmp_path / "t.html")
    write_table(metrics_table({"article": "a", "accuracy": 0.5, "per_label": [1, 2]}), "Metrics", tmp_path / "m.html")
    write_table(pd.DataFrame({"label": ["pro"], "n": [2]}), "Shares in a\n\nArticles included: a.", tmp_path / "s.html")
    assert "no rows" in (tmp_path / "t.html").read_text()
    metrics = (tmp_path / "m.html").read_text()
    assert "<td>accuracy</td><td>0.500</td>" in metrics and "per_label" not in metrics
    shares = (tmp_path / "s.html").read_text()
    assert "<h2>Shares in a</h2><p>Articles included: a.</p>" in shares and "<td>pro</td>" in shares


def axis_of(fig):
    return fig.axes[0]


def test_figures_read_as_intended():
    # reliability: a bin at accuracy 1.0 stays inside the axes, every bin says its n, the key is below the plot
    bins = pd.DataFrame({"mean_confidence": [0.29, 0.6], "accuracy": [1.0, 0.4], "n": [1, 12]})
    fig = reliability_figure(bins, 0.1, "a")
    ax = axis_of(fig)
    assert ax.get_ylim()[1] > 1.0 and ax.get_xlim()[0] < 0
    assert {t.get_text() for t in ax.texts} == {"n:", "1", "12"}
    legend = ax.get_legend()
    fig.canvas.draw()
    assert legend.get_window_extent().y1 <= ax.get_window_extent().y0
    # sensitivity: the axis ends just past the largest share (0.72 -> 0.8), each phrasing is its digit
    rows = [
        (v, name, share)
        for v, share in [("phrasing 1", 0.2), ("phrasing 2", 0.72), ("configured", 0.4)]
        for name in ["pro_negotiation", "none"]
    ]
    shares = pd.DataFrame(rows, columns=["variant", "label", "share"]).assign(n=1)
    ax = axis_of(sensitivity_figure(shares, ["pro_negotiation", "none"], "a", 3, 10))
    assert ax.get_xlim()[1] == pytest.approx(0.8)
    assert sorted(t.get_text() for t in ax.texts) == ["1", "1", "2", "2"]
    # fragility: each bar carries its value
    summary = pd.DataFrame({"article": ["a", "b"], "n_statements": [10, 4], "n_changed": [5, 1]})
    summary["share_changed"] = summary["n_changed"] / summary["n_statements"]
    ax = axis_of(fragility_figure(summary))
    assert {t.get_text() for t in ax.texts} == {"50% (5 of 10)", "25% (1 of 4)"}


def test_speaker_figure_shades_only_speakers_with_enough_statements():
    table = pd.DataFrame(
        {"speaker": ["(narrator)", "X"], "n": [6, 1], "pro_negotiation": [3, 1], "anti_negotiation": [3, 0]}
    )
    fig = speaker_figure(table, ["pro_negotiation", "anti_negotiation"], "t")
    (mesh,) = [c for c in fig.axes[0].collections if isinstance(c, QuadMesh)]
    image = mesh.get_array()
    assert image[0].tolist() == [0.5, 0.5]  # shares of the narrator's six statements
    assert image.mask[1].all()  # one statement: no shade, the count only
    assert len(fig.axes) == 2  # and a colour bar for the shade


def test_the_comparison_shows_corrected_shares_beside_the_model_s(tmp_path):
    """With a validation's shares.csv, each corrected article gets its corrected share and interval as columns (the
    others stay empty), and the figure draws them: the comparison never shows only the naive shares once people
    have coded a sample."""
    paths = []
    for article, labels in {"a": ["pro_negotiation", "none"] * 10, "b": ["anti_negotiation", "none"] * 8}.items():
        (tmp_path / article).mkdir()
        stances(article, labels).to_csv(tmp_path / article / "stances.csv", index=False)
        paths.append(tmp_path / article / "stances.csv")
    validation = tmp_path / "shares.csv"
    rows = [("corpus", "pro_negotiation", 0.3, 0.2, 0.1, 0.3), ("article:a", "pro_negotiation", 0.5, 0.31, 0.2, 0.42)]
    pd.DataFrame(rows, columns=["scope", "label", "naive_share", "corrected_share", "ci_low", "ci_high"]).to_csv(
        validation, index=False
    )
    out = comparison_outputs(tmp_path / "comparison")
    shares = compare_articles(paths, out, NAMES, resamples=50, seed=0, level=0.95, validation_csv=validation)
    row = shares[(shares["article"] == "a") & (shares["label"] == "pro_negotiation")].iloc[0]
    assert (row["share"], row["corrected_share"], row["corrected_ci_low"], row["corrected_ci_high"]) == (
        0.5,
        0.31,
        0.2,
        0.42,
    )
    others = shares[~((shares["article"] == "a") & (shares["label"] == "pro_negotiation"))]
    assert others["corrected_share"].isna().all() and len(others) == 7
    written = pd.read_csv(out["table"])
    assert written.loc[written["corrected_share"].notna(), "corrected_share"].tolist() == [0.31]
    svg = out["svg"].read_text()
    assert "hollow diamonds: shares corrected by the hand-coded sample" in svg or "hollow diamonds" in svg


def _png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]  # the IHDR chunk: width and height, big-endian, after the 16-byte signature
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_a_figure_too_large_for_the_pixel_budget_is_written_at_a_lower_resolution(tmp_path, monkeypatch):
    """A comparison of hundreds of articles (a row each) stays within ``MAX_PNG_PIXELS``: at 200 dpi its drawing
    alone took gigabytes (issue 18); a figure within the budget keeps 200 dpi, so ordinary figures do not change."""
    monkeypatch.setattr(plots, "MAX_PNG_PIXELS", 2_000_000)
    for name, size in (("small", (3, 2)), ("tall", (4, 30))):
        fig, ax = plt.subplots(figsize=size)
        ax.set_title(name)
        save(fig, tmp_path / f"{name}.png", tmp_path / f"{name}.svg")
    small, tall = _png_size(tmp_path / "small.png"), _png_size(tmp_path / "tall.png")
    assert small[0] * small[1] > 100_000  # about 3 x 2 inches at 200 dpi, less the trimmed margins
    assert 1_000_000 < tall[0] * tall[1] <= 2_000_000
    assert plots.png_dpi(4, 30) == 129 and plots.png_dpi(3, 2) == 200 and plots.png_dpi(0, 2) == 200
    svg_height = re.search(rb'height="([\d.]+)pt"', (tmp_path / "tall.svg").read_bytes())
    assert float(svg_height.group(1)) > 20 * 72  # the SVG keeps its whole size (the axes of 30 inches, in points)
