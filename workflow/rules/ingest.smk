checkpoint decode_article:
    """Decode one raw article into the text every offset refers to, plus its metadata.

    A checkpoint: a bad file is recorded in meta.json (status: failed) instead of failing the job, and the
    workflow leaves that article out of everything downstream (see results/failures.csv).
    """
    input:
        raw_file,
    output:
        text="data/processed/{article}/text.txt",
        meta="data/processed/{article}/meta.json",
    log:
        "logs/decode_article/{article}.log",
    params:
        max_bytes=config["ingest"]["max_bytes"],
        require_english=config["ingest"]["require_english"],
    run:
        run_script(rule, input, output, params, wildcards, threads, log)


rule list_failures:
    """Every article left out of the analysis, with the reason (header only when none)."""
    input:
        expand("data/processed/{article}/meta.json", article=sorted(ARTICLES)),
    output:
        table="results/failures.csv",
        html=report(
            "results/failures.html",
            caption="../report/failures.rst",
            category="Provenance and failures",
            labels={"table": "failures"},
        ),
    log:
        "logs/list_failures.log",
    run:
        run_script(rule, input, output, params, wildcards, threads, log)
