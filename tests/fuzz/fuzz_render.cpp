// libFuzzer target for `teikit render --to html` (issue 8): any bytes as the TEI → either a
// refusal or a well-formed page, no non-void element written <x/>, no link outside the
// allow-list; never a crash, a hang or unbounded memory (scripts/fuzz.sh
// runs it with -rss_limit_mb and -timeout). Seed corpus: the samples' TEI. A finding goes to
// tests/fuzz/regressions-render/, which the test suite replays (HtmlFuzz in test_render_html.cpp).
#include <cstdio>
#include <cstdlib>

#include "render_invariant.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  static const teikit::Stylesheet sheet(teikit::stylesheet_dir() + "/tei-to-html.xsl");
  if (!sheet.valid()) {
    std::fprintf(stderr, "%s\n", sheet.error().c_str());
    std::abort();
  }
  const std::string problem = teikit::fuzz::check_render_invariant(
      std::string(reinterpret_cast<const char*>(data), size), sheet);
  if (!problem.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
