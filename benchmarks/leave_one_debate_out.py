"""Leave-one-debate-out for the fine-tuned encoder: did it learn direction, or our debates?

    python benchmarks/leave_one_debate_out.py [--epochs 0.5] [--threads 1]   # about 18 x 5 minutes on one core

For each of the 18 written debates (``data/synthetic/``): fine-tune the encoder exactly as
``benchmarks/train_encoder.py`` does, on the other 17 debates' statements only, then score the left-out debate's
statements against its own propositions, as ``heldout_debates.py`` scores the three debates no shipped model trained
on. The plain encoder (no fine-tuning) is scored on the same statements for comparison. Each debate's scores are
written to ``build/lodo/scores.csv`` as soon as they exist, so an interrupted run resumes where it stopped.
Metrics are pooled over all 3,330 statements (4-class macro-F1 with the none threshold by 5-fold cross-validation,
direction accuracy on pro/anti statements, event reports and denials labelled none) and given per debate; written
to ``benchmarks/results/leave_one_debate_out.json``.

``--epochs`` is the training budget per left-out debate; the shipped encoder had one epoch over 15 debates. A
budget below one is said in the results file (it is what fits 18 trainings into a session on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from heldout_debates import side_scores, written_metrics

from stancemap.models import load_scorer
from stancemap.training.encoder import encoder_pairs, train_encoder

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["statement_id", "debate", "model", "pro", "anti", "alliance"]


def metrics(statements: pd.DataFrame, scores: np.ndarray) -> dict:
    """:func:`heldout_debates.written_metrics`, and the debates that score worst."""
    found = written_metrics(statements, scores)
    per_debate = found["per_debate"]
    found["worst_debate_macro_f1"] = min(per_debate.items(), key=lambda kv: kv[1]["macro_f1"])
    found["worst_debate_direction"] = min(per_debate.items(), key=lambda kv: kv[1]["direction_accuracy"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=float, default=0.5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--work", default=str(ROOT / "build/lodo"))
    parser.add_argument("--only", default="", help="comma-separated debates to leave out (a quick check); default all")
    parser.add_argument(
        "--report-only", action="store_true", help="no training: metrics over the debates already left out"
    )
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/leave_one_debate_out.json"))
    args = parser.parse_args()
    train = yaml.safe_load((ROOT / "config/train.yaml").read_text())
    folder = ROOT / train["written"]
    statements = pd.read_csv(folder / "statements.csv", keep_default_na=False)
    propositions = pd.read_csv(folder / "propositions.csv", keep_default_na=False)
    debates = sorted(statements["debate"].unique())
    if args.only:
        statements = statements[statements["debate"].isin(args.only.split(","))].reset_index(drop=True)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    saved = work / "scores.csv"
    done = pd.read_csv(saved) if saved.is_file() else pd.DataFrame(columns=COLUMNS)

    def record(rows: pd.DataFrame, model: str, scores: np.ndarray) -> None:
        nonlocal done
        part = pd.DataFrame(scores, columns=["pro", "anti", "alliance"])
        part.insert(0, "model", model)
        part.insert(0, "debate", rows["debate"].to_numpy())
        part.insert(0, "statement_id", rows["statement_id"].to_numpy())
        done = pd.concat([done, part], ignore_index=True)
        done.to_csv(saved, index=False)

    missing = statements[~statements["debate"].isin(done.loc[done["model"] == "plain", "debate"])]
    if len(missing):
        plain = load_scorer({"backend": "embedding", "name": "default"})
        record(missing, "plain", side_scores(missing, propositions, plain, "embedding"))
    runs = json.loads((work / "runs.json").read_text()) if (work / "runs.json").is_file() else {}
    if args.report_only:
        statements = statements[statements["debate"].isin(done.loc[done["model"] == "lodo", "debate"])]
        statements = statements.reset_index(drop=True)
    for debate in sorted(statements["debate"].unique()):
        if ((done["model"] == "lodo") & (done["debate"] == debate)).any():
            continue
        pairs = encoder_pairs(folder, [d for d in debates if d != debate], seed=train["seed"])
        model_dir = work / "model"
        runs[debate] = train_encoder(pairs, model_dir, epochs=args.epochs, seed=train["seed"], threads=args.threads)
        rows = statements[statements["debate"] == debate]
        scorer = load_scorer({"backend": "embedding", "name": str(model_dir)})
        record(rows, "lodo", side_scores(rows, propositions, scorer, "embedding"))
        shutil.rmtree(model_dir)
        (work / "runs.json").write_text(json.dumps(runs, indent=1) + "\n")
        print(f"{debate}: done ({runs[debate]['seconds']} s)", flush=True)

    result = {
        "debates_left_out": sorted(statements["debate"].unique()),
        "epochs": args.epochs,
        "note": "one encoder per left-out debate, trained on the other 17 (train_encoder.py's recipe); pooled over "
        "all written statements, each scored only by the encoder that never saw its debate",
        "training_seconds": {d: r["seconds"] for d, r in runs.items()},
        "pairs_per_training": {d: r["pairs"] for d, r in runs.items()},
    }
    for model in ("plain", "lodo"):
        part = done[done["model"] == model].set_index(["debate", "statement_id"])
        part = part.loc[pd.MultiIndex.from_frame(statements[["debate", "statement_id"]])]
        result[model] = metrics(statements, part[["pro", "anti", "alliance"]].to_numpy(dtype=float))
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        json.dumps({m: {k: v for k, v in result[m].items() if k != "per_debate"} for m in ("plain", "lodo")}, indent=1)
    )


if __name__ == "__main__":
    main()
