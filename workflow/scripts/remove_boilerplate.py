from stancemap.step import run_step
from stancemap.text.boilerplate import remove_boilerplate

run_step(snakemake.log[0], remove_boilerplate, snakemake.input[0], snakemake.output[0])
