"""Uncertainty: bootstrap intervals for label shares.

Statements are resampled with replacement; the interval is the percentile interval of each label's share. This
treats statements as independent draws, which they are not quite (neighbouring sentences share a topic), so the
intervals are if anything too narrow: read them as a floor on the uncertainty.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def bootstrap_shares(
    labels: Sequence[str], names: Sequence[str], *, resamples: int, seed: int, level: float = 0.95
) -> pd.DataFrame:
    """Count, share and bootstrap interval of each label in ``names`` (in that order).

    ``resamples`` and ``seed`` have no defaults: the pipeline takes them from the config, and a notebook that
    left them out would print intervals that differ from the published table.
    """
    index = {name: i for i, name in enumerate(names)}
    codes = np.array([index.get(label, -1) for label in labels], dtype=np.int64)
    if (codes < 0).any():
        unknown = sorted(set(labels) - set(names))
        raise ValueError(f"labels not in the configured set: {unknown}")
    n = len(codes)
    counts = np.bincount(codes, minlength=len(names))
    if n == 0:
        return pd.DataFrame({"label": names, "n": 0, "share": np.nan, "ci_low": np.nan, "ci_high": np.nan})
    rng = np.random.default_rng(seed)
    draws = codes[rng.integers(0, n, size=(resamples, n))]
    shares = np.stack([(draws == k).mean(axis=1) for k in range(len(names))], axis=1)
    alpha = (1 - level) / 2
    low, high = np.quantile(shares, [alpha, 1 - alpha], axis=0)
    return pd.DataFrame({"label": list(names), "n": counts, "share": counts / n, "ci_low": low, "ci_high": high})
