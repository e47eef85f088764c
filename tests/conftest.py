"""Shared fixtures: the bundled edition, converted once per test session into a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from cablegram.convert.builder import build_document
from cablegram.convert.page import read_page
from cablegram.convert.reader import read_source
from cablegram.convert.registers import Registers, load_registers
from cablegram.edition import Edition

REPO = Path(__file__).resolve().parents[1]
NS = {"t": "http://www.tei-c.org/ns/1.0"}
SEED_IDS = ("wc-115976", "wc-114900", "wc-113729", "wc-110374", "wc-117420")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files from the current outputs (review them with git diff)",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def edition() -> Edition:
    return Edition.open(REPO)


@pytest.fixture(scope="session")
def registers(edition: Edition) -> Registers:
    return load_registers(edition.tei_dir)


@pytest.fixture(scope="session")
def converted(edition: Edition, registers: Registers) -> dict[str, etree._ElementTree]:
    """Each seed source converted afresh: doc id → TEI tree."""
    trees = {}
    for source in edition.sources():
        page = read_page(read_source(source), str(source))
        document = build_document(page, registers, edition.config)
        trees[document.doc_id] = etree.fromstring(document.xml).getroottree()
    return trees


def xp(tree: etree._ElementTree | etree._Element, path: str) -> list:  # type: ignore[type-arg]
    return tree.xpath(path, namespaces=NS)  # type: ignore[return-value]


def text(node: etree._Element) -> str:
    return " ".join("".join(node.itertext()).split())
