"""Small helpers for building TEI trees with lxml: names, mixed content, ids."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml import etree

from cablegram import TEI_NS, XML_NS

Node = str | etree._Element

XML_ID = f"{{{XML_NS}}}id"
_NSMAP: Any = {None: TEI_NS}  # lxml accepts None as the default-namespace prefix
XML_LANG = f"{{{XML_NS}}}lang"


def tei(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


def element(tag: str, attrs: dict[str, str] | None = None, children: Iterable[Node] = ()) -> etree._Element:
    """A TEI element with attributes (`xml:id`/`xml:lang` may be given as such) and mixed content."""
    node = etree.Element(tei(tag), nsmap=_NSMAP)
    for key, value in (attrs or {}).items():
        if value == "":
            continue
        name = XML_ID if key == "xml:id" else XML_LANG if key == "xml:lang" else key
        node.set(name, value)
    append_mixed(node, children)
    return node


def append_mixed(parent: etree._Element, children: Iterable[Node]) -> etree._Element:
    """Append strings and elements in order, putting strings into .text or the last child's .tail."""
    for child in children:
        if isinstance(child, str):
            if not child:
                continue
            if len(parent):
                last = parent[-1]
                last.tail = (last.tail or "") + child
            else:
                parent.text = (parent.text or "") + child
        else:
            parent.append(child)
    return parent


def text_of(node: etree._Element) -> str:
    return "".join(str(t) for t in node.itertext())


# Elements whose content is text (mixed content): indentation inside them would change the text.
_MIXED = {
    "p", "ab", "seg", "hi", "signed", "salute", "dateline", "addrLine", "item", "head", "label", "persName",
    "placeName", "orgName", "name", "date", "supplied", "stamp", "del", "choice", "sic", "corr", "title",
    "note", "catDesc", "resp", "licence", "publisher", "idno", "term", "language", "change", "handNote",
    "repository", "foreign", "fw", "gloss", "desc", "funder", "country", "settlement", "region",
    "forename", "surname", "roleName", "addName", "geogName", "edition",
    "pubPlace", "email", "ref", "ptr", "rs", "q", "quote", "said", "abbr", "expan", "unclear", "add",
    "gap", "lb", "pb", "catRef", "birth", "death", "occupation", "event", "location", "geo", "reg", "orig",
    "collection", "institution", "altIdentifier", "msName", "span", "list",
}  # fmt: skip


def indent(node: etree._Element, level: int = 0, space: str = "  ") -> None:
    """Indent element-only content; never touch mixed content (TEI text keeps its exact spaces)."""
    local = etree.QName(node).localname
    if local in _MIXED and local != "list":
        return
    children = list(node)
    if not children:
        return
    if (node.text or "").strip() or any((child.tail or "").strip() for child in children):
        return
    if local == "list" and any(etree.QName(c).localname not in {"item", "head", "label"} for c in children):
        return
    inner = "\n" + space * (level + 1)
    node.text = inner
    for child in children:
        if isinstance(child.tag, str):
            indent(child, level + 1, space)
        child.tail = inner
    children[-1].tail = "\n" + space * level
