rule stances:
    """Label every statement with a zero-shot stance model; record provenance in run.json."""
    input:
        statements="data/processed/{article}/statements.csv",
        meta="data/processed/{article}/meta.json",
    output:
        stances="results/{article}/stances.csv",
        run="results/{article}/run.json",
    log:
        "logs/classify/{article}.log",
    # Two threads: the machines this runs on have two cores; more threads than cores slows torch down.
    threads: 2
    resources:
        # Measured peak of the default model on the seed article is about 0.9 GB (see README).
        mem_mb=1500,
    params:
        stance=stance_config(),
    script:
        "../scripts/classify.py"
