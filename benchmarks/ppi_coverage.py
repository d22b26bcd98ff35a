"""Do the corrected shares' intervals cover the truth? Simulated studies, and the seed drawn as if coded.

1. Simulation: a corpus of 1,000 statements with known label shares; a model with a known confusion matrix labels
   them; 60 statements (also 30 and 120) are coded at random, without error. Per label, over 5,000 repetitions:
   coverage and mean width of the PPI++ interval (stancemap.validation.ppi) and of the coded sample alone, and the
   naive share's bias. Two models: 40% errors (60% of them saying anti_negotiation), and 15% errors.
2. The seed (results/blinken-ukraine-2023/stances.csv, the workflow's labels) with its hand labels (data/gold/):
   the statements are drawn as if coded, with the sample the draw_sample rule would draw (config validation
   section), and again 1,000 times at random; the target is the share of each label in the full hand labels.

    python benchmarks/ppi_coverage.py     # about a minute; writes benchmarks/results/ppi_coverage.json
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from stancemap.io import write_json
from stancemap.report.evaluate import gold_statements
from stancemap.validation.ppi import classical_mean, ppi_mean
from stancemap.validation.sample import draw
from stancemap.validation.simulate import simulate, skewed_confusion

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["pro_negotiation", "anti_negotiation", "alliance_focused", "none"]
SHARES = [0.15, 0.15, 0.25, 0.45]
ARTICLE = "blinken-ukraine-2023"


def simulations(repetitions: int) -> list[dict]:
    rows = []
    for errors in (0.4, 0.15):
        confusion = skewed_confusion(4, 1 - errors, toward=1, skew=0.6)
        for n_coded in (30, 60, 120):
            table = simulate(SHARES, confusion, n_coded=n_coded, repetitions=repetitions, seed=20240611)
            for row in table.to_dict(orient="records"):
                rows.append({"model_errors": errors, "n_coded": n_coded, **row, "label": NAMES[row["label"]]})
    return rows


def seed_check(config: dict, repetitions: int) -> dict:
    stances = pd.read_csv(ROOT / f"results/{ARTICLE}/stances.csv")
    stances = gold_statements(stances, ROOT / f"data/gold/{ARTICLE}.csv")
    truth_share = {k: float((stances["gold"] == k).mean()) for k in NAMES}
    v = config["validation"]

    def estimate(coded: np.ndarray) -> dict:
        out = {}
        for k in NAMES:
            y, f = (stances["gold"] == k).to_numpy(float), (stances["label"] == k).to_numpy(float)
            out[k] = (ppi_mean(y[coded], f[coded], f[~coded], level=v["level"]), classical_mean(y[coded]))
        return out

    # The draw the rule makes (same statements, seed and size).
    drawn = draw(stances[["article", "statement_id", "text"]], v["sample_size"], v["seed"])
    coded = stances["statement_id"].isin(drawn["statement_id"]).to_numpy()
    one = []
    for k, (e, c) in estimate(coded).items():
        one.append(
            {
                "label": k,
                "gold_share": truth_share[k],
                "naive_share": float((stances["label"] == k).mean()),
                "corrected_share": e.estimate,
                "ci": [e.ci_low, e.ci_high],
                "covers": bool(e.ci_low <= truth_share[k] <= e.ci_high),
                "width": e.ci_high - e.ci_low,
                "coded_only_ci": [c.ci_low, c.ci_high],
                "coded_only_width": c.ci_high - c.ci_low,
                "lam": e.lam,
            }
        )
    # Repeated draws of 20, 40 and sample_size of the statements.
    repeated = []
    rng = np.random.default_rng(v["seed"])
    for n_coded in (20, 40, v["sample_size"]):
        hits = {k: [0, 0.0, 0.0, 0] for k in NAMES}
        for _ in range(repetitions):
            coded = np.zeros(len(stances), bool)
            coded[rng.choice(len(stances), n_coded, replace=False)] = True
            for k, (e, c) in estimate(coded).items():
                hits[k][0] += e.ci_low <= truth_share[k] <= e.ci_high
                hits[k][1] += e.ci_high - e.ci_low
                hits[k][2] += c.ci_high - c.ci_low
                hits[k][3] += c.ci_low <= truth_share[k] <= c.ci_high
        for k, (cov, w, wc, covc) in hits.items():
            repeated.append(
                {
                    "n_coded": n_coded,
                    "label": k,
                    "coverage": cov / repetitions,
                    "width": w / repetitions,
                    "coverage_coded_only": covc / repetitions,
                    "width_coded_only": wc / repetitions,
                }
            )
    return {
        "statements": len(stances),
        "accuracy": float((stances["gold"] == stances["label"]).mean()),
        "configured_draw": {"n_coded": v["sample_size"], "labels": one},
        "repeated_draws": {"repetitions": repetitions, "rows": repeated},
    }


def main() -> None:
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    start = time.perf_counter()
    sims = simulations(5000)
    seed = seed_check(config, 1000)
    result = {
        "simulation": {"repetitions": 5000, "n_statements": 1000, "true_shares": dict(zip(NAMES, SHARES)),
                       "level": 0.95, "rows": sims},
        "seed": seed,
        "seconds": round(time.perf_counter() - start, 1),
    }  # fmt: skip
    write_json(ROOT / "benchmarks/results/ppi_coverage.json", result)
    table = pd.DataFrame(sims)
    print(table.round(3).to_string(index=False))
    print(pd.DataFrame(seed["configured_draw"]["labels"]).round(3).to_string(index=False))
    print(pd.DataFrame(seed["repeated_draws"]["rows"]).round(3).to_string(index=False))
    print(json.dumps({"accuracy": seed["accuracy"], "seconds": result["seconds"]}))


if __name__ == "__main__":
    main()
