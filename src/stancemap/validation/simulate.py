"""Simulated coding studies: how often do the corrected intervals cover the true share? (benchmarks, tests)

A corpus of ``n_statements`` with known true labels (exact ``shares``); in each repetition a model labels every
statement through a known confusion matrix (a fresh draw of its errors) and ``n_coded`` statements are drawn at
random and coded without error. The target is the corpus's true share of each label.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .ppi import classical_mean, ppi_mean


def skewed_confusion(k: int, accuracy: float, toward: int, skew: float) -> np.ndarray:
    """Row-stochastic ``k x k`` matrix (rows: true label): right with ``accuracy``; of the errors, ``skew`` go to
    label ``toward`` and the rest spread evenly over the other wrong labels."""
    m = np.zeros((k, k))
    for t in range(k):
        m[t, t] = accuracy
        wrong = [j for j in range(k) if j != t]
        if toward in wrong:
            m[t, toward] += (1 - accuracy) * skew
            rest = [j for j in wrong if j != toward]
            m[t, rest] += (1 - accuracy) * (1 - skew) / len(rest)
        else:
            m[t, wrong] += (1 - accuracy) / len(wrong)
    return m


def simulate(
    shares: list[float],
    confusion: np.ndarray,
    *,
    n_statements: int = 1000,
    n_coded: int = 60,
    repetitions: int = 500,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Per label: true share, mean naive share, coverage and mean width of the PPI++ and the coded-only
    intervals, and the naive share's bias."""
    rng = np.random.default_rng(seed)
    k = len(shares)
    counts = np.floor(np.asarray(shares) * n_statements).astype(int)
    counts[-1] = n_statements - counts[:-1].sum()
    truth = np.repeat(np.arange(k), counts)
    true_share = counts / n_statements
    cumulative = np.cumsum(confusion, axis=1)
    covered, covered_coded = np.zeros(k), np.zeros(k)
    width, width_coded, naive = np.zeros(k), np.zeros(k), np.zeros(k)
    for _ in range(repetitions):
        predicted = (rng.random(n_statements)[:, None] > cumulative[truth]).sum(axis=1)
        coded = np.zeros(n_statements, bool)
        coded[rng.choice(n_statements, n_coded, replace=False)] = True
        for label in range(k):
            y, f = (truth == label).astype(float), (predicted == label).astype(float)
            e = ppi_mean(y[coded], f[coded], f[~coded], level=level)
            c = classical_mean(y[coded], level=level)
            covered[label] += e.ci_low <= true_share[label] <= e.ci_high
            covered_coded[label] += c.ci_low <= true_share[label] <= c.ci_high
            width[label] += e.ci_high - e.ci_low
            width_coded[label] += c.ci_high - c.ci_low
            naive[label] += f.mean()
    r = repetitions
    return pd.DataFrame(
        {
            "label": range(k),
            "true_share": true_share,
            "naive_share": naive / r,
            "naive_bias": naive / r - true_share,
            "coverage": covered / r,
            "width": width / r,
            "coverage_coded_only": covered_coded / r,
            "width_coded_only": width_coded / r,
        }
    )
