"""Saxon is locked down after compiling: a running stylesheet can read no file and fetch nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablegram.xslt import lock_down

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
