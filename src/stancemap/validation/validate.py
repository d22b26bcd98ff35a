"""``results/validation/``: the model against the coded sample, and label shares corrected by it.

- ``agreement.{csv,md}`` (and the confusion figure): see :mod:`stancemap.validation.agreement`.
- ``shares.{csv,md,tex}`` (and a figure), one row per scope and label: ``scope`` (``corpus``, ``group:<name>``,
  ``article:<name>``), ``label``, ``naive_share`` (the share of the model's labels among all statements of the
  scope), ``corrected_share`` with ``ci_low``, ``ci_high`` (PPI++ on the label's indicator,
  :mod:`stancemap.validation.ppi`), ``n_labelled`` (coded statements in the scope), ``n_statements``; then
  ``coded_share``, ``coded_ci_low``, ``coded_ci_high`` (the coded statements alone) and ``lam`` (the weight PPI++
  gave the model). Groups and articles are listed when they have at least ``min_labelled`` coded statements.
  Corrected shares and bounds are clipped to [0, 1], and each label is corrected on its own, so the corrected
  shares of a scope need not sum to 1.

With ``by_group`` (the sample was drawn within each group), the corpus row combines the group estimates weighted
by group size (a stratified estimate), since groups were then coded at different rates.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..columns import STANCE_COLUMNS
from ..io import InputError, read_table, write_text
from ..report.compare import read_articles_sheet
from ..report.plots import confusion_figure, label_colours, pretty, save
from ..report.tables import to_markdown, write_table
from .agreement import coder_agreement, model_agreement
from .labels import read_labels, reference_labels
from .ppi import Estimate, classical_mean, ppi_mean, stratified
from .sample import NO_GROUP

log = logging.getLogger(__name__)

#: ``results/validation/shares.csv`` (followed by coded_share, coded_ci_low, coded_ci_high, lam).
VALIDATION_SHARE_COLUMNS = [
    "scope", "label", "naive_share", "corrected_share", "ci_low", "ci_high", "n_labelled", "n_statements"
]  # fmt: skip


def _clip(x: float) -> float:
    return float(np.clip(x, 0.0, 1.0)) if not np.isnan(x) else np.nan


def _ppi(truth: np.ndarray, predicted: np.ndarray, coded: np.ndarray, mask: np.ndarray, level: float) -> Estimate:
    """PPI++ for the statements in ``mask``: coded ones give the rectifier, the others the model's mean."""
    return ppi_mean(truth[coded & mask], predicted[coded & mask], predicted[mask & ~coded], level=level)


def scope_shares(scope: pd.DataFrame, names: list[str], *, level: float, strata: pd.Series | None = None) -> list[dict]:
    """Naive, corrected and coded-only shares of each label in ``scope`` (statements with the model's ``label``
    and the coders' ``truth``, NaN where not coded); stratified by ``strata`` when given."""
    coded = scope["truth"].notna()
    rows = []
    for name in names:
        predicted = (scope["label"] == name).to_numpy(float)
        truth = (scope["truth"] == name).to_numpy(float)
        is_coded = coded.to_numpy()
        if strata is None:
            corrected = _ppi(truth, predicted, is_coded, np.ones(len(scope), bool), level)
            alone = classical_mean(truth[is_coded], level=level)
        else:
            masks = [(strata == g).to_numpy() for g in sorted(strata.unique())]
            corrected = stratified([(m.sum(), _ppi(truth, predicted, is_coded, m, level)) for m in masks], level=level)
            alone = stratified(
                [(m.sum(), classical_mean(truth[is_coded & m], level=level)) for m in masks], level=level
            )
        rows.append(
            {
                "label": name,
                "naive_share": float(predicted.mean()) if len(scope) else np.nan,
                "corrected_share": _clip(corrected.estimate),
                "ci_low": _clip(corrected.ci_low),
                "ci_high": _clip(corrected.ci_high),
                "n_labelled": int(coded.sum()),
                "n_statements": len(scope),
                "coded_share": alone.estimate,
                "coded_ci_low": _clip(alone.ci_low),
                "coded_ci_high": _clip(alone.ci_high),
                "lam": corrected.lam,
            }
        )
    return rows


def corrected_shares(
    stances: pd.DataFrame, names: list[str], *, level: float, min_labelled: int, by_group: bool
) -> pd.DataFrame:
    """The shares table (module docstring) from ``stances`` with ``truth`` and, if the sheet has it, ``group``."""
    has_groups = "group" in stances.columns and stances["group"].ne("").any()
    if by_group and not has_groups:
        raise InputError(
            "validation.by_group is true but the articles sheet gives no group: the corpus share "
            "cannot be weighted by group"
        )
    groups = stances["group"].replace("", NO_GROUP) if has_groups else None
    rows = [
        {"scope": "corpus", **r} for r in scope_shares(stances, names, level=level, strata=groups if by_group else None)
    ]
    scopes = []
    if has_groups:
        scopes += [(f"group:{g}", stances[groups == g]) for g in sorted(groups.unique())]
    scopes += [(f"article:{a}", part) for a, part in stances.groupby("article", sort=True)]
    for scope, part in scopes:
        if part["truth"].notna().sum() >= min_labelled:
            rows += [{"scope": scope, **r} for r in scope_shares(part, names, level=level)]
    return pd.DataFrame(rows)


def shares_figure(shares: pd.DataFrame, names: list[str], level: float) -> object:
    """Naive share (hollow marker) and corrected share with its interval (filled, with bar) per scope and label."""
    import matplotlib.pyplot as plt

    scopes = list(dict.fromkeys(shares["scope"]))
    colours = label_colours(names)
    fig, axes = plt.subplots(
        1, len(names), figsize=(2.4 * len(names) + 3.0, 0.45 * len(scopes) + 1.9), sharey=True, squeeze=False,
        layout="constrained",
    )  # fmt: skip
    y = {s: i for i, s in enumerate(reversed(scopes))}
    for ax, name in zip(axes[0], names):
        sub = shares[shares["label"] == name]
        pos = sub["scope"].map(y).to_numpy(float)
        ax.errorbar(
            sub["corrected_share"], pos - 0.12,
            xerr=[sub["corrected_share"] - sub["ci_low"], sub["ci_high"] - sub["corrected_share"]],
            fmt="o", color=colours[name], capsize=3, label=f"corrected (PPI++, {level:.0%} interval)",
        )  # fmt: skip
        ax.plot(sub["naive_share"], pos + 0.12, "o", mfc="white", mec=colours[name], label="naive (model labels)")
        ax.set_title(pretty(name))
        ax.set_xlim(0, 1)
        ax.grid(axis="x", alpha=0.3)
    axes[0][0].set_yticks(list(y.values()), [f"{s} (n={int(n)})" for s, n in zip(
        reversed(scopes), reversed(shares.drop_duplicates("scope")["n_labelled"].tolist()))])  # fmt: skip
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=2, frameon=False)
    fig.supxlabel("Share of statements (n = coded statements)")
    return fig


def validate_labels(
    labels_csv: str | Path,
    stance_csvs: list[str | Path],
    out: Mapping[str, str],
    names: list[str],
    *,
    level: float = 0.95,
    min_labelled: int = 20,
    by_group: bool = False,
    articles_sheet: str | Path | None = None,
    seed: int = 0,
    resamples: int = 1000,
) -> pd.DataFrame:
    """Write ``results/validation/`` to the paths in ``out`` (the rule's named outputs: ``agreement``,
    ``agreement_md``, ``confusion``, ``confusion_svg``, ``shares``, ``shares_md``, ``shares_tex``, ``figure``,
    ``figure_svg``); returns the shares table."""
    stances = pd.concat([read_table(p, STANCE_COLUMNS) for p in stance_csvs], ignore_index=True)
    if stances.empty:
        raise InputError("no statements in this run: nothing to validate")
    labels = read_labels(labels_csv, names, stances)
    reference = reference_labels(labels)
    key = ["article", "statement_id"]
    stances = stances.merge(reference[[*key, "label"]].rename(columns={"label": "truth"}), on=key, how="left")
    sheet = read_articles_sheet(articles_sheet, sorted(stances["article"].unique()))
    if "group" in sheet.columns:
        stances = stances.merge(sheet[["article", "group"]], on="article", how="left")

    coded = stances[stances["truth"].notna()]
    model, matrix = model_agreement(
        coded["truth"].to_numpy(), coded["label"].to_numpy(), names, level=level, seed=seed, resamples=resamples
    )
    table = pd.concat([model, coder_agreement(labels, level=level, seed=seed, resamples=resamples)], ignore_index=True)
    coders = list(pd.unique(labels["coder"]))
    title = (
        f"Model labels against the coders (n = {len(coded)} coded statements of {len(stances)}; coders: "
        f"{', '.join(coders)}; reference: {coders[0]}'s labels; {level:.0%} intervals)"
    )
    write_table(table, title, out["agreement"])
    confusion = matrix.rename_axis(index="coder \\ model").reset_index()
    write_text(
        out["agreement_md"],
        to_markdown(table, title)
        + "\nWilson intervals for accuracy, precision and recall; bootstrap over statements for macro-F1, alpha "
        "and kappa. Krippendorff's alpha >= 0.8: firm conclusions; >= 0.667: tentative ones.\n\n"
        + f"## Confusion matrix (rows: coder, columns: model)\n\n{confusion.to_markdown(index=False)}\n",
    )
    fig = confusion_figure(matrix, f"coded sample (n = {len(coded)})")
    fig.axes[0].set_ylabel("Coder's label")
    fig.axes[0].set_xlabel("Model's label")
    save(fig, out["confusion"], out["confusion_svg"])

    shares = corrected_shares(stances, names, level=level, min_labelled=min_labelled, by_group=by_group)
    design = "sample drawn within each group; corpus row weighted by group size" if by_group else "simple random sample"
    write_table(
        shares,
        f"Label shares corrected by the coded sample (PPI++, {level:.0%} intervals; {design})\n\n"
        "naive_share: model labels; corrected_share, ci_low, ci_high: prediction-powered estimate and interval "
        "(valid however accurate the model is); coded_*: the coded statements alone.",
        out["shares"],
        out["shares_md"],
        out["shares_tex"],
    )
    save(shares_figure(shares, names, level), out["figure"], out["figure_svg"])
    log.info("validated %d coded statements (%d coders) against %d statements", len(coded), len(coders), len(stances))
    return shares
