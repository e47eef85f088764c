"""What the deposit needs to know about the edition, read once from `tei/` (STYLE.md §1: gather, then write).

A `Telegram` is one document's header as the metadata files use it; `Registers` resolves `persons.xml#stalin`
to the register entry's preferred name and its verified authority URI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from cablegram import xmlio
from cablegram.tei import XML_ID, XML_LANG, tei

T = tei("")

# Authority URIs as the CMIF and DataCite consumers expect them (correspSearch normalises to these forms).
AUTHORITY_URI = {
    "wikidata": "http://www.wikidata.org/entity/{}",
    "viaf": "http://viaf.org/viaf/{}",
    "geonames": "http://www.geonames.org/{}",
    "gnd": "http://d-nb.info/gnd/{}",
}
# Which authority a consumer prefers when an entry has several: GeoNames for places (correspSearch's
# choice), VIAF and Wikidata for persons and organisations.
PREFERENCE = {
    "person": ("viaf", "gnd", "wikidata"),
    "place": ("geonames", "wikidata"),
    "org": ("viaf", "gnd", "wikidata"),
}
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class Entry:
    """A register entry: its id, preferred name and verified authority identifiers."""

    kind: str  # person | place | org
    ident: str
    label: str
    authorities: tuple[tuple[str, str], ...] = ()  # (type, value), in document order

    @property
    def uri(self) -> str | None:
        """The preferred authority URI, or None where the register has none verified."""
        found = dict(self.authorities)
        for kind in PREFERENCE[self.kind]:
            if kind in found:
                return AUTHORITY_URI[kind].format(found[kind])
        return None


@dataclass(frozen=True)
class Name:
    """A name in a correspAction: the register entry it points at (if any) and the text as encoded."""

    element: str  # persName | placeName | orgName
    text: str
    entry: Entry | None


@dataclass(frozen=True)
class Action:
    type: str  # sent | received | transmitted | …
    names: tuple[Name, ...]
    places: tuple[Name, ...]
    dates: tuple[tuple[str, str], ...]  # (attribute, value): the date's @when, @from, @to, @notBefore…


@dataclass(frozen=True)
class Telegram:
    path: Path
    display: str  # the path as diagnostics name it
    ident: str
    title: str
    record_url: str | None  # the archive's record page (publicationStmt/idno type="URI")
    actions: tuple[Action, ...]
    keywords: tuple[str, ...]
    languages: tuple[str, ...]

    @property
    def dates(self) -> list[str]:
        """Every ISO date (YYYY-MM-DD prefix) of the correspondence actions, sorted."""
        found = [value[:10] for action in self.actions for _, value in action.dates if _ISO_DATE.match(value)]
        return sorted(found)


@dataclass
class Registers:
    entries: dict[str, Entry] = field(default_factory=dict)  # "persons.xml#stalin" → Entry

    @classmethod
    def load(cls, register_files: list[Path]) -> Registers:
        registers = cls()
        kinds = {"person": "persName", "place": "placeName", "org": "orgName"}
        for path in register_files:
            tree = xmlio.parse(path)
            for kind, name_element in kinds.items():
                for element in tree.iter(f"{T}{kind}"):
                    ident = element.get(XML_ID)
                    if not ident:
                        continue
                    label = _preferred_name(element, f"{T}{name_element}") or ident
                    authorities = tuple(
                        (str(idno.get("type")), _text(idno))
                        for idno in element.iterfind(f"{T}idno")
                        if idno.get("type") in AUTHORITY_URI and _text(idno)
                    )
                    registers.entries[f"{path.name}#{ident}"] = Entry(kind, ident, label, authorities)
        return registers

    def resolve(self, ref: str | None) -> Entry | None:
        return self.entries.get(ref) if ref else None


def _text(element: etree._Element) -> str:
    return " ".join("".join(str(t) for t in element.itertext()).split())


def _preferred_name(entry: etree._Element, tag: str) -> str:
    """The register's rule: the first English form without @type is the preferred label."""
    names = list(entry.iterfind(tag))
    for name in names:
        if name.get(XML_LANG, "en") == "en" and name.get("type") is None:
            return _text(name)
    return _text(names[0]) if names else ""


def read_telegram(path: Path, registers: Registers, display: str | None = None) -> Telegram:
    return telegram_of(xmlio.parse(path).getroot(), path, registers, display)


def telegram_of(
    root: etree._Element, path: Path, registers: Registers, display: str | None = None
) -> Telegram:
    """The telegram of a document already parsed (`root`: its TEI element; read, not changed)."""
    return telegram_from_record(telegram_record(root), path, registers, display)


def telegram_record(root: etree._Element) -> dict[str, Any]:
    """What the metadata take from a document's header, as JSON data that depends on nothing but the
    document's bytes (not its path, not the registers): a deposit keeps it by the document's digest, so that
    the next one parses only the documents that changed. `telegram_from_record` makes the Telegram of it."""
    title_element = root.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")
    record_url = None
    for idno in root.iterfind(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}idno"):
        if idno.get("type") == "URI" and _text(idno):
            record_url = _text(idno)
            break
    actions = []
    for action in root.iterfind(f"{T}teiHeader/{T}profileDesc/{T}correspDesc/{T}correspAction"):
        names = [
            [etree.QName(n).localname, _text(n), n.get("ref")]
            for n in action
            if n.tag in (f"{T}persName", f"{T}orgName")
        ]
        places = [[_text(n), n.get("ref")] for n in action.iterfind(f"{T}placeName")]
        dates = [
            [attribute, str(date.get(attribute))]
            for date in action.iterfind(f"{T}date")
            for attribute in ("when", "from", "to", "notBefore", "notAfter")
            if date.get(attribute)
        ]
        actions.append([str(action.get("type", "")), names, places, dates])
    return {
        "ident": root.get(XML_ID) or None,  # None: the file's name stands in
        "title": _text(title_element) if title_element is not None else None,  # None: the ident does
        "record_url": record_url,
        "actions": actions,
        "keywords": [
            _text(term)
            for term in root.iterfind(f"{T}teiHeader/{T}profileDesc/{T}textClass/{T}keywords/{T}term")
        ],
        "languages": [
            str(language.get("ident"))
            for language in root.iterfind(f"{T}teiHeader/{T}profileDesc/{T}langUsage/{T}language")
            if language.get("ident")
        ],
    }


def telegram_from_record(
    record: dict[str, Any], path: Path, registers: Registers, display: str | None = None
) -> Telegram:
    """The Telegram of a `telegram_record`, its names resolved with today's registers."""
    ident = str(record["ident"] or path.stem)
    actions = tuple(
        Action(
            kind,
            tuple(Name(element, text, registers.resolve(ref)) for element, text, ref in names),
            tuple(Name("placeName", text, registers.resolve(ref)) for text, ref in places),
            tuple((attribute, value) for attribute, value in dates),
        )
        for kind, names, places, dates in record["actions"]
    )
    return Telegram(
        path,
        display or str(path),
        ident,
        record["title"] if record["title"] is not None else ident,
        record["record_url"],
        actions,
        tuple(record["keywords"]),
        tuple(record["languages"]),
    )
