from pathlib import Path

from stancemap.step import run_step
from stancemap.training.card import measure_model, write_card

t = snakemake.params.train


def measure() -> None:
    measure_model(
        snakemake.input.model,
        snakemake.input.onnx,
        snakemake.input.data,
        snakemake.output.metrics,
        threads=snakemake.threads,
        written=t.get("written") or None,
        heldout_debates=t.get("heldout_debates", []),
    )
    labeller = Path("benchmarks/results/choose_labeller.json")
    write_card(snakemake.output.metrics, labeller, snakemake.output.card)


run_step(snakemake.log[0], measure)
