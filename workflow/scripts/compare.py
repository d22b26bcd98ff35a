from pathlib import Path

from stancemap.compare import compare_articles
from stancemap.step import run_step

r = snakemake.params.report
run_step(snakemake.log[0], compare_articles, list(snakemake.input), Path(snakemake.output.table).parent,
         snakemake.params.labels, resamples=r["bootstrap_resamples"], seed=r["seed"], level=r["level"])
