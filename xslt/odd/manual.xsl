<?xml version="1.0" encoding="UTF-8"?>
<!--
  The encoding manual: schema/cablegram.odd rendered as one HTML page (issue 3).
  Lists every element the edition uses (with TEI's own description, read from tei_all.rng), every closed value
  list with a gloss, a description and an example for each value, and the Schematron constraints.
  Run by cablegram.validate.manual with saxonche; parameter tei-all: the URI of schema/tei_all.rng.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:eg="http://www.tei-c.org/ns/Examples"
  xmlns:rng="http://relaxng.org/ns/structure/1.0"
  xmlns:a="http://relaxng.org/ns/compatibility/annotations/1.0"
  xmlns:sch="http://purl.oclc.org/dsdl/schematron"
  xmlns:cg="urn:cablegram:manual"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:mode name="prose" on-no-match="text-only-copy"/>
  <xsl:mode name="example" on-no-match="fail"/>
  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"/>

  <xsl:param name="tei-all" as="xs:string" required="yes"/>
  <xsl:variable name="tei" as="document-node()" select="doc($tei-all)"/>
  <xsl:key name="element-define" match="rng:define[rng:element/@name]" use="rng:element/@name"/>

  <xsl:variable name="spec" as="element(tei:schemaSpec)" select="(//tei:schemaSpec)[1]"/>

  <xsl:template match="/" as="node()*">
    <html lang="en">
      <head>
        <meta charset="UTF-8"/>
        <title>{/tei:TEI/tei:teiHeader//tei:titleStmt/tei:title}</title>
        <style>
          body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.45; padding: 0 1rem; }}
          table {{ border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }}
          th, td {{ border: 1px solid #ccc; padding: 0.3rem 0.5rem; vertical-align: top; text-align: left; }}
          code, pre {{ font-family: ui-monospace, monospace; font-size: 0.9em; }}
          pre {{ white-space: pre-wrap; margin: 0; }}
        </style>
      </head>
      <body>
        <h1>{/tei:TEI/tei:teiHeader//tei:titleStmt/tei:title}</h1>
        <p>Schema <code>{$spec/@ident}</code>, a customisation of TEI P5 ({$spec/@source}); start element
          <code>&lt;{$spec/@start}&gt;</code>.</p>
        <xsl:apply-templates select="//tei:body/tei:div[tei:head]" mode="prose"/>
        <xsl:call-template name="elements"/>
        <xsl:call-template name="values"/>
        <xsl:call-template name="constraints"/>
      </body>
    </html>
  </xsl:template>

  <!-- prose: the ODD's own divisions -->
  <xsl:template match="tei:div" mode="prose" as="element()">
    <section id="{@xml:id}">
      <xsl:apply-templates mode="prose"/>
    </section>
  </xsl:template>
  <xsl:template match="tei:div/tei:head" mode="prose" as="element()">
    <h2><xsl:apply-templates mode="prose"/></h2>
  </xsl:template>
  <xsl:template match="tei:p" mode="prose" as="element()">
    <p><xsl:apply-templates mode="prose"/></p>
  </xsl:template>
  <xsl:template match="tei:gi" mode="prose" as="element()">
    <code>&lt;<xsl:apply-templates mode="prose"/>&gt;</code>
  </xsl:template>
  <xsl:template match="tei:att" mode="prose" as="element()">
    <code>@<xsl:apply-templates mode="prose"/></code>
  </xsl:template>
  <xsl:template match="tei:ident | tei:code | tei:val" mode="prose" as="element()">
    <code><xsl:apply-templates mode="prose"/></code>
  </xsl:template>
  <xsl:template match="tei:schemaSpec" mode="prose" as="empty-sequence()"/>

  <!-- the elements, by module -->
  <xsl:template name="elements" as="element()">
    <section id="elements">
      <h2>Elements</h2>
      <p>{count($spec/tei:moduleRef/tokenize(@include))} elements from {count($spec/tei:moduleRef[@include])}
        TEI modules. Descriptions are TEI's.</p>
      <xsl:for-each select="$spec/tei:moduleRef[@include]">
        <h3>Module <code>{@key}</code></h3>
        <table>
          <thead><tr><th>Element</th><th>Description (TEI P5)</th></tr></thead>
          <tbody>
            <xsl:for-each select="sort(tokenize(@include))">
              <xsl:variable name="name" select="." as="xs:string"/>
              <tr id="el-{$name}" data-element="{$name}">
                <td><code>&lt;{$name}&gt;</code></td>
                <td>{key('element-define', $name, $tei)/rng:element/a:documentation[1]}</td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
      </xsl:for-each>
    </section>
  </xsl:template>

  <!-- the closed value lists -->
  <xsl:template name="values" as="element()">
    <section id="values">
      <h2>Closed value lists</h2>
      <xsl:for-each select="$spec/tei:elementSpec[tei:attList/tei:attDef/tei:valList[@type = 'closed']]">
        <xsl:variable name="element-spec" select="." as="element(tei:elementSpec)"/>
        <xsl:for-each select="tei:attList/tei:attDef[tei:valList[@type = 'closed']]">
          <h3 id="att-{$element-spec/@ident}-{@ident}"><code>&lt;{$element-spec/@ident}&gt;/@{@ident}</code></h3>
          <p><xsl:apply-templates select="tei:desc/node()" mode="prose"/></p>
          <table>
            <thead><tr><th>Value</th><th>Gloss</th><th>Use</th><th>Example</th></tr></thead>
            <tbody>
              <xsl:for-each select="tei:valList/tei:valItem">
                <xsl:variable name="ref" select="'#' || @xml:id" as="xs:string"/>
                <tr data-element="{$element-spec/@ident}" data-attribute="{../../@ident}" data-value="{@ident}">
                  <td><code>{@ident}</code></td>
                  <td>{tei:gloss}</td>
                  <td><xsl:apply-templates select="tei:desc/node()" mode="prose"/></td>
                  <td>
                    <xsl:for-each select="$element-spec/tei:exemplum[@corresp = $ref]/eg:egXML">
                      <xsl:variable name="source" as="xs:string*">
                        <xsl:apply-templates select="node()" mode="example"/>
                      </xsl:variable>
                      <pre><code>{string-join($source)}</code></pre>
                    </xsl:for-each>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:for-each>
      </xsl:for-each>
    </section>
  </xsl:template>

  <!-- examples: the egXML content shown as XML source -->
  <xsl:template match="*" mode="example" as="xs:string*">
    <xsl:sequence select="'&lt;' || local-name()"/>
    <xsl:for-each select="@*">
      <xsl:sequence select="' ' || name() || '=&quot;' || . || '&quot;'"/>
    </xsl:for-each>
    <xsl:choose>
      <xsl:when test="node()">
        <xsl:sequence select="'&gt;'"/>
        <xsl:apply-templates select="node()" mode="example"/>
        <xsl:sequence select="'&lt;/' || local-name() || '&gt;'"/>
      </xsl:when>
      <xsl:otherwise><xsl:sequence select="'/&gt;'"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="text()" mode="example" as="xs:string">
    <xsl:sequence select="string(.)"/>
  </xsl:template>

  <!-- the Schematron constraints -->
  <xsl:template name="constraints" as="element()">
    <section id="constraints">
      <h2>Constraints (Schematron)</h2>
      <table>
        <thead><tr><th>Rule</th><th>Applies to</th><th>Requirement</th></tr></thead>
        <tbody>
          <xsl:for-each select="$spec/tei:constraintSpec">
            <tr id="rule-{@ident}" data-rule="{@ident}">
              <td><code>{@ident}</code></td>
              <td><code>{tei:constraint/sch:rule/@context}</code></td>
              <td>{tei:desc}<xsl:if test="tei:constraint//sch:assert/@role = 'warning'"> (warning)</xsl:if></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </section>
  </xsl:template>
</xsl:stylesheet>
