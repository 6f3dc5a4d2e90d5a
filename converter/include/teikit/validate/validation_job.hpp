// A validation job: documents checked against a RelaxNG schema and, optionally, Schematron
// rules, with findings as diagnostics (file:line:column, a stable code, a message a person can
// act on, the path of the offending node).
//
// The schema is compiled once per job and reused for every document. The work runs in a child
// process (fork): libxml2 2.9 never finishes compiling some real schemas (TEI Simple), and a
// thread cannot be stopped, but a process can. The parent gives the compilation a time limit and
// each document one of its own, kills the child when one runs out, and reads the results
// through a pipe; after a document that ran out of time or killed the child, a new child takes
// the documents left. POSIX only.
#pragma once

#include <cstdint>

#include <functional>
#include <string>
#include <vector>

#include "teikit/base/diagnostics.hpp"
#include "teikit/validate/rng_prune.hpp"
#include "teikit/base/xml_source.hpp"

namespace teikit {

/// What to validate against, and how.
struct ValidationOptions {
  std::string schema_path;  ///< RelaxNG grammar (XML syntax)
  std::string rules_path;   ///< Schematron rules; "" for none
  /// Seconds allowed for compiling the schema and the rules; <= 0: no limit.
  double compile_timeout = 5.0;
  /// Seconds allowed for each document, separately: reading and parsing it, then validating it
  /// (schema, error localisation, rules) each get this long; <= 0: no limit. A document that
  /// takes longer is stopped (verdict NotValidated, diagnostic `validation-timeout`) and the
  /// validator is started again for the documents after it.
  double document_timeout = 5.0;
  /// Run in a forked child process, with the time limits above (the default). False: run in
  /// this process, without time limits and without protection from a crash in libxml2; for a
  /// caller that bounds the work itself (a fuzzer, a supervisor of its own).
  bool isolate = true;
  /// Compile only the part of the grammar the documents can reach (rng_prune.hpp): the same
  /// verdicts, tei_all.rng in tens of milliseconds instead of ten seconds. The names of all the
  /// job's documents together decide what is kept, so the schema is still compiled once.
  bool prune = true;
  XmlReadOptions read;  ///< how documents are read (XInclude)
  /// Documents (files) larger than this many bytes are refused as unreadable; 0: no limit.
  std::uintmax_t max_input_size = 0;
};

/// One document to validate: a file, bytes already read, or a tree in memory.
struct ValidationInput {
  std::string name;       ///< the name used in diagnostics
  std::string path;       ///< the file to read; empty when `bytes` or `doc` is given
  std::string bytes;      ///< the document's bytes (standard input, say), when `path` is empty
  xmlDoc* doc = nullptr;  ///< a tree in memory (not owned, not modified), when set
  /// For a tree in memory: fills in `file`, `line` and `column` of a diagnostic about `node`
  /// (for example the place in a transcription the node was made from). Runs in the validating
  /// child process, on its copy of the caller's memory.
  std::function<void(const xmlNode* node, Diagnostic& where)> locate;
};

/// A finding about a document.
struct ValidationDiagnostic {
  Diagnostic diagnostic;  ///< file, line, column, severity, code, message
  std::string path;       ///< node_path() of the offending node; "" when there is none
};

/// The outcome for one document.
enum class Verdict {
  Valid,         ///< no errors (warnings from rules with role="warning" allowed)
  Invalid,       ///< schema or rule errors
  Unreadable,    ///< cannot be read, or not well-formed XML
  NotValidated,  ///< the schema did not compile, or the document ran out of time or stopped
                 ///< the validator
};

/// The result for one document.
struct DocumentResult {
  std::string name;                               ///< ValidationInput::name
  Verdict verdict = Verdict::NotValidated;        ///< what it came to
  std::vector<ValidationDiagnostic> diagnostics;  ///< why, in document order per source
  double seconds = 0;                             ///< reading, parsing and validating
};

/// What became of the schema.
enum class SchemaStatus {
  Compiled,  ///< schema (and rules) compiled
  Failed,    ///< schema or rules did not compile
  TimedOut,  ///< compilation took longer than the limit and was stopped
  Crashed,   ///< the validating process died
};

/// The worst outcome of a job, from best to worst.
enum class JobOutcome {
  AllValid,           ///< the schema compiled and every document is valid
  SomeInvalid,        ///< at least one document is invalid, all were validated
  SomeNotValidated,   ///< a document is unreadable or was not validated (time, memory)
  SchemaNotCompiled,  ///< the schema or the rules did not compile
};

/// The result of a job.
struct ValidationReport {
  SchemaStatus schema = SchemaStatus::Failed;  ///< what became of the schema
  std::string schema_error;                    ///< why it did not compile (Failed, TimedOut…)
  double compile_seconds = 0;                  ///< time to compile schema and rules
  bool pruned = false;                         ///< whether the grammar was pruned
  PruneStats prune;                            ///< what pruning did
  std::vector<DocumentResult> documents;       ///< one per input, in input order
  /// The worst that happened in the job (the command line turns it into its exit code).
  JobOutcome outcome() const;
};

/// Runs a validation job (see the file comment). Never throws; never prints.
ValidationReport validate_documents(const std::vector<ValidationInput>& inputs,
                                    const ValidationOptions& options);

/// Returns "valid", "invalid", "unreadable" or "not validated".
const char* to_string(Verdict v);

}  // namespace teikit
