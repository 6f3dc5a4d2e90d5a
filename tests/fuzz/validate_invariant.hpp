// The invariant of `teikit validate` under hostile input (issue 8), shared by the fuzzer
// (fuzz_validate.cpp) and the regression test: for any schema and document bytes, validation
// ends (no crash; the fuzzer bounds memory and time) with a verdict its diagnostics agree with.
// A fuzz input is a document, validated against the project schema and rules, or a RELAX NG
// schema, a NUL byte, and a document validated against that schema. Header-only.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "teikit/validate/validate.hpp"
#include "teikit/validate/validation_job.hpp"
#include "teikit/base/xml_source.hpp"

namespace teikit::fuzz {

/// True when `s` is well-formed UTF-8 (diagnostics end up in JSON and JUnit XML).
inline bool is_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
    if (n == 9 || (n > 0 && i + n >= s.size())) return false;
    for (std::size_t k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n + 1;
  }
  return true;
}

/// How a job is run: validate_documents (in this process: the fuzzer, so that it sees the
/// coverage) or under the command line's supervision (a child process with time limits).
using RunValidation = ValidationReport (*)(const std::vector<ValidationInput>&,
                                           const ValidationOptions&);

/// Returns "" when the invariant holds for `input`, else what broke. `supervised`: `run` may
/// stop a document (time limits), so "not validated" is allowed.
inline std::string check_validate_invariant(const std::string& input, RunValidation run,
                                            bool supervised) {
  ValidationOptions options;
  ValidationInput in;
  in.name = "fuzz.xml";
  const std::size_t nul = input.find('\0');
  struct SchemaFile {
    std::string path;
    ~SchemaFile() {
      if (!path.empty()) std::remove(path.c_str());
    }
  } schema;
  std::string& schema_file = schema.path;
  if (nul == std::string::npos) {
    options.schema_path = project_schema_path();
    options.rules_path = project_rules_path();
    in.bytes = input;
  } else {
    // A schema file of this process, rewritten for each input.
    schema_file = "/tmp/teikit-fuzz-" + std::to_string(::getpid()) + ".rng";
    std::ofstream(schema_file, std::ios::binary | std::ios::trunc) << input.substr(0, nul);
    options.schema_path = schema_file;
    in.bytes = input.substr(nul + 1);
  }
  const std::string bytes = in.bytes;
  const ValidationReport r = run({in}, options);
  if (r.documents.size() != 1) return "not one result for one document";
  const DocumentResult& d = r.documents.front();
  if (d.name != in.name) return "the result names another document: " + d.name;
  if (r.schema != SchemaStatus::Compiled) {
    if (r.schema_error.empty()) return "schema not compiled, and no reason given";
    if (d.verdict != Verdict::NotValidated) return "a verdict without a schema";
    if (r.outcome() != JobOutcome::SchemaNotCompiled) return "schema not compiled but outcome " + std::to_string(static_cast<int>(r.outcome()));
    return "";
  }
  std::size_t errors = 0;
  // Lines of the document, for checking positions.
  std::vector<std::size_t> line_starts{0};
  for (std::size_t i = 0; i < bytes.size(); ++i)
    if (bytes[i] == '\n') line_starts.push_back(i + 1);
  for (const ValidationDiagnostic& v : d.diagnostics) {
    const Diagnostic& g = v.diagnostic;
    errors += g.severity == Severity::Error;
    if (g.code.empty() || g.message.empty()) return "a diagnostic without code or message";
    if (!is_utf8(g.message)) return "a diagnostic message that is not UTF-8: [" + g.code + "]";
    if (!is_utf8(v.path)) return "a node path that is not UTF-8";
    if (!v.path.empty() && v.path[0] != '/') return "a node path that is not a path: " + v.path;
    if (g.file != in.name) return "a diagnostic about another file: " + g.file;
    if (g.line > line_starts.size()) return "a diagnostic beyond the last line [" + g.code + "]";
    if (g.line == 0 && g.column != 0) return "a column without a line";
    if (g.line > 0 && g.column > 0) {
      const std::size_t begin = line_starts[g.line - 1];
      const std::size_t end =
          g.line < line_starts.size() ? line_starts[g.line] : bytes.size();
      if (g.column > end - begin + 1) return "a column beyond the end of its line [" + g.code + "]";
    }
  }
  switch (d.verdict) {
    case Verdict::Valid:
      if (errors) return "valid, with errors";
      if (r.outcome() != JobOutcome::AllValid) return "valid, but outcome " + std::to_string(static_cast<int>(r.outcome()));
      break;
    case Verdict::Invalid:
      if (!errors) return "invalid, without an error";
      if (r.outcome() != JobOutcome::SomeInvalid) return "invalid, but outcome " + std::to_string(static_cast<int>(r.outcome()));
      break;
    case Verdict::Unreadable:
      if (d.diagnostics.size() != 1) return "unreadable, without one reason";
      if (XmlSource(in.name, bytes).ok()) return "unreadable, yet it parses";
      if (r.outcome() != JobOutcome::SomeNotValidated) return "unreadable, but outcome " + std::to_string(static_cast<int>(r.outcome()));
      break;
    case Verdict::NotValidated:
      if (!supervised) return "not validated, in process";
      if (d.diagnostics.empty()) return "not validated, and no reason given";
      break;
  }
  if ((d.verdict == Verdict::Valid || d.verdict == Verdict::Invalid) &&
      !XmlSource(in.name, bytes).ok())
    return "a verdict on a document that does not parse";
  return "";
}

}  // namespace teikit::fuzz
