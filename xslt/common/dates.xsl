<?xml version="1.0" encoding="UTF-8"?>
<!--
  common/dates.xsl — dates as the edition displays and sorts them. Output-neutral (strings only).

  Functions
    cg:format-date($when as xs:string?) as xs:string   "1950-05-14" → "14 May 1950"; "1950-05" → "May 1950";
                                                        "1950" → "1950"; anything else is returned unchanged
    cg:to-date($when as xs:string?) as xs:date?        the first day of the period @when names (for timelines)
    cg:year($when as xs:string?) as xs:string?          the four-digit year, if any
  Modes: none.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  exclude-result-prefixes="#all">

  <xsl:function name="cg:format-date" as="xs:string" visibility="public">
    <xsl:param name="when" as="xs:string?"/>
    <xsl:choose>
      <xsl:when test="empty($when)"><xsl:sequence select="''"/></xsl:when>
      <xsl:when test="$when castable as xs:date">
        <xsl:sequence select="format-date(xs:date($when), '[D] [MNn] [Y]', 'en', (), ())"/>
      </xsl:when>
      <xsl:when test="$when castable as xs:gYearMonth">
        <xsl:sequence select="format-date(xs:date($when || '-01'), '[MNn] [Y]', 'en', (), ())"/>
      </xsl:when>
      <xsl:otherwise><xsl:sequence select="$when"/></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="cg:to-date" as="xs:date?" visibility="public">
    <xsl:param name="when" as="xs:string?"/>
    <xsl:sequence select="
      if ($when castable as xs:date) then xs:date($when)
      else if ($when castable as xs:gYearMonth) then xs:date($when || '-01')
      else if ($when castable as xs:gYear) then xs:date($when || '-01-01')
      else ()"/>
  </xsl:function>

  <xsl:function name="cg:year" as="xs:string?" visibility="public">
    <xsl:param name="when" as="xs:string?"/>
    <xsl:sequence select="if (matches(string($when), '^\d{4}')) then substring($when, 1, 4) else ()"/>
  </xsl:function>
</xsl:stylesheet>
