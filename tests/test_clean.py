"""Each kind of boilerplate, on text written for the test (not copied from the seed)."""

import pandas as pd

from stancemap.text.boilerplate import find_boilerplate, remove_boilerplate
from stancemap.text.segment import segment_text

PAGE = """The Daily ObserverTruth Before Power

Talks resume in Istanbul as both sides trade blame

Negotiators met for the first time in a year, but neither side expects a breakthrough

A delegate walks past the conference hall in Istanbul on Monday. The talks are the first since 2022. (Maria Lopez/Reuters)

Diplomats from both countries sat down on Monday for talks that few expect to succeed.

“We came because the fighting has to stop,” said one envoy.

Why the grain deal collapsed last summer

The delegations will meet again on Thursday, officials said.

More on the war: Our live coverage of the front line.

The map: Where the fighting is now.

Sign up for our morning newsletter.
"""

EXPECTED = {
    "The Daily ObserverTruth Before Power": "masthead",
    "Talks resume in Istanbul as both sides trade blame": "title",
    "Negotiators met for the first time in a year, but neither side expects a breakthrough": "standfirst",
    "Why the grain deal collapsed last summer": "related_headline",
    "More on the war: Our live coverage of the front line.": "promo",
    "The map: Where the fighting is now.": "promo",
    "Sign up for our morning newsletter.": "promo",
}


def test_each_kind_of_boilerplate_is_found_with_its_reason():
    removed, header = find_boilerplate(PAGE)
    reasons = dict(zip(removed["text"], removed["reason"]))
    for text, reason in EXPECTED.items():
        assert reasons.get(text) == reason, text
    caption = [t for t, r in reasons.items() if r == "caption"]
    assert len(caption) == 1 and caption[0].endswith("(Maria Lopez/Reuters)")
    assert len(removed) == len(EXPECTED) + 1
    assert header == {
        "title": "Talks resume in Istanbul as both sides trade blame",
        "standfirst": "Negotiators met for the first time in a year, but neither side expects a breakthrough",
        "note": None,
    }
    for row in removed.itertuples():
        assert PAGE[row.start : row.end] == row.text


def test_no_body_sentence_is_lost_and_offsets_still_index_the_text():
    removed, _ = find_boilerplate(PAGE)
    statements = segment_text(PAGE, "p", removed)
    assert statements["text"].tolist() == [
        "Diplomats from both countries sat down on Monday for talks that few expect to succeed.",
        "“We came because the fighting has to stop,” said one envoy.",
        "The delegations will meet again on Thursday, officials said.",
    ]
    assert all(PAGE[r.start : r.end] == r.text for r in statements.itertuples())


def test_an_article_without_boilerplate_keeps_everything(tmp_path):
    text = "Envoys met in Geneva on Tuesday.\n\nThey agreed to meet again in March, officials said.\n"
    (tmp_path / "text.txt").write_text(text)
    removed = remove_boilerplate(tmp_path / "text.txt", tmp_path / "removed.csv")
    assert removed.empty and pd.read_csv(tmp_path / "removed.csv").columns.tolist() == [
        "start",
        "end",
        "reason",
        "text",
    ]


def test_a_last_body_paragraph_is_not_promo_without_a_label_or_call():
    text = "Envoys met in Geneva.\n\nThe next round is planned\n"
    removed, _ = find_boilerplate(text)
    assert removed["reason"].tolist() == ["related_headline"]
