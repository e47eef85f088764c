"""`Page` → `teiHeader` (ENCODING.md §2): what the archive page says of the document, and how it was encoded.

Deterministic by design: no clock, no environment; the same page, facts, registers and configuration give
the same header. Element ids are prefixed with the document id, except the declarations that every file
repeats (`#archive`, `#edition` and the classification taxonomy), which ENCODING.md exempts.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from urllib.parse import quote, urlsplit

from lxml import etree

from cablegram.config import EditionConfig
from cablegram.convert.model import ArchivalCitation, BodyFacts, Page, Party
from cablegram.convert.registers import Entry, Registers
from cablegram.tei import Node, element

DEFAULT_ARCHIVE = "Wilson Center Digital Archive"

# The classification taxonomy (ENCODING.md §3): three levels and one handling category. Its ids recur in
# every file by design.
CLASSIFICATION: tuple[tuple[str, str], ...] = (
    ("cls-secret", "Secret (секретно)"),
    ("cls-top-secret", "Top Secret (совершенно секретно)"),
    ("cls-strictly-secret", "Strictly Secret (строго секретно)"),
    ("cls-special", "Special (особая): a handling category, not a level"),
)

LANGUAGE_NAMES = {
    "en": "English",
    "ru": "Russian",
    "zh": "Chinese",
    "ko": "Korean",
    "ja": "Japanese",
    "de": "German",
    "fr": "French",
    "pl": "Polish",
    "cs": "Czech",
    "hu": "Hungarian",
    "ro": "Romanian",
    "bg": "Bulgarian",
    "uk": "Ukrainian",
    "mn": "Mongolian",
    "vi": "Vietnamese",
    "sr": "Serbian",
    "es": "Spanish",
    "it": "Italian",
}
_SCRIPTS = {"Latn": "Latin", "Cyrl": "Cyrillic", "Hans": "simplified Chinese", "Hant": "traditional Chinese"}

EDITORIAL_PRACTICES = (
    "Each layer of the archive page (the diplomatic transcription of the original scan, the archive's own "
    "transcription, the English translation) is a div of the body with its xml:lang; a translation points "
    "with corresp at the layer it translates, and matching paragraphs point at each other.",
    'The telegram form\'s heading blocks are ab type="telegram-header"; the letter is a div type="message" '
    'with opener, p and closer; what the office added after the signature is div type="office-notes"; a '
    "message quoted in a covering telegram is a floatingText.",
    "The archive's bracketed insertions are supplied with a reason (identification, normalization, gloss, "
    'omitted, context, source-term) and resp="#archive"; brackets are not stored. [...] and [signature] are '
    'gaps, [Stamp: …] a stamp; handwriting is hi rend="handwritten" with a hand, struck text del '
    'rend="strikethrough", letter-spaced words hi rend="spaced".',
    "Names of persons, places and organisations point into the registers persons.xml, places.xml and "
    "organisations.xml; dates carry an ISO 8601 @when and keep the source's form as content.",
    'OCR readings that are plainly wrong are corrected with choice/sic/corr resp="#edition" from the '
    'corrections register; OCR residue that cannot be read is kept verbatim in ab type="ocr-residue". '
    "Classification marks point into the classification taxonomy; the effective level is in textClass.",
    "Nothing of the document's text is omitted. Export formatting (markdown, HTML tags) and web-page chrome "
    "are dropped; the page's DOCUMENT INFORMATION is kept in notesStmt.",
)

_PSEUDONYM = re.compile(r"^(?P<alias>.+?)\s*[\[(](?P<real>[^\])]+)[\])]\s*$")


def language_name(tag: str) -> str:
    """A readable name for a BCP 47 tag: "ru" → "Russian", "ru-Latn" → "Russian, transliterated into …"."""
    parts = tag.split("-")
    name = LANGUAGE_NAMES.get(parts[0].lower(), parts[0])
    if len(parts) > 1 and parts[1] in _SCRIPTS:
        return f"{name}, transliterated into {_SCRIPTS[parts[1]]} script"
    return name


def _lookup(registers: Registers, kind: str, *names: str) -> Entry | None:
    for name in names:
        if name:
            entry = registers.lookup(name)
            if entry is not None and entry.kind == kind:
                return entry
    return None


def resolve_person(party: Party, registers: Registers) -> Entry | None:
    """The register entry of a party; a pseudonym and identity ("Filippov (Stalin)") resolve to Stalin."""
    pseudonym = _PSEUDONYM.match(party.name)
    if pseudonym:
        return _lookup(registers, "person", pseudonym.group("real"), pseudonym.group("alias"), party.name)
    return _lookup(registers, "person", party.name)


def _display(party: Party) -> str:
    """The name as the title writes it; a bracketed identity is shown in parentheses ("Filippov (Stalin)")."""
    pseudonym = _PSEUDONYM.match(party.name)
    return f"{pseudonym.group('alias')} ({pseudonym.group('real')})" if pseudonym else party.name


def _person(party: Party, registers: Registers) -> etree._Element:
    entry = resolve_person(party, registers)
    return element("persName", {"ref": entry.ref if entry else ""}, [_display(party)])


def _place(name: str, registers: Registers) -> etree._Element:
    entry = _lookup(registers, "place", name)
    if entry is None:
        return element("placeName", {}, [name])
    return element("placeName", {"ref": entry.ref}, [entry.label or name])


def _repository(location: ArchivalCitation, registers: Registers) -> Entry | None:
    entry = _lookup(registers, "org", location.repository)
    if entry is None and location.repository_key:  # a form the register lacks, but a key the reader knew
        by_key = registers.entries.get(location.repository_key)
        entry = by_key if by_key is not None and by_key.kind == "org" else None
    return entry


def _people(text: str) -> list[str]:
    return [name for name in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", text) if name.strip()]


# --------------------------------------------------------------------------------------- fileDesc


def _title_stmt(page: Page, registers: Registers) -> etree._Element:
    archive = page.publisher or DEFAULT_ARCHIVE
    entry = _lookup(registers, "org", archive)
    children: list[Node] = [
        element("title", {}, [page.title or page.doc_id]),
        element(
            "respStmt",
            {"xml:id": "archive"},
            [
                element("resp", {}, ["editorial interventions, transcription and translation"]),
                element("orgName", {"ref": entry.ref if entry else ""}, [archive]),
            ],
        ),
    ]
    if page.translator:
        names = [_person(Party(name), registers) for name in _people(page.translator)]
        children.append(element("respStmt", {}, [element("resp", {}, ["translation"]), *names]))
    children.append(
        element(
            "respStmt",
            {"xml:id": "edition"},
            [element("resp", {}, ["TEI encoding"]), element("name", {}, ["cablegram edition"])],
        )
    )
    if page.funder:
        children.append(element("funder", {}, [page.funder]))
    return element("titleStmt", {}, children)


def _publication_stmt(page: Page, config: EditionConfig) -> etree._Element:
    licence = element("licence", {"target": config.licence_url}, [config.licence])
    children: list[Node] = [
        element("publisher", {}, [config.publisher or config.title]),
        element("availability", {}, [licence]),
    ]
    if page.record_id:
        children.append(element("idno", {"type": "record"}, [page.record_id]))
        uri = f"https://digitalarchive.wilsoncenter.org/document/{page.record_id}"
        children.append(element("idno", {"type": "URI"}, [uri]))
    elif page.url:
        children.append(element("idno", {"type": "URI"}, [page.url]))
    return element("publicationStmt", {}, children)


_URI_SAFE = ":/?#@!$&'()*+,;=%~"  # brackets are percent-encoded: outside an IPv6 host they are not URI


def _is_web_address(url: str) -> bool:
    """An http(s) URL with a plain host name (and port): what a ptr may point at."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(re.fullmatch(r"[A-Za-z0-9.-]+(?::\d+)?", parts.netloc))


def _notes_stmt(page: Page) -> etree._Element | None:
    items = [
        element("item", {}, [element("label", {}, [label]), f" {value}" if value else ""])
        for label, value in page.info
    ]
    if not items:
        return None
    listing = element("list", {"type": "document-information"}, items)
    return element("notesStmt", {}, [element("note", {"type": "document-information"}, [listing])])


def _date(page: Page) -> etree._Element:
    return element("date", {"when": page.date_iso}, [page.date_text or page.date_iso])


def _source_desc(page: Page, registers: Registers) -> etree._Element:
    bibl: list[Node] = []
    if page.title:
        bibl.append(element("title", {}, [page.title]))
    if page.date_text or page.date_iso:
        bibl.append(_date(page))
    bibl.append(element("publisher", {}, [page.publisher or DEFAULT_ARCHIVE]))
    if page.url and _is_web_address(page.url):
        bibl.append(element("ptr", {"target": quote(page.url, safe=_URI_SAFE)}))
    elif page.url:
        bibl.append(element("idno", {"type": "URI"}, [page.url]))  # as written: no valid URI to point at
    if page.original_language:
        bibl.append(element("note", {"type": "original-language"}, [page.original_language]))
    if page.citation:
        bibl.append(element("note", {"type": "citation"}, [page.citation]))
    if page.contents:
        items = [element("item", {}, [entry]) for entry in page.contents]
        bibl.append(element("note", {"type": "contents"}, [element("list", {}, items)]))
    children: list[Node] = [element("bibl", {"type": "archive-page"}, bibl)]
    for number, location in enumerate(page.archival, start=1):
        entry = _repository(location, registers)
        identifier: list[Node] = [
            element("repository", {"ref": entry.ref if entry else ""}, [location.repository]),
        ]
        for kind, value in (
            ("fond", location.fond),
            ("opis", location.opis),
            ("delo", location.delo),
            ("papka", location.papka),
            ("list", location.listy),
        ):
            if value:
                identifier.append(element("idno", {"type": kind}, [value]))
        ms_id = f"{page.doc_id}-ms{number}"
        children.append(element("msDesc", {"xml:id": ms_id}, [element("msIdentifier", {}, identifier)]))
    return element("sourceDesc", {}, children)


# ------------------------------------------------------------------------------ encoding, profile


def _encoding_desc() -> etree._Element:
    editorial = element("editorialDecl", {}, [element("p", {}, [text]) for text in EDITORIAL_PRACTICES])
    categories = [
        element("category", {"xml:id": ident}, [element("catDesc", {}, [desc])])
        for ident, desc in CLASSIFICATION
    ]
    taxonomy = element("taxonomy", {"xml:id": "classification"}, categories)
    return element("encodingDesc", {}, [editorial, element("classDecl", {}, [taxonomy])])


def _action(kind: str, content: list[Node]) -> etree._Element:
    if not content:  # correspDesc always has sent and received (Schematron); say that nobody is named
        content = [element("p", {}, ["Not named on the archive page."])]
    return element("correspAction", {"type": kind}, content)


def _corresp_desc(page: Page, facts: BodyFacts, registers: Registers) -> etree._Element:
    sent: list[Node] = [_person(page.sender, registers)] if page.sender else []
    if facts.origin_place:
        sent.append(_place(facts.origin_place, registers))
    if page.date_text or page.date_iso:
        sent.append(_date(page))
    received: list[Node] = [_person(party, registers) for party in page.recipients]
    if facts.destination_place:
        received.append(_place(facts.destination_place, registers))
    actions = [_action("sent", sent)]
    if page.intermediary:
        actions.append(_action("transmitted", [_person(page.intermediary, registers)]))
    actions.append(_action("received", received))
    return element("correspDesc", {}, actions)


def _languages(facts: BodyFacts, config: EditionConfig) -> list[str]:
    tags: list[str] = []
    for tag in ["en", config.language, *facts.languages]:
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _profile_desc(
    page: Page, facts: BodyFacts, registers: Registers, config: EditionConfig
) -> etree._Element:
    children: list[Node] = []
    if page.summary:
        paragraphs = [p for p in page.summary.split("\n\n") if p.strip()]
        children.append(element("abstract", {}, [element("p", {}, [p]) for p in paragraphs]))
    children.append(_corresp_desc(page, facts, registers))
    languages = [
        element("language", {"ident": tag}, [language_name(tag)]) for tag in _languages(facts, config)
    ]
    children.append(element("langUsage", {}, languages))
    classes: list[Node] = []
    if facts.classification:
        classes.append(element("catRef", {"scheme": "#classification", "target": f"#{facts.classification}"}))
    if page.subjects:
        classes.append(element("keywords", {}, [element("term", {}, [term]) for term in page.subjects]))
    if classes:
        children.append(element("textClass", {}, classes))
    if facts.hands:
        notes = [
            element(
                "handNote",
                {"xml:id": hand.lstrip("#"), "scope": "minor"},
                ["Handwritten entries on the archival copy."],
            )
            for hand in facts.hands
        ]
        children.append(element("handNotes", {}, notes))
    return element("profileDesc", {}, children)


def build_header(
    page: Page, facts: BodyFacts, registers: Registers, config: EditionConfig, *, tool_version: str
) -> etree._Element:
    """The `teiHeader` of one document (see the contract's wc-115976.xml for its shape)."""
    file_desc: list[Node] = [_title_stmt(page, registers), _publication_stmt(page, config)]
    notes = _notes_stmt(page)
    if notes is not None:
        file_desc.append(notes)
    file_desc.append(_source_desc(page, registers))
    source = PurePath(page.path).name
    change = f"Converted from the archive page export {source} by cablegram {tool_version}."
    return element(
        "teiHeader",
        {},
        [
            element("fileDesc", {}, file_desc),
            _encoding_desc(),
            _profile_desc(page, facts, registers, config),
            element("revisionDesc", {}, [element("change", {"who": "#edition"}, [change])]),
        ],
    )


def unknown_names(page: Page, registers: Registers, facts: BodyFacts | None = None) -> list[tuple[str, str]]:
    """Names of the header that no register knows, as (kind, name): candidates for new register entries."""
    found: list[tuple[str, str]] = []
    parties = [page.sender, *page.recipients, page.intermediary]
    for party in parties:
        if party is not None and resolve_person(party, registers) is None:
            found.append(("person", party.name))
    for location in page.archival:
        if _repository(location, registers) is None:
            found.append(("org", location.repository))
    if facts is not None:
        for place in (facts.origin_place, facts.destination_place):
            if place and _lookup(registers, "place", place) is None:
                found.append(("place", place))
    return list(dict.fromkeys(found))


def unknown_parties(page: Page, registers: Registers) -> list[str]:
    """`unknown_names` formatted for the command line: "person: Krasovsky", "org: TsAMO"."""
    return [f"{kind}: {name}" for kind, name in unknown_names(page, registers)]
