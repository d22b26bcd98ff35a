# Configuration, the list of articles and input functions. Nothing but rules in the other .smk files.
import difflib
import json
import os
import shutil
import sys
from pathlib import Path

import pandas as pd
import yaml
from snakemake.logging import logger
from snakemake.utils import validate

from stancemap.io import InputError
from stancemap.models import check_loadable
from stancemap.stance.classify import label_names
from stancemap.text.ingest import scan_raw_dir

SCHEMA = Path(workflow.current_basedir) / "../schemas/config.schema.yaml"

_TYPE_WORDS = {
    "number": "a number",
    "integer": "a whole number",
    "string": "text",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys to values",
}


def _schema_at(schema, path):
    """The schema node that describes the config value at ``path`` (keys and list indices), or None."""
    node = schema
    for key in path:
        node = _resolve(schema, node)
        if isinstance(key, int):
            node = node.get("items")
        elif key in node.get("properties", {}):
            node = node["properties"][key]
        elif isinstance(node.get("additionalProperties"), dict):
            node = node["additionalProperties"]
        else:
            return None
        if node is None:
            return None
    return node


def _resolve(schema, node):
    """Follow a local ``$ref``, keeping the referring node's own description."""
    if "$ref" in node:
        target = schema
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _allowed(node, error):
    """What the schema allows at the failing key, in words (never a regular expression)."""
    kind = error.validator
    if "enum" in node:
        return "one of " + ", ".join(map(str, node["enum"]))
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "type") and "type" in node:
        words = _TYPE_WORDS.get(node["type"], node["type"])
        bounds = [
            f"{op} {node[key]}"
            for key, op in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="), ("exclusiveMaximum", "<"))
            if key in node
        ]
        return words + (" " + " and ".join(bounds) if bounds else "")
    if kind == "minItems":
        return f"a list of at least {error.validator_value} item(s)"
    if kind == "minLength":
        return f"text of at least {error.validator_value} character(s)"
    if kind == "minProperties":
        return f"at least {error.validator_value} entry(ies)"
    if kind in ("pattern", "propertyNames", "not", "const"):
        return None  # a regular expression or a negation says nothing to a reader: the description does
    return error.message


def config_error(config, schema_path):
    """The first config error as a few readable lines: the key, what is allowed, and the schema's description.

    Snakemake's own message prints the whole schema and config (hundreds of lines) and, for a path, a regular
    expression; this names the one key to fix.
    """
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    schema = yaml.safe_load(Path(schema_path).read_text())
    error = best_match(Draft202012Validator(schema).iter_errors(config))
    if error is None:
        return None
    path = list(error.absolute_path)
    where = ".".join(map(str, path)) or "the top level"
    if error.validator == "additionalProperties":
        node = _resolve(schema, _schema_at(schema, path) or {})
        known = list(node.get("properties", {}))
        unknown = sorted(set(error.instance) - set(known), key=str)
        first = unknown[0] if unknown else "?"
        guess = difflib.get_close_matches(str(first), known, n=1)
        lines = [
            f"config error: unknown key {'.'.join(map(str, [*path, first]))!r}"
            + (f" (did you mean {guess[0]!r}?)" if guess else ""),
            f"  allowed at {where}: {', '.join(known)}",
        ]
        described = _schema_at(schema, [*path, guess[0]]) if guess else node
        key = ".".join(map(str, [*path, guess[0]])) if guess else where
        if described and described.get("description"):
            lines.append(f"  {key}: {described['description']}")
        return "\n".join(lines)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        node = _schema_at(schema, [*path, missing]) or {}
        key = ".".join(map(str, [*path, missing]))
        lines = [f"config error: {key} is missing; it is required here"]
        if node.get("description"):
            lines.append(f"  {key}: {node['description']}")
        return "\n".join(lines)
    node = _resolve(schema, _schema_at(schema, path) or error.schema)
    shown = json.dumps(error.instance, ensure_ascii=False)
    if error.validator == "propertyNames":
        node = _resolve(schema, _schema_at(schema, path) or {})
        lines = [f"config error: {where}: the name {shown} is not allowed"]
    else:
        lines = [f"config error: {where}: {shown if len(shown) < 60 else shown[:57] + '...'} is not allowed"]
        allowed = _allowed(node, error)
        if allowed is None and node.get("description"):
            return "\n".join([*lines, f"  allowed: {node['description']}"])
        lines.append(f"  allowed: {allowed or error.message}")
    if node.get("description"):
        lines.append(f"  {where}: {node['description']}")
    return "\n".join(lines)


try:
    validate(config, schema=str(SCHEMA))
except WorkflowError:
    message = config_error(config, SCHEMA)
    raise WorkflowError(message or "config error (see above)") from None

# Keep matplotlib's font cache inside the project: a run writes nowhere but the project and the model cache.
os.environ.setdefault("MPLCONFIGDIR", str(Path(".cache/matplotlib").resolve()))

try:
    ARTICLES, SKIPPED = scan_raw_dir(config["raw_dir"])
except InputError as err:
    raise WorkflowError(str(err)) from None
for _path, _reason in SKIPPED.items():
    logger.warning(f"stancemap: skipping {_path}: {_reason}")
if not ARTICLES:
    raise WorkflowError(f"no .txt, .md, .html or .htm articles in {config['raw_dir']}/; add one and run again")

LABELS = label_names(config)
REPORT = config["report"]
#: The report settings the tables are made with: the params of the table rules, so that switching
#: report.article_figures draws or drops figures and reruns no table.
TABLE_SETTINGS = {key: value for key, value in REPORT.items() if key != "article_figures"}


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
    """Articles whose ingest succeeded (a failed one is recorded in its meta.json instead of stopping the run).
    Asks the checkpoint list_failures first: until every article is decoded, nothing after ingest is planned."""
    checkpoints.list_failures.get()
    good = []
    for article in sorted(ARTICLES):
        meta = Path(f"data/processed/{article}/meta.json")
        if json.loads(meta.read_text(encoding="utf-8"))["status"] == "ok":
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
            f"results/{article}/tables/sensitivity.csv",
        ]
        if REPORT["article_figures"]:
            out.append(f"results/{article}/figures/stance_shares.png")
        if gold_file(article).exists():
            out.append(f"results/{article}/evaluation/metrics.json")
    if len(good) > 1:
        out.append("results/comparison/stance_shares.csv")
    return out


def models_in_use():
    """The model sections a classification job would load: ``model``, and ``direction.model`` when two_step."""
    models = {"model": config["model"]}
    if config.get("labeller") == "two_step":
        models["direction.model"] = config["direction"]["model"]
    return models


def check_models():
    """Stop before any job runs when a configured model cannot be loaded, with one line naming the model.

    Checked from files alone (nothing is loaded), so it costs a fraction of a second; a job that got as far as the
    model would first have deleted the article's previous stances.csv and run.json.
    """
    for key, model in models_in_use().items():
        try:
            check_loadable(model, key)
        except InputError as err:
            raise WorkflowError(f"{err}; nothing was run, existing results are unchanged") from None


def without_rate_limit_timers():
    """Run the local scheduler without Snakemake's job-rate limiter (``--max-jobs-per-timespan``, default 100/1s).

    Why: in Snakemake 9.27 every pass of the scheduler loop starts a one-second timer that wakes the loop again, and
    each wake-up starts another; every finished job adds a chain that never ends, so after N jobs the scheduler
    wakes N times a second and each wake-up checks every ready job's input files. On a 20-article corpus that was
    13,388 wake-ups and 1.26 million file checks for 164 jobs, about 1.4 s of CPU per article taken from the jobs
    (README, "Scale"; upstream: snakemake/snakemake#3804, #3744). The limiter exists to spare a cluster's
    submission system; a local run of at most ``--cores`` jobs at once has nothing to spare, so it is dropped
    there and kept for cluster runs, and kept wherever a user set ``--max-jobs-per-timespan`` to another value.
    """
    scheduler = getattr(workflow, "scheduler", None)
    limit = workflow.scheduling_settings.max_jobs_per_timespan
    default = limit is not None and (limit.max_jobs, limit.timespan) == (100, 1)
    if workflow.local_exec and default and scheduler is not None and hasattr(scheduler, "job_rate_limiter"):
        scheduler.job_rate_limiter = None


def article_status():
    """Each article's ingest status from its meta.json ("ok", "failed", or None before it was decoded)."""
    status = {}
    for article in sorted(ARTICLES):
        meta = Path(f"data/processed/{article}/meta.json")
        try:
            status[article] = json.loads(meta.read_text(encoding="utf-8")).get("status")
        except (OSError, ValueError):
            status[article] = None
    return status


def prune_comparison(status):
    """Remove ``results/comparison/`` when it would mislead: fewer than two good articles are left, or it names an
    article that failed or is gone. Returns the reason, or None when it was kept."""
    folder = Path("results/comparison")
    if not folder.exists():
        return None
    good = {a for a, s in status.items() if s == "ok"}
    try:
        named = set(pd.read_csv(folder / "stance_shares.csv", usecols=["article"])["article"].astype(str))
    except (OSError, ValueError):
        named = set()
    if len(good) >= 2 and named and named <= good:
        return None
    shutil.rmtree(folder)
    if len(good) < 2:
        return f"fewer than two articles left to compare ({', '.join(sorted(good)) or 'none'})"
    return f"it named {', '.join(sorted(named - good))}, no longer analysed"


def _shorten(text, width=150):
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3] + "..."


def run_summary(status, pruned):
    """The end-of-run lines: files skipped, articles that failed, statements cut to the model's length."""
    lines = []
    if SKIPPED:
        lines.append(f"skipped {len(SKIPPED)} file(s) in {config['raw_dir']}/ (not articles):")
        lines += [f"  {path.name}: {_shorten(reason)}" for path, reason in SKIPPED.items()]
    failures = Path("results/failures.csv")
    if failures.exists():
        failed = pd.read_csv(failures, keep_default_na=False)
        failed = failed[failed["article"].astype(str).isin(ARTICLES)]
        if len(failed):
            lines.append(f"{len(failed)} article(s) failed and were left out (results/failures.csv):")
            lines += [f"  {row.article}: {_shorten(row.error)}" for row in failed.head(10).itertuples()]
            if len(failed) > 10:
                lines.append(f"  ... and {len(failed) - 10} more")
    kept = []
    for article in (a for a, s in status.items() if s == "ok"):
        try:
            note = json.loads(Path(f"data/processed/{article}/meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if note.get("boilerplate_note"):
            kept.append(f"  {article}: {_shorten(note['boilerplate_note'])}")
    if kept:
        lines.append("kept whole, although the boilerplate rules matched (meta.json: boilerplate_note):")
        lines += kept
    cut = []
    for article in (a for a, s in status.items() if s == "ok"):
        try:
            run = json.loads(Path(f"results/{article}/run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if run.get("truncated"):
            cut.append(f"  {article}: {run['truncated']} of {run.get('n_statements', '?')} statement(s)")
    if cut:
        limit = config["model"].get("max_length", 256)
        lines.append(f"statements longer than model.max_length ({limit} tokens), cut (truncated in run.json):")
        lines += cut
    if pruned:
        lines.append(f"results/comparison/ removed: {pruned}")
    return lines


def end_of_run():
    """Print the summary once, at the end of the run (success or error), after tidying a stale comparison."""
    status = article_status()
    lines = run_summary(status, prune_comparison(status))
    if lines:
        print("\nstancemap summary\n" + "\n".join(lines), file=sys.stderr, flush=True)


# Validation against a hand-coded sample (workflow/rules/validate.smk; README, "Validating a study").
VALIDATION_SAMPLE = "data/validation/sample.csv"
VALIDATION_LABELS = "data/validation/labels.csv"
VALIDATION = config["validation"]
VALIDATION_OUTPUTS = {
    "agreement": "results/validation/agreement.csv",
    "agreement_md": "results/validation/agreement.md",
    "confusion": "results/validation/confusion_matrix.png",
    "confusion_svg": "results/validation/confusion_matrix.svg",
    "shares": "results/validation/shares.csv",
    "shares_md": "results/validation/shares.md",
    "shares_tex": "results/validation/shares.tex",
    "figure": "results/validation/shares.png",
    "figure_svg": "results/validation/shares.svg",
}


def statements_of_good_articles(wildcards):
    return expand("data/processed/{article}/statements.csv", article=good_articles())


def validation_targets(wildcards):
    """What the default target builds for validation: nothing until data/validation/labels.csv exists."""
    return list(VALIDATION_OUTPUTS.values()) if Path(VALIDATION_LABELS).exists() else []


def validation_shares(wildcards):
    """The corrected shares, for the comparison to show beside the model's, once a coded sample exists."""
    return [VALIDATION_OUTPUTS["shares"]] if Path(VALIDATION_LABELS).exists() else []


# Every rule but training runs its script (workflow/scripts/<rule>.py) in a fork of Snakemake's own process, which
# loads what the script needs once per run (stancemap.step.fork_script; README, "Measurements": the cost of one
# more article). On a cluster each job is a Snakemake process of its own and forks the same way.
SCRIPTS = Path(workflow.current_basedir) / "../scripts"
WARM = {
    "remove_boilerplate": ["tables", "text"],
    "segment_statements": ["tables", "text", *(["speakers"] if config["speakers"] else [])],
    "classify_statements": ["tables", "model"],
    "vary_hypotheses": ["tables", "model"],
    "tabulate_stances": ["tables"],
    "summarise_sensitivity": ["tables"],
    "plot_stances": ["tables", "figures"],
    "compare_articles": ["tables", "figures"],
    "evaluate_labels": ["tables", "figures"],
}


def run_script(rule, input, output, params, wildcards, threads, log):
    """Run ``workflow/scripts/{rule}.py`` as Snakemake's ``script:`` would, in a forked child (see above)."""
    from types import SimpleNamespace

    from stancemap.step import StepFailed, fork_script

    job = SimpleNamespace(
        input=input, output=output, params=params, wildcards=wildcards, threads=threads, log=log, config=config
    )
    try:
        fork_script(SCRIPTS / f"{rule}.py", job, WARM.get(rule, ["tables"]), config["model"])
    except StepFailed as err:
        raise WorkflowError(str(err)) from None
