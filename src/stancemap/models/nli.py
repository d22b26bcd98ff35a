"""NLI cross-encoder scorer for any Hugging Face sequence-classification model trained on entailment.

The statement is the premise and the hypothesis is read with it, as in ``pipeline("zero-shot-classification")``.
What this engine does differently, on purpose (see ``benchmarks/classify_speed.py`` for what it buys):

- every pair of a job goes through one stream of batches sorted by token length, so padding stays small;
- each distinct statement and hypothesis is tokenised once, and pairs are assembled from those tokens with the
  tokenizer's own special-token template (``tokenizers``' ``post_process``);
- only the premise is ever truncated, never the hypothesis.
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
    #: Column order of :meth:`pair_probabilities`.
    CLASSES = ("entailment", "neutral", "contradiction")

    def __init__(self, name: str, *, batch_size: int = 32, max_length: int = 256, threads: int | None = None) -> None:
        if threads:
            torch.set_num_threads(threads)
        self.name = name
        self.tokenizer = AutoTokenizer.from_pretrained(name)
        self.model = AutoModelForSequenceClassification.from_pretrained(name, trust_remote_code=False).eval()
        self.entail, self.contra = entailment_index(self.model.config.label2id)
        self.folder = resolve_local(name)
        self.batch_size, self.max_length = batch_size, max_length
        self._backend = self.tokenizer.backend_tokenizer
        self._backend.no_truncation()
        self._backend.no_padding()
        self._type_ids = "token_type_ids" in self.tokenizer.model_input_names

    def _encode(self, premises: list[str], hypotheses: list[str]) -> list:
        """One ``tokenizers.Encoding`` per pair, built from each distinct text's tokens."""
        distinct = {t: None for t in [*premises, *hypotheses]}
        for text, enc in zip(distinct, self._backend.encode_batch(list(distinct), add_special_tokens=False)):
            distinct[text] = enc
        budget = self.max_length - self._backend.num_special_tokens_to_add(True)
        pairs = []
        for p, h in zip(premises, hypotheses):
            ep, eh = distinct[p], distinct[h]
            if len(eh.ids) >= budget:
                raise InputError(f"a hypothesis is longer than the model's budget of {budget} tokens; shorten it: "
                                 f"{h[:80]!r}")
            if len(ep.ids) + len(eh.ids) > budget:
                ep = self._backend.encode(p, add_special_tokens=False)
                ep.truncate(budget - len(eh.ids))
            pairs.append(self._backend.post_process(ep, eh, add_special_tokens=True))
        return pairs

    def truncated(self, premises: list[str], hypotheses: list[str]) -> int:
        """How many premises are cut to fit the model with the longest hypothesis."""
        budget = self.max_length - self._backend.num_special_tokens_to_add(True)
        longest = max((len(e.ids) for e in self._backend.encode_batch(list(hypotheses), add_special_tokens=False)),
                      default=0)
        return sum(len(e.ids) + longest > budget
                   for e in self._backend.encode_batch(list(premises), add_special_tokens=False))

    def _logits(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """Logits of each (premise, hypothesis) pair, in length-sorted batches."""
        encodings = self._encode(premises, hypotheses)
        out = np.zeros((len(encodings), self.model.config.num_labels), dtype=np.float32)
        pad = self.tokenizer.pad_token_id or 0
        with torch.inference_mode():
            for idx in length_sorted_batches([len(e.ids) for e in encodings], self.batch_size):
                width = max(len(encodings[i].ids) for i in idx)
                ids = torch.full((len(idx), width), pad, dtype=torch.long)
                mask = torch.zeros((len(idx), width), dtype=torch.long)
                types = torch.zeros((len(idx), width), dtype=torch.long)
                for row, i in enumerate(idx):
                    e = encodings[i]
                    ids[row, : len(e.ids)] = torch.tensor(e.ids)
                    mask[row, : len(e.ids)] = 1
                    types[row, : len(e.ids)] = torch.tensor(e.type_ids)
                inputs = {"input_ids": ids, "attention_mask": mask}
                if self._type_ids:
                    inputs["token_type_ids"] = types
                out[idx] = self.model(**inputs).logits.float().numpy()
        return out

    def score_pairs(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """P(entailment) of each pair; against contradiction only when the model has that class (as the
        zero-shot pipeline's ``multi_label`` mode does)."""
        logits = torch.from_numpy(self._logits(premises, hypotheses))
        if self.contra is not None:
            return torch.softmax(logits[:, [self.entail, self.contra]], -1)[:, 0].numpy()
        return torch.softmax(logits, -1)[:, self.entail].numpy()

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
        return {"backend": "nli", "entailment_index": self.entail, "max_length": self.max_length,
                **fingerprint(self.name, self.folder, self.model.config)}
