<?xml version="1.0" encoding="UTF-8"?>
<!--
  print/document.xsl — one document in print: the header block (date, sender → recipient, archival
  citation, classification, summary), then the layers in sequence: the original, its translation, then
  any further copy or transcription (the web edition's order, html/document.xsl). Used alone for
  DIR/<id>.pdf and, with a document number, in the volume.

  Modes
    print:document   match="/" on a TEI document → the complete print HTML of DIR/<id>.pdf
    print:article    tei:TEI → article.document (tunnel parameter $number as xs:integer? in the volume)
    print:header     tei:TEI → header.doc-header
    print:layer      a layer div → section.layer
  Named templates
    print:colophon($tei)   how to cite the document, its licence and stable URL (standalone PDFs)
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:html="urn:cablegram:xslt:html" xmlns:print="urn:cablegram:xslt:print" xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">

  <xsl:mode name="print:document" on-no-match="fail"/>
  <xsl:mode name="print:article" on-no-match="fail"/>
  <xsl:mode name="print:header" on-no-match="fail"/>
  <xsl:mode name="print:layer" on-no-match="fail"/>

  <xsl:template match="/" mode="print:document">
    <xsl:variable name="tei" select="tei:TEI"/>
    <xsl:call-template name="print:page">
      <xsl:with-param name="title" select="cg:title($tei)"/>
      <xsl:with-param name="subject" select="cg:plain(cg:summary($tei))"/>
      <xsl:with-param name="keywords" select="print:keywords($tei)"/>
      <xsl:with-param name="class" select="'single'"/>
      <xsl:with-param name="content" as="node()*">
        <xsl:apply-templates select="$tei" mode="print:article"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:TEI" mode="print:article">
    <xsl:param name="number" as="xs:integer?" tunnel="yes" select="()"/>
    <xsl:variable name="left" select="cg:primary-original(.)"/>
    <xsl:variable name="right" select="cg:primary-translation(.)"/>
    <article class="document" id="{cg:doc-id(.)}" lang="en" data-tei="TEI">
      <xsl:apply-templates select="." mode="print:header"/>
      <xsl:apply-templates select="($left, $right, cg:layers(.) except ($left, $right))" mode="print:layer"/>
      <!-- where the text ends, before the standalone colophon: the page it falls on is the number of pages
           the document takes in the volume (cablegram.pdf.volume predicts the index's pages from it) -->
      <div class="article-end" id="{cg:doc-id(.)}-end"/>
      <xsl:if test="empty($number)"><xsl:call-template name="print:colophon"/></xsl:if>
    </article>
  </xsl:template>

  <xsl:template match="tei:TEI" mode="print:header">
    <xsl:param name="number" as="xs:integer?" tunnel="yes" select="()"/>
    <xsl:variable name="action" select="tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction"/>
    <header class="doc-header">
      <p class="doc-kicker">
        <xsl:value-of select="string-join((if (exists($number)) then 'Document ' || $number else $cg:edition-title,
          cg:doc-id(.)), ' · ')"/>
      </p>
      <h1 class="doc-title" data-short="{print:short-title(.)}"><xsl:value-of select="cg:title(.)"/></h1>
      <dl class="doc-meta">
        <xsl:if test="cg:when(.)">
          <dt>Date</dt><dd class="meta-date"><xsl:value-of select="cg:format-date(cg:when(.))"/></dd>
        </xsl:if>
        <xsl:if test="$action[@type = ('sent', 'received')]">
          <dt>From → to</dt>
          <dd class="meta-correspondents">
            <xsl:call-template name="print:party"><xsl:with-param name="action" select="$action[@type = 'sent']"/></xsl:call-template>
            <xsl:text> → </xsl:text>
            <xsl:call-template name="print:party"><xsl:with-param name="action" select="$action[@type = 'received']"/></xsl:call-template>
            <xsl:if test="$action[@type = 'transmitted']">
              <xsl:text> (via </xsl:text>
              <xsl:call-template name="print:party"><xsl:with-param name="action" select="$action[@type = 'transmitted']"/></xsl:call-template>
              <xsl:text>)</xsl:text>
            </xsl:if>
          </dd>
        </xsl:if>
        <xsl:if test="exists(cg:archival-citations(.))">
          <dt>Archival citation</dt>
          <dd class="meta-archive"><xsl:value-of select="string-join(cg:archival-citations(.), '; ')"/></dd>
        </xsl:if>
        <xsl:if test="cg:classification(.)">
          <dt>Classification</dt><dd class="meta-classification"><xsl:value-of select="cg:classification(.)"/></dd>
        </xsl:if>
        <xsl:if test="exists(cg:summary(.))">
          <dt>Summary</dt>
          <dd class="meta-summary"><xsl:apply-templates select="cg:summary(.)/node()" mode="html:text"/></dd>
        </xsl:if>
        <xsl:if test="exists(cg:translators(.))">
          <dt>Translated by</dt><dd><xsl:value-of select="string-join(cg:translators(.), ', ')"/></dd>
        </xsl:if>
        <dt>Layers</dt>
        <dd class="meta-layers"><xsl:value-of select="string-join(cg:layers(.) ! (cg:layer-label(.) || ' ('
          || cg:language-name(@xml:lang) || ')'), ', ')"/></dd>
        <xsl:if test="cg:archive-url(.)">
          <dt>Source</dt>
          <dd class="meta-source"><a href="{cg:archive-url(.)}"><xsl:value-of select="cg:archive-url(.)"/></a></dd>
        </xsl:if>
      </dl>
    </header>
  </xsl:template>

  <!-- the persons (and place) of a correspAction, each an index anchor -->
  <xsl:template name="print:party">
    <xsl:param name="action" as="element(tei:correspAction)*"/>
    <xsl:variable name="names" select="$action/(tei:persName | tei:orgName)"/>
    <xsl:for-each select="$names">
      <xsl:if test="position() gt 1">
        <xsl:value-of select="if (position() = last()) then ' and ' else ', '"/>
      </xsl:if>
      <xsl:apply-templates select="." mode="html:text"/>
    </xsl:for-each>
    <xsl:for-each select="$action/tei:placeName">
      <xsl:text>, </xsl:text><xsl:apply-templates select="." mode="html:text"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:div" mode="print:layer">
    <section class="layer {@type}" id="{@xml:id}" lang="{@xml:lang}" data-tei="div" data-type="{@type}">
      <h2 class="layer-title" lang="en">
        <xsl:value-of select="cg:layer-label(.) || ' (' || cg:language-name(@xml:lang) || ')'"/>
      </h2>
      <xsl:apply-templates mode="html:text"/>
    </section>
  </xsl:template>

  <xsl:template name="print:colophon">
    <xsl:param name="tei" as="element(tei:TEI)" select="."/>
    <footer class="colophon">
      <p><span class="label">Cite as: </span><xsl:value-of select="cg:chicago($tei)"/></p>
      <p>
        <xsl:value-of select="string-join(($cg:edition-title, $cg:edition-publisher[. != ''],
          'version ' || $cg:version), ', ') || '. '"/>
        <xsl:if test="$cg:licence"><xsl:value-of select="'Licence: ' || $cg:licence || '. '"/></xsl:if>
        <xsl:text>TEI source: </xsl:text><span class="file"><xsl:value-of select="cg:doc-id($tei) || '.xml'"/></span>
        <xsl:text>.</xsl:text>
      </p>
    </footer>
  </xsl:template>
</xsl:stylesheet>
