// An XML document read for validation: the bytes, the tree, and where each element starts in
// the bytes, so that a finding on a node (a RelaxNG or Schematron error) can be printed as
// file:line:column. libxml2 keeps only a line number per node (and only up to 65535), so the
// parser is run with record_info, which notes the byte offset of every element's '<'.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "teikit/base/xml.hpp"

namespace teikit {

/// A 1-based line and column in an XML document (0 when unknown).
struct XmlPosition {
  std::uint32_t line = 0;    ///< 1-based line, 0 when unknown
  std::uint32_t column = 0;  ///< 1-based column in code points, 0 when unknown
};

/// How an XML input is read.
struct XmlReadOptions {
  /// Process XInclude (local files only: the no-network entity loader and XML_PARSE_NONET stay
  /// in force), as jing does. Off by default, so that a document cannot pull other files into
  /// the tree (and from there into diagnostics): then no included resource is read, each
  /// xi:include is replaced by its xi:fallback, and one without a fallback is an error.
  bool xinclude = false;
};

/// At most this many attributes (namespace declarations included) on one element: libxml2 2.9
/// checks each attribute against all the earlier ones of its element (10^5 attributes: 11 s).
/// TEI elements have a few dozen at most.
constexpr std::size_t kMaxAttributes = 1000;
/// Over the whole document, the sum of the squares of the elements' attribute counts may not
/// exceed kAttributePairsBase + kAttributePairsPerUnit × its size: one element with 1000
/// attributes is read, but not a thousand of them in 8 MB (libxml2 2.9: 5 s to parse). Ordinary
/// TEI (a few attributes per element) stays far below (about 1 per byte).
constexpr std::size_t kAttributePairsBase = 1000000;
constexpr std::size_t kAttributePairsPerUnit = 16;
/// At most this many namespace declarations in scope at any element (counted as written, a
/// redeclaration too): libxml2 2.9 looks each prefix up through all of them.
constexpr std::size_t kMaxNamespaceDeclarations = 1000;
/// At most this many characters in a document type declaration's internal subset: libxml2 2.9
/// handles attribute-list declarations there in quadratic time.
constexpr std::size_t kMaxInternalSubsetUnits = 256 * 1024;

/// Checks, in one linear pass over `bytes` (UTF-8 or another ASCII-compatible encoding, UTF-16
/// or UTF-32), that the document stays within the limits above. Returns "" when it does, else
/// why not, with the line of the offending markup in `*line` (when `line` is not null).
/// Comments, CDATA sections, processing instructions and quoted values are skipped as XML
/// does; a document that is not well-formed may pass and is then refused by the parser.
std::string check_xml_shape(const std::string& bytes, std::uint32_t* line = nullptr);

/// A parsed XML document with the positions of its elements.
class XmlSource {
 public:
  /// Parses `bytes` (named `name` in diagnostics; also the base URI for XInclude) with
  /// xml::safe_parse_options(). Check ok() and error().
  XmlSource(std::string name, std::string bytes, const XmlReadOptions& options = {});

  /// True when the document is well-formed (and its XIncludes, if any, were processed).
  bool ok() const { return doc_ != nullptr; }
  /// Why it is not: "line N: message".
  const std::string& error() const { return error_; }
  /// True when the document was refused by check_xml_shape() before parsing (error() says why).
  bool limit_exceeded() const { return limit_exceeded_; }
  /// True when memory ran out while parsing (then !ok(), and nothing is known of the document).
  bool out_of_memory() const { return out_of_memory_; }
  /// The line of the first well-formedness error (0 if unknown).
  std::uint32_t error_line() const { return error_line_; }
  /// The file name given at construction.
  const std::string& name() const { return name_; }
  /// The tree (null when !ok()).
  xmlDoc* doc() const { return doc_.get(); }
  /// The bytes as read.
  const std::string& bytes() const { return bytes_; }

  /// Position of the start tag of `node`'s element (for an attribute: of the attribute inside its
  /// element's start tag; for a text node: its parent element). A node copied in by XInclude is
  /// placed at the nearest ancestor from this file (the element that held the xi:include). When
  /// the input was transcoded (not UTF-8), offsets are unknown: `fallback_line` (libxml2's line)
  /// is returned, without a column.
  XmlPosition position(const xmlNode* node, int fallback_line = 0) const;

  /// Position of attribute `attr_name` (a local name, as libxml2 reports it) in the start tag of
  /// `element`; the element's position when it cannot be found.
  XmlPosition attribute_position(const xmlNode* element, const std::string& attr_name) const;

 private:
  XmlPosition at_offset(std::size_t offset) const;
  std::uint32_t code_points_before(std::size_t offset) const;
  std::size_t start_tag_end(std::size_t begin) const;

  std::string name_;
  std::string bytes_;
  xml::DocPtr doc_;
  std::string error_;
  std::uint32_t error_line_ = 0;
  bool limit_exceeded_ = false;
  bool out_of_memory_ = false;
  bool offsets_are_bytes_ = true;  // false for non-UTF-8 inputs (offsets then mean nothing)
  void index() const;  // builds the three below from ends_, once (see xml_source.cpp)
  // Where each element's start tag ends, in parse order, until index() turns it into starts_.
  mutable std::vector<std::pair<const xmlNode*, std::size_t>> ends_;
  std::unique_ptr<std::once_flag> indexed_ = std::make_unique<std::once_flag>();
  mutable std::unordered_map<const xmlNode*, std::size_t> starts_;  // element → its '<'
  mutable std::vector<std::size_t> line_starts_;
  static constexpr std::size_t kCheckpointBytes = 4096;
  mutable std::vector<std::uint32_t> checkpoints_;  // code points before each 4096 bytes
};

/// A readable path to `node`: names as the document writes them (with their prefix, if any) and
/// a position among same-named siblings where there are several, e.g. /TEI/text/body/div[2]/p[3]
/// (for an attribute: …/date/@when). Unlike xmlGetNodePath, which writes * for every element in
/// a default namespace, a person can read it; it is not a namespace-aware XPath expression.
std::string node_path(const xmlNode* node);

}  // namespace teikit
