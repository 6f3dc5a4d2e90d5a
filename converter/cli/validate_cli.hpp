// The `validate` subcommand and `convert --validate`, kept out of cli.cpp (which only wires
// them in). Part of the command line, not of the library: the interface is teikit::run (cli.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "teikit/convert/convert.hpp"
#include "teikit/base/diagnostics.hpp"
#include "teikit/validate/validation_job.hpp"

namespace teikit {

/// The command line of `teikit validate`.
struct ValidateArgs {
  std::vector<std::string> inputs;   ///< XML files, "-" for standard input
  std::string schema;                ///< --schema; "" for the project schema
  std::string rules;                 ///< --rules; "" for the project rules or none
  bool no_rules = false;             ///< --no-rules
  double timeout = 5.0;              ///< --timeout, seconds of compile time (0: no limit)
  std::string diagnostics = "text";  ///< --diagnostics=text|json
  std::vector<std::string> report;   ///< --report=junit FILE
  bool no_prune = false;             ///< --no-prune: compile the whole grammar
  bool xinclude = false;             ///< --xinclude: process XIncludes (local files only)
  bool verbose = false;              ///< --verbose: a verdict line per file on stdout
  std::uintmax_t max_input_size = 512u * 1024 * 1024;  ///< --max-input-size (0: no limit)
  unsigned jobs = 0;  ///< -j: documents validated at once (0: the machine's cores)
  std::size_t max_errors = 1000;  ///< --max-errors: diagnostics per document (0: no limit)
};

/// The exit code of `teikit validate` for a job (cli.hpp): 5 when the schema did not compile,
/// else 4 when a document is unreadable or not validated (time limit, out of memory), else 3
/// when one is invalid, else 0.
int exit_code(const ValidationReport& report);

/// Adds the `validate` subcommand with its options to `app`; returns it.
CLI::App* add_validate_command(CLI::App& app, ValidateArgs& args);

/// Runs `teikit validate`; returns the exit code (0, 3, 4, 5; 1 for a bad --report).
int run_validate(const ValidateArgs& args, std::ostream& out, std::ostream& err);

/// `convert --validate`: validates the TEI of `result` (in memory) against the project schema
/// and rules, and appends the findings to `diagnostics`, each placed at the line:column of the
/// transcription that produced the offending node (the nearest ancestor with a source span;
/// header elements have none and get no line). Returns kExitOk, kExitInvalid or kExitSchema.
int validate_conversion(const ConvertResult& result, std::vector<Diagnostic>& diagnostics);

/// The TEI of `result` read back into a tree for validation: sets `in.name` (the
/// transcription's), `in.doc` (the tree returned, which must outlive `in`) and `in.locate`,
/// which places a finding at the line:column of the transcription that produced the node (see
/// validate_conversion; `result` must outlive `in` too). Null when the TEI is not well-formed
/// (a bug: internal_tree_diagnostic).
xml::DocPtr conversion_validation_input(const ConvertResult& result, ValidationInput& in);

/// The diagnostic for a conversion whose TEI is not well-formed XML (`internal-tree`).
Diagnostic internal_tree_diagnostic(const std::string& name);

/// Appends the findings of a validated conversion to `diagnostics`, in the transcription
/// `name`, each with the path of the offending TEI element in its message.
void append_conversion_findings(const DocumentResult& result, const std::string& name,
                                std::vector<Diagnostic>& diagnostics);

}  // namespace teikit
