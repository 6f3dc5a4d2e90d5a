<?xml version="1.0" encoding="UTF-8"?>
<!--
  url-allow-list.xsl: the one rule for every URL a teikit stylesheet writes into href (or src).

  A URL is linked only when it is
    * absolute with the scheme http, https or mailto (compared case-insensitively), or
    * relative to the edition's own files: no scheme, and not protocol-relative ("//host…").
  Anything else (javascript:, data:, vbscript:, file:, blob:, …) is shown as text by the
  caller, never linked.

  The scheme is read as a browser reads it (WHATWG URL): tab, line feed and carriage return are
  removed wherever they stand ("java&#x0A;script:" is "javascript:"), leading spaces are
  stripped, and "\" counts as "/". Whatever precedes the first ":" is taken for a scheme unless it
  holds "/", "?" or "#" (then the browser sees a relative path); a candidate that is not a valid
  scheme ("ja va:") is refused rather than guessed about. The same rule is applied by
  `teikit validate` (schemas/teikit.sch, pattern "urls").

  Included by tei-to-html.xsl (and through it by edition-index.xsl). XSLT 1.0.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <!-- Writes "yes" when $url may be linked, nothing otherwise. $schemes: the allowed schemes,
       space-separated, lower case; $relative: 'yes' when relative links are allowed too. -->
  <xsl:template name="url-allowed">
    <xsl:param name="url"/>
    <xsl:param name="schemes" select="'http https mailto'"/>
    <xsl:param name="relative" select="'yes'"/>
    <!-- tab, LF, CR are removed anywhere by the URL parser; C0 controls and space only at the
         ends (other C0 controls cannot occur in XML 1.0). -->
    <xsl:variable name="u0" select="translate(string($url), '&#9;&#10;&#13;', '')"/>
    <xsl:variable name="first" select="substring(normalize-space($u0), 1, 1)"/>
    <xsl:variable name="u" select="substring($u0, string-length(substring-before($u0, $first)) + 1)"/>
    <xsl:variable name="head" select="substring-before($u, ':')"/>
    <xsl:variable name="has-scheme" select="contains($u, ':') and translate($head, '/?#\', '') = $head"/>
    <xsl:variable name="scheme" select="translate($head, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"/>
    <xsl:choose>
      <xsl:when test="$has-scheme">
        <xsl:if test="$scheme != '' and not(contains($scheme, ' ')) and contains(concat(' ', $schemes, ' '), concat(' ', $scheme, ' '))">yes</xsl:if>
      </xsl:when>
      <xsl:when test="$relative = 'yes' and not(starts-with(translate($u, '\', '/'), '//'))">yes</xsl:when>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
