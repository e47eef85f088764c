"""The five seed documents: every phenomenon of ENCODING.md that occurs in each is encoded as specified."""

from __future__ import annotations

import pytest
from lxml import etree

from cablegram.convert.builder import build_document
from cablegram.convert.page import read_page
from cablegram.convert.reader import read_source
from cablegram.convert.registers import Registers
from cablegram.edition import Edition
from tests.conftest import SEED_IDS, text, xp

Tree = etree._ElementTree


def test_every_seed_is_converted(converted: dict[str, Tree]) -> None:
    assert sorted(converted) == sorted(SEED_IDS)
    for doc_id, tree in converted.items():
        assert tree.getroot().get("{http://www.w3.org/XML/1998/namespace}id") == doc_id


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_header_basics(converted: dict[str, Tree], doc_id: str) -> None:
    tree = converted[doc_id]
    record = doc_id.removeprefix("wc-")
    assert xp(tree, "string(//t:publicationStmt/t:idno[@type='record'])") == record
    assert xp(tree, "//t:sourceDesc/t:bibl/t:ptr/@target")[0].endswith(f"/document/{record}")
    assert xp(tree, "//t:correspDesc/t:correspAction[@type='sent']")
    assert xp(tree, "//t:correspDesc/t:correspAction[@type='received']")
    assert xp(tree, "//t:profileDesc/t:abstract//text()")
    used = set(xp(tree, "//t:text//@xml:lang"))
    declared = set(xp(tree, "//t:langUsage/t:language/@ident"))
    assert used <= declared
    pis = [pi for pi in xp(tree, "/processing-instruction('xml-model')")]
    assert {"cablegram.rng" in pi.text for pi in pis} == {True, False}


def test_wc115976_vyshinsky_cable(converted: dict[str, Tree]) -> None:
    tree = converted["wc-115976"]
    # Filippov [Stalin]: the pseudonym is a persName for Stalin, the bracket an identification.
    supplied = xp(tree, "//t:div[@type='translation']//t:supplied[@reason='identification']")
    assert any(xp(s, "t:persName[@ref='persons.xml#stalin']") for s in supplied)
    assert xp(tree, "//t:div[@type='translation']//t:persName[@ref='persons.xml#stalin'][.='Filippov']")
    # Three transliterated source terms.
    terms = xp(tree, "//t:supplied[@reason='source-term']/t:foreign[@xml:lang='ru-Latn']")
    assert [text(t) for t in terms] == [
        "pristupit k obiednineniiu",
        "pri etom bilo ogovoreno",
        "ispolneniie telegraf'te",
    ]
    # Letter-spacing is kept as rend="spaced", the word without spaces.
    spaced = [text(h) for h in xp(tree, "//t:hi[@rend='spaced']")]
    assert "Филиппов" in spaced and "ОСОБАЯ" in spaced
    # The copy list.
    items = xp(tree, "//t:div[@type='original']//t:list[@type='distribution']/t:item")
    assert [i.get("n") for i in items][:4] == ["1", "2", "3", "4"]
    assert xp(items[0], "t:persName[@ref='persons.xml#stalin']")
    # Dates: sent on 14 May 1950; the form's "14/У 195 0 з." read as that date.
    assert xp(tree, "//t:correspAction[@type='sent']/t:date/@when") == ["1950-05-14"]
    assert "1950-05-14" in xp(tree, "//t:div[@type='original']//t:date/@when")
    # RGASPI f. 558 op. 11 d. 334 split into its parts.
    rgaspi = xp(tree, "//t:msDesc/t:msIdentifier[t:repository='RGASPI']")[0]
    parts = {i.get("type"): i.text for i in xp(rgaspi, "t:idno")}
    assert parts["fond"] == "558" and parts["opis"] == "11" and parts["delo"] == "334"
    # Classification: Сов. секретно is top secret; ОСОБАЯ a handling category.
    assert xp(tree, "//t:textClass/t:catRef/@target") == ["#cls-top-secret"]
    assert xp(tree, "//t:seg[@type='handling'][@ana='#cls-special']")
    # Filippov's message quoted in Vyshinsky's cable.
    floating = xp(tree, "//t:div[@type='original']//t:floatingText")
    assert floating and "Филиппов" in text(floating[0])
    assert xp(
        tree,
        "//t:div[@type='original']/t:div[@type='message']/t:closer//t:persName[@ref='persons.xml#vyshinsky']",
    )
    # The attestation "верно:" with the handwritten signature.
    assert xp(tree, "//t:closer/t:seg[@type='attestation']")
    assert xp(tree, "//t:hi[@rend='handwritten'][@hand]")
    # The translation points at the original.
    original_id = xp(tree, "//t:div[@type='original']/@xml:id")[0]
    assert xp(tree, "//t:div[@type='translation']/@corresp") == [f"#{original_id}"]


def test_wc117420_krasovsky_cable(converted: dict[str, Tree]) -> None:
    tree = converted["wc-117420"]
    assert [text(d) for d in xp(tree, "//t:del[@rend='strikethrough']")][:1] == ["СЕКРЕТНО"]
    stamp = xp(tree, "//t:div[@type='translation']//t:stamp")
    assert stamp and stamp[0].get("type") == "return"
    assert "SUBJECT TO RETURN" in text(stamp[0]) and "15 July 1951" in text(stamp[0])
    assert xp(stamp[0], ".//t:supplied[@reason='gloss'][.='Special Department']")
    assert xp(tree, "//t:supplied[@reason='omitted'][.='3']")
    assert xp(tree, "//t:signed//t:gap[@reason='signature']")
    assert xp(tree, "//t:gap[@reason='editorial']")
    assert xp(tree, "//t:hi[@rend='handwritten'][.='Макаров']")
    corrections = xp(tree, "//t:choice[t:sic='МИЛЮПОВ']/t:corr")
    assert [c.text for c in corrections] == ["ФИЛИППОВ"] and corrections[0].get("resp") == "#edition"
    assert xp(tree, "//t:persName[@ref='persons.xml#stalin']/t:choice[t:sic='БИЛИЦПОВ']")
    # Two copies of the original, an archive transcription and a translation.
    layers = [(d.get("type"), d.get("n")) for d in xp(tree, "//t:body/t:div")]
    assert layers == [("original", "1"), ("original", "2"), ("transcription", None), ("translation", None)]
    assert xp(tree, "//t:supplied[@reason='context']//t:placeName[@ref='places.xml#beijing']")


def test_wc114900_roshchin_report(converted: dict[str, Tree]) -> None:
    tree = converted["wc-114900"]
    residue = xp(tree, "//t:ab[@type='ocr-residue']")
    assert residue and "43" in text(residue[0]) and "\t" in "".join(residue[0].itertext())
    assert xp(tree, "//t:supplied[@reason='gloss'][.='Precedence']")
    assert xp(tree, "//t:textClass/t:catRef/@target") == ["#cls-strictly-secret"]
    items = xp(tree, "//t:div[@type='translation']//t:list[@type='distribution']/t:item")
    assert len(items) == 6
    assert xp(tree, "//t:correspAction[@type='sent']/t:persName[@ref='persons.xml#roshchin']")
    assert xp(tree, "//t:correspAction[@type='received']/t:persName[@ref='persons.xml#stalin']")


def test_wc113729_filippov_via_roshchin(converted: dict[str, Tree]) -> None:
    tree = converted["wc-113729"]
    layers = [
        (d.get("type"), d.get("{http://www.w3.org/XML/1998/namespace}lang"))
        for d in xp(tree, "//t:body/t:div")
    ]
    assert layers == [("translation", "en"), ("transcription", "ru"), ("original", "ru")]
    assert xp(tree, "//t:div[@type='transcription']//t:supplied[@reason='context'][.='из Сочи']")
    assert xp(tree, "//t:supplied[@reason='identification']/t:placeName[@ref='places.xml#incheon']")
    assert xp(tree, "//t:supplied[@reason='normalization'][.='First']")
    assert xp(tree, "//t:pb[@n='2']")
    assert xp(tree, "//t:correspAction[@type='transmitted']/t:persName[@ref='persons.xml#roshchin']")
    received = xp(tree, "//t:correspAction[@type='received']/t:persName/@ref")
    assert "persons.xml#mao-zedong" in received and "persons.xml#zhou-enlai" in received
    assert "1950-10-01" in xp(tree, "//t:div[@type='original']//t:date/@when")


def test_wc110374_translation_only(converted: dict[str, Tree]) -> None:
    tree = converted["wc-110374"]
    layers = xp(tree, "//t:body/t:div")
    assert [d.get("type") for d in layers] == ["translation"] and layers[0].get("corresp") is None
    assert xp(tree, "//t:supplied[@reason='normalization'][.='Kaesong']")
    assert xp(tree, "//t:supplied[@reason='omitted'][.='with him']")
    floating = xp(tree, "//t:floatingText")
    assert floating and "RIDGWAY" in text(floating[0])
    assert len(xp(floating[0], ".//t:closer/t:signed")) == 2
    assert {m.get("type") for m in xp(tree, "//t:msDesc/t:msIdentifier/t:idno")} >= {
        "fond",
        "opis",
        "delo",
        "list",
    }
    assert len(xp(tree, "//t:msDesc")) == 2


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_committed_tei_is_what_the_converter_writes(
    edition: Edition, registers: Registers, doc_id: str
) -> None:
    """tei/ is the golden copy of the TEI: the same source gives the same bytes. It is refreshed with
    `cablegram convert` (which keeps the hand-edit record) and reviewed with git diff."""
    source = edition.sources_dir / f"{doc_id}.txt"
    document = build_document(read_page(read_source(source), str(source)), registers, edition.config)
    assert (edition.tei_dir / f"{doc_id}.xml").read_bytes() == document.xml
