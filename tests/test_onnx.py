"""The onnx backend and the exporter, offline: the tiny random-weight BERT NLI model of conftest, exported to ONNX.

Random weights say nothing about stance; the tests check that the ONNX path reads exactly what the torch path
reads (same tokens, same truncation, the same logits for an fp32 export), that int8 quantisation keeps the
decisions, that the manifest catches a changed file, and that scoring never imports torch.
"""

import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import LABEL2ID

from stancemap.io import InputError
from stancemap.models import load_scorer, weights_sha256
from stancemap.models.cache import model_key, score_matrix
from stancemap.models.manifest import MANIFEST, verify_manifest
from stancemap.training.export import export_onnx

WORDS = [
    "we",
    "should",
    "talk",
    "to",
    "moscow",
    "about",
    "peace",
    "tanks",
    "send",
    "allies",
    "weapons",
    "war",
    "ceasefire",
    "now",
    "never",
    "the",
    "russia",
    "ukraine",
    "germany",
    "negotiations",
    "arrive",
    "next",
    "week",
]


def pairs(n=36, seed=1):
    rng = np.random.default_rng(seed)
    premises = [" ".join(rng.choice(WORDS, rng.integers(1, 40))).capitalize() + "." for _ in range(n)]
    hypotheses = [f"The speaker {' '.join(rng.choice(WORDS, rng.integers(2, 8)))}." for _ in range(n)]
    return premises, hypotheses


@pytest.fixture(scope="module")
def exported(tiny_nli, tmp_path_factory):
    """The tiny model exported twice: int8 (the default) and fp32."""
    int8, fp32 = tmp_path_factory.mktemp("onnx-int8"), tmp_path_factory.mktemp("onnx-fp32")
    return {"int8": (int8, export_onnx(tiny_nli, int8)), "fp32": (fp32, export_onnx(tiny_nli, fp32, quantize=False))}


def test_export_writes_the_folder_and_its_manifest(exported):
    folder, table = exported["int8"]
    assert {"model.onnx", "tokenizer.json", "config.json"} <= set(table)
    assert sorted(p.name for p in folder.iterdir()) == sorted([*table, MANIFEST])  # no fp32 copy left behind
    lines = (folder / MANIFEST).read_text().splitlines()
    assert lines == [f"{info['sha256']}  {name}" for name, info in table.items()]
    verify_manifest(folder)
    if shutil.which("sha256sum"):  # the manifest is plain sha256sum format
        subprocess.run(["sha256sum", "--quiet", "-c", MANIFEST], cwd=folder, check=True)
    import json

    config = json.loads((folder / "config.json").read_text())
    assert config["label2id"] == LABEL2ID and config["id2label"] == {str(v): k for k, v in LABEL2ID.items()}
    # a BERT classifier: the last layer for the first token only (test_fp32_export_gives_the_torch_logits
    # compares with the torch scorer, test_nli with the model's own forward pass)
    assert config["stancemap_forward"] == "first-token"
    assert load_scorer({"backend": "onnx", "name": str(folder)}).fingerprint()["forward"] == "first-token"
    assert table["model.onnx"]["sha256"] != exported["fp32"][1]["model.onnx"]["sha256"]


def test_export_is_byte_reproducible(tiny_nli, exported, tmp_path):
    assert export_onnx(tiny_nli, tmp_path) == exported["int8"][1]


@pytest.mark.parametrize("name", ["model.onnx", "tokenizer.json"])
def test_a_changed_byte_is_caught_and_the_file_named(exported, tmp_path, name):
    folder = tmp_path / "model"
    shutil.copytree(exported["int8"][0], folder)
    data = bytearray((folder / name).read_bytes())
    data[len(data) // 2] ^= 1
    (folder / name).write_bytes(bytes(data))
    with pytest.raises(InputError, match=name):
        verify_manifest(folder)
    with pytest.raises(InputError, match=name):  # the scorer checks the manifest before loading
        load_scorer({"backend": "onnx", "name": str(folder)})
    (folder / name).unlink()
    with pytest.raises(InputError, match=f"{name}: listed in {MANIFEST} but missing"):
        verify_manifest(folder)


def test_fp32_export_gives_the_torch_logits(tiny_nli, exported):
    premises, hypotheses = pairs()
    torch_scorer = load_scorer({"backend": "nli", "name": str(tiny_nli), "max_length": 48})
    onnx_scorer = load_scorer({"backend": "onnx", "name": str(exported["fp32"][0]), "max_length": 48, "batch_size": 5})
    # the same tokens from tokenizer.json alone as from transformers' tokenizer, truncation included
    assert [e.ids for e in onnx_scorer._encode(premises, hypotheses)] == [
        e.ids for e in torch_scorer._encode(premises, hypotheses)
    ]
    np.testing.assert_allclose(
        onnx_scorer._logits(premises, hypotheses), torch_scorer._logits(premises, hypotheses), atol=1e-4, rtol=0
    )
    np.testing.assert_allclose(
        onnx_scorer.score_pairs(premises, hypotheses), torch_scorer.score_pairs(premises, hypotheses), atol=1e-5
    )


def test_int8_export_keeps_the_decisions(tiny_nli, exported):
    premises, hypotheses = pairs()
    torch_probs = load_scorer({"backend": "nli", "name": str(tiny_nli)}).pair_probabilities(premises, hypotheses)
    onnx_probs = load_scorer({"backend": "onnx", "name": str(exported["int8"][0])}).pair_probabilities(
        premises, hypotheses
    )
    assert (onnx_probs.argmax(1) == torch_probs.argmax(1)).mean() >= 0.95
    np.testing.assert_allclose(onnx_probs, torch_probs, atol=0.01)


def test_scores_shape_range_and_batch_size(exported):
    premises, hypotheses = pairs(12)
    folder = str(exported["int8"][0])
    scorer = load_scorer({"backend": "onnx", "name": folder})
    scores = scorer.score_pairs(premises, hypotheses)
    assert scores.shape == (12,) and scores.dtype == np.float32 and ((scores > 0) & (scores < 1)).all()
    probs = scorer.pair_probabilities(premises, hypotheses)
    assert probs.shape == (12, 3) and scorer.CLASSES == ("entailment", "neutral", "contradiction")
    np.testing.assert_allclose(probs.sum(1), 1, atol=1e-6)
    assert scorer.score_pairs([], []).shape == (0,)
    assert scorer.batch_size == 1  # int8: every pair alone, whatever batch_size says
    folder = str(exported["fp32"][0])
    big = load_scorer({"backend": "onnx", "name": folder, "batch_size": 64})
    one = load_scorer({"backend": "onnx", "name": folder, "batch_size": 1, "threads": 1})
    assert big.batch_size == 64
    np.testing.assert_allclose(
        score_matrix(big, premises[:3], hypotheses[:2]), score_matrix(one, premises[:3], hypotheses[:2]), atol=1e-5
    )


def test_an_int8_score_does_not_depend_on_the_other_pairs(exported):
    """Dynamic int8 quantisation scales activations by the whole batch, so the scorer runs an int8 model one
    pair at a time: a pair scored alone (a warm-cache rerun) gets exactly its score from a full run."""
    premises, hypotheses = pairs(12)
    scorer = load_scorer({"backend": "onnx", "name": str(exported["int8"][0]), "threads": 2})
    assert scorer.per_pair and not load_scorer({"backend": "onnx", "name": str(exported["fp32"][0])}).per_pair
    together = scorer.score_pairs(premises, hypotheses)
    alone = np.array([scorer.score_pairs([p], [h])[0] for p, h in zip(premises, hypotheses)])
    assert np.array_equal(together, alone)


def test_only_the_premise_is_truncated(tiny_nli, exported):
    folder = str(exported["fp32"][0])
    scorer = load_scorer({"backend": "onnx", "name": folder, "max_length": 32})
    premise = "Talks with Russia were discussed at length again. " * 20
    hypothesis = "The speaker wants negotiations with Russia to end the war."
    (pair,) = scorer._encode([premise], [hypothesis])
    hyp_ids = scorer._backend.encode(hypothesis, add_special_tokens=False).ids
    assert len(pair.ids) == 32 and pair.ids[-len(hyp_ids) - 1 : -1] == hyp_ids  # the hypothesis whole, at the end
    torch_scorer = load_scorer({"backend": "nli", "name": str(tiny_nli), "max_length": 32})
    assert scorer.score_pairs([premise], [hypothesis])[0] == pytest.approx(
        torch_scorer.score_pairs([premise], [hypothesis])[0], abs=1e-5
    )
    assert scorer.truncated([premise, "Short."], [hypothesis]) == 1
    with pytest.raises(InputError, match="hypothesis is longer"):
        scorer.score_pairs(["Short."], ["word " * 40])


def test_fingerprint_covers_the_onnx_weights(tiny_nli, exported):
    folder = exported["int8"][0]
    fp = load_scorer({"backend": "onnx", "name": str(folder)}).fingerprint()
    assert fp["backend"] == "onnx" and fp["entailment_index"] == LABEL2ID["ENTAILMENT"]
    assert fp["weights_sha256"] == weights_sha256(folder) and len(fp["weights_sha256"]) == 64
    fp32 = load_scorer({"backend": "onnx", "name": str(exported["fp32"][0])}).fingerprint()
    torch_fp = load_scorer({"backend": "nli", "name": str(tiny_nli)}).fingerprint()
    assert len({model_key(fp), model_key(fp32), model_key(torch_fp)}) == 3  # never share cached scores


def test_scoring_never_imports_torch(exported):
    code = (
        "import sys\n"
        "from stancemap.models import load_scorer\n"
        "scorer = load_scorer({'backend': 'onnx', 'name': sys.argv[1]})\n"
        "scores = scorer.score_pairs(['We should talk to Moscow.', 'Send tanks.'], ['The speaker wants talks.'] * 2)\n"
        "assert scores.shape == (2,), scores\n"
        "scorer.pair_probabilities(['We should talk.'], ['Talks.']); scorer.fingerprint()\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'transformers'))\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code, str(exported["int8"][0])], check=True, timeout=120)


def test_a_missing_folder_is_named(tmp_path, monkeypatch):
    missing = tmp_path / "no-such-model"
    with pytest.raises(InputError, match="no-such-model"):
        load_scorer({"backend": "onnx", "name": str(missing)})
    import stancemap.models.onnx as onnx_backend

    monkeypatch.setattr(onnx_backend, "default_weights_path", lambda: tmp_path / "nli-minilm-l6")
    with pytest.raises(InputError, match="nli-minilm-l6.*shipped model folder"):
        load_scorer({"backend": "onnx", "name": "default"})


def test_the_shipped_model_loads_when_present():
    from stancemap.models.onnx import default_weights_path

    if not (default_weights_path() / "model.onnx").is_file():
        pytest.skip(f"no shipped model yet in {default_weights_path()}")
    verify_manifest(default_weights_path())
    scorer = load_scorer({"backend": "onnx", "name": "default"})
    assert scorer.score_pairs(["We should talk to Moscow."], ["The speaker wants negotiations."]).shape == (1,)


def test_the_config_schema_accepts_the_onnx_backend(config):
    import copy

    from conftest import ROOT
    from snakemake.utils import validate

    cfg = copy.deepcopy(config)
    cfg["model"] = {"backend": "onnx", "name": "default"}
    validate(cfg, str(ROOT / "workflow/schemas/config.schema.yaml"))
