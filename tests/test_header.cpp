#include <gtest/gtest.h>

#include "teikit/convert/blocks.hpp"
#include "teikit/base/diagnostics.hpp"
#include "teikit/convert/header.hpp"

using namespace teikit;

namespace {
Header parse(const std::string& text, std::size_t* body = nullptr, DiagnosticSink* out = nullptr) {
  DiagnosticSink local;
  DiagnosticSink& sink = out ? *out : local;
  SourceText s("h.txt", text, sink);
  auto blocks = segment_blocks(s, Flavour::Auto, sink);
  std::size_t start = 0;
  Header h = parse_header(s, blocks, start, sink);
  if (body) *body = start;
  return h;
}
}  // namespace

TEST(Header, CitationPartsOfAWilsonCenterCable) {
  Header h = parse(
      "April 30, 1962\n\nA cable\n\nCitation:\n\n\"A cable\", April 30, 1962, Wilson Center Digital "
      "Archive, PRC FMA 118-01154-05, 28. Translated by Charles Kraus. "
      "https://example.org/document/118189\n\nContents:\n\nTranslation - English\n\nText.\n");
  EXPECT_EQ(h.citation.title, "A cable");
  ASSERT_TRUE(h.citation.date);
  EXPECT_EQ(h.citation.date->iso(), "1962-04-30");
  EXPECT_EQ(h.citation.archive, "Wilson Center Digital Archive");
  EXPECT_EQ(h.citation.signature, "PRC FMA 118-01154-05, 28");
  EXPECT_TRUE(h.citation.signature_is_archival);
  ASSERT_EQ(h.citation.responsible.size(), 1u);
  EXPECT_EQ(h.citation.responsible[0].name, "Charles Kraus");
  EXPECT_EQ(h.citation.responsible[0].role, "translator");
  EXPECT_EQ(h.citation.url, "https://example.org/document/118189");
}

TEST(Header, TranslatorNamesWithInitialsAndTwoTranslators) {
  Header h = parse("1 May 1950\n\nT\n\nCitation:\n\n\"T\", May 1, 1950, Archive, X. Translated by "
                   "J. R. Smith and Ann Lee. https://example.org/x\n\nText.\n");
  ASSERT_EQ(h.citation.responsible.size(), 2u);
  EXPECT_EQ(h.citation.responsible[0].name, "J. R. Smith");
  EXPECT_EQ(h.citation.responsible[1].name, "Ann Lee");
}

TEST(Header, FieldsFunderLanguagesAndBodyStart) {
  std::size_t body = 0;
  Header h = parse("\n\nApril 30, 1962\n\nT\n\nSummary:\n\nS.\n\nCredits:\n\nThis document was made "
                   "possible with support from MacArthur Foundation\n\nOriginal Language:\n\nChinese"
                   "\n\nContents:\n\nTranslation - English\n\n[...]\n\nText.\n", &body);
  EXPECT_EQ(h.funder, "MacArthur Foundation");
  EXPECT_EQ(h.original_languages, std::vector<std::string>{"Chinese"});
  EXPECT_EQ(h.text_language, "English");
  EXPECT_TRUE(h.translation);
  EXPECT_EQ(body, 10u);  // date, title, 4 × (label + value), then "[...]"
  EXPECT_EQ(h.date->iso(), "1962-04-30");
}

TEST(Header, UnknownAndReorderedFieldsAreKept) {
  DiagnosticSink sink;
  std::size_t body = 0;
  Header h = parse("30 April 1962\n\nT\n\nContents:\n\nTranscript - English\n\nCitation:\n\nC\n\n"
                   "Declassified:\n\nyes\n\nSUBJECT:\n\nText.\n", &body, &sink);
  ASSERT_EQ(h.fields.size(), 2u);  // Declassified after Contents is body text (unknown label)
  EXPECT_FALSE(h.translation);
  EXPECT_NE(h.field("citation"), nullptr);
  EXPECT_EQ(body, 6u);
}

TEST(Header, MarkdownLabelsAndAutolink) {
  Header h = parse("**April 25, 1962**\n\n**'A title  \nin two lines'**\n\n**Citation:**\n\n\"A\", April "
                   "25, 1962, Archive, ABC 1. Translated by X Y.\n\n<https://example.org/1>\n\n"
                   "**Contents:**\n\nTranslation - English\n\nText.\n");
  EXPECT_EQ(h.date->iso(), "1962-04-25");
  EXPECT_EQ(h.title, "A title in two lines");
  EXPECT_EQ(h.citation.url, "https://example.org/1");
  ASSERT_NE(h.field("Citation"), nullptr);
  EXPECT_EQ(h.field("Citation")->value.size(), 2u);
}

TEST(Header, MissingDateLineIsAWarningNotAFailure) {
  DiagnosticSink sink;
  Header h = parse("Just a title\n\nText.\n", nullptr, &sink);
  EXPECT_FALSE(h.date);
  ASSERT_FALSE(sink.diagnostics().empty());
  EXPECT_EQ(sink.diagnostics()[0].code, "missing-date-line");
}

TEST(Header, LanguageCodes) {
  EXPECT_EQ(language_code("Chinese"), "zh");
  EXPECT_EQ(language_code(" russian "), "ru");
  EXPECT_EQ(language_code("Klingon"), "");
}

TEST(Header, SeveralOriginalLanguagesAndContentsItems) {
  Header h = parse("1 May 1950\n\nT\n\nOriginal Language:\n\nEnglish, Undetermined\n\nContents:\n\n"
                   "Original Scan\nTranscript - Chinese\n\nText.\n");
  EXPECT_EQ(h.original_languages, (std::vector<std::string>{"English", "Undetermined"}));
  EXPECT_EQ(h.text_language, "Chinese");
  EXPECT_FALSE(h.translation);
}

TEST(Header, NoContentsClaimsNoLanguage) {
  Header h = parse("1 May 1950\n\nT\n\nCitation:\n\nC\n\nText.\n");
  EXPECT_EQ(h.text_language, "");
  EXPECT_FALSE(h.translation);
}

TEST(Header, TranscribersAndEditorsAreResponsibleToo) {
  Header h = parse("1 May 1950\n\nT\n\nCitation:\n\n\"T\", May 1, 1950, Archive, X. Transcribed by "
                   "Ruth Okafor. Edited by Ann Smith. https://example.org/x\n\nText.\n");
  ASSERT_EQ(h.citation.responsible.size(), 2u);
  EXPECT_EQ(h.citation.responsible[0].role, "transcriber");
  EXPECT_EQ(h.citation.responsible[1].role, "editor");
  EXPECT_EQ(h.citation.responsible[1].name, "Ann Smith");
}

TEST(Header, ATimeAloneIsNoDateLine) {
  // "9 p.m." was read as the document date and written when="0000-00" (found by fuzz_convert).
  DiagnosticSink sink;
  Header h = parse("9 p.m.\n\nT\n\nContents:\n\nTranslation - English\n\nText.\n", nullptr, &sink);
  EXPECT_FALSE(h.date);
  bool warned = false;
  for (const auto& d : sink.diagnostics()) warned |= d.code == "missing-date-line";
  EXPECT_TRUE(warned);
  EXPECT_TRUE(parse("April 30, 1962\n\nT\n\nText.\n").date);
  EXPECT_TRUE(parse("April 1962\n\nT\n\nText.\n").date);
}
