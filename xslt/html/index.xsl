<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/index.xsl — the edition's front page, DIR/index.html: every document in a table (date, title, from,
  to, languages, summary) that the site's JS sorts and filters without a server (by person, place, year and
  language, from data-* attributes on each row), followed by the timeline and the correspondence network
  (charts.xsl), drawn as SVG at build time. Made from the documents' summaries (summary.xsl), not their TEI.

  Named templates
    html:index            the whole page, from $html:docs (in date order)
  Modes
    html:index-row        a document's summary → one tr
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:html="urn:cablegram:xslt:html" xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">

  <xsl:mode name="html:index-row" on-no-match="fail"/>

  <xsl:template name="html:index">
    <xsl:variable name="docs" select="$html:docs"/>
    <!-- the page's parts written here, not html:page: see page.xsl -->
    <html lang="en">
      <xsl:call-template name="html:head"><xsl:with-param name="title" select="'Documents'"/></xsl:call-template>
      <body>
        <xsl:call-template name="html:site-header"><xsl:with-param name="current" select="'index'"/></xsl:call-template>
        <main id="main">
            <h1><xsl:value-of select="$cg:edition-title"/></h1>
            <p class="lead"><xsl:value-of select="($cg:edition-description, '')[1]"/></p>
            <form class="filters" id="filters" hidden="hidden" aria-label="Filter the documents">
              <xsl:call-template name="html:filter">
                <xsl:with-param name="key" select="'persons'"/>
                <xsl:with-param name="label" select="'Person'"/>
                <xsl:with-param name="refs" select="html:register-refs($docs, 'persons')"/>
              </xsl:call-template>
              <xsl:call-template name="html:filter">
                <xsl:with-param name="key" select="'places'"/>
                <xsl:with-param name="label" select="'Place'"/>
                <xsl:with-param name="refs" select="html:register-refs($docs, 'places')"/>
              </xsl:call-template>
              <p class="filter">
                <label for="filter-year">Year</label>
                <select id="filter-year" data-filter="year">
                  <option value="">All years</option>
                  <xsl:for-each select="distinct-values($docs ! cg:year(@when))">
                    <xsl:sort select="."/>
                    <option value="{.}"><xsl:value-of select="."/></option>
                  </xsl:for-each>
                </select>
              </p>
              <p class="filter">
                <label for="filter-langs">Language</label>
                <select id="filter-langs" data-filter="langs">
                  <option value="">All languages</option>
                  <xsl:for-each select="distinct-values($docs ! html:lang ! string())">
                    <xsl:sort select="cg:language-name(.)"/>
                    <option value="{.}"><xsl:value-of select="cg:language-name(.)"/></option>
                  </xsl:for-each>
                </select>
              </p>
              <p class="filter"><button type="reset">Show all</button></p>
              <p class="filter-count" id="filter-count" role="status"></p>
            </form>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="documents-caption">
            <table class="documents" id="documents">
              <caption id="documents-caption">All documents of the edition, in date order</caption>
              <thead>
                <tr>
                  <xsl:for-each select="('date', 'title', 'from', 'to', 'languages', 'summary')">
                    <th scope="col" data-key="{.}">
                      <xsl:if test=". = 'date'"><xsl:attribute name="aria-sort" select="'ascending'"/></xsl:if>
                      <xsl:choose>
                        <xsl:when test=". = ('date', 'title', 'from', 'to')">
                          <button type="button" data-sort="{.}">
                            <xsl:value-of select="upper-case(substring(., 1, 1)) || substring(., 2)"/></button>
                        </xsl:when>
                        <xsl:otherwise><xsl:value-of select="upper-case(substring(., 1, 1)) || substring(., 2)"/></xsl:otherwise>
                      </xsl:choose>
                    </th>
                  </xsl:for-each>
                </tr>
              </thead>
              <tbody>
                <xsl:apply-templates select="$docs" mode="html:index-row"/>
              </tbody>
            </table>
            </div>
            <xsl:call-template name="html:timeline"><xsl:with-param name="docs" select="$docs"/></xsl:call-template>
            <xsl:call-template name="html:network"><xsl:with-param name="docs" select="$docs"/></xsl:call-template>
        </main>
        <xsl:call-template name="html:site-footer"/>
      </body>
    </html>
  </xsl:template>

  <xsl:function name="html:register-refs" as="xs:string*">
    <xsl:param name="docs" as="element(html:doc)*"/>
    <xsl:param name="register" as="xs:string"/>
    <xsl:sequence select="distinct-values($docs ! tokenize(@refs))[cg:register-of(.) = $register]"/>
  </xsl:function>

  <xsl:template name="html:filter">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="refs" as="xs:string*"/>
    <p class="filter">
      <label for="filter-{$key}"><xsl:value-of select="$label"/></label>
      <select id="filter-{$key}" data-filter="{$key}">
        <option value="">All</option>
        <xsl:for-each select="$refs">
          <xsl:sort select="cg:label(., cg:entry-id(.))"/>
          <option value="{cg:entry-id(.)}"><xsl:value-of select="cg:label(., cg:entry-id(.))"/></option>
        </xsl:for-each>
      </select>
    </p>
  </xsl:template>

  <xsl:template match="html:doc" mode="html:index-row">
    <xsl:variable name="refs" select="tokenize(@refs)"/>
    <xsl:variable name="when" select="@when ! string()"/>
    <xsl:variable name="from" select="html:from"/>
    <xsl:variable name="to" select="html:to"/>
    <tr id="row-{@id}" data-date="{$when}" data-year="{cg:year($when)}" data-title="{@title}"
      data-from="{string-join($from ! normalize-space(), '; ')}" data-to="{string-join($to ! normalize-space(), '; ')}"
      data-persons="{$refs[cg:register-of(.) = 'persons'] ! cg:entry-id(.)}"
      data-places="{$refs[cg:register-of(.) = 'places'] ! cg:entry-id(.)}"
      data-langs="{html:lang}">
      <td class="col-date"><xsl:sequence select="html:time($when, string(@date))"/></td>
      <td class="col-title"><a href="{@id}.html"><xsl:value-of select="@title"/></a></td>
      <td class="col-from"><xsl:sequence select="html:names($from)"/></td>
      <td class="col-to"><xsl:sequence select="html:names($to)"/></td>
      <td class="col-langs"><xsl:value-of select="string-join(html:lang ! cg:language-name(.), ', ')"/></td>
      <td class="col-summary"><xsl:value-of select="html:summary"/></td>
    </tr>
  </xsl:template>
</xsl:stylesheet>
