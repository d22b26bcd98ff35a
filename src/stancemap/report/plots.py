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

from ..columns import NONE, SENSITIVITY_COLUMNS, SHARE_COLUMNS, STANCE_COLUMNS
from ..io import read_table, write_with
from .sensitivity import variant_shares
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


#: The most pixels a PNG figure gets (about 120 MB as the RGBA image drawn in memory). Only a comparison of
#: hundreds of articles (a row each) comes near it; at 200 dpi a 1,000-article comparison would be 185 million
#: pixels, and its drawing alone took gigabytes (issue 18). Its SVG, beside it, is exact at any size.
MAX_PNG_PIXELS = 30_000_000


def png_dpi(width: float, height: float, dpi: int = 200) -> int:
    """The resolution of a ``width`` x ``height`` inch PNG: ``dpi``, or less (a whole number) to stay within
    :data:`MAX_PNG_PIXELS`."""
    area = width * height
    return dpi if area <= 0 else min(dpi, int((MAX_PNG_PIXELS / area) ** 0.5))


def save(fig: plt.Figure, *paths: str | Path) -> None:
    """Write the figure to each path (``.png`` or ``.svg``, by suffix) atomically, without timestamps, then close it.

    PNGs at 200 dpi, or less for a figure too large for :data:`MAX_PNG_PIXELS` (:func:`png_dpi`)."""
    options = {
        # zlib level 1, not Pillow's 6: 0.07 s less of an article's 1.0 s figure job, for PNG files a fifth larger.
        ".png": {"format": "png", "metadata": {"Software": None}, "pil_kwargs": {"compress_level": 1}},
        ".svg": {"format": "svg", "metadata": {"Date": None, "Creator": None}},
    }
    for path in paths:
        if Path(path).suffix not in options:
            raise ValueError(f"{path}: a figure is written as .png or .svg, not {Path(path).suffix!r}")
    # The layout and the tight box, computed once: each savefig would otherwise run the constrained layout again,
    # and bbox_inches="tight" would draw the whole figure once more for every file.
    width, height = fig.get_size_inches()
    fig.set_dpi(min(fig.dpi, png_dpi(width, height)))  # the layout's own canvas is drawn at this resolution too
    fig.draw_without_rendering()
    box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(plt.rcParams["savefig.pad_inches"])
    fig.set_layout_engine("none")
    options[".png"]["dpi"] = png_dpi(box.width, box.height)
    for path in paths:
        write_with(path, lambda p, o=options[Path(path).suffix]: fig.savefig(p, bbox_inches=box, **o))
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
    ax.set_xlabel(f"Share of statements (whiskers: {level:.0%} bootstrap interval)")
    ax.set_title(f"Stance shares in {article} ({int(summary['n'].sum())} statements)")
    return fig


#: Confidences shown in the opacity key of :func:`along_article_figure`.
OPACITY_KEY = (0.4, 0.6, 0.8, 1.0)


def _opacity(confidence: float) -> float:
    return 0.15 + 0.85 * confidence


def along_article_figure(stances: pd.DataFrame, names: list[str], article: str) -> plt.Figure:
    """Each statement at its position in the article, in its label's row and colour; opacity is confidence.

    The figure widens with the article so that each statement keeps its own marker, and a white edge keeps
    neighbours apart (adjacent statements of one label would otherwise merge into a block that cannot be counted).
    The key beside the plot gives the opacity of four confidences.
    """
    colours, markers = label_colours(names), label_markers(names)
    row = {name: i for i, name in enumerate(reversed(names))}
    width = min(max(9.0, 0.09 * len(stances) + 3.5), 24.0)
    fig, ax = plt.subplots(figsize=(width, 0.45 * len(names) + 1.8), layout="constrained")
    for name in names:
        sub = stances[stances["label"] == name]
        rgba = np.array([matplotlib.colors.to_rgba(colours[name], alpha=_opacity(c)) for c in sub["confidence"]])
        ax.scatter(
            sub["statement_id"],
            np.full(len(sub), row[name]),
            c=rgba.reshape(-1, 4),
            s=46,
            marker=markers[name],
            edgecolors="white",
            linewidths=0.8,
        )
    key = [
        matplotlib.lines.Line2D(
            [],
            [],
            linestyle="none",
            marker="s",
            markersize=8,
            markeredgecolor="none",
            markerfacecolor=matplotlib.colors.to_rgba("#333333", alpha=_opacity(c)),
            label=f"{c:.1f}",
        )
        for c in OPACITY_KEY
    ]
    fig.legend(handles=key, title="confidence", loc="outside right center", frameon=False, fontsize=9)
    ax.set_yticks(list(row.values()), [pretty(n) for n in row])
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xlim(-1, max(len(stances), 1))
    ax.set_xlabel("Statement position in the article (first to last); one marker per statement")
    ax.set_title(f"Stance along {article} ({len(stances)} statements; darker = more confident)")
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
        details = "; ".join(x for x in [*extra, n] if x)
        ticks[a] = f"{a}\n{details}" if details else a  # two lines: the figure stays narrow enough to read
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
        figsize=(1.45 * len(names) + 2.6, 0.55 * len(articles) + 1.6),
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
        if "corrected_share" in sub.columns and sub["corrected_share"].notna().any():
            # Validated articles: the share corrected by the hand-coded sample (PPI++), hollow black diamond and
            # its interval, drawn just below the model's share so the two are read side by side.
            fixed = sub[sub["corrected_share"].notna()]
            ax.errorbar(
                fixed["corrected_share"],
                fixed["article"].map(y) - 0.28,
                xerr=[
                    fixed["corrected_share"] - fixed["corrected_ci_low"],
                    fixed["corrected_ci_high"] - fixed["corrected_share"],
                ],
                fmt="D",
                color="white",
                ecolor="black",
                markeredgecolor="black",
                capsize=2,
                markersize=5,
                label="corrected by the coded sample",
            )
        ax.set_title(pretty(name), fontsize=10)
        ax.set_xlim(-0.02, 1.02)
        ax.set_xticks([0, 0.5, 1], ["0", "0.5", "1"])
        ax.set_ylim(-0.5, len(articles) - 0.5)
        ax.grid(axis="x", alpha=0.3)
        if "group" in shares.columns:  # a line between groups
            groups = shares.drop_duplicates("article").set_index("article")["group"].astype(str)
            for upper, lower in zip(articles, articles[1:]):
                if groups[upper] != groups[lower]:
                    ax.axhline((y[upper] + y[lower]) / 2, color="#555555", linewidth=0.8, linestyle=":")
    axes[0][0].set_yticks(list(y.values()), [ticks[a] for a in y], fontsize=9)
    corrected = "corrected_share" in shares.columns and shares["corrected_share"].notna().any()
    fig.supxlabel(
        f"Share of the article's statements (whiskers: {level:.0%} bootstrap interval"
        + ("; hollow diamonds: shares corrected by the hand-coded sample, with their interval)" if corrected else ")"),
        fontsize=10,
    )
    fig.suptitle(f"Stance shares across {len(articles)} articles")
    return fig


def sensitivity_figure(shares: pd.DataFrame, names: list[str], article: str, n_changed: int, n: int) -> plt.Figure:
    """Each label's share under each phrasing variant: the digit k is the share with only the k-th hypothesis of
    every label (``phrasing k``), the large marker the configured rule (all hypotheses). The axis ends a little
    past the largest share, so the spread is not squeezed into the left half."""
    colours, markers = label_colours(names), label_markers(names)
    variants = list(dict.fromkeys(shares["variant"]))
    phrasings = [v for v in variants if v != "configured"]
    fig, ax = plt.subplots(figsize=(7, 0.75 * len(names) + 1.9), layout="constrained")
    y = {name: i for i, name in enumerate(reversed(names))}
    for name in names:
        sub = shares[shares["label"] == name].set_index("variant")
        lo, hi = min(sub["share"]), max(sub["share"])
        ax.plot([lo, hi], [y[name]] * 2, color=colours[name], linewidth=2, alpha=0.6, zorder=1)
        # Digits alternate between two heights in order of share, so neighbours never overlap; a tick joins each
        # digit to its share on the line.
        ordered = sorted(phrasings, key=lambda v: (sub.at[v, "share"], v))
        for rank, variant in enumerate(ordered):
            share, height = sub.at[variant, "share"], (0.22 if rank % 2 == 0 else 0.4)
            number = variant.removeprefix("phrasing ").strip()
            ax.plot([share, share], [y[name], y[name] + height - 0.07], color="black", linewidth=0.8, zorder=2)
            ax.text(share, y[name] + height, number, ha="center", va="center", fontsize=9, fontweight="bold")
        if "configured" in sub.index:
            ax.plot(
                [sub.at["configured", "share"]],
                [y[name]],
                marker=markers[name],
                color=colours[name],
                markeredgecolor="black",
                markersize=11,
                linestyle="none",
                zorder=3,
            )
    ax.set_yticks(list(y.values()), [pretty(n) for n in y])
    ax.set_ylim(-0.5, len(names) - 0.4)
    top = float(shares["share"].max()) if len(shares) else 1.0
    ax.set_xlim(-0.01, min(1.0, np.ceil((top + 0.05) * 10) / 10))
    ax.set_xlabel(
        "Share of statements. Digit k: only the k-th hypothesis of each label; "
        "large marker: all hypotheses (as configured)",
        fontsize=9,
    )
    ax.set_title(f"Sensitivity to wording, {article}: {n_changed} of {n} statements change label")
    ax.grid(axis="x", alpha=0.3)
    return fig


def fragility_figure(summary: pd.DataFrame) -> plt.Figure:
    """Share of each article's statements whose label changes with the phrasing of the hypotheses."""
    articles, ticks = _article_order(summary)
    longest = max(len(line) for t in ticks.values() for line in t.split("\n"))
    width = 5 + 0.08 * longest  # room for the article labels beside the bars
    fig, ax = plt.subplots(figsize=(width, 0.55 * len(articles) + 1.6), layout="constrained")
    sub = summary.set_index("article").loc[articles[::-1]]
    ax.barh(range(len(sub)), sub["share_changed"], color="#999999", edgecolor="black", linewidth=0.5)
    for i, (share, changed, total) in enumerate(sub[["share_changed", "n_changed", "n_statements"]].to_numpy()):
        ax.text(share + 0.01, i, f"{share:.0%} ({int(changed)} of {int(total)})", va="center", fontsize=9)
    ax.set_yticks(range(len(sub)), [ticks[a] for a in sub.index], fontsize=9)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Share of statements whose label changes with the wording")
    ax.set_title("How fragile each article's labels are")
    ax.grid(axis="x", alpha=0.3)
    return fig


#: Speakers with fewer statements than this get their counts only, no shade: a share of one or two statements
#: would be the darkest cell of the figure and say nothing.
MIN_SHADED = 5


def speaker_figure(
    table: pd.DataFrame, names: list[str], title: str, max_rows: int = 20, min_shaded: int = MIN_SHADED
) -> plt.Figure:
    """Statements per speaker (rows) and label (columns), with the counts written in the cells.

    ``table`` has ``speaker``, ``n`` and one count column per label, as from ``tables.stance_by_speaker`` (most
    frequent speakers first); the ``max_rows`` most frequent speakers are shown. For a speaker with at least
    ``min_shaded`` statements the shade is the share of that speaker's statements with the label; smaller groups,
    below the line, show counts only.
    """
    shown = table.head(max_rows)
    counts = shown[names].to_numpy(dtype=float)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    shaded = shown["n"].to_numpy() >= min_shaded
    image = np.where(shaded[:, None], shares, np.nan) if len(shown) else np.full((1, len(names)), np.nan)
    cmap = matplotlib.colormaps["Greys"].with_extremes(bad="white")
    rows = max(len(shown), 1)
    fig, ax = plt.subplots(figsize=(1.3 * len(names) + 5.0, 0.38 * rows + 2.0), layout="constrained")
    # Cells as vector quads (pcolormesh), not a raster image: sharp in the SVG and nothing to resample at 200 dpi.
    im = ax.pcolormesh(
        np.arange(len(names) + 1) - 0.5,
        np.arange(rows + 1) - 0.5,
        np.ma.masked_invalid(image),
        cmap=cmap,
        vmin=0,
        vmax=1.25,
    )
    ax.set_xlim(-0.5, len(names) - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)  # the most frequent speaker on top, as a table reads
    for (i, j), v in np.ndenumerate(counts):
        if v:
            dark = shaded[i] and shares[i, j] > 0.6
            ax.text(j, i, str(int(v)), ha="center", va="center", color="white" if dark else "black")
    # Cell borders as two line collections, not minor ticks with a grid: each minor tick is a tick with (empty)
    # labels that the layout measures on every draw, most of this figure's cost.
    ax.vlines(np.arange(len(names) + 1) - 0.5, -0.5, rows - 0.5, color="#DDDDDD", linewidth=0.6, zorder=1.5)
    ax.hlines(np.arange(rows + 1) - 0.5, -0.5, len(names) - 0.5, color="#DDDDDD", linewidth=0.6, zorder=1.5)
    if shaded.any() and not shaded.all():
        ax.axhline(int(shaded.sum()) - 0.5, color="black", linewidth=1.2)
    ax.set_xticks(range(len(names)), [pretty(n) for n in names], rotation=30, ha="right")
    for tick, name in zip(ax.get_xticklabels(), names):
        tick.set_color(label_colours(names)[name] if name != NONE else "#555555")
    ax.set_yticks(range(len(shown)), [f"{s} (n={n})" for s, n in zip(shown["speaker"], shown["n"])])
    ax.set_title(title + (f" (top {max_rows} of {len(table)})" if len(table) > max_rows else ""))
    ax.set_xlabel(
        f"Label. Cell: statements. Shade: share of the speaker's statements, for speakers with {min_shaded} or"
        f" more;\nbelow the line, fewer than {min_shaded} statements: counts only",
        fontsize=9,
    )
    if shaded.any():
        bar = fig.colorbar(im, ax=ax, shrink=0.6, aspect=15, pad=0.02)
        bar.set_label("share of the speaker's statements", fontsize=9)
        bar.set_ticks([0, 0.5, 1])
        bar.ax.set_ylim(0, 1)
    return fig


def write_article_figures(
    stances_csv: str | Path,
    summary_csv: str | Path,
    sensitivity_csv: str | Path,
    out: Mapping[str, str],
    names: list[str],
    *,
    level: float,
) -> None:
    """Write one article's figures to the paths in ``out`` (keys ``shares``, ``along``, ``speakers``,
    ``sensitivity`` and each with ``_svg``: the rule's named outputs). All of them are one job, so that a corpus run
    with ``report.article_figures: false`` drops the whole of their cost (README, "Scale")."""
    stances = read_table(stances_csv, STANCE_COLUMNS)
    summary = read_table(summary_csv, SHARE_COLUMNS)
    labels = read_table(sensitivity_csv, SENSITIVITY_COLUMNS)
    article = Path(stances_csv).parent.name
    save(shares_figure(summary, article, level), out["shares"], out["shares_svg"])
    save(along_article_figure(stances, names, article), out["along"], out["along_svg"])
    save(
        speaker_figure(stance_by_speaker(stances, names), names, f"Stance by speaker, {article}"),
        out["speakers"],
        out["speakers_svg"],
    )
    shares = variant_shares(labels, names)
    figure = sensitivity_figure(shares, names, article, int(labels["changed"].sum()), len(labels))
    save(figure, out["sensitivity"], out["sensitivity_svg"])


def confusion_figure(matrix: pd.DataFrame, article: str) -> plt.Figure:
    """Confusion matrix (rows: gold, columns: predicted) with counts in the cells and a colour bar for the shade."""
    labels = [pretty(n) for n in matrix.index]
    values = matrix.to_numpy()
    fig, ax = plt.subplots(figsize=(1.1 * len(labels) + 3.3, 1.0 * len(labels) + 1.5), layout="constrained")
    top = max(int(values.max()), 1)
    im = ax.imshow(values, cmap="Greys", vmin=0, vmax=top)
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, str(v), ha="center", va="center", color="white" if v > top / 2 else "black")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("Predicted label")
    ax.set_ylabel("Gold label")
    ax.set_title(f"Confusion matrix, {article} ({int(values.sum())} gold spans)")
    bar = fig.colorbar(im, ax=ax, shrink=0.8)
    bar.set_label("gold spans in the cell")
    return fig


def reliability_figure(bins: pd.DataFrame, ece: float, article: str) -> plt.Figure:
    """Accuracy against mean confidence per confidence bin, each bin's size written in a row along the bottom;
    the diagonal is perfect calibration. The axes run a little past 0 and 1 so a bin at either end is not cut in
    half, and the key sits below the plot, where no line can run through it."""
    fig, ax = plt.subplots(figsize=(5.2, 5.4), layout="constrained")
    ax.plot([0, 1], [0, 1], color="#777777", linestyle="--", linewidth=1, label="perfect calibration")
    sizes = 30 + 170 * bins["n"] / max(bins["n"].max(), 1) if len(bins) else []
    ax.plot(bins["mean_confidence"], bins["accuracy"], color="#0072B2", linewidth=1, zorder=2)
    ax.scatter(
        bins["mean_confidence"],
        bins["accuracy"],
        s=sizes,
        color="#0072B2",
        edgecolor="black",
        zorder=3,
        clip_on=False,
        label="confidence bin (area: statements)",
    )
    # Each bin's size as a number in a row along the bottom, under its point, where no line runs.
    for x, n in bins[["mean_confidence", "n"]].itertuples(index=False):
        ax.text(x, -0.07, str(int(n)), ha="center", va="center", fontsize=8, color="#0072B2")
    ax.text(-0.02, -0.07, "n:", ha="right", va="center", fontsize=8, color="#0072B2")
    ax.axhline(-0.025, color="#DDDDDD", linewidth=0.6)
    ax.set_xlim(-0.03, 1.05)
    ax.set_ylim(-0.11, 1.07)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_xlabel("Mean confidence in bin")
    ax.set_ylabel("Share labelled as in gold")
    ax.set_title(f"Reliability, {article} (ECE = {ece:.3f})")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncols=2, fontsize=8, frameon=False)
    return fig
