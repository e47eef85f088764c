"""Reading page exports: UTF-8 only (else one located diagnostic), export formatting removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablegram.convert.model import Line
from cablegram.convert.reader import clean_line, decode_source, read_lines, read_source
from cablegram.diagnostics import CablegramError

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("## **June 30, 1951**", "June 30, 1951"),
        ("#### **Citation:**", "Citation:"),
        ("**July 14, 1951**", "July 14, 1951"),
        ("__Summary:__", "Summary:"),
        ("**Ciphered Telegram No. 8600, Vyshinsky to Mao", "Ciphered Telegram No. 8600, Vyshinsky to Mao"),
        ("Zedong**", "Zedong"),
        (
            "**Cable No. 4153, Filippov [Stalin] to Krasovsky, for  ",
            "Cable No. 4153, Filippov [Stalin] to Krasovsky, for",
        ),
        ("<b>Title</b>\tTelegram from Filippov (Stalin)", "Title\tTelegram from Filippov (Stalin)"),
        ("<b>Identifier</b>\t", "Identifier"),
        ("<i>Summary</i>", "Summary"),
        ("Original Scan  ", "Original Scan"),
        ("-----", ""),
        ("* * *", ""),
        ("\\[Stalin\\] and \\#3", "[Stalin] and #3"),
        ("AT&amp;T&nbsp;copy", "AT&T copy"),
        (
            "[Wilson Center](https://digitalarchive.wilsoncenter.org/document/1)",
            "Wilson Center <https://digitalarchive.wilsoncenter.org/document/1>",
        ),
        # kept for the body encoder
        ("*Макаров*", "*Макаров*"),
        ("~~СЕКРЕТНО~~ 48", "~~СЕКРЕТНО~~ 48"),
        ("a literal \\* star", "a literal \\* star"),
        ("- 2 -", "- 2 -"),
        ("Верно: начальник отделения  ", "Верно: начальник отделения"),
        (" Отправлена 5 час. 30 мин.", " Отправлена 5 час. 30 мин."),
    ],
)
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


def test_line_numbers_are_those_of_the_source() -> None:
    lines = read_source(SOURCES / "wc-117420.txt")
    assert len(lines) == 188
    assert [line.number for line in lines] == list(range(1, 189))
    assert lines[174] == Line(175, "")  # the `-----` rule stays an (empty) line
    assert lines[80] == Line(81, "Identifier")
    assert lines[81] == Line(82, "Title\tTelegram from Filippov (Stalin) to Mao Zedong via Krosovsky")


def test_bom_is_dropped_and_crlf_normalised() -> None:
    raw = (PAGES / "russian-only-crlf-markdown.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    lines = read_source(PAGES / "russian-only-crlf-markdown.txt")
    assert lines[0] == Line(1, "")
    assert lines[2] == Line(3, "June 30, 1951")
    assert all("\r" not in line.text and "\ufeff" not in line.text for line in lines)


def test_lone_carriage_returns_are_line_breaks() -> None:
    assert decode_source(b"a\rb\r\nc\n", "x.txt") == "a\nb\nc\n"
    assert [line.number for line in read_lines("a\nb\n")] == [1, 2]


@pytest.mark.parametrize(
    ("data", "line", "column", "words"),
    [
        ("May 14, 1950\nШифртелеграмма".encode("utf-16"), 1, 1, "UTF-16"),
        ("May 14, 1950\nШифртелеграмма".encode("utf-16-le"), 1, 2, "NUL"),
        (b"May 14, 1950\n\nab " + "Шифртелеграмма".encode("cp1251"), 3, 4, "0xD8"),
        (b"Title\r\n\r\n\xcf\xe5\xea\xe8\xed", 3, 1, "Windows-1251"),
        (b"Title\nok\nbin\x00ary", 3, 4, "NUL"),
        (b"", 1, 1, "empty"),
        (b"\n \n\t\n", 1, 1, "empty"),
        (b"\xef\xbb\xbf", 1, 1, "empty"),
    ],
    ids=["utf-16-bom", "utf-16-no-bom", "cp1251", "cp1251-crlf", "nul-byte", "empty", "blank", "bom-only"],
)
def test_bad_encoding_gives_one_located_diagnostic(data: bytes, line: int, column: int, words: str) -> None:
    with pytest.raises(CablegramError) as caught:
        decode_source(data, "sources/bad.txt")
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.path, diagnostic.line, diagnostic.column) == ("sources/bad.txt", line, column)
    assert words in diagnostic.message
    assert diagnostic.rule == "encoding"
    if words != "empty":
        assert "re-save it as UTF-8" in diagnostic.message


def test_bad_file_on_disk_is_named(tmp_path: Path) -> None:
    path = tmp_path / "wc-1.txt"
    path.write_bytes("Шифртелеграмма".encode("cp1251"))
    with pytest.raises(CablegramError) as caught:
        read_source(path)
    assert (
        caught.value.diagnostics[0]
        .format()
        .startswith(f"{path}:1:1: error: [encoding] byte 0xD8 is not UTF-8")
    )


def test_missing_file() -> None:
    with pytest.raises(CablegramError) as caught:
        read_source(ROOT / "sources" / "absent.txt")
    assert caught.value.diagnostics[0].rule == "io"
