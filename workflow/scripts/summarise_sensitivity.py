from stancemap.report.sensitivity import summarise_sensitivity
from stancemap.report.tables import write_html_tables
from stancemap.step import run_step

out = dict(snakemake.output.items())


def summarise_and_render(labels_csv, out, names):
    summarise_sensitivity(labels_csv, out, names)
    title = f"Label of every statement under each phrasing of the hypotheses ({snakemake.wildcards.article})"
    write_html_tables(
        {
            out["table_html"]: (out["table"], out["table_md"], ""),
            out["labels_html"]: (labels_csv, None, title + "\nchanged: the label differs between phrasings"),
        }
    )


run_step(snakemake.log[0], summarise_and_render, snakemake.input[0], out, snakemake.params.labels)
