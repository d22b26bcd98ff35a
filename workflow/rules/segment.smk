rule boilerplate:
    """Find what is not the article (masthead, title, captions, related headlines, promo box); audit in removed.csv."""
    input:
        "data/processed/{article}/text.txt",
    output:
        removed="data/processed/{article}/removed.csv",
        header="data/processed/{article}/header.json",
    log:
        "logs/boilerplate/{article}.log",
    script:
        "../scripts/boilerplate.py"


rule statements:
    """Split an article's text, less its boilerplate, into sentence statements with character offsets."""
    input:
        text="data/processed/{article}/text.txt",
        removed="data/processed/{article}/removed.csv",
    output:
        "data/processed/{article}/statements.csv",
    log:
        "logs/segment/{article}.log",
    params:
        speakers=config["speakers"],
    script:
        "../scripts/segment.py"
