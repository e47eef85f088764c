<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/edition.xsl — the entry stylesheet of the web edition: it only imports. Compiled once per run by
  cablegram.xslt; cablegram.html calls its entry points:
    mode html:document  on each TEI document    → DIR/<id>.html
    mode html:summary   on each TEI document    → what the site-wide pages need of it (summary.xsl)
    template html:index                         → DIR/index.html    (these three from $html:summaries)
    template html:register ($register)          → DIR/persons.html, places.html, organisations.html
    template html:about, html:search            → DIR/about.html, DIR/search.html
    template html:date-order-ids                → the ids of $html:summaries in date order (previous/next)
  The print edition has its own entry stylesheet importing the same xslt/common/ modules.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="../common/params.xsl"/>
  <xsl:import href="../common/dates.xsl"/>
  <xsl:import href="../common/names.xsl"/>
  <xsl:import href="../common/metadata.xsl"/>
  <xsl:import href="../common/editorial.xsl"/>
  <xsl:import href="../common/plain.xsl"/>
  <xsl:import href="../common/citation.xsl"/>
  <xsl:import href="page.xsl"/>
  <xsl:import href="text.xsl"/>
  <xsl:import href="document.xsl"/>
  <xsl:import href="summary.xsl"/>
  <xsl:import href="index.xsl"/>
  <xsl:import href="charts.xsl"/>
  <xsl:import href="registers.xsl"/>
  <xsl:import href="about.xsl"/>
</xsl:stylesheet>
