from stancemap.report.compare import compare_articles
from stancemap.report.tables import write_html_tables
from stancemap.step import run_step

r, c = snakemake.params.report, snakemake.params.compare
out = dict(snakemake.output.items())


def compare_and_render(**kwargs):
    compare_articles(**kwargs)
    write_html_tables(
        {
            out["table_html"]: (out["table"], out["table_md"], ""),
            out["speakers_table_html"]: (out["speakers_table"], out["speakers_md"], ""),
            out["tests_html"]: (out["tests"], out["tests_md"], ""),
            out["fragile_table_html"]: (out["fragile_table"], out["fragile_md"], ""),
        }
    )


run_step(
    snakemake.log[0],
    compare_and_render,
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
