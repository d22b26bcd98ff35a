"""Every table one stage hands to the next, declared once: the columns a reader may rely on.

Stages write these tables with :func:`stancemap.io.write_csv` and read them back with
:func:`stancemap.io.read_table`, which refuses a file that lacks a declared column, so a stale or hand-edited
file fails with its name instead of a ``KeyError`` deep inside a later stage. Tables may carry more columns than
listed (``score_<label>`` per configured label, the speaker columns when speakers are on).
"""

#: ``data/processed/{article}/removed.csv``: paragraphs that are not the article, with the reason (boilerplate).
REMOVED_COLUMNS = ["start", "end", "reason", "text"]
#: ``data/processed/{article}/statements.csv``: one sentence per row, ``text == text.txt[start:end]``.
STATEMENT_COLUMNS = ["article", "statement_id", "start", "end", "paragraph", "text"]
#: Added to the statements by the speaker step (``speakers: true``).
SPEAKER_COLUMNS = ["is_quote", "quote_id", "speaker", "speaker_rule"]
#: ``results/{article}/stances.csv``: the statements plus the label (and ``score_<label>`` per label).
STANCE_COLUMNS = [*STATEMENT_COLUMNS, "label", "confidence"]
#: ``results/{article}/sensitivity_labels.csv``: the label under each phrasing (one column per variant).
SENSITIVITY_COLUMNS = ["article", "statement_id", "changed"]
#: Label shares with bootstrap intervals (``label_summary.csv``, the comparison's shares).
SHARE_COLUMNS = ["label", "n", "share", "ci_low", "ci_high"]
#: Shares of each label under each phrasing of the hypotheses (``tables/sensitivity.csv``).
VARIANT_SHARE_COLUMNS = ["variant", "label", "n", "share"]
#: ``results/failures.csv``: articles left out of the analysis and why.
FAILURE_COLUMNS = ["article", "source", "stage", "error"]
#: ``data/gold/{article}.csv``: hand labels as character spans of ``text.txt``.
GOLD_COLUMNS = ["start", "end", "label"]
#: ``config/articles.tsv``: optional metadata per article.
ARTICLE_SHEET_COLUMNS = ["article", "outlet", "date", "group"]
#: NLI pairs for ``stancemap evaluate`` (premise ``text``, ``hypothesis``, gold ``label``).
PAIR_COLUMNS = ["text", "hypothesis", "label"]
#: The three NLI classes, in the order the training data and metrics use.
NLI_CLASSES = ("entailment", "neutral", "contradiction")
#: The label of a statement that takes none of the configured stances.
NONE = "none"
#: The speaker of a statement attributed to no one.
NARRATOR = "(narrator)"
