<?xml version="1.0" encoding="UTF-8"?>
<!--
  print/volume.xsl — the print volume, DIR/edition.pdf: title page, editorial introduction, contents,
  the documents in date order (each on a new page, numbered), the index of persons and places.

  Parameters
    $print:volume-docs as document-node()*   the documents of this volume (default: $cg:corpus); an edition
                                             split with volume_size gives each volume its share
    $print:volume-label as xs:string          "Volume 1 of 2", or '' for a single volume
    $print:front-only as xs:boolean           the front matter alone (its page count), default false
  Named templates
    print:volume   the complete print HTML of the volume
    print:date-order   the ids of $print:volume-docs in date order (cg:date-order), separated by spaces:
                       cablegram.pdf splits an edition into volumes by it
  Modes: none.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:print="urn:cablegram:xslt:print" xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">

  <xsl:param name="print:volume-docs" as="document-node()*" select="$cg:corpus"/>
  <xsl:param name="print:volume-label" as="xs:string" select="''"/>
  <!-- true: the front matter alone (title page, contents, introduction), whose page count places the
       documents when the volume's pages are predicted from the documents' own layouts -->
  <xsl:param name="print:front-only" as="xs:boolean" select="false()"/>

  <xsl:template name="print:date-order">
    <xsl:value-of select="cg:date-order($print:volume-docs) ! cg:doc-id(.)" separator=" "/>
  </xsl:template>

  <xsl:template name="print:volume">
    <xsl:variable name="docs" select="cg:date-order($print:volume-docs)"/>
    <xsl:call-template name="print:page">
      <xsl:with-param name="title" select="string-join(($cg:edition-title, $print:volume-label[. != '']), ' — ')"/>
      <xsl:with-param name="subject" select="$cg:edition-description"/>
      <xsl:with-param name="keywords" select="$docs ! print:keywords(.)"/>
      <xsl:with-param name="class" select="'volume'"/>
      <xsl:with-param name="content" as="node()*">
        <xsl:call-template name="print:title-page">
          <xsl:with-param name="docs" select="$docs"/>
          <xsl:with-param name="label" select="$print:volume-label"/>
        </xsl:call-template>
        <xsl:call-template name="print:contents"><xsl:with-param name="docs" select="$docs"/></xsl:call-template>
        <xsl:call-template name="print:introduction"><xsl:with-param name="docs" select="$docs"/></xsl:call-template>
        <xsl:if test="not($print:front-only)">
          <xsl:for-each select="$docs">
            <xsl:apply-templates select="tei:TEI" mode="print:article">
              <xsl:with-param name="number" select="position()" tunnel="yes"/>
            </xsl:apply-templates>
          </xsl:for-each>
          <xsl:call-template name="print:index"><xsl:with-param name="docs" select="$docs"/></xsl:call-template>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
