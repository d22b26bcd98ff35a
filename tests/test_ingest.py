import json

import pytest

from stancemap.io import InputError
from stancemap.text.boilerplate import find_boilerplate
from stancemap.text.ingest import discover, ingest_file, markdown_to_text, scan_raw_dir
from stancemap.text.segment import segment_text


def run(tmp_path, name, data: bytes, **kw):
    src = tmp_path / name
    src.write_bytes(data)
    meta = ingest_file(src, tmp_path / "out/text.txt", tmp_path / "out/meta.json", **kw)
    return (tmp_path / "out/text.txt").read_text(encoding="utf-8"), meta


def test_txt_is_raw_text_with_only_crlf_normalised(tmp_path):
    raw = "Title line\r\n\r\n  Blinken said “no.”  \r\nSecond line.\n"
    text, meta = run(tmp_path, "a.txt", raw.encode("utf-8"))
    assert text == raw.replace("\r\n", "\n")
    saved = json.loads((tmp_path / "out/meta.json").read_text())
    assert saved == meta
    assert meta["article"] == "a" and meta["size_bytes"] == len(raw.encode()) and len(meta["sha256"]) == 64


def test_markdown_markup_removed_and_title_found():
    text, title = markdown_to_text("# Talks stall\n\nThe **envoy** met [Lavrov](http://x.y) in *Delhi*.\n")
    assert title == "Talks stall"
    assert "The envoy met Lavrov in Delhi." in text
    assert "http" not in text and "*" not in text and "#" not in text


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"  \n\t\n ", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"abc\x00\x00def", "binary"),
    ],
)
def test_unreadable_files_are_refused_with_the_file_name(tmp_path, data, message):
    with pytest.raises(InputError, match=message) as err:
        run(tmp_path, "bad.txt", data)
    assert "bad.txt" in str(err.value)
    assert not (tmp_path / "out/text.txt").exists()


def test_windows_1252_is_decoded(tmp_path):
    text, meta = run(tmp_path, "w.txt", "Caf\u00e9 talks \u2013 maybe.".encode("cp1252"))
    assert text == "Caf\u00e9 talks \u2013 maybe." and meta["encoding"] == "cp1252"


def test_undecodable_bytes_name_the_offset(tmp_path):
    with pytest.raises(InputError, match=r"offset 4"):
        run(tmp_path, "x.txt", b"abcd\x81\x8d more")


def test_size_limit_and_extension(tmp_path):
    with pytest.raises(InputError, match="over the limit"):
        run(tmp_path, "big.txt", b"word " * 100, max_bytes=100)
    with pytest.raises(InputError, match="unsupported file type"):
        run(tmp_path, "doc.docx", b"text")


def test_discover_skips_unsupported_and_refuses_duplicate_stems(tmp_path, caplog):
    (tmp_path / "a.txt").write_text("A.")
    (tmp_path / "b.md").write_text("B.")
    (tmp_path / "c.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.txt").write_text("H.")
    assert list(discover(tmp_path)) == ["a", "b"]
    assert "c.pdf" in caplog.text
    (tmp_path / "a.md").write_text("A again.")
    with pytest.raises(InputError, match="same name"):
        discover(tmp_path)


def test_non_english_article_is_refused_and_english_passes(tmp_path):
    german = (
        "Die Regierung in Berlin hält Verhandlungen mit Russland derzeit nicht für sinnvoll, weil der Krieg "
        "weitergeht. Der Kanzler sagte, man werde die Ukraine so lange wie nötig unterstützen und keine "
        "Entscheidung über ihren Kopf hinweg treffen, auch wenn die Kosten steigen."
    )
    with pytest.raises(InputError, match="does not look like English"):
        run(tmp_path, "de.txt", german.encode())
    english = (
        "The government in Berlin does not think that talks with Russia make sense at the moment, because "
        "the war goes on. The chancellor said that they would support Ukraine for as long as it takes and "
        "would not decide anything over its head, even if the costs rise."
    )
    assert run(tmp_path, "en.txt", english.encode())[1]["status"] == "ok"
    assert run(tmp_path, "de2.txt", german.encode(), require_english=False)[1]["status"] == "ok"


def test_text_without_words_has_no_statements(tmp_path):
    with pytest.raises(InputError, match="no statements"):
        run(tmp_path, "stars.txt", b"***\n\n--- 2023 ---\n")


def test_saved_html_page_gives_main_text_and_metadata_without_fetching(tmp_path, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("ingest tried to use the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    html = """<html><head><title>Envoys meet - Test Wire</title><meta name="author" content="Jane Roe">
    <meta property="article:published_time" content="2024-11-05"><meta property="og:site_name" content="Test Wire">
    <link rel="stylesheet" href="http://example.org/style.css"></head><body><nav>Home | World | Subscribe</nav>
    <article><h1>Envoys meet in Geneva</h1><p>A group of envoys urged talks on Tuesday, arguing that neither side
    can win outright on the battlefield and that the killing must stop.</p><img src="http://example.org/a.jpg">
    <p>“It is time to negotiate,” said Ana Ribeiro, a diplomat who has met officials in both capitals.</p>
    </article><footer>Copyright Test Wire</footer></body></html>"""
    text, meta = run(tmp_path, "page.html", html.encode("utf-8"))
    assert meta["title"] == "Envoys meet in Geneva" and meta["author"] == "Jane Roe"
    assert meta["date"] == "2024-11-05" and meta["outlet"] == "Test Wire"
    assert "“It is time to negotiate,” said Ana Ribeiro" in text and "\n\n" in text
    assert "Subscribe" not in text and "Copyright" not in text


def test_html_without_article_text_is_refused(tmp_path):
    with pytest.raises(InputError, match="no article text"):
        run(tmp_path, "empty.htm", b"<html><body><nav>Home</nav></body></html>")


def test_an_article_that_looks_all_boilerplate_is_kept_whole_and_says_so(tmp_path, caplog):
    """Issue 12: a page whose only paragraph matched a promo rule ("Ceasefire Prospects: Ukraine …") was refused
    whole. Losing an article is worse than keeping a headline among its statements."""
    text, meta = run(tmp_path, "headline.txt", b"Ceasefire Prospects: Ukraine and Russia trade blame as talks stall\n")
    assert text.startswith("Ceasefire Prospects") and meta["status"] == "ok"
    assert meta["boilerplate_paragraphs"] == 0 and "nothing removed" in meta["boilerplate_note"]
    assert "nothing removed" in caplog.text and "headline.txt" in caplog.text
    statements = segment_text(text, "headline", find_boilerplate(text)[0])
    assert statements["text"].tolist() == ["Ceasefire Prospects: Ukraine and Russia trade blame as talks stall"]


def test_the_layout_is_recorded_in_meta(tmp_path):
    body = "Envoys met in Geneva on Tuesday.\nThey agreed to meet again, officials said.\nThe talks were long.\n"
    _, meta = run(tmp_path, "lines.txt", body.encode())
    assert meta["layout"] == "lines" and meta["paragraphs"] == 3


def test_a_file_without_words_is_still_refused(tmp_path):
    with pytest.raises(InputError, match="no words"):
        run(tmp_path, "dots.txt", b"... --- ***\n")


def test_nul_byte_anywhere_is_refused_with_its_offset(tmp_path):
    # Past the first 4 KB, where a sniff of the file's start would not look: offset 5000 + len("x ") = 5002.
    data = b"word " * 1000 + b"x \x00 more words."
    with pytest.raises(InputError, match=r"NUL byte at offset 5,002") as err:
        run(tmp_path, "nul.txt", data)
    assert "nul.txt" in str(err.value)
    assert not (tmp_path / "out/text.txt").exists()


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
        ("utf-32-be", b"\x00\x00\xfe\xff"),
    ],
)
def test_utf16_and_utf32_with_a_byte_order_mark_are_decoded(tmp_path, encoding, bom):
    article = "Caf\u00e9 talks \u2013 \u201cmaybe,\u201d she said.\r\nAllies met in Kyiv.\n"
    text, meta = run(tmp_path, "u.txt", bom + article.encode(encoding))
    assert text == article.replace("\r\n", "\n") and meta["encoding"] == encoding


def test_utf16_without_a_byte_order_mark_is_refused_at_its_first_nul(tmp_path):
    # "A" in UTF-16-LE is 41 00: the first NUL is byte 1.
    with pytest.raises(InputError, match=r"NUL byte at offset 1\b"):
        run(tmp_path, "u.txt", "Allies met in Kyiv.".encode("utf-16-le"))


def test_nul_inside_utf16_text_is_refused_with_the_file_offset(tmp_path):
    # BOM (2 bytes) + "ab" (4 bytes): the NUL character starts at byte 6.
    with pytest.raises(InputError, match=r"NUL byte at offset 6\b"):
        run(tmp_path, "u.txt", b"\xff\xfe" + "ab\x00cd".encode("utf-16-le"))


def test_symlinks_are_refused_and_never_read(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("The allies said many things about the war in Ukraine and the talks with Russia.\n")
    (raw / "good.txt").write_text("Allies met in Kyiv.\n")
    (raw / "link.txt").symlink_to(secret)
    (raw / "inside.txt").symlink_to(raw / "good.txt")  # a link is refused even when it points inside
    (raw / "sub").mkdir()
    articles, skipped = scan_raw_dir(raw)
    assert articles == {"good": raw / "good.txt"}
    assert sorted(p.name for p in skipped) == ["inside.txt", "link.txt", "sub"]
    assert "symbolic link" in skipped[raw / "link.txt"] and str(secret) in skipped[raw / "link.txt"]
    with pytest.raises(InputError, match="symbolic link") as err:
        ingest_file(raw / "link.txt", tmp_path / "out/text.txt", tmp_path / "out/meta.json")
    assert "link.txt" in str(err.value) and not (tmp_path / "out").exists()


def test_unsupported_files_are_listed_with_the_reason(tmp_path):
    (tmp_path / "a.txt").write_text("A.")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    articles, skipped = scan_raw_dir(tmp_path)
    assert list(articles) == ["a"]
    assert {p.name: r.split(";")[0] for p, r in skipped.items()} == {
        "notes.docx": "unsupported file type '.docx'",
        "scan.pdf": "unsupported file type '.pdf'",
    }
