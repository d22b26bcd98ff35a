from stancemap.step import run_step
from stancemap.training.export import export_onnx

run_step(snakemake.log[0], export_onnx, snakemake.input.model, snakemake.output.onnx)
