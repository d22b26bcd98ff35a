"""Does more written data, real news sentences, or a second epoch make the fine-tuned encoder better on real news?

    python benchmarks/encoder_variants.py      # about 2 hours on 2 cores (eight encoders to train)
    python benchmarks/encoder_variants.py --only both-news3-2ep,shipped   # measure (and train) these, keep the rest

Encoders each trained as the first shipped one (``benchmarks/train_encoder.py``: same pairs recipe, seed, batch
and learning rate; the held-out debates kept out) and differing only in the folders of statements they read and
the number of epochs: the first written round (``data/synthetic``) for one epoch (the encoder shipped until
2026-12-01; the committed results measured it as it shipped, in float16) and for two, both written rounds (with
``data/synthetic/round2``) for one and two, and with the hand-labelled real news sentences of ``data/news/train``
added (issue 17: "what is missing is real news text"); then the shipped encoder as it ships (float16). Each is
measured by ``benchmarks/choose_labeller.py`` (development set: the direct labeller's 4-class macro-F1, seed and
other texts apart, and direction), ``benchmarks/heldout_debates.py`` on the three held-out written debates, and the
same on the real news sentences of debates no encoder trained on (``data/news/heldout``). Trained encoders are kept
in ``build/variants/`` and not retrained when present. Writes ``benchmarks/results/encoder_variants.json``; with
``--only``, measures only the variants named by folder (``shipped`` for the shipped one) and keeps the other rows.

The real news sentences grew in a second, third and fourth labelling round (``data/news/README.md``):
``data/news/train`` now holds all four. The variants "+ news (round 1)" were trained when it held round 1 only
(221 sentences; commit 4e68085), "+ news (rounds 1+2)" when it held two (798; commit 7f0faa0), "+ news (rounds 1-3)"
when it held three (1,100; commit fc222d3), "+ news (rounds 1-4)" when it held four, so retraining an earlier one
now would read all four; each row records how many held-out news sentences it was measured on (``news_heldout_n``:
173 for round 1 alone, 325 for two rounds, 476 for three, 726 for four). The rows "former default" are earlier
shipped encoders, measured as they shipped and kept from earlier runs.

Two ablations of the recipe, trained after round 4 (``--only news4-only-2ep,both-news4x2-2ep``, about 45 minutes
on 2 cores): the real news sentences alone, without the written statements (do the written statements still help
once there are 2,010 real ones?), and the written rounds with the real news read twice (does weighting the real
register more help?).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build/variants"
ROUND1, BOTH, NEWS = "data/synthetic", "data/synthetic,data/synthetic/round2", "data/news/train"
NEWS_HELDOUT = "data/news/heldout"
#: name -> (folder in build/variants, statement folders, epochs); None: the shipped encoder, measured as it ships.
VARIANTS = {
    "first: round 1, 1 epoch": ("round1-1ep", ROUND1, 1),
    "round 1, 2 epochs": ("round1-2ep", ROUND1, 2),
    "rounds 1+2, 1 epoch": ("both-1ep", BOTH, 1),
    "rounds 1+2, 2 epochs": ("both-2ep", BOTH, 2),
    "round 1 + news (round 1), 1 epoch": ("round1-news-1ep", f"{ROUND1},{NEWS}", 1),
    "rounds 1+2 + news (round 1), 1 epoch": ("both-news-1ep", f"{BOTH},{NEWS}", 1),
    "rounds 1+2 + news (round 1), 2 epochs": ("both-news-2ep", f"{BOTH},{NEWS}", 2),
    "rounds 1+2 + news (rounds 1+2), 2 epochs": ("both-news2-2ep", f"{BOTH},{NEWS}", 2),
    "rounds 1+2 + news (rounds 1-3), 2 epochs": ("both-news3-2ep", f"{BOTH},{NEWS}", 2),
    "rounds 1+2 + news (rounds 1-4), 2 epochs": ("both-news4-2ep", f"{BOTH},{NEWS}", 2),
    "news (rounds 1-4) only, no written statements, 2 epochs": ("news4-only-2ep", NEWS, 2),
    "rounds 1+2 + news (rounds 1-4) counted twice, 2 epochs": ("both-news4x2-2ep", f"{BOTH},{NEWS},{NEWS}", 2),
    "shipped (rounds 1+2 + news (rounds 1-3), 2 epochs, float16)": None,
}


SHOWN = ("dev_macro_f1", "dev_direction", "heldout_macro_f1", "heldout_direction", "news_heldout_macro_f1")


def run(*args: str) -> None:
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated variant folders (or 'shipped') to measure")
    only = {v for v in parser.parse_args().only.split(",") if v}
    known = {recipe[0] if recipe else "shipped" for recipe in VARIANTS.values()}
    if only - known:
        parser.error(f"--only: no variant {', '.join(sorted(only - known))}; choose from {', '.join(sorted(known))}")
    BUILD.mkdir(parents=True, exist_ok=True)
    out = ROOT / "benchmarks/results/encoder_variants.json"
    results = json.loads(out.read_text(encoding="utf-8")) if only and out.exists() else {}
    for name, recipe in VARIANTS.items():
        if only and (recipe[0] if recipe else "shipped") not in only:  # the folder, as in ``known``
            continue
        if recipe is None:
            model = "stance-minilm-l6"
        else:
            folder, written, epochs = recipe
            model = str(BUILD / folder)
            if not (Path(model) / "config.json").exists():
                run("benchmarks/train_encoder.py", "--written", written, "--epochs", str(epochs), "--out", model)
        dev_json, held_json, news_json = BUILD / "dev.json", BUILD / "heldout.json", BUILD / "news.json"
        for path in (dev_json, held_json, news_json):
            path.unlink(missing_ok=True)
        run("benchmarks/choose_labeller.py", "--embedding", model, "--out", str(dev_json))
        run("benchmarks/heldout_debates.py", "--backend", "embedding", "--name", model, "--out", str(held_json))
        run(
            "benchmarks/heldout_debates.py",
            *("--backend", "embedding", "--name", model, "--out", str(news_json), "--statements", NEWS_HELDOUT),
        )
        dev = json.loads(dev_json.read_text())
        held = next(iter(json.loads(held_json.read_text()).values()))
        news = next(iter(json.loads(news_json.read_text()).values()))
        embedding = dev["labellers"]["embedding"]
        results[name] = {
            "dev_macro_f1": embedding["macro_f1_5fold_cv"],
            "dev_macro_f1_seed": embedding["macro_f1_seed"],
            "dev_macro_f1_other": embedding["macro_f1_other"],
            "dev_f1_per_label": embedding["f1_per_label"],
            "dev_direction": dev["direction_accuracy"]["embedding"],
            "heldout_macro_f1": held["macro_f1_5fold_cv"],
            "heldout_direction": held["direction_accuracy"],
            "heldout_events_none": held["events_labelled_none"],
            "news_heldout_macro_f1": news["macro_f1_5fold_cv"],
            "news_heldout_f1_per_label": news["f1_per_label"],
            "news_heldout_direction": news["direction_accuracy"],
            "news_heldout_events_none": news["events_labelled_none"],
            "news_heldout_n": news["n"],
            "model": held["model"],
        }
        print(name, {k: v for k, v in results[name].items() if k in SHOWN}, flush=True)
    # VARIANTS' order, then rows of encoders no longer in VARIANTS (a former default, kept as measured)
    results = {
        **{n: results[n] for n in VARIANTS if n in results},
        **{n: r for n, r in results.items() if n not in VARIANTS},
    }
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
