<?xml version="1.0" encoding="UTF-8"?>
<!--
  html/charts.xsl — the index page's figures, drawn as inline SVG at build time (no script, no server):
  a timeline of the documents and the correspondence network (who wrote to whom; edge width and label =
  number of telegrams). Each figure has a text equivalent (the links and a table) for screen readers.
  Both are drawn in time linear in the number of documents (a 10,000-document edition has one figure each).

  Named templates
    html:timeline(docs as element(html:doc)*)   figure#timeline (docs: summaries in date order)
    html:network(docs as element(html:doc)*)    figure#network
  Modes: none.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cg="urn:cablegram:xslt"
  xmlns:html="urn:cablegram:xslt:html" xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:math="http://www.w3.org/2005/xpath-functions/math" xmlns:svg="http://www.w3.org/2000/svg"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">

  <xsl:variable name="html:chart-width" as="xs:double" select="760"/>

  <!-- timeline -->
  <xsl:template name="html:timeline">
    <xsl:param name="docs" as="element(html:doc)*"/>
    <xsl:variable name="dated" select="$docs[exists(cg:to-date(@when))]"/>
    <xsl:if test="$dated">
      <xsl:variable name="dates" as="xs:date*" select="$dated ! cg:to-date(@when)"/>
      <xsl:variable name="first" select="min($dates)"/>
      <xsl:variable name="last" select="max($dates)"/>
      <xsl:variable name="start" select="xs:date(format-date($first, '[Y0001]-[M01]-01'))"/>
      <xsl:variable name="end" select="xs:date(format-date($last, '[Y0001]-[M01]-01')) + xs:yearMonthDuration('P1M')"/>
      <xsl:variable name="days" select="($end - $start) div xs:dayTimeDuration('P1D')"/>
      <xsl:variable name="w" select="$html:chart-width"/>
      <xsl:variable name="x" select="function($d as xs:date) as xs:double {
        round(40 + (($d - $start) div xs:dayTimeDuration('P1D')) div $days * ($w - 80), 1) }"/>
      <xsl:variable name="months" select="(0 to 600)[$start + xs:yearMonthDuration('P1M') * . le $end]
        ! ($start + xs:yearMonthDuration('P1M') * .)"/>
      <xsl:variable name="step" select="if (count($months) le 13) then 1 else if (count($months) le 40) then 3 else 12"/>
      <!-- A document's circle sits above those of the same date with a smaller id. In date order the
           documents of one date are adjacent and sorted by id, so one pass counts them (equal ids share
           a place): no comparison of every document with every other. -->
      <xsl:variable name="places" as="map(xs:string, xs:integer)*">
        <xsl:iterate select="$dated">
          <xsl:param name="i" as="xs:integer" select="1"/>
          <xsl:param name="run" as="xs:integer" select="0"/>
          <xsl:param name="stack" as="xs:integer" select="0"/>
          <xsl:variable name="same-date" select="$i gt 1 and $dates[$i] = $dates[$i - 1]"/>
          <xsl:variable name="run-now" select="if ($same-date) then $run + 1 else 0"/>
          <xsl:variable name="stack-now" select="if ($same-date and string(@id) = string($dated[$i - 1]/@id))
            then $stack else $run-now"/>
          <xsl:sequence select="map{'run': $run-now, 'stack': $stack-now}"/>
          <xsl:next-iteration>
            <xsl:with-param name="i" select="$i + 1"/>
            <xsl:with-param name="run" select="$run-now"/>
            <xsl:with-param name="stack" select="$stack-now"/>
          </xsl:next-iteration>
        </xsl:iterate>
      </xsl:variable>
      <xsl:variable name="maxstack" select="max($places ! ?run) + 1"/>
      <xsl:variable name="h" select="70 + 16 * $maxstack"/>
      <figure class="chart timeline" id="timeline">
        <figcaption><h2>Timeline</h2></figcaption>
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {$w} {$h}" width="{$w}" height="{$h}"
          aria-labelledby="timeline-title" role="group">
          <title id="timeline-title">Timeline of the documents, <xsl:value-of
            select="cg:format-date(string($first)) || ' to ' || cg:format-date(string($last))"/></title>
          <line x1="40" x2="{$w - 40}" y1="{$h - 40}" y2="{$h - 40}" class="axis"/>
          <xsl:for-each select="$months">
            <xsl:variable name="tx" select="$x(.)"/>
            <line x1="{$tx}" x2="{$tx}" y1="{$h - 44}" y2="{$h - 36}" class="tick"/>
            <xsl:if test="(position() - 1) mod $step = 0 and . lt $end">
              <text x="{$tx}" y="{$h - 22}" class="tick-label">
                <xsl:value-of select="format-date(., '[MNn,*-3]', 'en', (), ())"/></text>
              <xsl:if test="position() = 1 or month-from-date(.) le $step">
                <text x="{$tx}" y="{$h - 8}" class="tick-label year"><xsl:value-of select="year-from-date(.)"/></text>
              </xsl:if>
            </xsl:if>
          </xsl:for-each>
          <xsl:for-each select="$dated">
            <xsl:variable name="i" select="position()"/>
            <a href="{@id}.html" aria-label="{@date || ': ' || @title}">
              <circle cx="{$x($dates[$i])}" cy="{$h - 52 - 16 * $places[$i]?stack}" r="6" class="event"/>
            </a>
          </xsl:for-each>
        </svg>
      </figure>
    </xsl:if>
  </xsl:template>

  <!-- network -->
  <xsl:function name="html:party-key" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:sequence select="(tokenize($name/@ref)[1], 'name:' || normalize-space($name))[1]"/>
  </xsl:function>

  <xsl:template name="html:network">
    <xsl:param name="docs" as="element(html:doc)*"/>
    <xsl:variable name="edges" as="map(*)*">
      <xsl:for-each select="$docs">
        <xsl:variable name="doc" select="."/>
        <xsl:for-each select="html:from">
          <xsl:variable name="from" select="."/>
          <xsl:for-each select="$doc/html:to">
            <xsl:sequence select="map{'from': html:party-key($from), 'to': html:party-key(.),
              'from-name': normalize-space($from), 'to-name': normalize-space(.), 'doc': string($doc/@id)}"/>
          </xsl:for-each>
        </xsl:for-each>
      </xsl:for-each>
    </xsl:variable>
    <xsl:if test="exists($edges)">
      <xsl:variable name="keys" select="distinct-values($edges ! (?from, ?to))"/>
      <xsl:variable name="n" select="count($keys)"/>
      <xsl:variable name="w" select="$html:chart-width"/>
      <xsl:variable name="h" select="420"/>
      <xsl:variable name="r" select="150"/>
      <!-- a party's label: its register entry's name, else the name it first has as a sender, else as a
           recipient (found once per party, not by searching every edge for each) -->
      <xsl:variable name="as-sender" as="map(xs:string, xs:string)">
        <xsl:map>
          <xsl:for-each-group select="$edges" group-by="?from">
            <xsl:map-entry key="current-grouping-key()" select="current-group()[1]?from-name"/>
          </xsl:for-each-group>
        </xsl:map>
      </xsl:variable>
      <xsl:variable name="as-recipient" as="map(xs:string, xs:string)">
        <xsl:map>
          <xsl:for-each-group select="$edges" group-by="?to">
            <xsl:map-entry key="current-grouping-key()" select="current-group()[1]?to-name"/>
          </xsl:for-each-group>
        </xsl:map>
      </xsl:variable>
      <xsl:variable name="label" as="map(xs:string, xs:string)" select="map:merge(for $k in $keys return map{$k:
        if (starts-with($k, 'name:')) then substring-after($k, 'name:')
        else cg:label($k, ($as-sender($k), $as-recipient($k))[1])})"/>
      <xsl:variable name="pos" select="map:merge(for $i in 1 to $n return map{$keys[$i]:
        (round($w div 2 + $r * 1.6 * math:cos(2 * math:pi() * ($i - 1) div $n - math:pi() div 2), 1),
         round($h div 2 + $r * math:sin(2 * math:pi() * ($i - 1) div $n - math:pi() div 2), 1))})"/>
      <figure class="chart network" id="network">
        <figcaption><h2>Correspondence network</h2>
          <p>Who wrote to whom; the width of an arrow and its number give the count of telegrams.</p></figcaption>
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {$w} {$h}" width="{$w}" height="{$h}"
          aria-labelledby="network-title" role="group">
          <title id="network-title">Correspondence network of the edition</title>
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6"
              orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"/></marker>
          </defs>
          <xsl:for-each-group select="$edges" group-by="?from || '&#9;' || ?to">
            <xsl:variable name="a" select="$pos(current-group()[1]?from)"/>
            <xsl:variable name="b" select="$pos(current-group()[1]?to)"/>
            <xsl:variable name="count" select="count(distinct-values(current-group() ! ?doc))"/>
            <!-- a curved edge, bent to the right of its direction, so that A→B and B→A stay apart;
                 it stops short of the target node's circle -->
            <xsl:variable name="dx" select="$b[1] - $a[1]"/>
            <xsl:variable name="dy" select="$b[2] - $a[2]"/>
            <xsl:variable name="len" select="max((math:sqrt($dx * $dx + $dy * $dy), 1))"/>
            <xsl:variable name="cx" select="round(($a[1] + $b[1]) div 2 - $dy div $len * 40, 1)"/>
            <xsl:variable name="cy" select="round(($a[2] + $b[2]) div 2 + $dx div $len * 40, 1)"/>
            <xsl:variable name="dist" select="max((math:sqrt(($b[1] - $cx) * ($b[1] - $cx) + ($b[2] - $cy) * ($b[2] - $cy)), 1))"/>
            <xsl:variable name="ex" select="round($b[1] - ($b[1] - $cx) * 18 div $dist, 1)"/>
            <xsl:variable name="ey" select="round($b[2] - ($b[2] - $cy) * 18 div $dist, 1)"/>
            <g class="edge">
              <path d="M {$a[1]} {$a[2]} Q {$cx} {$cy} {$ex} {$ey}" stroke-width="{1 + 2 * $count}"
                marker-end="url(#arrow)"/>
              <text x="{round(($a[1] + 2 * $cx + $b[1]) div 4, 1)}" y="{round(($a[2] + 2 * $cy + $b[2]) div 4, 1)}"
                class="edge-label"><xsl:value-of select="$count"/></text>
            </g>
          </xsl:for-each-group>
          <xsl:for-each select="$keys">
            <xsl:variable name="p" select="$pos(.)"/>
            <xsl:variable name="node" as="element()*">
              <circle cx="{$p[1]}" cy="{$p[2]}" r="14" class="node"/>
              <text x="{$p[1]}" y="{$p[2] + (if ($p[2] lt $h div 2) then -22 else 32)}" class="node-label">
                <xsl:value-of select="$label(.)"/></text>
            </xsl:variable>
            <xsl:choose>
              <xsl:when test="starts-with(., 'name:')"><g class="party"><xsl:sequence select="$node"/></g></xsl:when>
              <xsl:otherwise>
                <a href="{cg:register-of(.)}.html#{cg:entry-id(.)}" aria-label="{$label(.)}" class="party">
                  <xsl:sequence select="$node"/></a>
              </xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
        </svg>
        <details class="chart-data">
          <summary>The network as a table</summary>
          <table>
            <caption>Telegrams by sender and recipient</caption>
            <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Telegrams</th></tr></thead>
            <tbody>
              <xsl:for-each-group select="$edges" group-by="?from || '&#9;' || ?to">
                <tr>
                  <td><xsl:value-of select="$label(current-group()[1]?from)"/></td>
                  <td><xsl:value-of select="$label(current-group()[1]?to)"/></td>
                  <td><xsl:value-of select="count(distinct-values(current-group() ! ?doc))"/></td>
                </tr>
              </xsl:for-each-group>
            </tbody>
          </table>
        </details>
      </figure>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
