from stancemap.stance.provenance import summarise_runs
from stancemap.step import run_step

run_step(snakemake.log[0], summarise_runs, list(snakemake.input), snakemake.output[0])
