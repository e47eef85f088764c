"""`metadata/datacite.xml` (DataCite Metadata Schema 4.5) and `metadata/.zenodo.json` for the edition.

The record is assembled as DataCite JSON and turned into XML by the `datacite` package
(`datacite.schema45`); the XML is validated against the official 4.5 XSD,
shipped in `schemas/datacite-4.5/` (the package itself ships only JSON schemas), by xmlschema with its safe
settings (STYLE.md §11): nothing is fetched, nothing outside the schema's directory is read.

DataCite requires an `identifier`; the package writes one only for a DOI. An edition whose identifier is not
(yet) a DOI gets `identifierType="URN"` (or "URL") and a warning: register a DOI before sending the record
to DataCite itself (a Zenodo upload mints its own).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from lxml import etree

from cablegram import __version__, xmlio
from cablegram.config import EditionConfig
from cablegram.deposit.records import Telegram
from cablegram.diagnostics import CablegramError, Diagnostic, error, warning

XSD_DIR = Path(__file__).parent / "schemas" / "datacite-4.5"
KERNEL_NS = "http://datacite.org/schema/kernel-4"
_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_CC = re.compile(r"^CC[ -]?(0|BY(?:[ -](?:SA|NC|ND))*)[ -]?(\d\.\d)?$", re.IGNORECASE)
# ISO 639-1 → 639-3, for Zenodo's `language`; others are left out rather than guessed.
_LANG3 = {
    "en": "eng",
    "ru": "rus",
    "de": "deu",
    "fr": "fra",
    "zh": "zho",
    "ko": "kor",
    "it": "ita",
    "es": "spa",
}


def doi_of(identifier: str) -> str | None:
    match = _DOI.match(identifier.strip())
    return match.group(1) if match else None


def spdx_licence(licence: str) -> str | None:
    """`CC BY 4.0` → `CC-BY-4.0`, `CC0 1.0` → `CC0-1.0`; None for a licence this does not know."""
    match = _CC.match(licence.strip())
    if not match:
        return None
    kind, version = match.group(1).upper().replace(" ", "-"), match.group(2)
    if kind == "0":
        return "CC0-1.0"
    return f"CC-{kind}-{version}" if version else None


def _creators(config: EditionConfig) -> list[dict[str, Any]]:
    names = config.editors or ((config.publisher,) if config.publisher else ("cablegram",))
    return [{"name": name} for name in names]


def _subjects(telegrams: list[Telegram]) -> list[dict[str, Any]]:
    subjects: dict[str, dict[str, Any]] = {}
    for telegram in telegrams:
        for keyword in telegram.keywords:
            subjects.setdefault(keyword, {"subject": keyword, "lang": "en"})
        for action in telegram.actions:
            for name in (*action.names, *action.places):
                entry = name.entry
                if entry is None:
                    continue
                authorities = dict(entry.authorities)
                if "wikidata" in authorities:
                    subjects.setdefault(
                        entry.label,
                        {
                            "subject": entry.label,
                            "subjectScheme": "Wikidata",
                            "schemeUri": "https://www.wikidata.org/wiki/",
                            "valueUri": f"http://www.wikidata.org/entity/{authorities['wikidata']}",
                        },
                    )
    return [subjects[key] for key in sorted(subjects)]


def datacite_record(
    config: EditionConfig, telegrams: list[Telegram], *, date: str, formats: list[str]
) -> dict[str, Any]:
    """The DataCite JSON record of the edition as a whole."""
    days = sorted(day for telegram in telegrams for day in telegram.dates)
    record: dict[str, Any] = {
        "creators": _creators(config),
        "titles": [{"title": config.title, "lang": config.language}],
        "publisher": {"name": config.publisher or "cablegram"},
        "publicationYear": date[:4],
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "Digital scholarly edition (TEI P5)"},
        "language": config.language,
        "subjects": _subjects(telegrams),
        "dates": [{"date": date, "dateType": "Issued"}],
        "formats": formats,
        "sizes": [f"{len(telegrams)} documents"],
        "schemaVersion": "http://datacite.org/schema/kernel-4",
    }
    doi = doi_of(config.identifier)
    if doi:
        record["doi"] = doi
    if days:
        coverage = days[0] if days[0] == days[-1] else f"{days[0]}/{days[-1]}"
        record["dates"].append(
            {"date": coverage, "dateType": "Other", "dateInformation": "Dates of the documents edited"}
        )
    if config.base_url:
        record["alternateIdentifiers"] = [
            {"alternateIdentifier": config.base_url, "alternateIdentifierType": "URL"}
        ]
    related = sorted({t.record_url for t in telegrams if t.record_url})
    if related:
        record["relatedIdentifiers"] = [
            {
                "relatedIdentifier": url,
                "relatedIdentifierType": "URL",
                "relationType": "IsDerivedFrom",
                "resourceTypeGeneral": "Text",
            }
            for url in related
        ]
    rights: dict[str, Any] = {"rights": config.licence, "rightsUri": config.licence_url}
    spdx = spdx_licence(config.licence)
    if spdx:
        rights.update(
            {
                "rightsIdentifier": spdx,
                "rightsIdentifierScheme": "SPDX",
                "schemeUri": "https://spdx.org/licenses/",
            }
        )
    record["rightsList"] = [rights]
    descriptions = []
    if config.description:
        descriptions.append(
            {"description": config.description, "descriptionType": "Abstract", "lang": config.language}
        )
    contents = "; ".join(
        f"{t.ident}: {t.title}" + (f" ({t.dates[0]})" if t.dates else "")
        for t in sorted(telegrams, key=lambda t: (t.dates[:1], t.ident))
    )
    if contents:
        descriptions.append(
            {"description": contents, "descriptionType": "TableOfContents", "lang": config.language}
        )
    descriptions.append(
        {
            "description": "A BagIt 1.0 bag (RFC 8493). Payload: data/tei (the TEI P5 documents, the "
            "registers of persons, places and organisations, and corpus.xml, a teiCorpus of all documents), "
            "data/schema (ODD, RelaxNG, XSD, Schematron), data/html (the web edition) and data/pdf (the "
            f"print edition) where built, README.txt and LICENCE.txt. Packaged by cablegram {__version__}.",
            "descriptionType": "TechnicalInfo",
            "lang": "en",
        }
    )
    record["descriptions"] = descriptions
    return record


def build_datacite(
    config: EditionConfig, telegrams: list[Telegram], *, date: str, formats: list[str]
) -> tuple[bytes, list[Diagnostic]]:
    """datacite.xml as bytes, with warnings (an identifier that is not a DOI)."""
    from datacite import schema45  # type: ignore[import-untyped]  # imported here: it is slow to import (STYLE.md §12)

    record = datacite_record(config, telegrams, date=date, formats=formats)
    problems: list[Diagnostic] = []
    # No check of the JSON against the package's JSON schema: the XML made of it is checked against the
    # official XSD (check_datacite, before anything is written), which covers the same record, and the JSON
    # schema's pass took 5 s for a record that lists 10,000 documents.
    tree = xmlio.parse_bytes(schema45.tostring(record).encode("utf-8"), "metadata/datacite.xml")
    root = tree.getroot()
    if "doi" not in record:
        kind = "URL" if config.identifier.startswith(("http://", "https://")) else "URN"
        identifier = etree.Element(f"{{{KERNEL_NS}}}identifier", identifierType=kind)
        identifier.text = config.identifier or config.base_url or config.title
        root.insert(0, identifier)
        problems.append(
            warning(
                "edition.toml",
                1,
                1,
                f"identifier {identifier.text!r} is not a DOI: "
                f'datacite.xml gives identifierType="{kind}"; register a DOI before '
                "submitting the record to DataCite",
                "datacite-no-doi",
            )
        )
    etree.indent(root, space="  ")
    return xmlio.serialize(tree), problems


@functools.cache
def _schema() -> Any:
    import xmlschema

    directory = XSD_DIR.resolve()
    return xmlschema.XMLSchema10(
        str(directory / "metadata.xsd"), base_url=str(directory), allow="sandbox", defuse="always"
    )


def check_datacite(data: bytes, display: str) -> list[Diagnostic]:
    """datacite.xml against the DataCite 4.5 XSD."""
    try:
        tree = xmlio.parse_bytes(data, display)
    except CablegramError as exc:
        return exc.diagnostics
    problems = []
    for problem in _schema().iter_errors(tree):
        element = problem.elem
        line = getattr(element, "sourceline", None) or 1
        reason = problem.reason or problem.message
        problems.append(error(display, line, 1, f"DataCite 4.5: {reason}", "datacite-xsd"))
    return problems


def build_zenodo(config: EditionConfig, telegrams: list[Telegram], *, date: str) -> bytes:
    """`.zenodo.json`: the deposition metadata of Zenodo's REST API and GitHub integration."""
    record: dict[str, Any] = {
        "title": config.title,
        "upload_type": "dataset",
        "description": config.description or config.title,
        "creators": [{"name": c["name"]} for c in _creators(config)],
        "publication_date": date,
        "access_right": "open",
    }
    spdx = spdx_licence(config.licence)
    if spdx:
        record["license"] = spdx.lower()
    if config.language in _LANG3:
        record["language"] = _LANG3[config.language]
    keywords = sorted({k for t in telegrams for k in t.keywords})
    if keywords:
        record["keywords"] = keywords
    related = [
        {
            "identifier": url,
            "relation": "isDerivedFrom",
            "resource_type": "publication-other",
            "scheme": "url",
        }
        for url in sorted({t.record_url for t in telegrams if t.record_url})
    ]
    if config.base_url:
        related.insert(
            0, {"identifier": config.base_url, "relation": "isAlternateIdentifier", "scheme": "url"}
        )
    if related:
        record["related_identifiers"] = related
    doi = doi_of(config.identifier)
    if doi:
        record["doi"] = doi
    return (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
