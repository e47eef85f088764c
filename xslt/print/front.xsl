<?xml version="1.0" encoding="UTF-8"?>
<!--
  print/front.xsl — the volume's front matter: title page, editorial introduction, table of contents.
  The introduction is generated: the edition's description (edition.toml), the editorial principles as
  the documents' headers state them (encodingDesc/editorialDecl, each paragraph once), the ODD's own account
  of the encoding, the conventions of this print rendering, and the corpus in figures.

  Parameters
    $print:odd as document-node()?   schema/cablegram.odd (its div xml:id="intro")
  Named templates
    print:title-page($docs, $label)   section.title-page
    print:introduction($docs)         section.introduction#introduction
    print:contents($docs)             nav.contents#contents: target-counter() gives the page numbers
  Functions
    print:statistics($docs as document-node()*) as element()*   the rows of the figures table
  Modes: none.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:html="urn:cablegram:xslt:html" xmlns:print="urn:cablegram:xslt:print" xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">

  <xsl:param name="print:odd" as="document-node()?" select="()"/>

  <xsl:template name="print:title-page">
    <xsl:param name="docs" as="document-node()*"/>
    <xsl:param name="label" as="xs:string" select="''"/>
    <xsl:variable name="dates" select="$docs ! cg:when(.) ! cg:to-date(.)"/>
    <section class="title-page" id="title-page">
      <h1 class="volume-title"><xsl:value-of select="$cg:edition-title"/></h1>
      <xsl:if test="$label"><p class="volume-label"><xsl:value-of select="$label"/></p></xsl:if>
      <p class="volume-scope">
        <xsl:value-of select="count($docs) || (if (count($docs) = 1) then ' document' else ' documents')"/>
        <xsl:if test="exists($dates)">
          <xsl:value-of select="', ' || cg:format-date(string(min($dates))) || ' – ' || cg:format-date(string(max($dates)))"/>
        </xsl:if>
      </p>
      <xsl:if test="exists($cg:edition-editors)">
        <p class="volume-editors">Edited by <xsl:value-of select="cg:editors-phrase()"/></p>
      </xsl:if>
      <div class="imprint">
        <xsl:if test="$cg:edition-publisher"><p><xsl:value-of select="$cg:edition-publisher"/></p></xsl:if>
        <p><xsl:value-of select="string-join(('Version ' || $cg:version, $cg:build-date[. != '']), ', ')"/></p>
        <xsl:if test="$cg:licence"><p>Licence: <xsl:value-of select="$cg:licence"/>
          <xsl:if test="$cg:licence-url"><xsl:value-of select="' (' || $cg:licence-url || ')'"/></xsl:if></p></xsl:if>
        <xsl:if test="$cg:base-url"><p>Web edition: <xsl:value-of select="$cg:base-url"/></p></xsl:if>
      </div>
    </section>
  </xsl:template>

  <xsl:template name="print:introduction">
    <xsl:param name="docs" as="document-node()*"/>
    <section class="introduction front" id="introduction">
      <h1 class="front-title">Editorial introduction</h1>
      <xsl:if test="$cg:edition-description"><p><xsl:value-of select="$cg:edition-description"/></p></xsl:if>

      <h2>Editorial principles</h2>
      <xsl:for-each-group select="$cg:corpus/tei:TEI/tei:teiHeader/tei:encodingDesc/tei:editorialDecl/tei:p"
        group-by="normalize-space()">
        <p class="principle"><xsl:apply-templates select="current-group()[1]/node()" mode="html:text"/></p>
      </xsl:for-each-group>

      <xsl:variable name="odd-intro" select="$print:odd/tei:TEI/tei:text/tei:body/tei:div[@xml:id = 'intro']/tei:p"/>
      <xsl:if test="$odd-intro">
        <h2>The encoding</h2>
        <xsl:for-each select="$odd-intro">
          <p class="odd"><xsl:apply-templates mode="html:text"/></p>
        </xsl:for-each>
      </xsl:if>

      <h2>Reading this edition</h2>
      <p>Each document opens on a new page with its header: date, sender and recipient, the archival
        citation, the classification and the archive's summary. The layers of the archive page follow one
        another: the diplomatic transcription of the original, its English translation, then any further
        copy or transcription. Paragraphs that correspond across layers carry the same number in the margin
        (¶ 1, ¶ 2 …), so that a translation can be read against its original.</p>
      <p>Square brackets enclose the insertions of the archive's editors and translators — <span
        class="sample supplied">[Stalin]</span>; the footnote gives the reason (identification,
        normalization, gloss, omission, context, source term). Transliterated source terms are in italics.
        <span class="sample gap">[...]</span> marks an omission by the archive's editors, [signature] a
        signature that was not transcribed. Where the text recognition of the scan misread a word and the
        reading is certain, the corrected form is printed and the footnote gives the source's reading.
        Stamps are boxed: <span class="sample stamp">ПОДЛЕЖИТ ВОЗВРАТУ</span>; handwriting is in
        <span class="sample handwritten">italics</span>; words the typist spaced out are letter-spaced:
        <span class="sample spaced">ПЕКИН</span>; struck-through text is <span class="sample del">struck
        through</span>. Folio numbers of the archival copy are given in the margin as “fol.”. Text
        recognition residue that cannot be read as text (scrambled tables) is reproduced verbatim in a
        small monospaced face. Footnotes are numbered per document.</p>

      <h2>The documents in figures</h2>
      <table class="figures">
        <tbody><xsl:sequence select="print:statistics($docs)"/></tbody>
      </table>
    </section>
  </xsl:template>

  <xsl:function name="print:row" as="element()">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="value" as="xs:string"/>
    <tr><th scope="row"><xsl:value-of select="$label"/></th><td><xsl:value-of select="$value"/></td></tr>
  </xsl:function>

  <xsl:function name="print:statistics" as="element()*" visibility="public">
    <xsl:param name="docs" as="document-node()*"/>
    <xsl:variable name="dates" select="$docs ! cg:when(.) ! cg:to-date(.)"/>
    <xsl:variable name="layers" select="$docs ! cg:layers(.)"/>
    <xsl:variable name="text" select="$layers"/>
    <xsl:sequence select="print:row('Documents', string(count($docs)))"/>
    <xsl:if test="exists($dates)">
      <xsl:sequence select="print:row('Dates', cg:format-date(string(min($dates))) || ' – ' || cg:format-date(string(max($dates))))"/>
    </xsl:if>
    <xsl:sequence select="print:row('Layers', string-join(
      for $key in distinct-values($layers ! (@type || ' ' || @xml:lang))
      return (let $these := $layers[@type || ' ' || @xml:lang = $key]
              return cg:layer-label($these[1]) ! replace(., ', copy \d+$', '') || ' ('
                || cg:language-name($these[1]/@xml:lang) || '): ' || count($these)), '; '))"/>
    <xsl:sequence select="print:row('Words', string-join(
      for $lang in distinct-values($layers/@xml:lang)
      return cg:language-name($lang) || ': '
        || format-integer(sum($layers[@xml:lang = $lang] ! count(tokenize(cg:plain(.)))), '#,##0'), '; '))"/>
    <xsl:variable name="supplied" select="$text//tei:supplied"/>
    <xsl:sequence select="print:row('Insertions of the archive', count($supplied) || (if ($supplied) then ' (' ||
      string-join(for $r in distinct-values($supplied/@reason) return $r || ' ' || count($supplied[@reason = $r]), ', ')
      || ')' else ''))"/>
    <xsl:sequence select="print:row('Readings corrected by this edition', string(count($text//tei:choice[tei:corr])))"/>
    <xsl:sequence select="print:row('Omissions and untranscribed signatures', string(count($text//tei:gap)))"/>
    <xsl:sequence select="print:row('Stamps', string(count($text//tei:stamp)))"/>
    <xsl:sequence select="print:row('Handwritten passages', string(count($text//tei:hi[@rend = 'handwritten'])))"/>
    <xsl:for-each select="('persons', 'places', 'organisations')">
      <xsl:variable name="register" select="."/>
      <xsl:variable name="refs" select="distinct-values($docs ! cg:refs(tei:TEI)[cg:register-of(.) = $register])"/>
      <xsl:sequence select="print:row(upper-case(substring($register, 1, 1)) || substring($register, 2) || ' named',
        string(count($refs)))"/>
    </xsl:for-each>
  </xsl:function>

  <xsl:template name="print:contents">
    <xsl:param name="docs" as="document-node()*"/>
    <xsl:param name="index" as="xs:boolean" select="true()"/>
    <nav class="contents front" id="contents">
      <h1 class="front-title">Contents</h1>
      <ol class="toc">
        <li class="toc-front"><a href="#introduction">Editorial introduction</a></li>
        <xsl:for-each select="$docs">
          <li class="toc-doc">
            <a href="#{cg:doc-id(.)}">
              <span class="toc-n"><xsl:value-of select="position()"/></span>
              <span class="toc-short"><xsl:value-of select="print:short-title(.)"/></span>
            </a>
            <span class="toc-title"><xsl:value-of select="cg:title(.)"/></span>
          </li>
        </xsl:for-each>
        <xsl:if test="$index"><li class="toc-front"><a href="#index">Index of persons and places</a></li></xsl:if>
      </ol>
    </nav>
  </xsl:template>
</xsl:stylesheet>
