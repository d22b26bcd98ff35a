rule compare_articles:
    """Every article side by side: shares with intervals, tests of difference, sensitivity to wording."""
    input:
        stances=stances_of_good_articles,
        sensitivity=sensitivity_of_good_articles,
        sheet=articles_sheet,
        validation=validation_shares,
    output:
        table="results/comparison/stance_shares.csv",
        table_md="results/comparison/stance_shares.md",
        table_tex="results/comparison/stance_shares.tex",
        table_html=report(
            "results/comparison/stance_shares.html",
            caption="../report/comparison_table.rst",
            category="Comparison",
            labels={"table": "stance shares across articles"},
        ),
        figure=report(
            "results/comparison/stance_shares.png",
            caption="../report/comparison.rst",
            category="Comparison",
            labels={"figure": "stance shares across articles"},
        ),
        svg="results/comparison/stance_shares.svg",
        speakers=report(
            "results/comparison/stance_by_speaker.png",
            caption="../report/stance_by_speaker_comparison.rst",
            category="Comparison",
            labels={"figure": "stance by speaker"},
        ),
        speakers_svg="results/comparison/stance_by_speaker.svg",
        speakers_table="results/comparison/stance_by_speaker.csv",
        speakers_md="results/comparison/stance_by_speaker.md",
        speakers_tex="results/comparison/stance_by_speaker.tex",
        speakers_table_html=report(
            "results/comparison/stance_by_speaker.html",
            caption="../report/stance_by_speaker_comparison_table.rst",
            category="Comparison",
            labels={"table": "statements per speaker"},
        ),
        tests="results/comparison/distribution_tests.csv",
        tests_md="results/comparison/distribution_tests.md",
        tests_tex="results/comparison/distribution_tests.tex",
        tests_html=report(
            "results/comparison/distribution_tests.html",
            caption="../report/distribution_tests.rst",
            category="Comparison",
            labels={"table": "tests of difference"},
        ),
        fragile=report(
            "results/comparison/sensitivity.png",
            caption="../report/fragility.rst",
            category="Comparison",
            labels={"figure": "sensitivity to wording"},
        ),
        fragile_svg="results/comparison/sensitivity.svg",
        fragile_table="results/comparison/sensitivity.csv",
        fragile_md="results/comparison/sensitivity.md",
        fragile_tex="results/comparison/sensitivity.tex",
        fragile_table_html=report(
            "results/comparison/sensitivity.html",
            caption="../report/fragility_table.rst",
            category="Comparison",
            labels={"table": "statements that change with the wording"},
        ),
    log:
        "logs/compare_articles.log",
    params:
        labels=LABELS,
        report=TABLE_SETTINGS,
        compare=config["compare"],
    run:
        run_script(rule, input, output, params, wildcards, threads, log)


rule summarise_provenance:
    """What produced these results: model, hypotheses, decision rule, package versions (from every run.json)."""
    input:
        runs_of_good_articles,
    output:
        table="results/provenance.csv",
        html=report(
            "results/provenance.html",
            caption="../report/provenance.rst",
            category="Provenance and failures",
            labels={"table": "provenance"},
        ),
    log:
        "logs/summarise_provenance.log",
    run:
        run_script(rule, input, output, params, wildcards, threads, log)
