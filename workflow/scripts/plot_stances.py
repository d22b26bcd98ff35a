from stancemap.report.plots import write_article_figures
from stancemap.step import run_step

run_step(
    snakemake.log[0],
    write_article_figures,
    snakemake.input.stances,
    snakemake.input.summary,
    snakemake.input.sensitivity,
    dict(snakemake.output.items()),
    snakemake.params.labels,
    level=snakemake.params.level,
)
