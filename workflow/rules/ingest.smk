rule decode_article:
    """Decode one raw article into the text every offset refers to, plus its metadata.

    A bad file is recorded in meta.json (status: failed) instead of failing the job; the checkpoint list_failures
    then leaves that article out of everything downstream.
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


checkpoint list_failures:
    """Every article left out of the analysis, with the reason (header only when none).

    The workflow's one checkpoint: the jobs after ingest are planned once, when every article is decoded. A
    checkpoint per article made Snakemake re-plan the whole graph after each decode, so its own CPU and memory grew
    with the square of the corpus (README, "Scale").
    """
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
