// The command line, callable in-process (the xmllint model): main() only calls run().
#pragma once

#include <ostream>

namespace teikit {

/// Exit codes (also in README.md and `teikit --help`).
enum ExitCode : int {
  kExitOk = 0,          ///< success
  kExitUsage = 1,       ///< bad command line
  kExitWarnings = 2,    ///< --fail-on-warnings and warnings were reported
  kExitInvalid = 3,     ///< output or document not valid against the schema
  kExitUnreadable = 4,  ///< input unreadable / not well-formed, or output not writable
  kExitSchema = 5,      ///< schema or stylesheet did not compile
};

/// Runs the teikit command line with `argv`, writing results to `out` and messages to `err`.
/// Standard input is read for the file name "-".
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace teikit
