import os

# Tests never reach a model hub: the default model ships in a package, the NLI test model is built locally.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def config() -> dict:
    """The project's config, validated and with defaults filled in, as the workflow sees it."""
    from snakemake.utils import validate

    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    validate(cfg, str(ROOT / "workflow/schemas/config.schema.yaml"))
    cfg["cache_dir"] = ""  # tests never read or write the project's prediction cache
    return cfg


@pytest.fixture(scope="session")
def embedding_scorer(config):
    from stancemap.models import load_scorer

    return load_scorer(config["model"])


LABEL2ID = {"CONTRADICTION": 0, "ENTAILMENT": 1, "NEUTRAL": 2}  # not the usual order, on purpose


@pytest.fixture(scope="session")
def tiny_nli(tmp_path_factory):
    """A tiny random-weight BERT NLI model saved to a folder: the Hugging Face NLI path without a download."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from stancemap.models.embedding import default_model_path

    folder = tmp_path_factory.mktemp("tiny-nli")
    tokenizer = AutoTokenizer.from_pretrained(default_model_path())
    torch.manual_seed(0)
    model = BertForSequenceClassification(
        BertConfig(
            vocab_size=tokenizer.vocab_size,
            hidden_size=32,
            num_hidden_layers=2,
            num_attention_heads=2,
            intermediate_size=37,
            max_position_embeddings=512,
            num_labels=3,
            label2id=LABEL2ID,
            id2label={v: k for k, v in LABEL2ID.items()},
        )
    )
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def evaluation_outputs(folder):
    """The evaluate_labels rule's named outputs, under ``folder``."""
    names = {
        "metrics": "metrics.json",
        "per_label": "per_label.csv",
        "per_label_md": "per_label.md",
        "matched": "matched.csv",
        "confusion": "confusion_matrix.png",
        "confusion_svg": "confusion_matrix.svg",
        "reliability": "reliability.png",
        "reliability_svg": "reliability.svg",
    }
    return {key: folder / name for key, name in names.items()}
