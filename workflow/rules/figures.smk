rule plot_stances:
    """Stance shares with intervals, stance along the article, and stance by speaker."""
    input:
        stances="results/{article}/stances.csv",
        summary="results/{article}/tables/label_summary.csv",
    output:
        shares=report(
            "results/{article}/figures/stance_shares.png",
            caption="../report/stance_shares.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "figure": "stance shares"},
        ),
        shares_svg="results/{article}/figures/stance_shares.svg",
        along=report(
            "results/{article}/figures/stance_along_article.png",
            caption="../report/stance_along_article.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "figure": "stance along the article"},
        ),
        along_svg="results/{article}/figures/stance_along_article.svg",
        speakers=report(
            "results/{article}/figures/stance_by_speaker.png",
            caption="../report/stance_by_speaker.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "figure": "stance by speaker"},
        ),
        speakers_svg="results/{article}/figures/stance_by_speaker.svg",
    log:
        "logs/plot_stances/{article}.log",
    params:
        labels=LABELS,
        level=REPORT["level"],
    run:
        run_script(rule, input, output, params, wildcards, threads, log)
