<?xml version="1.0" encoding="UTF-8"?>
<!--
  common/citation.xsl — how to cite a document of the edition. Output-neutral (plain strings).

  Functions
    cg:stable-url($tei) as xs:string            $cg:base-url || id || '.html' (the web edition's page)
    cg:chicago($tei) as xs:string               Chicago notes-bibliography style, plain text
    cg:bibtex($tei) as xs:string                a BibTeX @misc entry, special characters escaped
    cg:bibtex-escape($s as xs:string) as xs:string
  Modes: none.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="#all">

  <xsl:function name="cg:stable-url" as="xs:string" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:sequence select="$cg:base-url || (if ($cg:base-url and not(ends-with($cg:base-url, '/'))) then '/' else '')
      || cg:doc-id($tei) || '.html'"/>
  </xsl:function>

  <xsl:function name="cg:editors-phrase" as="xs:string">
    <xsl:variable name="n" select="count($cg:edition-editors)"/>
    <xsl:sequence select="if ($n le 1) then string($cg:edition-editors[1])
      else string-join($cg:edition-editors[position() lt $n], ', ') || ' and ' || $cg:edition-editors[$n]"/>
  </xsl:function>

  <xsl:function name="cg:chicago" as="xs:string" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:variable name="when" select="cg:format-date(cg:when($tei))"/>
    <xsl:sequence select="string-join((
      '“' || cg:title($tei) || ',”' || ($when[. != ''] ! (' ' || .)) || '.',
      'In ' || $cg:edition-title || (if (exists($cg:edition-editors)) then ', edited by ' || cg:editors-phrase() else '')
        || ', version ' || $cg:version || '.',
      ($cg:edition-publisher[. != ''] ! (. || '.')),
      cg:stable-url($tei) || '.'), ' ')"/>
  </xsl:function>

  <xsl:function name="cg:bibtex-escape" as="xs:string" visibility="public">
    <xsl:param name="s" as="xs:string"/>
    <!-- most values need no escape: one translate() finds that out, where the four replace() cost 20 µs -->
    <xsl:sequence select="if (translate($s, '\{}&amp;%$#_~^', '') eq $s) then $s else cg:bibtex-escaped($s)"/>
  </xsl:function>

  <xsl:function name="cg:bibtex-escaped" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="s1" select="replace($s, '\\', '\\textbackslash ')"/>
    <xsl:variable name="s2" select="replace($s1, '([{}&amp;%$#_])', '\\$1')"/>
    <xsl:sequence select="replace(replace($s2, '~', '\\textasciitilde{}'), '\^', '\\textasciicircum{}')"/>
  </xsl:function>

  <xsl:function name="cg:bibtex" as="xs:string" visibility="public">
    <xsl:param name="tei" as="node()"/>
    <xsl:variable name="when" select="cg:when($tei)"/>
    <xsl:variable name="fields" as="xs:string*">
      <xsl:sequence select="'title = {' || cg:bibtex-escape(cg:title($tei)) || '}'"/>
      <xsl:sequence select="$when ! ('date = {' || cg:bibtex-escape(.) || '}')"/>
      <xsl:sequence select="cg:year($when) ! ('year = {' || . || '}')"/>
      <xsl:sequence select="'booktitle = {' || cg:bibtex-escape($cg:edition-title) || '}'"/>
      <xsl:sequence select="if (exists($cg:edition-editors))
        then 'editor = {' || cg:bibtex-escape(string-join($cg:edition-editors, ' and ')) || '}' else ()"/>
      <xsl:sequence select="$cg:edition-publisher[. != ''] ! ('publisher = {' || cg:bibtex-escape(.) || '}')"/>
      <xsl:sequence select="'version = {' || cg:bibtex-escape($cg:version) || '}'"/>
      <xsl:sequence select="'url = {' || cg:stable-url($tei) || '}'"/>
    </xsl:variable>
    <xsl:sequence select="'@misc{' || replace(cg:doc-id($tei), '[^A-Za-z0-9:_-]', '') || ',&#10;  '
      || string-join($fields, ',&#10;  ') || '&#10;}'"/>
  </xsl:function>
</xsl:stylesheet>
