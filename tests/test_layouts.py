"""Articles as they are pasted (issue 12): the layout of line breaks, page furniture, quotations split into sentences,
and the page corpus in data/pages/ held to its targets. Texts here are written for the tests."""

import importlib.util

import pytest
from conftest import ROOT

from stancemap.text.boilerplate import find_boilerplate
from stancemap.text.segment import segment_text
from stancemap.text.spans import detect_layout, paragraphs, sentences
from stancemap.text.speakers import attribute

BODY_LINES = [
    "Envoys from both countries met in Geneva on Tuesday for the first direct talks in months.",
    "The Swiss foreign minister said both delegations had agreed to discuss a limited ceasefire.",
    "A Ukrainian negotiator warned that Kyiv would not trade territory for a pause in the fighting.",
    "European diplomats said the allies would keep coordinating sanctions while the talks continue.",
]


def reasons(lines: list[str]) -> dict[str, str]:
    """Removed line -> reason, for a page of one paragraph a line."""
    return dict(zip(*find_boilerplate("\n".join(lines) + "\n")[0][["text", "reason"]].T.values))


def wrap(text: str, width: int = 60) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def test_single_line_breaks_between_paragraphs_are_paragraph_ends():
    text = "\n".join(BODY_LINES) + "\n"
    assert detect_layout(text) == "lines"
    assert [text[s:e] for s, e in paragraphs(text)] == BODY_LINES


def test_blank_lines_between_paragraphs_as_in_the_seed():
    text = "\n\n".join(BODY_LINES) + "\n"
    assert detect_layout(text) == "blank"
    assert len(paragraphs(text)) == 4


def test_hard_wrapped_paragraphs_are_joined_not_split_at_each_line():
    paras = [wrap(" ".join(BODY_LINES[:2])), wrap(" ".join(BODY_LINES[2:]))]
    text = "\n\n".join(paras) + "\n"
    assert text.count("\n") > 6 and detect_layout(text) == "wrapped"
    spans = paragraphs(text)
    assert len(spans) == 2
    found = [text[s:e].replace("\n", " ") for s, e in sentences(text, *spans[0])]
    assert found == BODY_LINES[:2]
    # A long link on a line of its own runs past the wrap width; the text is still wrapped (a plain-text e-mail).
    link = "https://www.gov.uk/government/news/" + "-".join(["foreign-secretary-in-brussels-for-talks"] * 2)
    assert detect_layout(text + "\n" + link + "\n") == "wrapped"


def test_a_mix_of_blank_and_single_line_breaks_ends_a_paragraph_at_each():
    text = BODY_LINES[0] + "\n\n" + BODY_LINES[1] + "\n" + BODY_LINES[2] + "\n\n" + BODY_LINES[3] + "\n"
    assert detect_layout(text) == "lines"
    assert [text[s:e] for s, e in paragraphs(text)] == BODY_LINES


def test_a_pasted_page_with_single_line_breaks_loses_its_furniture_and_keeps_its_body():
    page = [
        "Geneva talks resume as envoys test a ceasefire plan",
        "Negotiators meet for the first time in months, but few expect a breakthrough",
        "By Jane Roe and Ana Ribeiro",
        "Updated March 3, 2023 5:12 p.m. ET",
        "A delegate arrives at the Palais des Nations in Geneva. (Photo: Lena Klein/Wire Agency)",
        *BODY_LINES[:2],
        "Advertisement",
        "Read more: Why the grain deal collapsed",
        *BODY_LINES[2:],
        "(With inputs from agencies.)",
        "READ MORE ON: Ukraine, Russia, Geneva",
        "More stories",
        "Allies pledge air defence at Brussels summit",
        "Share this: Facebook Twitter Email",
    ]
    text = "\n".join(page) + "\n"
    removed, header = find_boilerplate(text)
    assert header["title"] == page[0] and header["standfirst"] == page[1] and header["note"] is None
    reasons = dict(zip(removed["text"], removed["reason"]))
    assert reasons[page[2]] == "byline" and reasons[page[3]] == "dateline" and reasons[page[4]] == "caption"
    assert set(reasons) == set(page) - set(BODY_LINES)
    assert segment_text(text, "p", removed)["text"].tolist() == BODY_LINES


def test_a_credit_line_and_the_caption_above_it():
    # A credit on a line of its own (a full stop allowed) is a caption, and so is the one-sentence line above it
    # (Wikinews: the caption, then "Image: …"): the rule's known cost is a one-sentence body paragraph above an
    # image whose caption did not copy, measured on the held-out pages (benchmarks/results/pages.json).
    caption = "Delegates arrive at the summit venue on Tuesday."
    assert reasons([BODY_LINES[0], caption, "Image: U.S. Navy.", *BODY_LINES[1:]]) == {
        caption: "caption",
        "Image: U.S. Navy.": "caption",
    }
    # Above the credit, two sentences, a quotation or a long paragraph is body: only the credit goes.
    for above in (
        BODY_LINES[0] + " " + BODY_LINES[1],
        "“We will talk,” the envoy said on Tuesday.",
        " ".join(["word"] * 26) + ".",
    ):
        assert reasons([BODY_LINES[2], above, "Image: Lena Klein", BODY_LINES[3]]) == {"Image: Lena Klein": "caption"}
    # "; from file, 2008." ends a Wikinews caption.
    assert reasons([*BODY_LINES[:2], "Leung Yiu-chung of NWSC; from file, 2008.", *BODY_LINES[2:]]) == {
        "Leung Yiu-chung of NWSC; from file, 2008.": "caption"
    }


def test_a_form_label_that_ends_the_page_is_removed():
    # The last line a short label ending in a colon whose field did not copy (here Ukrainian "leave a comment:");
    # a colon lead-in inside the body stays ("The statement reads:").
    lines = [*BODY_LINES[:2], "The statement reads:", *BODY_LINES[2:], "залишити коментар:"]
    removed = find_boilerplate("\n".join(lines) + "\n")[0]
    assert removed[["text", "reason"]].values.tolist() == [["залишити коментар:", "promo"]]
    notice = "/Public Release. This material from the originating organization/author(s) might be of the point-in-time."
    removed = find_boilerplate("\n".join([*BODY_LINES, notice]) + "\n")[0]
    assert removed["text"].tolist() == [notice]


def test_a_sentence_that_mentions_a_day_is_not_a_date_line():
    text = "\n".join([*BODY_LINES, "The talks resume on Thursday."]) + "\n"
    assert find_boilerplate(text)[0].empty


def test_a_page_the_rules_would_empty_is_kept_whole_with_a_note():
    text = "Ceasefire Prospects: Ukraine and Russia trade blame as talks stall\n"
    removed, header = find_boilerplate(text)
    assert removed.empty and header["note"].startswith("nothing removed")
    assert len(segment_text(text, "p", removed)) == 1


def test_a_two_sentence_quotation_is_two_statements_with_one_quote_id():
    text = "“We will not give up land. We will fight,” the minister said. Talks are planned for May.\n"
    statements = segment_text(text, "q", None)
    assert statements["text"].tolist() == [
        "“We will not give up land.",
        "We will fight,” the minister said.",
        "Talks are planned for May.",
    ]
    found = attribute(text, statements)
    assert found["is_quote"].tolist() == [True, True, False]
    assert found["quote_id"].iloc[0] == found["quote_id"].iloc[1] != ""
    assert found["speaker"].iloc[0] == found["speaker"].iloc[1] == "the minister"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'He said: "We are ready to talk." But Moscow refused.',
            ['He said: "We are ready to talk."', "But Moscow refused."],
        ),
        ("“The U.S. will stay. We promise,” he said.", ["“The U.S. will stay.", "We promise,” he said."]),
        ("“Stop. Now.”", ["“Stop.", "Now.”"]),
        (
            "They called the plan “premature.” Others disagreed.",
            ["They called the plan “premature.”", "Others disagreed."],
        ),
    ],
)
def test_a_quoted_sentence_is_not_joined_to_its_neighbour(text, expected):
    assert [text[s:e] for s, e in sentences(text)] == expected


def _pages_benchmark():
    spec = importlib.util.spec_from_file_location("pages_benchmark", ROOT / "benchmarks/pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Issue 12's targets: boilerplate recall >= 0.90, body lost <= 1%, sentence-boundary F1 >= 0.97, nothing rejected.
# They hold on dev/ (the rules were written against it) and on test/ (scored once at 0.848, then its misses were
# worked on: 0.990). On test2/, made blind to the rules afterwards and scored once, recall is 0.816
# (benchmarks/results/pages.json): a miss. Its misses were then worked on (0.948), so it is no longer blind. test3/,
# made blind after that, scored once at 0.785 (body lost 1.07%, F1 0.943: every target missed), was worked on too.
# test4/, made blind after that and scored once: 0.925, body lost 0, F1 1.000: the targets hold; not worked on.
# test5/, made blind in the next session and scored once: 0.922, body lost 0.6%, F1 0.985: they hold. One named
# fix since (a speech verb's -ing form keeps a line ending in a colon): body lost 0, F1 0.988; recall unchanged.
TARGETS = {"dev": 0.90, "test": 0.90, "test2": 0.90, "test3": 0.90, "test4": 0.90, "test5": 0.90}


@pytest.mark.parametrize("split", list(TARGETS))
def test_the_page_corpus_meets_the_targets(split, tmp_path):
    bench = _pages_benchmark()
    rows = []
    for page in sorted((ROOT / "data/pages" / split).glob("*.gold.txt")):
        source = page.with_name(page.name.replace(".gold.txt", ".txt"))
        rows.append({**bench.score_txt(source, tmp_path), "layout_gold": None})
    totals = bench.totals(rows)
    assert len(rows) == 12
    assert totals["boilerplate_recall"] >= TARGETS[split], totals
    assert totals["body_lost"] <= 0.01, totals
    assert totals["boundary_f1"] >= 0.97, totals
    assert totals["rejected"] == 0, totals


def test_box_labels_bar_lists_and_site_notices_are_removed_wherever_they_stand():
    # Between body paragraphs: a box label ending in a colon, a tag list of bar-separated items, a bare link; a
    # line ending in a colon after a speech verb introduces a quotation and stays.
    furniture = [
        "Wikipedia has more about this subject:",
        "Categories: March 25, 2008 | Africa | Comoros | Politics and conflicts",
        "https://en.wikinews.org/wiki/Example_story",
    ]
    lead_in = "Foreign Secretary David Lammy said:"
    lines = [BODY_LINES[0], furniture[0], BODY_LINES[1], lead_in, BODY_LINES[2], *furniture[1:], BODY_LINES[3]]
    assert set(reasons(lines)) == set(furniture)
    # A speech verb in any form keeps its line: "stating:" introduced a quotation in test5 and was lost as a label.
    for lead_in in ["The rector then turned to his guest, stating:", "Officials were adamant, saying:"]:
        assert set(reasons([BODY_LINES[0], lead_in, *BODY_LINES[1:]])) == set(), lead_in
    # Notices at the page's end no longer block the trailing box above them: the licence line and the US federal
    # banner and GOV.UK's feedback question, in any order.
    tail = [
        "Legal Disclaimer:",
        'EIN Presswire provides this news content "as is" without warranty of any kind.',
        "A .gov website belongs to an official government organization in the United States.",
        "Is this page useful?",
        "All text created after September 25, 2005 available under the terms of the Creative Commons Attribution "
        "2.5 License, unless otherwise noted.",
    ]
    assert set(reasons([*BODY_LINES, *tail])) == set(tail)
    # A wrapped e-mail footer is one paragraph, found by its signature delimiter or its "sent to" line.
    footer = "--\nRead the whole story, with photos and sources, on Wikinews:\nhttps://en.wikinews.org/wiki/X"
    mail = "This email was sent to [address removed] using GovDelivery\nCommunications Cloud on behalf of: DoD"
    text = "\n\n".join([wrap(" ".join(BODY_LINES[:2])), footer, wrap(" ".join(BODY_LINES[2:])), mail]) + "\n"
    assert find_boilerplate(text)[0]["text"].tolist() == [footer, mail]


def test_breadcrumbs_archive_notices_photo_credits_and_lead_in_labels():
    furniture = [
        "Home » Bureau of Public Affairs » Press Releases » 2017",
        "This is historical material frozen in time. The website is no longer updated.",
        'Retrieved from "https://en.wikinews.org/wiki/Example"',
        'In "Press Releases"',
        "The following is an editorial reflecting the views of the United States government:",
        "Delegates arrive in Geneva on Tuesday. (Official White House Photo by Pete Souza)",
    ]
    lines = [BODY_LINES[0], *furniture[:3], BODY_LINES[1], furniture[3], BODY_LINES[2], *furniture[4:], BODY_LINES[3]]
    assert set(reasons(lines)) == set(furniture)
    # A speech's salutation ends in a comma: it runs on into the speech, it is not a headline.
    assert reasons([BODY_LINES[0], "Mr President,", *BODY_LINES[1:]]) == {}
