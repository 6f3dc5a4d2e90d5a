// ISO Schematron rules (ISO/IEC 19757-3) evaluated with libxml2's XPath 1.0, for what RelaxNG
// cannot say: a date that is a real calendar date, a pointer that points at an existing
// xml:id, a sic that is not empty (schemas/teikit.sch).
//
// A small evaluator rather than libxml2's xmlSchematron (deprecated in libxml2 2.15, and only
// part of ISO Schematron) or a compilation to XSLT (a skeleton stylesheet plus a way back from
// its text output to the nodes): evaluating the rules here keeps the offending node itself, so
// a finding gets the same file:line:column as a schema error.
//
// Supported: schema, ns, let (schema, pattern and rule level), pattern, rule (context, id,
// role), assert and report (test, id, role) with text, name and value-of in the message; the
// query bindings xslt, exslt and xpath (XPath 1.0; the EXSLT str, math, set and date functions
// and XSLT's current() are available). Not supported, and refused when the rules are compiled:
// abstract patterns and rules, extends, include, and the XPath 2 query bindings. Phases are
// ignored (every pattern runs).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "teikit/base/xml.hpp"

namespace teikit {

/// A failed assert or a successful report.
struct RuleFinding {
  const xmlNode* node = nullptr;  ///< the rule's context node (an element or an attribute)
  std::string id;        ///< assert/report @id, else rule @id, else pattern @id, else "schematron"
  std::string message;   ///< the assertion's text, value-of and name filled in, spaces normalised
  bool warning = false;  ///< @role is warning, warn, info or information (an error otherwise)
};

/// A compiled set of Schematron rules, reusable for many documents.
class RuleSet {
 public:
  /// Reads and compiles the rules at `path` (read with xml::safe_parse_options()); check
  /// valid() and error().
  explicit RuleSet(const std::string& path);
  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  /// True when the rules compiled.
  bool valid() const { return error_.empty(); }
  /// Why they did not compile ("FILE:LINE: message").
  const std::string& error() const { return error_; }
  /// True when they did not compile because memory ran out while the file was read.
  bool out_of_memory() const { return out_of_memory_; }
  /// Number of assert and report elements.
  std::size_t assertion_count() const;
  /// Evaluates every pattern on `doc`; findings in document order within each pattern. An
  /// expression that fails at run time (an unknown function, say) becomes a finding with id
  /// "schematron-error" on the rule's context node.
  std::vector<RuleFinding> check(xmlDoc* doc) const;

  /// The compiled patterns (defined in schematron.cpp; opaque to users).
  struct Compiled;

 private:
  std::unique_ptr<Compiled> rules_;
  std::string error_;
  bool out_of_memory_ = false;
};

}  // namespace teikit
