from stancemap.report.tables import write_html_tables
from stancemap.stance.provenance import summarise_runs
from stancemap.step import run_step

out = snakemake.output


def summarise_and_render(run_jsons, table, html):
    summarise_runs(run_jsons, table)
    title = "What produced these results: model, weight hash, hypotheses, decision rule, package versions"
    write_html_tables({html: (table, None, title)})


run_step(snakemake.log[0], summarise_and_render, list(snakemake.input), out.table, out.html)
