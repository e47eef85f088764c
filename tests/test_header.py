"""The teiHeader: the contract's shape (/work/contract/wc-115976.xml), valid against the edition's schema."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from cablegram.config import EditionConfig, load_config
from cablegram.convert.header import (
    CLASSIFICATION,
    build_header,
    language_name,
    unknown_names,
    unknown_parties,
)
from cablegram.convert.model import ArchivalCitation, BodyFacts, Line, Page, Paragraph, Party
from cablegram.convert.page import read_page
from cablegram.convert.reader import read_source
from cablegram.convert.registers import Registers, load_registers
from cablegram.tei import element

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
NS = {"t": "http://www.tei-c.org/ns/1.0", "xml": "http://www.w3.org/XML/1998/namespace"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ALL_PAGES = sorted(SOURCES.glob("*.txt")) + sorted(PAGES.glob("*.txt"))


@cache
def registers() -> Registers:
    return load_registers(ROOT / "tei")


@cache
def config() -> EditionConfig:
    return load_config(ROOT)


def load(path: Path) -> Page:
    return read_page(read_source(path), str(path))


def header(page: Page, facts: BodyFacts | None = None) -> etree._Element:
    return build_header(page, facts or BodyFacts(), registers(), config(), tool_version="0.1.0")


def texts(node: etree._Element, path: str) -> list[str]:
    return ["".join(found.itertext()) for found in node.iterfind(path, NS)]


def one(node: etree._Element, path: str) -> etree._Element:
    [found] = node.findall(path, NS)
    return found


FACTS_115976 = BodyFacts(
    languages=["ru", "ru-Latn"], classification="cls-top-secret", hands=["wc-115976-hand1"],
    destination_place="beijing",
)  # fmt: skip


def test_header_has_the_contract_shape() -> None:
    page = load(SOURCES / "wc-115976.txt")
    tree = header(page, FACTS_115976)
    assert tree.tag == "{http://www.tei-c.org/ns/1.0}teiHeader"
    assert [etree.QName(c).localname for c in tree] == [
        "fileDesc",
        "encodingDesc",
        "profileDesc",
        "revisionDesc",
    ]
    file_desc = one(tree, "t:fileDesc")
    assert [etree.QName(c).localname for c in file_desc] == [
        "titleStmt",
        "publicationStmt",
        "notesStmt",
        "sourceDesc",
    ]

    title_stmt = one(file_desc, "t:titleStmt")
    assert texts(title_stmt, "t:title") == ["Ciphered Telegram No. 8600, Vyshinsky to Mao Zedong"]
    archive = one(title_stmt, "t:respStmt[@xml:id='archive']")
    assert one(archive, "t:orgName").get("ref") == "organisations.xml#wilson-center"
    assert texts(archive, "t:orgName") == ["Wilson Center Digital Archive"]
    assert texts(title_stmt, "t:respStmt[@xml:id='edition']/t:resp") == ["TEI encoding"]
    assert len(title_stmt.findall("t:respStmt", NS)) == 2  # no translator named on this page
    assert texts(title_stmt, "t:funder") == ["Leon Levy Foundation"]

    publication = one(file_desc, "t:publicationStmt")
    assert texts(publication, "t:publisher") == ["cablegram"]
    assert (
        one(publication, "t:availability/t:licence").get("target")
        == "https://creativecommons.org/licenses/by/4.0/"
    )
    assert texts(publication, "t:idno[@type='record']") == ["115976"]
    assert texts(publication, "t:idno[@type='URI']") == [
        "https://digitalarchive.wilsoncenter.org/document/115976"
    ]

    bibl = one(file_desc, "t:sourceDesc/t:bibl[@type='archive-page']")
    assert texts(bibl, "t:title") == [page.title]
    assert one(bibl, "t:date").get("when") == "1950-05-14" and texts(bibl, "t:date") == ["May 14, 1950"]
    assert texts(bibl, "t:publisher") == ["Wilson Center Digital Archive"]
    assert one(bibl, "t:ptr").get("target") == "https://wilson-center.drivingcreative.com/document/115976"
    assert texts(bibl, "t:note[@type='citation']") == [page.citation]

    ms1, ms2 = file_desc.findall("t:sourceDesc/t:msDesc", NS)
    assert (ms1.get(XML_ID), ms2.get(XML_ID)) == ("wc-115976-ms1", "wc-115976-ms2")
    assert one(ms1, "t:msIdentifier/t:repository").get("ref") == "organisations.xml#aprf"
    assert texts(ms1, "t:msIdentifier/t:repository") == ["Russian Presidential Archives"]
    assert ms1.findall("t:msIdentifier/t:idno", NS) == []
    assert one(ms2, "t:msIdentifier/t:repository").get("ref") == "organisations.xml#rgaspi"
    assert [(i.get("type"), i.text) for i in ms2.iterfind("t:msIdentifier/t:idno", NS)] == [
        ("fond", "558"), ("opis", "11"), ("delo", "334"), ("list", "0055"),
    ]  # fmt: skip

    encoding = one(tree, "t:encodingDesc")
    assert texts(encoding, "t:editorialDecl/t:p")
    taxonomy = one(encoding, "t:classDecl/t:taxonomy[@xml:id='classification']")
    assert [(c.get(XML_ID), "".join(c.itertext())) for c in taxonomy] == [
        ("cls-secret", "Secret (секретно)"),
        ("cls-top-secret", "Top Secret (совершенно секретно)"),
        ("cls-strictly-secret", "Strictly Secret (строго секретно)"),
        ("cls-special", "Special (особая): a handling category, not a level"),
    ]
    assert list(CLASSIFICATION) == [(c.get(XML_ID), "".join(c.itertext())) for c in taxonomy]

    profile = one(tree, "t:profileDesc")
    assert [etree.QName(c).localname for c in profile] == [
        "abstract", "correspDesc", "langUsage", "textClass", "handNotes",
    ]  # fmt: skip
    assert texts(profile, "t:abstract/t:p") == [page.summary]
    sent = one(profile, "t:correspDesc/t:correspAction[@type='sent']")
    assert one(sent, "t:persName").get("ref") == "persons.xml#vyshinsky"
    assert texts(sent, "t:persName") == ["Vyshinsky"]
    assert one(sent, "t:date").get("when") == "1950-05-14"
    received = one(profile, "t:correspDesc/t:correspAction[@type='received']")
    assert one(received, "t:persName").get("ref") == "persons.xml#mao-zedong"
    assert one(received, "t:placeName").get("ref") == "places.xml#beijing"
    assert texts(received, "t:placeName") == ["Beijing"]
    assert [(x.get("ident"), x.text) for x in profile.iterfind("t:langUsage/t:language", NS)] == [
        ("en", "English"), ("ru", "Russian"), ("ru-Latn", "Russian, transliterated into Latin script"),
    ]  # fmt: skip
    cat_ref = one(profile, "t:textClass/t:catRef")
    assert (cat_ref.get("scheme"), cat_ref.get("target")) == ("#classification", "#cls-top-secret")
    assert one(profile, "t:handNotes/t:handNote").get(XML_ID) == "wc-115976-hand1"

    assert texts(tree, "t:revisionDesc/t:change") == [
        "Converted from the archive page export wc-115976.txt by cablegram 0.1.0."
    ]
    assert one(tree, "t:revisionDesc/t:change").get("who") == "#edition"


def test_pseudonym_intermediary_and_two_recipients() -> None:
    tree = header(load(SOURCES / "wc-113729.txt"))
    actions = tree.findall("t:profileDesc/t:correspDesc/t:correspAction", NS)
    assert [a.get("type") for a in actions] == ["sent", "transmitted", "received"]
    sent, transmitted, received = actions
    assert [(p.get("ref"), p.text) for p in sent.iterfind("t:persName", NS)] == [
        ("persons.xml#stalin", "Filippov (Stalin)")
    ]
    assert [p.get("ref") for p in transmitted.iterfind("t:persName", NS)] == ["persons.xml#roshchin"]
    assert [p.get("ref") for p in received.iterfind("t:persName", NS)] == [
        "persons.xml#mao-zedong", "persons.xml#zhou-enlai",
    ]  # fmt: skip
    assert len(tree.findall("t:fileDesc/t:sourceDesc/t:msDesc", NS)) == 2


def test_bracketed_pseudonym_and_for_pattern() -> None:
    tree = header(load(SOURCES / "wc-117420.txt"))
    correspondence = one(tree, "t:profileDesc/t:correspDesc")
    assert texts(correspondence, "t:correspAction[@type='sent']/t:persName") == ["Filippov (Stalin)"]
    assert texts(correspondence, "t:correspAction[@type='received']/t:persName") == ["Mao Zedong"]
    assert texts(correspondence, "t:correspAction[@type='transmitted']/t:persName") == ["Krasovsky"]


def test_document_information_is_kept_verbatim() -> None:
    page = load(SOURCES / "wc-117420.txt")
    tree = header(page)
    items = tree.findall("t:fileDesc/t:notesStmt/t:note[@type='document-information']/t:list/t:item", NS)
    pairs = [(one(item, "t:label").text, "".join(item.itertext())) for item in items]
    expected = [(label, f"{label} {value}" if value else label) for label, value in page.info]
    assert pairs == expected and len(pairs) == 16  # empty rows too: "Identifier" with no value is a fact
    assert (
        "Coverage (Geographic Location)",
        "Coverage (Geographic Location) Soviet Union (USSR), People's Republic of China (PRC), Korea",
    ) in pairs
    assert texts(tree, "t:profileDesc/t:textClass/t:keywords/t:term") == [
        "Sino-Soviet relations",
        "Korean War",
    ]
    file_desc = one(tree, "t:fileDesc")
    assert [etree.QName(c).localname for c in file_desc] == [
        "titleStmt", "publicationStmt", "notesStmt", "sourceDesc",
    ]  # fmt: skip


def test_translator_gets_a_resp_statement() -> None:
    tree = header(load(SOURCES / "wc-114900.txt"))
    statements = tree.findall("t:fileDesc/t:titleStmt/t:respStmt", NS)
    assert [s.get(XML_ID) for s in statements] == ["archive", None, "edition"]
    assert texts(statements[1], "t:resp") == ["translation"]
    assert texts(statements[1], "t:persName") == ["Gary Goldberg"]


def test_page_without_record_number() -> None:
    page = load(PAGES / "no-record-number-slug-id.txt")
    tree = header(page)
    assert tree.findall("t:fileDesc/t:publicationStmt/t:idno", NS) == []
    assert (
        one(tree, "t:fileDesc/t:sourceDesc/t:msDesc").get(XML_ID) == "wc-1950-05-14-roshchin-to-filippov-ms1"
    )
    assert tree.findall("t:fileDesc/t:sourceDesc/t:bibl/t:ptr", NS) == []


def test_record_id_without_url_gives_canonical_uri() -> None:
    tree = header(load(PAGES / "record-id-without-url.txt"))
    assert texts(tree, "t:fileDesc/t:publicationStmt/t:idno[@type='URI']") == [
        "https://digitalarchive.wilsoncenter.org/document/900420"
    ]


def test_nobody_named_still_gives_sent_and_received() -> None:
    page = Page("x.txt", "wc-1", "1", "Memorandum", "", "", "", "", body=[Paragraph((Line(1, "x"),))])
    correspondence = one(header(page), "t:profileDesc/t:correspDesc")
    assert [a.get("type") for a in correspondence] == ["sent", "received"]
    assert texts(correspondence, "t:correspAction/t:p") == ["Not named on the archive page."] * 2


def test_unknown_names_are_reported_and_encoded_without_ref() -> None:
    page = load(PAGES / "translation-only-title-first-credits.txt")
    page.archival.append(ArchivalCitation("SAPMO", "", fond="30"))
    facts = BodyFacts(origin_place="Sochi-on-Nowhere")
    assert unknown_names(page, registers(), facts) == [
        ("person", "Shtykov"), ("org", "SAPMO"), ("place", "Sochi-on-Nowhere"),
    ]  # fmt: skip
    assert unknown_parties(page, registers()) == ["person: Shtykov", "org: SAPMO"]
    tree = header(page, facts)
    transmitted = one(tree, "t:profileDesc/t:correspDesc/t:correspAction[@type='transmitted']/t:persName")
    assert transmitted.text == "Shtykov" and transmitted.get("ref") is None
    repository = tree.findall("t:fileDesc/t:sourceDesc/t:msDesc/t:msIdentifier/t:repository", NS)[-1]
    assert repository.text == "SAPMO" and repository.get("ref") is None
    assert texts(tree, "t:profileDesc/t:correspDesc/t:correspAction[@type='sent']/t:placeName") == [
        "Sochi-on-Nowhere"
    ]
    assert unknown_names(load(SOURCES / "wc-117420.txt"), registers()) == []


def test_header_is_deterministic() -> None:
    page = load(SOURCES / "wc-113729.txt")
    assert etree.tostring(header(page, FACTS_115976)) == etree.tostring(header(page, FACTS_115976))


@cache
def grammar() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(ROOT / "schema" / "cablegram.rng")))


@pytest.mark.parametrize("path", ALL_PAGES, ids=[p.name for p in ALL_PAGES])
def test_header_is_valid_and_ids_are_prefixed(path: Path) -> None:
    page = load(path)
    facts = BodyFacts(languages=["ru"], classification="cls-secret", hands=[f"{page.doc_id}-hand1"])
    tree = header(page, facts)
    root = element("TEI", {"xml:id": page.doc_id, "xml:lang": "en"})
    root.append(tree)
    layer = element("div", {"type": "original", "xml:lang": "ru"}, [element("p", {}, ["текст"])])
    root.append(element("text", {}, [element("body", {}, [layer])]))
    assert grammar().validate(root.getroottree()), grammar().error_log
    shared = {"archive", "edition", "classification", *(ident for ident, _ in CLASSIFICATION)}
    for node in tree.iter():
        ident = node.get(XML_ID)
        assert ident is None or ident in shared or ident.startswith(f"{page.doc_id}-")


@pytest.mark.parametrize(
    ("tag", "name"),
    [("ru", "Russian"), ("en", "English"), ("zh", "Chinese"), ("ko", "Korean"), ("de", "German"),
     ("fr", "French"), ("ru-Latn", "Russian, transliterated into Latin script"), ("xx", "xx")],
)  # fmt: skip
def test_language_names(tag: str, name: str) -> None:
    assert language_name(tag) == name


def test_party_pseudonym_with_unknown_identity_falls_back_to_alias() -> None:
    page = load(SOURCES / "wc-114900.txt")
    page.recipients = [Party("Filippov [Somebody Unregistered]")]
    tree = header(page)
    received = one(tree, "t:profileDesc/t:correspDesc/t:correspAction[@type='received']/t:persName")
    assert received.get("ref") == "persons.xml#stalin"
