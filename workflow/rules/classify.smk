rule classify_statements:
    """Label every statement with a zero-shot stance model; record provenance in run.json."""
    input:
        statements="data/processed/{article}/statements.csv",
        meta="data/processed/{article}/meta.json",
    output:
        stances="results/{article}/stances.csv",
        run="results/{article}/run.json",
    log:
        "logs/classify_statements/{article}.log",
    # One thread: two jobs at once on two cores do more than one job on both (the steps between matrix products
    # barely parallelise), and a job with two threads would run alone (README, "Scale").
    threads: 1
    resources:
        # Measured peak of a classify job with the default model: 0.57 GB (README, "Measurements").
        mem_mb=1000,
    params:
        stance=stance_config(),
        cache_dir=config["cache_dir"],
    run:
        run_script(rule, input, output, params, wildcards, threads, log)


rule vary_hypotheses:
    """Labels under each single phrasing of the hypotheses: how fragile each label is to wording."""
    input:
        statements="data/processed/{article}/statements.csv",
        stances="results/{article}/stances.csv",  # classified first, so the scores come from the cache
    output:
        "results/{article}/sensitivity_labels.csv",
    log:
        "logs/vary_hypotheses/{article}.log",
    threads: 1
    resources:
        mem_mb=1000,
    params:
        stance=stance_config(),
        cache_dir=config["cache_dir"],
    run:
        run_script(rule, input, output, params, wildcards, threads, log)
