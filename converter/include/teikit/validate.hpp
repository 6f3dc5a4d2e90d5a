// RelaxNG validation through libxml2: a schema is compiled once and reused for many documents
// (the xmllint flow: compile once, a fresh valid-context per document).
#pragma once

#include <libxml/relaxng.h>

#include <memory>
#include <string>
#include <vector>

#include "teikit/xml.hpp"

namespace teikit {

/// One validity error: line in the document (0 if unknown) and message.
struct ValidityError {
  int line = 0;          ///< 1-based line of the offending node
  std::string message;   ///< libxml2's message, trimmed
};

/// A compiled RelaxNG schema.
class RelaxNgSchema {
 public:
  /// Compiles the schema at `path`; check valid() and error().
  explicit RelaxNgSchema(const std::string& path);
  /// True when the schema compiled.
  bool valid() const { return schema_ != nullptr; }
  /// Why it did not compile.
  const std::string& error() const { return error_; }
  /// Validates `doc`; returns true when valid, else fills `errors`.
  bool validate(xmlDoc* doc, std::vector<ValidityError>& errors) const;

 private:
  struct Free {
    void operator()(xmlRelaxNG* s) const { xmlRelaxNGFree(s); }
  };
  std::unique_ptr<xmlRelaxNG, Free> schema_;
  std::string error_;
};

/// The project schema shipped in schemas/teikit.rng ($TEIKIT_SCHEMA_DIR overrides the folder).
std::string project_schema_path();

}  // namespace teikit
