// A validation job with time limits, in a child process the command line can stop (the library
// never forks: validation_job.hpp).
#pragma once

#include <functional>
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

/// A lock a multi-threaded caller holds while it calls validate_supervised, and that its other
/// threads hold whenever they allocate or use libxml2: fork() takes it exclusively (through
/// pthread_atfork), so that no other thread is inside an allocator or libxml2 at the moment of
/// the fork, whose lock would stay held for ever in the child (build_cli.cpp). Both functions
/// are set or neither.
struct HeldLock {
  std::function<void()> release;  ///< lets go of it (before a wait, before fork())
  std::function<void()> acquire;  ///< takes it again (before the next allocation)
};

/// Runs the job in a child process (fork), with `limits`: compilation that runs out of time is
/// SchemaStatus::TimedOut, a child that dies while compiling SchemaStatus::Crashed, a document
/// that runs out of time or kills the child is NotValidated (`validation-timeout`,
/// `validator-crashed`) and a new child takes the documents after it. A child that sends nothing
/// is given the compilation's time limit: what it does before its first report (collecting the
/// documents' names for the pruned grammar) is part of preparing the schema. When `held` is
/// given, the caller holds that lock: it is let go around each wait and around fork(), and held
/// again when the function returns. Never throws.
ValidationReport validate_supervised(const std::vector<ValidationInput>& inputs,
                                     const ValidationOptions& options,
                                     const ValidationLimits& limits,
                                     const HeldLock* held = nullptr);

}  // namespace teikit
