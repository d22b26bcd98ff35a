import pytest

from stancemap.columns import STATEMENT_COLUMNS
from stancemap.io import InputError
from stancemap.text.segment import segment_file, segment_text

TEXT = (
    "Masthead line\n\n"
    "Gen. Mark A. Milley met U.S. officials on Sept. 9. He urged talks with Russia.\n\n"
    "  “We should talk,” the general said. “Now.”  \n\n\n"
    "The same sentence. The same sentence.\n"
)


def test_offsets_index_the_text_and_abbreviations_do_not_split():
    table = segment_text(TEXT, "art")
    assert list(table.columns) == STATEMENT_COLUMNS
    for row in table.itertuples():
        assert TEXT[row.start : row.end] == row.text
    texts = table["text"].tolist()
    assert "Gen. Mark A. Milley met U.S. officials on Sept. 9." in texts
    assert "He urged talks with Russia." in texts
    assert table["statement_id"].tolist() == list(range(len(table)))
    assert table["paragraph"].tolist() == [0, 1, 1, 2, 2, 3, 3]


def test_repeated_sentences_get_distinct_offsets():
    table = segment_text(TEXT, "art")
    repeats = table[table["text"] == "The same sentence."]
    assert len(repeats) == 2 and repeats["start"].nunique() == 2


def test_segment_file_writes_csv_and_refuses_empty(tmp_path):
    (tmp_path / "art").mkdir()
    (tmp_path / "art/text.txt").write_text(TEXT, encoding="utf-8")
    table = segment_file(tmp_path / "art/text.txt", tmp_path / "art/statements.csv")
    assert (tmp_path / "art/statements.csv").exists() and table["article"].eq("art").all()
    (tmp_path / "art/text.txt").write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="no statements"):
        segment_file(tmp_path / "art/text.txt", tmp_path / "art/s2.csv")


def test_hard_wrapped_lines_are_not_sentence_ends():
    text = "Mr. Blinken said on Tuesday that the\nallies would stay united. Gen. Milley\nargued for talks.\n"
    table = segment_text(text, "w")
    assert table["text"].tolist() == [
        "Mr. Blinken said on Tuesday that the\nallies would stay united.",
        "Gen. Milley\nargued for talks.",
    ]
    assert all(text[r.start : r.end] == r.text for r in table.itertuples())
