rule stance_tables:
    """Label counts, shares with bootstrap intervals, mean confidence, and the most confident statements."""
    input:
        "results/{article}/stances.csv",
    output:
        summary=report(
            "results/{article}/tables/label_summary.csv",
            caption="../report/label_summary.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "table": "label summary"},
        ),
        summary_md="results/{article}/tables/label_summary.md",
        top=report(
            "results/{article}/tables/top_statements.csv",
            caption="../report/top_statements.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "table": "most confident statements"},
        ),
        top_md="results/{article}/tables/top_statements.md",
        speakers="results/{article}/tables/stance_by_speaker.csv",
        speakers_md="results/{article}/tables/stance_by_speaker.md",
    log:
        "logs/tables/{article}.log",
    params:
        labels=LABELS,
        report=REPORT,
    script:
        "../scripts/tables.py"
