// Pathological inputs (cmark's pathological_tests.py): the bracket parser is one pass with an
// opener stack, so these finish in linear time. The bound is generous (the measured times are
// tens of milliseconds); speed figures live in bench/, not here.
#include <gtest/gtest.h>

#include <chrono>
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
