<?xml version="1.0" encoding="UTF-8"?>
<!--
  common/params.xsl — the global parameters every output (HTML, print) shares.

  Output-neutral: no HTML, no FO. Python (cablegram.xslt / cablegram.html) sets them once per run on the
  compiled executable; the stylesheets never load documents themselves (no doc(), no collection()).

  Parameters
    $cg:corpus          document-node()*  every TEI document of the edition (parsed by cablegram.xmlio)
    $cg:registers       document-node()*  tei/persons.xml, places.xml, organisations.xml
    $cg:edition-title, $cg:edition-description, $cg:edition-editors, $cg:edition-publisher, $cg:licence, $cg:licence-url,
    $cg:base-url        the edition's configuration (edition.toml)
    $cg:version         the edition's (cablegram's) version; $cg:build-date  ISO date of the build
  Modes: none.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  exclude-result-prefixes="#all">

  <xsl:param name="cg:corpus" as="document-node()*" select="()"/>
  <xsl:param name="cg:registers" as="document-node()*" select="()"/>
  <xsl:param name="cg:edition-title" as="xs:string" select="'Untitled edition'"/>
  <xsl:param name="cg:edition-editors" as="xs:string*" select="()"/>
  <xsl:param name="cg:edition-description" as="xs:string" select="''"/>
  <xsl:param name="cg:edition-publisher" as="xs:string" select="''"/>
  <xsl:param name="cg:licence" as="xs:string" select="''"/>
  <xsl:param name="cg:licence-url" as="xs:string" select="''"/>
  <xsl:param name="cg:base-url" as="xs:string" select="''"/>
  <xsl:param name="cg:version" as="xs:string" select="'0'"/>
  <xsl:param name="cg:build-date" as="xs:string" select="''"/>
</xsl:stylesheet>
