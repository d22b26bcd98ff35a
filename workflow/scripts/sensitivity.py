from stancemap.sensitivity import sensitivity_file
from stancemap.step import run_step

stance = snakemake.params.stance
config = {**stance, "cache_dir": snakemake.params.cache_dir, "model": {**stance["model"], "threads": snakemake.threads}}
run_step(snakemake.log[0], sensitivity_file, snakemake.input.statements, snakemake.output.labels,
         snakemake.output.table[: -len(".csv")], snakemake.output.figure[: -len(".png")], config)
