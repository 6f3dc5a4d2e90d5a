// RelaxNG validation through libxml2: a schema is compiled once and reused for many documents
// (the xmllint flow: compile once, a fresh valid-context per document). A schema can be compiled
// whole, or pruned to the names of the documents to validate (rng_prune.hpp), which gives the
// same verdicts in a fraction of the time.
#pragma once

#include <libxml/relaxng.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "teikit/validate/rng_prune.hpp"
#include "teikit/base/xml.hpp"

namespace teikit {

/// One validity error as libxml2 reports it.
struct ValidityError {
  int line = 0;                   ///< 1-based line of the offending node (0 if unknown)
  std::string message;            ///< libxml2's message, trimmed
  const xmlNode* node = nullptr;  ///< the offending node (may be null)
  int domain = 0;          ///< libxml2's xmlErrorDomain (XML_FROM_RELAXNGV, XML_FROM_VALID…)
  int code = 0;            ///< libxml2's code (xmlRelaxNGValidErr for XML_FROM_RELAXNGV)
  std::string arg1, arg2;  ///< the message's arguments (xmlError str1, str2), if any
};

/// True when `e` says that libxml2 ran out of memory (then the errors are no verdict).
bool is_out_of_memory(const ValidityError& e);

/// A compiled RelaxNG schema.
class RelaxNgSchema {
 public:
  /// Compiles the whole schema at `path` (what xmllint --relaxng does); check valid() and error().
  explicit RelaxNgSchema(const std::string& path);
  /// Compiles a grammar document already in memory (for example a pruned one). `grammar` is not
  /// modified (libxml2 works on a copy); its URL is the base for includes.
  explicit RelaxNgSchema(const xmlDoc* grammar);
  /// True when the schema compiled.
  bool valid() const { return schema_ != nullptr; }
  /// Why it did not compile.
  const std::string& error() const { return error_; }
  /// Whether compiling failed because memory ran out (libxml2 said so), not because of the
  /// schema.
  bool out_of_memory() const { return out_of_memory_; }
  /// Validates `doc`; returns true when valid, else appends to `errors` (at most 1000).
  bool validate(xmlDoc* doc, std::vector<ValidityError>& errors) const;
  /// The same, appending at most `max_errors` errors (0: all); `dropped` gets how many more
  /// libxml2 reported (counted, not kept).
  bool validate(xmlDoc* doc, std::vector<ValidityError>& errors, std::size_t max_errors,
                std::size_t& dropped) const;

 private:
  void compile(xmlRelaxNGParserCtxt* ctxt, const std::string& name);
  struct Free {
    void operator()(xmlRelaxNG* s) const { xmlRelaxNGFree(s); }
  };
  std::unique_ptr<xmlRelaxNG, Free> schema_;
  std::string error_;
  bool out_of_memory_ = false;
};

/// Reads a RelaxNG grammar (XML syntax) with xml::safe_parse_options(); null and `error` set when
/// it is unreadable or not well-formed.
xml::DocPtr read_grammar(const std::string& path, std::string& error);

/// The project schema shipped in schemas/teikit.rng: schema_dir() + "/teikit.rng"
/// (teikit/base/data_dir.hpp; $TEIKIT_SCHEMA_DIR overrides the folder).
std::string project_schema_path();

/// The project's Schematron rules, schemas/teikit.sch beside project_schema_path().
std::string project_rules_path();

}  // namespace teikit
