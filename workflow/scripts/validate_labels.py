from stancemap.step import run_step
from stancemap.validation.validate import validate_labels

v = snakemake.params.validation
run_step(
    snakemake.log[0],
    validate_labels,
    snakemake.input.labels,
    list(snakemake.input.stances),
    dict(snakemake.output.items()),
    snakemake.params.labels,
    level=v["level"],
    min_labelled=v["min_labelled"],
    by_group=v["by_group"],
    articles_sheet=snakemake.input.sheet[0] if snakemake.input.sheet else None,
    seed=v["seed"],
)
