from stancemap.stance.sensitivity import sensitivity_file
from stancemap.step import run_step

stance = snakemake.params.stance
model = {**stance["model"], "threads": snakemake.threads}
config = {**stance, "cache_dir": snakemake.params.cache_dir, "model": model}
run_step(snakemake.log[0], sensitivity_file, snakemake.input.statements, snakemake.output[0], config)
