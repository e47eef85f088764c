"""The converter is general: pages in other layouts and languages convert with the right layers and
structure (issue 2). Pages are written here in the shapes met on the archive's mirrors."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from cablegram.convert.builder import build_document
from cablegram.convert.page import read_page
from cablegram.convert.reader import read_lines, read_source
from cablegram.convert.registers import Registers
from cablegram.edition import Edition
from tests.conftest import REPO, text, xp

PAGES = REPO / "tests" / "fixtures" / "pages"


def convert_text(source: str, registers: Registers, edition: Edition) -> etree._Element:
    page = read_page(read_lines(source), "variant.txt")
    return etree.fromstring(build_document(page, registers, edition.config).xml)


def convert_file(path: Path, registers: Registers, edition: Edition) -> etree._Element:
    page = read_page(read_source(path), str(path))
    return etree.fromstring(build_document(page, registers, edition.config).xml)


def layers(root: etree._Element) -> list[tuple[str | None, str | None]]:
    return [
        (d.get("type"), d.get("{http://www.w3.org/XML/1998/namespace}lang"))
        for d in xp(root, "/t:TEI/t:text/t:body/t:div")
    ]


def test_russian_only_page(registers: Registers, edition: Edition) -> None:
    root = convert_file(PAGES / "russian-only-crlf-markdown.txt", registers, edition)
    assert layers(root) == [("original", "ru")]
    assert xp(root, "//t:div[@type='original']/@corresp") == []
    assert xp(root, "//t:opener/t:address//t:persName[@ref='persons.xml#mao-zedong']")


def test_translation_only_page_names_unknown_intermediary(registers: Registers, edition: Edition) -> None:
    root = convert_file(PAGES / "translation-only-title-first-credits.txt", registers, edition)
    assert layers(root) == [("translation", "en")]
    assert xp(root, "//t:div[@type='translation']/@corresp") == []
    transmitted = xp(root, "//t:correspAction[@type='transmitted']/t:persName")
    assert [text(p) for p in transmitted] == ["Shtykov"] and transmitted[0].get("ref") is None


def test_record_id_without_url(registers: Registers, edition: Edition) -> None:
    root = convert_file(PAGES / "record-id-without-url.txt", registers, edition)
    assert root.get("{http://www.w3.org/XML/1998/namespace}id") == "wc-900420"
    assert xp(root, "string(//t:publicationStmt/t:idno[@type='record'])") == "900420"
    assert xp(root, "//t:sourceDesc/t:bibl/t:ptr") == []
    # The DOCUMENT INFORMATION block in the middle of the text is metadata, not a layer.
    assert layers(root) == [("translation", "en")]
    assert "Telegraph when this is done." in text(xp(root, "//t:div[@type='translation']")[0])


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.txt")))
def test_fixture_pages_have_a_letter(name: str, registers: Registers, edition: Edition) -> None:
    root = convert_file(PAGES / name, registers, edition)
    assert layers(root), name
    assert xp(root, "//t:div[@type='message']"), name
    assert xp(root, "//t:correspAction[@type='sent']") and xp(root, "//t:correspAction[@type='received']")


CHINESE_PAGE = """\
October 02, 1950
Ciphered Telegram, Mao Zedong to Filippov [Stalin]

Citation:

"Ciphered Telegram, Mao Zedong to Filippov [Stalin]", October 02, 1950, Wilson Center Digital Archive, \
Zhonggong zhongyang wenxian yanjiushi, ed., Jianguo yilai Mao Zedong wengao, vol. 1, 539-541. \
<https://digitalarchive.wilsoncenter.org/document/900501>

Summary:

Mao informs Stalin of the decision to send troops.

Original Language:

Chinese

Contents:

Original Scan
Translation - English

菲利波夫同志：

我们决定用志愿军名义派一部分军队至朝鲜境内和美国及其走狗李承晚的军队作战，援助朝鲜同志。

毛泽东

一九五〇年十月二日

Comrade Filippov [Stalin]:

We have decided to send a portion of our troops, under the name of volunteers, to Korea, assisting the \
Korean comrades in fighting the troops of the United States and its running dog Syngman Rhee.

Mao Zedong

2 October 1950
"""


def test_chinese_original_with_translation(registers: Registers, edition: Edition) -> None:
    root = convert_text(CHINESE_PAGE, registers, edition)
    assert layers(root) == [("original", "zh"), ("translation", "en")]
    original_id = xp(root, "//t:div[@type='original']/@xml:id")[0]
    assert xp(root, "//t:div[@type='translation']/@corresp") == [f"#{original_id}"]
    assert "zh" in xp(root, "//t:langUsage/t:language/@ident")
    assert xp(
        root, "//t:div[@type='translation']//t:closer/t:signed//t:persName[@ref='persons.xml#mao-zedong']"
    )
    assert xp(root, "//t:div[@type='translation']//t:supplied[@reason='identification']")


ENGLISH_ORIGINAL_PAGE = """\
Record ID 900777

Letter, Kim Il Sung to Stalin

June 1950

Dear Comrade Stalin,

I thank you for the help given to our people in this difficult hour, and I ask you to accept my \
greetings on behalf of the Korean comrades.

With greetings,

Kim Il Sung

Summary:

A letter of thanks.

Original Language:

English

Contents:

Original Scan
"""


def test_english_original_and_record_id_line(registers: Registers, edition: Edition) -> None:
    root = convert_text(ENGLISH_ORIGINAL_PAGE, registers, edition)
    assert root.get("{http://www.w3.org/XML/1998/namespace}id") == "wc-900777"
    assert layers(root) == [("original", "en")]
    assert [text(s) for s in xp(root, "//t:opener/t:salute")] == ["Dear Comrade Stalin,"]
    assert xp(root, "//t:closer/t:signed/t:persName[@ref='persons.xml#kim-il-sung']")


GERMAN_PAGE = """\
March 03, 1953
Telegram, Ulbricht to Molotov

Citation:

"Telegram, Ulbricht to Molotov", March 03, 1953, Wilson Center Digital Archive, SAPMO-BArch, NY 4090/472. \
<https://digitalarchive.wilsoncenter.org/document/900601>

Original Language:

German

Contents:

Original Scan
Translation - English

An Genossen Molotow

Wir haben die Nachricht von der Erkrankung des Genossen Stalin mit großer Sorge erhalten und wünschen \
ihm im Namen der Partei eine baldige Genesung. Die Partei steht fest an der Seite der Sowjetunion.

Ulbricht

To Comrade Molotov

We have received the news of the illness of Comrade Stalin with great concern and wish him a speedy \
recovery in the name of the party. The party stands firmly on the side of the Soviet Union.

Ulbricht
"""


def test_latin_script_original_in_another_language(registers: Registers, edition: Edition) -> None:
    root = convert_text(GERMAN_PAGE, registers, edition)
    assert layers(root) == [("original", "de"), ("translation", "en")]
    assert "Sorge" in text(xp(root, "//t:div[@type='original']")[0])
    translation = text(xp(root, "//t:div[@type='translation']")[0])
    assert translation.startswith("To Comrade Molotov") and "concern" in translation
