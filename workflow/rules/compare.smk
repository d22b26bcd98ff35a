rule comparison:
    """Stance shares of every article side by side, with bootstrap intervals."""
    input:
        stances_of_good_articles,
    output:
        table="results/comparison/stance_shares.csv",
        table_md="results/comparison/stance_shares.md",
        figure=report(
            "results/comparison/stance_shares.png",
            caption="../report/comparison.rst",
            category="Comparison",
            labels={"figure": "stance shares across articles"},
        ),
        svg="results/comparison/stance_shares.svg",
    log:
        "logs/compare/comparison.log",
    params:
        labels=LABELS,
        report=REPORT,
    script:
        "../scripts/compare.py"
