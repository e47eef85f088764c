<?xml version="1.0" encoding="UTF-8"?>
<!--
  print/index.xsl — the volume's index of persons and places, with page numbers.

  Page numbers need the layout, so the volume is rendered twice (cablegram.pdf.volume): the first pass
  records on which page each name's anchor (print:anchor-id) fell; the second receives that as
  $print:anchor-pages and prints each entry's distinct pages, with runs joined into ranges ("3, 5–7").
  Without it (the first pass), every occurrence is a link whose number CSS fills in with target-counter().

  Parameters
    $print:anchor-pages as xs:string*   "wc-115976-n12 7": an anchor id and its page, one per string
  Named templates
    print:index($docs)   section.index#index
  Functions
    print:index-occurrences($entry-ref as xs:string, $docs) as element()*   the printed names of an entry
    print:page-ranges($pages as xs:integer*) as xs:string*                  "3", "5–7"
    print:other-forms($entry as element()) as element()*                    the entry's forms worth listing
  Modes: none.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:print="urn:cablegram:xslt:print" xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">

  <xsl:param name="print:anchor-pages" as="xs:string*" select="()"/>

  <xsl:variable name="print:page-of" as="map(xs:string, xs:integer)" select="map:merge(
    for $s in $print:anchor-pages return map{substring-before($s, ' '): xs:integer(substring-after($s, ' '))},
    map{'duplicates': 'use-first'})"/>

  <!-- the names that print:article prints with an anchor: in the layers, the correspondents, the summary;
       the outermost name only, and never a source reading that a correction replaces -->
  <xsl:function name="print:index-occurrences" as="element()*" visibility="public">
    <xsl:param name="entry-ref" as="xs:string"/>
    <xsl:param name="docs" as="document-node()*"/>
    <xsl:sequence select="$docs ! key('cg:refs', $entry-ref, .)
      [ancestor::tei:body or ancestor::tei:correspAction or ancestor::tei:abstract]
      [not(ancestor::tei:*[@ref][self::tei:persName or self::tei:placeName or self::tei:orgName])]
      [not(ancestor::tei:sic or ancestor::tei:orig or ancestor::tei:abbr)]"/>
  </xsl:function>

  <xsl:function name="print:page-ranges" as="xs:string*" visibility="public">
    <xsl:param name="pages" as="xs:integer*"/>
    <xsl:for-each-group select="sort(distinct-values($pages))" group-adjacent=". - position()">
      <xsl:sequence select="if (count(current-group()) = 1) then string(.)
        else current-group()[1] || '–' || current-group()[last()]"/>
    </xsl:for-each-group>
  </xsl:function>

  <xsl:function name="print:other-forms" as="element()*" visibility="public">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="key" select="function($s as xs:string) as xs:string { lower-case(replace($s, '\s+', '')) }"/>
    <xsl:variable name="preferred" select="$key(cg:preferred-name($entry))"/>
    <xsl:for-each-group select="cg:name-forms($entry)[$key(string(.)) != $preferred]" group-by="$key(string(.))">
      <xsl:sequence select="current-group()[1]"/>
    </xsl:for-each-group>
  </xsl:function>

  <xsl:template name="print:index">
    <xsl:param name="docs" as="document-node()*"/>
    <section class="index back" id="index">
      <h1 class="front-title">Index of persons and places</h1>
      <p class="index-note">Names in every layer and language, and in the document headers, are indexed under
        the register's preferred form; other forms met in the sources follow it.</p>
      <xsl:for-each select="('persons', 'places')">
        <xsl:variable name="register" select="."/>
        <xsl:variable name="refs" select="distinct-values($docs ! cg:refs(tei:TEI))[cg:register-of(.) = $register]"/>
        <xsl:variable name="entries" select="$refs ! cg:entry(.)"/>
        <section class="index-part {$register}">
          <h2><xsl:value-of select="if ($register = 'persons') then 'Persons' else 'Places'"/></h2>
          <ul class="index-entries">
            <xsl:for-each select="$entries">
              <xsl:sort select="lower-case(cg:preferred-name(.))"/>
              <xsl:variable name="ref" select="$register || '.xml#' || @xml:id"/>
              <xsl:variable name="hits" select="print:index-occurrences($ref, $docs)"/>
              <xsl:if test="exists($hits)">
                <li class="index-entry" id="index-{@xml:id}">
                  <span class="index-name"><xsl:value-of select="cg:preferred-name(.)"/></span>
                  <xsl:variable name="forms" select="print:other-forms(.)"/>
                  <xsl:if test="exists($forms)">
                    <span class="index-forms">
                      <xsl:text> (</xsl:text>
                      <xsl:for-each select="$forms">
                        <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
                        <span lang="{(@xml:lang, 'en')[1]}"><xsl:value-of select="normalize-space()"/></span>
                        <xsl:if test="@type = 'pseudonym'"><xsl:text> (pseudonym)</xsl:text></xsl:if>
                      </xsl:for-each>
                      <xsl:text>)</xsl:text>
                    </span>
                  </xsl:if>
                  <xsl:text> </xsl:text>
                  <span class="index-pages">
                    <xsl:variable name="ids" select="$hits ! print:anchor-id(.)"/>
                    <xsl:choose>
                      <xsl:when test="map:size($print:page-of) gt 0">
                        <xsl:variable name="pages" select="$ids ! $print:page-of(.)"/>
                        <xsl:for-each select="print:page-ranges($pages)">
                          <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
                          <xsl:variable name="first" select="xs:integer(tokenize(., '–')[1])"/>
                          <a class="index-page" href="#{$ids[$print:page-of(.) = $first][1]}"><xsl:value-of select="."/></a>
                        </xsl:for-each>
                      </xsl:when>
                      <xsl:otherwise>
                        <xsl:for-each select="$ids">
                          <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
                          <a class="index-ref" href="#{.}"></a>
                        </xsl:for-each>
                      </xsl:otherwise>
                    </xsl:choose>
                  </span>
                </li>
              </xsl:if>
            </xsl:for-each>
          </ul>
        </section>
      </xsl:for-each>
    </section>
  </xsl:template>
</xsl:stylesheet>
