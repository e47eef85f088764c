"""XSLT unit tests: one small TEI input per element family, and an assertion on the parsed HTML.

The stylesheet is compiled once for the module (as the HTML stage does); each case wraps a fragment in a
minimal TEI document, renders its page in mode html:document and inspects the layer's section.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from cablegram.diagnostics import Diagnostic
from cablegram.html import NAMESPACES
from cablegram.xslt import Document, Stylesheet, stylesheet_dir

REPO = Path(__file__).resolve().parents[1]
TEI = "http://www.tei-c.org/ns/1.0"

HEADER = """<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>
<publicationStmt><p>test</p></publicationStmt><sourceDesc><p>test</p></sourceDesc></fileDesc>
<profileDesc><correspDesc><correspAction type="sent"><persName ref="persons.xml#stalin">Filippov</persName>
<date when="1950-05-14">May 14, 1950</date></correspAction>
<correspAction type="received"><persName ref="persons.xml#mao-zedong">Mao</persName></correspAction>
</correspDesc></profileDesc></teiHeader>"""


def tei(body: str, *, lang: str = "ru", title: str = "A test telegram", layers: str | None = None) -> bytes:
    text = layers or f'<div type="original" xml:lang="{lang}" xml:id="t-1-{lang}">{body}</div>'
    return (
        f'<TEI xmlns="{TEI}" xml:id="t-1" xml:lang="en">{HEADER.format(title=title)}'
        f"<text><body>{text}</body></text></TEI>"
    ).encode()


class Renderer:
    def __init__(self) -> None:
        self.sheet = Stylesheet(stylesheet_dir() / "html" / "edition.xsl", NAMESPACES)
        registers = [
            self.sheet.load(REPO / "tei" / f"{n}.xml") for n in ("persons", "places", "organisations")
        ]
        self.sheet.set_param("cg:registers", registers)
        self.sheet.set_param("cg:edition-title", "Test edition")
        self.sheet.set_param("cg:base-url", "https://example.org/ed/")
        self.sheet.set_param("cg:version", "1.2.3")
        self.messages: list[Diagnostic] = []

    def document(self, data: bytes) -> Document:
        return self.sheet.load_bytes(data, "case.xml")

    def page(self, data: bytes) -> lxml.html.HtmlElement:
        doc = self.document(data)
        self.sheet.set_param("cg:corpus", [doc])
        html = self.sheet.apply(doc, "html:document")
        self.messages = self.sheet.messages("case.xml")
        return lxml.html.document_fromstring(html)

    def layer(self, body: str, **kwargs: str) -> lxml.html.HtmlElement:
        page = self.page(tei(body, **kwargs))
        sections = page.xpath(".//section[contains(@class, 'layer')]")
        assert len(sections) == 1
        return sections[0]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def render() -> Renderer:
    return Renderer()


def one(node: lxml.html.HtmlElement, path: str) -> lxml.html.HtmlElement:
    found = node.xpath(path)
    assert len(found) == 1, (
        f"{path}: {len(found)} matches in {etree.tostring(node, encoding='unicode')[:400]}"
    )
    return found[0]  # type: ignore[no-any-return]


def words(node: lxml.html.HtmlElement) -> str:
    return " ".join(node.text_content().split())


# -- blocks ------------------------------------------------------------------------------------------


def test_layer_keeps_language_id_and_type(render: Renderer) -> None:
    layer = render.layer("<p>Текст</p>")
    assert layer.get("lang") == "ru"
    assert layer.get("id") == "t-1-ru"
    assert layer.get("data-type") == "original"
    assert one(layer, "h2").get("lang") == "en"  # the interface's heading inside a Russian layer


def test_paragraph_keeps_id_and_alignment(render: Renderer) -> None:
    layer = render.layer('<p xml:id="t-1-ru-p1" corresp="#t-1-en-p1">Текст</p>')
    p = one(layer, ".//p[@data-tei='p']")
    assert p.get("id") == "t-1-ru-p1"
    assert p.get("data-corresp") == "t-1-en-p1"


def test_telegram_header_and_message_structure(render: Renderer) -> None:
    layer = render.layer(
        '<ab type="telegram-header">Шифртелеграмма</ab><div type="message"><opener><address>'
        "<addrLine>Для товарища</addrLine></address><salute>Тов.!</salute></opener><p>Текст.</p>"
        "<closer><signed>ВЫШИНСКИЙ</signed><dateline>14 мая</dateline></closer></div>"
    )
    assert one(layer, ".//div[@data-tei='ab']").get("data-type") == "telegram-header"
    message = one(layer, ".//div[@data-tei='div'][@data-type='message']")
    for family in ("opener", "address", "addrLine", "salute", "closer", "signed", "dateline"):
        one(message, f".//div[@data-tei='{family}']")


def test_floating_text_is_a_blockquote(render: Renderer) -> None:
    layer = render.layer(
        '<div type="message"><floatingText type="quoted-message"><body><p>Цитата</p></body>'
        "</floatingText></div>"
    )
    quote = one(layer, ".//blockquote[@data-tei='floatingText']")
    assert words(one(quote, ".//p")) == "Цитата"


def test_distribution_list_head_outside_the_list(render: Renderer) -> None:
    layer = render.layer(
        '<div type="distribution"><list type="distribution"><head>Копии:</head>'
        '<item n="1"><label>1.</label> Тов. Сталину</item></list></div>'
    )
    listing = one(layer, ".//div[@data-tei='list']")
    assert words(one(listing, "div[@data-tei='head']")) == "Копии:"
    assert words(one(listing, "ul/li[@data-tei='item']")) == "1. Тов. Сталину"


def test_paragraph_holding_a_list_becomes_a_div(render: Renderer) -> None:
    layer = render.layer("<p>Текст <list><item>один</item></list></p>")
    one(layer, ".//div[@data-tei='p']")
    assert not layer.xpath(".//p[@data-tei='p']")


# -- editorial phenomena (ENCODING.md §4) ----------------------------------------------------------------


def test_supplied_prints_brackets_and_its_reason(render: Renderer) -> None:
    layer = render.layer(
        '<p>Filippov <supplied reason="identification" resp="#archive">Stalin</supplied></p>', lang="en"
    )
    supplied = one(layer, ".//span[@data-tei='supplied']")
    assert words(supplied) == "[Stalin]"
    assert [words(g) for g in supplied.xpath("span[@class='gen']")] == ["[", "]"]
    assert supplied.get("data-reason") == "identification"
    assert "identification" in supplied.get("data-tip", "")
    assert "the archive" in supplied.get("data-tip", "")
    assert supplied.get("tabindex") == "0"  # focus shows the reason, as hover does


def test_supplied_source_term_is_foreign(render: Renderer) -> None:
    layer = render.layer(
        '<p>reunification <supplied reason="source-term" resp="#archive">'
        '<foreign xml:lang="ru-Latn">pristupit k obiednineniiu</foreign></supplied></p>',
        lang="en",
    )
    foreign = one(layer, ".//span[@data-tei='supplied']/span[@data-tei='foreign']")
    assert foreign.get("lang") == "ru-Latn"


@pytest.mark.parametrize(("reason", "shown"), [("editorial", "[...]"), ("signature", "[signature]")])
def test_gap(render: Renderer, reason: str, shown: str) -> None:
    gap = one(render.layer(f'<p>a <gap reason="{reason}"/> b</p>', lang="en"), ".//span[@data-tei='gap']")
    assert words(gap) == shown
    assert gap.get("data-tip")


def test_stamp_is_boxed_with_line_breaks(render: Renderer) -> None:
    layer = render.layer('<ab><stamp type="return">ПОДЛЕЖИТ ВОЗВРАТУ<lb/>в IV часть</stamp></ab>')
    stamp = one(layer, ".//span[@data-tei='stamp']")
    assert "stamp" in stamp.get("class", "")
    assert stamp.get("data-stamp") == "return"
    one(stamp, "span[@data-tei='lb']/br")


@pytest.mark.parametrize("rend", ["handwritten", "spaced"])
def test_hi(render: Renderer, rend: str) -> None:
    hi = one(render.layer(f'<p><hi rend="{rend}">Филиппов</hi></p>'), ".//span[@data-tei='hi']")
    assert rend in hi.get("class", "").split()
    assert hi.get("data-rend") == rend


def test_del_is_struck(render: Renderer) -> None:
    deleted = one(
        render.layer('<ab><del rend="strikethrough">СЕКРЕТНО</del></ab>'), ".//del[@data-tei='del']"
    )
    assert "strikethrough" in deleted.get("class", "")


def test_choice_shows_one_reading_per_view_and_the_other_on_hover(render: Renderer) -> None:
    layer = render.layer('<p><choice><sic>МИЛЮПОВ</sic><corr resp="#edition">ФИЛИППОВ</corr></choice></p>')
    sic = one(layer, ".//span[@data-tei='sic']")
    corr = one(layer, ".//span[@data-tei='corr']")
    assert words(sic) == "МИЛЮПОВ" and "dipl-only" in sic.get("class", "")
    assert words(corr) == "ФИЛИППОВ" and "read-only" in corr.get("class", "")
    assert "ФИЛИППОВ" in sic.get("data-tip", "")
    assert "МИЛЮПОВ" in corr.get("data-tip", "")


def test_choice_inside_a_name_link_is_not_focusable(render: Renderer) -> None:
    layer = render.layer(
        '<p><persName ref="persons.xml#stalin"><choice><sic>МИЛЮПОВ</sic><corr>ФИЛИППОВ</corr></choice>'
        "</persName></p>"
    )
    link = one(layer, ".//a[@data-tei='persName']")
    assert not link.xpath(".//*[@tabindex]")  # HTML forbids focusable descendants of a


def test_ocr_residue_only_in_the_diplomatic_view(render: Renderer) -> None:
    residue = one(render.layer('<ab type="ocr-residue">1\t43\t355</ab>'), ".//pre[@data-tei='ab']")
    assert "dipl-only" in residue.get("class", "")
    assert residue.get("data-pagefind-ignore") == "all"


def test_line_break_is_a_space_in_reading_and_a_break_in_diplomatic(render: Renderer) -> None:
    lb = one(render.layer("<ab>5 экз.<lb/>14/У-50</ab>"), ".//span[@data-tei='lb']")
    assert lb.text == " "
    assert "dipl-only" in one(lb, "br").get("class", "")


@pytest.mark.parametrize(
    ("element", "label"), [('<pb n="2"/>', "p. 2"), ('<fw type="folio">56</fw>', "fol. 56")]
)
def test_page_and_folio_marks_in_the_margin(render: Renderer, element: str, label: str) -> None:
    mark = one(render.layer(f"<p>a</p>{element}<p>b</p>"), ".//div[contains(@class, 'margin')]")
    assert words(mark) == label


def test_classification_segment_keeps_its_category(render: Renderer) -> None:
    seg = one(
        render.layer('<ab><seg type="classification" ana="#cls-top-secret">СОВ. СЕКРЕТНО</seg></ab>'),
        ".//span[@data-tei='seg']",
    )
    assert seg.get("data-type") == "classification"
    assert seg.get("data-ana") == "cls-top-secret"


# -- names and dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("element", "href"),
    [
        ('<persName ref="persons.xml#stalin">Сталину</persName>', "persons.html#stalin"),
        ('<placeName ref="places.xml#beijing">ПЕКИН</placeName>', "places.html#beijing"),
        ('<orgName ref="organisations.xml#aprf">АПРФ</orgName>', "organisations.html#aprf"),
    ],
)
def test_names_link_to_their_register_entry(render: Renderer, element: str, href: str) -> None:
    link = one(render.layer(f"<p>{element}</p>"), ".//a[contains(@class, 'name')]")
    assert link.get("href") == href


def test_name_without_ref_and_nested_names(render: Renderer) -> None:
    layer = render.layer(
        '<p><persName>Некто</persName> <orgName ref="organisations.xml#aprf">архив '
        '<placeName ref="places.xml#moscow">Москвы</placeName></orgName></p>'
    )
    one(layer, ".//span[@data-tei='persName']")
    assert len(layer.xpath(".//a")) == 1  # no link inside a link


def test_dates_keep_source_form_and_iso_value(render: Renderer) -> None:
    layer = render.layer(
        '<p><date when="1950-05-14">14/У 1950</date> <date when="1950-05-14T10:00">утро</date></p>'
    )
    time = one(layer, ".//time[@data-tei='date']")
    assert time.get("datetime") == "1950-05-14" and words(time) == "14/У 1950"
    one(layer, ".//span[@data-tei='date']")


def test_inner_language_is_kept(render: Renderer) -> None:
    layer = render.layer('<p>Text <foreign xml:lang="ru">текст</foreign></p>', lang="en")
    assert one(layer, ".//span[@data-tei='foreign']").get("lang") == "ru"


def test_unknown_element_falls_back_and_is_reported(render: Renderer) -> None:
    layer = render.layer("<p>a <unclear>b</unclear> c</p>")
    assert words(one(layer, ".//span[@data-tei='unclear']")) == "b"
    assert any("unclear" in d.message for d in render.messages)


# -- the page around the text (common/ metadata, citation) ---------------------------------------------


def test_metadata_and_citations(render: Renderer) -> None:
    page = render.page(tei("<p>a</p>", title="Cable No. 4153 &amp; its 100% copy_1 {draft}"))
    assert words(one(page, ".//h1")) == "Cable No. 4153 & its 100% copy_1 {draft}"
    assert one(page, ".//dd[@class='meta-date']/time").get("datetime") == "1950-05-14"
    correspondents = one(page, ".//dd[@class='meta-correspondents']")
    assert [a.get("href") for a in correspondents.xpath("a")] == [
        "persons.html#stalin",
        "persons.html#mao-zedong",
    ]
    bibtex = words(one(page, ".//pre[@class='cite-bibtex']"))
    assert r"title = {Cable No. 4153 \& its 100\% copy\_1 \{draft\}}" in bibtex
    assert "url = {https://example.org/ed/t-1.html}" in bibtex
    chicago = words(one(page, ".//p[@class='cite-chicago']"))
    assert chicago.startswith("“Cable No. 4153") and "14 May 1950" in chicago and "version 1.2.3" in chicago
    assert one(page, ".//a[@type='application/tei+xml']").get("href") == "tei/t-1.xml"


def test_parallel_pair_and_layer_switch(render: Renderer) -> None:
    layers = (
        '<div type="translation" xml:lang="en" xml:id="t-1-en" corresp="#t-1-ru">'
        '<p xml:id="t-1-en-p1" corresp="#t-1-ru-p1">Text</p></div>'
        '<div type="original" xml:lang="ru" xml:id="t-1-ru">'
        '<p xml:id="t-1-ru-p1" corresp="#t-1-en-p1">Текст</p></div>'
        '<div type="transcription" xml:lang="ru" xml:id="t-1-ru-tr"><p>Текст</p></div>'
    )
    page = render.page(tei("", layers=layers))
    sections = page.xpath(".//section[contains(@class, 'layer')]")
    assert [s.get("id") for s in sections] == ["t-1-ru", "t-1-en", "t-1-ru-tr"]  # the pair first
    assert [s.get("data-primary") for s in sections] == ["left", "right", None]
    buttons = page.xpath(".//button[@data-set-layers]")
    assert [b.get("data-set-layers") for b in buttons] == ["parallel", "t-1-ru", "t-1-en", "t-1-ru-tr"]
    assert [b.get("aria-pressed") for b in page.xpath(".//button[@data-set-view]")] == ["true", "false"]
