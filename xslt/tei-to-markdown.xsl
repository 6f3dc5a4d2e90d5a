<?xml version="1.0" encoding="UTF-8"?>
<!--
  tei-to-markdown.xsl: a teikit TEI document as Markdown (CommonMark).

  The text round trip (tei-to-text.xsl, imported) with Markdown on top: the title as a level-1
  heading, header labels in bold ("**Citation:** …"), a head as a level-2 heading, and every
  character that Markdown would read as markup escaped, so that the editorial brackets of
  ENCODING.md §4 ([Hanfu], […], word [sic], [Page 12]) come out as written, never as links
  or emphasis. Paragraph-initial "84." is escaped too ("84\."), or it would become a list.

  Parameters: part ('all', 'header', 'body'), as in tei-to-text.xsl.

  XSLT 1.0 + EXSLT (str:replace); runs under libxslt (`teikit render` with "to markdown").
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:str="http://exslt.org/strings"
    xmlns:teikit="urn:x-teikit:xslt"
    extension-element-prefixes="teikit"
    exclude-result-prefixes="tei str">

  <xsl:import href="tei-to-text.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <!-- One block. The context node is the element the block was made from (tei-to-text calls
       emit inside for-each / block templates), which says what kind of block it is. -->
  <xsl:template name="emit">
    <xsl:param name="text"/>
    <xsl:variable name="t" select="normalize-space($text)"/>
    <xsl:if test="$t != ''">
      <xsl:variable name="md">
        <xsl:call-template name="escape-block">
          <xsl:with-param name="s" select="$t"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:choose>
        <xsl:when test="self::tei:title and parent::tei:titleStmt">
          <xsl:value-of select="concat('# ', $md)"/>
        </xsl:when>
        <xsl:when test="self::tei:head">
          <xsl:value-of select="concat('## ', $md)"/>
        </xsl:when>
        <xsl:when test="self::tei:abstract and $t = 'Summary:'">**Summary:**</xsl:when>
        <xsl:when test="self::tei:date and parent::tei:creation">
          <xsl:value-of select="concat('*', $md, '*')"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="$md"/></xsl:otherwise>
      </xsl:choose>
      <xsl:value-of select="concat($nl, $nl)"/>
      <!-- the page so far is written (as in tei-to-text.xsl's emit) -->
      <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
    </xsl:if>
  </xsl:template>

  <!-- "**Label:** value" as one paragraph. -->
  <xsl:template name="field">
    <xsl:param name="label"/>
    <xsl:param name="text"/>
    <xsl:if test="normalize-space($text) != ''">
      <xsl:text>**</xsl:text>
      <xsl:call-template name="escape">
        <xsl:with-param name="s" select="normalize-space($label)"/>
      </xsl:call-template>
      <xsl:text>:** </xsl:text>
      <xsl:call-template name="escape">
        <xsl:with-param name="s" select="normalize-space($text)"/>
      </xsl:call-template>
      <xsl:value-of select="concat($nl, $nl)"/>
      <teikit:checkpoint><xsl:fallback/></teikit:checkpoint>
    </xsl:if>
  </xsl:template>

  <!-- Escapes inline markup, then what only matters at the start of a block: "#", ">", "-",
       "+" and "1." / "1)" would make a heading, quote or list. -->
  <xsl:template name="escape-block">
    <xsl:param name="s"/>
    <xsl:variable name="e">
      <xsl:call-template name="escape"><xsl:with-param name="s" select="$s"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="first" select="substring($e, 1, 1)"/>
    <xsl:variable name="num-len">
      <xsl:call-template name="leading-digits"><xsl:with-param name="s" select="$e"/></xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="contains('#>-+', $first) and $first != ''">
        <xsl:value-of select="concat('\', $e)"/>
      </xsl:when>
      <xsl:when test="$num-len > 0 and $num-len &lt; 10 and contains('.)', substring($e, $num-len + 1, 1))">
        <xsl:value-of select="concat(substring($e, 1, $num-len), '\', substring($e, $num-len + 1))"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$e"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Number of ASCII digits at the start of $s. -->
  <xsl:template name="leading-digits">
    <xsl:param name="s"/>
    <xsl:param name="n" select="0"/>
    <xsl:choose>
      <xsl:when test="$s != '' and contains('0123456789', substring($s, 1, 1)) and $n &lt; 10">
        <xsl:call-template name="leading-digits">
          <xsl:with-param name="s" select="substring($s, 2)"/>
          <xsl:with-param name="n" select="$n + 1"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$n"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Backslash-escapes the characters CommonMark reads as inline markup. -->
  <xsl:template name="escape">
    <xsl:param name="s"/>
    <xsl:value-of select="str:replace(str:replace(str:replace(str:replace(str:replace(str:replace(str:replace(
        $s, '\', '\\'), '`', '\`'), '*', '\*'), '_', '\_'), '[', '\['), ']', '\]'), '&lt;', '\&lt;')"/>
  </xsl:template>

</xsl:stylesheet>
