"""How far the model agrees with the coders, and the coders with each other.

Model against the reference labels (:func:`stancemap.validation.labels.reference_labels`): accuracy, macro-F1
and per-label precision, recall and F1, with intervals (Wilson score intervals for the proportions, a seeded
percentile bootstrap over statements for macro-F1), and the confusion matrix. Between coders: Krippendorff's alpha
(nominal, any number of coders, missing labels allowed) and Cohen's kappa for each pair, with bootstrap intervals
over statements. Krippendorff (2004) asks for alpha >= 0.8 for firm conclusions, >= 0.667 for tentative ones.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.metrics import cohen_kappa_score

#: ``results/validation/agreement.csv``.
AGREEMENT_COLUMNS = ["measure", "label", "value", "ci_low", "ci_high", "n"]


def wilson(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion; stays inside [0, 1] and sensible for 0 or n successes."""
    if n == 0:
        return np.nan, np.nan
    z = float(norm.ppf(0.5 + level / 2))
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return float(max(centre - half, 0.0)), float(min(centre + half, 1.0))


def krippendorff_alpha(units: list[list[str]]) -> float:
    """Krippendorff's alpha, nominal level: ``units`` holds the labels each statement got (one per coder who coded
    it). Statements with fewer than two labels are not pairable and are left out.

    From the coincidence matrix ``o[c, k]`` (each ordered pair of labels within a unit weighted 1 / (m_u - 1)):
    alpha = 1 - (n - 1) * sum_{c != k} o[c, k] / sum_{c != k} n_c * n_k (Krippendorff 2011, "Computing
    Krippendorff's alpha-reliability").
    """
    values = sorted({v for unit in units for v in unit})
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for unit in units:
        m = len(unit)
        if m < 2:
            continue
        for a in range(m):
            for b in range(m):
                if a != b:
                    o[index[unit[a]], index[unit[b]]] += 1 / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    off = ~np.eye(len(values), dtype=bool)
    expected = (np.outer(n_c, n_c)[off]).sum()
    if n < 2 or expected == 0:
        return np.nan
    return float(1 - (n - 1) * o[off].sum() / expected)


def _bootstrap(stat, n: int, seed: int, resamples: int, level: float) -> tuple[float, float]:
    if n < 2:
        return np.nan, np.nan
    rng = np.random.default_rng(seed)
    values = np.array([stat(rng.integers(0, n, n)) for _ in range(resamples)], dtype=float)
    values = values[~np.isnan(values)]
    if not len(values):
        return np.nan, np.nan
    tail = (1 - level) / 2
    return float(np.quantile(values, tail)), float(np.quantile(values, 1 - tail))


def macro_f1(truth: np.ndarray, predicted: np.ndarray, names: list[str]) -> float:
    """Mean F1 over the labels that occur in ``truth`` or ``predicted`` (as the per-article evaluation does)."""
    scores = []
    for name in names:
        t, p = truth == name, predicted == name
        if t.any() or p.any():
            scores.append(2 * (t & p).sum() / (t.sum() + p.sum()))
    return float(np.mean(scores)) if scores else np.nan


def model_agreement(
    truth: np.ndarray, predicted: np.ndarray, names: list[str], *, level: float, seed: int, resamples: int = 1000
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of ``AGREEMENT_COLUMNS`` for the model against the coders' labels, and the confusion matrix (rows:
    coder, columns: model)."""
    truth, predicted = np.asarray(truth, dtype=object), np.asarray(predicted, dtype=object)
    n = len(truth)
    rows = []
    correct = int((truth == predicted).sum())
    rows.append(("accuracy", "", correct / n if n else np.nan, *wilson(correct, n, level), n))
    f1 = macro_f1(truth, predicted, names)
    low, high = _bootstrap(lambda i: macro_f1(truth[i], predicted[i], names), n, seed, resamples, level)
    rows.append(("macro_f1", "", f1, low, high, n))
    for name in names:
        t, p = truth == name, predicted == name
        hits, n_pred, n_true = int((t & p).sum()), int(p.sum()), int(t.sum())
        rows.append(("precision", name, hits / n_pred if n_pred else np.nan, *wilson(hits, n_pred, level), n_pred))
        rows.append(("recall", name, hits / n_true if n_true else np.nan, *wilson(hits, n_true, level), n_true))
        f = 2 * hits / (n_pred + n_true) if n_pred + n_true else np.nan
        rows.append(("f1", name, f, np.nan, np.nan, n_true))
    matrix = pd.crosstab(
        pd.Categorical(truth, categories=names), pd.Categorical(predicted, categories=names), dropna=False
    )
    matrix.index, matrix.columns = list(names), list(names)
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS), matrix


def coder_agreement(labels: pd.DataFrame, *, level: float, seed: int, resamples: int = 1000) -> pd.DataFrame:
    """Rows of ``AGREEMENT_COLUMNS`` between coders (none with a single coder): Krippendorff's alpha over all
    coders, Cohen's kappa for each pair on the statements both coded."""
    coders = list(pd.unique(labels["coder"]))
    if len(coders) < 2:
        return pd.DataFrame(columns=AGREEMENT_COLUMNS)
    wide = labels.pivot(index=["article", "statement_id"], columns="coder", values="label")[coders]
    units = [[v for v in row if isinstance(v, str)] for row in wide.itertuples(index=False)]
    pairable = [u for u in units if len(u) >= 2]
    rows = []
    alpha = krippendorff_alpha(pairable)
    low, high = _bootstrap(
        lambda i: krippendorff_alpha([pairable[j] for j in i]), len(pairable), seed, resamples, level
    )
    rows.append(("krippendorff_alpha", ", ".join(coders), alpha, low, high, len(pairable)))
    for a, b in combinations(coders, 2):
        both = wide[[a, b]].dropna()
        x, y = both[a].to_numpy(), both[b].to_numpy()

        def kappa(i: np.ndarray, x: np.ndarray = x, y: np.ndarray = y) -> float:
            if len(set(x[i]) | set(y[i])) < 2:
                return np.nan
            return float(cohen_kappa_score(x[i], y[i]))

        value = kappa(np.arange(len(x))) if len(x) else np.nan
        low, high = _bootstrap(kappa, len(x), seed, resamples, level)
        rows.append(("cohen_kappa", f"{a} vs {b}", value, low, high, len(x)))
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def two_coder_report(both: pd.DataFrame, *, first: str, second: str, seed: int = 7) -> dict:
    """Agreement of two coders over the rows of ``both``, for a data set's README: raw agreement, Cohen's kappa and
    Krippendorff's alpha with 95% bootstrap intervals, how often the two put a statement on opposite sides (pro vs
    anti), and agreement by the second coder's confidence and by form.

    ``both`` has ``unit`` (a statement's id), ``label_<first>``, ``label_<second>``, ``confidence`` and ``kind``.
    """
    long = pd.concat(
        [
            both[["unit"]].assign(article="", statement_id=both["unit"], coder=c, label=both[f"label_{c}"])
            for c in (first, second)
        ]
    )
    stats = coder_agreement(long, level=0.95, seed=seed, resamples=2000)
    same = both[f"label_{first}"] == both[f"label_{second}"]
    sides = {"pro_negotiation", "anti_negotiation"}
    both_sided = both[f"label_{first}"].isin(sides) & both[f"label_{second}"].isin(sides)
    return {
        "n": len(both),
        "raw_agreement": round(float(same.mean()), 3),
        **{
            row.measure: {"value": round(row.value, 3), "ci95": [round(row.ci_low, 3), round(row.ci_high, 3)]}
            for row in stats.itertuples()
        },
        "opposite_direction": int((both_sided & ~same).sum()),
        "both_pro_or_anti": int(both_sided.sum()),
        "agreement_by_confidence": same.groupby(both["confidence"]).agg(["mean", "size"]).round(3).to_dict("index"),
        "agreement_by_kind": same.groupby(both["kind"]).agg(["mean", "size"]).round(3).to_dict("index"),
        f"confusion_{first}_rows_{second}_columns": pd.crosstab(
            both[f"label_{first}"], both[f"label_{second}"]
        ).to_dict("index"),
    }
