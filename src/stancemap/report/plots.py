"""Figures. Each is written as PNG (200 dpi) and SVG, deterministically (no dates in the files).

Colours: every label keeps one colour in every figure of the project (:func:`label_colours`). The palette is
Okabe & Ito's, chosen to stay distinguishable for colour-blind readers; ``none`` is light grey. Printed in
greyscale the three stance colours look alike, so every label also has its own hatch (bars) and marker (dots):
:func:`label_hatches`, :func:`label_markers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..columns import NONE, SHARE_COLUMNS, STANCE_COLUMNS
from ..io import read_table, write_with
from .tables import stance_by_speaker

OKABE_ITO = ["#009E73", "#D55E00", "#0072B2", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
FIXED = {"pro_negotiation": "#009E73", "anti_negotiation": "#D55E00", "alliance_focused": "#0072B2", NONE: "#BBBBBB"}

plt.rcParams.update(
    {
        "svg.hashsalt": "stancemap",
        "figure.dpi": 100,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 10,
    }
)


def label_colours(names: list[str]) -> dict[str, str]:
    """A colour per label: the project's fixed colours first, then unused Okabe-Ito colours in config order."""
    spare = iter(c for c in OKABE_ITO if c not in FIXED.values())
    return {name: FIXED.get(name) or next(spare, "#777777") for name in names}


HATCHES = ["", "///", "...", "xxx", "\\\\\\", "ooo", "+++", "---"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def _styles(names: list[str], pool: list[str], none_style: str) -> dict[str, str]:
    """One style per label, assigned in a fixed order (project labels first, then config order)."""
    known = [n for n in FIXED if n != NONE and n in names] + [n for n in names if n not in FIXED]
    styles = {name: pool[i % len(pool)] for i, name in enumerate(known)}
    styles.update({NONE: none_style} if NONE in names else {})
    return styles


def label_hatches(names: list[str]) -> dict[str, str]:
    return _styles(names, HATCHES, "")


def label_markers(names: list[str]) -> dict[str, str]:
    return _styles(names, MARKERS, "o")


def pretty(label: str) -> str:
    return label.replace("_", "-")


def save(fig: plt.Figure, *paths: str | Path) -> None:
    """Write the figure to each path (``.png`` or ``.svg``, by suffix) atomically, without timestamps, then close it."""
    options = {
        ".png": {"dpi": 200, "format": "png", "metadata": {"Software": None}},
        ".svg": {"format": "svg", "metadata": {"Date": None, "Creator": None}},
    }
    for path in paths:
        suffix = Path(path).suffix
        if suffix not in options:
            raise ValueError(f"{path}: a figure is written as .png or .svg, not {suffix!r}")
        write_with(path, lambda p, o=options[suffix]: fig.savefig(p, bbox_inches="tight", **o))
    plt.close(fig)


def shares_figure(summary: pd.DataFrame, article: str, level: float) -> plt.Figure:
    """Horizontal bars of label shares with bootstrap intervals; ``summary`` as from ``tables.label_summary``."""
    names = summary["label"].tolist()
    colours, hatches = label_colours(names), label_hatches(names)
    fig, ax = plt.subplots(figsize=(6.5, 0.55 * len(summary) + 1.4))
    y = np.arange(len(summary))[::-1]
    err = np.vstack([summary["share"] - summary["ci_low"], summary["ci_high"] - summary["share"]])
    bars = ax.barh(y, summary["share"], color=[colours[name] for name in names], edgecolor="black", linewidth=0.5)
    for bar, name in zip(bars, names):
        bar.set_hatch(hatches[name])
    ax.errorbar(summary["share"], y, xerr=err, fmt="none", ecolor="black", capsize=3, linewidth=1)
    for yi, (share, n, high) in zip(y, summary[["share", "n", "ci_high"]].itertuples(index=False)):
        ax.text(high + 0.01, yi, f"{share:.0%} (n={n})", va="center", fontsize=9)
    ax.set_yticks(y, [pretty(label) for label in summary["label"]])
    ax.set_xlim(0, min(1.0, float(summary["ci_high"].max()) + 0.2))
    ax.set_xlabel(f"Share of statements (bars: {level:.0%} bootstrap interval)")
    ax.set_title(f"Stance shares in {article} ({int(summary['n'].sum())} statements)")
    return fig


def along_article_figure(stances: pd.DataFrame, names: list[str], article: str) -> plt.Figure:
    """Each statement at its position in the article, in its label's row and colour; opacity is confidence."""
    colours, markers = label_colours(names), label_markers(names)
    row = {name: i for i, name in enumerate(reversed(names))}
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(names) + 1.6))
    for name in names:
        sub = stances[stances["label"] == name]
        rgba = np.array([matplotlib.colors.to_rgba(colours[name], alpha=0.15 + 0.85 * c) for c in sub["confidence"]])
        ax.scatter(
            sub["statement_id"],
            np.full(len(sub), row[name]),
            c=rgba.reshape(-1, 4),
            s=60,
            marker=markers[name],
            edgecolors="none",
        )
    ax.set_yticks(list(row.values()), [pretty(n) for n in row])
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xlim(-1, max(len(stances), 1))
    ax.set_xlabel("Statement position in the article (first to last)")
    ax.set_title(f"Stance along {article} (opacity = confidence)")
    ax.grid(axis="x", alpha=0.3)
    return fig


def _article_order(shares: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """Articles ordered by group, date, id (whichever exist), and a tick label for each."""
    info = shares.drop_duplicates("article").set_index("article")
    keys = [c for c in ("group", "date") if c in info.columns]
    ordered = info.sort_values([*keys, "article"] if keys else "article", kind="stable").index.tolist()
    ticks = {}
    for a in ordered:
        extra = [
            str(info.at[a, c])
            for c in ("group", "outlet", "date")
            if c in info.columns and str(info.at[a, c]) not in ("", "nan")
        ]
        n = f"n={int(info.at[a, 'n_statements'])}" if "n_statements" in info.columns else ""
        ticks[a] = f"{a} ({'; '.join([*extra, n]) if n else '; '.join(extra)})" if extra or n else a
    return ordered, ticks


def comparison_figure(shares: pd.DataFrame, names: list[str], level: float) -> plt.Figure:
    """One panel per label: each article's share with its bootstrap interval, articles ordered by group and date.

    ``shares`` has the columns of ``tables.label_summary`` plus ``article`` and optionally ``group``, ``outlet``,
    ``date`` and ``n_statements``.
    """
    colours, markers = label_colours(names), label_markers(names)
    articles, ticks = _article_order(shares)
    fig, axes = plt.subplots(
        1,
        len(names),
        figsize=(2.4 * len(names) + 3.0, 0.4 * len(articles) + 1.7),
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    y = {a: i for i, a in enumerate(reversed(articles))}
    for ax, name in zip(axes[0], names):
        sub = shares[shares["label"] == name]
        ax.errorbar(
            sub["share"],
            sub["article"].map(y),
            xerr=[sub["share"] - sub["ci_low"], sub["ci_high"] - sub["share"]],
            fmt=markers[name],
            color=colours[name],
            ecolor="black",
            capsize=3,
            markersize=7,
            markeredgecolor="black",
        )
        ax.set_title(pretty(name))
        ax.set_xlim(-0.02, 1.02)
        ax.set_xticks([0, 0.5, 1], ["0", "0.5", "1"])
        ax.set_ylim(-0.5, len(articles) - 0.5)
        ax.grid(axis="x", alpha=0.3)
        if "group" in shares.columns:  # a line between groups
            groups = shares.drop_duplicates("article").set_index("article")["group"].astype(str)
            for upper, lower in zip(articles, articles[1:]):
                if groups[upper] != groups[lower]:
                    ax.axhline((y[upper] + y[lower]) / 2, color="#555555", linewidth=0.8, linestyle=":")
    axes[0][0].set_yticks(list(y.values()), [ticks[a] for a in y])
    fig.supxlabel(f"Share of the article's statements ({level:.0%} bootstrap interval)", fontsize=10)
    fig.suptitle(f"Stance shares across {len(articles)} articles")
    return fig


def sensitivity_figure(shares: pd.DataFrame, names: list[str], article: str, n_changed: int, n: int) -> plt.Figure:
    """Each label's share under each phrasing variant; the configured rule is the large marker."""
    colours, markers = label_colours(names), label_markers(names)
    variants = list(dict.fromkeys(shares["variant"]))
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(names) + 1.8), layout="constrained")
    y = {name: i for i, name in enumerate(reversed(names))}
    for name in names:
        sub = shares[shares["label"] == name].set_index("variant")
        phrasings = [v for v in variants if v != "configured"]
        ax.plot(
            [sub.at[v, "share"] for v in phrasings],
            [y[name]] * len(phrasings),
            linestyle="none",
            marker=markers[name],
            color=colours[name],
            markeredgecolor="black",
            alpha=0.55,
            markersize=7,
        )
        lo, hi = min(sub["share"]), max(sub["share"])
        ax.plot([lo, hi], [y[name]] * 2, color=colours[name], linewidth=2, alpha=0.6)
        ax.plot(
            [sub.at["configured", "share"]],
            [y[name]],
            marker=markers[name],
            color=colours[name],
            markeredgecolor="black",
            markersize=12,
            linestyle="none",
        )
    ax.set_yticks(list(y.values()), [pretty(n) for n in y])
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("Share of statements (small: one phrasing per label; large: all phrasings, as configured)")
    ax.set_title(f"Sensitivity to wording, {article}: {n_changed} of {n} statements change label")
    ax.grid(axis="x", alpha=0.3)
    return fig


def fragility_figure(summary: pd.DataFrame) -> plt.Figure:
    """Share of each article's statements whose label changes with the phrasing of the hypotheses."""
    articles, ticks = _article_order(summary)
    width = 5 + 0.09 * max(len(t) for t in ticks.values())  # room for the article labels beside the bars
    fig, ax = plt.subplots(figsize=(width, 0.4 * len(articles) + 1.6), layout="constrained")
    sub = summary.set_index("article").loc[articles[::-1]]
    ax.barh(range(len(sub)), sub["share_changed"], color="#777777", edgecolor="black", linewidth=0.5)
    ax.set_yticks(range(len(sub)), [ticks[a] for a in sub.index])
    ax.set_xlim(0, 1)
    ax.set_xlabel("Share of statements whose label changes with the wording")
    ax.set_title("How fragile each article's labels are")
    ax.grid(axis="x", alpha=0.3)
    return fig


def speaker_figure(table: pd.DataFrame, names: list[str], title: str, max_rows: int = 20) -> plt.Figure:
    """Heatmap of statements per speaker (rows) and label (columns), with the counts written in the cells.

    ``table`` has ``speaker``, ``n`` and one count column per label, as from ``tables.stance_by_speaker``; the
    ``max_rows`` most frequent speakers are shown. Cell shade is the share of the speaker's statements, so a
    speaker with two statements and one with twenty read alike; the count says how much that share rests on.
    """
    shown = table.head(max_rows)
    counts = shown[names].to_numpy(dtype=float)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(1.3 * len(names) + 4.5, 0.38 * max(len(shown), 1) + 1.8), layout="constrained")
    ax.imshow(shares if len(shown) else np.zeros((1, len(names))), cmap="Greys", vmin=0, vmax=1.25, aspect="auto")
    for (i, j), v in np.ndenumerate(counts):
        if v:
            ax.text(j, i, str(int(v)), ha="center", va="center", color="white" if shares[i, j] > 0.6 else "black")
    ax.set_xticks(range(len(names)), [pretty(n) for n in names], rotation=30, ha="right")
    for tick, name in zip(ax.get_xticklabels(), names):
        tick.set_color(label_colours(names)[name] if name != NONE else "#555555")
    ax.set_yticks(range(len(shown)), [f"{s} (n={n})" for s, n in zip(shown["speaker"], shown["n"])])
    ax.set_title(title + (f" (top {max_rows} of {len(table)})" if len(table) > max_rows else ""))
    ax.set_xlabel("Label (cell: statements; shade: share of the speaker's statements)")
    return fig


def write_article_figures(
    stances_csv: str | Path, summary_csv: str | Path, out: Mapping[str, str], names: list[str], *, level: float
) -> None:
    """Write one article's figures to the paths in ``out`` (keys ``shares``, ``shares_svg``, ``along``,
    ``along_svg``, ``speakers``, ``speakers_svg``: the rule's named outputs)."""
    stances = read_table(stances_csv, STANCE_COLUMNS)
    summary = read_table(summary_csv, SHARE_COLUMNS)
    article = Path(stances_csv).parent.name
    save(shares_figure(summary, article, level), out["shares"], out["shares_svg"])
    save(along_article_figure(stances, names, article), out["along"], out["along_svg"])
    save(
        speaker_figure(stance_by_speaker(stances, names), names, f"Stance by speaker, {article}"),
        out["speakers"],
        out["speakers_svg"],
    )


def confusion_figure(matrix: pd.DataFrame, article: str) -> plt.Figure:
    """Confusion matrix (rows: gold, columns: predicted) with counts in the cells."""
    labels = [pretty(n) for n in matrix.index]
    values = matrix.to_numpy()
    fig, ax = plt.subplots(figsize=(1.1 * len(labels) + 2.5, 1.0 * len(labels) + 1.5), layout="constrained")
    ax.imshow(values, cmap="Greys", vmin=0, vmax=max(values.max(), 1))
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, str(v), ha="center", va="center", color="white" if v > values.max() / 2 else "black")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("Predicted label")
    ax.set_ylabel("Gold label")
    ax.set_title(f"Confusion matrix, {article}")
    return fig


def reliability_figure(bins: pd.DataFrame, ece: float, article: str) -> plt.Figure:
    """Accuracy against mean confidence per confidence bin; the diagonal is perfect calibration."""
    fig, ax = plt.subplots(figsize=(5, 4.5), layout="constrained")
    ax.plot([0, 1], [0, 1], color="#777777", linestyle="--", linewidth=1, label="perfect calibration")
    sizes = 20 + 200 * bins["n"] / max(bins["n"].max(), 1) if len(bins) else []
    ax.scatter(
        bins["mean_confidence"],
        bins["accuracy"],
        s=sizes,
        color="#0072B2",
        edgecolor="black",
        zorder=3,
        label="confidence bin (area = statements)",
    )
    ax.plot(bins["mean_confidence"], bins["accuracy"], color="#0072B2", linewidth=1)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("Mean confidence in bin")
    ax.set_ylabel("Share labelled as in gold")
    ax.set_title(f"Reliability, {article} (ECE = {ece:.3f})")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return fig
