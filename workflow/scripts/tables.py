from pathlib import Path

from stancemap.step import run_step
from stancemap.tables import write_article_tables

r = snakemake.params.report
run_step(snakemake.log[0], write_article_tables, snakemake.input[0], Path(snakemake.output.summary).parent,
         snakemake.params.labels, resamples=r["bootstrap_resamples"], seed=r["seed"], level=r["level"],
         top_n=r["top_n"])
