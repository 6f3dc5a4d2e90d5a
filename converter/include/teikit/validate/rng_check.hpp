// Checking that a RELAX NG grammar is correct, on the whole grammar, before it is pruned.
//
// Pruning (rng_prune.hpp) replaces the element and attribute patterns a document cannot use by
// notAllowed, and the simplification that follows removes whatever they contained. If that part
// of the grammar broke a rule of the RELAX NG specification, the pruned grammar would compile
// where the full one does not, and a user with a broken schema would be told their document is
// wrong. So the specification's rules are checked here on the full grammar (includes and
// externalRefs followed): the syntax of section 3, the simplification errors of section 4
// (href and xml:base resolution, missing, duplicate and recursive includes and externalRefs,
// include overrides of a start or define the included grammar does not have, combine
// conflicts, undefined refs and parentRefs, a grammar without start, datatypeLibrary values,
// NCNames and QNames, name-class and xmlns restrictions, datatypes and their parameters, ref
// loops that do not pass through an element) and the restrictions of section 7 (prohibited
// paths, string sequences, duplicate attributes, interleave), in the order the specification
// applies them (for instance the section 7 restrictions after notAllowed is propagated, and
// only on what start still reaches). The sections cited are those of the OASIS RELAX NG
// Specification, 3 December 2001.
//
// The check is linear in the size of the grammar (pairwise name-class tests aside, which are
// linear in the names involved), so it costs milliseconds on tei_all.
#pragma once

#include <string>

#include "teikit/base/xml.hpp"

namespace teikit {

/// Why a RELAX NG grammar is incorrect.
struct GrammarError {
  std::string file;     ///< the grammar file holding the offending element (its URL)
  int line = 0;         ///< that element's line (xmlGetLineNo), 0 if unknown
  std::string message;  ///< what is wrong, naming the rule, e.g. "... (RELAX NG 7.1.3)"
};

/// Checks the RELAX NG grammar `grammar` (XML syntax; its URL is the base for include and
/// externalRef hrefs, which are read from local files only) against the specification's
/// sections 3, 4 and 7. Returns true when it is correct; otherwise false with `error` set to the
/// first rule broken. A grammar this accepts may still be one libxml2 cannot compile (libxml2
/// has its own limits and bugs); one it refuses is refused whatever is pruned.
bool check_grammar(const xmlDoc* grammar, GrammarError& error);

/// `error` as "line N: message" (and the file when it is not `main_file`).
std::string describe(const GrammarError& error, const std::string& main_file);

}  // namespace teikit
