// libFuzzer target for `teikit validate` (issue 8): a document against the project schema and
// rules, or a RELAX NG schema, a NUL byte and a document (validate_invariant.hpp). Never a crash
// or an abort; memory and time are bounded by libFuzzer (-rss_limit_mb, -timeout; scripts/
// fuzz.sh). Validation runs in this process so that libFuzzer sees its coverage. Built with
// -DTEIKIT_FUZZ=ON and clang; seeds: tests/validate/*.xml and tests/fuzz/seeds/validate/. Save a
// finding under tests/fuzz/regressions/validate/ so the ordinary test suite replays it
// (tests/test_fuzz_regressions.cpp).
#include <cstdio>
#include <cstdlib>

#include "validate_invariant.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string problem = teikit::fuzz::check_validate_invariant(
      std::string(reinterpret_cast<const char*>(data), size), teikit::validate_documents, /*supervised=*/false);
  if (!problem.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
