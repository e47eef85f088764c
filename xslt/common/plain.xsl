<?xml version="1.0" encoding="UTF-8"?>
<!--
  common/plain.xsl — the plain text of TEI content, for attributes, titles, citations and search snippets.
  Output-neutral.

  Modes
    cg:plain        the reading text: corr (not sic), reg, expan; supplied and gaps with their brackets;
                    OCR residue, fw and pb dropped; lb as a space. Text nodes are copied; elements without a
                    rule of their own contribute their content.
  Functions
    cg:plain($nodes as node()*) as xs:string    normalize-space() of the nodes in mode cg:plain
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="#all">

  <xsl:mode name="cg:plain" on-no-match="text-only-copy" visibility="public"/>

  <xsl:template match="tei:sic[parent::tei:choice] | tei:orig[parent::tei:choice] | tei:abbr[parent::tei:choice]
    | tei:ab[@type = 'ocr-residue'] | tei:fw | tei:pb | tei:note" mode="cg:plain"/>
  <xsl:template match="tei:lb" mode="cg:plain"><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="tei:supplied" mode="cg:plain">
    <xsl:value-of select="cg:bracket-open(.)"/>
    <xsl:apply-templates mode="#current"/>
    <xsl:value-of select="cg:bracket-close(.)"/>
  </xsl:template>
  <xsl:template match="tei:gap" mode="cg:plain">
    <xsl:value-of select="cg:bracket-open(.) || cg:gap-text(.) || cg:bracket-close(.)"/>
  </xsl:template>

  <xsl:function name="cg:plain" as="xs:string" visibility="public">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="text" as="xs:string*">
      <xsl:apply-templates select="$nodes" mode="cg:plain"/>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string-join($text))"/>
  </xsl:function>
</xsl:stylesheet>
