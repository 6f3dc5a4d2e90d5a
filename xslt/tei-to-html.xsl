<?xml version="1.0" encoding="UTF-8"?>
<!--
  tei-to-html.xsl: a teikit TEI document as a standalone, accessible HTML5 reading edition.

  One page per document: a metadata panel built from the teiHeader, a legend of the editorial
  signs that occur, and the text (opener, paragraphs, closer, enclosures) with every editorial
  intervention of ENCODING.md §4 visible and explained:

    supplied       [word] / [word?]   class "supplied"   group with aria-label + title
    gap            […], [illegible], [2 words illegible], [name not declassified], [desc]
                                      class "gap"        role="img" with aria-label + title saying
                                                         why (reason, extent, desc, who)
    sic            word [sic]         class "sic"        group with aria-label + title
    unclear        word [?]           class "unclear"    group with aria-label + title
    date           normalised value on hover (<time datetime>, title)
    pb             "Page 12" in the left margin (role="separator")
    note           [Telegram], [Received …], [Source: …] (role="note")
    seal, add, stamp

  Two views, switched WITHOUT JavaScript: two radio inputs precede the page, and CSS
  `:checked ~` selectors show either the diplomatic view (default: signs shown) or the reading
  view (supplied text plain, every gap a simple "…", sic/unclear/handwritten/stamp labels hidden).
  Markup shown only in one view carries class "dipl" or "read"; tests extract a view's text by the
  same rule. The diplomatic view shows each gap in the canonical bracket notation of §4 (the words
  of the transcription stay visible); the reading view replaces it by "…".

  Output: XHTML-compatible HTML5 (method xml, no XML declaration, the HTML5 legacy-compat
  doctype), so the page parses both as HTML and as XML. A non-void element must never be
  serialised as <x/> (an HTML parser would read an open tag): every element written here has
  content, and `teikit render` writes any that is empty as <x></x>. No external resources: inline CSS only, system fonts, no scripts or images; the only
  absolute link is the source's own URL in the metadata panel.

  Parameters:
    view   'diplomatic' (default) or 'reading': which view is selected when the page opens.
  The interface texts (labels, legend) are English.

  XSLT 1.0 + EXSLT (str:split, str:replace); runs under libxslt (`teikit render` with "to html",
  or xsltproc).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:str="http://exslt.org/strings"
    xmlns:teikit="urn:x-teikit:xslt"
    xmlns="http://www.w3.org/1999/xhtml"
    extension-element-prefixes="teikit"
    exclude-result-prefixes="tei str">

  <xsl:output method="xml" encoding="UTF-8" omit-xml-declaration="yes" indent="no"
              doctype-system="about:legacy-compat"/>

  <!-- url-allowed: the allow-list of link schemes (http, https, mailto, relative). -->
  <xsl:include href="url-allow-list.xsl"/>

  <xsl:param name="view" select="'diplomatic'"/>
  <!-- search=yes (set by teikit build with its search option): the page is marked up for the edition's search index
       (pagefind): its text is the indexed body, its metadata the filters. Attributes and hidden
       elements only: the page still has no script. -->
  <xsl:param name="search" select="''"/>

  <!-- The respStmts by xml:id, for resolving @resp="#translator". Matched without a predicate
       (a respStmt without an xml:id gives no key): libxslt indexes a key by evaluating
       //match, and libxml2 walks //name as descendant::name, where //*[...] collects every node
       of the document first (2.6 MB for 10^5 interventions). Likewise the legend's tests below
       use descendant:: rather than //. -->
  <xsl:key name="id" match="tei:respStmt" use="@xml:id"/>
  <!-- Without [@n] for the same reason: a pb without @n has no key value anyway. -->
  <xsl:key name="pb-by-n" match="tei:pb" use="@n"/>

  <xsl:variable name="nl" select="'&#10;'"/>
  <xsl:variable name="header" select="/tei:TEI/tei:teiHeader"/>

  <!-- ================================================================ page -->

  <!-- A page needs a TEI document; anything else is an error, not an empty page. -->
  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="tei:TEI"><xsl:apply-templates select="tei:TEI"/></xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes">
          <xsl:value-of select="concat('tei-to-html.xsl: not a TEI document (root element ', name(*[1]), ' in namespace &quot;', namespace-uri(*[1]), '&quot;)')"/>
        </xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:TEI">
    <xsl:variable name="title">
      <xsl:call-template name="doc-title"/>
    </xsl:variable>
    <html>
      <xsl:call-template name="lang-attribute"/>
      <head>
        <meta charset="UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="teikit tei-to-html.xsl"/>
        <title><xsl:value-of select="$title"/></title>
        <style><xsl:call-template name="css"/></style>
      </head>
      <body>
        <a class="skip" href="#text">Skip to the text</a>
        <xsl:call-template name="view-inputs"/>
        <div class="page">
          <header class="doc-head">
            <h1><xsl:value-of select="$title"/></h1>
            <xsl:for-each select="tei:teiHeader/tei:profileDesc/tei:creation/tei:date[1]">
              <p class="doc-date"><xsl:apply-templates select="." mode="inline"/></p>
            </xsl:for-each>
            <xsl:for-each select="tei:teiHeader/tei:profileDesc/tei:correspDesc[tei:correspAction/tei:persName or tei:correspAction/tei:orgName][1]">
              <p class="doc-corresp"><xsl:call-template name="corresp-line"/></p>
            </xsl:for-each>
            <xsl:call-template name="view-switch"/>
          </header>
          <div class="columns">
            <xsl:apply-templates select="tei:teiHeader" mode="metadata"/>
            <xsl:call-template name="legend"/>
            <main id="text" aria-label="Text of the document">
              <!-- A left margin for page numbers only where there are page breaks. -->
              <xsl:attribute name="class">
                <xsl:text>text</xsl:text>
                <xsl:if test="tei:text/descendant::tei:pb"> with-pages</xsl:if>
              </xsl:attribute>
              <xsl:if test="$search = 'yes'">
                <xsl:attribute name="data-pagefind-body"/>
              </xsl:if>
              <xsl:for-each select="tei:text[1]">
                <xsl:call-template name="lang-attribute"/>
              </xsl:for-each>
              <xsl:if test="$search = 'yes'">
                <xsl:call-template name="search-metadata"/>
              </xsl:if>
              <xsl:apply-templates select="tei:text" mode="block"/>
            </main>
          </div>
          <footer class="doc-foot">
            <p>Rendered from the TEI P5 encoding of this document by teikit; the TEI file is the
              authoritative form of the edition. Signs in square brackets are the editors’, not the
              document’s.</p>
          </footer>
        </div>
      </body>
    </html>
  </xsl:template>

  <!-- The title of the document: the first title of the titleStmt. -->
  <xsl:template name="doc-title">
    <xsl:variable name="t" select="normalize-space(/tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[1])"/>
    <xsl:choose>
      <xsl:when test="$t != ''"><xsl:value-of select="$t"/></xsl:when>
      <xsl:otherwise>Untitled document</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- lang="…" from the context node's xml:lang (or the nearest ancestor's). -->
  <xsl:template name="lang-attribute">
    <xsl:variable name="l" select="ancestor-or-self::*[@xml:lang][1]/@xml:lang"/>
    <xsl:if test="$l">
      <xsl:attribute name="lang"><xsl:value-of select="$l"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- The view switch: the radio inputs must be siblings that PRECEDE .page, because CSS can
       only select following siblings (`#view-reading:checked ~ .page …`). They are visually
       hidden but stay focusable; their labels in the page header are the visible controls. -->
  <xsl:template name="view-inputs">
    <input type="radio" name="view" id="view-diplomatic" class="view-input">
      <xsl:if test="$view != 'reading'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
    </input>
    <input type="radio" name="view" id="view-reading" class="view-input">
      <xsl:if test="$view = 'reading'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
    </input>
  </xsl:template>

  <xsl:template name="view-switch">
    <div class="views">
      <span class="views-caption">View:</span>
      <label for="view-diplomatic" class="view-label" title="Editorial interventions shown in square brackets and explained">Diplomatic</label>
      <label for="view-reading" class="view-label" title="A clean reading text: supplied words plain, omissions as …">Reading</label>
    </div>
  </xsl:template>

  <!-- ================================================================ metadata panel -->

  <xsl:template match="tei:teiHeader" mode="metadata">
    <xsl:variable name="fd" select="tei:fileDesc"/>
    <xsl:variable name="pd" select="tei:profileDesc"/>
    <xsl:variable name="bibl" select="$fd/tei:sourceDesc/tei:bibl[not(@type = 'title-only' or @type = 'none')]"/>
    <section class="meta" aria-labelledby="meta-heading">
      <h2 id="meta-heading">About this document</h2>
      <dl>
        <xsl:for-each select="$pd/tei:creation/tei:date[1]">
          <xsl:call-template name="meta-row">
            <xsl:with-param name="label" select="'Date'"/>
            <xsl:with-param name="class" select="'m-date'"/>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:for-each select="$pd/tei:correspDesc/tei:correspAction[@type = 'sent'][tei:name or tei:placeName or tei:persName or tei:orgName]">
          <dt>From</dt>
          <dd class="m-sent"><xsl:call-template name="corresp-action"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$pd/tei:correspDesc/tei:correspAction[@type = 'received'][tei:name or tei:placeName or tei:persName or tei:orgName or tei:date]">
          <dt>
            <xsl:choose>
              <xsl:when test="tei:name or tei:placeName or tei:persName or tei:orgName">To</xsl:when>
              <xsl:otherwise>Received</xsl:otherwise>
            </xsl:choose>
          </dt>
          <dd class="m-received"><xsl:call-template name="corresp-action"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$bibl">
          <dt>Citation</dt>
          <dd class="m-citation">
            <xsl:apply-templates select="node()[not(self::tei:note)]" mode="inline"/>
          </dd>
        </xsl:for-each>
        <xsl:call-template name="signature"/>
        <xsl:for-each select="$fd/tei:titleStmt/tei:respStmt">
          <dt><xsl:call-template name="resp-noun-capitalised"/></dt>
          <dd class="m-resp"><xsl:apply-templates select="tei:name | tei:persName | tei:orgName" mode="inline"/></dd>
        </xsl:for-each>
        <xsl:if test="not($fd/tei:titleStmt/tei:respStmt)">
          <xsl:for-each select="$bibl/tei:editor[@role = 'translator']">
            <dt>Translator</dt>
            <dd class="m-resp"><xsl:apply-templates select="node()" mode="inline"/></dd>
          </xsl:for-each>
        </xsl:if>
        <xsl:if test="$fd/tei:titleStmt/tei:funder or $bibl/tei:note[@type = 'credits']">
          <dt>Funder</dt>
          <dd class="m-funder">
            <xsl:for-each select="$fd/tei:titleStmt/tei:funder">
              <xsl:if test="position() > 1">; </xsl:if>
              <xsl:apply-templates select="node()" mode="inline"/>
            </xsl:for-each>
            <xsl:for-each select="$bibl/tei:note[@type = 'credits']">
              <xsl:text> </xsl:text>
              <span class="m-credits">Credits: “<xsl:apply-templates select="node()" mode="inline"/>”</span>
            </xsl:for-each>
          </dd>
        </xsl:if>
        <xsl:for-each select="$pd/tei:langUsage/tei:language[@n = 'original']">
          <xsl:call-template name="meta-row">
            <xsl:with-param name="label" select="'Original Language'"/>
            <xsl:with-param name="class" select="'m-original-language'"/>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:for-each select="$pd/tei:langUsage/tei:language[@n = 'text']">
          <xsl:call-template name="meta-row">
            <xsl:with-param name="label" select="'Language of this text'"/>
            <xsl:with-param name="class" select="'m-language'"/>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:for-each select="$bibl/tei:note[@type = 'contents']">
          <xsl:call-template name="meta-row">
            <xsl:with-param name="label" select="'Contents'"/>
            <xsl:with-param name="class" select="'m-contents'"/>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:for-each select="$pd/tei:abstract[normalize-space(.) != '']">
          <dt>Summary</dt>
          <dd class="m-abstract"><xsl:apply-templates select="node()" mode="meta-block"/></dd>
        </xsl:for-each>
        <!-- The edition's source note (a "Summary:" that describes the source), under its own
             heading: it is no summary of the document. -->
        <xsl:for-each select="$fd/tei:sourceDesc/tei:bibl/tei:note[@type = 'source'][normalize-space(.) != '']">
          <dt>Source note</dt>
          <dd class="m-source-note"><xsl:apply-templates select="node()" mode="inline"/></dd>
        </xsl:for-each>
        <!-- Header fields the converter did not know (ENCODING.md §3: nothing lost). -->
        <xsl:for-each select="$fd/tei:notesStmt/tei:note">
          <dt>
            <xsl:choose>
              <xsl:when test="tei:label"><xsl:value-of select="normalize-space(tei:label[1])"/></xsl:when>
              <xsl:when test="@type"><xsl:value-of select="@type"/></xsl:when>
              <xsl:otherwise>Note</xsl:otherwise>
            </xsl:choose>
          </dt>
          <dd class="m-note">
            <xsl:apply-templates select="node()[not(self::tei:label and count(preceding-sibling::tei:label) = 0)]" mode="inline"/>
          </dd>
        </xsl:for-each>
        <xsl:call-template name="edition-row"/>
      </dl>
    </section>
  </xsl:template>

  <!-- <dt>label</dt><dd>inline content of the context node</dd>, only when it has text. -->
  <xsl:template name="meta-row">
    <xsl:param name="label"/>
    <xsl:param name="class"/>
    <xsl:if test="normalize-space(.) != ''">
      <dt><xsl:value-of select="$label"/></dt>
      <dd class="{$class}"><xsl:apply-templates select="node()" mode="inline"/></dd>
    </xsl:if>
  </xsl:template>

  <!-- Archival signature: as the citation gives it (bibl/idno[@type='archival'], with the page or
       folio), else the shelf-mark of msIdentifier; the holding repository where one is named. -->
  <xsl:template name="signature">
    <xsl:variable name="sd" select="$header/tei:fileDesc/tei:sourceDesc"/>
    <xsl:variable name="cited" select="$sd/tei:bibl/tei:idno[@type = 'archival'][normalize-space(.) != ''][1]"/>
    <xsl:variable name="ms" select="$sd/tei:msDesc/tei:msIdentifier[tei:idno[normalize-space(.) != '']][1]"/>
    <xsl:if test="$cited or $ms">
      <dt>Archival signature</dt>
      <dd class="m-signature">
        <span class="idno">
          <xsl:choose>
            <xsl:when test="$cited"><xsl:apply-templates select="$cited/node()" mode="inline"/></xsl:when>
            <xsl:otherwise><xsl:apply-templates select="$ms/tei:idno[1]/node()" mode="inline"/></xsl:otherwise>
          </xsl:choose>
        </span>
        <xsl:for-each select="$ms/tei:repository[normalize-space(.) != '']">
          <xsl:text> (</xsl:text>
          <xsl:apply-templates select="node()" mode="inline"/>
          <xsl:text>)</xsl:text>
        </xsl:for-each>
      </dd>
    </xsl:if>
  </xsl:template>

  <!-- Under the title: "From A (place) to B, date" (the parties the header names). -->
  <xsl:template name="corresp-line">
    <xsl:variable name="sent" select="tei:correspAction[@type = 'sent'][1]"/>
    <xsl:variable name="received" select="tei:correspAction[@type = 'received'][1]"/>
    <xsl:variable name="senders" select="$sent/tei:persName | $sent/tei:orgName"/>
    <xsl:variable name="addressees" select="$received/tei:persName | $received/tei:orgName"/>
    <xsl:if test="$senders">
      <xsl:text>From </xsl:text>
      <xsl:for-each select="$senders">
        <xsl:if test="position() > 1"> and </xsl:if>
        <span class="{local-name()}"><xsl:apply-templates select="node()" mode="inline"/></span>
      </xsl:for-each>
      <xsl:for-each select="$sent/tei:placeName[1]">
        <xsl:choose>
          <!-- "the Ambassador to Poland (Cabot), Warsaw,": no second parenthesis -->
          <xsl:when test="substring(normalize-space($senders[last()]), string-length(normalize-space($senders[last()]))) = ')'">
            <xsl:text>, </xsl:text>
            <xsl:apply-templates select="node()" mode="inline"/>
            <xsl:if test="$addressees">,</xsl:if>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text> (</xsl:text>
            <xsl:apply-templates select="node()" mode="inline"/>
            <xsl:text>)</xsl:text>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </xsl:if>
    <xsl:if test="$addressees">
      <xsl:choose>
        <xsl:when test="$senders"> to </xsl:when>
        <xsl:otherwise>To </xsl:otherwise>
      </xsl:choose>
      <xsl:for-each select="$addressees">
        <xsl:if test="position() > 1"> and </xsl:if>
        <span class="{local-name()}"><xsl:apply-templates select="node()" mode="inline"/></span>
      </xsl:for-each>
    </xsl:if>
    <xsl:for-each select="$sent/tei:date[@when][1]">
      <xsl:text>, </xsl:text>
      <time datetime="{@when}"><xsl:call-template name="when-text"/></time>
    </xsl:for-each>
  </xsl:template>

  <!-- Who, where and when of a correspAction (sent / received). -->
  <xsl:template name="corresp-action">
    <xsl:for-each select="tei:name | tei:persName | tei:orgName">
      <xsl:if test="position() > 1">, </xsl:if>
      <xsl:apply-templates select="node()" mode="inline"/>
    </xsl:for-each>
    <xsl:for-each select="tei:placeName">
      <xsl:text> (</xsl:text>
      <xsl:apply-templates select="node()" mode="inline"/>
      <xsl:text>)</xsl:text>
    </xsl:for-each>
    <xsl:for-each select="tei:date[@when]">
      <xsl:if test="../tei:name or ../tei:persName or ../tei:orgName or ../tei:placeName">, </xsl:if>
      <time class="m-when" datetime="{@when}"><xsl:call-template name="when-text"/></time>
    </xsl:for-each>
  </xsl:template>

  <!-- The edition itself: publisher, id, licence. -->
  <xsl:template name="edition-row">
    <xsl:variable name="ps" select="$header/tei:fileDesc/tei:publicationStmt"/>
    <xsl:if test="normalize-space($ps) != ''">
      <dt>This edition</dt>
      <dd class="m-edition">
        <xsl:for-each select="$ps/tei:publisher | $ps/tei:authority | $ps/tei:distributor">
          <xsl:if test="position() > 1">; </xsl:if>
          <xsl:apply-templates select="node()" mode="inline"/>
        </xsl:for-each>
        <xsl:for-each select="$ps/tei:pubPlace">
          <xsl:text>, </xsl:text>
          <xsl:apply-templates select="node()" mode="inline"/>
        </xsl:for-each>
        <xsl:for-each select="$ps/tei:idno">
          <xsl:text>; id </xsl:text>
          <span class="idno"><xsl:value-of select="."/></span>
        </xsl:for-each>
        <xsl:for-each select="$ps/tei:availability[normalize-space(.) != '']">
          <span class="m-licence"><xsl:apply-templates select="node()" mode="meta-block"/></span>
        </xsl:for-each>
      </dd>
    </xsl:if>
  </xsl:template>

  <!-- Paragraph-like content inside a <dd>: p / licence become spans on their own line. -->
  <xsl:template match="tei:p | tei:licence" mode="meta-block">
    <span class="m-para"><xsl:apply-templates select="node()" mode="inline"/></span>
  </xsl:template>
  <!-- A licence URL outside the allow-list (javascript:, data:, …) is shown as text, not linked. -->
  <xsl:template match="tei:licence[@target]" mode="meta-block">
    <xsl:variable name="ok">
      <xsl:call-template name="url-allowed"><xsl:with-param name="url" select="@target"/></xsl:call-template>
    </xsl:variable>
    <span class="m-para">
      <xsl:choose>
        <xsl:when test="$ok = 'yes'">
          <a href="{@target}"><xsl:apply-templates select="node()" mode="inline"/></a>
        </xsl:when>
        <xsl:otherwise>
          <xsl:apply-templates select="node()" mode="inline"/>
          <xsl:if test="node()"><xsl:text> </xsl:text></xsl:if>
          <span class="url-unlinked"><xsl:value-of select="concat('(', @target, ')')"/></span>
        </xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>
  <xsl:template match="node()" mode="meta-block">
    <xsl:apply-templates select="." mode="inline"/>
  </xsl:template>

  <!-- ================================================================ legend -->

  <!-- The signs that occur in this document, each with a sample and what it means; then the
       encoding's own statement of the conventions (editorialDecl). Samples use "lg-*" classes so
       that counting .gap / .supplied / .sic / .unclear counts the text's interventions only. -->
  <xsl:template name="legend">
    <xsl:variable name="t" select="/tei:TEI/tei:text"/>
    <section class="legend" aria-labelledby="legend-heading">
      <h2 id="legend-heading">Editorial signs</h2>
      <dl>
        <xsl:if test="$t/descendant::tei:supplied[not(@cert = 'low')]">
          <dt><span class="lg-supplied">[word]</span></dt>
          <dd>Supplied by the translator or editor: not in the source. Reading view: plain text.</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:supplied[@cert = 'low']">
          <dt><span class="lg-supplied lg-conjecture">[word?]</span></dt>
          <dd>A conjecture: supplied, but uncertain.</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:gap[not(@reason = 'illegible' or @reason = 'withheld')]">
          <dt><span class="lg-gap">[…]</span></dt>
          <dd>A passage left out by the editor, translator or archive; a description of it, where
            given, stands in the brackets. Reading view: “…”.</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:gap[@reason = 'illegible']">
          <dt><span class="lg-gap">[illegible]</span></dt>
          <dd>Illegible in the source, with its extent where known.</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:gap[@reason = 'withheld']">
          <dt><span class="lg-gap lg-withheld">[text not declassified]</span></dt>
          <dd>Withheld by the declassifying authority.</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:sic">
          <dt><span class="lg-sic">word<span class="sign"> [sic]</span></span></dt>
          <dd>Reproduced as found in the source, although it looks wrong.</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:unclear">
          <dt><span class="lg-unclear">word<span class="sign"> [?]</span></span></dt>
          <dd>An uncertain reading.</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:add">
          <dt><span class="lg-add">handwritten</span></dt>
          <dd>Added by hand on the source.</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:stamp">
          <dt><span class="lg-stamp">STAMP</span></dt>
          <dd>A stamp on the source.</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:seg[@type = 'seal']">
          <dt><span class="lg-seal">l. s.</span></dt>
          <dd>The place of the seal (<i lang="la">locus sigilli</i>).</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:note[not(@place = 'foot') and not(@type = 'distribution')]">
          <dt><span class="lg-note">[Note]</span></dt>
          <dd>The editor’s label, a receipt note or the source note of the edition.</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:note[@place = 'foot']">
          <dt><span class="lg-fn"><sup>1</sup></span></dt>
          <dd>A footnote mark: its note is in the list after the text.</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:handShift">
          <dt><span class="lg-handshift">[handwritten:]</span></dt>
          <dd>What follows is in another hand.</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:pb">
          <dt><span class="lg-pb">Page 12</span></dt>
          <dd>In the margin: page 12 of the source begins here.</dd>
        </xsl:if>
        <xsl:if test="$t/descendant::tei:date[@when or @notBefore or @notAfter or @from or @to]">
          <dt><span class="lg-date">date</span></dt>
          <dd>A date; point at it to see its normalised value.</dd>
        </xsl:if>
        <xsl:if test="not($t/descendant::tei:supplied or $t/descendant::tei:gap or $t/descendant::tei:sic or $t/descendant::tei:unclear or $t/descendant::tei:add
                      or $t/descendant::tei:stamp or $t/descendant::tei:note[not(@type = 'distribution')] or $t/descendant::tei:pb or $t/descendant::tei:seg[@type = 'seal'] or $t/descendant::tei:handShift)">
          <dt>—</dt>
          <dd>The transcription has no editorial interventions.</dd>
        </xsl:if>
      </dl>
      <p class="legend-hint">Point at a marked passage (or use a screen reader) for who intervened
        and why.</p>
      <xsl:for-each select="$header/tei:encodingDesc/tei:editorialDecl[normalize-space(.) != '']">
        <details class="decl">
          <summary>How this text was encoded</summary>
          <xsl:apply-templates select="node()" mode="block"/>
        </details>
      </xsl:for-each>
    </section>
  </xsl:template>

  <!-- ================================================================ blocks -->

  <!-- Containers. -->
  <xsl:template match="tei:text | tei:front | tei:body | tei:back | tei:group" mode="block">
    <xsl:apply-templates select="node()" mode="block"/>
  </xsl:template>

  <xsl:template match="tei:div" mode="block">
    <section class="tei-div">
      <xsl:if test="@type">
        <xsl:attribute name="data-type"><xsl:value-of select="@type"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="@xml:lang">
        <xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="tei:head">
          <xsl:attribute name="aria-labelledby"><xsl:value-of select="generate-id(tei:head[1])"/></xsl:attribute>
        </xsl:when>
        <xsl:when test="@type = 'enclosure'">
          <xsl:attribute name="aria-label">Enclosure</xsl:attribute>
        </xsl:when>
      </xsl:choose>
      <xsl:apply-templates select="node()" mode="block"/>
      <xsl:if test="not(node())"><xsl:comment>empty division</xsl:comment></xsl:if>
    </section>
  </xsl:template>

  <!-- An address panel: its lines one under the other, not run together. -->
  <xsl:template match="tei:address" mode="block">
    <div class="address"><xsl:apply-templates select="tei:addrLine" mode="block"/></div>
  </xsl:template>
  <xsl:template match="tei:addrLine" mode="block">
    <div class="addrLine"><xsl:call-template name="inline-content"/></div>
  </xsl:template>

  <!-- A postscript is a container too: its paragraphs stay paragraphs (run together in one <p>
       they read as one). -->
  <xsl:template match="tei:opener | tei:closer | tei:postscript" mode="block">
    <div class="{local-name()}">
      <xsl:apply-templates select="node()" mode="block"/>
      <xsl:if test="not(node())"><xsl:comment>empty</xsl:comment></xsl:if>
    </div>
  </xsl:template>

  <xsl:template match="tei:head" mode="block">
    <xsl:variable name="level" select="count(ancestor::tei:div) + 1"/>
    <xsl:element name="{concat('h', substring('23456', $level, 1))}">
      <xsl:attribute name="id"><xsl:value-of select="generate-id()"/></xsl:attribute>
      <xsl:attribute name="class">head</xsl:attribute>
      <xsl:call-template name="inline-content"/>
    </xsl:element>
  </xsl:template>

  <!-- A paragraph; one holding a list or table is a div (HTML's <p> cannot hold them, and a
       parser would split it). -->
  <xsl:template match="tei:p | tei:ab" mode="block">
    <!-- Under teikit, each paragraph is serialised as soon as it is built (teikit:chunk, see
         converter/src/render/transform.cpp), so that the page's result tree stays small; within
         a paragraph, the teikit:checkpoint at the end of every inline template lets it write
         the page so far every few hundred nodes (xsl:fallback: nothing elsewhere). -->
    <xsl:choose>
      <xsl:when test="element-available('teikit:chunk')">
        <teikit:chunk><xsl:call-template name="paragraph"/></teikit:chunk>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="paragraph"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="paragraph">
    <xsl:variable name="tag">
      <xsl:choose>
        <xsl:when test="tei:list or tei:table or tei:lg or tei:figure or tei:quote/tei:p">div</xsl:when>
        <xsl:otherwise>p</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$tag}">
      <xsl:attribute name="class"><xsl:value-of select="local-name()"/><xsl:if test="@rend = 'heading'"> heading</xsl:if></xsl:attribute>
      <xsl:if test="@n"><xsl:attribute name="data-n"><xsl:value-of select="@n"/></xsl:attribute></xsl:if>
      <xsl:call-template name="inline-content">
        <xsl:with-param name="block-lists" select="$tag = 'div'"/>
      </xsl:call-template>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:list" mode="block">
    <ul><xsl:apply-templates select="tei:item" mode="block"/></ul>
  </xsl:template>
  <!-- A numbered or lettered sequence of the text: each item with its label as written. -->
  <xsl:template match="tei:list[tei:label]" mode="block" priority="1">
    <ul class="labelled">
      <xsl:for-each select="tei:item">
        <li>
          <xsl:for-each select="preceding-sibling::*[1][self::tei:label]">
            <span class="label"><xsl:call-template name="inline-content"/></span>
            <xsl:text> </xsl:text>
          </xsl:for-each>
          <xsl:call-template name="inline-content">
            <xsl:with-param name="block-lists" select="true()"/>
          </xsl:call-template>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>
  <!-- A list in inline content: a <ul> where the content is a div's or an li's (block-lists),
       otherwise a list of spans, so that no <ul> stands in a <p> (an HTML parser ends the p at
       it) or in a span. -->
  <xsl:template match="tei:list" mode="inline">
    <xsl:param name="block-lists" select="false()"/>
    <xsl:choose>
      <xsl:when test="$block-lists">
        <!-- A labelled list nested in an item ("2. The acts are:" with a. to f.) keeps its
             labels: the block template lays it out. -->
        <xsl:apply-templates select="." mode="block"/>
      </xsl:when>
      <xsl:otherwise>
        <span class="list" role="list">
          <xsl:for-each select="tei:item">
            <span class="item" role="listitem"><xsl:call-template name="inline-content"/></span>
          </xsl:for-each>
        </span>
      </xsl:otherwise>
    </xsl:choose>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>
  <xsl:template match="tei:item" mode="block">
    <li>
      <xsl:call-template name="inline-content">
        <xsl:with-param name="block-lists" select="true()"/>
      </xsl:call-template>
    </li>
  </xsl:template>

  <!-- A page break between blocks: the margin number on its own. -->
  <xsl:template match="tei:pb" mode="block">
    <xsl:apply-templates select="." mode="inline"/>
  </xsl:template>

  <!-- A distribution or reading list ("Copies:", "Seen by …") in the closer: laid out as a
       list, its label above it. -->
  <xsl:template match="tei:note[@type = 'distribution']" mode="block" priority="2">
    <div class="distribution" role="group" aria-label="Distribution">
      <xsl:apply-templates select="tei:list" mode="block"/>
    </div>
  </xsl:template>
  <xsl:template match="tei:list[@type = 'distribution']" mode="block" priority="2">
    <xsl:for-each select="tei:head">
      <p class="list-head"><xsl:call-template name="inline-content"/></p>
    </xsl:for-each>
    <ul class="distribution-list"><xsl:apply-templates select="tei:item" mode="block"/></ul>
  </xsl:template>

  <!-- A note standing between blocks ([Telegram], [Received …], [Source: …]). -->
  <xsl:template match="tei:note" mode="block">
    <div class="note-block">
      <xsl:apply-templates select="." mode="inline"/>
    </div>
  </xsl:template>

  <!-- An inline-level sign standing on its own line between blocks (a gap, an addition, a stamp,
       a seal, a date): a paragraph holding it. The wrapper's class is "blk", never the sign's own
       class, so that .gap, .supplied, … count the TEI elements one to one. -->
  <xsl:template match="tei:gap | tei:supplied | tei:sic | tei:unclear | tei:add | tei:stamp
                       | tei:seg[@type = 'seal'] | tei:date | tei:ref | tei:title" mode="block">
    <p class="blk">
      <xsl:apply-templates select="." mode="inline"/>
    </p>
  </xsl:template>

  <!-- Any other element standing in a container (seg, dateline, salute, signed, …) is a
       paragraph of its own named after it, with its content inline. -->
  <xsl:template match="*" mode="block">
    <p class="{local-name()}">
      <xsl:if test="@type"><xsl:attribute name="data-type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
      <xsl:call-template name="inline-content"/>
    </p>
  </xsl:template>

  <!-- Stray text in a container: indentation is dropped, real text kept as a paragraph. -->
  <xsl:template match="text()" mode="block">
    <xsl:if test="normalize-space(.) != ''">
      <p class="text"><xsl:apply-templates select="." mode="inline"/></p>
    </xsl:if>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="block"/>

  <!-- The children of the context element inline; a comment stands in for no content at all, so
       that the element is never serialised as <x/>. -->
  <xsl:template name="inline-content">
    <xsl:param name="block-lists" select="false()"/>
    <xsl:apply-templates select="node()" mode="inline">
      <xsl:with-param name="block-lists" select="$block-lists"/>
    </xsl:apply-templates>
    <xsl:if test="not(node())"><xsl:comment>empty</xsl:comment></xsl:if>
  </xsl:template>

  <!-- ================================================================ inline -->

  <!-- Text: a line break inside a text node (address blocks, signatures) becomes <br/>; a text
       node of only whitespace with a line break is the converter's indentation: one space. -->
  <xsl:template match="text()" mode="inline">
    <xsl:choose>
      <xsl:when test="normalize-space(.) = '' and contains(., $nl)">
        <xsl:text> </xsl:text>
      </xsl:when>
      <xsl:when test="not(contains(., $nl))"><xsl:value-of select="."/></xsl:when>
      <xsl:otherwise><xsl:call-template name="lines"/></xsl:otherwise>
    </xsl:choose>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- The lines of the context text node, a <br/> after each but where nothing follows (no
       non-blank line in the node and no sibling after it). Not recursive: a template recursion
       per line copies the rest of the string each time (memory quadratic in the line count) and
       hits libxslt's recursion limit at ~1,450 lines. str:split drops empty tokens, so every line
       is first prefixed with "x" (one token per line, empty lines included), and the prefix is
       taken off again. -->
  <xsl:template name="lines">
    <xsl:choose>
      <!-- Under teikit, the same without a node per line, written out as it goes (see
           converter/src/transform.cpp). -->
      <xsl:when test="element-available('teikit:lines')"><teikit:lines/></xsl:when>
      <xsl:otherwise><xsl:call-template name="lines-by-split"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template name="lines-by-split">
    <xsl:variable name="more" select="boolean(following-sibling::node())"/>
    <xsl:variable name="tokens" select="str:split(concat('x', str:replace(., $nl, concat($nl, 'x'))), $nl)"/>
    <!-- how many lines up to the last non-blank one: a <br/> goes after each of them but that -->
    <xsl:variable name="last-text" select="$tokens[normalize-space(substring(., 2)) != ''][last()]"/>
    <xsl:variable name="through" select="count($last-text/preceding-sibling::*) + count($last-text)"/>
    <xsl:variable name="n" select="count($tokens)"/>
    <xsl:for-each select="$tokens">
      <xsl:value-of select="substring(., 2)"/>
      <xsl:if test="position() != $n and ($more or position() &lt; $through)"><br/></xsl:if>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="inline"/>

  <!-- Everything without a rule of its own: a span that names the TEI element. -->
  <xsl:template match="*" mode="inline">
    <xsl:choose>
      <xsl:when test="node()">
        <span class="{local-name()}"><xsl:apply-templates select="node()" mode="inline"/></span>
      </xsl:when>
    </xsl:choose>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <xsl:template match="tei:lb" mode="inline"><br/><teikit:checkpoint><xsl:fallback/></teikit:checkpoint></xsl:template>

  <xsl:template match="tei:title" mode="inline">
    <cite class="title"><xsl:call-template name="inline-content"/></cite>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- Only absolute http(s) links are made live: the document's own source URL. -->
  <xsl:template match="tei:ref | tei:ptr" mode="inline">
    <xsl:variable name="ok">
      <xsl:call-template name="url-allowed">
        <xsl:with-param name="url" select="@target"/>
        <xsl:with-param name="schemes" select="'http https'"/>
        <xsl:with-param name="relative" select="'no'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$ok = 'yes' and (starts-with(@target, 'https://') or starts-with(@target, 'http://'))">
        <a class="ref" href="{@target}">
          <xsl:apply-templates select="node()" mode="inline"/>
          <xsl:if test="not(node())"><xsl:value-of select="@target"/></xsl:if>
        </a>
      </xsl:when>
      <xsl:when test="node()">
        <span class="ref"><xsl:apply-templates select="node()" mode="inline"/></span>
      </xsl:when>
    </xsl:choose>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ dates (ENCODING.md §5) -->

  <!-- A date with its normalised value on hover; <time datetime> where the value is one the HTML
       time element accepts (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss]). -->
  <xsl:template match="tei:date" mode="inline">
    <xsl:variable name="hint-text"><xsl:call-template name="date-hint"/></xsl:variable>
    <xsl:variable name="hint" select="string($hint-text)"/>
    <xsl:choose>
      <xsl:when test="not(node())"/>
      <xsl:when test="@when and string-length(@when) >= 4 and not(starts-with(@when, '-'))">
        <time class="date" datetime="{@when}" title="{$hint}">
          <xsl:apply-templates select="node()" mode="inline"/>
        </time>
      </xsl:when>
      <xsl:when test="$hint != ''">
        <span class="date" title="{$hint}"><xsl:apply-templates select="node()" mode="inline"/></span>
      </xsl:when>
      <xsl:otherwise>
        <span class="date"><xsl:apply-templates select="node()" mode="inline"/></span>
      </xsl:otherwise>
    </xsl:choose>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- "1962-04-29 18:00 (inferred from the context)", "between 1962-04-22 and 1962-05-07", … -->
  <xsl:template name="date-hint">
    <xsl:choose>
      <xsl:when test="@when"><xsl:call-template name="when-text"/></xsl:when>
      <xsl:when test="@from and @to">
        <xsl:value-of select="concat('from ', translate(@from, 'T', ' '), ' to ', translate(@to, 'T', ' '))"/>
      </xsl:when>
      <xsl:when test="@notBefore and @notAfter">
        <xsl:value-of select="concat('between ', translate(@notBefore, 'T', ' '), ' and ', translate(@notAfter, 'T', ' '))"/>
      </xsl:when>
      <xsl:when test="@notBefore"><xsl:value-of select="concat('not before ', translate(@notBefore, 'T', ' '))"/></xsl:when>
      <xsl:when test="@notAfter"><xsl:value-of select="concat('not after ', translate(@notAfter, 'T', ' '))"/></xsl:when>
      <xsl:when test="@from"><xsl:value-of select="concat('from ', translate(@from, 'T', ' '))"/></xsl:when>
      <xsl:when test="@to"><xsl:value-of select="concat('to ', translate(@to, 'T', ' '))"/></xsl:when>
    </xsl:choose>
    <xsl:if test="@evidence = 'internal'"> (inferred from the context)</xsl:if>
    <xsl:if test="@cert = 'low' or @cert = 'unknown'"> (uncertain)</xsl:if>
  </xsl:template>

  <!-- @when as "YYYY-MM-DD hh:mm" (seconds dropped when zero). -->
  <xsl:template name="when-text">
    <xsl:variable name="w" select="translate(@when, 'T', ' ')"/>
    <xsl:choose>
      <xsl:when test="string-length($w) = 19 and substring($w, 17) = ':00'">
        <xsl:value-of select="substring($w, 1, 16)"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$w"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ editorial interventions (ENCODING.md §4) -->

  <!-- [word] / [word?]: the brackets (and "?") are signs of the diplomatic view only. -->
  <xsl:template match="tei:supplied" mode="inline">
    <xsl:variable name="label-text">
      <xsl:choose>
        <xsl:when test="@cert = 'low'">Conjecture, supplied </xsl:when>
        <xsl:otherwise>Supplied </xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="by-whom"/>
      <xsl:if test="@cert = 'low'"> (uncertain)</xsl:if>
    </xsl:variable>
    <xsl:variable name="label" select="string($label-text)"/>
    <span class="supplied" role="group" aria-label="{$label}" title="{$label}">
      <xsl:if test="@cert"><xsl:attribute name="data-cert"><xsl:value-of select="@cert"/></xsl:attribute></xsl:if>
      <xsl:call-template name="resp-data"/>
      <span class="sign dipl">[</span>
      <xsl:apply-templates select="node()" mode="inline"/>
      <span class="sign dipl">
        <xsl:if test="@cert = 'low'">?</xsl:if>
        <xsl:text>]</xsl:text>
      </span>
    </span>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- A gap: a sign, so role="img" with a label that says why. The diplomatic view shows the
       canonical notation of §4 ([…], [illegible], [2 words illegible], [description]); the
       reading view a simple ellipsis. -->
  <xsl:template match="tei:gap" mode="inline">
    <xsl:variable name="label-text"><xsl:call-template name="gap-label"/></xsl:variable>
    <xsl:variable name="label" select="string($label-text)"/>
    <span class="gap" role="img" aria-label="{$label}" title="{$label}">
      <xsl:for-each select="@reason | @quantity | @atLeast | @atMost | @unit | @extent | @cert">
        <!-- lower case: HTML folds attribute names, XML does not (atMost → data-atmost) -->
        <xsl:attribute name="data-{translate(local-name(), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')}"><xsl:value-of select="."/></xsl:attribute>
      </xsl:for-each>
      <xsl:call-template name="resp-data"/>
      <span class="dipl">
        <xsl:text>[</xsl:text>
        <xsl:choose>
          <xsl:when test="tei:desc">
            <span class="gap-desc"><xsl:apply-templates select="tei:desc[1]/node()" mode="inline"/></span>
          </xsl:when>
          <xsl:when test="@reason = 'illegible' and @quantity and @unit">
            <xsl:value-of select="concat(@quantity, ' ')"/>
            <xsl:call-template name="unit-name"/>
            <xsl:text> illegible</xsl:text>
          </xsl:when>
          <xsl:when test="@reason = 'illegible'">illegible</xsl:when>
          <xsl:otherwise>…</xsl:otherwise>
        </xsl:choose>
        <xsl:if test="@cert = 'low'"> [?]</xsl:if>
        <xsl:text>]</xsl:text>
      </span>
      <span class="read">…</span>
    </span>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- Why a gap is there: reason, extent, description, who. -->
  <xsl:template name="gap-label">
    <xsl:choose>
      <xsl:when test="@reason = 'illegible'">Illegible in the source</xsl:when>
      <xsl:when test="@reason = 'withheld'">Withheld (not declassified)</xsl:when>
      <xsl:when test="@reason = 'lost'">Lost from the source</xsl:when>
      <xsl:when test="@reason = 'editorial' or not(@reason)">
        <xsl:text>Left out </xsl:text>
        <xsl:call-template name="by-whom"/>
      </xsl:when>
      <xsl:otherwise>Gap (<xsl:value-of select="@reason"/>)</xsl:otherwise>
    </xsl:choose>
    <xsl:variable name="extent"><xsl:call-template name="gap-extent"/></xsl:variable>
    <xsl:if test="$extent != ''">
      <xsl:value-of select="concat(', ', $extent)"/>
    </xsl:if>
    <xsl:if test="normalize-space(tei:desc[1]) != ''">
      <xsl:value-of select="concat(': “', normalize-space(tei:desc[1]), '”')"/>
    </xsl:if>
    <xsl:if test="@cert = 'low'"> (uncertain)</xsl:if>
    <xsl:if test="@resp and @reason and @reason != 'editorial'">
      <xsl:text> (noted </xsl:text>
      <xsl:call-template name="by-whom"/>
      <xsl:text>)</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- "2 words", "at most 1 line", "1.5 lines", "about 3 lines" (from @extent). -->
  <xsl:template name="gap-extent">
    <xsl:choose>
      <xsl:when test="@quantity and @unit">
        <xsl:value-of select="concat(@quantity, ' ')"/>
        <xsl:call-template name="unit-name"/>
      </xsl:when>
      <xsl:when test="@atMost and @unit">
        <xsl:value-of select="concat('at most ', @atMost, ' ')"/>
        <xsl:call-template name="unit-name">
          <xsl:with-param name="n" select="@atMost"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="@atLeast and @unit">
        <xsl:value-of select="concat('at least ', @atLeast, ' ')"/>
        <xsl:call-template name="unit-name">
          <xsl:with-param name="n" select="@atLeast"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="@extent"><xsl:value-of select="@extent"/></xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- The unit of a gap as a word, plural unless the number is 1: "word"/"words", "character"… -->
  <xsl:template name="unit-name">
    <xsl:param name="n" select="@quantity"/>
    <xsl:choose>
      <xsl:when test="@unit = 'char'">character</xsl:when>
      <xsl:otherwise><xsl:value-of select="@unit"/></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$n != 1">s</xsl:if>
  </xsl:template>

  <!-- word [sic] -->
  <xsl:template match="tei:sic" mode="inline">
    <xsl:variable name="label-text">
      <xsl:text>Sic: reproduced as found in the source</xsl:text>
      <xsl:if test="@resp">
        <xsl:text> (noted </xsl:text>
        <xsl:call-template name="by-whom"/>
        <xsl:text>)</xsl:text>
      </xsl:if>
    </xsl:variable>
    <xsl:variable name="label" select="string($label-text)"/>
    <span class="sic" role="group" aria-label="{$label}" title="{$label}">
      <xsl:call-template name="resp-data"/>
      <xsl:apply-templates select="node()" mode="inline"/>
      <span class="sign dipl"> [sic]</span>
    </span>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- word [?] -->
  <xsl:template match="tei:unclear" mode="inline">
    <xsl:variable name="label-text">
      <xsl:text>Uncertain reading</xsl:text>
      <xsl:if test="@reason"><xsl:value-of select="concat(' (', @reason, ')')"/></xsl:if>
      <xsl:if test="@resp">
        <xsl:text> (noted </xsl:text>
        <xsl:call-template name="by-whom"/>
        <xsl:text>)</xsl:text>
      </xsl:if>
    </xsl:variable>
    <xsl:variable name="label" select="string($label-text)"/>
    <span class="unclear" role="group" aria-label="{$label}" title="{$label}">
      <xsl:call-template name="resp-data"/>
      <xsl:apply-templates select="node()" mode="inline"/>
      <span class="sign dipl"> [?]</span>
    </span>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- [Page 12]: the page number in the margin (see .pb in the CSS). -->
  <xsl:template match="tei:pb" mode="inline">
    <span class="pb" role="separator" aria-label="{concat('Page ', @n, ' of the source begins here')}"
          title="{concat('Page ', @n, ' of the source begins here')}" data-n="{@n}">
      <!-- The first pb of its number gets the anchor. By key, not preceding::tei:pb, which walks
           the whole document before each pb; and, where teikit runs the sheet, by its
           key-first(), since libxslt's key() copies the key's whole node-set at each call (one pb
           of the same number per paragraph made rendering grow with the square of the text). -->
      <xsl:variable name="first-of-n">
        <xsl:choose>
          <xsl:when test="not(@n)"/>
          <xsl:when test="function-available('teikit:key-first')">
            <xsl:if test="count(teikit:key-first('pb-by-n', @n) | .) = 1">yes</xsl:if>
          </xsl:when>
          <xsl:when test="count(key('pb-by-n', @n)[1] | .) = 1">yes</xsl:when>
        </xsl:choose>
      </xsl:variable>
      <xsl:if test="$first-of-n = 'yes'">
        <xsl:attribute name="id"><xsl:value-of select="concat('page-', translate(@n, ' ', '_'))"/></xsl:attribute>
      </xsl:if>
      <span class="sign dipl">[</span>
      <xsl:value-of select="concat('Page ', @n)"/>
      <span class="sign dipl">]</span>
    </span>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- [Telegram], [Received …], [Source: …] -->
  <xsl:template match="tei:note" mode="inline">
    <xsl:variable name="label-text">
      <xsl:choose>
        <xsl:when test="@type = 'received'">Receipt note</xsl:when>
        <xsl:when test="@type = 'source'">Source note of the edition</xsl:when>
        <xsl:when test="@type = 'editorial'">The editor’s label</xsl:when>
        <xsl:otherwise>Note</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="label" select="string($label-text)"/>
    <span class="note" role="note" aria-label="{$label}" title="{$label}">
      <xsl:if test="@type"><xsl:attribute name="data-type"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
      <span class="sign dipl">[</span>
      <xsl:apply-templates select="node()" mode="inline"/>
      <span class="sign dipl">]</span>
    </span>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- A parenthesised note of the source, "(Received November 9, 1870.)": its own parentheses. -->
  <xsl:template match="tei:note[@rend = 'parentheses']" mode="inline" priority="2">
    <xsl:variable name="label">
      <xsl:choose>
        <xsl:when test="@type = 'received'">Receipt note</xsl:when>
        <xsl:otherwise>Note</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <span class="note" role="note" aria-label="{$label}" title="{$label}" data-type="{@type}">
      <xsl:text>(</xsl:text>
      <xsl:apply-templates select="node()" mode="inline"/>
      <xsl:text>)</xsl:text>
    </span>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- A footnote at its mark: the linked number ("[1]" in the diplomatic view); the note is in
       the list after the text. -->
  <xsl:template match="tei:note[@place = 'foot']" mode="inline" priority="2">
    <sup class="fn-ref">
      <a href="#fn-{@n}" id="fnref-{@n}" role="doc-noteref" aria-label="{concat('Note ', @n)}">
        <span class="sign dipl">[</span>
        <xsl:value-of select="@n"/>
        <span class="sign dipl">]</span>
      </a>
    </sup>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- A paragraph of a footnote that runs over several: on a line of its own in the note. -->
  <xsl:template match="tei:note[@place = 'foot']/tei:p" mode="inline">
    <xsl:if test="preceding-sibling::tei:p"><br/></xsl:if>
    <span class="fn-p"><xsl:apply-templates select="node()" mode="inline"/></span>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- The footnotes after the text, as the source gathered them: its rule line and heading, then
       the notes, each with its number linking back to its mark. The list numbers are the
       source's labels ("[1]", "1."), not the list's own. -->
  <xsl:template match="tei:divGen[@type = 'footnotes']" mode="block">
    <section class="footnotes" role="doc-endnotes">
      <xsl:choose>
        <xsl:when test="tei:head">
          <xsl:attribute name="aria-labelledby">footnotes-head</xsl:attribute>
        </xsl:when>
        <xsl:otherwise>
          <xsl:attribute name="aria-label">Notes</xsl:attribute>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="@rend">
        <p class="fn-rule"><xsl:value-of select="@rend"/></p>
      </xsl:if>
      <xsl:for-each select="tei:head[1]">
        <h2 id="footnotes-head"><xsl:apply-templates select="node()" mode="inline"/></h2>
      </xsl:for-each>
      <xsl:variable name="numbered" select="@subtype = 'numbered'"/>
      <ol class="fn-list">
        <xsl:for-each select="ancestor::tei:text[1]/descendant::tei:note[@place = 'foot']">
          <xsl:sort select="@n" data-type="number"/>
          <li id="fn-{@n}" value="{@n}">
            <a class="fn-back" href="#fnref-{@n}" role="doc-backlink"
               aria-label="{concat('Note ', @n, ', back to its mark')}">
              <xsl:choose>
                <xsl:when test="$numbered or @rend = 'numbered'"><xsl:value-of select="concat(@n, '.')"/></xsl:when>
                <xsl:otherwise>
                  <span class="sign dipl">[</span>
                  <xsl:value-of select="@n"/>
                  <span class="sign dipl">]</span>
                </xsl:otherwise>
              </xsl:choose>
            </a>
            <xsl:text> </xsl:text>
            <span class="note" role="note" aria-label="{concat('Note ', @n)}" title="{concat('Note ', @n)}" data-place="foot">
              <xsl:apply-templates select="node()" mode="inline"/>
            </span>
          </li>
        </xsl:for-each>
      </ol>
    </section>
  </xsl:template>

  <!-- [handwritten:]: what follows is in another hand. -->
  <xsl:template match="tei:handShift" mode="inline">
    <span class="handshift" role="note" aria-label="What follows is in another hand"
          title="What follows is in another hand" data-new="{@new}"><span class="sign dipl">[handwritten:]</span></span>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- [l. s.], [Seal] -->
  <xsl:template match="tei:seg[@type = 'seal']" mode="inline">
    <span class="seal" role="group" aria-label="Place of the seal (locus sigilli)" title="Place of the seal (locus sigilli)">
      <span class="sign dipl">[</span>
      <xsl:apply-templates select="node()" mode="inline"/>
      <span class="sign dipl">]</span>
    </span>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- [handwritten: X] -->
  <xsl:template match="tei:add" mode="inline">
    <xsl:variable name="label-text">
      <xsl:choose>
        <xsl:when test="@hand">Handwritten addition</xsl:when>
        <xsl:otherwise>Addition</xsl:otherwise>
      </xsl:choose>
      <xsl:if test="@place"><xsl:value-of select="concat(' (', @place, ')')"/></xsl:if>
    </xsl:variable>
    <xsl:variable name="label" select="string($label-text)"/>
    <span class="add" role="group" aria-label="{$label}" title="{$label}">
      <xsl:if test="@hand"><xsl:attribute name="data-hand"><xsl:value-of select="@hand"/></xsl:attribute></xsl:if>
      <span class="sign dipl">
        <xsl:choose>
          <xsl:when test="@hand = '#handwritten'">[handwritten: </xsl:when>
          <xsl:otherwise>[</xsl:otherwise>
        </xsl:choose>
      </span>
      <xsl:apply-templates select="node()" mode="inline"/>
      <span class="sign dipl">]</span>
    </span>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- [stamp: X] -->
  <xsl:template match="tei:stamp" mode="inline">
    <span class="stamp" role="group" aria-label="Stamp on the source" title="Stamp on the source">
      <span class="sign dipl">[stamp: </span>
      <span class="stamp-text"><xsl:apply-templates select="node()" mode="inline"/></span>
      <span class="sign dipl">]</span>
    </span>
    <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
  </xsl:template>

  <!-- ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ responsibility -->

  <!-- "by the translator, Mei Lindqvist" from @resp="#id" → respStmt; "by the editor" without. -->
  <xsl:template name="by-whom">
    <xsl:variable name="rs" select="key('id', substring-after(@resp, '#'))[self::tei:respStmt]"/>
    <xsl:choose>
      <xsl:when test="$rs">
        <xsl:text>by the </xsl:text>
        <xsl:for-each select="$rs[1]"><xsl:call-template name="resp-noun"/></xsl:for-each>
        <xsl:if test="normalize-space($rs[1]/tei:name[1]) != ''">
          <xsl:value-of select="concat(', ', normalize-space($rs[1]/tei:name[1]))"/>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise>by the editor</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A respStmt's resp as the name of a role: "translation" → "translator". -->
  <xsl:template name="resp-noun">
    <xsl:variable name="r" select="normalize-space(tei:resp[1])"/>
    <xsl:choose>
      <xsl:when test="$r = 'translation' or $r = 'translated by'">translator</xsl:when>
      <xsl:when test="$r = 'transcription' or $r = 'transcribed by'">transcriber</xsl:when>
      <xsl:when test="$r = 'edition' or $r = 'editing' or $r = 'edited by'">editor</xsl:when>
      <xsl:when test="$r != ''"><xsl:value-of select="$r"/></xsl:when>
      <xsl:otherwise>editor</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="resp-noun-capitalised">
    <xsl:variable name="n"><xsl:call-template name="resp-noun"/></xsl:variable>
    <xsl:value-of select="concat(translate(substring($n, 1, 1), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), substring($n, 2))"/>
  </xsl:template>

  <xsl:template name="resp-data">
    <xsl:if test="@resp">
      <xsl:attribute name="data-resp"><xsl:value-of select="@resp"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- ================================================================ CSS -->

  <!-- Small, inline, system fonts only. The view switch is pure CSS: `.dipl` is hidden in the
       reading view, `.read` shown only there. Colours keep WCAG AA contrast on the page colour. -->
  <xsl:template name="css">
    <xsl:text>
:root { --ink: #1d1d1b; --muted: #5c5c58; --paper: #fbfaf6; --rule: #d9d5cb;
  --supplied: #0b4f8a; --gap: #8a3f00; --gap-bg: #fff1dc; --withheld-bg: #e6e6e6;
  --sic: #a1261b; --hand: #5a2d91; --stamp: #a1261b; --focus: #1a66d6; }
* { box-sizing: border-box; }
html { background: var(--paper); color: var(--ink); }
body { margin: 0; font: 1.05rem/1.6 Georgia, "DejaVu Serif", "Liberation Serif", serif; }
.page { max-width: 74rem; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
.skip { position: absolute; left: -100vw; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .3rem .6rem; z-index: 2; }
h1 { font-size: 1.65rem; line-height: 1.25; margin: 0 0 .3rem; font-weight: normal; }
.meta h2, .legend h2 { font: 600 .8rem/1.3 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; text-transform: uppercase;
  letter-spacing: .06em; color: var(--muted); margin: 0 0 .6rem; }
.doc-head { border-bottom: 1px solid var(--rule); padding-bottom: .8rem; margin-bottom: 1.5rem; }
.doc-date { margin: 0; color: var(--muted); }
.doc-corresp { margin: .2rem 0 0; }
.columns { display: grid; grid-template-columns: minmax(0, 1fr) 21rem; column-gap: 3rem;
  grid-template-areas: "text meta" "text legend" "text ."; grid-template-rows: auto auto 1fr; }
.meta { grid-area: meta; } .legend { grid-area: legend; } .text { grid-area: text; }
.meta, .legend { font: .88rem/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
  background: #fff; border: 1px solid var(--rule); border-radius: 4px; padding: .9rem 1rem; margin-bottom: 1.2rem; }
.meta dl, .legend dl { margin: 0; }
.meta dt { font-weight: 600; margin-top: .55rem; } .meta dt:first-child { margin-top: 0; }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.m-para, .m-credits { display: block; } .m-credits { color: var(--muted); margin-top: .2rem; }
.legend dl { display: grid; grid-template-columns: 7.5rem 1fr; gap: .35rem .8rem; align-items: baseline; }
.legend dt { font-family: Georgia, "DejaVu Serif", serif; } .legend dd { margin: 0; }
.legend-hint { color: var(--muted); margin: .7rem 0 0; }
.decl { margin-top: .7rem; } .decl summary { cursor: pointer; color: var(--supplied); }
.decl ul { padding-left: 1.1rem; margin: .3rem 0; }
.list { display: block; padding-left: 1.1rem; margin: .3rem 0; } .list .item { display: list-item; }
/* the text: a left margin for the page numbers */
.text { position: relative; max-width: 42rem; }
.text.with-pages { padding-left: 5.5rem; max-width: 47.5rem; }
.text p { margin: 0 0 .9rem; }
.tei-div + .tei-div { border-top: 1px solid var(--rule); margin-top: 2rem; padding-top: 1.2rem; }
.head { font-size: 1.15rem; font-weight: 600; margin: 0 0 .8rem; }
.opener, .closer { margin: 0 0 1.1rem; }
.closer .address { margin: .6rem 0 0 2rem; font-style: italic; }
p.heading { font-weight: 600; margin-bottom: .4rem; }
ul.labelled { list-style: none; padding-left: 0; }
ul.labelled > li { margin: 0 0 .8rem; }
.closer .distribution { margin: .6rem 0 0; font-size: .95em; }
.closer .distribution ul { margin: 0 0 .25rem; padding-left: 1.4rem; }
.closer .distribution .list-head { margin: 0; }
.opener p, .closer p { margin: 0 0 .25rem; }
.closer { margin-top: 1.4rem; } .closer .signed, .closer .dateline { margin-left: 2rem; }
.salute { margin-top: .6rem !important; }
.note-block { margin: 0 0 .8rem; }
.views { margin-top: .7rem; font: .9rem/1 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; display: flex; align-items: center; gap: .4rem; }
.views-caption { color: var(--muted); margin-right: .2rem; }
.view-label { border: 1px solid #9c988d; border-radius: 3px; padding: .35rem .75rem; cursor: pointer; background: #fff; }
.view-input { position: absolute; opacity: 0; width: 1px; height: 1px; margin: 0; }
#view-diplomatic:checked ~ .page label[for="view-diplomatic"],
#view-reading:checked ~ .page label[for="view-reading"] { background: var(--ink); color: #fff; border-color: var(--ink); }
#view-diplomatic:focus-visible ~ .page label[for="view-diplomatic"],
#view-reading:focus-visible ~ .page label[for="view-reading"] { outline: 3px solid var(--focus); outline-offset: 2px; }
/* the two views */
.read { display: none; }
#view-reading:checked ~ .page .read { display: inline; }
#view-reading:checked ~ .page .dipl { display: none; }
/* editorial interventions */
.sign { font-weight: normal; font-style: normal; }
.supplied, .lg-supplied { color: var(--supplied); }
.supplied[data-cert="low"], .lg-conjecture { font-style: italic; }
.gap, .lg-gap { color: var(--gap); background: var(--gap-bg); border-radius: 3px; padding: 0 .15em; cursor: help; }
.gap[data-reason="withheld"], .lg-withheld { color: #333; background: var(--withheld-bg); }
.gap-desc { font-style: italic; }
.sic .sign, .lg-sic .sign { color: var(--sic); font-size: .85em; }
.sic, .lg-sic { text-decoration: underline wavy var(--sic) 1px; text-underline-offset: .2em; }
.unclear, .lg-unclear { text-decoration: underline dotted var(--muted); text-underline-offset: .2em; }
.unclear .sign, .lg-unclear .sign { color: var(--hand); font-size: .85em; }
.date, .lg-date { border-bottom: 1px dotted #8d897e; cursor: help; }
.pb, .lg-pb { font: .75rem/1.6 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--muted); white-space: nowrap; }
.pb { position: absolute; left: 0; width: 4.6rem; text-align: right; border-right: 2px solid var(--rule); padding-right: .4rem; }
.note, .lg-note { font: .9em/1.5 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--muted); }
.note[data-type="source"] { font-size: .82em; }
.fn-ref { font-size: .75em; line-height: 0; } .fn-ref a, .fn-back { text-decoration: none; }
.footnotes { margin-top: 2rem; } .fn-rule { color: var(--muted); margin: 0; }
.fn-list { list-style: none; padding-left: 0; } .fn-list li { margin: 0 0 .5rem; }
.fn-list .note[data-place="foot"] { color: inherit; }
.seal, .lg-seal { font-variant: small-caps; letter-spacing: .05em; }
.add, .lg-add { color: var(--hand); font-style: italic; font-family: "Segoe Script", "Bradley Hand", "URW Chancery L", cursive; }
.add .sign { font-family: Georgia, "DejaVu Serif", serif; }
.stamp-text, .lg-stamp { display: inline-block; color: var(--stamp); border: 2px solid var(--stamp); border-radius: 3px;
  padding: 0 .3em; font: 600 .85em/1.4 "DejaVu Sans", Arial, sans-serif; letter-spacing: .04em; transform: rotate(-1.5deg); }
.stamp .sign { color: var(--stamp); font-size: .85em; }
#view-reading:checked ~ .page .supplied { color: inherit; font-style: normal; }
#view-reading:checked ~ .page .gap { color: var(--muted); background: none; padding: 0; }
#view-reading:checked ~ .page .sic, #view-reading:checked ~ .page .unclear { text-decoration: none; }
.doc-foot { margin-top: 2.5rem; border-top: 1px solid var(--rule); padding-top: .8rem;
  font: .8rem/1.5 "DejaVu Sans", Arial, sans-serif; color: var(--muted); }
.doc-foot p { margin: 0; max-width: 46rem; }
a { color: var(--supplied); }
a:focus-visible, summary:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
@media (max-width: 60rem) {
  .columns { display: block; }
  .text.with-pages { padding-left: 4rem; }
  .pb { width: 3.4rem; }
}
@media print {
  html, body { background: #fff; color: #000; font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  .views, .skip, .legend-hint, .decl { display: none; }
  .columns { display: block; }
  .meta, .legend { border: 0; padding: 0; background: none; }
  .legend dl { grid-template-columns: 9em 1fr; }
  .text { max-width: none; } .text.with-pages { padding-left: 3.6rem; }
  .pb { width: 3rem; }
  .gap, .lg-gap { background: none; }
  .m-citation a[href]::after { content: " (" attr(href) ")"; }
  .meta a { color: #000; text-decoration: none; }
  .tei-div, .legend { break-before: auto; } .opener, .closer, .note-block { break-inside: avoid; }
}
</xsl:text>
  </xsl:template>

  <!-- The filters and the result metadata of the search index (search=yes): one hidden element
       per value, read by pagefind whatever its visibility. -->
  <xsl:template name="search-metadata">
    <xsl:variable name="hd" select="/tei:TEI/tei:teiHeader"/>
    <xsl:variable name="when" select="string($hd/tei:profileDesc/tei:creation/tei:date[1]/@when)"/>
    <span hidden="" data-pagefind-meta="title"><xsl:value-of select="normalize-space($hd/tei:fileDesc/tei:titleStmt/tei:title[1])"/></span>
    <xsl:if test="string-length($when) &gt;= 4">
      <span hidden="" data-pagefind-filter="year"><xsl:value-of select="substring($when, 1, 4)"/></span>
      <span hidden="" data-pagefind-meta="date"><xsl:value-of select="$when"/></span>
    </xsl:if>
    <xsl:for-each select="$hd/tei:profileDesc/tei:correspDesc/tei:correspAction[@type = 'sent']/*[self::tei:persName or self::tei:name or self::tei:orgName][normalize-space(.) != '']">
      <span hidden="" data-pagefind-filter="sender"><xsl:value-of select="normalize-space(.)"/></span>
    </xsl:for-each>
    <xsl:for-each select="$hd/tei:profileDesc/tei:correspDesc/tei:correspAction[@type = 'received']/*[self::tei:persName or self::tei:name or self::tei:orgName][normalize-space(.) != '']">
      <span hidden="" data-pagefind-filter="addressee"><xsl:value-of select="normalize-space(.)"/></span>
    </xsl:for-each>
    <xsl:for-each select="$hd/tei:profileDesc/tei:correspDesc/tei:correspAction/tei:placeName[normalize-space(.) != ''] | $hd/tei:profileDesc/tei:settingDesc//tei:placeName[normalize-space(.) != '']">
      <span hidden="" data-pagefind-filter="place"><xsl:value-of select="normalize-space(.)"/></span>
    </xsl:for-each>
    <xsl:for-each select="($hd/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msIdentifier/tei:repository | $hd/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:publisher)[normalize-space(.) != ''][1]">
      <span hidden="" data-pagefind-filter="archive"><xsl:value-of select="normalize-space(.)"/></span>
    </xsl:for-each>
    <xsl:for-each select="$hd/tei:profileDesc/tei:textClass/tei:keywords/tei:term[@type = 'document-kind'][normalize-space(.) != ''][1]">
      <span hidden="" data-pagefind-filter="kind"><xsl:value-of select="normalize-space(.)"/></span>
    </xsl:for-each>
    <xsl:for-each select="$hd/tei:profileDesc/tei:langUsage/tei:language[@n = 'original' or not(@n)][normalize-space(.) != ''][1]">
      <span hidden="" data-pagefind-filter="language"><xsl:value-of select="normalize-space(.)"/></span>
    </xsl:for-each>
  </xsl:template>

</xsl:stylesheet>
