# Configuration, the list of articles and input functions. Nothing but rules in the other .smk files.
from snakemake.utils import validate

from stancemap.classify import label_names
from stancemap.ingest import discover
from stancemap.io import InputError


validate(config, schema="../schemas/config.schema.yaml")

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
    return {key: config[key] for key in ("labels", "none", "aggregate", "temperature", "model")}


def final_outputs():
    out = []
    for article in ARTICLES:
        out += [
            f"results/{article}/stances.csv",
            f"results/{article}/tables/label_summary.csv",
            f"results/{article}/figures/stance_shares.png",
        ]
    if len(ARTICLES) > 1:
        out.append("results/comparison/stance_shares.csv")
    return out
