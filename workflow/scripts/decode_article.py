from stancemap.step import run_step
from stancemap.text.ingest import ingest_or_record

run_step(
    snakemake.log[0],
    ingest_or_record,
    snakemake.input[0],
    snakemake.output.text,
    snakemake.output.meta,
    max_bytes=snakemake.params.max_bytes,
    require_english=snakemake.params.require_english,
)
