"""NLI cross-encoder scorer run with onnxruntime: no torch, no transformers.

It reads a folder written by :func:`stancemap.training.export.export_onnx` (``model.onnx``, ``tokenizer.json``,
``config.json``, ``MANIFEST.sha256``); ``name: default`` is the folder shipped inside the package,
``stancemap/weights/nli-minilm-l6/``. Batching, tokenisation and premise-only truncation are the engine the torch
``nli`` backend uses (:mod:`stancemap.models.crossencoder`); only the forward pass differs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from ..io import InputError
from . import WEIGHTS, fingerprint
from .crossencoder import CrossEncoderScorer
from .manifest import verify_manifest

DEFAULT_NAME = "nli-minilm-l6"


def default_weights_path() -> Path:
    """The NLI model shipped with stancemap: ``src/stancemap/weights/nli-minilm-l6/``."""
    return WEIGHTS / DEFAULT_NAME


def _pad_id(tokenizer: Tokenizer, folder: Path, config: dict) -> int:
    """The padding token's id: from tokenizer_config.json's ``pad_token``, else config.json's ``pad_token_id``."""
    settings = folder / "tokenizer_config.json"
    pad = json.loads(settings.read_text()).get("pad_token") if settings.is_file() else None
    if isinstance(pad, dict):
        pad = pad.get("content")
    pad_id = tokenizer.token_to_id(pad) if isinstance(pad, str) else None
    if pad_id is None:
        pad_id = config.get("pad_token_id")
    return pad_id or 0


class ONNXNLIScorer(CrossEncoderScorer):
    def __init__(
        self, name: str = "default", *, batch_size: int = 32, max_length: int = 256, threads: int | None = None
    ) -> None:
        folder = default_weights_path() if name == "default" else Path(name)
        self.name = f"stancemap/weights/{DEFAULT_NAME}" if name == "default" else name
        for needed in ("model.onnx", "tokenizer.json", "config.json"):
            if not (folder / needed).is_file():
                what = "the shipped model folder" if name == "default" else "model.name"
                raise InputError(
                    f"{folder}: {what} has no {needed}; the onnx backend needs a folder written by "
                    f"stancemap.training.export (model.onnx, tokenizer.json, config.json)"
                )
        verify_manifest(folder)  # refuses a folder without a manifest: its files could not be checked
        self.folder = folder
        config = json.loads((folder / "config.json").read_text())
        self.forward = config.get("stancemap_forward")  # written by stancemap.training.export; absent in older exports
        label2id = {str(k): int(v) for k, v in (config.get("label2id") or {}).items()}
        if not label2id:
            raise InputError(f"{folder / 'config.json'}: no label2id; the onnx backend needs the model's labels")
        self._setup_labels(label2id, max(len(config.get("id2label") or {}), max(label2id.values()) + 1))

        # Dynamic int8 quantisation scales each MatMul's activations by the whole batch's range (padding
        # included), so a pair's score would depend on the pairs batched beside it, and a rerun that computes
        # only the cache's missing pairs could differ from a cold run. Such a model scores every pair alone
        # (batches of one: no padding, no neighbours, the same score in every run).
        self.per_pair = b"DynamicQuantizeLinear" in (folder / "model.onnx").read_bytes()
        # The engine runs `workers` batches at once, each session.run on one thread.
        self.workers = threads or len(os.sched_getaffinity(0))  # the CPUs this process may use
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        self.session = ort.InferenceSession(
            str(folder / "model.onnx"), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self.session.get_inputs()}
        self._type_ids = "token_type_ids" in self._inputs

        self._backend = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._backend.no_truncation()
        self._backend.no_padding()
        self.pad_id = _pad_id(self._backend, folder, config)
        self.batch_size = 1 if self.per_pair else batch_size
        self.max_length = max_length

    def _forward(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        feed = {k: v for k, v in inputs.items() if k in self._inputs}
        return self.session.run(["logits"], feed)[0].astype(np.float32, copy=False)

    def fingerprint(self) -> dict:
        extra = {"forward": self.forward} if self.forward else {}
        return {
            "backend": "onnx",
            "entailment_index": self.entail,
            "max_length": self.max_length,
            **extra,
            **fingerprint(self.name, self.folder, None),
        }
