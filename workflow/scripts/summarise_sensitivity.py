from stancemap.report.sensitivity import summarise_sensitivity
from stancemap.step import run_step

run_step(
    snakemake.log[0],
    summarise_sensitivity,
    snakemake.input[0],
    dict(snakemake.output.items()),
    snakemake.params.labels,
)
