"""NLI cross-encoder scorer for any Hugging Face sequence-classification model trained on entailment, run with
torch. The batching, tokenisation and truncation engine is :mod:`stancemap.models.crossencoder`, shared with the
onnxruntime backend (:mod:`stancemap.models.onnx`).
"""

from __future__ import annotations

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from . import fingerprint, resolve_local
from .crossencoder import CrossEncoderScorer, entailment_index

__all__ = ["NLIScorer", "entailment_index"]


class NLIScorer(CrossEncoderScorer):
    """``precision: bfloat16`` runs the forward pass under bfloat16 autocast: about 1.8x the pairs per second on a
    CPU with native bfloat16 (AVX512-BF16; measured on our MiniLM model with the same label on 100% of 1,000
    statements, scores within 0.004), much slower on one without. Float32 is the default: the same scores on any
    CPU. The precision is part of the fingerprint, so the cache keeps the two apart."""

    PRECISIONS = ("float32", "bfloat16")

    def __init__(self, name: str, *, batch_size: int = 32, max_length: int = 256, threads: int | None = None,
                 precision: str = "float32") -> None:
        if precision not in self.PRECISIONS:
            raise ValueError(f"model.precision must be one of {self.PRECISIONS}, not {precision!r}")
        self.precision = precision
        if threads:
            torch.set_num_threads(threads)
        self.name = name
        self.tokenizer = AutoTokenizer.from_pretrained(name)
        self.model = AutoModelForSequenceClassification.from_pretrained(name, trust_remote_code=False).eval()
        self._setup_labels(self.model.config.label2id, self.model.config.num_labels)
        self.folder = resolve_local(name)
        self.batch_size, self.max_length = batch_size, max_length
        self._backend = self.tokenizer.backend_tokenizer
        self._backend.no_truncation()
        self._backend.no_padding()
        self._type_ids = "token_type_ids" in self.tokenizer.model_input_names
        self.pad_id = self.tokenizer.pad_token_id or 0

    def _forward(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16,
                                                     enabled=self.precision == "bfloat16"):
            return self.model(**{k: torch.from_numpy(v) for k, v in inputs.items()}).logits.float().numpy()

    def _softmax(self, logits: np.ndarray) -> np.ndarray:
        # torch's softmax, as before the engine was shared: the same scores to the last bit as earlier runs
        return torch.softmax(torch.from_numpy(logits), -1).numpy()

    def fingerprint(self) -> dict:
        extra = {"precision": self.precision} if self.precision != "float32" else {}
        return {"backend": "nli", "entailment_index": self.entail, "max_length": self.max_length, **extra,
                **fingerprint(self.name, self.folder, self.model.config)}
