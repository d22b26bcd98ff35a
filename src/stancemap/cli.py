"""The ``stancemap`` console script.

stancemap evaluate PAIRS.csv --out METRICS.json [--model NAME] [--backend nli|onnx|embedding] [--config FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from .io import InputError, sha256_file, write_json


def _config(path: str) -> dict:
    from jsonschema import Draft202012Validator

    config = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    schema_path = Path(__file__).resolve().parents[2] / "workflow/schemas/config.schema.yaml"
    if schema_path.exists():  # a source checkout: validate as the workflow does
        errors = sorted(Draft202012Validator(yaml.safe_load(schema_path.read_text())).iter_errors(config), key=str)
        if errors:
            where = "/".join(map(str, errors[0].absolute_path)) or "(top level)"
            raise InputError(f"{path}: {where}: {errors[0].message}")
    return config


def evaluate(args: argparse.Namespace) -> None:
    from .models import load_scorer
    from .training.pairs import evaluate_pairs, format_metrics, read_pairs

    config = _config(args.config)
    model = dict(config.get("model", {}))
    model.setdefault("backend", "embedding")
    if args.backend:
        model["backend"] = args.backend
    if args.model:
        model["name"] = args.model
    pairs = read_pairs(args.pairs)
    if args.limit:
        pairs = pairs.head(args.limit)
    threshold = config.get("none", {}).get("threshold", 0.37)
    metrics = evaluate_pairs(pairs, load_scorer(model), threshold=threshold)
    metrics["pairs_file"] = {"path": str(args.pairs), "sha256": sha256_file(args.pairs), "rows_used": len(pairs)}
    write_json(args.out, metrics)
    print(format_metrics(metrics))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="stancemap", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="score labelled (text, hypothesis, label) pairs and write metrics")
    ev.add_argument("pairs", type=Path, help="CSV with columns text, hypothesis, label")
    ev.add_argument("--out", type=Path, required=True, help="metrics JSON to write")
    ev.add_argument("--model", help="model name or path (default: the config's)")
    ev.add_argument("--backend", choices=["embedding", "nli", "onnx"], help="backend (default: the config's)")
    ev.add_argument("--config", default="config/config.yaml", help="config file (default: %(default)s)")
    ev.add_argument("--limit", type=int, help="use only the first N pairs")
    ev.set_defaults(func=evaluate)
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except InputError as err:
        sys.exit(f"stancemap: {err}")


if __name__ == "__main__":
    main()
