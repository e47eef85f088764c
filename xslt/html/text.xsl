<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/text.xsl — the rendering of the TEI text as HTML: a table of behaviours, one template per element
  family, with an explicit fallback. Every HTML element made from a TEI element keeps its origin
  (data-tei="supplied", id from xml:id, lang from xml:lang) so that tests can trace it back.

  Modes
    html:text      TEI body content → HTML. The two views share one DOM: CSS shows one of them according to
                   the ancestor's data-view="reading|diplomatic" (see assets/site.css):
                     .dipl-only   shown only in the diplomatic view (sic, OCR residue, line breaks)
                     .read-only   shown only in the reading view (corr)
                   Elements with a note (supplied, gap, stamp, choice) carry it in data-tip, shown on hover
                   and keyboard focus (tabindex="0").
  Named templates
    html:origin    the attributes that keep an element's origin: data-tei, id, lang
  Phenomena (ENCODING.md §4): supplied, gap, stamp, hi[@rend=handwritten|spaced], del, choice/sic/corr,
  persName/placeName/orgName, date, pb, fw, ab[@type=ocr-residue], seg[@type], foreign, lb, list.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:html="urn:cablegram:xslt:html" xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">

  <xsl:mode name="html:text" on-no-match="fail"/>

  <!-- TEI elements that hold blocks: rendered as div, never inside an HTML p. -->
  <xsl:variable name="html:blocks" as="xs:string*"
    select="('list', 'floatingText', 'table', 'p', 'ab', 'div', 'opener', 'closer', 'lg')"/>

  <!-- keyboard focus shows the note (data-tip) of an element; not inside a link, which is focusable itself
       (and HTML forbids focusable descendants of a) -->
  <xsl:template name="html:focusable">
    <xsl:param name="tei" as="element()" select="."/>
    <xsl:if test="not($tei/ancestor::*[@ref][self::tei:persName or self::tei:placeName or self::tei:orgName])">
      <xsl:attribute name="tabindex" select="0"/>
    </xsl:if>
  </xsl:template>

  <xsl:template name="html:origin">
    <xsl:param name="tei" as="element()" select="."/>
    <xsl:attribute name="data-tei" select="local-name($tei)"/>
    <xsl:if test="$tei/@type"><xsl:attribute name="data-type" select="$tei/@type"/></xsl:if>
    <xsl:if test="$tei/@xml:id"><xsl:attribute name="id" select="$tei/@xml:id"/></xsl:if>
    <xsl:if test="$tei/@xml:lang"><xsl:attribute name="lang" select="$tei/@xml:lang"/></xsl:if>
  </xsl:template>

  <!-- text -->
  <xsl:template match="text()" mode="html:text"><xsl:value-of select="."/></xsl:template>
  <xsl:template match="comment() | processing-instruction()" mode="html:text"/>

  <!-- blocks: ab, div, floatingText, opener/closer and their parts -->
  <xsl:template match="tei:ab" mode="html:text">
    <div class="ab {@type}"><xsl:call-template name="html:origin"/><xsl:apply-templates mode="#current"/></div>
  </xsl:template>

  <xsl:template match="tei:ab[@type = 'ocr-residue']" mode="html:text" priority="2">
    <pre class="ocr-residue dipl-only" data-pagefind-ignore="all" tabindex="0"><xsl:call-template name="html:origin"/>
      <xsl:apply-templates mode="#current"/></pre>
  </xsl:template>

  <xsl:template match="tei:div | tei:opener | tei:closer | tei:address | tei:addrLine | tei:salute | tei:signed
    | tei:dateline | tei:head" mode="html:text">
    <div class="{string-join((local-name(), @type), ' ')}"><xsl:call-template name="html:origin"/>
      <xsl:apply-templates mode="#current"/></div>
  </xsl:template>

  <xsl:template match="tei:floatingText" mode="html:text">
    <blockquote class="floatingText"><xsl:call-template name="html:origin"/>
      <xsl:apply-templates select="tei:body/node()" mode="#current"/></blockquote>
  </xsl:template>

  <xsl:template match="tei:p" mode="html:text">
    <xsl:element name="{if (.//*[local-name() = $html:blocks]) then 'div' else 'p'}">
      <xsl:attribute name="class" select="'p'"/>
      <xsl:call-template name="html:origin"/>
      <xsl:if test="@corresp">
        <xsl:attribute name="data-corresp" select="tokenize(@corresp) ! substring-after(., '#')"/>
      </xsl:if>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <!-- lists (distribution lists and others): head outside the ul -->
  <xsl:template match="tei:list" mode="html:text">
    <div class="list {@type}"><xsl:call-template name="html:origin"/>
      <xsl:apply-templates select="tei:head" mode="#current"/>
      <ul><xsl:apply-templates select="node() except tei:head" mode="#current"/></ul>
    </div>
  </xsl:template>
  <xsl:template match="tei:list/text()[not(normalize-space())]" mode="html:text"/>
  <xsl:template match="tei:item" mode="html:text">
    <li><xsl:call-template name="html:origin"/><xsl:apply-templates mode="#current"/></li>
  </xsl:template>

  <!-- line, page and folio marks -->
  <xsl:template match="tei:lb" mode="html:text">
    <span class="lb" data-tei="lb"><xsl:text> </xsl:text><br class="dipl-only"/></span>
  </xsl:template>

  <xsl:template match="tei:pb | tei:fw" mode="html:text">
    <xsl:variable name="label" select="if (self::tei:pb) then 'p. ' || @n else 'fol. ' || normalize-space()"/>
    <xsl:element name="{if (ancestor::tei:p or ancestor::tei:ab or parent::tei:signed) then 'span' else 'div'}">
      <xsl:attribute name="class" select="'margin ' || local-name()"/>
      <xsl:call-template name="html:origin"/>
      <xsl:if test="@n"><xsl:attribute name="data-n" select="@n"/></xsl:if>
      <xsl:attribute name="data-pagefind-ignore" select="'all'"/>
      <xsl:choose>
        <xsl:when test="self::tei:pb"><xsl:value-of select="$label"/></xsl:when>
        <xsl:otherwise><span class="gen">fol. </span><xsl:apply-templates mode="#current"/></xsl:otherwise>
      </xsl:choose>
    </xsl:element>
  </xsl:template>

  <!-- editorial interventions -->
  <xsl:template match="tei:supplied" mode="html:text">
    <span class="supplied" data-reason="{@reason}" data-resp="{@resp}" data-tip="{cg:supplied-note(.)}">
      <xsl:call-template name="html:origin"/><xsl:call-template name="html:focusable"/>
      <span class="gen"><xsl:value-of select="cg:bracket-open(.)"/></span>
      <xsl:apply-templates mode="#current"/>
      <span class="gen"><xsl:value-of select="cg:bracket-close(.)"/></span>
    </span>
  </xsl:template>

  <xsl:template match="tei:gap" mode="html:text">
    <span class="gap" data-reason="{@reason}" data-tip="{cg:gap-note(.)}">
      <xsl:call-template name="html:origin"/><xsl:call-template name="html:focusable"/>
      <xsl:value-of select="cg:bracket-open(.) || cg:gap-text(.) || cg:bracket-close(.)"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:choice[tei:sic and tei:corr] | tei:choice[tei:orig and tei:reg]
    | tei:choice[tei:abbr and tei:expan]" mode="html:text">
    <xsl:variable name="source" select="(tei:sic, tei:orig, tei:abbr)[1]"/>
    <xsl:variable name="edited" select="(tei:corr, tei:reg, tei:expan)[1]"/>
    <span class="choice"><xsl:call-template name="html:origin"/>
      <span class="{local-name($source)} dipl-only"
        data-tip="{'Corrected by ' || cg:resp-label($edited/@resp) || ': ' || cg:plain($edited)}">
        <xsl:call-template name="html:origin"><xsl:with-param name="tei" select="$source"/></xsl:call-template>
        <xsl:call-template name="html:focusable"/>
        <xsl:apply-templates select="$source/node()" mode="#current"/>
      </span>
      <span class="{local-name($edited)} read-only"
        data-tip="{'In the source: ' || cg:plain($source/node())}">
        <xsl:call-template name="html:origin"><xsl:with-param name="tei" select="$edited"/></xsl:call-template>
        <xsl:call-template name="html:focusable"/>
        <xsl:apply-templates select="$edited/node()" mode="#current"/>
      </span>
    </span>
  </xsl:template>

  <xsl:template match="tei:choice" mode="html:text">
    <span class="choice"><xsl:call-template name="html:origin"/>
      <xsl:apply-templates select="*[1]/node()" mode="#current"/></span>
  </xsl:template>

  <xsl:template match="tei:sic | tei:corr | tei:reg | tei:orig | tei:abbr | tei:expan" mode="html:text">
    <span class="{local-name()}"><xsl:call-template name="html:origin"/><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <xsl:template match="tei:del" mode="html:text">
    <del class="del {@rend}"><xsl:call-template name="html:origin"/><xsl:apply-templates mode="#current"/></del>
  </xsl:template>

  <xsl:template match="tei:add" mode="html:text">
    <ins class="add"><xsl:call-template name="html:origin"/><xsl:apply-templates mode="#current"/></ins>
  </xsl:template>

  <!-- the physical document: stamps, hands, spacing -->
  <xsl:template match="tei:stamp" mode="html:text">
    <span class="stamp" data-stamp="{@type}" data-tip="{cg:stamp-note(.)}">
      <xsl:call-template name="html:origin"/><xsl:call-template name="html:focusable"/><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <xsl:template match="tei:hi" mode="html:text">
    <span class="hi {@rend}" data-rend="{@rend}"><xsl:call-template name="html:origin"/>
      <xsl:if test="@rend = 'handwritten'"><xsl:attribute name="data-tip" select="'Handwritten'"/></xsl:if>
      <xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <xsl:template match="tei:seg" mode="html:text">
    <span class="seg {@type}"><xsl:call-template name="html:origin"/>
      <xsl:if test="@ana"><xsl:attribute name="data-ana" select="tokenize(@ana) ! substring-after(., '#')"/></xsl:if>
      <xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <xsl:template match="tei:foreign | tei:term | tei:label | tei:idno | tei:name | tei:num | tei:measure | tei:q
    | tei:quote | tei:title" mode="html:text">
    <span class="{local-name()}"><xsl:call-template name="html:origin"/><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <!-- names: linked to their register entry -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName" mode="html:text">
    <xsl:variable name="ref" select="tokenize(@ref)[1]"/>
    <xsl:choose>
      <xsl:when test="$ref and not(ancestor::tei:*[@ref][self::tei:persName or self::tei:placeName
        or self::tei:orgName])">
        <a class="name {local-name()}" href="{cg:register-of($ref)}.html#{cg:entry-id($ref)}" data-ref="{$ref}">
          <xsl:call-template name="html:origin"/><xsl:apply-templates mode="#current"/></a>
      </xsl:when>
      <xsl:otherwise>
        <span class="name {local-name()}"><xsl:call-template name="html:origin"/>
          <xsl:apply-templates mode="#current"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- dates: the source's form, the ISO value machine-readable -->
  <xsl:template match="tei:date" mode="html:text">
    <xsl:choose>
      <xsl:when test="matches(@when, '^\d{4}(-\d{2}(-\d{2})?)?$')">
        <time class="date" datetime="{@when}"><xsl:call-template name="html:origin"/>
          <xsl:apply-templates mode="#current"/></time>
      </xsl:when>
      <xsl:otherwise>
        <span class="date"><xsl:call-template name="html:origin"/><xsl:apply-templates mode="#current"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the fallback: anything without a behaviour keeps its content and origin, and is reported -->
  <xsl:template match="tei:*" mode="html:text" priority="-1">
    <xsl:message select="'cablegram-warning: no HTML behaviour for TEI element ' || name() || '; rendered as span'"/>
    <span class="tei-{local-name()}"><xsl:call-template name="html:origin"/><xsl:apply-templates mode="#current"/></span>
  </xsl:template>
</xsl:stylesheet>
