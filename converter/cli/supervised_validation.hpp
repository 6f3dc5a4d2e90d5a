// A validation job with time limits, in a child process the command line can stop (the library
// never forks: validation_job.hpp).
#pragma once

#include <vector>

#include "teikit/validate/validation_job.hpp"

namespace teikit {

/// Time limits of a supervised job.
struct ValidationLimits {
  /// Seconds allowed for compiling the schema and the rules; <= 0: no limit.
  double compile_timeout = 5.0;
  /// Seconds allowed for each document, separately: reading and parsing it, then validating it
  /// (schema, error localisation, rules) each get this long; <= 0: no limit. A document that
  /// takes longer is stopped (verdict NotValidated, diagnostic `validation-timeout`) and the
  /// validator is started again for the documents after it.
  double document_timeout = 5.0;
};

/// Runs the job in a child process (fork), with `limits`: compilation that runs out of time is
/// SchemaStatus::TimedOut, a child that dies while compiling SchemaStatus::Crashed, a document
/// that runs out of time or kills the child is NotValidated (`validation-timeout`,
/// `validator-crashed`) and a new child takes the documents after it. Never throws.
ValidationReport validate_supervised(const std::vector<ValidationInput>& inputs,
                                     const ValidationOptions& options,
                                     const ValidationLimits& limits);

}  // namespace teikit
