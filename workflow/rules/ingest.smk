rule article_text:
    """Decode one raw article into the text every offset refers to, plus its metadata."""
    input:
        raw_file,
    output:
        text="data/processed/{article}/text.txt",
        meta="data/processed/{article}/meta.json",
    log:
        "logs/ingest/{article}.log",
    params:
        max_bytes=config["ingest"]["max_bytes"],
    script:
        "../scripts/ingest.py"
