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

  <!-- format-date() costs some 17 µs a call (it parses its picture each time); spelled out, the common forms
       (YYYY-MM-DD, YYYY-MM of years 1 to 9999) cost 1 µs and give the same strings. -->
  <xsl:variable name="cg:month-names" as="xs:string+" select="('January', 'February', 'March', 'April', 'May',
    'June', 'July', 'August', 'September', 'October', 'November', 'December')"/>

  <xsl:function name="cg:format-date" as="xs:string" visibility="public">
    <xsl:param name="when" as="xs:string?"/>
    <xsl:choose>
      <xsl:when test="empty($when)"><xsl:sequence select="''"/></xsl:when>
      <xsl:when test="$when castable as xs:date">
        <xsl:variable name="date" select="xs:date($when)"/>
        <xsl:sequence select="if (string-length($when) eq 10 and year-from-date($date) ge 1)
          then day-from-date($date) || ' ' || $cg:month-names[month-from-date($date)] || ' ' || year-from-date($date)
          else format-date($date, '[D] [MNn] [Y]', 'en', (), ())"/>
      </xsl:when>
      <xsl:when test="$when castable as xs:gYearMonth">
        <xsl:variable name="date" select="xs:date($when || '-01')"/>
        <xsl:sequence select="if (string-length($when) eq 7 and year-from-date($date) ge 1)
          then $cg:month-names[month-from-date($date)] || ' ' || year-from-date($date)
          else format-date($date, '[MNn] [Y]', 'en', (), ())"/>
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
