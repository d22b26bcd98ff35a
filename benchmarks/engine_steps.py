"""What each step of the NLI engine buys, one switched on at a time, and the machine's matrix-product ceiling.

    python benchmarks/engine_steps.py        # writes benchmarks/results/engine_steps.json (about 2 minutes)

On our trained cross-encoder's PyTorch form (``build/nli-minilm-l6/torch``, from ``snakemake train_model``), 400
seed statements (repeated) x 3 hypotheses, no cache, runs alternating, median of three per step:

1. ``serial``: length-sorted batches of 32, each text tokenised once, one batch at a time on all threads, the
   model's own forward pass;
2. ``+ parallel batches``: two batches at once, one thread each;
3. ``+ first-token last layer`` (the engine's float32 default);
4. ``+ bfloat16`` (``precision: bfloat16``).

The ceiling: the throughput of one float32 and one bfloat16 matrix product shaped like this model's feed-forward
layer on a length-sorted batch, and the pairs per second it would allow if nothing but the model's linear layers
took time (all tokens in every layer, and the first token only in the last).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
THREADS = 2


def gemm_gflops(dtype: torch.dtype, rows: int, hidden: int, inner: int, repeats: int = 100) -> float:
    x, w, b = (
        torch.randn(rows, hidden, dtype=dtype),
        torch.randn(inner, hidden, dtype=dtype),
        torch.randn(inner, dtype=dtype),
    )
    for _ in range(5):
        torch.nn.functional.linear(x, w, b)
    started = time.perf_counter()
    for _ in range(repeats):
        torch.nn.functional.linear(x, w, b)
    return 2 * rows * hidden * inner * repeats / (time.perf_counter() - started) / 1e9


def main() -> None:
    from classify_speed import cpu_name, statements

    from stancemap.models import load_scorer
    from stancemap.models.cache import score_matrix

    torch.set_num_threads(THREADS)
    folder = ROOT / "build/nli-minilm-l6/torch"
    if not (folder / "config.json").is_file():
        sys.exit(f"{folder}: no trained model; run `snakemake train_model --cores 2` first")
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    hypotheses = [spec["hypotheses"][0] for spec in config["labels"].values()]
    texts = statements()[:400]

    fp32 = load_scorer({"backend": "nli", "name": str(folder), "threads": THREADS})
    bf16 = load_scorer({"backend": "nli", "name": str(folder), "threads": THREADS, "precision": "bfloat16"})
    steps = {
        "serial": (fp32, 1, False),
        "+ parallel batches": (fp32, THREADS, False),
        "+ first-token last layer": (fp32, THREADS, True),
        "+ bfloat16": (bf16, THREADS, True),
    }
    times: dict[str, list[float]] = {name: [] for name in steps}
    scores = {}
    for _ in range(3):
        for name, (scorer, workers, first_token) in steps.items():
            scorer.workers, scorer.first_token = workers, first_token
            started = time.perf_counter()
            scores[name] = score_matrix(scorer, texts, hypotheses)
            times[name].append(time.perf_counter() - started)
            print(f"{name}: {times[name][-1]:.1f} s", flush=True)

    pairs = len(texts) * len(hypotheses)
    lengths = [len(e.ids) for e in fp32._encode([t for t in texts for _ in hypotheses], hypotheses * len(texts))]
    cfg = fp32.model.config
    rows = 32 * round(float(np.mean(lengths)))
    # multiply-adds per token in the linear layers: Q, K, V, output (4 h^2) and the feed-forward block (2 h i)
    per_token = 2 * (4 * cfg.hidden_size**2 + 2 * cfg.hidden_size * cfg.intermediate_size)
    tokens = float(np.mean(lengths))
    flop_per_pair = per_token * tokens * cfg.num_hidden_layers
    # first-token last layer: keys and values for every token, the rest for one
    flop_first_token = per_token * (tokens * (cfg.num_hidden_layers - 1) + 1) + 4 * cfg.hidden_size**2 * (tokens - 1)
    ceiling = {}
    for dtype in (torch.float32, torch.bfloat16):
        gflops = gemm_gflops(dtype, rows, cfg.hidden_size, cfg.intermediate_size)
        ceiling[str(dtype).removeprefix("torch.")] = {
            "gflops": round(gflops, 1),
            "pairs_per_s_all_tokens_all_layers": round(gflops * 1e9 / flop_per_pair, 1),
            "pairs_per_s_first_token_last_layer": round(gflops * 1e9 / flop_first_token, 1),
        }
    serial = statistics.median(times["serial"])
    result = {
        "model": "stancemap nli-minilm-l6, PyTorch form (build/nli-minilm-l6/torch)",
        "statements": len(texts),
        "hypotheses": len(hypotheses),
        "pairs": pairs,
        "mean_tokens_per_pair": round(float(np.mean(lengths)), 1),
        "steps": {
            name: {
                "seconds": [round(t, 3) for t in ts],
                "pairs_per_s": round(pairs / statistics.median(ts), 1),
                "vs_serial": round(serial / statistics.median(ts), 2),
                "max_abs_score_difference_from_serial": float(np.abs(scores[name] - scores["serial"]).max()),
            }
            for name, ts in times.items()
        },
        "matrix_product_ceiling": ceiling,
        "machine": {"cpu": cpu_name(), "torch_threads": THREADS, "torch": torch.__version__},
    }
    out = ROOT / "benchmarks/results/engine_steps.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
