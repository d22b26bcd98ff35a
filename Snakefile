# stancemap: news articles -> statements -> zero-shot stance labels -> tables and figures.
# Run from the project root: snakemake --cores 4   (report: snakemake --report results/report.html)
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/segment.smk"
include: "workflow/rules/classify.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/compare.smk"
include: "workflow/rules/evaluate.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/validate.smk"


# Before any job: the configured model(s) must be loadable from local files (one line if not; nothing touched),
# and a local run's scheduler loses the job-rate limiter's timers (common.smk: without_rate_limit_timers).
onstart:
    check_models()
    without_rate_limit_timers()


# At the end, success or error: remove a comparison that would mislead, then print skipped files, failed articles
# and truncated statements once (they stay in results/failures.csv and each run.json).
onsuccess:
    end_of_run()


onerror:
    end_of_run()


rule all:
    default_target: True
    input:
        # The checkpoint: it needs every article's decode job, and final_outputs asks it before planning the rest.
        "results/failures.csv",
        final_outputs,
        validation_targets,
