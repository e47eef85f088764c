"""The one hardened XML parser and serializer that every stage uses.

XML reaching cablegram is untrusted: no DTD is loaded, no entity beyond the predefined five is expanded,
nothing is fetched from the network, and a document type declaration is refused outright, since no file
of the edition needs one and it is the door to entity attacks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from cablegram.diagnostics import CablegramError, Diagnostic, error


class _RefuseEverything(etree.Resolver):
    """Whatever external resource libxml2 asks for (a DTD, an entity), it gets nothing."""

    def resolve(self, system_url: str, public_id: str, context: Any = None) -> Any:  # type: ignore[override]
        return self.resolve_string("", context, base_url=None)


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
        collect_ids=False,
    )
    parser.resolvers.add(_RefuseEverything())
    return parser


def has_doctype(data: bytes) -> bool:
    """A document type declaration, spotted before libxml2 sees it (in UTF-8 or UTF-16 alike): while parsing
    one, libxml2 would read the external subset and parameter entities it names (a device, a FIFO)."""
    return b"<!DOCTYPE" in data or b"<!DOCTYPE" in data.replace(b"\x00", b"")


def doctype_refused(path: str) -> Diagnostic:
    return error(path, 1, 1, "document type declarations are not accepted; remove the <!DOCTYPE …>", "no-dtd")


def parse_bytes(data: bytes, path: str) -> etree._ElementTree:
    """Parse XML bytes safely; any problem becomes a diagnostic naming path, line and column."""
    if has_doctype(data):
        raise CablegramError(doctype_refused(path))
    try:
        root = etree.fromstring(data, _parser(), base_url=path)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 1, 0)
        message = (exc.msg or str(exc)).split(f", line {line}")[0]
        raise CablegramError(
            error(path, line or 1, (column or 0) + 1, f"not well-formed XML: {message}", "xml-syntax")
        ) from None
    tree = root.getroottree()
    if getattr(tree.docinfo, "doctype", "") or tree.docinfo.internalDTD is not None:
        raise CablegramError(doctype_refused(path))
    return tree


def parse(path: Path) -> etree._ElementTree:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CablegramError(error(str(path), 1, 1, f"cannot read file: {exc.strerror}", "io")) from None
    return parse_bytes(data, str(path))


def serialize(tree: etree._ElementTree | etree._Element) -> bytes:
    """UTF-8 bytes with an XML declaration, one line per top-level processing instruction, and a final
    newline. No pretty-printing here: it would add white space inside TEI's mixed content."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    parts = [b'<?xml version="1.0" encoding="UTF-8"?>']
    preceding = []
    sibling = root.getprevious()
    while sibling is not None:
        preceding.append(etree.tostring(sibling, encoding="UTF-8"))
        sibling = sibling.getprevious()
    parts.extend(reversed(preceding))
    parts.append(etree.tostring(root, encoding="UTF-8", with_tail=False))
    return b"\n".join(parts) + b"\n"
