<?xml version="1.0" encoding="UTF-8"?>
<!--
  common/names.xsl — names and the registers they point into. Output-neutral.

  A reference is the TEI's @ref, "persons.xml#stalin": the register file and the entry's xml:id.
  Functions
    cg:register-of($ref as xs:string) as xs:string       "persons" | "places" | "organisations" (file name sans .xml)
    cg:entry-id($ref as xs:string) as xs:string          "stalin"
    cg:entry($ref as xs:string) as element()?            the person/place/org element in $cg:registers
    cg:preferred-name($entry as element()) as xs:string  the first English form without @type (else the first form)
    cg:name-forms($entry as element()) as element()*     every persName/placeName/orgName of the entry
    cg:refs($node as node()) as xs:string*               the distinct register refs used under $node
    cg:label($ref as xs:string, $fallback as xs:string) as xs:string   preferred name, or $fallback
  Keys
    cg:entry   entries by xml:id;   cg:refs   name elements by each token of @ref
  Modes: none.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="#all">

  <xsl:key name="cg:entry" match="tei:person | tei:place | tei:org" use="@xml:id"/>
  <xsl:key name="cg:refs" match="tei:persName[@ref] | tei:placeName[@ref] | tei:orgName[@ref] | tei:repository[@ref]"
    use="tokenize(@ref)"/>

  <xsl:function name="cg:register-of" as="xs:string" visibility="public">
    <xsl:param name="ref" as="xs:string"/>
    <!-- string functions, not replace(): the index page alone calls this twice for every reference of every
         document, and the regex took a third of the rows' time -->
    <xsl:variable name="file" select="substring-before($ref, '#')"/>
    <xsl:sequence select="if (ends-with($file, '.xml')) then substring($file, 1, string-length($file) - 4) else $file"/>
  </xsl:function>

  <xsl:function name="cg:entry-id" as="xs:string" visibility="public">
    <xsl:param name="ref" as="xs:string"/>
    <xsl:sequence select="substring-after($ref, '#')"/>
  </xsl:function>

  <xsl:function name="cg:entry" as="element()?" visibility="public">
    <xsl:param name="ref" as="xs:string"/>
    <xsl:variable name="file" select="cg:register-of($ref)"/>
    <xsl:sequence select="($cg:registers[tei:TEI/@xml:id = $file] ! key('cg:entry', cg:entry-id($ref), .))[1]"/>
  </xsl:function>

  <xsl:function name="cg:name-forms" as="element()*" visibility="public">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="$entry/(tei:persName | tei:placeName | tei:orgName)"/>
  </xsl:function>

  <xsl:function name="cg:preferred-name" as="xs:string" visibility="public">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="forms" select="cg:name-forms($entry)"/>
    <xsl:sequence select="normalize-space(($forms[@xml:lang = 'en'][not(@type)], $forms)[1])"/>
  </xsl:function>

  <xsl:function name="cg:label" as="xs:string" visibility="public">
    <xsl:param name="ref" as="xs:string"/>
    <xsl:param name="fallback" as="xs:string"/>
    <xsl:variable name="entry" select="cg:entry($ref)"/>
    <xsl:sequence select="if ($entry) then cg:preferred-name($entry) else normalize-space($fallback)"/>
  </xsl:function>

  <xsl:function name="cg:refs" as="xs:string*" visibility="public">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="distinct-values($node//(tei:persName | tei:placeName | tei:orgName)/@ref ! tokenize(.))"/>
  </xsl:function>
</xsl:stylesheet>
