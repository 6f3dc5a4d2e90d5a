// The structure stage parses each block of the document text once (issue 9, "one structure
// stage"): its diagnostics and the rules it used are reported once and in block order, whether
// the block was parsed ahead (to tell whether it is a single bracket) or when it was placed,
// and whatever part of a letter it becomes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "teikit/convert/convert.hpp"
#include "test_support.hpp"

namespace teikit {
namespace {

const char* const kHeader =
    "April 30, 1962\n\nOnce\n\nContents:\n\nTranslation - English\n\n";

ConvertResult convert_body(const std::string& body) {
  return convert("once.txt", kHeader + body, ConvertOptions{});
}

// The lines (1-based, of the whole input) of the diagnostics of `code`, in the order reported.
std::vector<std::uint32_t> lines_of(const ConvertResult& r, const std::string& code) {
  std::vector<std::uint32_t> lines;
  for (const auto& d : r.diagnostics.diagnostics())
    if (d.code == code) lines.push_back(d.line);
  return lines;
}

// The header above is 8 lines: the text starts on line 9.
constexpr std::uint32_t kFirst = 9;

struct Shape {
  const char* name;
  std::string body;          // the document text
  std::uint32_t line;        // the line (from kFirst) of its one stray ']' (or its "[]")
  const char* expect;        // an element the shape must produce, to be sure of the shape
  std::size_t extra_parses;  // parts parsed on their own (a block cut into lines)
};

std::vector<Shape> shapes() {
  const std::string text = "The delegation arrived on time and the talks began at once.\n\n";
  return {
      {"plain paragraph", "The delegation arrived ] on time.\n\nIt left.\n", 0, "<p>", 0},
      {"To/Level opener block", "To: Wulumuqi ]\nLevel: Urgent\n\n" + text, 0,
       "<seg type=\"level\">", 1},
      {"labelled opener line", "Subject: Livestock ]\n\n" + text, 0, "<seg type=\"subject\">", 0},
      {"dateline", "Moscow, April 3, 1962 []\n\nDear Sir:\n\n" + text, 0, "<dateline>", 0},
      {"salutation", "Dear Sir ]:\n\n" + text, 0, "<salute>", 0},
      {"valediction and signature", text + "Sincerely yours ],\nE. B. Washburne\n", 2,
       "<signed>", 1},
      {"signature and its date", text + "Ministry of Foreign ] Affairs 30 April 1962\n", 2,
       "<closer>", 1},
      {"signature alone", text + "Zhou ] Enlai\n", 2, "<signed>", 0},
      {"postscript", text + "Sincerely yours,\n\nE. B. Washburne\n\nP.S. The papers ] follow.\n", 6,
       "<postscript>", 0},
      {"enclosure", text + "Orme Wilson\n\n[Enclosure]\n\nParis, October 24, 1870.\n\n"
                           "The minister wrote ] to the legation about the papers it sent, and "
                           "asked that they be forwarded to the government at Tours by the "
                           "first courier that could pass the lines.\n\nJules Favre.\n",
       8, "type=\"enclosure\"", 0},
      {"standalone note before the signature",
       text + "[Note: a ] in the margin]\n\nZhou Enlai\n", 2, "<note", 0},
      {"standalone note opening the text", "[Note: a ] in the margin]\n\n" + text, 0, "<note", 0},
  };
}

TEST(ParsedOnce, EachBracketWarningIsReportedOnceForEveryBlockShape) {
  for (const auto& shape : shapes()) {
    const ConvertResult r = convert_body(shape.body);
    EXPECT_NE(r.xml.find(shape.expect), std::string::npos) << shape.name << "\n" << r.xml;
    auto stray = lines_of(r, "unmatched-close-bracket");
    for (auto l : lines_of(r, "empty-brackets")) stray.push_back(l);
    EXPECT_EQ(stray, std::vector<std::uint32_t>{kFirst + shape.line}) << shape.name;
    // Every block parsed once; a block cut into labelled lines or into a formula and its
    // signature once per part (each part's text once).
    EXPECT_EQ(r.inline_parses, r.text_blocks + shape.extra_parses) << shape.name;
  }
}

TEST(ParsedOnce, BlocksParsedAheadReportInBlockOrder) {
  // The notes before the signature are parsed ahead (the closer zone asks whether they are
  // single brackets), the paragraphs when placed: the warnings still come in text order, as
  // do the conventions the editorialDecl lists (sic before illegible before the source note).
  const std::string body =
      "The delegation arrived [] on time and the talks began at once, as was agreed [sic].\n\n"
      "[illegible []]\n\n"
      "The talks went on [] through the night and ended in the morning at nine.\n\n"
      "[Source: a [] note]\n\n"
      "Zhou Enlai\n";
  const ConvertResult r = convert_body(body);
  EXPECT_EQ(lines_of(r, "empty-brackets"),
            (std::vector<std::uint32_t>{kFirst, kFirst + 2, kFirst + 4, kFirst + 6}));
  EXPECT_EQ(r.inline_parses, r.text_blocks);
  const auto sic = r.xml.find("<item n=\"sic\">");
  const auto source = r.xml.find("<item n=\"source-note\">");
  ASSERT_NE(sic, std::string::npos) << r.xml;
  ASSERT_NE(source, std::string::npos) << r.xml;
  EXPECT_LT(sic, source);
  EXPECT_NE(r.xml.find("<signed>Zhou Enlai</signed>"), std::string::npos) << r.xml;
}

TEST(ParsedOnce, RepeatsSuppressedInABlockParsedAheadStillCount) {
  // A note of 150 empty brackets right before the signature, parsed ahead: 100 are listed,
  // and the summary counts the other 50 (and the one in the paragraph after them).
  std::string note = "[Note:";
  for (int k = 0; k < 150; ++k) note += " []";
  const std::string body = "The delegation arrived on time and the talks began at once.\n\n" +
                           note + "]\n\nZhou Enlai []\n";
  const ConvertResult r = convert_body(body);
  std::size_t listed = 0;
  std::string summary;
  for (const auto& d : r.diagnostics.diagnostics())
    listed += d.code == "empty-brackets" && d.severity == Severity::Warning;
  EXPECT_EQ(listed, 100u);
  for (const auto& d : r.diagnostics.diagnostics())
    if (d.code == "empty-brackets" && d.severity == Severity::Note) summary = d.message;
  EXPECT_NE(summary.find("51 more"), std::string::npos) << summary;
  EXPECT_EQ(r.diagnostics.count(Severity::Warning), 151u);
}

TEST(ParsedOnce, ALongBlockThatIsOneBracketIsPlacedAsOne) {
  // A standalone note longer than a batch of the parser, in the middle of the text (no rule
  // asks about it ahead): parsed once, in batches, and placed as a note, not a paragraph.
  std::string inner;
  while (inner.size() < (80u << 10)) inner += "words [sic] and [illegible] more words ";
  const std::string text = "The delegation arrived on time and the talks began at once.\n\n";
  const ConvertResult r = convert_body(text + "[Note: " + inner + "]\n\n" + text + text);
  EXPECT_EQ(r.inline_parses, r.text_blocks);
  EXPECT_NE(r.xml.find("<note"), std::string::npos);
  EXPECT_EQ(r.xml.find("<p><note"), std::string::npos);
  // …and a long paragraph that merely starts and ends with a bracket stays a paragraph.
  const ConvertResult p = convert_body(text + "[Zhou] " + inner + "[Note: x]\n\n" + text + text);
  EXPECT_EQ(p.inline_parses, p.text_blocks);
  EXPECT_NE(p.xml.find("<p><supplied"), std::string::npos);
}

}  // namespace
}  // namespace teikit
