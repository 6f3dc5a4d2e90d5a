// Pathological inputs (cmark's pathological_tests.py): the bracket parser is one pass with an
// opener stack, so these finish in linear time. The bound is generous (the measured times are
// tens of milliseconds); speed figures live in bench/, not here.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "teikit/convert.hpp"
#include "test_support.hpp"

using namespace teikit;

namespace {

// Sanitizer builds are 10–50× slower; there the bound only guards against quadratic blow-ups.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kSeconds = 20.0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr double kSeconds = 20.0;
#else
constexpr double kSeconds = 1.0;
#endif
#else
constexpr double kSeconds = 1.0;
#endif

const char* const kHeader =
    "April 30, 1962\n\nPathological\n\nContents:\n\nTranslation - English\n\n";

// Converts and returns the elapsed seconds; the output must be well-formed.
double convert_timed(const std::string& body, std::size_t* warnings = nullptr) {
  const auto start = std::chrono::steady_clock::now();
  ConvertResult r = convert("pathological.txt", kHeader + body, ConvertOptions{});
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string error;
  EXPECT_TRUE(xml::parse_memory(r.xml, "out.xml", error)) << error;
  if (warnings) *warnings = r.diagnostics.count(Severity::Warning);
  return s;
}

}  // namespace

TEST(Pathological, HundredThousandUnmatchedOpeners) {
  std::size_t warnings = 0;
  const double s = convert_timed(std::string(100000, '[') + "\n", &warnings);
  EXPECT_LT(s, kSeconds);
  EXPECT_GE(warnings, 100000u);  // all counted, only the first ones listed
}

TEST(Pathological, HundredThousandNestedBrackets) {
  EXPECT_LT(convert_timed(std::string(100000, '[') + "x" + std::string(100000, ']') + "\n"), kSeconds);
}

TEST(Pathological, HundredThousandUnmatchedClosers) {
  EXPECT_LT(convert_timed(std::string(100000, ']') + "\n"), kSeconds);
}

TEST(Pathological, UnclosedBracketsWithText) {
  std::string body;
  for (int i = 0; i < 100000; ++i) body += "[a ";
  EXPECT_LT(convert_timed(body + "\n"), kSeconds);
}

TEST(Pathological, NestingIsBoundedAndTextKept) {
  ConvertResult r = convert("deep.txt", kHeader + std::string(1000, '[') + "x" +
                                            std::string(1000, ']') + "\n", ConvertOptions{});
  auto doc = teikit::test::convert_to_doc("deep.txt", kHeader + std::string(1000, '[') + "x" +
                                                          std::string(1000, ']') + "\n");
  ASSERT_TRUE(doc);
  // Nested supplied elements stop at the nesting limit; the rest stays text.
  EXPECT_LE(teikit::test::xpath_count(doc.get(), "//t:supplied"), 32);
  const std::string text = teikit::test::xpath_string(doc.get(), "//t:body");
  EXPECT_NE(text.find(std::string(968, '[') + "x"), std::string::npos);
  bool warned = false;
  for (const auto& d : r.diagnostics.diagnostics()) warned |= d.code == "bracket-nesting-too-deep";
  EXPECT_TRUE(warned);
}

TEST(Pathological, TwoHundredThousandHeaderFields) {
  // Each unknown field becomes a note of notesStmt; finding the duplicates among the labels
  // was a scan of all labels seen so far (quadratic: 17 s for this header).
  std::string text = "April 30, 1962\n\nMany fields\n\n";
  constexpr int kFields = 200000;
  for (int i = 0; i < kFields; ++i)
    text += "Field" + std::to_string(i) + ":\n\nvalue " + std::to_string(i) + "\n\n";
  text += "Field7:\n\nrepeated\n\nContents:\n\nTranslation - English\n\nThe text.\n";
  const auto start = std::chrono::steady_clock::now();
  ConvertResult r = convert("fields.txt", text, ConvertOptions{});
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(s, 3 * kSeconds);
  std::string error;
  auto doc = xml::parse_memory(r.xml, "out.xml", error);
  ASSERT_TRUE(doc) << error;
  // Every field kept, the repeated label too (ENCODING.md §3).
  EXPECT_EQ(teikit::test::xpath_count(doc.get(), "//t:notesStmt/t:note"), kFields + 1);
  EXPECT_EQ(teikit::test::xpath_string(doc.get(), "normalize-space(//t:body)"), "The text.");
}

namespace {

// The peak resident memory (bytes) of `teikit convert IN -o OUT` run as its own process.
long convert_peak_rss(const std::string& in, const std::string& out) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::freopen("/dev/null", "w", stderr);
    std::string bin = TEIKIT_BINARY, cmd = "convert", o = "-o";
    std::string a = in, b = out;
    char* argv[] = {bin.data(), cmd.data(), a.data(), o.data(), b.data(), nullptr};
    execv(bin.c_str(), argv);
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  return usage.ru_maxrss * 1024L;
}

}  // namespace

TEST(Pathological, BracketDenseTextConvertsInMemoryLinearInItsSize) {
  // ~10 brackets of every kind per line (the text of bench/convert_memory.sh), 2 MB: the
  // conversion once held every block's tree, then a libxml2 tree and two copies of the output,
  // ~110× the input. Now the peak, less what a tiny conversion takes, is ~6×; the bound only
  // catches a return to tree-per-document memory (sanitizers' shadow memory and quarantine
  // make theirs meaningless but for gross growth).
#if defined(__SANITIZE_ADDRESS__)
  constexpr long kFactor = 100;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  constexpr long kFactor = 100;
#else
  constexpr long kFactor = 20;
#endif
#else
  constexpr long kFactor = 20;
#endif
  const std::string dir = testing::TempDir();
  const std::string tiny = dir + "/teikit-mem-tiny.txt", dense = dir + "/teikit-mem-dense.txt",
                    out = dir + "/teikit-mem-out.xml";
  std::ofstream(tiny) << kHeader << "Text.\n";
  const std::string unit =
      "The [...] delegation [illegible] arrived on the 3rd of [May] with recieved [sic] papers [?] and.\n"
      "A [2 words illegible] report [page 4] was [handwritten: seen] by the [Minister?] at [stamp: A]\n"
      "Comrade [not declassified] wrote [seal] the [source: archive] note [garbled] of [signed] it [...].\n"
      "Here [Hanfu] [sic] said [three lines illegible] that [telegram] the [draft] was [unclear?] good.\n\n";
  std::string text = kHeader;
  while (text.size() < (2u << 20)) text += unit;
  std::ofstream(dense) << text;
  const long base = convert_peak_rss(tiny, out);
  const long peak = convert_peak_rss(dense, out);
  ASSERT_GT(base, 0);
  ASSERT_GT(peak, 0);
  EXPECT_LT(peak - base, kFactor * static_cast<long>(text.size()))
      << "peak " << (peak >> 20) << " MiB, a tiny conversion " << (base >> 20) << " MiB, input "
      << (text.size() >> 20) << " MiB";
  std::string error;
  EXPECT_TRUE(xml::parse_file(out, error)) << error;
  std::remove(tiny.c_str());
  std::remove(dense.c_str());
  std::remove(out.c_str());
}

TEST(Pathological, MemoryEstimateRefusesWhatCannotFit) {
  std::string why;
  EXPECT_TRUE(conversion_memory_available(1000, why)) << why;
  EXPECT_GE(conversion_memory_estimate(100u << 20), 1000u << 20);  // at least 10× the input
  EXPECT_FALSE(conversion_memory_available(SIZE_MAX / 4, why));
  EXPECT_NE(why.find("of memory"), std::string::npos) << why;
}

TEST(Pathological, ConvertRefusesAnInputThatCannotFitWithExitFour) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer reserves more address space than any RLIMIT_AS allows";
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  GTEST_SKIP() << "AddressSanitizer reserves more address space than any RLIMIT_AS allows";
#endif
#endif
  // 40 MB of text under a 300 MiB address-space limit: the estimate does not fit, so the run is
  // refused up front (exit 4, a message) instead of failing half-way.
  const std::string dir = testing::TempDir();
  const std::string in = dir + "/teikit-mem-big.txt", out = dir + "/teikit-mem-big.xml",
                    err = dir + "/teikit-mem-big.err";
  {
    std::ofstream f(in);
    f << kHeader;
    const std::string line(79, 'x');
    for (int i = 0; i < 500000; ++i) f << line << "\n";
  }
  const pid_t pid = fork();
  if (pid == 0) {
    rlimit r{300ul << 20, 300ul << 20};
    setrlimit(RLIMIT_AS, &r);
    std::freopen(err.c_str(), "w", stderr);
    std::string bin = TEIKIT_BINARY, cmd = "convert", o = "-o";
    std::string a = in, b = out;
    char* argv[] = {bin.data(), cmd.data(), a.data(), o.data(), b.data(), nullptr};
    execv(bin.c_str(), argv);
    _exit(127);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 4);
  std::ifstream e(err);
  const std::string message((std::istreambuf_iterator<char>(e)), std::istreambuf_iterator<char>());
  EXPECT_NE(message.find("of memory"), std::string::npos) << message;
  std::ifstream o(out);
  EXPECT_FALSE(o.good());  // nothing written
  std::remove(in.c_str());
  std::remove(err.c_str());
}
