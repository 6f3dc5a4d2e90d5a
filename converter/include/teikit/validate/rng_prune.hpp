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
// The claim is about correct grammars: pruning can also remove the part of an incorrect grammar
// that breaks a rule, so the whole grammar is checked first (rng_check.hpp).
#pragma once

#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "teikit/base/xml.hpp"

namespace teikit {

/// The element and attribute names (namespace URI + local name) that occur in a set of documents.
class NameSet {
 public:
  /// Adds every element and attribute name of `doc` (namespace declarations are not attributes).
  void add_document(const xmlDoc* doc);
  /// Adds the names of `element` and everything inside it.
  void add_subtree(const xmlNode* element);
  /// All names, sorted, in one string: equal sets give equal keys (for caching).
  std::string key() const;
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
  std::size_t elements_kept = 0;      ///< element patterns left
  std::size_t elements_pruned = 0;    ///< element patterns replaced by notAllowed by name
  std::size_t attributes_pruned = 0;  ///< attribute patterns replaced by notAllowed by name
  std::size_t defines_removed = 0;    ///< define elements start can no longer reach
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

/// A copy of `grammar` whose include and externalRef hrefs are the absolute URIs they resolve
/// to (RELAX NG 4.5: against the element's base URI, xml:base of it and its ancestors included;
/// libxml2 ignores an ancestor's xml:base for include). prune_grammar does the same first.
xml::DocPtr with_resolved_hrefs(const xmlDoc* grammar);

/// What a grammar says about elements of one name, for messages: the attributes and child
/// elements its element patterns of that name mention anywhere in their content (not where:
/// the order is not modelled). Names are written as in a document: local names, "xml:" for the
/// XML namespace.
struct ElementOutline {
  bool declared = false;             ///< some element pattern has this name
  std::set<std::string> attributes;  ///< attribute names mentioned
  /// Attributes every pattern of the name requires (not under optional, zeroOrMore or choice).
  std::set<std::string> required_attributes;
  std::set<std::string> children;  ///< child element names mentioned
  bool any_attribute = false;      ///< an anyName/nsName attribute pattern occurs
  bool any_child = false;          ///< an anyName/nsName element pattern occurs
};

/// An index of a grammar (XML syntax; includes and externalRefs are not followed) for
/// messages and for checking one element on its own. The grammar must outlive the index.
class GrammarIndex {
 public:
  /// Indexes `grammar`'s defines and element patterns.
  explicit GrammarIndex(const xmlDoc* grammar);
  ~GrammarIndex();
  GrammarIndex(const GrammarIndex&) = delete;
  GrammarIndex& operator=(const GrammarIndex&) = delete;

  /// The outline of the elements named {ns}local (use an unpruned grammar for a full picture).
  ElementOutline outline(const std::string& ns, const std::string& local) const;
  /// The defines whose content is exactly one element pattern that can match {ns}local (TEI
  /// and teikit.rng define every element that way), in grammar order.
  std::vector<std::string> element_defines(const std::string& ns, const std::string& local) const;
  /// The element defines (as element_defines gives them) that the content of the element of
  /// define `name` refers to: which pattern of a child's name applies inside that element.
  std::set<std::string> child_element_defines(const std::string& name) const;

  /// Implementation (rng_prune.cpp).
  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// A copy of `grammar` whose start is the define `name`: for validating one element on its own.
xml::DocPtr grammar_starting_at(const xmlDoc* grammar, const std::string& name);

}  // namespace teikit
