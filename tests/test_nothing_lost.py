"""Nothing lost: every word of a source's body is in its TEI body, in order; every word of its metadata
is in the TEI header (markup syntax, letter-spacing and editorial brackets aside, ENCODING.md §5)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from cablegram.convert.builder import build_document
from cablegram.convert.page import read_page
from cablegram.convert.reader import read_source
from cablegram.convert.registers import Registers
from cablegram.edition import Edition
from tests.conftest import REPO

_SPACED = re.compile(r"(?<![\w.])([^\W\d_](?: [^\W\d_]){2,})(?![\w])")
_EDITORIAL = re.compile(r"\[\s*(?:\.{2,}|…|signature|sic)\s*\]|\[\s*stamp\s*:", re.I)
TEI = "{http://www.tei-c.org/ns/1.0}"
_LABEL = re.compile(r"^\s*(?:[#*•-]\s*)*(?:<b>)?[\w() ]{1,40}?(?:</b>|:)\s*")


def words(text: str) -> list[str]:
    text = _SPACED.sub(lambda m: m.group(1).replace(" ", ""), text)
    text = _EDITORIAL.sub(" ", text)
    return re.findall(r"[^\W_]+", text.lower())


def tei_words(node: etree._Element) -> list[str]:
    """The words of a TEI subtree in document order, the source reading of a sic/corr choice."""
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        if element.tag == f"{TEI}corr":
            if element.tail:
                parts.append(element.tail)
            return
        if element.tag == f"{TEI}pb" and element.get("n"):
            parts.append(element.get("n", ""))  # "- 2 -" is kept as <pb n="2"/>
        if element.text:
            parts.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            elif child.tail:
                parts.append(child.tail)
        if element.tail:
            parts.append(element.tail)

    walk(node)
    # The tail of the start node is outside it.
    if node.tail:
        parts.pop()
    return words(" ".join(parts))


def sources() -> list[Path]:
    return sorted((REPO / "sources").glob("*.txt")) + sorted(
        (REPO / "tests" / "fixtures" / "pages").glob("*.txt")
    )


@pytest.mark.parametrize("source", sources(), ids=lambda p: p.name)
def test_body_words_in_order(source: Path, registers: Registers, edition: Edition) -> None:
    page = read_page(read_source(source), str(source))
    document = build_document(page, registers, edition.config)
    body = document.tree.getroot().find(f"{TEI}text/{TEI}body")
    assert body is not None
    expected = words("\n".join(p.text for p in page.body))
    assert tei_words(body) == expected


@pytest.mark.parametrize("source", sources(), ids=lambda p: p.name)
def test_metadata_words_in_header(source: Path, registers: Registers, edition: Edition) -> None:
    lines = read_source(source)
    page = read_page(lines, str(source))
    document = build_document(page, registers, edition.config)
    header = document.tree.getroot().find(f"{TEI}teiHeader")
    assert header is not None
    body_lines = {line.number for p in page.body for line in p.lines}
    dropped = {line.number for line in page.dropped}
    # A section label ("Original Language:", "<b>Subject</b>") is the export's markup, not the document's.
    metadata = " ".join(
        _LABEL.sub("", line.text) for line in lines if line.number not in body_lines | dropped
    )
    metadata = re.sub(r"(\w)-\s+(\w)", r"\1\2", metadata)  # hyphenation of PDF-extracted copies
    header_text = (
        " ".join(header.itertext())
        + " "
        + " ".join(value for node in header.iter() for value in node.attrib.values())
    )
    have = Counter(words(header_text))
    missing = [w for w in dict.fromkeys(words(metadata)) if not have[w]]
    assert missing == []
