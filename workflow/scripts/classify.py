from stancemap.classify import classify_file
from stancemap.step import run_step

config = {**snakemake.params.stance, "model": {**snakemake.params.stance["model"], "threads": snakemake.threads}}
run_step(snakemake.log[0], classify_file, snakemake.input.statements, snakemake.output.stances,
         snakemake.output.run, config, inputs={"meta": snakemake.input.meta})
