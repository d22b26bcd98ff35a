"""Comparison across articles.

Tables (each as CSV, Markdown and LaTeX/booktabs) in ``results/comparison/``:

- ``stance_shares``: ``article, [group, outlet, date,] label, n, share, ci_low, ci_high, mean_confidence,
  n_statements``: each article's label shares with bootstrap intervals.
- ``distribution_tests``: ``a, b, n_a, n_b, chi2, dof, p_asymptotic, p_permutation, p_holm, cramers_v``: does the
  label distribution differ between two articles (or, with more than ``max_pairwise`` articles, two groups of the
  articles sheet)? Pearson's chi-square on the 2 × labels table; ``p_permutation`` shuffles which unit each
  statement belongs to (seeded, so reproducible), which stays valid for the small counts where the asymptotic
  p-value does not; ``p_holm`` adjusts ``p_permutation`` for the number of pairs; Cramér's V is the effect size
  (0: same distribution, 1: no overlap).
- ``stance_by_speaker``: ``article, speaker, n, <label>…``: statements per speaker and label in each article.
- ``sensitivity``: ``article, n_statements, n_changed, share_changed``: statements whose label changes with the
  phrasing of the hypotheses (see :mod:`stancemap.stance.sensitivity`).
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import chi2 as chi2_dist

from ..columns import ARTICLE_SHEET_COLUMNS, NARRATOR, SENSITIVITY_COLUMNS, STANCE_COLUMNS
from ..io import InputError, read_table
from .plots import comparison_figure, fragility_figure, save, speaker_figure
from .tables import declared, label_summary, stance_by_speaker, write_table


def read_articles_sheet(path: str | Path | None, articles: list[str]) -> pd.DataFrame:
    """Per-article metadata from ``config/articles.tsv`` (``article`` plus any of outlet, date, group), one row per
    article in ``articles``; an absent sheet gives empty metadata."""
    if not path or not Path(path).exists():
        return pd.DataFrame({"article": articles})
    sheet = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    if "article" not in sheet.columns:
        raise InputError(f"{path}: needs an 'article' column (the file stem in data/raw/)")
    unknown = sorted(set(sheet.columns) - set(ARTICLE_SHEET_COLUMNS))
    if unknown:
        raise InputError(f"{path}: unknown columns {unknown}; allowed: {', '.join(ARTICLE_SHEET_COLUMNS)}")
    if sheet["article"].duplicated().any():
        raise InputError(
            f"{path}: articles listed twice: {sorted(sheet.loc[sheet['article'].duplicated(), 'article'])}"
        )
    return pd.DataFrame({"article": articles}).merge(sheet, on="article", how="left").fillna("")


def _chi2(table: np.ndarray) -> float:
    expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.nansum((table - expected) ** 2 / expected))


def _chi2_rows(tables: np.ndarray) -> np.ndarray:
    """:func:`_chi2` of each 2 x k table in a stack (resamples x 2 x k), summed in the same order."""
    expected = tables.sum(2, keepdims=True) * tables.sum(1, keepdims=True) / tables.sum((1, 2), keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nansum(((tables - expected) ** 2 / expected).reshape(len(tables), -1), axis=1)


def _row_counts(codes: np.ndarray, n_labels: int) -> np.ndarray:
    """``np.bincount`` of each row of ``codes`` (rows x statements), as one rows x ``n_labels`` array."""
    offsets = n_labels * np.arange(len(codes))[:, None]
    return np.bincount((codes + offsets).ravel(), minlength=len(codes) * n_labels).reshape(len(codes), n_labels)


def distribution_test(
    a: np.ndarray, b: np.ndarray, n_labels: int, *, resamples: int, seed: int, chunk: int = 256
) -> dict:
    """Chi-square, permutation p-value and Cramér's V for two arrays of label codes.

    The permutations are drawn one by one from the seeded generator, as they always were (so p-values do not
    move), but counted and tested a chunk at a time: the pairwise tests of a 30-article comparison (435 pairs x
    2,000 permutations) took most of the comparison job's time one permutation at a time. A permutation keeps the
    pooled label counts, so the labels that occur (the table's columns) are the same in every permuted table.
    """
    table = np.stack([np.bincount(a, minlength=n_labels), np.bincount(b, minlength=n_labels)])
    present = table.sum(0) > 0
    table = table[:, present]
    stat = _chi2(table)
    dof = table.shape[1] - 1
    pooled = np.concatenate([a, b])
    rng = np.random.default_rng(seed)
    exceed = 0
    for start in range(0, resamples, chunk):
        perms = np.stack([rng.permutation(pooled) for _ in range(min(chunk, resamples - start))])
        parts = (_row_counts(perms[:, : len(a)], n_labels), _row_counts(perms[:, len(a) :], n_labels))
        tables = np.stack(parts, axis=1)[:, :, present]
        exceed += int((_chi2_rows(tables) >= stat - 1e-12).sum())
    return {
        "n_a": len(a),
        "n_b": len(b),
        "chi2": stat,
        "dof": dof,
        "p_asymptotic": float(chi2_dist.sf(stat, dof)) if dof > 0 else 1.0,
        "p_permutation": (exceed + 1) / (resamples + 1),
        "cramers_v": float(np.sqrt(stat / (len(pooled) * max(min(table.shape) - 1, 1)))) if dof > 0 else 0.0,
    }


def holm(p: np.ndarray) -> np.ndarray:
    """Holm-Bonferroni adjusted p-values."""
    order = np.argsort(p)
    adjusted = np.empty_like(p)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        adjusted[i] = running
    return adjusted


def distribution_tests(units: dict[str, list[str]], names: list[str], *, resamples: int, seed: int) -> pd.DataFrame:
    index = {n: i for i, n in enumerate(names)}
    codes = {u: np.array([index[label] for label in labels]) for u, labels in units.items()}
    rows = [
        {"a": a, "b": b, **distribution_test(codes[a], codes[b], len(names), resamples=resamples, seed=seed)}
        for a, b in combinations(sorted(units), 2)
    ]
    table = pd.DataFrame(
        rows, columns=["a", "b", "n_a", "n_b", "chi2", "dof", "p_asymptotic", "p_permutation", "cramers_v"]
    )
    table.insert(8, "p_holm", holm(table["p_permutation"].to_numpy()))
    return table


def with_corrected_shares(shares: pd.DataFrame, validation_csv: str | Path) -> pd.DataFrame:
    """``shares`` with ``corrected_share``, ``corrected_ci_low``, ``corrected_ci_high`` from the validation's
    ``shares.csv`` (prediction-powered, :mod:`stancemap.validation`): filled for the articles that had enough
    coded statements to be corrected on their own, empty for the others."""
    table = read_table(validation_csv, ["scope", "label", "corrected_share", "ci_low", "ci_high"])
    table = table[table["scope"].astype(str).str.startswith("article:")]
    corrected = pd.DataFrame(
        {
            "article": table["scope"].str.removeprefix("article:"),
            "label": table["label"],
            "corrected_share": table["corrected_share"],
            "corrected_ci_low": table["ci_low"],
            "corrected_ci_high": table["ci_high"],
        }
    )
    return shares.merge(corrected, on=["article", "label"], how="left")


def compare_articles(
    stances_csvs: list[str | Path],
    out: Mapping[str, str],
    names: list[str],
    *,
    resamples: int,
    seed: int,
    level: float,
    articles_sheet: str | Path | None = None,
    sensitivity_csvs: list[str | Path] = (),
    max_pairwise: int = 30,
    test_resamples: int = 2000,
    validation_csv: str | Path | None = None,
) -> pd.DataFrame:
    """Write the comparison tables and figures (see the module docstring) to the paths in ``out``, the rule's
    named outputs; return the shares table."""
    stances = {Path(p).parent.name: read_table(p, STANCE_COLUMNS) for p in sorted(map(str, stances_csvs))}
    meta = read_articles_sheet(articles_sheet, list(stances))
    parts = []
    for article, table in stances.items():
        summary = label_summary(table, names, resamples=resamples, seed=seed, level=level)
        summary.insert(0, "article", article)
        summary["n_statements"] = len(table)
        parts.append(summary)
    shares = meta.merge(pd.concat(parts, ignore_index=True), on="article")
    if validation_csv:
        shares = with_corrected_shares(shares, validation_csv)
    included = ", ".join(stances)
    note = f"\n\nArticles included: {included}. Articles that failed are listed in results/failures.csv."
    write_table(
        shares,
        f"Stance shares across {len(stances)} articles ({level:.0%} bootstrap intervals){note}",
        out["table"],
        out["table_md"],
        out["table_tex"],
        *declared(out, "table_html"),
    )
    save(comparison_figure(shares, names, level), out["figure"], out["svg"])

    by_speaker = pd.concat(
        [stance_by_speaker(t, names).assign(article=a) for a, t in stances.items()], ignore_index=True
    )
    by_speaker = by_speaker[["article", "speaker", "n", *names]].sort_values(
        ["n", "article", "speaker"], ascending=[False, True, True]
    )
    write_table(
        by_speaker,
        f"Statements per speaker and label, by article{note}",
        out["speakers_table"],
        out["speakers_md"],
        out["speakers_tex"],
        *declared(out, "speakers_table_html"),
    )
    named = by_speaker[by_speaker["speaker"] != NARRATOR]
    save(
        speaker_figure(
            named.assign(speaker=named["speaker"] + " — " + named["article"]),
            names,
            "Stance by speaker across articles (narrators left out)",
            max_rows=25,
        ),
        out["speakers"],
        out["speakers_svg"],
    )

    if len(stances) <= max_pairwise:
        units, unit = {a: t["label"].tolist() for a, t in stances.items()}, "articles"
    elif "group" in meta.columns and meta["group"].nunique() > 1:
        group_of = meta.set_index("article")["group"]
        units, unit = {}, "groups"
        for article, table in stances.items():
            units.setdefault(group_of[article] or "(no group)", []).extend(table["label"])
    else:
        units, unit = {}, "articles"
    tests = distribution_tests(units, names, resamples=test_resamples, seed=seed)
    skipped = "" if units else f" (not run: more than {max_pairwise} articles and no groups in the articles sheet)"
    write_table(
        tests,
        f"Do label distributions differ between {unit}? Chi-square, permutation p-value "
        f"({test_resamples} permutations), Holm-adjusted, Cramér's V{skipped}{note}",
        out["tests"],
        out["tests_md"],
        out["tests_tex"],
        *declared(out, "tests_html"),
    )

    if sensitivity_csvs:
        rows = []
        for path in sorted(map(str, sensitivity_csvs)):
            labels = read_table(path, SENSITIVITY_COLUMNS)
            rows.append((Path(path).parent.name, len(labels), int(labels["changed"].sum())))
        fragile = pd.DataFrame(rows, columns=["article", "n_statements", "n_changed"])
        fragile["share_changed"] = fragile["n_changed"] / fragile["n_statements"]
        fragile = meta.merge(fragile, on="article")
        write_table(
            fragile,
            f"Statements whose label changes with the phrasing of the hypotheses{note}",
            out["fragile_table"],
            out["fragile_md"],
            out["fragile_tex"],
            *declared(out, "fragile_table_html"),
        )
        save(fragility_figure(fragile), out["fragile"], out["fragile_svg"])
    return shares
