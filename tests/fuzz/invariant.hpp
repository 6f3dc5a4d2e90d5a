// The invariant of issue 5, shared by the fuzzer and the regression test: for any input bytes,
// the converter writes a well-formed TEI document that validates against the project schema,
// with an intact document tree (no internal-tree error). Header-only so both link it directly.
#pragma once

#include <string>
#include <vector>

#include "teikit/convert/convert.hpp"
#include "teikit/validate/validate.hpp"

namespace teikit::fuzz {

/// Returns "" when the invariant holds for `bytes`, else what broke. `schema` is the compiled
/// project schema (compile it once: it is reused for every input).
inline std::string check_invariant(const std::string& bytes, const RelaxNgSchema& schema) {
  ConvertResult r = convert("fuzz.txt", bytes, ConvertOptions{});
  for (const auto& d : r.diagnostics.diagnostics())
    if (d.severity == Severity::Error) return "error diagnostic: " + d.message + " [" + d.code + "]";
  std::string error;
  xml::DocPtr doc = xml::parse_memory(r.xml, "out.xml", error);
  if (!doc) return "output is not well-formed XML: " + error;
  std::vector<ValidityError> errors;
  if (!schema.validate(doc.get(), errors))
    return "output is not valid against teikit.rng: line " +
           std::to_string(errors.empty() ? 0 : errors[0].line) + ": " +
           (errors.empty() ? std::string("?") : errors[0].message);
  return "";
}

}  // namespace teikit::fuzz
