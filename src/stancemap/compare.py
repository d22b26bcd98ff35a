"""Comparison across articles: each article's label shares with bootstrap intervals, in one table and figure.

``stance_shares`` columns: ``article, label, n, share, ci_low, ci_high, mean_confidence, n_statements``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .io import read_table
from .plots import comparison_figure, save
from .tables import STANCE_COLUMNS, label_summary, write_table


def compare_articles(stances_csvs: list[str | Path], out_dir: str | Path, names: list[str], *, resamples: int,
                     seed: int, level: float) -> pd.DataFrame:
    parts = []
    for path in sorted(map(Path, stances_csvs)):
        stances = read_table(path, STANCE_COLUMNS)
        summary = label_summary(stances, names, resamples=resamples, seed=seed, level=level)
        summary.insert(0, "article", path.parent.name)
        summary["n_statements"] = len(stances)
        parts.append(summary)
    shares = pd.concat(parts, ignore_index=True)
    out_dir = Path(out_dir)
    included = ", ".join(sorted(shares["article"].unique()))
    write_table(shares, out_dir / "stance_shares",
                f"Stance shares across {len(parts)} articles ({level:.0%} bootstrap intervals)\n\n"
                f"Articles included: {included}. Articles that failed are listed in results/failures.csv.")
    save(comparison_figure(shares, names, level), out_dir / "stance_shares")
    return shares
