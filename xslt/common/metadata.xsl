<?xml version="1.0" encoding="UTF-8"?>
<!--
  common/metadata.xsl — what a document is: extracted from its teiHeader and body. Output-neutral.

  Functions (each takes the TEI document node or its TEI element)
    cg:doc-id($tei) as xs:string                  TEI/@xml:id ("wc-115976")
    cg:title($tei) as xs:string                   titleStmt/title
    cg:when($tei) as xs:string?                   the date used for sorting: correspAction[@type='sent']/date/@when,
                                                  else the archive page's bibl/date/@when (ENCODING.md §2)
    cg:date-order($docs) as document-node()*      the documents in date order (undated last, then by id)
    cg:correspondents($tei, $type) as element()*  persName (or orgName) of correspAction[@type=$type]
                                                  ("sent", "received", "transmitted")
    cg:summary($tei) as element()*                abstract/p
    cg:translators($tei) as xs:string*            respStmt[resp='translation'] names
    cg:archival-citations($tei) as xs:string*     one string per msDesc: "RGASPI, f. 558, op. 11, d. 334, l. 0055"
    cg:archive-url($tei) as xs:string?            the archive page (sourceDesc/bibl/ptr/@target)
    cg:classification($tei) as xs:string?         the effective level's catDesc (textClass/catRef)
    cg:layers($tei) as element()*                 the body's layer divs (original, transcription, translation)
    cg:layer-label($div) as xs:string             "Original", "Original, copy 2", "Transcription", "Translation"
    cg:languages($tei) as xs:string*              the distinct xml:lang of the layers
    cg:language-name($code) as xs:string          "ru" → "Russian"
    cg:primary-original($tei), cg:primary-translation($tei) as element()?
                                                  the pair shown side by side: the layers with most aligned
                                                  paragraphs (p[@corresp]); the first such layer on a tie
  Named templates
    cg:date-order-ids as xs:string*               the ids of $cg:corpus in date order (called from Python)
  Modes: none.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="#all">

  <xsl:function name="cg:tei" as="element(tei:TEI)">
    <xsl:param name="tei" as="node()"/>
    <xsl:sequence select="($tei/self::tei:TEI, $tei/tei:TEI, root($tei)/tei:TEI)[1]"/>
  </xsl:function>

  <xsl:function name="cg:doc-id" as="xs:string" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:sequence select="string(cg:tei($tei)/@xml:id)"/>
  </xsl:function>

  <xsl:function name="cg:title" as="xs:string" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:sequence select="normalize-space(cg:tei($tei)/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[1])"/>
  </xsl:function>

  <xsl:function name="cg:when" as="xs:string?" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:variable name="header" select="cg:tei($tei)/tei:teiHeader"/>
    <xsl:sequence select="(
      $header/tei:profileDesc/tei:correspDesc/tei:correspAction[@type = 'sent']/tei:date/@when,
      $header/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:date/@when)[1] ! string()"/>
  </xsl:function>

  <xsl:function name="cg:date-order" as="document-node()*" visibility="public">
    <xsl:param name="docs" as="document-node()*"/>
    <xsl:perform-sort select="$docs">
      <xsl:sort select="empty(cg:to-date(cg:when(.)))"/>
      <xsl:sort select="cg:to-date(cg:when(.))"/>
      <xsl:sort select="cg:doc-id(.)"/>
    </xsl:perform-sort>
  </xsl:function>

  <xsl:template name="cg:date-order-ids" as="xs:string*" visibility="public">
    <xsl:sequence select="cg:date-order($cg:corpus) ! cg:doc-id(.)"/>
  </xsl:template>

  <xsl:function name="cg:correspondents" as="element()*" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="cg:tei($tei)/tei:teiHeader/tei:profileDesc/tei:correspDesc
      /tei:correspAction[@type = $type]/(tei:persName | tei:orgName)"/>
  </xsl:function>

  <xsl:function name="cg:summary" as="element()*" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:sequence select="cg:tei($tei)/tei:teiHeader/tei:profileDesc/tei:abstract/tei:p"/>
  </xsl:function>

  <xsl:function name="cg:translators" as="xs:string*" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:sequence select="cg:tei($tei)/tei:teiHeader/tei:fileDesc/tei:titleStmt
      /tei:respStmt[normalize-space(tei:resp) = 'translation']/(tei:persName | tei:name | tei:orgName)
      ! normalize-space()"/>
  </xsl:function>

  <xsl:function name="cg:archival-citations" as="xs:string*" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:for-each select="cg:tei($tei)/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msIdentifier">
      <xsl:variable name="parts" as="xs:string*">
        <xsl:sequence select="(tei:repository ! normalize-space())[. != '']"/>
        <xsl:for-each select="tei:idno">
          <xsl:variable name="abbr" select="cg:idno-abbreviation(@type, contains(., '-') or contains(., ','))"/>
          <xsl:sequence select="string-join(($abbr, normalize-space(.))[. != ''], ' ')"/>
        </xsl:for-each>
      </xsl:variable>
      <xsl:sequence select="string-join($parts, ', ')"/>
    </xsl:for-each>
  </xsl:function>

  <xsl:function name="cg:idno-abbreviation" as="xs:string">
    <xsl:param name="type" as="xs:string?"/>
    <xsl:param name="plural" as="xs:boolean"/>
    <xsl:sequence select="
      if ($type = 'fond') then 'f.' else if ($type = 'opis') then 'op.' else if ($type = 'delo') then 'd.'
      else if ($type = 'papka') then 'p.' else if ($type = 'list') then (if ($plural) then 'll.' else 'l.')
      else string($type)"/>
  </xsl:function>

  <xsl:function name="cg:archive-url" as="xs:string?" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:sequence select="(cg:tei($tei)/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:ptr/@target)[1]
      ! string()"/>
  </xsl:function>

  <xsl:function name="cg:classification" as="xs:string?" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:variable name="t" select="cg:tei($tei)"/>
    <xsl:variable name="target" select="substring-after(
      ($t/tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef/@target)[1], '#')"/>
    <xsl:sequence select="($t/tei:teiHeader/tei:encodingDesc/tei:classDecl//tei:category[@xml:id = $target]
      /tei:catDesc)[1] ! normalize-space()"/>
  </xsl:function>

  <xsl:function name="cg:layers" as="element(tei:div)*" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:sequence select="cg:tei($tei)/tei:text/tei:body/tei:div[@type = ('original', 'transcription', 'translation')]"/>
  </xsl:function>

  <xsl:function name="cg:layer-label" as="xs:string" visibility="public">
    <xsl:param name="div" as="element(tei:div)"/>
    <xsl:variable name="same" select="$div/../tei:div[@type = $div/@type]"/>
    <xsl:variable name="base" select="concat(upper-case(substring($div/@type, 1, 1)), substring($div/@type, 2))"/>
    <xsl:sequence select="
      if (count($same) gt 1) then $base || ', ' || (if ($div/@type = 'original') then 'copy ' else '')
        || ($div/@n, string(count($div/preceding-sibling::tei:div[@type = $div/@type]) + 1))[1]
      else $base"/>
  </xsl:function>

  <xsl:function name="cg:languages" as="xs:string*" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:sequence select="distinct-values(cg:layers($tei)/@xml:lang ! string())"/>
  </xsl:function>

  <xsl:function name="cg:language-name" as="xs:string" visibility="public">
    <xsl:param name="code" as="xs:string"/>
    <xsl:sequence select="
      if ($code = 'en') then 'English' else if ($code = 'ru') then 'Russian'
      else if ($code = 'ru-Latn') then 'Russian (transliterated)' else if (starts-with($code, 'zh')) then 'Chinese'
      else if ($code = 'ko') then 'Korean' else if ($code = 'ja') then 'Japanese' else $code"/>
  </xsl:function>

  <xsl:function name="cg:aligned-score" as="xs:integer">
    <xsl:param name="div" as="element(tei:div)"/>
    <xsl:sequence select="count($div//tei:p[@corresp])"/>
  </xsl:function>

  <xsl:function name="cg:best-layer" as="element(tei:div)?">
    <xsl:param name="divs" as="element(tei:div)*"/>
    <!-- each layer's paragraphs counted once, not once for the maximum and again to find it -->
    <xsl:variable name="scores" as="xs:integer*" select="$divs ! cg:aligned-score(.)"/>
    <xsl:sequence select="$divs[index-of($scores, max(($scores, 0)))[1]]"/>
  </xsl:function>

  <xsl:function name="cg:primary-original" as="element(tei:div)?" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:sequence select="cg:best-layer(cg:layers($tei)[@type = 'original'])"/>
  </xsl:function>

  <xsl:function name="cg:primary-translation" as="element(tei:div)?" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:sequence select="cg:best-layer(cg:layers($tei)[@type = 'translation'])"/>
  </xsl:function>
</xsl:stylesheet>
