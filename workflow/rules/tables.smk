rule tabulate_stances:
    """Label counts, shares with bootstrap intervals, mean confidence, and the most confident statements."""
    input:
        "results/{article}/stances.csv",
    output:
        summary="results/{article}/tables/label_summary.csv",
        summary_md="results/{article}/tables/label_summary.md",
        summary_html=report(
            "results/{article}/tables/label_summary.html",
            caption="../report/label_summary.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "table": "label summary"},
        ),
        top="results/{article}/tables/top_statements.csv",
        top_md="results/{article}/tables/top_statements.md",
        top_html=report(
            "results/{article}/tables/top_statements.html",
            caption="../report/top_statements.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "table": "most confident statements"},
        ),
        speakers="results/{article}/tables/stance_by_speaker.csv",
        speakers_md="results/{article}/tables/stance_by_speaker.md",
        speakers_html=report(
            "results/{article}/tables/stance_by_speaker.html",
            caption="../report/stance_by_speaker_table.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "table": "statements per speaker"},
        ),
        statements_html=report(
            "results/{article}/tables/statements.html",
            caption="../report/statements.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "table": "every statement"},
        ),
    log:
        "logs/tabulate_stances/{article}.log",
    params:
        labels=LABELS,
        report=TABLE_SETTINGS,
    run:
        run_script(rule, input, output, params, wildcards, threads, log)


rule summarise_sensitivity:
    """Label shares under each phrasing of the hypotheses, and every statement's label under each (tables; the
    figure is drawn by plot_stances)."""
    input:
        "results/{article}/sensitivity_labels.csv",
    output:
        table="results/{article}/tables/sensitivity.csv",
        table_md="results/{article}/tables/sensitivity.md",
        table_html=report(
            "results/{article}/tables/sensitivity.html",
            caption="../report/sensitivity_table.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "table": "shares under each wording"},
        ),
        labels_html=report(
            "results/{article}/tables/sensitivity_labels.html",
            caption="../report/sensitivity_labels.rst",
            category="Articles",
            subcategory="{article}",
            labels={"article": "{article}", "table": "labels under each wording"},
        ),
    log:
        "logs/summarise_sensitivity/{article}.log",
    params:
        labels=LABELS,
    run:
        run_script(rule, input, output, params, wildcards, threads, log)
