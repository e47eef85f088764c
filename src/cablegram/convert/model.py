"""The data that flows between the converter's stages (text in, tree out)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    """One line of the source after export formatting is removed; `number` is 1-based in the source file."""

    number: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A run of non-blank lines of the body (a blank line separates paragraphs)."""

    lines: tuple[Line, ...]

    @functools.cached_property  # read by every stage, dozens of times per block
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def line(self) -> int:
        return self.lines[0].number


@dataclass(frozen=True)
class ArchivalCitation:
    """One archival location named in the citation, split into its parts (ENCODING.md §2)."""

    repository: str  # as written: "RGASPI", "APRF", "Russian Presidential Archives"
    repository_key: str  # normalised key: "rgaspi", "aprf", "avprf", … ("" when unknown)
    fond: str = ""
    opis: str = ""
    delo: str = ""
    papka: str = ""
    listy: str = ""  # list / listy / ll. / pp.
    text: str = ""  # the citation's words for this location, verbatim


@dataclass(frozen=True)
class Party:
    """A correspondent named in the title pattern "X to Y (via Z)"."""

    name: str


@dataclass
class Page:
    """Everything read from one archive page export."""

    path: str  # as given, for diagnostics
    doc_id: str  # "wc-115976", or derived from date and title
    record_id: str  # "115976" or "" when the page carries none
    title: str
    date_text: str  # the page's date as written ("May 14, 1950")
    date_iso: str  # "1950-05-14" ("" when unknown)
    url: str  # the page's URL as given ("" when none)
    citation: str  # the citation paragraph verbatim ("" when none)
    archival: list[ArchivalCitation] = field(default_factory=list)
    summary: str = ""
    funder: str = ""
    translator: str = ""
    original_language: str = ""
    contents: list[str] = field(default_factory=list)  # "Original Scan", "Translation - English", …
    info: list[tuple[str, str]] = field(default_factory=list)  # DOCUMENT INFORMATION label/value pairs
    subjects: list[str] = field(default_factory=list)
    sender: Party | None = None
    recipients: list[Party] = field(default_factory=list)
    intermediary: Party | None = None
    publisher: str = ""  # archive name as the citation gives it
    body: list[Paragraph] = field(default_factory=list)  # the document's text, in source order
    # Lines that belong to neither metadata nor body (page chrome such as "get citation"): kept for the
    # nothing-lost check, which must be able to tell what was dropped on purpose.
    dropped: list[Line] = field(default_factory=list)


@dataclass
class BodyFacts:
    """What the body encoder learnt that the header must declare."""

    languages: list[str] = field(default_factory=list)  # every xml:lang used, in first-use order
    classification: str = ""  # effective level category id ("cls-top-secret") or ""
    hands: list[str] = field(default_factory=list)  # handNote ids referenced by @hand
    destination_place: str = ""  # a place read from the telegram form ("Куда ПЕКИН", "To BEIJING")
    origin_place: str = ""  # "from Peking"
