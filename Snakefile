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


rule all:
    default_target: True
    input:
        final_outputs,
