<?xml version="1.0" encoding="UTF-8"?>
<!--
  print/text.xsl — where print renders the TEI text differently from the web. It overrides, by import
  precedence, a few templates of mode html:text (html/text.xsl), which does everything else; most of these
  overrides call xsl:next-match, so the web's markup (data-tei, classes, brackets) stays the one rendering.

  Behaviours (ENCODING.md §4), print variant:
    supplied              the web's [bracketed] span, then a footnote with the reason (cg:supplied-note):
                          print has no hover tip
    choice (sic/corr, orig/reg, abbr/expan)
                          the edited reading, then a footnote giving the source's reading
    persName, placeName, orgName
                          no link to a register page (there is none in a PDF); an id for the index
                          (print:anchor-id) on the outermost name
    p[@corresp]           wrapped with its alignment number (¶ n), the same in original and translation
    gi, att, ident, code, val, tag   the ODD's prose (the volume's introduction)
  Functions
    print:anchor-id($name as element()) as xs:string   "wc-115976-n12": the document id and the name's number
    print:para-number($p as element(tei:p)) as xs:integer?   the alignment number of an aligned paragraph
  Named templates
    print:footnote(content)   <span class="fn"> — float: footnote in print.css, numbered per document
  Modes: html:text (overrides only).
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:html="urn:cablegram:xslt:html" xmlns:print="urn:cablegram:xslt:print"
  xmlns:tei="http://www.tei-c.org/ns/1.0" xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">

  <xsl:function name="print:anchor-id" as="xs:string" visibility="public">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="n" as="xs:string">
      <xsl:number select="$name" level="any" from="tei:TEI"
        count="tei:persName[@ref] | tei:placeName[@ref] | tei:orgName[@ref]"/>
    </xsl:variable>
    <xsl:sequence select="cg:doc-id($name) || '-n' || $n"/>
  </xsl:function>

  <xsl:function name="print:para-number" as="xs:integer?" visibility="public">
    <xsl:param name="p" as="element(tei:p)"/>
    <xsl:variable name="target" select="if ($p/ancestor::tei:div[@type = 'translation'])
      then id(substring-after(tokenize($p/@corresp)[1], '#'), root($p))[self::tei:p] else $p"/>
    <xsl:variable name="layer" select="$target/ancestor::tei:div[@type = ('original', 'transcription')][last()]"/>
    <xsl:sequence select="if (empty($target) or empty($layer)) then ()
      else count($layer//tei:p[@corresp][. &lt;&lt; $target]) + 1"/>
  </xsl:function>

  <xsl:template name="print:footnote">
    <xsl:param name="content" as="item()*"/>
    <span class="fn" lang="en" data-tei="note"><xsl:sequence select="$content"/></span>
  </xsl:template>

  <!-- the archive's insertions: brackets as on the web, the reason as a footnote -->
  <xsl:template match="tei:supplied" mode="html:text">
    <xsl:next-match/>
    <xsl:call-template name="print:footnote">
      <xsl:with-param name="content" select="cg:supplied-note(.) || '.'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- corrected readings: the edited form in the text, the source's form in a footnote -->
  <xsl:template match="tei:choice[tei:sic and tei:corr] | tei:choice[tei:orig and tei:reg]
    | tei:choice[tei:abbr and tei:expan]" mode="html:text">
    <xsl:variable name="source" select="(tei:sic, tei:orig, tei:abbr)[1]"/>
    <xsl:variable name="edited" select="(tei:corr, tei:reg, tei:expan)[1]"/>
    <span class="choice"><xsl:call-template name="html:origin"/>
      <span class="{local-name($edited)}">
        <xsl:call-template name="html:origin"><xsl:with-param name="tei" select="$edited"/></xsl:call-template>
        <xsl:apply-templates select="$edited/node()" mode="#current"/>
      </span>
    </span>
    <xsl:call-template name="print:footnote">
      <xsl:with-param name="content" as="node()*">
        <span class="fn-form {local-name($source)}" lang="{(ancestor-or-self::*/@xml:lang)[last()]}">
          <xsl:value-of select="cg:plain($source/node())"/></span>
        <xsl:value-of select="(if ($source/self::tei:sic) then ' in the source; corrected by '
          else if ($source/self::tei:orig) then ' in the source; regularised by ' else ' in the source; expanded by ')
          || cg:resp-label($edited/@resp) || '.'"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- names: an anchor for the index instead of a link to a register page -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName" mode="html:text">
    <span class="name {local-name()}">
      <xsl:call-template name="html:origin"/>
      <xsl:if test="@ref and not(ancestor::tei:*[@ref][self::tei:persName or self::tei:placeName or self::tei:orgName])">
        <xsl:attribute name="id" select="print:anchor-id(.)"/>
        <xsl:attribute name="data-ref" select="tokenize(@ref)[1]"/>
      </xsl:if>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <!-- aligned paragraphs carry the number of their pair -->
  <xsl:template match="tei:p[@corresp]" mode="html:text">
    <xsl:variable name="n" select="print:para-number(.)"/>
    <xsl:choose>
      <xsl:when test="exists($n)">
        <div class="aligned" data-n="{$n}"><span class="para-n" aria-hidden="true">¶&#160;<xsl:value-of
          select="$n"/></span><xsl:next-match/></div>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the ODD's prose -->
  <xsl:template match="tei:gi" mode="html:text">
    <code class="gi" data-tei="gi"><xsl:value-of select="'&lt;' || . || '&gt;'"/></code>
  </xsl:template>
  <xsl:template match="tei:att" mode="html:text">
    <code class="att" data-tei="att"><xsl:value-of select="'@' || ."/></code>
  </xsl:template>
  <xsl:template match="tei:ident | tei:code | tei:val | tei:tag" mode="html:text">
    <code class="{local-name()}" data-tei="{local-name()}"><xsl:apply-templates mode="#current"/></code>
  </xsl:template>
</xsl:stylesheet>
