"""Attribution patterns, each on sentences written for the test."""

import pytest

from stancemap.text.segment import segment_text
from stancemap.text.speakers import attribute


def speakers(text):
    statements = segment_text(text, "t")
    return statements.join(attribute(text, statements))


def row(table, start):
    return table[table["text"].str.startswith(start)].iloc[0]


def test_said_x_and_x_said_and_full_names():
    t = speakers(
        "“We will not give up an inch,” said Olena Hrytsenko, a senior Ukrainian diplomat.\n\n"
        "Later that day Hrytsenko said the talks were over.\n"
    )
    assert row(t, "“We will")["speaker"] == "Olena Hrytsenko" and row(t, "“We will")["is_quote"]
    assert row(t, "Later")["speaker"] == "Olena Hrytsenko" and not row(t, "Later")["is_quote"]


def test_pronoun_resolves_to_the_last_named_speaker():
    t = speakers(
        "Admiral Jonas Berg spoke to reporters in Oslo. “The front is stable,” Berg said.\n\n"
        "“We can hold it through the winter,” he said.\n"
    )
    assert row(t, "“We can")["speaker"] == "Jonas Berg" and row(t, "“We can")["speaker_rule"] == "pronoun"


def test_a_quote_continued_without_a_cue_keeps_speaker_and_quote_id():
    t = speakers(
        "“Nobody wants a frozen conflict,” said Pia Lund, the Swedish envoy.\n\n"
        "“But nobody wants another year of this either.”\n\nThe meeting ended at noon.\n"
    )
    first, second = row(t, "“Nobody"), row(t, "“But")
    assert second["speaker"] == "Pia Lund" and second["speaker_rule"] == "continued"
    assert first["quote_id"] and first["quote_id"] == second["quote_id"]
    assert row(t, "The meeting")["speaker"] == "" and row(t, "The meeting")["quote_id"] == ""


def test_paraphrase_and_according_to():
    t = speakers(
        "The ceasefire proposal is a trap, the minister and his advisers say.\n\n"
        "Critics counter that talks are the only way out.\n\n"
        "The convoy was delayed by a day, according to two officials.\n\n"
        "The river rose after the storm.\n"
    )
    assert row(t, "The ceasefire")["speaker"] == "the minister and his advisers"
    assert row(t, "Critics")["speaker"] == "Critics"
    assert row(t, "The convoy")["speaker"] == "two officials"
    assert row(t, "The river")["speaker"] == ""


def test_a_reported_verb_inside_a_description_is_not_an_attribution():
    t = speakers("The general approved the shells that Kyiv said it needed.\n")
    assert t["speaker"].iloc[0] == ""


@pytest.mark.parametrize("text", ["No quotation marks at all.", "“An unclosed quotation runs on"])
def test_odd_quotes_do_not_break_attribution(text):
    t = speakers(text + "\n")
    assert len(t) == 1


def test_x_told():
    t = speakers("Admiral Jonas Berg told reporters that the line would hold through the winter.\n")
    assert t["speaker"].iloc[0] == "Jonas Berg" and not t["is_quote"].iloc[0]


def test_a_pronoun_with_no_one_to_refer_to_is_marked_unresolved():
    t = speakers("“The talks are over,” he said.\n\n“We will see,” they said.\n")
    assert set(t["speaker"]) == {"(unresolved)"}
    assert set(t["speaker_rule"]) == {"pronoun_unresolved"}


def test_he_said_is_the_person_just_named_not_the_previous_speaker():
    t = speakers(
        "“We need a ceasefire now,” said Maria Lopez, the Spanish foreign minister.\n\n"
        "The Portuguese envoy, Joseph Carter, was more sceptical. He said the talks could fail.\n"
    )
    assert row(t, "“We need")["speaker"] == "Maria Lopez"
    assert row(t, "The Portuguese")["speaker"] == ""
    assert row(t, "He said")["speaker"] == "Joseph Carter" and row(t, "He said")["speaker_rule"] == "pronoun"


def test_he_said_skips_names_in_the_reported_words_and_in_quotes():
    t = speakers(
        "Tom Shannon, a former diplomat, said the talks had failed.\n\n"
        "Vladimir Putin will not make concessions to smaller countries, he said.\n\n"
        "“Nobody believes Viktor Orban can broker this,” he said.\n"
    )
    assert row(t, "Vladimir Putin")["speaker"] == "Tom Shannon"
    assert row(t, "“Nobody")["speaker"] == "Tom Shannon"
