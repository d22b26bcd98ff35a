from stancemap.report.tables import write_table
from stancemap.stance.provenance import summarise_runs
from stancemap.step import run_step

out = snakemake.output


def summarise_and_render(run_jsons, table, html):
    title = "What produced these results: model, weight hash, hypotheses, decision rule, package versions"
    write_table(summarise_runs(run_jsons, table), title, html)


run_step(snakemake.log[0], summarise_and_render, list(snakemake.input), out.table, out.html)
