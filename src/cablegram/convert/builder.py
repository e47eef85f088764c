"""Assemble a whole TEI document from a page: header, layers, processing instructions, stable bytes."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from cablegram import __version__
from cablegram.config import EditionConfig
from cablegram.convert.body import build_body
from cablegram.convert.header import build_header, unknown_parties
from cablegram.convert.memo import one_document
from cablegram.convert.model import Page
from cablegram.convert.registers import Registers
from cablegram.tei import element, indent
from cablegram.xmlio import serialize

SCHEMA_PIS = (
    'href="../schema/cablegram.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"',
    'href="../schema/cablegram.sch" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"',
)


@dataclass
class Document:
    """A converted document: its id, its serialized TEI, and the names no register knew."""

    doc_id: str
    xml: bytes
    tree: etree._ElementTree
    unknown_names: list[str] = field(default_factory=list)


def build_document(page: Page, registers: Registers, config: EditionConfig) -> Document:
    with one_document():
        body, facts = build_body(page, registers)
        header = build_header(page, facts, registers, config, tool_version=__version__)
    root = element("TEI", {"xml:id": page.doc_id, "xml:lang": "en"})
    root.append(header)
    text = element("text")
    text.append(body)
    root.append(text)
    indent(root)
    for pi in SCHEMA_PIS:
        root.addprevious(etree.ProcessingInstruction("xml-model", pi))
    tree = root.getroottree()
    return Document(page.doc_id, serialize(tree), tree, unknown_parties(page, registers))
