rule plot_stances:
    """Stance shares with intervals, stance along the article, stance by speaker, and sensitivity to wording: all of
    an article's figures, in one job, not made at all with report.article_figures false (README, "Scale")."""
    input:
        stances="results/{article}/stances.csv",
        summary="results/{article}/tables/label_summary.csv",
        sensitivity="results/{article}/sensitivity_labels.csv",
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
        sensitivity=report(
            "results/{article}/figures/sensitivity.png",
            caption="../report/sensitivity.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "figure": "sensitivity to wording"},
        ),
        sensitivity_svg="results/{article}/figures/sensitivity.svg",
    log:
        "logs/plot_stances/{article}.log",
    params:
        labels=LABELS,
        level=REPORT["level"],
    run:
        run_script(rule, input, output, params, wildcards, threads, log)
