// File names as they may appear inside XML: a name is any bytes but '/' and NUL (not UTF-8,
// control bytes, '<', '&'), an XML document is not.
#pragma once

#include <string>

namespace teikit {

/// Text for an XML document from a file name (an `idno`, a title): valid UTF-8 of characters XML
/// can carry. A byte that is not part of such a character (invalid UTF-8, C0 and C1 controls,
/// DEL, U+FFFE, U+FFFF) is written "%XX", so `$'a\x01b'` → "a%01b" and `$'\xff'` → "%FF".
/// Markup characters stay (the serializer escapes them).
std::string name_as_text(const std::string& name);

/// The same for a longer text that may hold file names (a report's message): tab, line feed
/// and carriage return are kept.
std::string as_xml_text(const std::string& text);

/// "" when `text` can be written into an XML document as it is: UTF-8 of characters XML 1.0
/// allows (no NUL or other C0 control but tab, line feed and carriage return; no U+FFFE,
/// U+FFFF, surrogate). Otherwise why not ("holds the character U+0001, which XML cannot carry",
/// "is not UTF-8 (byte 0xFF at 3)"): for values given by the user (--publisher, a config file's
/// licence), which are refused rather than changed.
std::string xml_text_problem(const std::string& text);

/// A relative URI reference (RFC 3986) naming the file `name` in the same directory, for
/// `@source` and `href`: every byte but the unreserved characters and "!$&'()*+,;=@" is
/// percent-encoded, so "a b&<c>.xml" → "a%20b&%3Cc%3E.xml", `$'\xff.xml'` → "%FF.xml", and a
/// ':' never makes the name look like a scheme.
std::string name_as_uri(const std::string& name);

/// An NCName (for `xml:id`) from a file stem: ASCII letters, digits, '-' and '_' are kept,
/// every other byte becomes '_', and a result that does not start with a letter or '_' gets the
/// prefix "d-". Never contains '.', so "DOCID." + an inner id can never equal another
/// document's id (x.xml and x.translator.xml give "x" and "x_translator").
std::string name_as_ncname(const std::string& stem);

}  // namespace teikit
