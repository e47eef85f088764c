<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/document.xsl — a document page, DIR/<id>.html: metadata, the view and layer switches, the layers
  (original | translation side by side, aligned by JS where p/@corresp pairs them), downloads, "cite this",
  previous/next in date order.

  Parameters
    $html:prev-title, $html:next-title as xs:string?   the titles of $html:prev and $html:next (page.xsl):
                                                       all the page shows of its neighbours
  Modes
    html:document   match="/" on a TEI document → the complete page
    html:meta       TEI → the metadata list (dl) of the page
    html:layer      a layer div → section.layer
  Uses html:text (text.xsl) for the layers' content, the parts of html:page (page.xsl) for the shell.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:html="urn:cablegram:xslt:html" xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">

  <xsl:mode name="html:document" on-no-match="fail"/>
  <xsl:mode name="html:meta" on-no-match="fail"/>
  <xsl:mode name="html:layer" on-no-match="fail"/>

  <xsl:param name="html:prev-title" as="xs:string?" select="()"/>
  <xsl:param name="html:next-title" as="xs:string?" select="()"/>

  <xsl:template match="/" mode="html:document">
    <xsl:variable name="tei" select="tei:TEI"/>
    <xsl:variable name="id" select="cg:doc-id($tei)"/>
    <xsl:variable name="left" select="cg:primary-original($tei)"/>
    <xsl:variable name="right" select="cg:primary-translation($tei)"/>
    <xsl:variable name="ordered" select="($left, $right, cg:layers($tei) except ($left, $right))"/>
    <!-- the page's parts written here, not html:page: see page.xsl -->
    <html lang="en">
      <xsl:call-template name="html:head">
        <xsl:with-param name="title" select="cg:title($tei)"/>
        <xsl:with-param name="head" as="element()*">
          <link rel="alternate" type="application/tei+xml" href="tei/{$id}.xml"/>
          <link rel="canonical" href="{cg:stable-url($tei)}"/>
        </xsl:with-param>
      </xsl:call-template>
      <body>
        <xsl:call-template name="html:site-header"><xsl:with-param name="current" select="'document'"/></xsl:call-template>
        <main id="main" data-pagefind-body="">
          <article class="document" id="document" data-view="reading" data-layers="all" data-doc="{$id}">
            <h1 data-pagefind-meta="title"><xsl:value-of select="cg:title($tei)"/></h1>
            <xsl:apply-templates select="$tei" mode="html:meta"/>
            <div class="controls" data-pagefind-ignore="all" hidden="hidden">
              <div role="group" aria-label="Text view" class="toggle">
                <span class="toggle-label" aria-hidden="true">View:</span>
                <button type="button" data-set-view="reading" aria-pressed="true">Reading</button>
                <button type="button" data-set-view="diplomatic" aria-pressed="false">Diplomatic</button>
              </div>
              <xsl:if test="count($ordered) gt 1">
                <div role="group" aria-label="Layers" class="toggle">
                  <span class="toggle-label" aria-hidden="true">Layers:</span>
                  <button type="button" data-set-layers="parallel" aria-pressed="false">
                    <xsl:value-of select="if ($left and $right) then 'Side by side' else 'All'"/>
                  </button>
                  <xsl:for-each select="$ordered">
                    <button type="button" data-set-layers="{@xml:id}" aria-pressed="false">
                      <xsl:value-of select="cg:layer-label(.)"/>
                    </button>
                  </xsl:for-each>
                </div>
              </xsl:if>
            </div>
            <div class="layers" id="layers">
              <xsl:apply-templates select="$ordered" mode="html:layer">
                <xsl:with-param name="left" select="$left" tunnel="yes"/>
                <xsl:with-param name="right" select="$right" tunnel="yes"/>
              </xsl:apply-templates>
            </div>
            <xsl:call-template name="html:downloads"><xsl:with-param name="tei" select="$tei"/></xsl:call-template>
            <xsl:call-template name="html:prev-next"/>
          </article>
        </main>
        <xsl:call-template name="html:site-footer"/>
      </body>
    </html>
  </xsl:template>

  <!-- metadata -->
  <xsl:template match="tei:TEI" mode="html:meta">
    <xsl:variable name="senders" select="cg:correspondents(., 'sent')"/>
    <xsl:variable name="recipients" select="cg:correspondents(., 'received')"/>
    <xsl:variable name="via" select="cg:correspondents(., 'transmitted')"/>
    <xsl:variable name="header" select="tei:teiHeader"/>
    <dl class="meta">
      <xsl:if test="cg:when(.)">
        <dt>Date</dt><dd class="meta-date"><xsl:sequence select="html:time(cg:when(.))"/></dd>
      </xsl:if>
      <xsl:if test="$senders or $recipients">
        <dt>Correspondents</dt>
        <dd class="meta-correspondents">
          <xsl:sequence select="html:names($senders)"/>
          <xsl:text> → </xsl:text>
          <xsl:sequence select="html:names($recipients)"/>
          <xsl:if test="$via">
            <xsl:text> (via </xsl:text><xsl:sequence select="html:names($via)"/><xsl:text>)</xsl:text>
          </xsl:if>
          <xsl:for-each select="$header/tei:profileDesc/tei:correspDesc/tei:correspAction[@type = 'received']
            /tei:placeName">
            <xsl:text>, </xsl:text><xsl:sequence select="html:name-link(.)"/>
          </xsl:for-each>
        </dd>
      </xsl:if>
      <xsl:if test="exists(cg:archival-citations(.))">
        <dt>Archival citation</dt>
        <dd class="meta-archive">
          <ul><xsl:for-each select="cg:archival-citations(.)"><li><xsl:value-of select="."/></li></xsl:for-each></ul>
        </dd>
      </xsl:if>
      <xsl:if test="cg:classification(.)">
        <dt>Classification</dt><dd><xsl:value-of select="cg:classification(.)"/></dd>
      </xsl:if>
      <xsl:if test="exists(cg:summary(.))">
        <dt>Summary</dt>
        <dd class="meta-summary"><xsl:apply-templates select="cg:summary(.)" mode="html:text"/></dd>
      </xsl:if>
      <xsl:if test="exists(cg:translators(.))">
        <dt>Translator</dt><dd class="meta-translator"><xsl:value-of select="string-join(cg:translators(.), ', ')"/></dd>
      </xsl:if>
      <dt>Languages</dt>
      <dd><xsl:value-of select="string-join(cg:languages(.) ! cg:language-name(.), ', ')"/></dd>
      <xsl:if test="$header/tei:profileDesc/tei:textClass/tei:keywords/tei:term">
        <dt>Subjects</dt>
        <dd><xsl:value-of select="string-join($header/tei:profileDesc/tei:textClass/tei:keywords/tei:term
          ! normalize-space(), '; ')"/></dd>
      </xsl:if>
      <xsl:if test="cg:archive-url(.)">
        <dt>Source</dt>
        <dd><a href="{cg:archive-url(.)}">
          <xsl:value-of select="($header/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:publisher, 'Archive page')[1]"/>
        </a></dd>
      </xsl:if>
    </dl>
  </xsl:template>

  <!-- a layer -->
  <xsl:template match="tei:div" mode="html:layer">
    <xsl:param name="left" as="element()?" tunnel="yes"/>
    <xsl:param name="right" as="element()?" tunnel="yes"/>
    <section class="layer {@type}" id="{@xml:id}" lang="{@xml:lang}" data-tei="div" data-type="{@type}"
      aria-labelledby="{@xml:id}-h">
      <xsl:if test=". is $left"><xsl:attribute name="data-primary" select="'left'"/></xsl:if>
      <xsl:if test=". is $right"><xsl:attribute name="data-primary" select="'right'"/></xsl:if>
      <xsl:if test="@corresp">
        <xsl:attribute name="data-corresp" select="tokenize(@corresp) ! substring-after(., '#')"/>
      </xsl:if>
      <h2 class="layer-title" id="{@xml:id}-h" lang="en">
        <xsl:value-of select="cg:layer-label(.)"/>
        <span class="layer-lang"><xsl:value-of select="' (' || cg:language-name(@xml:lang) || ')'"/></span>
      </h2>
      <xsl:apply-templates mode="html:text"/>
    </section>
  </xsl:template>

  <!-- downloads and citation -->
  <xsl:template name="html:downloads">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="id" select="cg:doc-id($tei)"/>
    <section class="downloads" aria-labelledby="downloads-h" data-pagefind-ignore="all">
      <h2 id="downloads-h">Download and cite</h2>
      <ul class="download-list">
        <li><a href="tei/{$id}.xml" type="application/tei+xml">TEI XML source</a></li>
        <xsl:if test="$id = $html:pdf-ids">
          <li><a href="pdf/{$id}.pdf" type="application/pdf">PDF (print edition)</a></li>
        </xsl:if>
      </ul>
      <div class="cite" id="cite">
        <h3>Cite this document</h3>
        <p class="stable-url">Stable URL: <a href="{cg:stable-url($tei)}"><xsl:value-of select="cg:stable-url($tei)"/></a></p>
        <h4>Chicago</h4>
        <p class="cite-chicago"><xsl:value-of select="cg:chicago($tei)"/></p>
        <h4>BibTeX</h4>
        <pre class="cite-bibtex"><xsl:value-of select="cg:bibtex($tei)"/></pre>
      </div>
    </section>
  </xsl:template>

  <xsl:template name="html:prev-next">
    <xsl:variable name="prev" select="$html:prev[exists($html:prev-title)]"/>
    <xsl:variable name="next" select="$html:next[exists($html:next-title)]"/>
    <xsl:if test="exists(($prev, $next))">
      <nav class="prev-next" aria-label="Previous and next document" data-pagefind-ignore="all">
        <ul>
          <xsl:if test="exists($prev)">
            <li class="prev"><a href="{$prev}.html" rel="prev">← Previous: <xsl:value-of
              select="normalize-space($html:prev-title)"/></a></li>
          </xsl:if>
          <xsl:if test="exists($next)">
            <li class="next"><a href="{$next}.html" rel="next">Next: <xsl:value-of
              select="normalize-space($html:next-title)"/> →</a></li>
          </xsl:if>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
