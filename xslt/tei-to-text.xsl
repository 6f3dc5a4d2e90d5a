<?xml version="1.0" encoding="UTF-8"?>
<!--
  tei-to-text.xsl: a teikit TEI document back to the plain text of its transcription.

  The round trip (ENCODING.md §3) must reproduce the source: the same non-whitespace
  characters in the same order, with the bracket notation of §4 in its canonical form.
  Whitespace is not significant for that comparison; inside a block it is collapsed to
  single spaces, and blocks are separated by one blank line.

  Layout:
    header  date line, title, Citation:, Summary:, Credits:, Original Language:,
            Contents:, then every notesStmt/note as "Label:" (each only when present)
    body    every block of text/body/div in document order: p, ab, head, and each child
            of opener/closer (seg, dateline, salute, signed, and a gap/note/pb standing
            directly in div/opener/closer)

  XSLT 1.0; runs under libxslt (`teikit render` with "to text", or xsltproc).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:teikit="urn:x-teikit:xslt"
    extension-element-prefixes="teikit"
    exclude-result-prefixes="tei">

  <xsl:output method="text" encoding="UTF-8"/>

  <!-- Which part to write: 'all' (default), 'header' or 'body'. The round-trip check renders the
       parts separately, because the TEI header does not keep the order of the source's fields. -->
  <xsl:param name="part" select="'all'"/>

  <!-- Blank line between blocks. -->
  <xsl:variable name="nl" select="'&#10;'"/>

  <xsl:template match="/">
    <xsl:apply-templates select="tei:TEI | tei:teiCorpus/tei:TEI"/>
  </xsl:template>

  <xsl:template match="tei:TEI">
    <xsl:if test="$part != 'body'">
      <xsl:apply-templates select="tei:teiHeader" mode="header"/>
    </xsl:if>
    <xsl:if test="$part != 'header'">
      <xsl:apply-templates select="tei:text" mode="block"/>
    </xsl:if>
  </xsl:template>

  <!-- ================================================================ blocks -->

  <!-- Writes one block: its text with whitespace collapsed, then a blank line.
       Nothing at all for a block without text. -->
  <!-- Under teikit, the page so far is written after each block (teikit:checkpoint, see
       converter/src/render/transform.cpp): the result never holds the whole text, and libxslt
       never appends to a long text node, which copies it. -->
  <xsl:template name="emit">
    <xsl:param name="text"/>
    <xsl:variable name="t" select="normalize-space($text)"/>
    <xsl:if test="$t != ''">
      <xsl:value-of select="$t"/>
      <xsl:value-of select="concat($nl, $nl)"/>
      <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
    </xsl:if>
  </xsl:template>

  <!-- "Label:" block followed by the value's block, only when the value has text. -->
  <xsl:template name="field">
    <xsl:param name="label"/>
    <xsl:param name="text"/>
    <xsl:if test="normalize-space($text) != ''">
      <xsl:call-template name="emit">
        <xsl:with-param name="text" select="concat($label, ':')"/>
      </xsl:call-template>
      <xsl:call-template name="emit">
        <xsl:with-param name="text" select="$text"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- ================================================================ header -->

  <xsl:template match="tei:teiHeader" mode="header">
    <xsl:variable name="fd" select="tei:fileDesc"/>
    <xsl:variable name="pd" select="tei:profileDesc"/>
    <xsl:variable name="bibl" select="$fd/tei:sourceDesc/tei:bibl"/>

    <!-- date line -->
    <xsl:for-each select="$pd/tei:creation/tei:date">
      <xsl:call-template name="emit">
        <xsl:with-param name="text">
          <xsl:apply-templates select="node()" mode="inline"/>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>

    <!-- title (a title the converter made up is not part of the source) -->
    <xsl:for-each select="$fd/tei:titleStmt/tei:title[not(@type = 'generated')]">
      <xsl:call-template name="emit">
        <xsl:with-param name="text">
          <xsl:apply-templates select="node()" mode="inline"/>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>

    <!-- Citation: the bibl without the notes that carry other header fields. Without a
         Citation field the converter writes a stand-in bibl (@type 'title-only': the title
         again, 'none': "No citation was given."), which is not source text. -->
    <xsl:for-each select="$bibl[not(@type = 'title-only' or @type = 'none')]">
      <xsl:call-template name="field">
        <xsl:with-param name="label" select="'Citation'"/>
        <xsl:with-param name="text">
          <xsl:apply-templates select="node()[not(self::tei:note)]" mode="inline"/>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>

    <!-- Summary: one block per paragraph of the abstract -->
    <xsl:for-each select="$pd/tei:abstract[normalize-space(.) != '']">
      <xsl:call-template name="emit">
        <xsl:with-param name="text" select="'Summary:'"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="tei:p">
          <xsl:for-each select="tei:p">
            <xsl:call-template name="emit">
              <xsl:with-param name="text">
                <xsl:apply-templates select="node()" mode="inline"/>
              </xsl:with-param>
            </xsl:call-template>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="emit">
            <xsl:with-param name="text">
              <xsl:apply-templates select="node()" mode="inline"/>
            </xsl:with-param>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>

    <!-- A Summary that was the edition's source note is kept in bibl/note[@type='source']. -->
    <xsl:for-each select="$bibl/tei:note[@type = 'source']">
      <xsl:call-template name="field">
        <xsl:with-param name="label" select="'Summary'"/>
        <xsl:with-param name="text">
          <xsl:apply-templates select="node()" mode="inline"/>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>

    <xsl:for-each select="$bibl/tei:note[@type = 'credits']">
      <xsl:call-template name="field">
        <xsl:with-param name="label" select="'Credits'"/>
        <xsl:with-param name="text">
          <xsl:apply-templates select="node()" mode="inline"/>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>

    <!-- Several original languages ("English, Undetermined") are one field, comma-separated. -->
    <xsl:if test="$pd/tei:langUsage/tei:language[@n = 'original']">
      <xsl:call-template name="field">
        <xsl:with-param name="label" select="'Original Language'"/>
        <xsl:with-param name="text">
          <xsl:for-each select="$pd/tei:langUsage/tei:language[@n = 'original']">
            <xsl:if test="position() &gt; 1">, </xsl:if>
            <xsl:apply-templates select="node()" mode="inline"/>
          </xsl:for-each>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:if>

    <xsl:for-each select="$bibl/tei:note[@type = 'contents']">
      <xsl:call-template name="field">
        <xsl:with-param name="label" select="'Contents'"/>
        <xsl:with-param name="text">
          <xsl:apply-templates select="node()" mode="inline"/>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>

    <!-- Header fields the converter did not know: <note type="x"><label>X</label> value</note> -->
    <xsl:for-each select="$fd/tei:notesStmt/tei:note">
      <xsl:variable name="label">
        <xsl:choose>
          <xsl:when test="tei:label">
            <xsl:value-of select="normalize-space(tei:label[1])"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:value-of select="@type"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:call-template name="field">
        <xsl:with-param name="label" select="$label"/>
        <xsl:with-param name="text">
          <xsl:apply-templates select="node()[not(self::tei:label and count(preceding-sibling::tei:label) = 0)]" mode="inline"/>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <!-- ================================================================ body -->

  <!-- Containers: their children are the blocks. -->
  <xsl:template match="tei:text | tei:front | tei:body | tei:back | tei:group | tei:div
                       | tei:opener | tei:closer | tei:postscript | tei:note[@type = 'distribution']
                       | tei:list[@type = 'distribution']" mode="block">
    <xsl:apply-templates select="node()" mode="block"/>
  </xsl:template>

  <!-- Any other element standing in a container (p, ab, head, seg, dateline, salute,
       signed, and a gap, note or pb on its own) is one block, rendered inline. -->
  <xsl:template match="*" mode="block">
    <xsl:call-template name="emit">
      <xsl:with-param name="text">
        <xsl:apply-templates select="." mode="inline"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A numbered or lettered sequence: each item a block of its own, its label in front
       ("1. The Army's influence …"), as the source wrote it. -->
  <xsl:template match="tei:list[tei:label]" mode="block">
    <xsl:for-each select="tei:item">
      <xsl:call-template name="emit">
        <xsl:with-param name="text">
          <xsl:for-each select="preceding-sibling::*[1][self::tei:label]">
            <xsl:apply-templates select="node()" mode="inline"/>
            <xsl:text> </xsl:text>
          </xsl:for-each>
          <xsl:apply-templates select="node()[not(self::tei:list[tei:label])]" mode="inline"/>
        </xsl:with-param>
      </xsl:call-template>
      <!-- A list nested in the item ("2. The acts are as follows:", then "a." to "f."): its
           items are blocks of their own after the item's. -->
      <xsl:apply-templates select="tei:list[tei:label]" mode="block"/>
    </xsl:for-each>
  </xsl:template>

  <!-- Stray text in a container (normally only indentation) is kept as its own block. -->
  <xsl:template match="text()" mode="block">
    <xsl:call-template name="emit">
      <xsl:with-param name="text" select="."/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="block"/>

  <!-- ================================================================ inline -->

  <xsl:template match="text()" mode="inline">
    <xsl:value-of select="."/>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="inline"/>

  <!-- Everything without a rule of its own (p, ab, head, seg, date, name, ...) is its content. -->
  <xsl:template match="*" mode="inline">
    <xsl:apply-templates select="node()" mode="inline"/>
  </xsl:template>

  <!-- [word], [word?] -->
  <xsl:template match="tei:supplied" mode="inline">
    <xsl:text>[</xsl:text>
    <xsl:apply-templates select="node()" mode="inline"/>
    <xsl:choose>
      <xsl:when test="@cert = 'low'">?]</xsl:when>
      <xsl:otherwise>]</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- [description], [2 words illegible], [illegible], [...]; an uncertain gap
       (cert="low", from "[illegible [?]]") keeps its " [?]". -->
  <xsl:template match="tei:gap" mode="inline">
    <xsl:text>[</xsl:text>
    <xsl:choose>
      <xsl:when test="tei:desc">
        <xsl:apply-templates select="tei:desc[1]/node()" mode="inline"/>
      </xsl:when>
      <xsl:when test="@reason = 'illegible' and @quantity and @unit">
        <xsl:value-of select="concat(@quantity, ' ')"/>
        <xsl:call-template name="unit-name"/>
        <xsl:text> illegible</xsl:text>
      </xsl:when>
      <xsl:when test="@reason = 'illegible'">illegible</xsl:when>
      <xsl:otherwise>...</xsl:otherwise>
    </xsl:choose>
    <xsl:if test="@cert = 'low'"> [?]</xsl:if>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- The unit of a gap as words: "word"/"words", "character"/"characters", … -->
  <xsl:template name="unit-name">
    <xsl:choose>
      <xsl:when test="@unit = 'char'">character</xsl:when>
      <xsl:otherwise><xsl:value-of select="@unit"/></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="@quantity != 1">s</xsl:if>
  </xsl:template>

  <!-- word [sic] -->
  <xsl:template match="tei:sic" mode="inline">
    <xsl:apply-templates select="node()" mode="inline"/>
    <xsl:text> [sic]</xsl:text>
  </xsl:template>

  <!-- word [?] -->
  <xsl:template match="tei:unclear" mode="inline">
    <xsl:apply-templates select="node()" mode="inline"/>
    <xsl:text> [?]</xsl:text>
  </xsl:template>

  <!-- [Page 12] -->
  <xsl:template match="tei:pb" mode="inline">
    <xsl:value-of select="concat('[Page ', @n, ']')"/>
  </xsl:template>

  <!-- [Telegram], [Source: ...], [Received ...]; a seal: [l. s.] -->
  <xsl:template match="tei:note | tei:seg[@type = 'seal']" mode="inline">
    <xsl:text>[</xsl:text>
    <xsl:apply-templates select="node()" mode="inline"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- A parenthesised note: (Received November 9, 1870.) -->
  <xsl:template match="tei:note[@rend = 'parentheses']" mode="inline" priority="2">
    <xsl:text>(</xsl:text>
    <xsl:apply-templates select="node()" mode="inline"/>
    <xsl:text>)</xsl:text>
  </xsl:template>

  <!-- A footnote at its mark: the mark [1]; the note itself is written where the notes area
       stood (the divGen after the text). -->
  <xsl:template match="tei:note[@place = 'foot']" mode="inline" priority="2">
    <xsl:value-of select="concat('[', @n, ']')"/>
  </xsl:template>

  <!-- The notes area after the text: its rule line, its heading, then each footnote as a
       block "[1] text" (or "1. text" when the source numbered them so). -->
  <xsl:template match="tei:divGen[@type = 'footnotes']" mode="block">
    <xsl:if test="@rend">
      <xsl:call-template name="emit">
        <xsl:with-param name="text" select="@rend"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:apply-templates select="tei:head" mode="block"/>
    <xsl:variable name="numbered" select="@subtype = 'numbered'"/>
    <xsl:for-each select="ancestor::tei:text[1]//tei:note[@place = 'foot']">
      <xsl:sort select="@n" data-type="number"/>
      <xsl:call-template name="emit">
        <xsl:with-param name="text">
          <xsl:choose>
            <xsl:when test="$numbered or @rend = 'numbered'"><xsl:value-of select="concat(@n, '. ')"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="concat('[', @n, '] ')"/></xsl:otherwise>
          </xsl:choose>
          <!-- A note of several paragraphs: the first after the label, each further one a
               block of its own. -->
          <xsl:apply-templates select="(self::*[not(tei:p)] | tei:p[1])/node()" mode="inline"/>
        </xsl:with-param>
      </xsl:call-template>
      <xsl:for-each select="tei:p[position() &gt; 1]">
        <xsl:call-template name="emit">
          <xsl:with-param name="text">
            <xsl:apply-templates select="node()" mode="inline"/>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <!-- [handwritten:] with nothing after the colon: a change of hand. -->
  <xsl:template match="tei:handShift" mode="inline">
    <xsl:text>[handwritten:]</xsl:text>
  </xsl:template>

  <!-- [handwritten: X] -->
  <xsl:template match="tei:add[@hand = '#handwritten']" mode="inline">
    <xsl:text>[handwritten: </xsl:text>
    <xsl:apply-templates select="node()" mode="inline"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- [stamp: X] -->
  <xsl:template match="tei:stamp" mode="inline">
    <xsl:text>[stamp: </xsl:text>
    <xsl:apply-templates select="node()" mode="inline"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- A line break keeps the words on either side apart. -->
  <xsl:template match="tei:lb" mode="inline">
    <xsl:text> </xsl:text>
  </xsl:template>

</xsl:stylesheet>
