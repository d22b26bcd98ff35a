"""NLI cross-encoder scorer for any Hugging Face sequence-classification model trained on entailment.

The statement is the premise and the hypothesis is read with it, as in ``pipeline("zero-shot-classification")``.
Differences from that pipeline, on purpose: every (statement, hypothesis) pair of a job goes through one
length-sorted stream of batches (less padding), and only the premise is ever truncated.
"""

from __future__ import annotations

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from ..io import InputError
from . import fingerprint, length_sorted_batches, resolve_local


def entailment_index(label2id: dict[str, int]) -> tuple[int, int | None]:
    """Indices of the entailment and (if any) contradiction classes, found by name in ``label2id``."""
    by_name = {name.lower(): idx for name, idx in label2id.items()}
    entail = next((i for n, i in by_name.items() if n.startswith("entail")), None)
    if entail is None:
        raise InputError(f"model has no entailment label in label2id={label2id}; it is not an NLI model")
    contra = next((i for n, i in by_name.items() if n.startswith("contradict")), None)
    return entail, contra


class NLIScorer:
    def __init__(self, name: str, *, batch_size: int = 32, max_length: int = 256, threads: int | None = None) -> None:
        if threads:
            torch.set_num_threads(threads)
        self.name = name
        self.tokenizer = AutoTokenizer.from_pretrained(name)
        self.model = AutoModelForSequenceClassification.from_pretrained(name, trust_remote_code=False).eval()
        self.entail, self.contra = entailment_index(self.model.config.label2id)
        self.folder = resolve_local(name)
        self.batch_size, self.max_length = batch_size, max_length
        self.truncated = 0

    #: Column order of :meth:`pair_probabilities`.
    CLASSES = ("entailment", "neutral", "contradiction")

    def _logits(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """Logits of each (premise, hypothesis) pair, computed in length-sorted batches; only premises truncated."""
        p_len = [len(ids) for ids in self.tokenizer(list(premises), add_special_tokens=False)["input_ids"]]
        h_len = [len(ids) for ids in self.tokenizer(list(hypotheses), add_special_tokens=False)["input_ids"]]
        budget = self.max_length - self.tokenizer.num_special_tokens_to_add(pair=True)
        if max(h_len, default=0) >= budget:
            raise InputError(f"a hypothesis is longer than the model's budget of {budget} tokens; shorten it")
        lengths = [p + h for p, h in zip(p_len, h_len)]
        self.truncated += sum(n > budget for n in lengths)
        out = np.zeros((len(premises), self.model.config.num_labels), dtype=np.float32)
        with torch.inference_mode():
            for idx in length_sorted_batches(lengths, self.batch_size):
                enc = self.tokenizer([premises[i] for i in idx], [hypotheses[i] for i in idx], padding=True,
                                     truncation="only_first", max_length=self.max_length, return_tensors="pt")
                out[idx] = self.model(**enc).logits.float().numpy()
        return out

    def score(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """P(entailment) for every (premise, hypothesis) combination; against contradiction only when the model
        has that class (as the zero-shot pipeline's ``multi_label`` mode does)."""
        logits = torch.from_numpy(self._logits([p for p in premises for _ in hypotheses],
                                               [h for _ in premises for h in hypotheses]))
        if self.contra is not None:
            scores = torch.softmax(logits[:, [self.entail, self.contra]], -1)[:, 0]
        else:
            scores = torch.softmax(logits, -1)[:, self.entail]
        return scores.numpy().reshape(len(premises), len(hypotheses))

    def pair_probabilities(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """Softmax over all classes for each pair, columns in :attr:`CLASSES` order (0 for a class the model
        lacks)."""
        probs = torch.softmax(torch.from_numpy(self._logits(premises, hypotheses)), -1).numpy()
        by_name = {name.lower()[:7]: idx for name, idx in self.model.config.label2id.items()}
        out = np.zeros((len(premises), 3), dtype=np.float32)
        for k, cls in enumerate(self.CLASSES):
            if cls[:7] in by_name:
                out[:, k] = probs[:, by_name[cls[:7]]]
        return out

    def fingerprint(self) -> dict:
        return {"backend": "nli", "entailment_index": self.entail,
                **fingerprint(self.name, self.folder, self.model.config)}
