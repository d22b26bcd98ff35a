rule tabulate_stances:
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
        "logs/tabulate_stances/{article}.log",
    params:
        labels=LABELS,
        report=REPORT,
    script:
        "../scripts/tabulate_stances.py"


rule summarise_sensitivity:
    """Label shares under each phrasing of the hypotheses, as a table and a figure."""
    input:
        "results/{article}/sensitivity_labels.csv",
    output:
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
        "logs/summarise_sensitivity/{article}.log",
    params:
        labels=LABELS,
    script:
        "../scripts/summarise_sensitivity.py"
