from stancemap.step import run_step
from stancemap.text.segment import segment_file

run_step(
    snakemake.log[0],
    segment_file,
    snakemake.input.text,
    snakemake.output[0],
    article=snakemake.wildcards.article,
    removed_csv=snakemake.input.removed,
    speakers=snakemake.params.speakers,
)
