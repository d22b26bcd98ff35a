from stancemap.export import export_onnx
from stancemap.step import run_step

run_step(snakemake.log[0], export_onnx, snakemake.input.model, snakemake.output.onnx)
