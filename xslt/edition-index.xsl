<?xml version="1.0" encoding="UTF-8"?>
<!--
  edition-index.xsl: the index page of an edition, from its teiCorpus (corpus.xml, as written by
  `teikit render` with the index option).

  Lists every TEI member by creation date (profileDesc/creation/date/@when; undated documents
  last), with its title, date, summary (abstract) and links to the reading page (NAME.html, when
  it exists) and the TEI file (NAME.xml, from the member's @source).

  Imports tei-to-html.xsl for its CSS and its inline rendering (dates, titles, …), so the index
  and the document pages look alike. Same output rules: XHTML-compatible HTML5, no external
  resources.

  Parameters:
    pages  space-separated xml:ids of the members whose NAME.html exists (set by teikit);
           members not listed get no link to a page.
    title  overrides the corpus title as the page heading.

  XSLT 1.0; runs under libxslt. Links to files use @source as it is: teikit writes it
  percent-encoded (a URI reference), whatever bytes the file name holds.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:str="http://exslt.org/strings"
    xmlns:tk="urn:x-teikit:index"
    xmlns="http://www.w3.org/1999/xhtml"
    exclude-result-prefixes="tei str tk">

  <xsl:import href="tei-to-html.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" omit-xml-declaration="yes" indent="no"
              doctype-system="about:legacy-compat"/>

  <xsl:param name="pages" select="''"/>
  <xsl:param name="title" select="''"/>
  <!-- search=yes (set by teikit build with its search option): the page gets the search box of
       the edition's pagefind index (pagefind/, built beside it), with the filters the pages
       declare. The only page of the edition with a script. -->
  <xsl:param name="search" select="''"/>
  <!-- How much of the page (set by teikit build, which writes the index of a large edition
       piece by piece): '' the whole page; 'frame' the page without its entries, with a comment
       "teikit-entries" where they go and $count as the number of documents; 'entries' only the
       entries of the members, in document order, each after a comment "teikit-entry", inside
       an ol element. -->
  <xsl:param name="part" select="''"/>
  <xsl:param name="count" select="''"/>
  <!-- Made once, not once per member: $pages holds every member's id (a copy per member made
       the index of 10,000 documents quadratic). -->
  <xsl:variable name="pages-padded" select="concat(' ', $pages, ' ')"/>

  <xsl:variable name="when-path" select="'tei:teiHeader/tei:profileDesc/tei:creation/tei:date[1]/@when'"/>

  <xsl:template match="/">
    <xsl:apply-templates select="tei:teiCorpus"/>
  </xsl:template>

  <xsl:template match="tei:teiCorpus">
    <xsl:variable name="heading">
      <xsl:choose>
        <xsl:when test="normalize-space($title) != ''"><xsl:value-of select="normalize-space($title)"/></xsl:when>
        <xsl:when test="normalize-space(tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[1]) != ''">
          <xsl:value-of select="normalize-space(tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[1])"/>
        </xsl:when>
        <xsl:otherwise>Edition</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="members" select="tei:TEI"/>
    <xsl:variable name="n">
      <xsl:choose>
        <xsl:when test="$part = 'frame'"><xsl:value-of select="$count"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="count($members)"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$part = 'entries'">
        <ol class="entries">
          <xsl:for-each select="$members">
            <xsl:comment>teikit-entry</xsl:comment>
            <xsl:apply-templates select="." mode="entry"/>
          </xsl:for-each>
        </ol>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="page">
          <xsl:with-param name="heading" select="$heading"/>
          <xsl:with-param name="members" select="$members"/>
          <xsl:with-param name="n" select="string($n)"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="page">
    <xsl:param name="heading"/>
    <xsl:param name="members"/>
    <xsl:param name="n"/>
    <html lang="en">
      <head>
        <meta charset="UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="teikit edition-index.xsl"/>
        <title><xsl:value-of select="$heading"/></title>
        <style>
          <xsl:call-template name="css"/>
          <xsl:call-template name="index-css"/>
        </style>
        <xsl:if test="$search = 'yes'">
          <link rel="stylesheet" href="pagefind/pagefind-ui.css"/>
          <script src="pagefind/pagefind-ui.js"></script>
          <script>window.addEventListener('DOMContentLoaded', function () { new PagefindUI({ element: '#search', showSubResults: false, showImages: false }); });</script>
        </xsl:if>
      </head>
      <body>
        <a class="skip" href="#documents">Skip to the list of documents</a>
        <div class="page index">
          <header class="doc-head">
            <h1><xsl:value-of select="$heading"/></h1>
            <p class="doc-date">
              <xsl:value-of select="$n"/>
              <xsl:text> document</xsl:text>
              <xsl:if test="$n != '1'">s</xsl:if>
              <xsl:for-each select="tei:teiHeader/tei:profileDesc/tei:creation/tei:date[1]">
                <xsl:text>, </xsl:text>
                <xsl:value-of select="."/>
              </xsl:for-each>
              <xsl:text>, in order of date.</xsl:text>
            </p>
          </header>
          <xsl:if test="$search = 'yes'">
            <section id="search" class="search" aria-label="Search the edition"></section>
          </xsl:if>
          <main id="documents" aria-label="Documents">
            <ol class="entries">
              <xsl:if test="$part = 'frame'"><xsl:comment>teikit-entries</xsl:comment></xsl:if>
              <xsl:for-each select="$members">
                <xsl:sort select="number(not(tei:teiHeader/tei:profileDesc/tei:creation/tei:date[1]/@when))" data-type="number"/>
                <xsl:sort select="tei:teiHeader/tei:profileDesc/tei:creation/tei:date[1]/@when"/>
                <xsl:sort select="normalize-space(tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[1])"/>
                <xsl:sort select="@source"/>
                <xsl:apply-templates select="." mode="entry"/>
              </xsl:for-each>
            </ol>
          </main>
          <footer class="doc-foot">
            <p>The whole edition as one TEI file: <a href="corpus.xml">corpus.xml</a> (a teiCorpus
              with the header and text of every document). Rendered by teikit.</p>
          </footer>
        </div>
      </body>
    </html>
  </xsl:template>

  <!-- One document: date, title (linked to its page), summary, links. -->
  <xsl:template match="tei:TEI" mode="entry">
    <xsl:variable name="hd" select="tei:teiHeader"/>
    <xsl:variable name="file" select="string(@source)"/>
    <xsl:variable name="stem">
      <xsl:choose>
        <xsl:when test="substring($file, string-length($file) - 3) = '.xml'">
          <xsl:value-of select="substring($file, 1, string-length($file) - 4)"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="$file"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <!-- @tk:page="yes": teikit build marks the members with a page on its own copy of the
         corpus, which a list of every id in $pages would make quadratic in the documents. -->
    <xsl:variable name="listed" select="@tk:page = 'yes' or contains($pages-padded, concat(' ', @xml:id, ' '))"/>
    <!-- @source is already a URI reference (teikit percent-encodes the file name); the allow-list
         of url-allow-list.xsl (imported with tei-to-html.xsl) still decides, as for every link. -->
    <xsl:variable name="page-href" select="concat($stem, '.html')"/>
    <xsl:variable name="tei-href" select="$file"/>
    <xsl:variable name="page-ok">
      <xsl:call-template name="url-allowed"><xsl:with-param name="url" select="$page-href"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="tei-ok">
      <xsl:call-template name="url-allowed"><xsl:with-param name="url" select="$tei-href"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="page" select="$listed and $page-ok = 'yes'"/>
    <xsl:variable name="doc-title">
      <xsl:choose>
        <xsl:when test="normalize-space($hd/tei:fileDesc/tei:titleStmt/tei:title[1]) != ''">
          <xsl:value-of select="normalize-space($hd/tei:fileDesc/tei:titleStmt/tei:title[1])"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="$file"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <li class="entry" id="{@xml:id}">
      <p class="entry-date">
        <xsl:choose>
          <xsl:when test="$hd/tei:profileDesc/tei:creation/tei:date[1][normalize-space(.) != '']">
            <xsl:apply-templates select="$hd/tei:profileDesc/tei:creation/tei:date[1]" mode="inline"/>
          </xsl:when>
          <xsl:otherwise>Undated</xsl:otherwise>
        </xsl:choose>
      </p>
      <h2 class="entry-title">
        <xsl:choose>
          <xsl:when test="$page"><a href="{$page-href}"><xsl:value-of select="$doc-title"/></a></xsl:when>
          <xsl:otherwise><xsl:value-of select="$doc-title"/></xsl:otherwise>
        </xsl:choose>
      </h2>
      <xsl:for-each select="$hd/tei:profileDesc/tei:correspDesc[tei:correspAction/tei:persName or tei:correspAction/tei:orgName][1]">
        <p class="entry-corresp"><xsl:call-template name="corresp-line"/></p>
      </xsl:for-each>
      <xsl:for-each select="$hd/tei:profileDesc/tei:abstract[normalize-space(.) != '']">
        <div class="entry-summary">
          <xsl:choose>
            <xsl:when test="tei:p">
              <xsl:for-each select="tei:p">
                <p><xsl:call-template name="inline-content"/></p>
              </xsl:for-each>
            </xsl:when>
            <xsl:otherwise>
              <p><xsl:apply-templates select="node()" mode="inline"/></p>
            </xsl:otherwise>
          </xsl:choose>
        </div>
      </xsl:for-each>
      <p class="entry-links">
        <xsl:if test="$page">
          <a href="{$page-href}">Reading edition</a>
          <xsl:text> · </xsl:text>
        </xsl:if>
        <xsl:choose>
          <xsl:when test="$tei-ok = 'yes'"><a href="{$tei-href}" type="application/tei+xml">TEI XML</a></xsl:when>
          <xsl:otherwise>TEI XML: <xsl:value-of select="$file"/></xsl:otherwise>
        </xsl:choose>
        <xsl:for-each select="$hd/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msIdentifier/tei:idno[1]">
          <xsl:text> · </xsl:text>
          <span class="idno"><xsl:value-of select="normalize-space(.)"/></span>
        </xsl:for-each>
      </p>
    </li>
  </xsl:template>

  <xsl:template name="index-css">
    <xsl:text>
.index main { max-width: 52rem; }
.entries { list-style: none; margin: 0; padding: 0; }
.entry { border-bottom: 1px solid var(--rule); padding: 1rem 0 .9rem; }
.entry-corresp { margin: .1rem 0 0; color: var(--muted); }
.entry-date { margin: 0; color: var(--muted); font: .85rem/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
.entry-title { font: 1.2rem/1.35 Georgia, "DejaVu Serif", serif; text-transform: none; letter-spacing: 0; color: var(--ink); margin: .2rem 0 .4rem; }
.entry-summary p { margin: 0 0 .4rem; }
.entry-links { margin: 0; font: .85rem/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--muted); }
@media print { .entry { break-inside: avoid; } .entry-links { display: none; } }
</xsl:text>
  </xsl:template>

</xsl:stylesheet>
