from stancemap.report.failures import collect_failures
from stancemap.step import run_step

run_step(snakemake.log[0], collect_failures, list(snakemake.input), snakemake.output[0])
