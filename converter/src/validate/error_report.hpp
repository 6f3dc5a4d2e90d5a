// Findings of libxml2's RELAX NG validator as diagnostics a person can act on: placed at
// file:line:column, worded in the schema's terms (which elements may stand there, which
// attributes are allowed), and, under a cascade of "element X failed to validate content"
// errors, the precise error found by validating the elements involved on their own. Internal to
// the validate wing (validation_job.cpp).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "teikit/base/xml_source.hpp"
#include "teikit/validate/validate.hpp"
#include "teikit/validate/validation_job.hpp"

namespace teikit {

// Where a diagnostic about a node is, and what to call it.
class Locator {
 public:
  Locator(const std::string& file, const XmlSource* source,
          const std::function<void(const xmlNode*, Diagnostic&)>* locate)
      : file_(file), source_(source), locate_(locate) {}

  void place(Diagnostic& d, const xmlNode* node, int line,
             const std::string& attribute = "") const {
    d.file = file_;
    if (locate_ && *locate_) {
      d.line = 0;
      d.column = 0;
      (*locate_)(node, d);
      return;
    }
    if (source_) {
      const XmlPosition p = !attribute.empty() && node
                                ? source_->attribute_position(node, attribute)
                                : source_->position(node, line);
      d.line = p.line;
      d.column = p.column;
      return;
    }
    const long l = node ? xmlGetLineNo(node) : line;
    d.line = l > 0 ? static_cast<std::uint32_t>(l) : 0;
  }

 private:
  std::string file_;
  const XmlSource* source_;
  const std::function<void(const xmlNode*, Diagnostic&)>* locate_;
};

/// node_path() for many nodes of one document: the position of each element among its
/// same-named siblings is counted once per parent, not once per path (10^5 diagnostics on the
/// children of one element cost 10^5 steps, not 10^10). The same text as node_path(). The
/// document must not change while the object is used.
class NodePaths {
 public:
  std::string of(const xmlNode* node);

 private:
  struct Step {
    std::size_t ordinal = 0;  // 1-based among same-named siblings
    bool numbered = false;    // whether there are several
  };
  void index(const xmlNode* parent);
  std::unordered_map<const xmlNode*, Step> steps_;
  std::unordered_set<const xmlNode*> indexed_;
};

/// Turns one document's validity errors into diagnostics. One per job: what it learns about
/// the grammar is kept for the job's documents.
class ErrorReport {
 public:
  /// `grammar`: the schema as read (for the outlines of elements); `compiled`: the pruned
  /// grammar that was compiled, or null when the whole grammar was (then cascades are reported
  /// as libxml2 gave them: validating elements alone against the whole grammar could take as
  /// long as the first compilation, per element name).
  ErrorReport(const xmlDoc* grammar, const xmlDoc* compiled);
  ~ErrorReport();
  ErrorReport(const ErrorReport&) = delete;
  ErrorReport& operator=(const ErrorReport&) = delete;

  /// The diagnostics for `errors`, libxml2's findings on `doc`; `valid` is libxml2's verdict.
  /// At most `limit` of them (0: all); `omitted` gets how many more there were (counted without
  /// being placed or given a path).
  std::vector<ValidationDiagnostic> diagnostics(const xmlDoc* doc,
                                                const std::vector<ValidityError>& errors,
                                                bool valid, const Locator& where,
                                                std::size_t limit, std::size_t& omitted);

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace teikit
