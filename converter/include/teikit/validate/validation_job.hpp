// A validation job: documents checked against a RelaxNG schema and, optionally, Schematron
// rules, with findings as diagnostics (file:line:column, a stable code, a message a person can
// act on, the path of the offending node).
//
// The schema is compiled once per job and reused for every document. The job runs in the
// calling thread, without a time limit: libxml2 2.9 never finishes compiling some real schemas
// (TEI Simple), and a thread cannot be stopped. A caller that needs time limits runs the job in
// a process it can stop and follows it through ValidationProgress; the command line does that
// (converter/cli/supervised_validation.hpp: a child process per round, killed when compiling
// or one document runs out of time). The library itself never forks.
#pragma once

#include <cstdint>

#include <functional>
#include <memory>
#include <optional>
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
  /// Compile only the part of the grammar the documents can reach (rng_prune.hpp): the same
  /// verdicts, tei_all.rng in tens of milliseconds instead of ten seconds. The names of all the
  /// job's documents together decide what is kept, so the schema is still compiled once.
  bool prune = true;
  XmlReadOptions read;  ///< how documents are read (XInclude)
  /// Documents (files) larger than this many bytes are refused as unreadable; 0: no limit.
  std::uintmax_t max_input_size = 0;
  /// Documents validated at once, each in a thread of its own with its own validation context
  /// over the one compiled schema; 0: as many as the machine has cores. Results are the same
  /// as with 1 and reported by index (ValidationProgress::document may then come in another
  /// order than the inputs'; validating() of several documents may precede their results).
  unsigned jobs = 1;
  /// At most this many diagnostics per document (0: no limit). Past it, the document gets one
  /// more diagnostic, `too-many-errors` (a note), saying how many were left out; the verdict
  /// does not change. Keeps a document with 10^5 errors linear in time and small in output.
  std::size_t max_errors = 1000;
};

/// One document to validate: a file, bytes already read, or a tree in memory.
struct ValidationInput {
  std::string name;       ///< the name used in diagnostics
  std::string path;       ///< the file to read; empty when `bytes` or `doc` is given
  std::string bytes;      ///< the document's bytes (standard input, say), when `path` is empty
  xmlDoc* doc = nullptr;  ///< a tree in memory (not owned, not modified), when set
  /// For a tree in memory: fills in `file`, `line` and `column` of a diagnostic about `node`
  /// (for example the place in a transcription the node was made from). Runs where the job
  /// runs (in a supervised child process: on its copy of the caller's memory).
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
  Crashed,   ///< the validating process died (supervised jobs)
  /// Memory ran out while reading the schema or compiling it: nothing was validated, and the
  /// schema is not known to be wrong (exit 4, as for a document memory ran out on).
  OutOfMemory,
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

/// What a running job reports, in this order: reading(i) then read(i) for each document of the
/// first pass
/// (when pruning: the documents' names decide what of the grammar is compiled), compiling(),
/// then failed() and nothing more, or compiled() and, for each document, validating(i) then
/// document(i, result). `i` is an index into the job's inputs. A supervisor starts a clock at
/// reading, compiling and validating, and knows on which document a job stopped.
class ValidationProgress {
 public:
  virtual ~ValidationProgress() = default;
  /// Document `index` is being read and parsed (first pass).
  virtual void reading(std::size_t /*index*/) {}
  /// The first pass is done with document `index` (its clock stops; with several jobs, other
  /// documents may be read meanwhile).
  virtual void read(std::size_t /*index*/) {}
  /// The schema and the rules are being compiled.
  virtual void compiling() {}
  /// The schema or the rules did not compile; `why` says so, with the file.
  virtual void failed(const std::string& why) = 0;
  /// Memory ran out before the schema and rules were compiled; `why` says so, with the file.
  /// Reported instead of failed(); the default reports it as failed().
  virtual void out_of_memory(const std::string& why) { failed(why); }
  /// They compiled, in `seconds`; `pruned` and `stats` say what pruning did.
  virtual void compiled(double seconds, bool pruned, const PruneStats& stats) = 0;
  /// Document `index` is being validated.
  virtual void validating(std::size_t /*index*/) {}
  /// The result for document `index`.
  virtual void document(std::size_t index, DocumentResult result) = 0;
};

/// Runs the job on `inputs[indices[0]]`, `inputs[indices[1]]`, … in this thread, reporting to
/// `progress` (see there). Never throws; never prints; memory running out on a document is
/// that document's verdict (`out-of-memory`), elsewhere a schema failure.
void run_validation_job(const std::vector<ValidationInput>& inputs,
                        const std::vector<std::size_t>& indices, const ValidationOptions& options,
                        ValidationProgress& progress);

/// Runs a validation job on every input in this thread and returns its report: no time limits
/// (see the file comment). Never throws; never prints.
ValidationReport validate_documents(const std::vector<ValidationInput>& inputs,
                                    const ValidationOptions& options);

/// A schema (and rules) compiled once, then documents validated one at a time, each result
/// returned at once: nothing of a document is kept after validate() returns, so memory does
/// not grow with the number of documents (a job's report holds every result). For a collection
/// validated as it is produced (`teikit build`). The grammar is compiled whole
/// (ValidationOptions::prune is ignored: no single document decides what may be left out).
/// Runs in the calling thread, without time limits. validate() may be called from several
/// threads at once: they share the compiled schema and rules (each call has its own libxml2
/// validation context), and each thread gets an error report of its own.
class DocumentValidator {
 public:
  /// Compiles `options.schema_path` and `options.rules_path`; check ok() and error().
  explicit DocumentValidator(const ValidationOptions& options);
  ~DocumentValidator();
  DocumentValidator(const DocumentValidator&) = delete;
  DocumentValidator& operator=(const DocumentValidator&) = delete;
  /// True when the schema and the rules compiled.
  bool ok() const;
  /// Why they did not ("PATH: …").
  const std::string& error() const { return error_; }
  /// Seconds the compilation took.
  double compile_seconds() const { return compile_seconds_; }
  /// Validates one document, as a job would (same verdicts and diagnostics as an unpruned
  /// job). Never throws; memory running out is the document's verdict (`out-of-memory`).
  DocumentResult validate(const ValidationInput& input) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  ValidationOptions options_;
  std::string error_;
  double compile_seconds_ = 0;
};

/// Fills `report.documents`, one per input in input order: `results[i]` where there is one and
/// the schema compiled, else a NotValidated result without diagnostics.
void collect_documents(ValidationReport& report, const std::vector<ValidationInput>& inputs,
                       std::vector<std::optional<DocumentResult>>& results);

/// Returns "valid", "invalid", "unreadable" or "not validated".
const char* to_string(Verdict v);

}  // namespace teikit
