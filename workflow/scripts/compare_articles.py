from stancemap.report.compare import compare_articles
from stancemap.step import run_step

r, c = snakemake.params.report, snakemake.params.compare
run_step(
    snakemake.log[0],
    compare_articles,
    list(snakemake.input.stances),
    dict(snakemake.output.items()),
    snakemake.params.labels,
    resamples=r["bootstrap_resamples"],
    seed=r["seed"],
    level=r["level"],
    articles_sheet=snakemake.input.sheet[0] if snakemake.input.sheet else None,
    sensitivity_csvs=list(snakemake.input.sensitivity),
    max_pairwise=c["max_pairwise"],
    test_resamples=c["test_resamples"],
)
