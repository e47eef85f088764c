"""Reading any page export into a `Page`: the five sources and one fixture per other layout of the archive."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cablegram.convert.model import ArchivalCitation, Line, Page, Party
from cablegram.convert.page import derive_id, page_date, parse_archival, parse_parties, read_page
from cablegram.convert.reader import read_lines, read_source
from cablegram.diagnostics import CablegramError

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


def load(path: Path) -> Page:
    return read_page(read_source(path), str(path))


def parts(location: ArchivalCitation) -> tuple[str, ...]:
    return (
        location.repository_key,
        location.fond,
        location.opis,
        location.delo,
        location.papka,
        location.listy,
    )


def names(parties: list[Party]) -> list[str]:
    return [party.name for party in parties]


# What each page must give: doc id, title, ISO date, archival parts, sender, recipients, intermediary,
# body (first line number, first text), (last line number, last text).
EXPECTED: dict[str, dict[str, Any]] = {
    "wc-110374.txt": {
        "doc_id": "wc-110374",
        "title": "Ciphered telegram, Filippov (Stalin) to Mao Zedong",
        "date_iso": "1951-06-30",
        "url": "http://digitalarchive.wilsoncenter.org/document/110374",
        "archival": [("aprf", "45", "1", "339", "", "95-96"), ("avprf", "059a", "5a", "4", "11", "14-15")],
        "parties": ("Filippov (Stalin)", ["Mao Zedong"], None),
        "contents": ["English Translation"],
        "publisher": "History and Public Policy Program Digital Archive",
        "first": (25, "CIPHERED TELEGRAM No. 3917"),
        "last": (55, "No. 335/III"),
    },
    "wc-113729.txt": {
        "doc_id": "wc-113729",
        "title": "Ciphered Telegram, Filippov (Stalin) to Mao Zedong and Zhou Enlai (via Roshchin)",
        "date_iso": "1950-10-01",
        "archival": [("aprf", "45", "1", "334", "", "99-103"), ("rgaspi", "558", "11", "334", "", "97-98")],
        "parties": ("Filippov (Stalin)", ["Mao Zedong", "Zhou Enlai"], "Roshchin"),
        "contents": ["English Translation", "Russian Transcription", "Scan of Original Document"],
        "first": (27, "Transmitted to Bulganin"),
        "last": (98, "1 октября 1950г."),
    },
    "wc-114900.txt": {
        "doc_id": "wc-114900",
        "title": "Ciphered Telegram, Roshchin to Cde. Filippov [Stalin]",
        "date_iso": "1950-05-14",
        "url": "https://wilson-center.drivingcreative.com/document/114900",
        "archival": [("rgaspi", "558", "11", "334", "", "0056")],
        "parties": ("Roshchin", ["Filippov [Stalin]"], None),
        "translator": "Gary Goldberg",
        "funder": "Leon Levy Foundation",
        "contents": ["Original Scan", "Translation - English"],
        "publisher": "Wilson Center Digital Archive",
        "first": (24, "56"),
        "last": (88, 'Roshchin"'),
    },
    "wc-115976.txt": {
        "doc_id": "wc-115976",
        "title": "Ciphered Telegram No. 8600, Vyshinsky to Mao Zedong",
        "date_iso": "1950-05-14",
        "archival": [("aprf", "", "", "", "", ""), ("rgaspi", "558", "11", "334", "", "0055")],
        "parties": ("Vyshinsky", ["Mao Zedong"], None),
        "funder": "Leon Levy Foundation",
        "first": (28, "МВД СССР"),
        "last": (
            121,
            "Copies:\n1. Comr. Stalin\n2. Comr. Molotov\n3. Comr. Vyshinsky\n4. Comr. 10th department\n"
            "5. Comr. Copy",
        ),
    },
    "wc-117420.txt": {
        "doc_id": "wc-117420",
        "title": "Cable No. 4153, Filippov [Stalin] to Krasovsky, for Mao Zedong",
        "date_iso": "1951-07-14",
        "url": "https://digitalarchive.umd.edu/document/117420",
        "archival": [("aprf", "45", "1", "340", "", "48")],
        "parties": ("Filippov [Stalin]", ["Mao Zedong"], "Krasovsky"),
        "contents": ["Original Scan", "Transcript - Russian", "Translation - English"],
        "subjects": ["Sino-Soviet relations", "Korean War"],
        "first": (31, "№ 49, II"),
        "last": (186, "[Stamp: SUBJECT TO RETURN"),
    },
    "newer-site-body-first.txt": {
        "doc_id": "wc-900114",
        "title": "Ciphered Telegram, Roshchin to Cde. Filippov [Stalin]",
        "date_iso": "1950-05-14",
        "url": "",
        "archival": [("rgaspi", "558", "11", "334", "", "0056")],
        "parties": ("Roshchin", ["Filippov [Stalin]"], None),
        "translator": "Gary Goldberg",
        "subjects": ["Korean War, 1950-1953", "Sino-Soviet Relations"],
        "summary": "Soviet Ambassador to China N.V. Roschin relays",
        "first": (5, "Strictly Secret"),
        "last": (21, "Roshchin"),
    },
    "older-bullet-citation-no-title.txt": {
        "doc_id": "wc-900110",
        "title": "Ciphered telegram, Filippov (Stalin) to Mao Zedong",
        "date_iso": "1951-06-30",
        "url": "http://digitalarchive.wilsoncenter.org/document/900110",
        "archival": [("aprf", "45", "1", "339", "", "95-96"), ("avprf", "059a", "5a", "4", "11", "14-15")],
        "parties": ("Filippov (Stalin)", ["Mao Zedong"], None),
        "contents": ["English Translation"],
        "dropped": ["• Citation", "get citation", "• Summary"],
        "first": (17, "CIPHERED TELEGRAM No. 3917"),
        "last": (31, "No. 335/III"),
    },
    "all-caps-title-view-document-in.txt": {
        "doc_id": "wc-900113",
        "title": "Ciphered Telegram, Filippov (Stalin) to Mao Zedong and Zhou Enlai (via Roshchin)",
        "date_iso": "1950-10-01",
        "archival": [("aprf", "45", "1", "334", "", "99-103"), ("rgaspi", "558", "11", "334", "", "97-98")],
        "parties": ("Filippov (Stalin)", ["Mao Zedong", "Zhou Enlai"], "Roshchin"),
        "contents": ["English Translation", "Russian Transcription"],
        "dropped": ["VIEW DOCUMENT IN", "English Translation", "Russian Transcription"],
        "first": (22, "ENGLISH TRANSLATION Transmitted to Bulganin"),
        "last": (24, "RUSSIAN TRANSCRIPTION Передано т.Булганину"),
    },
    "translation-only-title-first-credits.txt": {
        "doc_id": "wc-900347",
        "title": "Ciphered Telegram, Filippov [Stalin] to Kim Il Sung (via Shtykov)",
        "date_iso": "1950-10-13",
        "archival": [("aprf", "45", "1", "347", "", "74")],
        "parties": ("Filippov [Stalin]", ["Kim Il Sung"], "Shtykov"),
        "translator": "Gary Goldberg",
        "funder": "Leon Levy Foundation",
        "contents": ["Translation - English"],
        "first": (27, "Ciphered telegram"),
        "last": (41, "13 October 1950"),
    },
    "russian-only-crlf-markdown.txt": {
        "doc_id": "wc-900339",
        "title": "Шифртелеграмма, Филиппов – Мао Цзэдуну",
        "date_iso": "1951-06-30",
        "archival": [("aprf", "45", "1", "339", "", "95-96")],
        "parties": ("Филиппов", ["Мао Цзэдуну"], None),
        "contents": ["Original Scan"],
        "first": (25, "ШИФРТЕЛЕГРАММА № 3917"),
        "last": (36, "30 июня 1951 г."),
    },
    "record-id-without-url.txt": {
        "doc_id": "wc-900420",
        "url": "",
        "date_iso": "1951-07-14",
        "archival": [("aprf", "45", "1", "340", "", "48")],
        "parties": ("Filippov [Stalin]", ["Mao Zedong"], "Krasovsky"),
        "subjects": ["Sino-Soviet relations", "Korean War"],
        "first": (21, "COPY OF AN OUTGOING TELEGRAM"),
        "last": (46, "14 July 1951"),
    },
    "no-record-number-slug-id.txt": {
        "doc_id": "wc-1950-05-14-roshchin-to-filippov",
        "title": "Ciphered Telegram, Roshchin to Cde. Filippov [Stalin]",
        "date_iso": "1950-05-14",
        "archival": [("rgaspi", "558", "11", "334", "", "0056")],
        "translator": "Gary Goldberg",
        "first": (19, "for Cde. Filippov"),
        "last": (23, "Roshchin"),
    },
    "pdf-extracted-copy.txt": {
        "doc_id": "wc-900111",
        "title": "Ciphered telegram, Filippov (Stalin) to Mao Zedong",
        "date_iso": "1951-06-30",
        "archival": [("aprf", "45", "1", "339", "", "95-96"), ("avprf", "059a", "5a", "4", "11", "14-15")],
        "summary": "Telegram from Stalin to Mao advising how to reply to the American request for armistice "
        "negotiations.",
        "contents": ["English Translation"],
        "dropped": [
            "Digital Archive",
            "International History Declassified",
            "digitalarchive.wilsoncenter.org",
            "History and Public Policy Program Digital Archive",
            "wilsoncenter.org",
            "History and Public Policy Program Digital Archive",
            "wilsoncenter.org",
            "Page 1 of 2",
            "History and Public Policy Program Digital Archive",
            "wilsoncenter.org",
            "Page 2 of 2",
        ],
        "first": (22, "CIPHERED TELEGRAM No. 3917"),
        "last": (37, "30 June 1951"),
    },
}


# Section labels standing alone on their line are the export's structure: the reader drops them too.
SECTION_LABEL = re.compile(
    r"^\s*(?:[#*•-]\s*)*(?:citation|summary|credits?|original\s+languages?|contents?)\s*:?\s*$", re.I
)


def path_of(name: str) -> Path:
    return SOURCES / name if name.startswith("wc-") else PAGES / name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_fields(name: str) -> None:
    page = load(path_of(name))
    expected = EXPECTED[name]
    assert page.doc_id == expected["doc_id"]
    assert page.date_iso == expected["date_iso"]
    assert [parts(location) for location in page.archival] == expected["archival"]
    for key in ("title", "url", "translator", "funder", "contents", "subjects", "publisher"):
        if key in expected:
            assert getattr(page, key) == expected[key], key
    if "summary" in expected:
        assert page.summary.startswith(expected["summary"])
    if "parties" in expected:
        sender, recipients, intermediary = expected["parties"]
        assert page.sender == Party(sender)
        assert names(page.recipients) == recipients
        assert (page.intermediary.name if page.intermediary else None) == intermediary
    chrome = [
        line.text for line in page.dropped if not SECTION_LABEL.match(line.text) or line.text[:1] == "•"
    ]
    assert chrome == expected.get("dropped", [])
    assert all(SECTION_LABEL.match(line.text) or line.text in chrome for line in page.dropped)
    first, last = page.body[0], page.body[-1]
    assert (first.line, first.lines[0].text) == (expected["first"][0], expected["first"][1]) or (
        first.line == expected["first"][0] and first.text.startswith(expected["first"][1])
    )
    assert last.line == expected["last"][0]
    assert last.text.startswith(expected["last"][1]) or last.text.endswith(expected["last"][1])


def test_seed_metadata_verbatim() -> None:
    page = load(SOURCES / "wc-115976.txt")
    assert page.citation.startswith(
        '"Ciphered Telegram No. 8600, Vyshinsky to Mao Zedong", May 14, 1950, Wilson'
    )
    assert page.citation.endswith("A copy was subsequently found in RGASPI, f. 558, op. 11, d. 334, ll.0055.")
    assert page.archival[0].repository == "Russian Presidential Archives"
    assert page.archival[1].text == "RGASPI, f. 558, op. 11, d. 334, ll.0055"
    assert page.date_text == "May 14, 1950"
    assert page.original_language == "Russian"
    assert page.record_id == "115976"
    assert page.summary.startswith("The cable contains Stalin's personal response")


def test_document_information_in_mid_body_is_removed() -> None:
    page = load(SOURCES / "wc-117420.txt")
    body_numbers = {line.number for paragraph in page.body for line in paragraph.lines}
    assert not body_numbers & set(range(79, 96))
    assert 97 in body_numbers and 75 in body_numbers  # "*Monika / Justin*" and the last line before the block
    assert 175 not in body_numbers  # the `-----` rule
    assert ("Subject", "Sino-Soviet relations, Korean War") in page.info
    assert (
        "Coverage (Geographic Location)",
        "Soviet Union (USSR), People's Republic of China (PRC), Korea",
    ) in page.info
    assert ("Identifier", "") in page.info and ("Relation", "The Korean War") in page.info
    # The 15 rows of the block, and the Credits sentence kept verbatim beside the funder it names.
    assert (
        len(page.info) == 16
        and ("Credits", "This document was made possible with support from Leon Levy Foundation") in page.info
    )
    monika = next(p for p in page.body if p.line == 97)
    assert monika.text == "*Monika / Justin*"


def test_paragraphs_keep_source_line_numbers() -> None:
    page = load(SOURCES / "wc-115976.txt")
    receipt = next(p for p in page.body if p.text.startswith("Получена"))
    assert [line.number for line in receipt.lines] == [36, 37]
    assert receipt.lines[1].text == " Отправлена 5 час. 30 мин. 14/У 195 0 з."


def test_newer_layout_document_information_and_associated() -> None:
    page = load(PAGES / "newer-site-body-first.txt")
    assert page.record_id == "900114"
    assert ("Original Archive", "Russian State Archive of Socio-Political History") in page.info
    assert ("Record ID", "900114") in page.info
    assert ("Associated Places", "Korea (North)") in page.info
    assert ("Associated People & Organizations", "Stalin, Joseph, 1879-1953") in page.info
    assert all("Soviet Ambassador to China" not in p.text for p in page.body)


def test_empty_associated_headings_are_chrome() -> None:
    lines = read_lines(
        "May 14, 1950\n\nCiphered Telegram, Roshchin to Filippov\n\nfor Cde. Filippov\n\nRoshchin\n\n"
        "A summary of the telegram.\n\nAssociated People & Organizations\n\nAssociated Places\n\n"
        "Associated Topics\n\nDocument Information\n\nRecord ID\n\n114900\n"
    )
    page = read_page(lines, "x.txt")
    assert [line.text for line in page.dropped] == [
        "Associated People & Organizations",
        "Associated Places",
        "Associated Topics",
    ]
    assert page.summary == "A summary of the telegram."
    assert [p.text for p in page.body] == ["for Cde. Filippov", "Roshchin"]
    assert page.doc_id == "wc-114900"


def test_title_without_date_line() -> None:
    lines = read_lines("Ciphered Telegram, Roshchin to Filippov\n\nfor Cde. Filippov\n\nRoshchin\n")
    page = read_page(lines, "x.txt")
    assert page.title == "Ciphered Telegram, Roshchin to Filippov"
    assert page.body[0].text == "for Cde. Filippov"


def test_body_first_without_head_keeps_every_line_in_body() -> None:
    lines = read_lines("CIPHERED TELEGRAM No. 3917\n\nBEIJING—TO KRASOVSKY\n\nFILIPPOV\n")
    page = read_page(lines, "wc-x.txt")
    assert [p.line for p in page.body] == [1, 3, 5]
    assert page.title == ""
    assert page.doc_id == "wc-x"


def test_no_body_is_an_error_naming_the_file() -> None:
    lines = read_lines(
        "May 14, 1950\nCiphered Telegram, Roshchin to Filippov\n\nCitation:\n\n"
        '"X", Wilson Center Digital Archive.\n'
    )
    with pytest.raises(CablegramError) as caught:
        read_page(lines, "sources/wc-1.txt")
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.path == "sources/wc-1.txt"
    assert "no document text found" in diagnostic.message


# Every word of the page is somewhere: in a metadata field, in info, in the body, or dropped as chrome.
LABEL_WORDS = {"citation", "summary", "credits", "original", "language", "contents", "document",
               "information", "associated", "people", "organizations", "places", "topics",
               "this", "was", "made", "possible", "with", "support", "from"}  # fmt: skip
# ("This document was made possible with support from X" is the archive's template: the funder is X)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nothing_is_lost(name: str) -> None:
    path = path_of(name)
    lines = read_source(path)
    page = read_page(lines, str(path))
    placed = {line.number for paragraph in page.body for line in paragraph.lines}
    placed |= {line.number for line in page.dropped}
    metadata = " ".join(
        [page.title, page.date_text, page.url, page.citation, page.summary, page.funder, page.translator,
         page.original_language, " ".join(page.contents), " ".join(f"{k} {v}" for k, v in page.info)]
    )  # fmt: skip
    known = {word.lower() for word in re.findall(r"\w+", metadata)} | LABEL_WORDS
    for line in lines:
        if line.number in placed:
            continue
        words = re.findall(r"\w+", line.text)
        # a word hyphenated at a line end ("armi-" / "stice") is found as part of the joined word
        missing = [
            w for w in words if w.lower() not in known and (len(w) < 4 or w.lower() not in metadata.lower())
        ]
        assert not missing, f"{name}:{line.number}: {missing} lost"


@pytest.mark.parametrize(
    ("citation", "expected"),
    [
        ("RGASPI, f. 558, op. 11, d. 334, ll.0055.", [("rgaspi", "558", "11", "334", "", "0055")]),
        (
            "RGASPI, f. 558, op. 11, d. 334, II. 0056. Translated by Gary Goldberg.",
            [("rgaspi", "558", "11", "334", "", "0056")],
        ),
        (
            "APRF, fond 45, opis 1, delo 334, listy 99-103 and RGASPI f. 558, Op. 11, D. 334, pp. 97-98.",
            [("aprf", "45", "1", "334", "", "99-103"), ("rgaspi", "558", "11", "334", "", "97-98")],
        ),
        (
            "APRF, Fond 45, Opis 1, Delo 339, Listy 95-96 and "
            "AVPRF, Fond 059a, Opis 5a, Delo 4, Papka 11, Listy 14-15",
            [("aprf", "45", "1", "339", "", "95-96"), ("avprf", "059a", "5a", "4", "11", "14-15")],
        ),
        ("APRF, f. 45, op. 1, d. 340, ll. 48.", [("aprf", "45", "1", "340", "", "48")]),
        (
            "The document, from the Russian Presidential Archives, was given by Russian President Yeltsin",
            [("aprf", "", "", "", "", "")],
        ),
        (
            "Archive of the President of the Russian Federation (APRF), fond 3, opis 65, delo 826, listy 1-3",
            [("aprf", "3", "65", "826", "", "1-3")],
        ),
        ("TsAMO, f. 5, op. 918795, d. 122, l. 1", [("tsamo", "5", "918795", "122", "", "1")]),
        ("SAPMO, f. 30, d. 3/1, l. 7", [("", "30", "", "3/1", "", "7")]),
        ("Wilson Center Digital Archive. Translated by Gary Goldberg.", []),
    ],
)
def test_parse_archival(citation: str, expected: list[tuple[str, ...]]) -> None:
    assert [parts(location) for location in parse_archival(citation)] == expected


@pytest.mark.parametrize(
    ("title", "sender", "recipients", "intermediary"),
    [
        ("Ciphered telegram, Filippov (Stalin) to Mao Zedong", "Filippov (Stalin)", ["Mao Zedong"], None),
        (
            "Ciphered Telegram, Filippov (Stalin) to Mao Zedong and Zhou Enlai (via Roshchin)",
            "Filippov (Stalin)",
            ["Mao Zedong", "Zhou Enlai"],
            "Roshchin",
        ),
        (
            "Cable No. 4153, Filippov [Stalin] to Krasovsky, for Mao Zedong",
            "Filippov [Stalin]",
            ["Mao Zedong"],
            "Krasovsky",
        ),
        ("Ciphered Telegram, Roshchin to Cde. Filippov [Stalin]", "Roshchin", ["Filippov [Stalin]"], None),
        (
            "Telegram from Filippov (Stalin) to Mao Zedong via Krosovsky",
            "Filippov (Stalin)",
            ["Mao Zedong"],
            "Krosovsky",
        ),
        ("Ciphered Telegram No. 8600, Vyshinsky to Mao Zedong", "Vyshinsky", ["Mao Zedong"], None),
        ("Letter Kim Il Sung to Stalin", "Kim Il Sung", ["Stalin"], None),
        ("Memorandum of Conversation", None, [], None),
    ],
)
def test_parse_parties(
    title: str, sender: str | None, recipients: list[str], intermediary: str | None
) -> None:
    found_sender, found_recipients, found_intermediary = parse_parties(title)
    assert (found_sender.name if found_sender else None) == sender
    assert names(found_recipients) == recipients
    assert (found_intermediary.name if found_intermediary else None) == intermediary


@pytest.mark.parametrize(
    ("text", "iso"),
    [("May 14, 1950", "1950-05-14"), ("October 01, 1950", "1950-10-01"), ("14 May 1950", "1950-05-14"),
     ("07/14/1951", "1951-07-14"), ("Sept. 3, 1950", "1950-09-03"), ("June 1951", "1951-06"),
     ("February 30, 1950", ""), ("no date", ""), ("c. 1950", "1950"), ("May 14-15, 1950", "1950-05-14")],
)  # fmt: skip
def test_page_date(text: str, iso: str) -> None:
    assert page_date(text) == iso


def test_derived_id_is_ascii_and_stable() -> None:
    assert derive_id("1950-05-14", "", Party("Roshchin"), [Party("Filippov [Stalin]")], "x") == (
        "wc-1950-05-14-roshchin-to-filippov"
    )
    assert (
        derive_id("1950-05-14", "Шифртелеграмма Рощина", None, [], "x")
        == "wc-1950-05-14-shifrtelegramma-roshchina"
    )
    assert derive_id("", "", None, [], "Page Export 7") == "wc-page-export-7"


def test_lines_need_not_start_at_one() -> None:
    lines = [Line(10, "May 14, 1950"), Line(11, "Ciphered Telegram, A to B"), Line(12, ""), Line(13, "Text")]
    page = read_page(lines, "x.txt")
    assert page.body[0].line == 13 and page.title == "Ciphered Telegram, A to B"


@pytest.mark.parametrize(
    "head",
    [
        "Home / Collections / Korean War\n\nMay 14-15, 1950\n\nCiphered Telegram, Roshchin to Filippov\n",
        "Ciphered Telegram, Roshchin to Filippov\nMay 14, 1950 - May 15, 1950\n",
    ],
)
def test_title_is_the_title_like_run_of_the_head(head: str) -> None:
    page = read_page(
        read_lines(head + '\nCitation:\n\n"X", Wilson Center Digital Archive.\n\nText\n'), "x.txt"
    )
    assert page.title == "Ciphered Telegram, Roshchin to Filippov"
    assert page.date_iso == "1950-05-14"
    assert [p.text for p in page.body] == ["Text"]
    assert [value for label, value in page.info if label == "Page heading"] == (
        ["Home / Collections / Korean War"] if head.startswith("Home") else []
    )
