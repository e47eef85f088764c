"""Saxon is locked down after compiling: a running stylesheet can read no file and fetch nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablegram.html import PageTask
from cablegram.xslt import Document, Stylesheet, lock_down

READER = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:param name="uri" select="'file:///etc/passwd'"/>
  <xsl:template name="xsl:initial-template">
    <out><xsl:value-of select="unparsed-text($uri)"/></out>
  </xsl:template>
</xsl:stylesheet>
"""


@pytest.mark.parametrize("uri", ["file:///etc/passwd", "http://127.0.0.1:9/x", "/etc/passwd"])
def test_a_locked_processor_reads_nothing(tmp_path: Path, uri: str) -> None:
    from saxonche import PySaxonApiError, PySaxonProcessor

    sheet = tmp_path / "reader.xsl"
    sheet.write_text(READER, encoding="utf-8")
    processor = PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(sheet))
    lock_down(processor)
    executable.set_parameter("uri", processor.make_string_value(uri))
    with pytest.raises(PySaxonApiError, match=r"FOUT1170|prohibited"):
        output = executable.call_template_returning_string(None)
        assert "root:" not in (output or "")


def _page_task() -> tuple[PageTask, tuple[Stylesheet, list[Document]]]:
    from cablegram.edition import Edition
    from cablegram.html import HtmlSettings, register_files
    from cablegram.validate import register_bytes
    from tests.conftest import REPO

    edition = Edition.open(REPO)
    task = PageTask(
        HtmlSettings.of(edition, search=True, date="2026-11-30"), register_bytes(register_files(edition))
    )
    return task, task.setup()


def test_pages_of_checked_bytes_are_those_of_parsed_ones() -> None:
    """The build hands a page worker the digest of the bytes it validated: those bytes go to Saxon directly
    (Stylesheet.load_checked), and the page and summary are those of the twice-parsed way."""
    from cablegram.fsutil import sha256_bytes
    from cablegram.html import PageItem
    from tests.conftest import REPO

    task, context = _page_task()
    for path in sorted((REPO / "tei").glob("wc-*.xml")):
        data = path.read_bytes()
        neighbour = ("wc-000000", "A neighbour")
        plain = task.run(context, PageItem(str(path), data, neighbour, None, True))
        checked = task.run(
            context, PageItem(str(path), data, neighbour, None, True, path.stem, sha256_bytes(data))
        )
        assert not plain.failed and plain.html
        assert (checked.html, checked.summary, checked.diagnostics) == (
            plain.html,
            plain.summary,
            plain.diagnostics,
        )


def test_bytes_other_than_the_checked_ones_are_parsed_safely() -> None:
    """A digest that does not match the bytes (the file changed after the build validated it) sends them
    through xmlio's parser again, which refuses a DOCTYPE; a matching digest does not let one through."""
    from cablegram.fsutil import sha256_bytes
    from cablegram.html import PageItem
    from tests.conftest import REPO

    task, context = _page_task()
    good = (REPO / "tei" / "wc-114900.xml").read_bytes()
    hostile = good.replace(b"<TEI ", b'<!DOCTYPE TEI SYSTEM "file:///etc/passwd">\n<TEI ', 1)
    for checked in (sha256_bytes(good), sha256_bytes(hostile)):
        page = task.run(context, PageItem("wc-114900.xml", hostile, None, None, False, "wc-114900", checked))
        assert page.failed
        assert [d.rule for d in page.diagnostics] == ["no-dtd"]
