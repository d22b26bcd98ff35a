from stancemap.ingest import ingest_file
from stancemap.step import run_step

run_step(snakemake.log[0], ingest_file, snakemake.input[0], snakemake.output.text, snakemake.output.meta,
         max_bytes=snakemake.params.max_bytes)
