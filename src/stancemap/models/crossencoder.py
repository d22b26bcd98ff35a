"""The engine shared by the cross-encoder backends (``nli``: torch; ``onnx``: onnxruntime). Torch-free.

The statement is the premise and the hypothesis is read with it, as in ``pipeline("zero-shot-classification")``.
What this engine does differently, on purpose (see ``benchmarks/classify_speed.py`` for what it buys):

- every pair of a job goes through one stream of batches sorted by token length, so padding stays small;
- each distinct statement and hypothesis is tokenised once, and pairs are assembled from those tokens with the
  tokenizer's own special-token template (``tokenizers``' ``post_process``);
- only the premise is ever truncated, never the hypothesis;
- batches run in parallel, ``workers`` at a time, each on one thread. On our MiniLM model two batches on one core
  each beat one batch on two cores by 5-8% (the element-wise steps between matrix products barely parallelise),
  at the cost of ``workers`` batches in memory at once. A batch's scores do not depend on which worker runs it,
  so the result is the same for any number of workers.

A backend subclasses :class:`CrossEncoderScorer`, sets the attributes listed there and implements
:meth:`CrossEncoderScorer._forward` (a padded batch of token ids in, logits out) and ``fingerprint``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext

import numpy as np

from ..io import InputError
from . import length_sorted_batches, progress


def entailment_index(label2id: dict[str, int]) -> tuple[int, int | None]:
    """Indices of the entailment and (if any) contradiction classes, found by name in ``label2id``."""
    by_name = {name.lower(): idx for name, idx in label2id.items()}
    entail = next((i for n, i in by_name.items() if n.startswith("entail")), None)
    if entail is None:
        raise InputError(f"model has no entailment label in label2id={label2id}; it is not an NLI model")
    contra = next((i for n, i in by_name.items() if n.startswith("contradict")), None)
    return entail, contra


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, in float32."""
    logits = np.asarray(logits, dtype=np.float32)
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class CrossEncoderScorer:
    """Scores (premise, hypothesis) pairs with a sequence-classification NLI model.

    A subclass sets, before using the methods below: ``_backend`` (a ``tokenizers.Tokenizer`` with truncation and
    padding off), ``label2id``, ``num_labels``, ``pad_id``, ``_type_ids`` (whether the model takes
    ``token_type_ids``), ``batch_size``, ``max_length``, ``entail`` and ``contra`` (see :meth:`_setup_labels`),
    and ``workers``. A backend whose runtime must be told to use one thread per call overrides
    :meth:`_one_thread_each`.
    """

    #: Column order of :meth:`pair_probabilities`.
    CLASSES = ("entailment", "neutral", "contradiction")

    def _setup_labels(self, label2id: dict[str, int], num_labels: int) -> None:
        self.label2id, self.num_labels = dict(label2id), num_labels
        self.entail, self.contra = entailment_index(self.label2id)

    def _forward(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        """Logits (float32, ``(batch, num_labels)``) of one padded batch: int64 arrays ``input_ids``,
        ``attention_mask`` and, when the model takes them, ``token_type_ids``."""
        raise NotImplementedError

    def _one_thread_each(self) -> AbstractContextManager:
        """In force while batches run in parallel: one compute thread per call (a backend's runtime setting)."""
        return nullcontext()

    def _softmax(self, logits: np.ndarray) -> np.ndarray:
        return softmax(logits)

    def _budget(self) -> int:
        return self.max_length - self._backend.num_special_tokens_to_add(True)

    def _encode(self, premises: list[str], hypotheses: list[str]) -> list:
        """One ``tokenizers.Encoding`` per pair, built from each distinct text's tokens."""
        distinct = {t: None for t in [*premises, *hypotheses]}
        for text, enc in zip(distinct, self._backend.encode_batch(list(distinct), add_special_tokens=False)):
            distinct[text] = enc
        budget = self._budget()
        pairs = []
        for p, h in zip(premises, hypotheses):
            ep, eh = distinct[p], distinct[h]
            if len(eh.ids) >= budget:
                raise InputError(
                    f"a hypothesis is longer than the model's budget of {budget} tokens; shorten it: {h[:80]!r}"
                )
            if len(ep.ids) + len(eh.ids) > budget:
                ep = self._backend.encode(p, add_special_tokens=False)
                ep.truncate(budget - len(eh.ids))
            pairs.append(self._backend.post_process(ep, eh, add_special_tokens=True))
        return pairs

    def truncated(self, premises: list[str], hypotheses: list[str]) -> int:
        """How many premises are cut to fit the model with the longest hypothesis."""
        budget = self._budget()
        longest = max(
            (len(e.ids) for e in self._backend.encode_batch(list(hypotheses), add_special_tokens=False)), default=0
        )
        return sum(
            len(e.ids) + longest > budget for e in self._backend.encode_batch(list(premises), add_special_tokens=False)
        )

    def _logits(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """Logits of each (premise, hypothesis) pair, in length-sorted batches, ``workers`` at a time."""
        encodings = self._encode(premises, hypotheses)
        out = np.zeros((len(encodings), self.num_labels), dtype=np.float32)
        batches = length_sorted_batches([len(e.ids) for e in encodings], self.batch_size)

        def run(idx: np.ndarray) -> None:
            out[idx] = self._forward(self._padded([encodings[i] for i in idx]))

        if self.workers <= 1:
            for idx in progress(batches, len(batches)):
                run(idx)
            return out
        with self._one_thread_each(), ThreadPoolExecutor(self.workers) as pool:
            try:
                for _ in progress(pool.map(run, batches), len(batches)):
                    pass
            except BaseException:  # an error or an interrupt: do not wait for the batches still queued
                pool.shutdown(cancel_futures=True)
                raise
        return out

    def _padded(self, encodings: list) -> dict[str, np.ndarray]:
        """The model inputs of one batch of encodings, padded to the longest."""
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        types = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
            types[row, : len(e.ids)] = e.type_ids
        inputs = {"input_ids": ids, "attention_mask": mask}
        if self._type_ids:
            inputs["token_type_ids"] = types
        return inputs

    def score_pairs(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """P(entailment) of each pair; against contradiction only when the model has that class (as the
        zero-shot pipeline's ``multi_label`` mode does)."""
        logits = self._logits(premises, hypotheses)
        if self.contra is not None:
            return self._softmax(logits[:, [self.entail, self.contra]])[:, 0]
        return self._softmax(logits)[:, self.entail]

    def pair_probabilities(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """Softmax over all classes for each pair, columns in :attr:`CLASSES` order (0 for a class the model
        lacks)."""
        probs = self._softmax(self._logits(premises, hypotheses))
        by_name = {name.lower()[:7]: idx for name, idx in self.label2id.items()}
        out = np.zeros((len(premises), 3), dtype=np.float32)
        for k, cls in enumerate(self.CLASSES):
            if cls[:7] in by_name:
                out[:, k] = probs[:, by_name[cls[:7]]]
        return out
