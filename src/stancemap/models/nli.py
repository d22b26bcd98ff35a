"""NLI cross-encoder scorer for any Hugging Face sequence-classification model trained on entailment, run with
torch. The batching, tokenisation and truncation engine is :mod:`stancemap.models.crossencoder`, shared with the
onnxruntime backend (:mod:`stancemap.models.onnx`).

Two things make it faster than calling the model (``benchmarks/classify_speed.py`` measures them):

- batches run in parallel, one torch thread each (see the engine);
- for a BERT classifier (``BertForSequenceClassification``: MiniLM, our own model, most small NLI models) the last
  layer is computed for the first token only. The classifier reads nothing else, so the other tokens' last-layer
  outputs are wasted work: all of that layer but its keys and values, about 14% of a six-layer model's arithmetic.
  :func:`first_token_logits` does this with the model's own modules; on loading, its logits are compared with the
  model's own forward pass, and a model for which they differ is run the ordinary way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from . import fingerprint, resolve_local
from .crossencoder import CrossEncoderScorer, entailment_index

__all__ = ["FirstTokenClassifier", "NLIScorer", "entailment_index", "first_token_applies", "first_token_logits"]

log = logging.getLogger(__name__)

#: Largest difference from the model's own logits at which the first-token forward pass is used, per precision
#: (measured on our MiniLM model: 1.2e-7 in float32, 0.002 in bfloat16; leaving out the padding mask: 0.31).
_FIRST_TOKEN_TOLERANCE = {"float32": 1e-4, "bfloat16": 0.05}


def first_token_logits(
    model, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor | None = None
) -> torch.Tensor:
    """The logits of a ``BertForSequenceClassification``, computing only the first token in the last layer.

    Every layer but the last runs as in the model (its own modules, the same attention arithmetic); the last
    layer's attention takes its query from the first token alone, keys and values from all tokens, and its
    feed-forward block sees that one token.
    """
    bert = model.bert
    hidden = bert.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
    keep = attention_mask[:, None, None, :].bool()  # (batch, head, query, key), broadcast over heads and queries
    layers = bert.encoder.layer
    for i, layer in enumerate(layers):
        attention = layer.attention.self
        rows = hidden[:, :1] if i == len(layers) - 1 else hidden

        def heads(x: torch.Tensor, attention=attention) -> torch.Tensor:
            return x.view(x.shape[0], x.shape[1], attention.num_attention_heads, -1).transpose(1, 2)

        context = torch.nn.functional.scaled_dot_product_attention(
            heads(attention.query(rows)),
            heads(attention.key(hidden)),
            heads(attention.value(hidden)),
            attn_mask=keep,
            scale=attention.scaling,
        )
        mixed = layer.attention.output(context.transpose(1, 2).flatten(2), rows)
        hidden = layer.output(layer.intermediate(mixed), mixed)
    return model.classifier(model.dropout(bert.pooler(hidden)))


def first_token_applies(model, inputs: dict[str, torch.Tensor], tolerance: float = 1e-4) -> bool:
    """Whether :func:`first_token_logits` gives ``model``'s own logits, within ``tolerance``, on ``inputs`` (a
    padded batch): only for a ``BertForSequenceClassification`` that is not a decoder."""
    if type(model).__name__ != "BertForSequenceClassification" or model.config.is_decoder:
        return False
    name = getattr(model.config, "_name_or_path", "model")
    try:
        with torch.inference_mode():
            gap = float((first_token_logits(model, **inputs).float() - model(**inputs).logits.float()).abs().max())
    except Exception as err:  # a BERT variant whose modules differ: run it the ordinary way
        log.warning("%s: the first-token forward pass does not apply (%s); running the model's own", name, err)
        return False
    if gap > tolerance:
        log.warning("%s: the first-token forward pass differs from the model's by %.2g; not used", name, gap)
        return False
    return True


class FirstTokenClassifier(torch.nn.Module):
    """A BERT classifier whose forward pass is :func:`first_token_logits`: what :mod:`stancemap.training.export`
    writes to ONNX for such a model."""

    def __init__(self, model) -> None:
        super().__init__()
        self.model = model

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor | None = None
    ) -> torch.Tensor:
        return first_token_logits(self.model, input_ids, attention_mask, token_type_ids)


class NLIScorer(CrossEncoderScorer):
    """``precision: bfloat16`` casts the weights to bfloat16: about 1.8x the pairs per second on a CPU with native
    bfloat16 (AVX512-BF16; on our MiniLM model the same label on 100% of 1,000 statements, scores within about
    0.006), much slower on one without. Float32 is the default. The precision is part of the fingerprint, so the
    cache keeps the two apart."""

    PRECISIONS = ("float32", "bfloat16")

    def __init__(
        self,
        name: str,
        *,
        batch_size: int = 32,
        max_length: int = 256,
        threads: int | None = None,
        precision: str = "float32",
    ) -> None:
        if precision not in self.PRECISIONS:
            raise ValueError(f"model.precision must be one of {self.PRECISIONS}, not {precision!r}")
        self.precision = precision
        if threads:
            torch.set_num_threads(threads)
        self.workers = torch.get_num_threads()
        self.name = name
        self.tokenizer = AutoTokenizer.from_pretrained(name)
        self.model = AutoModelForSequenceClassification.from_pretrained(
            name, trust_remote_code=False, dtype=getattr(torch, precision)
        ).eval()
        self._setup_labels(self.model.config.label2id, self.model.config.num_labels)
        self.folder = resolve_local(name)
        self.batch_size, self.max_length = batch_size, max_length
        self._backend = self.tokenizer.backend_tokenizer
        self._backend.no_truncation()
        self._backend.no_padding()
        self._type_ids = "token_type_ids" in self.tokenizer.model_input_names
        self.pad_id = self.tokenizer.pad_token_id or 0
        self.first_token = self._first_token_agrees()

    def _first_token_agrees(self) -> bool:
        inputs = self._tensors(
            self._padded(
                self._encode(
                    ["Talks could end the war, officials said on Tuesday.", "No."], ["The speaker wants talks."] * 2
                )
            )
        )
        return first_token_applies(self.model, inputs, _FIRST_TOKEN_TOLERANCE[self.precision])

    @staticmethod
    def _tensors(inputs: dict[str, np.ndarray]) -> dict[str, torch.Tensor]:
        return {k: torch.from_numpy(v) for k, v in inputs.items()}

    @contextmanager
    def _one_thread_each(self) -> Iterator[None]:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(before)

    def _forward(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        tensors = self._tensors(inputs)
        with torch.inference_mode():
            logits = first_token_logits(self.model, **tensors) if self.first_token else self.model(**tensors).logits
        return logits.float().numpy()

    def _softmax(self, logits: np.ndarray) -> np.ndarray:
        # torch's softmax, as before the engine was shared: the same scores to the last bit as earlier runs
        return torch.softmax(torch.from_numpy(logits), -1).numpy()

    def fingerprint(self) -> dict:
        extra = {"precision": self.precision} if self.precision != "float32" else {}
        extra["forward"] = "first-token" if self.first_token else "full"
        return {
            "backend": "nli",
            "entailment_index": self.entail,
            "max_length": self.max_length,
            **extra,
            **fingerprint(self.name, self.folder, self.model.config),
        }
