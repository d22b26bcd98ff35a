"""The config schema catches mistakes before any job starts, naming the key."""

import copy

import pytest
from conftest import ROOT
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

SCHEMA = str(ROOT / "workflow/schemas/config.schema.yaml")


def check(config):
    validate(copy.deepcopy(config), SCHEMA)


def broken(config, path, value):
    config = copy.deepcopy(config)
    *parents, key = path
    node = config
    for p in parents:
        node = node[p]
    node[key] = value
    return config


def test_project_config_is_valid(config):
    check(config)


@pytest.mark.parametrize(
    "path, value, words",
    [
        (["labels"], {}, "labels"),
        (["labels", "pro_negotiation", "hypotheses"], [], "hypotheses"),
        (["labels", "pro_negotiation", "hypotheses"], ["  "], "hypotheses"),
        (["none", "threshold"], 1.5, "threshold"),
        (["none", "strategy"], "vote", "strategy"),
        (["model", "backend"], "onnx-magic", "backend"),
        (["raw_dir"], "../elsewhere", "raw_dir"),
        (["raw_dir"], "/etc", "raw_dir"),
        (["gold_dir"], "data/../../gold", "gold_dir"),
        (["modle"], {}, "modle"),
    ],
)
def test_bad_values_are_named(config, path, value, words):
    with pytest.raises(WorkflowError, match=words):
        check(broken(config, path, value))


def test_none_is_not_a_label_name(config):
    with pytest.raises(WorkflowError):
        check(broken(config, ["labels", "none"], {"hypotheses": ["x"]}))
