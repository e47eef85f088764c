<?xml version="1.0" encoding="UTF-8"?>
<!--
  common/editorial.xsl — the editorial phenomena of ENCODING.md §4 as text: brackets, the reasons of
  supplied, gaps, stamps, hands. Output-neutral: every output wraps these strings in its own markup.

  Functions
    cg:bracket-open($e as element()) as xs:string,  cg:bracket-close($e as element()) as xs:string
                                                    the brackets the edition prints around supplied/gap
                                                    (brackets are never stored in the TEI)
    cg:supplied-note($s as element(tei:supplied)) as xs:string
                                                    "Supplied by the archive (identification): names the referent …"
    cg:gap-text($g as element(tei:gap)) as xs:string   "..." or "signature" (without brackets)
    cg:gap-note($g as element(tei:gap)) as xs:string   what the gap stands for, in words
    cg:stamp-note($s as element(tei:stamp)) as xs:string  "Stamp (return), 15 July 1951"
    cg:resp-label($resp as xs:string?) as xs:string "the archive" | "this edition"
  Modes: none.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="#all">

  <xsl:function name="cg:bracket-open" as="xs:string" visibility="public">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="'['"/>
  </xsl:function>

  <xsl:function name="cg:bracket-close" as="xs:string" visibility="public">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="']'"/>
  </xsl:function>

  <xsl:function name="cg:resp-label" as="xs:string" visibility="public">
    <xsl:param name="resp" as="xs:string?"/>
    <xsl:sequence select="if ($resp = '#edition') then 'this edition' else if ($resp = '#archive') then 'the archive'
      else if ($resp) then $resp else 'the editors'"/>
  </xsl:function>

  <xsl:function name="cg:reason-description" as="xs:string">
    <xsl:param name="reason" as="xs:string?"/>
    <xsl:sequence select="
      if ($reason = 'identification') then 'names the referent behind another name'
      else if ($reason = 'normalization') then 'the same word, number or date in a regular form'
      else if ($reason = 'gloss') then 'explains a term or abbreviation'
      else if ($reason = 'omitted') then 'text missing from the document, restored'
      else if ($reason = 'context') then 'information from outside the text'
      else if ($reason = 'source-term') then 'the original wording, transliterated'
      else 'editorial insertion'"/>
  </xsl:function>

  <xsl:function name="cg:supplied-note" as="xs:string" visibility="public">
    <xsl:param name="s" as="element(tei:supplied)"/>
    <xsl:sequence select="'Supplied by ' || cg:resp-label($s/@resp) || ' (' || ($s/@reason, 'unspecified')[1]
      || '): ' || cg:reason-description($s/@reason)"/>
  </xsl:function>

  <xsl:function name="cg:gap-text" as="xs:string" visibility="public">
    <xsl:param name="g" as="element(tei:gap)"/>
    <xsl:sequence select="if ($g/@reason = 'signature') then 'signature' else '...'"/>
  </xsl:function>

  <xsl:function name="cg:gap-note" as="xs:string" visibility="public">
    <xsl:param name="g" as="element(tei:gap)"/>
    <xsl:sequence select="if ($g/@reason = 'signature') then 'Signature not transcribed'
      else if ($g/@reason = 'editorial') then 'Omitted by the archive''s editors'
      else 'Gap' || ($g/@reason ! (' (' || . || ')'))"/>
  </xsl:function>

  <xsl:function name="cg:stamp-note" as="xs:string" visibility="public">
    <xsl:param name="s" as="element(tei:stamp)"/>
    <xsl:sequence select="string-join(('Stamp' || ($s/@type ! (' (' || . || ')')),
      $s/@when ! cg:format-date(.)), ', ')"/>
  </xsl:function>
</xsl:stylesheet>
