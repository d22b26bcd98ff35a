from stancemap.io import outputs_together
from stancemap.stance.classify import classify_file
from stancemap.step import run_step

stance = snakemake.params.stance
model = {**stance["model"], "threads": snakemake.threads}
config = {**stance, "cache_dir": snakemake.params.cache_dir, "model": model}
with outputs_together():  # stances.csv and run.json appear together or not at all
    run_step(
        snakemake.log[0],
        classify_file,
        snakemake.input.statements,
        snakemake.output.stances,
        snakemake.output.run,
        config,
        inputs={"meta": snakemake.input.meta},
    )
