#include <gtest/gtest.h>

#include "teikit/diagnostics.hpp"
#include "teikit/source_text.hpp"

using namespace teikit;

TEST(SourceText, DropsBomAndNormalisesLineEnds) {
  DiagnosticSink sink;
  SourceText s("a.txt", "\xEF\xBB\xBFone\r\ntwo\rthree\n", sink);
  EXPECT_EQ(s.text(), "one\ntwo\nthree\n");
  EXPECT_EQ(s.line_col(4).line, 2u);
  EXPECT_EQ(s.line_col(8).line, 3u);
  EXPECT_TRUE(sink.diagnostics().empty());
}

TEST(SourceText, ColumnsCountCodePoints) {
  DiagnosticSink sink;
  SourceText s("a.txt", "\xC3\xA9t\xC3\xA9 [x", sink);
  const auto lc = s.line_col(static_cast<std::uint32_t>(s.text().find('[')));
  EXPECT_EQ(lc.line, 1u);
  EXPECT_EQ(lc.column, 5u);
}

TEST(SourceText, ReplacesInvalidUtf8AndReportsTheOffset) {
  DiagnosticSink sink;
  SourceText s("a.txt", "ab\xFF" "cd\xC3", sink);
  EXPECT_EQ(s.text(), "ab\xEF\xBF\xBD" "cd\xEF\xBF\xBD");
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].code, "invalid-utf8");
  EXPECT_NE(sink.diagnostics()[0].message.find("byte offset 2"), std::string::npos);
}

TEST(SourceText, ReplacesCharactersXmlCannotCarry) {
  DiagnosticSink sink;
  SourceText s("a.txt", std::string("a\0b\x01" "c\xEF\xBF\xBE", 8), sink);
  EXPECT_EQ(s.text(), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD");
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].code, "forbidden-character");
}

TEST(SourceText, RejectsOverlongAndSurrogateEncodings) {
  DiagnosticSink sink;
  SourceText s("a.txt", "\xC0\xAF\xED\xA0\x80", sink);
  EXPECT_EQ(s.text().find('/'), std::string::npos);
  EXPECT_EQ(sink.diagnostics()[0].code, "invalid-utf8");
}

TEST(Diagnostics, TextAndJsonForms) {
  Diagnostic d{Severity::Warning, "empty-brackets", "say \"hi\"", "f.txt", 3, 7};
  std::ostringstream text, json;
  print_text(text, d);
  print_json(json, {d});
  EXPECT_EQ(text.str(), "f.txt:3:7: warning: say \"hi\" [empty-brackets]\n");
  EXPECT_NE(json.str().find("\"message\":\"say \\\"hi\\\"\""), std::string::npos);
}

TEST(Diagnostics, RepeatsAreCappedButCounted) {
  DiagnosticSink sink;
  for (int i = 0; i < 250; ++i) sink.report({Severity::Warning, "x", "m", "f", 1, 1});
  sink.summarise_suppressed("f");
  EXPECT_EQ(sink.count(Severity::Warning), 250u);
  EXPECT_EQ(sink.diagnostics().size(), DiagnosticSink::kMaxPerCode + 1);
  EXPECT_EQ(sink.diagnostics().back().severity, Severity::Note);
}

TEST(SourceText, NormalisesToNfcWithAWarning) {
  DiagnosticSink sink;
  SourceText s("a.txt", "line one\nCafe\xCC\x81\n", sink);  // e + COMBINING ACUTE
  EXPECT_EQ(s.text(), "line one\nCaf\xC3\xA9\n");
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].code, "not-nfc");
  EXPECT_EQ(sink.diagnostics()[0].line, 2u);
}

TEST(SourceText, NfcInputIsLeftAlone) {
  DiagnosticSink sink;
  SourceText s("a.txt", "Caf\xC3\xA9 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D", sink);  // é, Hebrew (RTL)
  EXPECT_EQ(s.text(), "Caf\xC3\xA9 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D");
  EXPECT_TRUE(sink.diagnostics().empty());
}

TEST(SourceText, Latin1AndWindows1252) {
  DiagnosticSink sink;
  EXPECT_EQ(SourceText("a", "Caf\xE9", sink, InputEncoding::Latin1).text(), "Caf\xC3\xA9");
  EXPECT_EQ(SourceText("a", "\x93quoted\x94 \x80", sink, InputEncoding::Windows1252).text(),
            "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x82\xAC");
  EXPECT_TRUE(sink.diagnostics().empty());
}
