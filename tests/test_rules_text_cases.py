"""The text rules case by case: segmentation into statements, the boilerplate rules at their edges, quotes and
speakers (issue 16). Every input is a short passage written for the test; every expected value was worked out by
hand from the rule's documented definition (counts of words and characters are given next to each case).
"""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from stancemap.columns import SPEAKER_COLUMNS, STATEMENT_COLUMNS
from stancemap.io import InputError
from stancemap.text import segment as segment_module
from stancemap.text.boilerplate import find_boilerplate, remove_boilerplate
from stancemap.text.segment import segment_file, segment_text, statements_from_raw
from stancemap.text.speakers import attribute

BODY = (
    "The foreign ministers met in Vilnius on Tuesday to discuss the next package of military aid for Kyiv.\n\n"
    "Officials said the talks lasted three hours and ended without a joint statement from the allies.\n\n"
)
CLOSE = "Diplomats expect the ministers to meet again before the summit in July.\n"


def reasons(text: str) -> dict[str, str]:
    removed, _ = find_boilerplate(text)
    return dict(zip(removed["text"], removed["reason"]))


def between(line: str) -> dict[str, str]:
    """The reasons found when ``line`` stands as a paragraph between two body paragraphs."""
    return reasons(BODY + line + "\n\n" + CLOSE)


def speakers(text: str) -> pd.DataFrame:
    table = segment_text(text, "t")
    return table.join(attribute(text, table))


# --- boilerplate: the header -------------------------------------------------------------------------------------


def test_a_summary_sentence_followed_by_a_byline_is_header_after_the_title_and_standfirst():
    """Walked by hand: the title and the standfirst have no final punctuation; the sentence after them is followed
    by a byline, so it is header too; the byline (3 words) and the date line (7 words, a date, no final stop) are
    removed with their own reasons; the body's first sentence ends the header."""
    lines = [
        "Allies split over talks",
        "No date for the next round, and no joint statement",
        "The ministers could not agree on a date for new talks.",
        "By Jane Doe",
        "Updated March 3, 2023 5:12 p.m. ET",
    ]
    removed, header = find_boilerplate("\n\n".join(lines) + "\n\n" + BODY + CLOSE)
    assert dict(zip(removed["text"], removed["reason"])) == dict(
        zip(lines, ["title", "standfirst", "header", "byline", "dateline"])
    )
    assert header == {"title": lines[0], "standfirst": lines[1], "note": None}


def test_a_from_label_line_is_header_up_to_20_words():
    title, standfirst = "Allies split over talks", "No date for the next round, and no joint statement"
    twenty = "From: Our correspondent in Vilnius, with reporting from agencies in Kyiv, Warsaw, Riga, Tallinn and "
    twenty += "Brussels on the new talks."
    assert len(twenty.split()) == 20
    text = f"{title}\n\n{standfirst}\n\n{twenty}\n\n{BODY}{CLOSE}"
    assert reasons(text) == {title: "title", standfirst: "standfirst", twenty: "header"}
    twenty_one = twenty.replace("new talks.", "new talks today.")  # 21 words: a sentence, the header ends
    assert len(twenty_one.split()) == 21
    assert reasons(f"{title}\n\n{standfirst}\n\n{twenty_one}\n\n{BODY}{CLOSE}") == {
        title: "title",
        standfirst: "standfirst",
    }


def test_a_label_line_after_the_title_without_a_stop_is_header_and_makes_the_title():
    """ "Analysis: …" is a label line without final punctuation, so the line before it is header: the title."""
    title, label = "Why the talks failed", "Analysis: Our diplomatic editor on the summit"
    removed, header = find_boilerplate(f"{title}\n\n{label}\n\n{BODY}{CLOSE}")
    assert dict(zip(removed["text"], removed["reason"])) == {title: "title", label: "standfirst"}
    assert header["title"] == title and header["standfirst"] == label


def test_a_first_paragraph_of_up_to_40_words_before_a_byline_is_the_title():
    """The "line followed by a byline is header" rule holds for a paragraph of at most 40 words."""
    forty = " ".join(["The allies could not agree on a date for new talks with Moscow"] * 3) + " again."
    assert len(forty.split()) == 40
    removed, header = find_boilerplate(f"{forty}\n\nBy Jane Doe\n\n{BODY}{CLOSE}")
    assert dict(zip(removed["text"], removed["reason"])) == {forty: "title", "By Jane Doe": "byline"}
    forty_one = forty.replace("again.", "once again.")
    assert len(forty_one.split()) == 41
    assert reasons(f"{forty_one}\n\nBy Jane Doe\n\n{BODY}{CLOSE}") == {"By Jane Doe": "byline"}


def test_a_leading_line_without_a_stop_is_a_headline_up_to_40_words():
    forty = " ".join(["Allies split over when to open new talks with Moscow and Kyiv"] * 3) + " in the coming year"
    assert len(forty.split()) == 40
    assert reasons(f"{forty}\n\n{BODY}{CLOSE}") == {forty: "title"}
    forty_one = forty + " again"
    assert reasons(f"{forty_one}\n\n{BODY}{CLOSE}") == {}  # too long for a headline, too long for a related one


def test_a_glued_line_is_a_masthead_only_first_and_up_to_10_words():
    ten = "NewsDesk Daily Ukraine talks and allies in one place today"  # 10 words, "NewsDesk" glued
    assert len(ten.split()) == 10
    assert reasons(f"{ten}\n\nTalks stall\n\n{BODY}{CLOSE}") == {ten: "masthead", "Talks stall": "title"}
    second = "The Kyiv PostNews from Ukraine"  # glued, but not the first line: the standfirst
    assert reasons(f"Talks stall\n\n{second}\n\n{BODY}{CLOSE}") == {"Talks stall": "title", second: "standfirst"}


def test_a_third_leading_line_followed_by_a_byline_is_header():
    text = "Title here\n\nA standfirst without a stop\n\nA third short line\n\nBy Jane Doe\n\n" + BODY + CLOSE
    # the third line is followed by a byline: header, not a headline, so it is removed as "header"
    assert reasons(text) == {"Title here": "title", "A standfirst without a stop": "standfirst",
                             "A third short line": "header", "By Jane Doe": "byline"}  # fmt: skip


def test_a_single_sentence_article_keeps_its_sentence():
    removed, header = find_boilerplate("The talks resumed in Geneva on Monday after a pause of two months.\n")
    assert removed.empty and header == {"title": None, "standfirst": None, "note": None}


def test_a_sentence_followed_by_a_label_line_is_the_title_and_the_label_line_the_standfirst():
    sentence, label = "The ministers could not agree on a date.", "Analysis: Our diplomatic editor on the summit"
    assert reasons(f"{sentence}\n\n{label}\n\n{BODY}{CLOSE}") == {sentence: "title", label: "standfirst"}


def test_a_label_line_is_header_after_the_first_line_only():
    label = "Analysis: The summit was doomed from the start."
    assert reasons(f"Talks stall\n\n{label}\n\n{BODY}{CLOSE}") == {"Talks stall": "title", label: "standfirst"}
    first = "Update: The minister has since resigned over the failed talks."  # a first paragraph: a sentence
    assert reasons(f"{first}\n\n{BODY}{CLOSE}") == {}


def test_a_byline_right_after_the_title_is_a_byline_not_the_standfirst():
    removed, header = find_boilerplate("Talks stall\n\nBy Jane Doe\n\n" + BODY + CLOSE)
    assert dict(zip(removed["text"], removed["reason"])) == {"Talks stall": "title", "By Jane Doe": "byline"}
    assert header == {"title": "Talks stall", "standfirst": None, "note": None}


def test_the_header_rule_for_a_line_before_a_byline_stops_after_8_paragraphs():
    """Paragraphs 0-7 are header (title, standfirst, two bylines, a date line, two captions, a date line); the
    sentence at paragraph 8 is followed by a date line, but a line that far down is body, not header."""
    lines = [
        "Allies split over talks",
        "No date for the next round, and no joint statement",
        "By Jane Doe",
        "By John Roe",
        "Updated March 3, 2023 5:12 p.m. ET",
        "A delegate arrives in Vilnius. (Jane Doe/Reuters)",
        "Image: Ministry of Defence",
        "Published March 2, 2023",
        "The ministers could not agree on a date for new talks.",
        "Updated March 4, 2023",
    ]
    expected = ["title", "standfirst", "byline", "byline", "dateline", "caption", "caption", "dateline", None]
    expected.append("dateline")
    got = reasons("\n\n".join(lines) + "\n\n" + BODY + CLOSE)
    assert got == {line: why for line, why in zip(lines, expected) if why}


def test_pages_whose_only_sentence_is_header_or_promo_are_kept_whole_with_a_note():
    """ "The ministers could not agree." is followed by a byline (header); "Read our full coverage …" is a call to
    action at the end (promo): either way no sentence would be left, so nothing is removed."""
    for text in [
        "Allies split\n\nThe ministers could not agree.\n\nBy Jane Doe\n",
        "Talks stall\n\nRead our full coverage of the war.\n\nSign up for alerts\n",
    ]:
        removed, header = find_boilerplate(text)
        assert removed.empty, text
        assert header["note"].startswith(
            "nothing removed: the boilerplate rules would have removed 3 of 3 paragraphs (100% of the words)"
        ), text


# --- boilerplate: lines between body paragraphs --------------------------------------------------------------------


def test_a_date_line_has_at_most_10_words_and_may_end_in_a_time():
    ten = "Last updated on Friday, March 3, 2023 at 5:12 ET"
    eleven = "Last updated on Friday, March 3, 2023 at 5:12 p.m. ET"
    assert (len(ten.split()), len(eleven.split())) == (10, 11)
    assert between(ten) == {ten: "dateline"}
    assert between(eleven) == {eleven: "related_headline"}  # no final stop, 11 <= 16 words: a headline
    for stamped in ["Published March 3, 2023 at 5:12 p.m.", "Published March 3, 2023 at 9:40 A.M."]:
        assert between(stamped) == {stamped: "dateline"}, stamped  # ends in a stop, but the stop is "a.m."/"p.m."
    sentence = "The talks are due to resume on March 3, 2023."  # 9 words and a date, but a sentence
    assert between(sentence) == {}


def test_a_byline_has_at_most_15_words():
    fifteen = "By Jane Doe, John Roe, Ann Lee, Tom Ray, Eva Kim and Max Lund, Kyiv"
    sixteen = "By Jane Doe, John Roe, Ann Lee, Tom Ray, Eva Kim and Max Lund, in Kyiv"
    assert (len(fifteen.split()), len(sixteen.split())) == (15, 16)
    assert between(fifteen) == {fifteen: "byline"}
    assert between(sixteen) == {sixteen: "related_headline"}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Advertisement", "promo"),  # a section label
        ("Story continues below advertisement", "promo"),
        ("With reporting by Jane Doe in Kyiv and John Roe in Warsaw.", "promo"),  # a notice
        ("“Nothing about Ukraine without Ukraine” — Jane Doe, March 3, 2023", "promo"),  # a citation
        ("Soldiers load shells near Bakhmut on Monday. (Credit: Ministry of Defence)", "caption"),
        ("Image source, Getty Images", "caption"),  # a credit line
    ],
)
def test_furniture_between_body_paragraphs_is_removed_with_its_reason(line, reason):
    assert between(line) == {line: reason}


@pytest.mark.parametrize(
    "line",
    [
        "Will the talks resume?",
        "The talks will resume!",
        "And then the talks resumed…",
        "The minister was blunt: “No.”",
        "The talks resumed (for now).",
        "Only one word came back: ‘no.’",
        "The envoy called it “theatre”",
    ],
)
def test_a_short_line_with_final_punctuation_is_a_statement_not_a_related_headline(line):
    assert between(line) == {}


# --- boilerplate: the trailing box and the note --------------------------------------------------------------------


def test_the_trailing_box_takes_labels_calls_headlines_and_notices_back_to_the_last_sentence():
    box = [
        "Read our full coverage of the war in Ukraine.",  # a call to action, with a stop
        "Most read: Ten years of war in Ukraine.",  # a label, with a stop
        "What to know about the talks",  # headline-like
        "© 2023 Example News. All rights reserved.",  # a notice
        "Share this:",  # a section label
    ]
    assert reasons(BODY + CLOSE + "\n" + "\n\n".join(box) + "\n") == dict.fromkeys(box, "promo")


def test_a_page_that_keeps_a_fifth_of_its_words_is_cleaned_under_a_fifth_is_kept_whole():
    """Title of 16 words + one sentence of 4: 4 of 20 words kept is exactly a fifth, so the title goes. With a
    17-word title 4 of 21 words is under a fifth: nothing is removed, and the note says so (1 - 4/21 = 81%)."""
    sixteen = "Allies split over how and when to open new talks with Moscow as the war continues"
    seventeen = "Allies split over how and when to open new talks with Moscow as the war drags on"
    assert (len(sixteen.split()), len(seventeen.split())) == (16, 17)
    removed, header = find_boilerplate(sixteen + "\n\nTalks resumed on Monday.\n")
    assert removed["reason"].tolist() == ["title"] and header["note"] is None
    removed, header = find_boilerplate(seventeen + "\n\nTalks resumed on Monday.\n")
    assert removed.empty and header["title"] == seventeen
    assert header["note"] == (
        "nothing removed: the boilerplate rules would have removed 1 of 2 paragraphs (81% of the words), so every "
        "paragraph is kept as statements; check this article's layout"
    )


def test_removed_rows_give_offsets_of_the_paragraph_in_the_text():
    text = "Talks stall\n\n" + BODY + "Why the grain deal collapsed\n\n" + CLOSE
    removed, _ = find_boilerplate(text)
    assert removed.values.tolist() == [
        [0, 11, "title", "Talks stall"],
        [13 + len(BODY), 13 + len(BODY) + 28, "related_headline", "Why the grain deal collapsed"],
    ]


# --- statements: which text is quoted ----------------------------------------------------------------------------


def quote_flags(text: str) -> dict[str, bool]:
    out = speakers(text)
    return dict(zip(out["text"], out["is_quote"]))


def test_a_statement_is_a_quote_from_40_percent_of_its_characters_in_quotation_marks():
    """Character counts: “all lies” is 10 of the 25 characters of its sentence (exactly 40%); “a dangerous farce”
    is 19 of 78 (24%), “a path to peace” 17 of 70 (24%); “We will never give up our land.” is 33 of 49 (67%) in a
    sentence that starts 22 characters into its paragraph."""
    flags = quote_flags(
        "Kyiv calls it “all lies”.\n\n"
        "The minister called the proposal “a dangerous farce” at the summit in Vilnius.\n\n"
        "Xi Jinping called the plan “a path to peace” at the summit in Beijing.\n\n"
        "The talks ended late. The envoy said: “We will never give up our land.”\n"
    )
    assert flags == {
        "Kyiv calls it “all lies”.": True,
        "The minister called the proposal “a dangerous farce” at the summit in Vilnius.": False,
        "Xi Jinping called the plan “a path to peace” at the summit in Beijing.": False,
        "The talks ended late.": False,
        "The envoy said: “We will never give up our land.”": True,
    }


def test_a_statement_that_opens_with_a_quotation_mark_needs_20_percent_quoted():
    """“No,” is 5 characters: 5 of 25 (exactly 20%) makes a quote, 5 of 51 (10%) does not; “Never,” is 8 of 27
    (30%) in a sentence 22 characters into its paragraph."""
    flags = quote_flags(
        "“No,” the envoys replied.\n\n"
        "“No,” the envoy replied after a long pause in Riga.\n\n"
        "The talks ended late. “Never,” the minister said.\n"
    )
    assert flags == {
        "“No,” the envoys replied.": True,
        "“No,” the envoy replied after a long pause in Riga.": False,
        "The talks ended late.": False,
        "“Never,” the minister said.": True,
    }


def test_a_narrator_sentence_between_two_quotations_is_not_quoted():
    flags = quote_flags("“We will fight on,” the minister said. Why? “Because the alternative is worse,” she added.\n")
    assert flags == {"“We will fight on,” the minister said.": True, "Why?": False,
                     "“Because the alternative is worse,” she added.": True}  # fmt: skip


# --- speakers ------------------------------------------------------------------------------------------------------


def attributions(text: str) -> list[tuple]:
    out = speakers(text)
    assert list(out.columns) == [*STATEMENT_COLUMNS, *SPEAKER_COLUMNS]
    return [tuple(r) for r in out[["is_quote", "quote_id", "speaker", "speaker_rule"]].itertuples(index=False)]


def test_quote_ids_count_from_q1_and_each_cued_quotation_gets_its_own():
    """Hrytsenko's quotation is q1; Novak's is q2, and its first sentence, which has no cue, is his too."""
    assert attributions(
        "“We will fight on,” said Olena Hrytsenko.\n\nThe talks ended at noon.\n\n"
        "“Talks are a trap. Nobody in Kyiv wants them,” said Marek Novak.\n"
    ) == [
        (True, "q1", "Olena Hrytsenko", "cue"),
        (False, "", "", ""),
        (True, "q2", "Marek Novak", "continued"),
        (True, "q2", "Marek Novak", "cue"),
    ]


def test_a_quote_does_not_continue_one_two_paragraphs_back():
    """The caption between the two quotes is removed, so the second quote's paragraph (2) is two after the first's
    (0): it does not continue Hrytsenko's quotation, and with no cue of its own it has no speaker."""
    text = (
        "“We will fight on,” said Olena Hrytsenko.\n\nA soldier in Kharkiv. (Photo: Reuters)\n\n“But we need shells.”\n"
    )
    removed, _ = find_boilerplate(text)
    assert removed["reason"].tolist() == ["caption"]
    table = segment_text(text, "t", removed)
    out = table.join(attribute(text, table))
    assert out[["paragraph", "is_quote", "quote_id", "speaker", "speaker_rule"]].values.tolist() == [
        [0, True, "q1", "Olena Hrytsenko", "cue"],
        [2, True, "q2", "", ""],
    ]


def test_cue_subjects_are_written_as_in_the_text():
    """ "Xinhua" (an agency, not a person whose full name could restore it) keeps its leading X; "according to
    officials in Kyiv" names the officials (the head noun)."""
    assert attributions(
        "Xinhua said the talks must go on.\n\nThe convoy was delayed, according to officials in Kyiv.\n"
    ) == [(False, "", "Xinhua", "cue"), (False, "", "officials", "according_to")]


def test_the_subject_of_a_passive_speech_verb_is_not_the_speaker():
    """ "Ministers are said to favour talks": someone says it of the ministers; "The envoy was told": the envoy
    listened. Neither is who spoke (before issue 16 both were credited to their subject by the cue rule)."""
    assert attributions(
        "Several ministers are said to favour early talks.\n\nThe envoy was told the convoy would be delayed.\n"
    ) == [(False, "", "", ""), (False, "", "", "")]


def test_a_speech_verb_without_a_subject_or_a_paragraph_cut_after_according_names_no_one():
    assert attributions(
        "Add to that the rising cost of fuel.\n\nThe vote on the aid package was postponed, according\n"
    ) == [(False, "", "", ""), (False, "", "", "")]


def test_he_or_she_after_an_organisation_has_no_one_to_refer_to():
    """NATO and the EU are speakers, but not people the article names: "he" and "she" stay unresolved."""
    assert attributions(
        "NATO said the alliance would not be drawn into the war.\n\n“We will not send troops,” he said.\n\n"
        "The EU said it would send more aid.\n\n“We will pay for it,” she said.\n"
    ) == [
        (False, "", "NATO", "cue"),
        (True, "q1", "(unresolved)", "pronoun_unresolved"),
        (False, "", "The EU", "cue"),
        (True, "q2", "(unresolved)", "pronoun_unresolved"),
    ]


def test_a_photo_credit_is_not_a_person_she_can_refer_to():
    out = attributions("A soldier in Kharkiv. (Photo: Maria Lopez/Reuters)\n\n“We will hold the line,” she said.\n")
    assert out[-1] == (True, "q1", "(unresolved)", "pronoun_unresolved")


def test_they_said_takes_the_previous_speaker_and_is_unresolved_after_the_narrator():
    assert attributions(
        "Officials in Kyiv said the line would hold.\n\n“We have enough shells for the winter,” they said.\n"
    ) == [(False, "", "Officials", "cue"), (True, "q1", "Officials", "pronoun")]
    assert attributions("The talks ended at noon.\n\n“We will be back,” they said.\n") == [
        (False, "", "", ""),
        (True, "q1", "(unresolved)", "pronoun_unresolved"),
    ]


def test_every_sentence_of_a_quotation_gets_the_speaker_of_its_cue():
    """The cue "said Jonas Berg" is in the second sentence; the first sentence and the next paragraph's two
    sentences (no cue, the quotation goes on) are his, marked continued, all with one quote id."""
    assert attributions(
        "“The front is stable. We can hold it through the winter,” said Jonas Berg, the Norwegian admiral.\n\n"
        "“Our shells will last until spring. After that, we need more.”\n"
    ) == [
        (True, "q1", "Jonas Berg", "continued"),
        (True, "q1", "Jonas Berg", "cue"),
        (True, "q1", "Jonas Berg", "continued"),
        (True, "q1", "Jonas Berg", "continued"),
    ]


def test_a_sentence_of_a_quotation_with_its_own_cue_keeps_it():
    """One quotation interrupted by "Jonas Berg said" and closed by "Berg added": both sentences name their
    speaker themselves (Berg is written out in full), so neither is marked continued."""
    assert attributions(
        "“We will hold the line,” Jonas Berg said, “and we will win. Nobody in Oslo doubts it,” Berg added.\n"
    ) == [(True, "q1", "Jonas Berg", "cue"), (True, "q1", "Jonas Berg", "cue")]


def test_a_quotation_without_any_cue_has_no_speaker_but_one_quote_id():
    assert attributions("The envoy left the room.\n\n“We are tired. We want this to end.”\n") == [
        (False, "", "", ""),
        (True, "q1", "", ""),
        (True, "q1", "", "continued"),
    ]


def test_two_quotations_in_one_paragraph_keep_their_own_speakers_and_ids():
    assert attributions("“We will fight on,” said Olena Hrytsenko. “Talks are a trap,” said Marek Novak.\n") == [
        (True, "q1", "Olena Hrytsenko", "cue"),
        (True, "q2", "Marek Novak", "cue"),
    ]
    # "stressed" and "urged" are not our speech verbs: textacy names both speakers, each for its own quotation
    out = attributions(
        "“We will not trade land,” Volodymyr Zelensky stressed. The talks ended. "
        "“Russia must leave,” Ursula von der Leyen urged.\n"
    )
    assert out[0] == (True, "q1", "Volodymyr Zelensky", "textacy") and out[1] == (False, "", "", "")
    assert out[2][:2] == (True, "q2") and out[2][2].endswith("Leyen") and out[2][3] == "textacy"


def test_a_quotation_with_according_to_takes_the_speaker_of_its_speech_verb():
    """ "According to the agency" is outside the quotation, but the quotation's own speaker is the official who
    "said" it: textacy's direct quotation wins over "according to" for quoted text."""
    ((is_quote, quote_id, speaker, rule),) = attributions(
        "According to the agency, “the shells will arrive in March and the tanks in May,” a senior official said.\n"
    )
    assert (is_quote, quote_id, rule) == (True, "q1", "textacy") and speaker.endswith("official")


def test_he_said_refers_to_a_person_named_at_the_very_start_of_the_article():
    assert attributions(
        "Jonas Berg, the Norwegian admiral, spoke to reporters in Oslo.\n\n“The front is stable,” he said.\n"
    ) == [(False, "", "", ""), (True, "q1", "Jonas Berg", "pronoun")]


def test_she_said_refers_to_a_person_named_earlier_in_her_paragraph():
    assert attributions(
        "The ministers met in Vilnius.\n\nMaria Lopez spoke first. “We need a ceasefire now,” she said.\n"
    ) == [(False, "", "", ""), (False, "", "", ""), (True, "q1", "Maria Lopez", "pronoun")]


NAMES_IN_QUOTES = (
    "Tom Shannon, a former diplomat, said the talks had failed.\n\n"
    "“Sergei Lavrov is not a serious partner,” officials in Kyiv said.\n\n"
    "“Nobody expected anything else,” he said.\n"
)


def test_a_name_inside_an_earlier_quotation_is_not_who_he_refers_to():
    """Lavrov is named only inside the officials' quotation: "he" is still Shannon, the last person speaking."""
    assert attributions(NAMES_IN_QUOTES) == [
        (False, "", "Tom Shannon", "cue"),
        (True, "q1", "officials", "cue"),
        (True, "q2", "Tom Shannon", "pronoun"),
    ]


def test_attribution_does_not_depend_on_the_order_of_the_rows():
    table = segment_text(NAMES_IN_QUOTES, "t")
    forward = attribute(NAMES_IN_QUOTES, table)
    backward = attribute(NAMES_IN_QUOTES, table.iloc[::-1])
    assert backward.index.tolist() == [2, 1, 0]
    pd.testing.assert_frame_equal(backward.loc[table.index], forward)


def test_a_relative_pronoun_found_by_textacy_is_not_a_speaker():
    """textacy reads "who said" as the quotation's speaker "who": not a name, so the quote has no speaker."""
    assert attributions("The general met soldiers who said: “We need more shells, and we need them now.”\n") == [
        (True, "q1", "", "")
    ]


# --- segment: the file stage -------------------------------------------------------------------------------------

ARTICLE = "Allies split over talks\n\n" + BODY + CLOSE  # the title, then three body sentences


def test_segment_file_skips_the_removed_paragraphs_and_adds_the_speaker_columns(tmp_path):
    folder = tmp_path / "vilnius-talks"
    folder.mkdir()
    (folder / "text.txt").write_text(ARTICLE, encoding="utf-8")
    removed = remove_boilerplate(folder / "text.txt", folder / "removed.csv")
    assert removed[["start", "end", "reason", "text"]].values.tolist() == [
        [0, 23, "title", "Allies split over talks"]  # 23 characters
    ]
    table = segment_file(folder / "text.txt", folder / "statements.csv", removed_csv=folder / "removed.csv")
    assert list(table.columns) == [*STATEMENT_COLUMNS, *SPEAKER_COLUMNS]  # speakers are on by default
    assert table["article"].tolist() == ["vilnius-talks"] * 3
    assert table["paragraph"].tolist() == [1, 2, 3]  # the title's paragraph 0 is skipped, numbers are kept
    assert table["text"].iloc[0].startswith("The foreign ministers")
    assert table["speaker"].tolist() == ["", "Officials", ""]  # "Officials said …"
    written = pd.read_csv(folder / "statements.csv", keep_default_na=False)
    assert written["text"].tolist() == table["text"].tolist()

    plain = segment_file(folder / "text.txt", folder / "all.csv", speakers=False, article="other")
    assert list(plain.columns) == STATEMENT_COLUMNS
    assert plain["paragraph"].tolist() == [0, 1, 2, 3] and set(plain["article"]) == {"other"}


def test_segment_file_names_the_file_when_the_text_cannot_be_segmented(tmp_path, monkeypatch):
    def refuse(text, article, removed=None):
        raise InputError("segmenter returned text not in the article near offset 0")

    monkeypatch.setattr(segment_module, "segment_text", refuse)
    (tmp_path / "text.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(InputError) as err:
        segment_file(tmp_path / "text.txt", tmp_path / "statements.csv", speakers=False)
    assert str(err.value) == f"{tmp_path / 'text.txt'}: segmenter returned text not in the article near offset 0"


def test_statements_from_raw_reads_windows_line_endings(tmp_path):
    """A raw file saved with CRLF: paragraphs are still found (the title is removed), offsets index the text with
    plain line breaks, and the article id is the file's stem."""
    raw = tmp_path / "vilnius-2023.txt"
    raw.write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    table = statements_from_raw(raw)
    assert table["article"].tolist() == ["vilnius-2023"] * 3
    assert table["paragraph"].tolist() == [1, 2, 3]
    assert table["start"].iloc[0] == len("Allies split over talks\n\n")  # 25
    assert not table["text"].str.contains("\r").any()
    assert all(ARTICLE[s:e] == t for s, e, t in table[["start", "end", "text"]].itertuples(index=False))
    assert table["speaker"].tolist() == ["", "Officials", ""]


def test_the_file_stages_read_utf8_whatever_the_locale(tmp_path):
    """In a plain ASCII locale (no UTF-8 mode, no locale coercion) the stages still read the curly quotes: the
    title is removed, two statements are left, and the envoy is the quote's speaker."""
    text = "Peace talks stall\n\n“We will not give up,” the envoy said on Monday.\n\nThe talks ended.\n"
    (tmp_path / "a").mkdir()
    (tmp_path / "a/text.txt").write_text(text, encoding="utf-8")
    script = (
        "import sys\n"
        "from stancemap.text.boilerplate import remove_boilerplate\n"
        "from stancemap.text.segment import segment_file\n"
        "d = sys.argv[1]\n"
        "removed = remove_boilerplate(d + '/text.txt', d + '/removed.csv')\n"
        "table = segment_file(d + '/text.txt', d + '/s.csv', removed_csv=d + '/removed.csv', speakers=False)\n"
        "print(len(removed), len(table))\n"
        "print(ascii(table['text'].iloc[0]))\n"
        "from stancemap.text.segment import statements_from_raw\n"
        "raw = statements_from_raw(d + '/text.txt')\n"
        "print(ascii(raw['text'].tolist()), ascii(raw['speaker'].tolist()))\n"
    )
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(segment_module.__file__).parents[2]), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "a")], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    quote = "“We will not give up,” the envoy said on Monday."
    assert done.stdout.splitlines() == ["1 2", ascii(quote), f"{ascii([quote, 'The talks ended.'])} ['the envoy', '']"]
