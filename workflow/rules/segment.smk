rule statements:
    """Split an article's text into sentence statements with character offsets."""
    input:
        "data/processed/{article}/text.txt",
    output:
        "data/processed/{article}/statements.csv",
    log:
        "logs/segment/{article}.log",
    script:
        "../scripts/segment.py"
