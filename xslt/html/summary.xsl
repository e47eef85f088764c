<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/summary.xsl — what the pages about the whole edition (index, registers, about) need of a document,
  in a few hundred bytes: extracted once per document, by the worker that renders the document's page, and
  gathered by cablegram.html into one small tree, so that the site-wide pages never hold the edition's TEI
  (a 10,000-document edition is 10,000 summaries, not 10,000 parsed documents).

  A summary (every value exactly as the TEI-reading functions of xslt/common/ return it):
    <html:doc id="cg:doc-id" title="cg:title" when="cg:when" date="cg:format-date(cg:when)" refs="cg:refs">
      <html:from ref="first token of @ref">normalized name</html:from>*   cg:correspondents(., 'sent')
      <html:to ref="…">…</html:to>*                                       cg:correspondents(., 'received')
      <html:lang>ru</html:lang>*                                          cg:languages(.)
      <html:summary>plain text</html:summary>                             cg:plain(cg:summary(.))
      <html:layer id="@xml:id" label="cg:layer-label" lang="@xml:lang"/>*  cg:layers(.)
      <html:mention ref="persons.xml#stalin" header="true|false" layers="1 3"/>*
                                          one per token of the key cg:refs: in the teiHeader or not, and the
                                          positions of the layers holding it
    </html:doc>

  The index and about pages read no html:mention, the register pages no html:from, html:to, html:lang or
  html:summary: a rebuild whose summaries differ only in parts a page does not read takes that page over
  (cablegram.html.site_page_inputs), so a page that comes to read more must say so there.

  Modes
    html:summary       match="/" on a TEI document → its summary, serialized as XML (whatever the page output)
  Parameters
    $html:summaries as document-node()?   the summaries of the edition's documents, in any order (fastest in
                                          date order: see $html:site)
  Variables
    $html:docs as element(html:doc)*      the summaries in date order (the order of cg:date-order)
  Named templates
    html:date-order-ids as xs:string*     the ids of $html:docs (called from Python)
  Keys
    html:mentions      mention elements by @ref (in $html:docs order when looked up in $html:site)
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:html="urn:cablegram:xslt:html" xmlns:tei="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all">

  <xsl:mode name="html:summary" on-no-match="fail"/>

  <xsl:param name="html:summaries" as="document-node()?" select="()"/>

  <!-- the key below must return mentions in date order, so it is looked up in a tree whose summaries are
       in date order: the summaries as given when they come so (cablegram.html passes them so), else a sorted
       copy (copying 10,000 summaries costs 0.3 s, in every call of a site page) -->
  <xsl:variable name="html:in-date-order" as="element(html:doc)*">
    <xsl:perform-sort select="$html:summaries/*/html:doc">
      <xsl:sort select="empty(cg:to-date(@when))"/>
      <xsl:sort select="cg:to-date(@when)"/>
      <xsl:sort select="string(@id)"/>
    </xsl:perform-sort>
  </xsl:variable>
  <xsl:variable name="html:site" as="document-node()">
    <xsl:variable name="given" select="$html:summaries/*/html:doc"/>
    <xsl:choose>
      <xsl:when test="exists($html:summaries)
        and (every $i in 1 to count($given) satisfies $given[$i] is $html:in-date-order[$i])">
        <xsl:sequence select="$html:summaries"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:document><xsl:sequence select="$html:in-date-order"/></xsl:document>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="html:docs" as="element(html:doc)*"
    select="if ($html:site is $html:summaries) then $html:in-date-order else $html:site/html:doc"/>

  <xsl:key name="html:mentions" match="html:mention" use="@ref"/>

  <xsl:template name="html:date-order-ids" as="xs:string*">
    <xsl:sequence select="$html:docs ! string(@id)"/>
  </xsl:template>

  <xsl:template match="/" mode="html:summary">
    <xsl:variable name="tei" select="cg:tei(.)"/>
    <xsl:variable name="when" select="cg:when($tei)"/>
    <xsl:variable name="layers" select="cg:layers($tei)"/>
    <!-- the elements the key cg:refs (names.xsl) indexes, in document order; cg:refs reads the same
         names but for repository. One pass over the document, where a union of four paths made four. -->
    <xsl:variable name="named" select="root($tei)//*[@ref][self::tei:persName or self::tei:placeName
      or self::tei:orgName or self::tei:repository]"/>
    <!-- plain XML, whatever the pages' output method: the summary is read back as XML -->
    <xsl:result-document method="xml" omit-xml-declaration="yes" indent="no">
      <html:doc id="{cg:doc-id($tei)}" title="{cg:title($tei)}">
        <xsl:if test="exists($when)">
          <xsl:attribute name="when" select="$when"/>
          <xsl:attribute name="date" select="cg:format-date($when)"/>
        </xsl:if>
        <xsl:attribute name="refs" select="distinct-values($named[not(self::tei:repository)] ! tokenize(@ref))"/>
        <xsl:for-each select="cg:correspondents($tei, 'sent')">
          <html:from><xsl:sequence select="html:summary-name(.)"/></html:from>
        </xsl:for-each>
        <xsl:for-each select="cg:correspondents($tei, 'received')">
          <html:to><xsl:sequence select="html:summary-name(.)"/></html:to>
        </xsl:for-each>
        <xsl:for-each select="cg:languages($tei)"><html:lang><xsl:value-of select="."/></html:lang></xsl:for-each>
        <html:summary><xsl:value-of select="cg:plain(cg:summary($tei))"/></html:summary>
        <xsl:for-each select="$layers">
          <html:layer id="{@xml:id}" label="{cg:layer-label(.)}">
            <xsl:for-each select="@xml:lang"><xsl:attribute name="lang" select="."/></xsl:for-each>
          </html:layer>
        </xsl:for-each>
        <xsl:for-each-group select="$named" group-by="tokenize(@ref)">
          <!-- a layer is a div of the body (cg:layers): the one ancestor of a name that can be one -->
          <xsl:variable name="within" select="current-group()/ancestor::tei:div[parent::tei:body]"/>
          <html:mention ref="{current-grouping-key()}" header="{exists(current-group()/ancestor::tei:teiHeader)}"
            layers="{for $i in 1 to count($layers) return $i[exists($layers[$i] intersect $within)]}"/>
        </xsl:for-each-group>
      </html:doc>
    </xsl:result-document>
  </xsl:template>

  <!-- what html:name-link and html:party-key read of a name: the first token of @ref and the text -->
  <xsl:function name="html:summary-name" as="node()*">
    <xsl:param name="name" as="element()"/>
    <xsl:for-each select="tokenize($name/@ref)[1]"><xsl:attribute name="ref" select="."/></xsl:for-each>
    <xsl:value-of select="normalize-space($name)"/>
  </xsl:function>
</xsl:stylesheet>
