from stancemap.clean import clean_file
from stancemap.step import run_step

run_step(snakemake.log[0], clean_file, snakemake.input[0], snakemake.output.removed, snakemake.output.header)
