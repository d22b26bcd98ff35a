rule stance_tables:
    """Label counts, shares with bootstrap intervals, mean confidence, and the most confident statements."""
    input:
        "results/{article}/stances.csv",
    output:
        summary="results/{article}/tables/label_summary.csv",
        summary_md="results/{article}/tables/label_summary.md",
        top="results/{article}/tables/top_statements.csv",
        top_md="results/{article}/tables/top_statements.md",
    log:
        "logs/tables/{article}.log",
    params:
        labels=LABELS,
        report=REPORT,
    script:
        "../scripts/tables.py"
