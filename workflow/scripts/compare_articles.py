from stancemap.report.compare import compare_articles
from stancemap.step import run_step

r, c = snakemake.params.report, snakemake.params.compare
out = dict(snakemake.output.items())


run_step(
    snakemake.log[0],
    compare_articles,
    stances_csvs=list(snakemake.input.stances),
    out=out,
    names=snakemake.params.labels,
    resamples=r["bootstrap_resamples"],
    seed=r["seed"],
    level=r["level"],
    articles_sheet=snakemake.input.sheet[0] if snakemake.input.sheet else None,
    sensitivity_csvs=list(snakemake.input.sensitivity),
    max_pairwise=c["max_pairwise"],
    test_resamples=c["test_resamples"],
    validation_csv=snakemake.input.validation[0] if snakemake.input.validation else None,
)
