"""The one hardened XML parser and serializer that every stage uses.

XML reaching cablegram is untrusted: no DTD is loaded, no entity beyond the predefined five is expanded,
nothing is fetched from the network, and a document type declaration is refused outright, since no file
of the edition needs one and it is the door to entity attacks.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from cablegram.diagnostics import CablegramError, error


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
        collect_ids=False,
    )


def parse_bytes(data: bytes, path: str) -> etree._ElementTree:
    """Parse XML bytes safely; any problem becomes a diagnostic naming path, line and column."""
    try:
        root = etree.fromstring(data, _parser(), base_url=path)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 1, 0)
        message = (exc.msg or str(exc)).split(f", line {line}")[0]
        raise CablegramError(
            error(path, line or 1, (column or 0) + 1, f"not well-formed XML: {message}", "xml-syntax")
        ) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise CablegramError(
            error(path, 1, 1, "document type declarations are not accepted; remove the <!DOCTYPE …>", "no-dtd")
        )
    return tree


def parse(path: Path) -> etree._ElementTree:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CablegramError(error(str(path), 1, 1, f"cannot read file: {exc.strerror}", "io")) from None
    return parse_bytes(data, str(path))


def serialize(tree: etree._ElementTree | etree._Element) -> bytes:
    """Serialize with an XML declaration, UTF-8 and a final newline (stable bytes for the same tree)."""
    document = tree if isinstance(tree, etree._ElementTree) else tree.getroottree()
    data: bytes = etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data if data.endswith(b"\n") else data + b"\n"
