// Our own small document tree, between parsing and TEI writing (the cmark model: every node
// carries the source span it came from, so diagnostics on the TEI can point back at the
// transcription). Element names are TEI element names; the tree is deliberately generic so that
// a profile (data) can decide which TEI element a convention becomes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "teikit/base/source_text.hpp"

namespace teikit {

/// A node of the document tree: either character data or an element.
struct Node {
  /// What the node is.
  enum class Kind { Text, Element };

  Kind kind = Kind::Text;  ///< text or element
  std::string name;        ///< TEI element name (elements only)
  std::string text;        ///< character data (text nodes only)
  std::vector<std::pair<std::string, std::string>> attributes;  ///< in output order
  std::vector<Node> children;  ///< child nodes (elements only)
  Span span;                   ///< where in the source this node came from

  /// Makes a text node.
  static Node make_text(std::string text, Span span = {});
  /// Makes an empty element.
  static Node make_element(std::string name, Span span = {});

  /// Sets (or replaces) attribute `key`.
  Node& set(const std::string& key, std::string value);
  /// The value of attribute `key`, or nullptr.
  const std::string* get(const std::string& key) const;
  /// Appends a child and returns a reference to it. Adjacent text children are merged.
  Node& append(Node child);
  /// Appends text, merging with a trailing text child.
  void append_text(const std::string& text, Span span = {});
  /// True when this is an element named `n`.
  bool is(const char* n) const { return kind == Kind::Element && name == n; }
  /// Concatenated character data of this node and its descendants.
  std::string plain_text() const;
};

/// The span of nodes that did not come from the text (the header the writer makes up).
constexpr Span kNoSpan{UINT32_MAX, UINT32_MAX};

/// Appends `node` serialised exactly as libxml2 writes it with formatting on
/// (xmlDocDumpFormatMemoryEnc, UTF-8): an element whose children are all elements gets one
/// child per line, indented by two spaces per `level` (at most 30 levels, as libxml2); mixed
/// content is written as it is; text escapes & < > and CR, attribute values also " TAB LF.
/// `format` false writes the subtree without any indentation (inside mixed content). When
/// `spans` is given, the span of every element written is appended to it, in document order.
void write_xml(const Node& node, unsigned level, bool format, std::string& out,
               std::vector<Span>* spans = nullptr);

/// Appends the start tag of `element` (`<name a="v">`, escaped as write_xml does).
void write_start_tag(const Node& element, std::string& out);

/// Checks the tree's invariants (no empty element names, text nodes have no children or
/// attributes, no two adjacent text nodes). Returns a description of the first violation or "".
std::string check_tree(const Node& root);

}  // namespace teikit
