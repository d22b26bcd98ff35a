# Configuration, the list of articles and input functions. Nothing but rules in the other .smk files.
import json
import os
from pathlib import Path

from snakemake.utils import validate

from stancemap.stance.classify import label_names
from stancemap.text.ingest import discover
from stancemap.io import InputError

validate(config, schema="../schemas/config.schema.yaml")

# Keep matplotlib's font cache inside the project: a run writes nowhere but the project and the model cache.
os.environ.setdefault("MPLCONFIGDIR", str(Path(".cache/matplotlib").resolve()))

try:
    ARTICLES = discover(config["raw_dir"])
except InputError as err:
    raise WorkflowError(str(err)) from None
if not ARTICLES:
    raise WorkflowError(f"no .txt or .md articles in {config['raw_dir']}/; add one and run again")

LABELS = label_names(config)
REPORT = config["report"]


wildcard_constraints:
    article="[^/]+",


def raw_file(wildcards):
    return str(ARTICLES[wildcards.article])


def stance_config():
    """The parts of the config that change labels: a change to any of them reruns classification."""
    keys = ("labels", "none", "aggregate", "temperature", "context", "model", "labeller", "direction")
    return {key: config[key] for key in keys if key in config}


def gold_file(article):
    return Path(config["gold_dir"]) / f"{article}.csv"


def good_articles():
    """Articles whose ingest succeeded (the ingest checkpoint records a failure instead of stopping the run)."""
    good = []
    for article in sorted(ARTICLES):
        meta = checkpoints.decode_article.get(article=article).output.meta
        if json.loads(Path(meta).read_text(encoding="utf-8"))["status"] == "ok":
            good.append(article)
    return good


def stances_of_good_articles(wildcards):
    return expand("results/{article}/stances.csv", article=good_articles())


def runs_of_good_articles(wildcards):
    return expand("results/{article}/run.json", article=good_articles())


def sensitivity_of_good_articles(wildcards):
    return expand("results/{article}/sensitivity_labels.csv", article=good_articles())


def articles_sheet(wildcards):
    """The optional per-article metadata sheet (outlet, date, group), if it exists."""
    sheet = config.get("articles")
    return [sheet] if sheet and Path(sheet).exists() else []


def final_outputs(wildcards):
    out = ["results/failures.csv"]
    good = good_articles()
    if good:
        out.append("results/provenance.csv")
    for article in good:
        out += [
            f"results/{article}/stances.csv",
            f"results/{article}/tables/label_summary.csv",
            f"results/{article}/figures/stance_shares.png",
            f"results/{article}/figures/sensitivity.png",
        ]
        if gold_file(article).exists():
            out.append(f"results/{article}/evaluation/metrics.json")
    if len(good) > 1:
        out.append("results/comparison/stance_shares.csv")
    return out
