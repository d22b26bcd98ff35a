from stancemap.step import run_step
from stancemap.validation.sample import draw_sample

v = snakemake.params.validation
run_step(
    snakemake.log[0],
    draw_sample,
    list(snakemake.input.statements),
    snakemake.output[0],
    sample_size=v["sample_size"],
    seed=v["seed"],
    by_group=v["by_group"],
    articles_sheet=snakemake.input.sheet[0] if snakemake.input.sheet else None,
)
