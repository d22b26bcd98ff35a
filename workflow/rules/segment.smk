rule remove_boilerplate:
    """Find what is not the article (masthead, title, captions, related headlines, promo box); audit in removed.csv."""
    input:
        "data/processed/{article}/text.txt",
    output:
        "data/processed/{article}/removed.csv",
    log:
        "logs/remove_boilerplate/{article}.log",
    run:
        run_script(rule, input, output, params, wildcards, threads, log)


rule segment_statements:
    """Split an article's text, less its boilerplate, into sentence statements with character offsets."""
    input:
        text="data/processed/{article}/text.txt",
        removed="data/processed/{article}/removed.csv",
    output:
        "data/processed/{article}/statements.csv",
    log:
        "logs/segment_statements/{article}.log",
    params:
        speakers=config["speakers"],
    run:
        run_script(rule, input, output, params, wildcards, threads, log)
