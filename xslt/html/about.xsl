<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/about.xsl — the about page (DIR/about.html) and the search page (DIR/search.html).
  The encoding manual itself (DIR/about/encoding.html) is rendered from the ODD by
  cablegram.validate.render_manual (xslt/odd/); this page links to it and ships the sources.

  Parameters
    $html:schema-files as xs:string*   file names copied into DIR/schema/ (the ODD and the schemas)
    $html:search-bundles as xs:string*   the search indexes the search page merges into pagefind/'s
  Named templates
    html:about     the about page: the edition, its principles (Endings), the TEI sources, the manual
    html:search    the search page: pagefind's UI (shipped inside the site, DIR/pagefind/)
  Modes: none.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:html="urn:cablegram:xslt:html" xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">

  <xsl:param name="html:schema-files" as="xs:string*" select="()"/>
  <!-- the search indexes beyond pagefind/ (an edition of thousands of documents has several: cablegram.search),
       which the search page merges into pagefind/'s results -->
  <xsl:param name="html:search-bundles" as="xs:string*" select="()"/>

  <xsl:template name="html:about">
    <xsl:call-template name="html:page">
      <xsl:with-param name="title" select="'About this edition'"/>
      <xsl:with-param name="current" select="'about'"/>
      <xsl:with-param name="content" as="node()*">
        <h1>About this edition</h1>
        <p><xsl:value-of select="$cg:edition-description"/></p>
        <dl class="meta">
          <dt>Title</dt><dd><xsl:value-of select="$cg:edition-title"/></dd>
          <xsl:if test="exists($cg:edition-editors)">
            <dt>Editors</dt><dd><xsl:value-of select="string-join($cg:edition-editors, ', ')"/></dd>
          </xsl:if>
          <xsl:if test="$cg:edition-publisher"><dt>Publisher</dt><dd><xsl:value-of select="$cg:edition-publisher"/></dd></xsl:if>
          <dt>Version</dt><dd><span class="edition-version"><xsl:value-of select="$cg:version"/></span></dd>
          <dt>Built</dt><dd><time class="build-date" datetime="{$cg:build-date}"><xsl:value-of select="$cg:build-date"/></time></dd>
          <dt>Documents</dt><dd><xsl:value-of select="count($html:docs)"/></dd>
        </dl>
        <h2 id="reading">Reading the documents</h2>
        <p>Each document page shows the layers of the archive page — the diplomatic transcription of the
          original, the archive's transcription, the English translation — side by side on wide screens, with
          matching paragraphs aligned, and stacked on narrow ones. The <em>Layers</em> switch shows one layer alone.
          The <em>Reading</em> view gives the corrected text; the <em>Diplomatic</em> view shows the source's
          readings (marked <span class="sample-sic">sic</span>), its line breaks and the OCR residue.
          Square brackets are the editors' insertions: hover over them, or focus them with the keyboard, to read
          why they were supplied. Boxed text is a stamp; text in a script face is handwritten.</p>
        <p>The <a href="about/encoding.html">encoding manual</a> documents every element and rule of the
          edition's TEI customisation (generated from its ODD).</p>
        <h2 id="sources">TEI sources</h2>
        <p>The edition is made from its TEI P5 files, shipped inside this site:</p>
        <ul class="sources">
          <xsl:for-each select="$html:docs">
            <li><a href="tei/{@id}.xml"><xsl:value-of select="@id"/>.xml</a> —
              <xsl:value-of select="@title"/></li>
          </xsl:for-each>
          <xsl:for-each select="$cg:registers">
            <li><a href="tei/{tei:TEI/@xml:id}.xml"><xsl:value-of select="tei:TEI/@xml:id"/>.xml</a> —
              <xsl:value-of select="normalize-space(tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title)"/></li>
          </xsl:for-each>
          <xsl:for-each select="$html:schema-files">
            <li><a href="schema/{.}"><xsl:value-of select="."/></a></li>
          </xsl:for-each>
        </ul>
        <h2 id="longevity">Longevity</h2>
        <p>The site follows the Endings Project's principles: it is plain HTML, CSS and JavaScript with no
          server-side code and no external dependencies; every page is reachable without a query string and
          readable from the file system; the TEI sources are shipped with it and linked from each page; every
          page states the edition's version and build date. Full-text search needs the site to be served over
          HTTP (<code>cablegram serve</code>).</p>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="html:search">
    <xsl:call-template name="html:page">
      <xsl:with-param name="title" select="'Search'"/>
      <xsl:with-param name="current" select="'search'"/>
      <xsl:with-param name="head" as="element()*">
        <xsl:if test="$html:search">
          <link rel="stylesheet" href="pagefind/pagefind-ui.css"/>
          <script src="pagefind/pagefind-ui.js" defer="defer"></script>
        </xsl:if>
      </xsl:with-param>
      <xsl:with-param name="content" as="node()*">
        <h1>Search</h1>
        <p>Search the full text of every layer, in English and Russian (Latin and Cyrillic script).</p>
        <div id="search" class="search" data-search="{if ($html:search) then 'pagefind' else 'none'}">
          <xsl:if test="$html:search and exists($html:search-bundles)">
            <xsl:attribute name="data-merge" select="string-join($html:search-bundles, ' ')"/>
          </xsl:if>
        </div>
        <p class="search-note" id="search-note">
          <xsl:choose>
            <xsl:when test="$html:search">Search runs in your browser from an index built with the site. Opened
              from the file system, browsers refuse to load it: run <code>cablegram serve</code> and open the
              address it prints.</xsl:when>
            <xsl:otherwise>This build has no search index (pagefind was not installed).</xsl:otherwise>
          </xsl:choose>
        </p>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
