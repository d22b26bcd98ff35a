"""Tables for one article, each written as CSV (for analysis) and Markdown (for reading).

- ``label_summary``: ``label, n, share, ci_low, ci_high, mean_confidence``; one row per label incl. ``none``,
  shares with bootstrap intervals (:mod:`stancemap.report.stats`).
- ``top_statements``: ``label, rank, statement_id, confidence, text``; the ``top_n`` most confident statements of
  each stance label (``none`` left out: its most confident statements are the least interesting).
- ``stance_by_speaker``: ``speaker, n, <label>…``; statements per speaker and label (see :func:`stance_by_speaker`).

Every table can also be written as a small self-contained HTML page (``.html``), which is what the Snakemake
report shows: a CSV there is only a download link.
"""

from __future__ import annotations

import html
import numbers
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..columns import NARRATOR, NONE, STANCE_COLUMNS
from ..io import read_table, write_csv, write_text
from .stats import bootstrap_shares


def label_summary(stances: pd.DataFrame, names: list[str], *, resamples: int, seed: int, level: float) -> pd.DataFrame:
    summary = bootstrap_shares(stances["label"], names, resamples=resamples, seed=seed, level=level)
    mean_conf = stances.groupby("label")["confidence"].mean()
    summary["mean_confidence"] = summary["label"].map(mean_conf)
    return summary


def top_statements(stances: pd.DataFrame, names: list[str], top_n: int) -> pd.DataFrame:
    rows = []
    for name in names:
        if name == NONE:
            continue
        best = stances[stances["label"] == name].sort_values(["confidence", "statement_id"], ascending=[False, True])
        for rank, row in enumerate(best.head(top_n).itertuples(), start=1):
            rows.append((name, rank, row.statement_id, row.confidence, row.text))
    return pd.DataFrame(rows, columns=["label", "rank", "statement_id", "confidence", "text"])


def to_markdown(df: pd.DataFrame, title: str) -> str:
    return f"# {title}\n\n{df.to_markdown(index=False, floatfmt='.3f')}\n"


def to_latex(df: pd.DataFrame, caption: str) -> str:
    """A ``booktabs`` table (``\\toprule``, ``\\midrule``, ``\\bottomrule``) with LaTeX special characters escaped."""
    styler = df.style.format(precision=3, escape="latex", na_rep="").hide(axis="index")
    styler = styler.format_index(escape="latex", axis=1)
    return styler.to_latex(hrules=True, caption=caption.replace("_", "\\_").replace("%", "\\%"), position="htbp")


HTML_STYLE = """
.stancemap-table { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 14px;
  color: #222; margin: 0.5em 0; }
.stancemap-table h2 { font-size: 16px; margin: 0 0 0.3em 0; }
.stancemap-table p { margin: 0.2em 0 0.6em 0; color: #444; }
.stancemap-table table { border-collapse: collapse; width: auto; margin: 0; }
.stancemap-table th, .stancemap-table td { padding: 3px 10px; border-bottom: 1px solid #ddd; vertical-align: top; }
.stancemap-table th { text-align: left; border-bottom: 2px solid #555; background: #f5f5f5; }
.stancemap-table th.num, .stancemap-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
.stancemap-table td.text { max-width: 48em; }
.stancemap-table tr:hover td { background: #f0f6ff; }
"""


def _cell(value: object) -> str:
    """A cell's text: three decimals for a fraction, blank for a missing value, everything else as written."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Number):
        return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    if isinstance(value, numbers.Integral):
        return str(value)
    return "" if pd.isna(value) else f"{value:.3f}"


def to_html_fragment(df: pd.DataFrame, title: str) -> str:
    """The table as an HTML fragment: title (first line) as heading, the rest of the title as a note, then the
    table; numbers right-aligned with three decimals, missing values blank, every cell escaped."""
    heading, _, note = title.partition("\n")
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) for c in df.columns]
    kinds = [' class="num"' if num else ' class="text"' if c == "text" else "" for c, num in zip(df.columns, numeric)]
    rows = [
        "<tr>" + "".join(f"<td{k}>{html.escape(_cell(v))}</td>" for k, v in zip(kinds, values)) + "</tr>"
        for values in df.itertuples(index=False)
    ]
    head = "".join(f"<th{k}>{html.escape(str(c))}</th>" for k, c in zip(kinds, df.columns))
    body = "\n".join(rows) if rows else f'<tr><td colspan="{len(df.columns)}"><em>no rows</em></td></tr>'
    note_html = "".join(f"<p>{html.escape(line)}</p>" for line in note.split("\n") if line.strip())
    return (
        f'<div class="stancemap-table"><h2>{html.escape(heading)}</h2>{note_html}\n'
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table></div>\n"
    )


def to_html(df: pd.DataFrame, title: str) -> str:
    """A self-contained HTML page of the table (no script, no external file), for the report and any browser.

    The style is scoped to ``.stancemap-table``, so the page can also be pasted into another page (the report's
    landing page includes the comparison table this way)."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title.partition(chr(10))[0])}</title>\n"
        f"<style>{HTML_STYLE}</style></head>\n<body>\n{to_html_fragment(df, title)}</body></html>\n"
    )


def write_table(df: pd.DataFrame, title: str, *paths: str | Path) -> None:
    """Write ``df`` to each path in the format its suffix names: ``.csv``, ``.md`` (with ``title``), ``.tex``
    (with the title's first line as caption) or ``.html`` (with ``title``). The paths are the rule's declared
    outputs: no name is chosen here."""
    writers = {
        ".csv": lambda p: write_csv(p, df),
        ".md": lambda p: write_text(p, to_markdown(df, title)),
        ".tex": lambda p: write_text(p, to_latex(df, title.split("\n")[0])),
        ".html": lambda p: write_text(p, to_html(df, title)),
    }
    for path in paths:
        suffix = Path(path).suffix
        if suffix not in writers:
            raise ValueError(f"{path}: a table is written as .csv, .md, .tex or .html, not {suffix!r}")
        writers[suffix](path)


def declared(out: Mapping[str, str], *keys: str) -> list[str]:
    """The outputs among ``keys`` that the rule declares (an HTML page for the report is optional)."""
    return [out[key] for key in keys if key in out]


def write_article_tables(
    stances_csv: str | Path,
    out: Mapping[str, str],
    names: list[str],
    *,
    resamples: int,
    seed: int,
    level: float,
    top_n: int,
) -> None:
    """Write one article's tables to the paths in ``out``, the rule's named outputs: ``summary``, ``top`` and
    ``speakers`` (CSV), each with ``_md`` and, when the rule declares it, ``_html``; and ``statements_html``, every
    statement with its speaker, label and confidence, when declared."""
    stances = read_table(stances_csv, STANCE_COLUMNS)
    article = stances["article"].iloc[0] if len(stances) else Path(stances_csv).parent.name
    summary = label_summary(stances, names, resamples=resamples, seed=seed, level=level)
    write_table(
        summary,
        f"Stance labels in {article} (n = {len(stances)} statements, {level:.0%} bootstrap intervals)",
        *_paths(out, "summary"),
    )
    write_table(
        top_statements(stances, names, top_n),
        f"Most confident statements per label in {article}",
        *_paths(out, "top"),
    )
    write_table(
        stance_by_speaker(stances, names),
        f"Statements per speaker and label in {article} (speakers from quotes and attributions; one person or "
        "group written two ways is one row, both names shown)",
        *_paths(out, "speakers"),
    )
    if "statements_html" in out:
        columns = [c for c in ("statement_id", "paragraph", "speaker", "label", "confidence", "text") if c in stances]
        write_table(
            stances[columns],
            f"Every statement of {article} with its label ({len(stances)} statements)\n"
            "confidence ranks how clearly one label wins; it is not a calibrated probability. "
            "Full scores: results/{article}/stances.csv.".replace("{article}", str(article)),
            out["statements_html"],
        )


def _paths(out: Mapping[str, str], key: str) -> list[str]:
    """A table's CSV, its Markdown, and its HTML page when the rule declares one."""
    return [out[key], out[f"{key}_md"], *([out[f"{key}_html"]] if f"{key}_html" in out else [])]


#: Words that may open a group's name without changing who it is ("his critics" is "Critics").
_DETERMINERS = {"a", "an", "the", "his", "her", "their", "its", "our", "some"}
#: Titles the press puts before a surname; "Biden" is written out as the article writes him: "President Biden".
_TITLES = (
    r"(?:Vice |Former |former )?(?:President|Prime Minister|Chancellor|Secretary of State|Secretary|Foreign Minister|"
    r"Defense Minister|Minister|Gov\.|Governor|Sen\.|Senator|Rep\.|Gen\.|General|Adm\.|Admiral|Ambassador|"
    r"Mayor|King|Queen|Pope|Mr\.|Ms\.|Mrs\.|Dr\.)"
)


def _group_key(speaker: str) -> str:
    words = speaker.split()
    while len(words) > 1 and words[0].lower() in _DETERMINERS:
        words = words[1:]
    return " ".join(words).casefold()


def _written_out(surname: str, texts: pd.Series) -> str | None:
    """The most frequent "Title Surname" in the article's statements ("President Biden"), if any."""
    pattern = re.compile(rf"\b{_TITLES}(?: [A-Z][\w.’'-]*){{0,2}} {re.escape(surname)}\b")
    found = Counter(m.group(0) for text in texts for m in pattern.finditer(text))
    return max(found, key=lambda k: (found[k], -len(k), k)) if found else None


def _speaker_or_narrator(stances: pd.DataFrame) -> pd.Series:
    """The ``speaker`` column with the narrator for a missing speaker; an all-empty column reads as floats, which
    pandas will no longer fill with a string, so it is made text first."""
    return stances["speaker"].astype(object).fillna("").replace("", NARRATOR)


def speaker_names(stances: pd.DataFrame) -> dict[str, str]:
    """The name each speaker gets in the speaker tables, for every value of the ``speaker`` column.

    Presentation only (``stances.csv`` keeps the speaker as attributed): one person or group written two ways
    ("Critics", "his critics") becomes one row named by both ("Critics / his critics", the more frequent first),
    and a bare surname that the article only gives with a title ("Biden", "President Biden’s top diplomat") is
    written out as the article writes it ("President Biden").
    """
    speakers = _speaker_or_narrator(stances)
    counts = Counter(speakers)
    groups: dict[str, list[str]] = {}
    for name in sorted(counts, key=lambda n: (-counts[n], n)):
        groups.setdefault(_group_key(name), []).append(name)
    texts = stances["text"] if "text" in stances.columns else pd.Series([], dtype=str)
    display = {}
    for forms in groups.values():
        label = " / ".join(forms)
        if len(forms) == 1 and re.fullmatch(r"[A-Z][\w’'-]+", forms[0]):
            label = _written_out(forms[0], texts) or label
        display.update({form: label for form in forms})
    return display


def stance_by_speaker(stances: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """``speaker, n, <label>…``: statement counts per speaker and label, most frequent speakers first.

    Statements without a speaker are the narrator's (``(narrator)``); speakers are named as
    :func:`speaker_names` gives them. Empty when the table has no speaker column (speakers turned off).
    """
    if "speaker" not in stances.columns:
        return pd.DataFrame(columns=["speaker", "n", *names])
    speaker = _speaker_or_narrator(stances).map(speaker_names(stances))
    counts = pd.crosstab(speaker, stances["label"]).reindex(columns=names, fill_value=0)
    counts.insert(0, "n", counts.sum(axis=1))
    counts = counts.reset_index()
    counts.columns = ["speaker", "n", *names]
    return counts.sort_values(["n", "speaker"], ascending=[False, True]).reset_index(drop=True)  # speakers unique
