# Validation against a hand-coded sample: draw the sample (on request), and, once data/validation/labels.csv
# exists, the model's agreement with the coders and label shares corrected by them (README, "Validating a study").
rule draw_sample:
    """A seeded random sample of statements to code by hand (no model labels); labels already entered are kept."""
    input:
        statements=statements_of_good_articles,
        sheet=articles_sheet,
    output:
        # update: Snakemake must not delete the file (and the labels in it) before the job runs.
        update(VALIDATION_SAMPLE),
    log:
        "logs/draw_sample.log",
    params:
        validation=VALIDATION,
    run:
        run_script(rule, input, output, params, wildcards, threads, log)


rule validate_labels:
    """The model against the coded sample, and label shares corrected by it (prediction-powered inference)."""
    input:
        labels=VALIDATION_LABELS,
        stances=stances_of_good_articles,
        sheet=articles_sheet,
    output:
        agreement=VALIDATION_OUTPUTS["agreement"],
        agreement_md=VALIDATION_OUTPUTS["agreement_md"],
        confusion=report(
            VALIDATION_OUTPUTS["confusion"],
            category="Validation",
            labels={"figure": "confusion matrix, coded sample"},
        ),
        confusion_svg=VALIDATION_OUTPUTS["confusion_svg"],
        shares=report(
            VALIDATION_OUTPUTS["shares"],
            category="Validation",
            labels={"table": "corrected shares"},
        ),
        shares_md=VALIDATION_OUTPUTS["shares_md"],
        shares_tex=VALIDATION_OUTPUTS["shares_tex"],
        figure=report(
            VALIDATION_OUTPUTS["figure"],
            category="Validation",
            labels={"figure": "naive and corrected shares"},
        ),
        figure_svg=VALIDATION_OUTPUTS["figure_svg"],
    log:
        "logs/validate_labels.log",
    params:
        labels=LABELS,
        validation=VALIDATION,
    run:
        run_script(rule, input, output, params, wildcards, threads, log)
