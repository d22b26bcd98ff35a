# Training the shipped NLI cross-encoder: not part of `all`; run `snakemake train_model measure_model --cores 2`.
import yaml

TRAIN = yaml.safe_load(Path("config/train.yaml").read_text(encoding="utf-8"))
validate(TRAIN, schema="../schemas/train.schema.yaml")


rule train_model:
    """Fine-tune MiniLM-L6 into an NLI cross-encoder (about an hour on 2 CPU cores)."""
    input:
        data=TRAIN["data"],
    output:
        model=directory(f"{TRAIN['out']}/torch"),
    log:
        f"logs/train/train_model.log",
    threads: 2
    resources:
        mem_mb=4000,  # measured peak: 2.9 GB resident
    params:
        train=TRAIN,
    script:
        "../scripts/train_model.py"


rule export_model:
    """ONNX with dynamic int8 quantisation, tokenizer, config and sha256 manifest: what ships."""
    input:
        model=f"{TRAIN['out']}/torch",
    output:
        onnx=directory(f"{TRAIN['out']}/onnx"),
    log:
        "logs/train/export_model.log",
    script:
        "../scripts/export_model.py"


rule measure_model:
    """Held-out accuracy of the ONNX and PyTorch forms, their agreement, and the model card."""
    input:
        model=f"{TRAIN['out']}/torch",
        onnx=f"{TRAIN['out']}/onnx",
        data=TRAIN["data"],
    output:
        metrics=f"{TRAIN['out']}/metrics.json",
        card=f"{TRAIN['out']}/MODEL_CARD.md",
    log:
        "logs/train/measure_model.log",
    threads: 2
    params:
        train=TRAIN,
    script:
        "../scripts/measure_model.py"
