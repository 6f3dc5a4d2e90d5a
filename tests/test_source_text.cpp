#include <gtest/gtest.h>

#include "teikit/base/diagnostics.hpp"
#include "teikit/base/source_text.hpp"
#include "test_support.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>

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

// The line table holds every 16th line start only: every offset of a text of many lines (empty
// ones, long ones, runs of line feeds, multi-byte characters, no final line feed) gets the line
// and column a count from the start gives, and offsets past the end are clamped.
TEST(SourceText, LineAndColumnOfEveryOffsetOfManyLines) {
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text.append(static_cast<std::size_t>(i % 7 == 0 ? 0 : i % 23), 'a');
    if (i % 5 == 0) text += "\xC3\xA9x";
    if (i % 31 == 0) text += "\n\n\n";
    text += '\n';
  }
  text += "last line";
  const SourceText s = SourceText::from_clean_text("a.txt", text);
  std::uint32_t line = 1;
  std::size_t line_start = 0;
  for (std::uint32_t offset = 0; offset <= text.size(); ++offset) {
    // the column: 1 + the code points (bytes that are no continuation bytes) before offset
    std::uint32_t column = 1;
    for (std::size_t k = line_start; k < offset; ++k)
      column += (static_cast<unsigned char>(text[k]) & 0xC0) != 0x80;
    const LineCol lc = s.line_col(offset);
    ASSERT_EQ(lc.line, line) << "offset " << offset;
    ASSERT_EQ(lc.column, column) << "offset " << offset;
    if (offset < text.size() && text[offset] == '\n') {
      ++line;
      line_start = offset + 1;
    }
  }
  EXPECT_EQ(s.line_col(static_cast<std::uint32_t>(text.size()) + 100).line, line);
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

using teikit::test::encode_with_bom;

TEST(SourceText, DecodesUtf16AndUtf32WithAByteOrderMark) {
  // "é" (U+00E9), "中" (U+4E2D), "𝄞" (U+1D11E, a surrogate pair in UTF-16), CRLF.
  const std::u32string text = U"Caf\u00E9 \u4E2D\r\n\U0001D11E end\n";
  const std::string utf8 = "Caf\xC3\xA9 \xE4\xB8\xAD\n\xF0\x9D\x84\x9E end\n";
  for (int unit : {2, 4})
    for (bool little : {true, false}) {
      DiagnosticSink sink;
      SourceText s("a.txt", encode_with_bom(text, unit, little), sink);
      EXPECT_EQ(s.text(), utf8) << unit << (little ? " LE" : " BE");
      EXPECT_TRUE(sink.diagnostics().empty());
      EXPECT_EQ(s.line_col(static_cast<std::uint32_t>(s.text().find("end"))).line, 2u);
    }
  EXPECT_EQ(detect_bom(encode_with_bom(text, 4, true)), ByteOrderMark::Utf32LE);
  EXPECT_EQ(detect_bom(encode_with_bom(text, 2, true)), ByteOrderMark::Utf16LE);
  EXPECT_EQ(detect_bom(encode_with_bom(text, 2, false)), ByteOrderMark::Utf16BE);
  EXPECT_EQ(detect_bom(encode_with_bom(text, 4, false)), ByteOrderMark::Utf32BE);
  EXPECT_EQ(detect_bom("\xEF\xBB\xBFx"), ByteOrderMark::Utf8);
}

TEST(SourceText, Utf16WithoutAByteOrderMarkIsNotGuessed) {
  // "ab" in UTF-16LE without a mark: read as UTF-8, NULs replaced (and reported), never decoded.
  DiagnosticSink sink;
  SourceText s("a.txt", std::string("a\0b\0", 4), sink);
  EXPECT_EQ(s.text(), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].code, "forbidden-character");
}

TEST(SourceText, UnpairedSurrogatesAndAnOddByteCountBecomeReplacementCharacters) {
  DiagnosticSink sink;
  // BOM, "a", LF, a lone high surrogate, "b", a lone low surrogate, then one stray byte.
  const std::string bytes("\xFF\xFE" "a\0" "\n\0" "\x00\xD8" "b\0" "\x00\xDC" "c", 13);
  SourceText s("a.txt", bytes, sink);
  EXPECT_EQ(s.text(), "a\n\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD");
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  const Diagnostic& d = sink.diagnostics()[0];
  EXPECT_EQ(d.code, "invalid-utf16");
  EXPECT_EQ(d.severity, Severity::Warning);
  EXPECT_EQ(d.line, 2u);
  EXPECT_NE(d.message.find("3 invalid UTF-16"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("byte offset 6"), std::string::npos) << d.message;

  DiagnosticSink sink32;
  // UTF-32BE: a value past U+10FFFF and a truncated unit.
  SourceText t("a.txt", std::string("\0\0\xFE\xFF" "\0\0\0x" "\0\x11\0\0" "\0\0", 14), sink32);
  EXPECT_EQ(t.text(), "x\xEF\xBF\xBD\xEF\xBF\xBD");
  ASSERT_EQ(sink32.diagnostics().size(), 1u);
  EXPECT_EQ(sink32.diagnostics()[0].code, "invalid-utf32");
}

TEST(SourceText, AByteOrderMarkWinsOverTheEncodingGiven) {
  DiagnosticSink sink;
  SourceText s("a.txt", encode_with_bom(U"Caf\u00E9\n", 2, true), sink, InputEncoding::Latin1);
  EXPECT_EQ(s.text(), "Caf\xC3\xA9\n");
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].code, "bom-overrides-encoding");

  DiagnosticSink sink8;
  SourceText u("a.txt", "\xEF\xBB\xBF" "Caf\xC3\xA9\n", sink8, InputEncoding::Windows1252);
  EXPECT_EQ(u.text(), "Caf\xC3\xA9\n");
  ASSERT_EQ(sink8.diagnostics().size(), 1u);
  EXPECT_EQ(sink8.diagnostics()[0].code, "bom-overrides-encoding");
}

TEST(SourceText, NfcOfALongTextIsNfcOfTheWhole) {
  // Longer than the pieces the normaliser works in: every e + COMBINING ACUTE becomes é,
  // wherever a piece boundary falls, and the first change is located on its line.
  std::string text = "plain first line\n", want = text;
  for (int i = 0; i < 40000; ++i) {
    text += "ab e\xCC\x81 x\n";
    want += "ab \xC3\xA9 x\n";
  }
  DiagnosticSink sink;
  SourceText s("a.txt", text, sink);
  EXPECT_EQ(s.text(), want);
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].code, "not-nfc");
  EXPECT_EQ(sink.diagnostics()[0].line, 2u);
}

TEST(SourceText, NfcOfRandomTextsIsUtf8procsNfcOfTheWhole) {
  // The normaliser hands utf8proc only the runs around characters that may change or compose;
  // texts mixed from the hard cases (combining marks in and out of canonical order, singletons,
  // composition exclusions, Hangul jamo, Indic vowel signs that compose with the letter before)
  // must come out as utf8proc's NFC of the whole text, with the first change's line reported.
  const char* pieces[] = {
      "a", "e", "A", " ", "\n", ".", "\xC3\xA9",  // é
      "\xCC\x81", "\xCC\xA3", "\xCC\x88", "\xCC\x84",  // combining acute, dot below, diaeresis, macron
      "\xC3\xA4", "\xC7\x9F",                          // ä, ǟ
      "\xE2\x84\xAB", "\xE1\xBD\xB1", "\xCD\x84",      // Å sign, Greek ά (singletons), U+0344
      "\xE0\xA5\x98", "\xE0\xA4\x95", "\xE0\xA4\xBC",  // U+0958 (excluded), क, nukta
      "\xE1\x84\x80", "\xE1\x85\xA1", "\xE1\x86\xA8", "\xEA\xB0\x80",  // Hangul L, V, T, 가
      "\xE0\xA7\x87", "\xE0\xA6\xBE", "\xE0\xA6\x95",  // Bengali e sign, aa sign, ka
      "\xE4\xB8\xAD", "\xEF\xAC\x81", "\xE2\x80\x94", "\xD7\xA9",  // 中, ﬁ, em dash, Hebrew
  };
  const std::size_t count = sizeof pieces / sizeof pieces[0];
  unsigned state = 12345;
  auto next = [&] { return state = state * 1103515245u + 12345u, (state >> 16) & 0x7FFF; };
  for (int round = 0; round < 200; ++round) {
    std::string text;
    const int length = 1 + static_cast<int>(next() % 300);
    for (int k = 0; k < length; ++k) text += pieces[next() % count];
    utf8proc_uint8_t* mapped = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                                static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    ASSERT_GE(n, 0);
    const std::string want(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
    std::free(mapped);
    DiagnosticSink sink;
    SourceText s("a.txt", text, sink);
    ASSERT_EQ(s.text(), want) << "round " << round;
    if (want == text) {
      EXPECT_TRUE(sink.diagnostics().empty()) << "round " << round;
    } else {
      ASSERT_EQ(sink.diagnostics().size(), 1u) << "round " << round;
      EXPECT_EQ(sink.diagnostics()[0].code, "not-nfc");
      std::size_t first = 0;
      while (first < text.size() && first < want.size() && text[first] == want[first]) ++first;
      const auto line = 1 + static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + first, '\n'));
      EXPECT_EQ(sink.diagnostics()[0].line, line) << "round " << round;
    }
  }
}

TEST(SourceText, LongAsciiRunsAreCopiedAsTheyAreAndABadByteKeepsItsLine) {
  // Plain ASCII runs are copied whole: tabs and line feeds stay, CR and CRLF become line feeds,
  // other controls are replaced, and the first bad byte is reported on its line (CR, CRLF and
  // LF each end one).
  std::string raw = "one\r\ntwo\rthree\n";
  const std::string words(200, 'x');
  raw += words + "\t" + words + "\n" + words + "\x01" + words + "\xFF" + "end";
  DiagnosticSink sink;
  SourceText s("a.txt", raw, sink);
  EXPECT_EQ(s.text(), "one\ntwo\nthree\n" + words + "\t" + words + "\n" + words + "\xEF\xBF\xBD" +
                          words + "\xEF\xBF\xBD" + "end");
  ASSERT_EQ(sink.diagnostics().size(), 2u);
  EXPECT_EQ(sink.diagnostics()[0].code, "invalid-utf8");
  EXPECT_EQ(sink.diagnostics()[0].line, 5u);
  EXPECT_EQ(sink.diagnostics()[1].code, "forbidden-character");
  EXPECT_EQ(sink.diagnostics()[1].line, 5u);
  // The line index agrees: "end" is on line 5.
  EXPECT_EQ(s.line_col(static_cast<std::uint32_t>(s.text().rfind("end"))).line, 5u);
  EXPECT_EQ(s.line_col(static_cast<std::uint32_t>(s.text().find("three"))).line, 3u);
}
