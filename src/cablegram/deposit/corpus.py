"""`data/tei/corpus.xml`: one `teiCorpus` with a corpus header and every document of the edition.

Each file of the edition repeats a few declarations under the same ids (`#archive`, `#edition`, the
classification taxonomy: ENCODING.md §3 "Identifiers"). In one file those ids would clash, so in the corpus
each member's recurring ids are prefixed with the member's id (`wc-115976-archive`) and the member's
pointers to them rewritten; the separate files beside corpus.xml keep them as they are.

The edition's RelaxNG has `TEI` as its only start. `cablegram-corpus.rng`, written into the package's
schema directory, includes `cablegram.rng` unchanged and adds `teiCorpus` (TEI P5's content model,
restricted to the edition's `teiHeader` and `TEI`) as the start, so that the corpus is checked against the
edition's own definitions.
"""

from __future__ import annotations

from collections import Counter
from copy import deepcopy
from pathlib import Path

from lxml import etree

from cablegram import TEI_NS, xmlio
from cablegram.config import EditionConfig
from cablegram.diagnostics import CablegramError, Diagnostic, error
from cablegram.tei import XML_ID, element, tei

CORPUS_RNG_NAME = "cablegram-corpus.rng"
CORPUS_RNG = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- The edition's schema with teiCorpus as its start: written by `cablegram deposit` (issue 6).
     cablegram.rng itself is included unchanged. -->
<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="{TEI_NS}"
         datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <include href="cablegram.rng">
    <start>
      <ref name="teiCorpus"/>
    </start>
  </include>
  <define name="teiCorpus">
    <element name="teiCorpus">
      <ref name="teiHeader"/>
      <oneOrMore>
        <ref name="TEI"/>
      </oneOrMore>
      <ref name="att.global.attributes"/>
    </element>
  </define>
</grammar>
"""


def build_corpus(config: EditionConfig, documents: list[Path], *, date: str) -> bytes:
    members = [xmlio.parse(path).getroot() for path in documents]
    counts = Counter(i for member in members for i in {e.get(XML_ID) for e in member.iter() if e.get(XML_ID)})
    recurring = {i for i, n in counts.items() if n > 1 and i is not None}
    editors = config.editors or (config.publisher or "cablegram",)
    header = element(
        "teiHeader",
        children=[
            element(
                "fileDesc",
                children=[
                    element(
                        "titleStmt",
                        children=[
                            element("title", children=[config.title]),
                            *(
                                element(
                                    "respStmt",
                                    children=[
                                        element("resp", children=["edited by"]),
                                        element("name", children=[name]),
                                    ],
                                )
                                for name in editors
                            ),
                        ],
                    ),
                    element(
                        "publicationStmt",
                        children=[
                            element("publisher", children=[config.publisher or "cablegram"]),
                            element(
                                "availability",
                                children=[
                                    element("licence", {"target": config.licence_url}, [config.licence]),
                                ],
                            ),
                            *(
                                [element("idno", {"type": "URI"}, [config.identifier])]
                                if config.identifier
                                else []
                            ),
                            element("date", {"when": date}, [date]),
                        ],
                    ),
                    element(
                        "sourceDesc",
                        children=[
                            element(
                                "p",
                                children=[_corpus_note(len(members), sorted(recurring))],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )
    corpus = element("teiCorpus", {"xml:id": "corpus", "xml:lang": config.language}, [header])
    for member in members:
        corpus.append(_prefixed(member, recurring))
    for name, schematypens in (("cablegram-corpus.rng", "http://relaxng.org/ns/structure/1.0"),):
        corpus.addprevious(
            etree.ProcessingInstruction(
                "xml-model", f'href="../schema/{name}" type="application/xml" schematypens="{schematypens}"'
            )
        )
    etree.indent(header, space="  ", level=1)
    return xmlio.serialize(corpus.getroottree())


def _prefixed(member: etree._Element, recurring: set[str]) -> etree._Element:
    copy = deepcopy(member)
    prefix = copy.get(XML_ID, "doc")
    for node in copy.iter():
        if not isinstance(node.tag, str):
            continue
        ident = node.get(XML_ID)
        if ident in recurring and node is not copy:
            node.set(XML_ID, f"{prefix}-{ident}")
        for name, value in node.attrib.items():
            if "#" not in str(value) or name == XML_ID:
                continue
            tokens = str(value).split(" ")
            rewritten = [
                f"#{prefix}-{t[1:]}" if t.startswith("#") and t[1:] in recurring else t for t in tokens
            ]
            if rewritten != tokens:
                node.set(name, " ".join(rewritten))
    copy.tail = None
    return copy


def check_corpus(corpus_path: Path, schema_dir: Path, display: str) -> list[Diagnostic]:
    """The corpus against the edition's RelaxNG with teiCorpus as its start (`cablegram-corpus.rng`)."""
    try:
        tree = xmlio.parse(corpus_path)
        driver = schema_dir / CORPUS_RNG_NAME
        schema = etree.RelaxNG(xmlio.parse(driver))
    except CablegramError as exc:
        return exc.diagnostics
    except etree.RelaxNGParseError as exc:
        return [error(display, 1, 1, f"cannot compile {CORPUS_RNG_NAME}: {exc}", "corpus-schema")]
    if tree.getroot().tag != tei("teiCorpus"):
        return [error(display, 1, 1, "the root element is not teiCorpus", "corpus-root")]
    if schema.validate(tree):
        return []
    return [error(display, e.line or 1, e.column + 1, e.message, "corpus-rng") for e in schema.error_log]


def _corpus_note(count: int, recurring: list[str]) -> str:
    return (
        f"The {count} documents of the edition, each with its own header, in the order of their identifiers. "
        "The registers of persons, places and organisations that their names point at (persons.xml, "
        "places.xml, organisations.xml) are the files beside this one. Ids that every document repeats ("
        + ", ".join(recurring)
        + ") are prefixed with the document's id in this file, and the pointers to them rewritten to match."
    )
