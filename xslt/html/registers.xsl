<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/registers.xsl — the register pages, DIR/persons.html, places.html, organisations.html: each entry
  with its name forms (and their languages), authority links, notes, and every document — and layer — that
  mentions it (text, or header metadata), looked up in the documents' summaries (summary.xsl) by the key
  html:mentions: an inverted index, so a page costs its entries plus their mentions, not entries × documents.

  Named templates
    html:register    the page for the register in $html:register (persons, places or organisations)
  Parameters
    $html:register as document-node()?   the register to render
  Modes
    html:entry      a person, place or org → section
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:html="urn:cablegram:xslt:html" xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">

  <xsl:mode name="html:entry" on-no-match="fail"/>

  <xsl:param name="html:register" as="document-node()?" select="()"/>

  <xsl:template name="html:register">
    <xsl:variable name="register" select="$html:register"/>
    <xsl:variable name="key" select="string($register/tei:TEI/@xml:id)"/>
    <xsl:variable name="title" select="normalize-space($register/tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title)"/>
    <xsl:variable name="entries" select="$register//(tei:person | tei:place | tei:org)"/>
    <!-- the page's parts written here, not html:page: see page.xsl -->
    <html lang="en">
      <xsl:call-template name="html:head"><xsl:with-param name="title" select="$title"/></xsl:call-template>
      <body>
        <xsl:call-template name="html:site-header"><xsl:with-param name="current" select="$key"/></xsl:call-template>
        <main id="main">
          <h1><xsl:value-of select="$title"/></h1>
          <p class="register-source">From the register <a href="tei/{$key}.xml"><xsl:value-of select="$key"/>.xml</a>
          (TEI). <xsl:value-of select="count($entries)"/> entries.</p>
          <nav class="register-toc" aria-label="Entries">
            <ul>
              <xsl:for-each select="$entries">
                <xsl:sort select="lower-case(cg:preferred-name(.))"/>
                <li><a href="#{@xml:id}"><xsl:value-of select="cg:preferred-name(.)"/></a></li>
              </xsl:for-each>
            </ul>
          </nav>
          <xsl:apply-templates select="$entries" mode="html:entry">
            <xsl:sort select="lower-case(cg:preferred-name(.))"/>
            <xsl:with-param name="ref" select="$key || '.xml#'" tunnel="yes"/>
          </xsl:apply-templates>
        </main>
        <xsl:call-template name="html:site-footer"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="tei:person | tei:place | tei:org" mode="html:entry">
    <xsl:param name="ref" as="xs:string" tunnel="yes"/>
    <xsl:variable name="target" select="$ref || @xml:id"/>
    <section class="entry" id="{@xml:id}" aria-labelledby="{@xml:id}-h" data-tei="{local-name()}">
      <h2 id="{@xml:id}-h"><xsl:value-of select="cg:preferred-name(.)"/></h2>
      <h3>Name forms</h3>
      <ul class="name-forms">
        <xsl:for-each select="cg:name-forms(.)">
          <li>
            <span lang="{(@xml:lang, ancestor::*/@xml:lang)[1]}"><xsl:value-of select="normalize-space()"/></span>
            <xsl:variable name="about" select="(cg:language-name(((@xml:lang, ancestor::*/@xml:lang)[1]) ! string()), @type)"/>
            <span class="form-note"><xsl:value-of select="' (' || string-join($about, ', ') || ')'"/></span>
          </li>
        </xsl:for-each>
      </ul>
      <xsl:if test="tei:idno">
        <h3>Authority records</h3>
        <ul class="authorities">
          <xsl:for-each select="tei:idno">
            <xsl:variable name="url" select="html:authority-url(@type, normalize-space())"/>
            <li>
              <xsl:choose>
                <xsl:when test="$url"><a href="{$url}"><xsl:value-of select="html:authority-name(@type) || ' ' || normalize-space()"/></a></xsl:when>
                <xsl:otherwise><xsl:value-of select="@type || ' ' || normalize-space()"/></xsl:otherwise>
              </xsl:choose>
            </li>
          </xsl:for-each>
        </ul>
      </xsl:if>
      <xsl:for-each select="tei:note"><p class="note"><xsl:value-of select="normalize-space()"/></p></xsl:for-each>
      <h3>Mentioned in</h3>
      <!-- in date order: the key is on $html:site, whose summaries are in date order -->
      <xsl:variable name="mentions" select="key('html:mentions', $target, $html:site)"/>
      <xsl:choose>
        <xsl:when test="empty($mentions)"><p class="no-mentions">No document of the edition mentions this entry.</p></xsl:when>
        <xsl:otherwise>
          <ul class="mentions">
            <xsl:for-each select="$mentions">
              <xsl:variable name="doc" select=".."/>
              <xsl:variable name="id" select="string($doc/@id)"/>
              <li>
                <a href="{$id}.html"><xsl:value-of select="$doc/@title"/></a>
                <xsl:value-of select="$doc/@date ! (' (' || . || ')')"/>
                <!-- written straight out, not gathered first: nodes made into a variable are copied again,
                     for each of the 100,000 mentions of a 10,000-document edition -->
                <xsl:variable name="header" select="@header = 'true'"/>
                <xsl:text>: </xsl:text>
                <xsl:if test="$header"><span class="in-header">document description</span></xsl:if>
                <xsl:for-each select="for $n in tokenize(@layers) return $doc/html:layer[xs:integer($n)]">
                  <xsl:if test="$header or position() gt 1"><xsl:text>, </xsl:text></xsl:if>
                  <a href="{$id}.html#{@id}"><xsl:value-of select="lower-case(@label)
                    || ' (' || cg:language-name(@lang) || ')'"/></a>
                </xsl:for-each>
              </li>
            </xsl:for-each>
          </ul>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <xsl:function name="html:authority-url" as="xs:string?">
    <xsl:param name="type" as="xs:string?"/>
    <xsl:param name="value" as="xs:string"/>
    <xsl:sequence select="
      if ($type = 'wikidata' and matches($value, '^Q\d+$')) then 'https://www.wikidata.org/wiki/' || $value
      else if ($type = 'viaf' and matches($value, '^\d+$')) then 'https://viaf.org/viaf/' || $value
      else if ($type = 'geonames' and matches($value, '^\d+$')) then 'https://www.geonames.org/' || $value
      else if (matches($value, '^https?://')) then $value else ()"/>
  </xsl:function>

  <xsl:function name="html:authority-name" as="xs:string">
    <xsl:param name="type" as="xs:string?"/>
    <xsl:sequence select="if ($type = 'wikidata') then 'Wikidata' else if ($type = 'viaf') then 'VIAF'
      else if ($type = 'geonames') then 'GeoNames' else string($type)"/>
  </xsl:function>
</xsl:stylesheet>
