from stancemap.report.failures import collect_failures
from stancemap.report.tables import write_table
from stancemap.step import run_step

out = snakemake.output


def collect_and_render(meta_jsons, table, html):
    title = "Articles left out of the analysis, and why\nNo rows: every article in data/raw/ was analysed."
    write_table(collect_failures(meta_jsons, table), title, html)


run_step(snakemake.log[0], collect_and_render, list(snakemake.input), out.table, out.html)
