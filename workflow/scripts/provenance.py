from pathlib import Path

from stancemap.provenance import summarise_runs
from stancemap.step import run_step

runs = [str(Path(p).with_name("run.json")) for p in snakemake.input]
run_step(snakemake.log[0], summarise_runs, runs, snakemake.output[0])
