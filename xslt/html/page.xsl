<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/page.xsl — the page shell every HTML page shares: head, navigation, footer (with the edition's
  version and build date, as the Endings Project's principles ask), the site's own CSS and JS (no CDN).

  Parameters
    $html:pdf-ids as xs:string*   the documents that have a PDF in the site (pdf/<id>.pdf)
    $html:search as xs:boolean    a pagefind index is built (search.html loads pagefind/pagefind-ui.js)
    $html:prev, $html:next as xs:string?   the neighbours in date order of the document being rendered
  Named templates
    html:page(title, current, content, root, searchable, head)   a complete HTML5 page
    html:head(title, root, head), html:site-header(current, root), html:site-footer(root)
                                                      its parts, for pages that write their main themselves
  Functions
    html:name-link($name as element()) as element()   a correspDesc/metadata name linked to its register entry
    html:names($names as element()*) as node()*       the same for several, separated by commas
    html:time($when as xs:string?[, $formatted as xs:string]) as element()
                                                      a date: time[@datetime] when ISO, else span
  Modes: none.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:html="urn:cablegram:xslt:html" xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">

  <!-- XHTML syntax of HTML5 (polyglot: HTML and XML parsers read the pages alike): Saxon's XHTML serializer
       took a sixth less time than its HTML serializer for a document page. URIs are written as they are
       (browsers encode a non-ASCII character themselves), which spared another 5%. -->
  <xsl:output method="xhtml" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"
    omit-xml-declaration="yes" escape-uri-attributes="no"/>

  <xsl:param name="html:pdf-ids" as="xs:string*" select="()"/>
  <xsl:param name="html:search" as="xs:boolean" select="false()"/>
  <xsl:param name="html:prev" as="xs:string?" select="()"/>
  <xsl:param name="html:next" as="xs:string?" select="()"/>

  <xsl:variable name="html:nav" as="element()*">
    <item key="index" href="index.html">Documents</item>
    <item key="persons" href="persons.html">Persons</item>
    <item key="places" href="places.html">Places</item>
    <item key="organisations" href="organisations.html">Organisations</item>
    <item key="search" href="search.html">Search</item>
    <item key="about" href="about.html">About</item>
  </xsl:variable>

  <!-- A page is html:head, then in body html:site-header, main and html:site-footer. html:page puts them
       together around content given as a parameter; the document, index and register pages write the same
       four themselves, their content straight into main: a parameter's nodes are copied into main, which
       cost a sixth of a document page's time and 0.4 s of the 15 MB persons page. -->
  <xsl:template name="html:page">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="current" as="xs:string"/>
    <xsl:param name="content" as="node()*"/>
    <xsl:param name="root" as="xs:string" select="''"/>
    <xsl:param name="searchable" as="xs:boolean" select="false()"/>
    <xsl:param name="head" as="node()*" select="()"/>
    <html lang="en">
      <xsl:call-template name="html:head">
        <xsl:with-param name="title" select="$title"/>
        <xsl:with-param name="root" select="$root"/>
        <xsl:with-param name="head" select="$head"/>
      </xsl:call-template>
      <body>
        <xsl:call-template name="html:site-header">
          <xsl:with-param name="current" select="$current"/>
          <xsl:with-param name="root" select="$root"/>
        </xsl:call-template>
        <main id="main">
          <xsl:if test="$searchable"><xsl:attribute name="data-pagefind-body"/></xsl:if>
          <xsl:sequence select="$content"/>
        </main>
        <xsl:call-template name="html:site-footer"><xsl:with-param name="root" select="$root"/></xsl:call-template>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="html:head">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="root" as="xs:string" select="''"/>
    <xsl:param name="head" as="node()*" select="()"/>
    <head>
      <meta charset="utf-8"/>
      <meta name="viewport" content="width=device-width, initial-scale=1"/>
      <title><xsl:value-of select="$title || ' — ' || $cg:edition-title"/></title>
      <meta name="generator" content="cablegram {$cg:version}"/>
      <link rel="stylesheet" href="{$root}assets/site.css"/>
      <link rel="stylesheet" href="{$root}assets/print.css" media="print"/>
      <xsl:sequence select="$head"/>
      <script src="{$root}assets/site.js" defer="defer"></script>
    </head>
  </xsl:template>

  <xsl:template name="html:site-header">
    <xsl:param name="current" as="xs:string"/>
    <xsl:param name="root" as="xs:string" select="''"/>
    <a class="skip" href="#main">Skip to content</a>
    <header class="site-header">
      <p class="site-title"><a href="{$root}index.html"><xsl:value-of select="$cg:edition-title"/></a></p>
      <nav aria-label="Site">
        <ul>
          <xsl:for-each select="$html:nav">
            <li>
              <a href="{$root}{@href}">
                <xsl:if test="@key = $current"><xsl:attribute name="aria-current" select="'page'"/></xsl:if>
                <xsl:value-of select="."/>
              </a>
            </li>
          </xsl:for-each>
        </ul>
      </nav>
    </header>
  </xsl:template>

  <xsl:template name="html:site-footer">
    <xsl:param name="root" as="xs:string" select="''"/>
    <footer class="site-footer" data-pagefind-ignore="all">
      <p>
        <xsl:value-of select="$cg:edition-title"/>
        <xsl:text>. Version </xsl:text><span class="edition-version"><xsl:value-of select="$cg:version"/></span>
        <xsl:text>, built </xsl:text>
        <time class="build-date" datetime="{$cg:build-date}"><xsl:value-of select="$cg:build-date"/></time>
        <xsl:text>. </xsl:text>
        <xsl:if test="$cg:licence">
          <xsl:text>Licence: </xsl:text>
          <a href="{$cg:licence-url}" rel="license"><xsl:value-of select="$cg:licence"/></a>
          <xsl:text>. </xsl:text>
        </xsl:if>
        <a href="{$root}about.html#sources">TEI sources</a>
        <xsl:text>.</xsl:text>
      </p>
    </footer>
  </xsl:template>

  <xsl:function name="html:name-link" as="element()">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="ref" select="tokenize($name/@ref)[1]"/>
    <xsl:choose>
      <xsl:when test="$ref">
        <a class="name" href="{cg:register-of($ref)}.html#{cg:entry-id($ref)}">
          <xsl:value-of select="normalize-space($name)"/></a>
      </xsl:when>
      <xsl:otherwise><span class="name"><xsl:value-of select="normalize-space($name)"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="html:names" as="node()*">
    <xsl:param name="names" as="element()*"/>
    <xsl:for-each select="$names">
      <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
      <xsl:sequence select="html:name-link(.)"/>
    </xsl:for-each>
  </xsl:function>

  <xsl:function name="html:time" as="element()">
    <xsl:param name="when" as="xs:string?"/>
    <xsl:sequence select="html:time($when, cg:format-date($when))"/>
  </xsl:function>

  <!-- the same with the date already formatted, as a summary's @date has it (format-date() is the slowest
       call of an index row) -->
  <xsl:function name="html:time" as="element()">
    <xsl:param name="when" as="xs:string?"/>
    <xsl:param name="formatted" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="matches(string($when), '^\d{4}(-\d{2}(-\d{2})?)?$')">
        <time datetime="{$when}"><xsl:value-of select="$formatted"/></time>
      </xsl:when>
      <xsl:otherwise><span><xsl:value-of select="$formatted"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:function>
</xsl:stylesheet>
