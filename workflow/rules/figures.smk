rule stance_figures:
    """Stance shares with intervals, and stance along the article."""
    input:
        stances="results/{article}/stances.csv",
        summary="results/{article}/tables/label_summary.csv",
    output:
        report(
            "results/{article}/figures/stance_shares.png",
            caption="../report/stance_shares.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "figure": "stance shares"},
        ),
        "results/{article}/figures/stance_shares.svg",
        report(
            "results/{article}/figures/stance_along_article.png",
            caption="../report/stance_along_article.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "figure": "stance along the article"},
        ),
        "results/{article}/figures/stance_along_article.svg",
        report(
            "results/{article}/figures/stance_by_speaker.png",
            caption="../report/stance_by_speaker.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "figure": "stance by speaker"},
        ),
        "results/{article}/figures/stance_by_speaker.svg",
    log:
        "logs/figures/{article}.log",
    params:
        labels=LABELS,
        level=REPORT["level"],
    script:
        "../scripts/figures.py"
