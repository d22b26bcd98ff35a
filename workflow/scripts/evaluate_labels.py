from stancemap.report.evaluate import evaluate_article
from stancemap.step import run_step

run_step(
    snakemake.log[0],
    evaluate_article,
    snakemake.input.stances,
    snakemake.input.gold,
    dict(snakemake.output.items()),
    snakemake.params.labels,
)
