<?xml version="1.0" encoding="UTF-8"?>
<!--
  print/print.xsl — the entry stylesheet of the print edition (issue 5): it only imports. Compiled once per
  run by cablegram.pdf; the HTML it makes is styled by print.css (CSS Paged Media) and rendered by WeasyPrint.
    mode print:document  on each TEI document   → the print HTML of DIR/<id>.pdf
    template print:volume                       → the print HTML of DIR/edition.pdf (title page, introduction,
                                                  contents, the documents in date order, index)
  The TEI text itself is rendered by the web edition's html:text mode (html/text.xsl), imported, not copied;
  print/text.xsl overrides the few behaviours that print does differently (footnotes instead of hover tips,
  no links to register pages, anchors for the index). Everything else comes from xslt/common/.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="../common/params.xsl"/>
  <xsl:import href="../common/dates.xsl"/>
  <xsl:import href="../common/names.xsl"/>
  <xsl:import href="../common/metadata.xsl"/>
  <xsl:import href="../common/editorial.xsl"/>
  <xsl:import href="../common/plain.xsl"/>
  <xsl:import href="../common/citation.xsl"/>
  <xsl:import href="../html/text.xsl"/>
  <xsl:import href="text.xsl"/>
  <xsl:import href="page.xsl"/>
  <xsl:import href="document.xsl"/>
  <xsl:import href="front.xsl"/>
  <xsl:import href="index.xsl"/>
  <xsl:import href="volume.xsl"/>
</xsl:stylesheet>
