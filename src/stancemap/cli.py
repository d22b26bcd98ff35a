"""The ``stancemap`` console script.

stancemap evaluate PAIRS.csv --out METRICS.json [--model NAME] [--backend nli|onnx|embedding] [--config FILE]
stancemap sample [--out data/validation/sample.csv] [--size N] [--seed S] [--by-group] [--config FILE]
stancemap annotate data/validation/sample.csv [--coder NAME] [--config FILE]
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


def sample(args: argparse.Namespace) -> None:
    """Draw the sample to code from the statements the workflow has written (as the draw_sample rule does)."""
    from .text.ingest import discover
    from .validation.sample import draw_sample

    config = _config(args.config)
    settings = config.get("validation", {})
    articles = sorted(discover(config.get("raw_dir", "data/raw")))
    found = [Path(f"data/processed/{a}/statements.csv") for a in articles]
    missing = [a for a, p in zip(articles, found) if not p.exists()]
    if missing:
        print(
            f"no statements yet for {len(missing)} articles (left out; run snakemake first): {', '.join(missing[:10])}"
        )
    drawn = draw_sample(
        [p for p in found if p.exists()],
        args.out,
        sample_size=args.size or settings.get("sample_size", 60),
        seed=settings.get("seed", 20240611) if args.seed is None else args.seed,
        by_group=args.by_group or settings.get("by_group", False),
        articles_sheet=config.get("articles") or None,
    )
    print(f"wrote {args.out}: {len(drawn)} statements to code (stancemap annotate {args.out})")


def annotate(args: argparse.Namespace) -> None:
    from .stance.classify import label_names
    from .validation.annotate import annotate as run
    from .validation.annotate import label_descriptions

    config = _config(args.config)
    run(args.file, label_names(config), label_descriptions(config), coder=args.coder)


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
    sa = sub.add_parser("sample", help="draw the statements to code by hand (keeps labels already entered)")
    sa.add_argument("--out", type=Path, default=Path("data/validation/sample.csv"), help="default: %(default)s")
    sa.add_argument("--size", type=int, help="statements to draw (per group with --by-group); default: the config's")
    sa.add_argument("--seed", type=int, help="random seed (default: the config's validation.seed)")
    sa.add_argument("--by-group", action="store_true", help="draw within each group of the articles sheet")
    sa.add_argument("--config", default="config/config.yaml", help="config file (default: %(default)s)")
    sa.set_defaults(func=sample)
    an = sub.add_parser("annotate", help="code a sample file in the terminal, one key per label")
    an.add_argument("file", type=Path, help="the sample CSV (data/validation/sample.csv)")
    an.add_argument("--coder", help="a second coder's name: labels go to column label_NAME")
    an.add_argument("--config", default="config/config.yaml", help="config file (default: %(default)s)")
    an.set_defaults(func=annotate)
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except InputError as err:
        sys.exit(f"stancemap: {err}")


if __name__ == "__main__":
    main()
