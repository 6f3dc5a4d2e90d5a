// libFuzzer target for `teikit convert` (issue 5): any bytes → valid TEI, never a crash, hang or
// invalid output. Built with -DTEIKIT_FUZZ=ON and clang; seed corpus: samples/. A finding is a
// crash or an abort below; save the input under tests/fuzz/regressions/ so the ordinary test
// suite replays it (tests/test_fuzz_regressions.cpp).
#include <cstdio>
#include <cstdlib>

#include "invariant.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  static const teikit::RelaxNgSchema schema(teikit::project_schema_path());
  if (!schema.valid()) {
    std::fprintf(stderr, "%s\n", schema.error().c_str());
    std::abort();
  }
  const std::string problem =
      teikit::fuzz::check_invariant(std::string(reinterpret_cast<const char*>(data), size), schema);
  if (!problem.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
