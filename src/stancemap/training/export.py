"""Export a Hugging Face NLI model to the folder the ``onnx`` backend reads (:mod:`stancemap.models.onnx`).

``export_onnx(model_dir, out_dir)`` writes:

- ``model.onnx``: the sequence-classification model (inputs ``input_ids``, ``attention_mask`` and, when the model
  takes them, ``token_type_ids``, with dynamic batch and sequence axes; output ``logits``), by default with its
  weights quantised to int8 (dynamic quantisation, per channel; see :func:`_quantize` for which). A BERT
  classifier is exported with its last layer computed for the first token only
  (:class:`stancemap.models.nli.FirstTokenClassifier`, used when its logits match the model's): about 14% less
  arithmetic in a six-layer model; ``config.json`` then says ``"stancemap_forward": "first-token"``;
- ``tokenizer.json`` (and ``tokenizer_config.json`` / ``special_tokens_map.json`` when the model has them);
- ``config.json`` with ``id2label`` / ``label2id``;
- ``MANIFEST.sha256``: ``sha256sum`` lines for every other file, checked with ``sha256sum -c MANIFEST.sha256`` or
  :func:`verify_manifest`.

torch, transformers and onnx are needed here only, at export time; they are imported inside
:func:`export_onnx`, so :func:`verify_manifest` (which the scorer calls) stays torch-free.

Command line: ``python -m stancemap.training.export MODEL_DIR OUT_DIR [--no-quantize]``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import shutil
import tempfile
from pathlib import Path

from ..io import InputError, write_text
from ..models.manifest import MANIFEST, write_manifest

#: Tokenizer files copied next to the model when the source folder has them (tokenizer.json is required).
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
#: The inputs a sequence-classification model may take, in the order they are exported.
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17


def _export_fp32(model, inputs: dict, path: Path) -> None:
    """torch.onnx.export with the legacy (TorchScript) exporter; the model is called with keyword arguments."""
    import torch

    names = list(inputs)
    axes = {name: {0: "batch", 1: "sequence"} for name in names}
    axes["logits"] = {0: "batch"}
    with torch.inference_mode():
        torch.onnx.export(
            model,
            (),
            str(path),
            kwargs=inputs,
            input_names=names,
            output_names=["logits"],
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def _quantize(src: Path, dst: Path) -> None:
    """Dynamic int8, per channel, for the attention MatMuls and the embedding tables (Gather); the feed-forward
    MatMuls keep float weights, stored as float16 and cast to float32 when the session loads. Feed-forward means a
    MatMul with a constant non-square weight: right for BERT-style layouts (square attention projections, an
    intermediate size unlike the hidden size); in a model with an embedding projection (ALBERT, ELECTRA) that
    projection stays float too.

    Why: the feed-forward layers read GELU activations, whose outliers make a per-tensor int8 activation scale
    coarse. Measured on our MiniLM-L6 cross-encoder (held-out pairs, same argmax as the PyTorch model): every
    MatMul int8, 95.8%; all but the feed-forward output projections, 97.5% (6,270 pairs); no feed-forward MatMul
    int8, 98.9% (800 pairs), but 44 MB with float32 weights: float16 storage halves them. The embeddings in fp32
    would be 47 MB alone; int8 they cost no measurable agreement.
    """
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(src), load_external_data=False).graph
    # The feed-forward MatMuls are those with a constant, non-square weight (hidden x intermediate and back); the
    # attention projections are square (hidden x hidden).
    shapes = {i.name: tuple(i.dims) for i in graph.initializer}
    feed_forward = [
        n.name
        for n in graph.node
        if n.op_type == "MatMul" and len(shapes.get(n.input[1], ())) == 2 and len(set(shapes[n.input[1]])) == 2
    ]
    quantize_dynamic(
        src,
        dst,
        per_channel=True,
        op_types_to_quantize=["MatMul", "Gather"],
        weight_type=QuantType.QInt8,
        nodes_to_exclude=feed_forward,
    )
    model = onnx.load(str(dst))
    inits = {i.name: i for i in model.graph.initializer}
    casts = []
    for node in model.graph.node:
        if node.name in feed_forward and node.input[1] in inits:
            weight = inits.pop(node.input[1])
            model.graph.initializer.remove(weight)
            half = numpy_helper.from_array(numpy_helper.to_array(weight).astype(np.float16), weight.name + "_fp16")
            model.graph.initializer.append(half)
            casts.append(
                helper.make_node("Cast", [half.name], [weight.name], to=TensorProto.FLOAT, name=weight.name + "_cast")
            )
    for cast in reversed(casts):
        model.graph.node.insert(0, cast)
    onnx.save(model, str(dst))


def export_onnx(model_dir: Path, out_dir: Path, *, quantize: bool = True) -> dict:
    """Export the sequence-classification NLI model saved in ``model_dir`` (``save_pretrained``, tokenizer included)
    to ``out_dir``; see the module docstring for what is written. Returns :func:`file_table` of ``out_dir``.

    The output is byte-reproducible: the same model folder and package versions give the same files.
    """
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from ..models.crossencoder import entailment_index
    from ..models.nli import FirstTokenClassifier, first_token_applies

    model_dir, out_dir = Path(model_dir), Path(out_dir)
    if not (model_dir / "config.json").is_file():
        raise InputError(f"{model_dir}: not a Hugging Face model folder (no config.json)")
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    if not tokenizer.is_fast:
        raise InputError(f"{model_dir}: the tokenizer has no fast (tokenizer.json) version; the onnx backend needs one")
    model = AutoModelForSequenceClassification.from_pretrained(model_dir, trust_remote_code=False).eval()
    entailment_index(model.config.label2id)  # refuse a model that is not NLI before writing anything

    takes = inspect.signature(model.forward).parameters
    names = [n for n in INPUTS if n in takes and (n != "token_type_ids" or n in tokenizer.model_input_names)]
    sample = tokenizer(
        ["We should talk to Moscow about a ceasefire now.", "Fine."],
        ["The speaker wants negotiations.", "Allies send weapons."],
        padding=True,
        return_tensors="pt",
    )
    inputs = {n: sample[n] for n in names if n in sample}
    first_token = first_token_applies(model, inputs)

    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in [*out_dir.glob("*.onnx"), *out_dir.glob("*.onnx.data"), out_dir / MANIFEST]:
        stale.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.onnx"
        _export_fp32(FirstTokenClassifier(model).eval() if first_token else model, inputs, fp32)
        if quantize:
            _quantize(fp32, out_dir / "model.onnx")
        else:
            shutil.copyfile(fp32, out_dir / "model.onnx")

        # The tokenizer as the model folder has it, or as transformers writes it when the folder has no
        # tokenizer.json (e.g. only a vocab file).
        source = model_dir
        if not (model_dir / "tokenizer.json").is_file():
            source = Path(tmp) / "tokenizer"
            tokenizer.save_pretrained(source)
        for name in TOKENIZER_FILES:
            if (source / name).is_file():
                shutil.copyfile(source / name, out_dir / name)

    config = json.loads((model_dir / "config.json").read_text())
    config["id2label"] = {str(i): label for i, label in sorted(model.config.id2label.items())}
    config["label2id"] = dict(sorted(model.config.label2id.items(), key=lambda kv: kv[1]))
    config["stancemap_forward"] = "first-token" if first_token else "full"
    write_text(out_dir / "config.json", json.dumps(config, indent=2, sort_keys=True) + "\n")
    return write_manifest(out_dir)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m stancemap.training.export", description=__doc__.split("\n\n")[0])
    parser.add_argument("model_dir", type=Path, help="Hugging Face model folder (save_pretrained, with tokenizer)")
    parser.add_argument("out_dir", type=Path, help="folder to write model.onnx, tokenizer and manifest to")
    parser.add_argument("--no-quantize", dest="quantize", action="store_false", help="keep fp32 weights")
    args = parser.parse_args(argv)
    for name, info in export_onnx(args.model_dir, args.out_dir, quantize=args.quantize).items():
        print(f"{info['sha256']}  {info['bytes']:>12,d}  {name}")


if __name__ == "__main__":
    main()
