"""Checks that need more than one file, or more than XPath 1.0 (issue 3, item 3).

Per document: the file name equals `TEI/@xml:id`, ids are unique in the file, dates are real ISO 8601
dates and, in a letter's text, near the letter's own dates, language tags are well-formed BCP 47.
Across the corpus: every `@ref` resolves to an entry of a register, every local or cross-file pointer
(`#id`, `file.xml#id`) resolves, and ids are unique across files except the ones every header repeats.
The corpus-wide pass itself (`validate.check_files`) works on what each file's check reported — its ids and
the pointers it could not resolve alone — so that it needs no parsed file and stays linear in the corpus.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from cablegram.diagnostics import Diagnostic, error, warning
from cablegram.validate.grammar import DATE_ATTRIBUTES, TEI_NS, XML_NS, Positions

XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
T = f"{{{TEI_NS}}}"

#: The ids every header repeats (ENCODING.md §3, "Identifiers"): exempt from cross-file uniqueness.
SHARED_IDS = frozenset({"archive", "edition", "classification"})
SHARED_ID_PREFIXES = ("cls-",)

#: Which register each naming element's @ref points into, and the entries it may name there.
REGISTERS: dict[str, tuple[str, frozenset[str]]] = {
    "persName": ("persons.xml", frozenset({"person", "personGrp"})),
    "placeName": ("places.xml", frozenset({"place"})),
    "orgName": ("organisations.xml", frozenset({"org"})),
    "repository": ("organisations.xml", frozenset({"org"})),
    "institution": ("organisations.xml", frozenset({"org"})),
}
REGISTER_FILES = frozenset(f for f, _ in REGISTERS.values()) | {"corrections.xml"}
ENTRY_ELEMENTS = frozenset({"person", "personGrp", "place", "org"})
POINTER_ATTRIBUTES = ("corresp", "target", "ana", "hand", "resp", "who", "scheme", "source", "ref")

# RFC 5646 §2.1, well-formed language tags (langtag, privateuse and the irregular grandfathered tags).
_BCP47 = re.compile(
    r"""^(?:
      (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})
      (?:-(?P<script>[a-z]{4}))?
      (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
      (?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)
      (?P<extensions>(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*)
      (?:-x(?:-[a-z0-9]{1,8})+)?
    |x(?:-[a-z0-9]{1,8})+
    |en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|i-tao|i-tay
    |i-tsu|sgn-be-fr|sgn-be-nl|sgn-ch-de
    )$""",
    re.VERBOSE | re.IGNORECASE,
)


@dataclass
class Document:
    """One parsed file of the corpus."""

    path: Path
    display: str  # the path as diagnostics print it
    tree: etree._ElementTree
    positions: Positions
    ids: dict[str, etree._Element] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def doc_id(self) -> str:
        return self.tree.getroot().get(XML_ID, "")

    @property
    def is_letter(self) -> bool:
        return self.doc_id.startswith("wc-")


def index_ids(document: Document) -> Iterator[Diagnostic]:
    """Fill `document.ids`; report ids repeated within the file."""
    for element in document.tree.getroot().iter():
        if not isinstance(element.tag, str):
            continue
        value = element.get(XML_ID)
        if value is None:
            continue
        if value in document.ids:
            first = document.ids[value].sourceline
            line, column = document.positions.of(element, XML_ID)
            yield error(
                document.display,
                line,
                column,
                f'xml:id="{value}" is repeated (first on line {first})',
                "id-duplicate",
            )
            continue
        document.ids[value] = element


def check_document(document: Document) -> Iterator[Diagnostic]:
    root = document.tree.getroot()
    if document.doc_id != document.path.stem:
        line, column = document.positions.of(root, XML_ID)
        yield error(
            document.display,
            line,
            column,
            f'TEI/@xml:id="{document.doc_id}" does not match the file name {document.name}',
            "filename-id",
        )
    yield from _check_dates(document)
    yield from _check_languages(document)


def parse_date(value: str) -> bool:
    """A real ISO 8601 date of the forms TEI's `teidata.temporal.w3c` takes (YYYY, YYYY-MM, date, time…)."""
    try:
        if re.fullmatch(r"-?\d{4}", value):
            return True
        if re.fullmatch(r"\d{4}-\d{2}", value):
            return 1 <= int(value[5:]) <= 12
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            dt.date.fromisoformat(value)
            return True
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", value):
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return True
        if re.fullmatch(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", value):
            dt.time.fromisoformat(value.replace("Z", "+00:00"))
            return True
    except ValueError:
        return False
    return bool(re.fullmatch(r"--\d{2}(-\d{2})?|---\d{2}", value))  # gMonth, gMonthDay, gDay


def _day(value: str) -> dt.date | None:
    match = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return None


def _shift_year(day: dt.date, years: int) -> dt.date:
    """The same day `years` later or earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _check_dates(document: Document) -> Iterator[Diagnostic]:
    root = document.tree.getroot()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in DATE_ATTRIBUTES:
            value = element.get(attribute)
            if value is not None and not parse_date(value):
                line, column = document.positions.of(element, attribute)
                yield error(
                    document.display,
                    line,
                    column,
                    f'@{attribute}="{value}" is not a real ISO 8601 date',
                    "date-iso",
                )
    if not document.is_letter:
        return
    # A warning, not an error: a letter may well name a date long before it (a treaty, an earlier cable).
    # The document's span: its own dates (correspDesc, the archive page's date), widened by a year each side,
    # enough for office notes and replies; stamps (declassification decades later) are exempt.
    found = root.xpath(
        "t:teiHeader/t:profileDesc/t:correspDesc//@when"
        " | t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl/t:date/@when",
        namespaces={"t": TEI_NS},
    )
    values = found if isinstance(found, list) else []
    header_dates = [day for value in values if (day := _day(str(value))) is not None]
    if not header_dates:
        return
    low, high = min(header_dates), max(header_dates)
    low, high = _shift_year(low, -1), _shift_year(high, +1)
    text = root.find(f"{T}text")
    if text is None:
        return
    for element in text.iter(f"{T}date"):
        if any(etree.QName(a).localname == "stamp" for a in element.iterancestors()):
            continue
        for attribute in ("when", "notBefore", "notAfter", "from", "to"):
            value = element.get(attribute)
            day = _day(value) if value and parse_date(value) else None
            if day is not None and not low <= day <= high:
                line, column = document.positions.of(element, attribute)
                yield warning(
                    document.display,
                    line,
                    column,
                    f'@{attribute}="{value}" lies outside the document\'s span ({min(header_dates)} to '
                    f"{max(header_dates)}, give or take a year)",
                    "date-span",
                )


def _check_languages(document: Document) -> Iterator[Diagnostic]:
    root = document.tree.getroot()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in (XML_LANG, "ident") if etree.QName(element).localname == "language" else (XML_LANG,):
            value = element.get(attribute)
            if value is None:
                continue
            problem = bcp47_problem(value)
            if problem:
                line, column = document.positions.of(element, attribute)
                shown = "xml:lang" if attribute == XML_LANG else "language/@ident"
                yield error(document.display, line, column, f'{shown}="{value}": {problem}', "lang-bcp47")


def bcp47_problem(tag: str) -> str:
    """'' when `tag` is a well-formed BCP 47 tag without repeated variants or singletons, else why not."""
    match = _BCP47.match(tag)
    if not match:
        return "not a well-formed BCP 47 language tag (RFC 5646)"
    variants = [v.lower() for v in (match.group("variants") or "").split("-") if v]
    if len(variants) != len(set(variants)):
        return "repeats a variant subtag (RFC 5646 §2.2.5)"
    singletons = [s.lower() for s in re.findall(r"-([0-9a-wy-z])-", match.group("extensions") or "")]
    if len(singletons) != len(set(singletons)):
        return "repeats an extension singleton (RFC 5646 §2.2.6)"
    return ""


def _resolve(
    element: str, attribute: str, pointer: str, document: Document, corpus: dict[str, Document]
) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*:", pointer, re.IGNORECASE):
        return ""  # an absolute URI (https:, urn:): outside the corpus
    file, _, fragment = pointer.partition("#")
    if attribute == "ref":
        if element in REGISTERS:
            register, kinds = REGISTERS[element]
            if file != register:
                return f"<{element}> points into the register {register}"
        elif file not in REGISTER_FILES:
            return "a @ref points into a register (persons.xml, places.xml, organisations.xml)"
        else:
            kinds = ENTRY_ELEMENTS
        target = corpus.get(file)
        if target is None:
            return f"the register {file} is not in the corpus"
        entry = target.ids.get(fragment)
        if entry is None:
            return f"no entry {fragment!r} in {file}"
        if etree.QName(entry).localname not in kinds:
            return f"{file}#{fragment} is a <{etree.QName(entry).localname}>, not a register entry"
        return ""
    if not fragment:
        if not file:
            return "an empty pointer"
        return "" if file in corpus else f"no file {file} in the corpus"
    target = document if not file else corpus.get(file)
    if target is None:
        return f"no file {file} in the corpus"
    if fragment not in target.ids:
        return f"no element has xml:id {fragment!r}" + (f" in {file}" if file else " in this file")
    return ""
