rule evaluate_labels:
    """Labels against hand labels, for articles that have data/gold/{article}.csv."""
    input:
        stances="results/{article}/stances.csv",
        gold=lambda wildcards: str(gold_file(wildcards.article)),
    output:
        metrics="results/{article}/evaluation/metrics.json",
        metrics_html=report(
            "results/{article}/evaluation/metrics.html",
            caption="../report/metrics.rst",
            category="Evaluation",
            subcategory="{article}",
            labels={"article": "{article}", "table": "metrics"},
        ),
        per_label="results/{article}/evaluation/per_label.csv",
        per_label_md="results/{article}/evaluation/per_label.md",
        per_label_html=report(
            "results/{article}/evaluation/per_label.html",
            caption="../report/per_label.rst",
            category="Evaluation",
            subcategory="{article}",
            labels={"article": "{article}", "table": "per label"},
        ),
        matched="results/{article}/evaluation/matched.csv",
        matched_html=report(
            "results/{article}/evaluation/matched.html",
            caption="../report/matched.rst",
            category="Evaluation",
            subcategory="{article}",
            labels={"article": "{article}", "table": "gold spans and labels"},
        ),
        confusion=report(
            "results/{article}/evaluation/confusion_matrix.png",
            caption="../report/confusion_matrix.rst",
            category="Evaluation",
            subcategory="{article}",
            labels={"article": "{article}", "figure": "confusion matrix"},
        ),
        confusion_svg="results/{article}/evaluation/confusion_matrix.svg",
        reliability=report(
            "results/{article}/evaluation/reliability.png",
            caption="../report/reliability.rst",
            category="Evaluation",
            subcategory="{article}",
            labels={"article": "{article}", "figure": "reliability"},
        ),
        reliability_svg="results/{article}/evaluation/reliability.svg",
    log:
        "logs/evaluate_labels/{article}.log",
    params:
        labels=LABELS,
    run:
        run_script(rule, input, output, params, wildcards, threads, log)
