from pathlib import Path

from stancemap.evaluate import evaluate_article
from stancemap.step import run_step

run_step(snakemake.log[0], evaluate_article, snakemake.input.stances, snakemake.input.gold,
         Path(snakemake.output.metrics).parent, snakemake.params.labels)
