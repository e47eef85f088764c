"""Golden files for the five document pages (STYLE.md 6): tests/golden/html/<id>.html.

Normalised before comparison — the build date, the version and absolute paths are replaced — and
rewritten only by `pytest --update-golden` (review with git diff). They guard stability; the assertions on
content live in test_xslt_text.py and test_html_site.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cablegram.convert.run import convert_sources
from cablegram.edition import Edition
from cablegram.html import render_html

GOLDEN = Path(__file__).resolve().parent / "golden" / "html"
SEED_IDS = ("wc-110374", "wc-113729", "wc-114900", "wc-115976", "wc-117420")
VERSION, DATE = "9.9.9-golden", "2000-01-01"


def tei_documents(edition: Edition, scratch: Path) -> list[Path]:
    """The edition's TEI documents; converted afresh from sources/ while tei/ holds none yet."""
    if edition.documents():
        return edition.documents()
    return sorted(convert_sources(edition, edition.sources(), scratch, force=True).written)


def normalise(html: str, root: Path) -> str:
    html = html.replace(VERSION, "VERSION").replace(DATE, "BUILD-DATE")
    html = html.replace(str(root), "ROOT").replace(root.as_uri(), "ROOT")
    return re.sub(
        r"(<time class=\"build-date\" datetime=\")[^\"]*(\">)[^<]*", r"\1BUILD-DATE\2BUILD-DATE", html
    )


@pytest.fixture(scope="module")
def pages(edition: Edition, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    scratch = tmp_path_factory.mktemp("golden")
    out = scratch / "html"
    render_html(
        edition,
        tei_documents(edition, scratch / "tei"),
        out,
        search=False,
        manual=False,
        version=VERSION,
        date=DATE,
    )
    return {
        doc_id: normalise((out / f"{doc_id}.html").read_text(encoding="utf-8"), scratch)
        for doc_id in SEED_IDS
    }


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_document_page_matches_golden(pages: dict[str, str], doc_id: str, update_golden: bool) -> None:
    golden = GOLDEN / f"{doc_id}.html"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(pages[doc_id], encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run pytest --update-golden, review and commit it"
    assert pages[doc_id] == golden.read_text(encoding="utf-8"), (
        f"{doc_id}.html differs from {golden}; if intended: pytest --update-golden, then git diff"
    )


def test_golden_is_normalised(pages: dict[str, str]) -> None:
    for html in pages.values():
        assert VERSION not in html and DATE not in html and "/tmp" not in html
        assert "VERSION" in html and "BUILD-DATE" in html
