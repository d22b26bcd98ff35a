from stancemap.step import run_step
from stancemap.training.data import training_set
from stancemap.training.train import train_cross_encoder

t = snakemake.params.train


def train(data: str, out: str) -> None:
    pairs = training_set(
        data,
        mix=t["mix"],
        negations=t["negations"],
        neutral_share=t["neutral_share"],
        seed=t["seed"],
        stance=t.get("stance", False),
        written=t.get("written") or None,
        heldout_debates=t.get("heldout_debates", []),
    )
    train_cross_encoder(
        pairs,
        out,
        epochs=t["epochs"],
        batch_size=t["batch_size"],
        lr=t["lr"],
        max_length=t["max_length"],
        seed=t["seed"],
        threads=snakemake.threads,
        checkpoints=t["checkpoints"],
    )


run_step(snakemake.log[0], train, snakemake.input.data, snakemake.output.model)
