<?xml version="1.0" encoding="UTF-8"?>
<!--
  print/page.xsl — the shell of a print HTML file and the metadata WeasyPrint writes into the PDF:
  <title> → Title, author → Author, description → Subject, keywords → Keywords, html/@lang → Lang,
  dcterms.created → CreationDate (the build date, so that a rebuild on the same day is byte-identical).

  The page links no stylesheet: cablegram.pdf parses print.css once per run and hands it to WeasyPrint,
  whose URL fetcher refuses anything outside the package's print directory (no network).
  Named templates
    print:page(title, author, subject, keywords, class, content)   a complete HTML document
  Functions
    print:short-title($tei) as xs:string   "Vyshinsky → Mao Zedong, 14 May 1950": the running head
    print:names($names as element()*) as xs:string   "Mao Zedong and Zhou Enlai"
    print:keywords($tei) as xs:string*   the subjects, the correspondents, the places named
  Modes: none.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:print="urn:cablegram:xslt:print" xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">

  <!-- XML, not HTML syntax: cablegram.pdf hands WeasyPrint a tree parsed by the C XML parser, which costs a
       fraction of WeasyPrint's pure-Python HTML5 parser (15-40 ms a document; seconds for a volume) -->
  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <xsl:template name="print:page">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="subject" as="xs:string" select="''"/>
    <xsl:param name="keywords" as="xs:string*" select="()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:param name="content" as="node()*"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <title><xsl:value-of select="$title"/></title>
        <xsl:if test="exists($cg:edition-editors)">
          <meta name="author" content="{string-join($cg:edition-editors, ', ')}"/>
        </xsl:if>
        <xsl:if test="$subject"><meta name="description" content="{$subject}"/></xsl:if>
        <xsl:if test="exists($keywords)">
          <meta name="keywords" content="{string-join(distinct-values($keywords), ', ')}"/>
        </xsl:if>
        <meta name="generator" content="cablegram {$cg:version}"/>
        <xsl:if test="$cg:build-date castable as xs:date">
          <meta name="dcterms.created" content="{$cg:build-date}T00:00:00Z"/>
        </xsl:if>
      </head>
      <body class="{$class}">
        <xsl:sequence select="$content"/>
      </body>
    </html>
  </xsl:template>

  <xsl:function name="print:names" as="xs:string">
    <xsl:param name="names" as="element()*"/>
    <xsl:variable name="n" select="count($names)"/>
    <xsl:variable name="s" select="$names ! normalize-space()"/>
    <xsl:sequence select="if ($n le 1) then string($s[1])
      else string-join($s[position() lt $n], ', ') || ' and ' || $s[$n]"/>
  </xsl:function>

  <xsl:function name="print:short-title" as="xs:string" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:variable name="from" select="print:names(cg:correspondents($tei, 'sent'))"/>
    <xsl:variable name="to" select="print:names(cg:correspondents($tei, 'received'))"/>
    <xsl:variable name="who" select="if ($from and $to) then $from || ' → ' || $to else ($from, $to, cg:title($tei))[. != ''][1]"/>
    <xsl:sequence select="string-join(($who, cg:when($tei) ! cg:format-date(.)), ', ')"/>
  </xsl:function>

  <xsl:function name="print:keywords" as="xs:string*" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:variable name="header" select="cg:tei($tei)/tei:teiHeader"/>
    <xsl:sequence select="distinct-values((
      $header/tei:profileDesc/tei:textClass/tei:keywords/tei:term ! normalize-space(),
      ('sent', 'transmitted', 'received') ! cg:correspondents($tei, .) ! cg:label(string(tokenize(@ref)[1]), .),
      $header/tei:profileDesc/tei:correspDesc//tei:placeName ! cg:label(string(tokenize(@ref)[1]), .)))"/>
  </xsl:function>
</xsl:stylesheet>
