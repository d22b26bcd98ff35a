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

    def score(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """P(entailment) for every pair; against contradiction only when the model has that class."""
        pairs = [(p, h) for p in premises for h in hypotheses]
        p_len = [len(ids) for ids in self.tokenizer(list(premises), add_special_tokens=False)["input_ids"]]
        h_len = [len(ids) for ids in self.tokenizer(list(hypotheses), add_special_tokens=False)["input_ids"]]
        lengths = [p_len[i] + h_len[j] for i in range(len(premises)) for j in range(len(hypotheses))]
        budget = self.max_length - self.tokenizer.num_special_tokens_to_add(pair=True)
        if max(h_len, default=0) >= budget:
            raise InputError(f"a hypothesis is longer than the model's budget of {budget} tokens; shorten it")
        self.truncated += sum(n > budget for n in lengths)
        scores = np.zeros(len(pairs), dtype=np.float32)
        with torch.inference_mode():
            for idx in length_sorted_batches(lengths, self.batch_size):
                enc = self.tokenizer([pairs[i][0] for i in idx], [pairs[i][1] for i in idx], padding=True,
                                     truncation="only_first", max_length=self.max_length, return_tensors="pt")
                logits = self.model(**enc).logits.float()
                if self.contra is not None:
                    logits = logits[:, [self.entail, self.contra]]
                    scores[idx] = torch.softmax(logits, -1)[:, 0].numpy()
                else:
                    scores[idx] = torch.softmax(logits, -1)[:, self.entail].numpy()
        return scores.reshape(len(premises), len(hypotheses))

    def fingerprint(self) -> dict:
        return {"backend": "nli", "entailment_index": self.entail,
                **fingerprint(self.name, self.folder, self.model.config)}
