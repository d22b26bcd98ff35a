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
        # Measured peak of a classify job with the default model: 0.57 GB (README, "Measurements").
        mem_mb=1000,
    params:
        stance=stance_config(),
        cache_dir=config["cache_dir"],
    script:
        "../scripts/classify.py"


rule sensitivity:
    """Labels under each single phrasing of the hypotheses: how fragile each label is to wording."""
    input:
        statements="data/processed/{article}/statements.csv",
        stances="results/{article}/stances.csv",  # classified first, so the scores come from the cache
    output:
        labels="results/{article}/sensitivity_labels.csv",
        table="results/{article}/tables/sensitivity.csv",
        table_md="results/{article}/tables/sensitivity.md",
        figure=report(
            "results/{article}/figures/sensitivity.png",
            caption="../report/sensitivity.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "figure": "sensitivity to wording"},
        ),
        svg="results/{article}/figures/sensitivity.svg",
    log:
        "logs/sensitivity/{article}.log",
    threads: 2
    resources:
        mem_mb=1000,
    params:
        stance=stance_config(),
        cache_dir=config["cache_dir"],
    script:
        "../scripts/sensitivity.py"
