// Pruning a RelaxNG grammar to the part that given documents can reach, so that libxml2 compiles
// tei_all.rng in tens of milliseconds instead of ten seconds.
//
// Why the verdict cannot change: an `element` pattern whose name class matches no element name
// that occurs in the documents can match nothing in them, so replacing it by `notAllowed` leaves
// the set of those documents it accepts unchanged (RelaxNG matching is compositional, and
// notAllowed matches nothing either). The same holds for an `attribute` pattern whose name class
// matches no attribute name of the documents. notAllowed then propagates by the simplification
// rules of the RelaxNG specification (section 4.20: a group, interleave, oneOrMore, list or
// mixed with a notAllowed part is notAllowed; a choice drops notAllowed branches; optional and
// zeroOrMore of notAllowed are empty; a ref to a notAllowed define is notAllowed), and defines
// that start can no longer reach are dropped. Name classes with anyName or nsName are never
// pruned. The test suite checks the claim on every document at hand (tests/test_validate_corpus).
#pragma once

#include <cstddef>
#include <string>
#include <unordered_set>

#include "teikit/xml.hpp"

namespace teikit {

/// The element and attribute names (namespace URI + local name) that occur in a set of documents.
class NameSet {
 public:
  /// Adds every element and attribute name of `doc` (namespace declarations are not attributes).
  void add_document(const xmlDoc* doc);
  /// Adds one element name.
  void add_element(const std::string& ns, const std::string& local);
  /// Adds one attribute name.
  void add_attribute(const std::string& ns, const std::string& local);
  /// True when an element named {ns}local occurs.
  bool has_element(const std::string& ns, const std::string& local) const;
  /// True when an attribute named {ns}local occurs.
  bool has_attribute(const std::string& ns, const std::string& local) const;
  /// Number of distinct element names.
  std::size_t element_count() const { return elements_.size(); }
  /// Number of distinct attribute names.
  std::size_t attribute_count() const { return attributes_.size(); }

 private:
  std::unordered_set<std::string> elements_, attributes_;  // "ns\x1flocal"
};

/// What prune_grammar did.
struct PruneStats {
  std::size_t elements_kept = 0;       ///< element patterns left
  std::size_t elements_pruned = 0;     ///< element patterns replaced by notAllowed by name
  std::size_t attributes_pruned = 0;   ///< attribute patterns replaced by notAllowed by name
  std::size_t defines_removed = 0;     ///< define elements start can no longer reach
  /// False when the grammar uses include, externalRef, parentRef or nested grammars: then only
  /// the by-name replacement is done (it is sound anywhere), not the define-level propagation,
  /// which needs to see every part of every define.
  bool self_contained = true;
};

/// Returns a pruned copy of the RelaxNG grammar `grammar` (XML syntax) for documents whose names
/// are `names`. The copy keeps the document URL of `grammar`, so relative includes still
/// resolve. Foreign elements (annotations such as a:documentation and embedded Schematron) are
/// dropped: RelaxNG ignores them. Element patterns a document root can match (those reachable
/// from start without crossing an element) are kept whatever their name, so that a document
/// with a wrong root still gets libxml2's usual message instead of a schema that does not
/// compile.
xml::DocPtr prune_grammar(const xmlDoc* grammar, const NameSet& names, PruneStats* stats = nullptr);

}  // namespace teikit
