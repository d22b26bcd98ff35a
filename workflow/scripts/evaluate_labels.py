from stancemap.report.evaluate import evaluate_article
from stancemap.report.tables import write_html_tables
from stancemap.step import run_step

out = dict(snakemake.output.items())
article = snakemake.wildcards.article


def evaluate_and_render(stances_csv, gold_csv, out, names):
    evaluate_article(stances_csv, gold_csv, out, names)
    write_html_tables(
        {
            out["metrics_html"]: (out["metrics"], None, f"{article}: labels against the hand labels (gold)"),
            out["per_label_html"]: (out["per_label"], out["per_label_md"], ""),
            out["matched_html"]: (
                out["matched"],
                None,
                f"{article}: every gold span with the label it got\n"
                "label: the hand label; predicted: the label of the statement that overlaps it most "
                "(statement_id -1: no statement overlaps it, counted but not scored)",
            ),
        }
    )


run_step(
    snakemake.log[0],
    evaluate_and_render,
    snakemake.input.stances,
    snakemake.input.gold,
    out,
    snakemake.params.labels,
)
