from stancemap.report.tables import write_article_tables
from stancemap.step import run_step

r = snakemake.params.report
run_step(
    snakemake.log[0],
    write_article_tables,
    snakemake.input[0],
    dict(snakemake.output.items()),
    snakemake.params.labels,
    resamples=r["bootstrap_resamples"],
    seed=r["seed"],
    level=r["level"],
    top_n=r["top_n"],
)
