#include <gtest/gtest.h>

#include <deque>

#include "teikit/convert/blocks.hpp"
#include "teikit/base/diagnostics.hpp"
#include "teikit/convert/convert.hpp"
#include "teikit/convert/header.hpp"
#include "teikit/convert/profile.hpp"
#include "teikit/convert/tei_writer.hpp"
#include "test_support.hpp"

using namespace teikit;

namespace {
Header parse(const std::string& text, std::size_t* body = nullptr, DiagnosticSink* out = nullptr) {
  DiagnosticSink local;
  DiagnosticSink& sink = out ? *out : local;
  // A header's blocks view the source (BlockText): it is kept for as long as the test runs.
  static std::deque<SourceText> sources;
  const SourceText& s = sources.emplace_back("h.txt", text, sink);
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

// ---------------------------------------------------------------- the header as an editor writes it

namespace {
const char* const kFrus =
    "October 18, 1870\n\nMr. E. B. Washburne to Mr. Fish.\n\nCitation:\n\n\"Mr. E. B. Washburne to Mr. "
    "Fish.\", October 18, 1870, Papers Relating to the Foreign Relations of the United States, "
    "Transmitted to Congress with the Annual Message of the President, December 5, 1870, Document "
    "92. Office of the Historian, U.S. Department of State. "
    "https://history.state.gov/historicaldocuments/frus1870/d92\n\nSummary:\n\nFile No. "
    "861.51/222\n\nContents:\n\nTranscript - English\n\nSir: I have the honor.\n";
const char* const kLetter =
    "January 28, 1845\n\nLetter to Benjamin T. Pyne\n\nCitation:\n\n\"Letter to Benjamin T. Pyne, 28 "
    "January 1845\", January 28, 1845, Livingstone Online, liv_000576, National Library of "
    "Scotland, MS. 3650, 151-152 (Letters, 0114). https://example.org/liv_000576\n\nSummary:\n\n"
    "Letter from David Livingstone to Benjamin T. Pyne. Place of writing: Kuruman.\n\nCredits:\n\n"
    "Transcribed and encoded for Livingstone Online by Sharon Messenger (transcribed by Sharon "
    "Messenger); Justin Livingstone (proofed by Justin Livingstone); Adrian S. Wisnicki "
    "(formatting Review by Adrian S. Wisnicki). Published by University of Maryland Libraries, "
    "2017 under a Creative Commons Attribution-NonCommercial 3.0 licence.\n\nContents:\n\n"
    "Transcript - English\n\nMy dear Sir,\n\nThe wagon [sic] came.\n";
}  // namespace

TEST(Header, FrusSeriesDocumentNumberAndPublisher) {
  const Header h = parse(kFrus);
  EXPECT_EQ(h.citation.series,
            "Papers Relating to the Foreign Relations of the United States, Transmitted to Congress "
            "with the Annual Message of the President, December 5, 1870");
  EXPECT_EQ(h.citation.document_number, "Document 92");
  EXPECT_EQ(h.citation.publisher, "Office of the Historian, U.S. Department of State");
  EXPECT_TRUE(h.source_note.is_source_note);
}

TEST(Header, HoldingLibraryAndShelfmark) {
  const Header h = parse(kLetter);
  EXPECT_EQ(h.citation.signature, "liv_000576");
  EXPECT_FALSE(h.citation.signature_is_archival);
  EXPECT_EQ(h.citation.repository, "National Library of Scotland");
  EXPECT_EQ(h.citation.holding_shelfmark, "MS. 3650");
  EXPECT_EQ(h.citation.holding_signature, "MS. 3650, 151-152");
  EXPECT_FALSE(h.source_note.is_source_note);
  // Folios are the shelfmark's pages, not the shelfmark.
  const Header f = parse(
      "1 May 1850\n\nLetter to X\n\nCitation:\n\n\"Letter to X\", May 1, 1850, Livingstone Online, "
      "liv_001493, National Library of Scotland, MS. 42421, ff. 7r-8v (Letters, 0953).\n\nText.\n");
  EXPECT_EQ(f.citation.holding_shelfmark, "MS. 42421");
  EXPECT_EQ(f.citation.holding_signature, "MS. 42421, ff. 7r-8v");
}

TEST(Header, CreditsNamePeopleWithRolesAndALicence) {
  const Header h = parse(kLetter);
  ASSERT_EQ(h.credited.size(), 2u);  // "formatting Review" is no role of the profile
  EXPECT_EQ(h.credited[0].name, "Sharon Messenger");
  EXPECT_EQ(h.credited[0].id, "transcriber");
  EXPECT_EQ(h.credited[0].resps, (std::vector<std::string>{"transcription", "encoding"}));
  EXPECT_EQ(h.credited[1].name, "Justin Livingstone");
  EXPECT_EQ(h.credited[1].id, "proofreader");
  EXPECT_EQ(h.resp_id, "transcriber");
  ASSERT_TRUE(h.licence);
  EXPECT_EQ(h.licence->name, "Creative Commons Attribution-NonCommercial 3.0");
  EXPECT_EQ(h.licence->target, "https://creativecommons.org/licenses/by-nc/3.0/");
  EXPECT_EQ(h.licence->status, "restricted");
}

TEST(Header, SourceNotesAreToldFromSummaries) {
  for (const char* s : {"Source: Central Intelligence Agency, Job 79–01025A, Box 142, Folder 4. Secret.",
                        "File No. 861.51/222", "No. 94.", "835.5151/651: Telegram", "501.BC Indonesia/1–1849",
                        "Document 149 of Foreign Relations of the United States, 1952–1954, Guatemala."}) {
    const Header h = parse(std::string("1 May 1950\n\nT\n\nSummary:\n\n") + s + "\n\nText.\n");
    EXPECT_TRUE(h.source_note.is_source_note) << s;
  }
  for (const char* s : {"The Foreign Ministry alerts Xu Huang.", "Letter from A to B.",
                        "No further action was taken."}) {
    const Header h = parse(std::string("1 May 1950\n\nT\n\nSummary:\n\n") + s + "\n\nText.\n");
    EXPECT_FALSE(h.source_note.is_source_note) << s;
  }
  const Header h = parse("1 May 1950\n\nT\n\nSummary:\n\nSource: Central Intelligence Agency, Job "
                         "79–01025A, Box 142, Folder 4. Secret; RYBAT.\n\nText.\n");
  EXPECT_EQ(h.source_note.repository, "Central Intelligence Agency");
  EXPECT_EQ(h.source_note.shelfmark, "Job 79–01025A, Box 142, Folder 4");
}

namespace {
xml::DocPtr tei_of(const char* text, const PublicationOptions& pub = {}) {
  ConvertOptions o;
  o.publication = pub;
  const ConvertResult r = convert("doc.txt", text, o);
  std::string error;
  return xml::parse_memory(r.xml, "doc.xml", error);
}
using teikit::test::xpath_count;
using teikit::test::xpath_string;
}  // namespace

TEST(HeaderTei, BiblOfFrusHasSeriesDocumentAndPublisher) {
  const auto doc = tei_of(kFrus);
  ASSERT_TRUE(doc);
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:bibl/t:title[@level='s'])"),
            "Papers Relating to the Foreign Relations of the United States, Transmitted to Congress "
            "with the Annual Message of the President, December 5, 1870");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:bibl/t:title[@level='a'])"), "Mr. E. B. Washburne to Mr. Fish.");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:bibl/t:idno[@type='document'])"), "Document 92");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:bibl/t:publisher)"), "Office of the Historian, U.S. Department of State");
  // The "Summary:" is the source note: in bibl, not an abstract.
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:bibl/t:note[@type='source'])"), "File No. 861.51/222");
  EXPECT_EQ(xpath_count(doc.get(), "//t:abstract"), 0);
  // No repository is named: no msDesc (an msIdentifier needs one).
  EXPECT_EQ(xpath_count(doc.get(), "//t:msDesc"), 0);
}

TEST(HeaderTei, HoldingLibraryIsTheRepository) {
  const auto doc = tei_of(kLetter);
  ASSERT_TRUE(doc);
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:msIdentifier/t:repository)"), "National Library of Scotland");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:msIdentifier/t:idno)"), "MS. 3650");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:bibl/t:idno[@type='archival'])"), "MS. 3650, 151-152");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:abstract/t:p)"),
            "Letter from David Livingstone to Benjamin T. Pyne. Place of writing: Kuruman.");
  const auto cable = tei_of(
      "April 30, 1962\n\nA cable\n\nCitation:\n\n\"A cable\", April 30, 1962, Wilson Center Digital "
      "Archive, PRC FMA 118-01154-05, 28. Translated by Charles Kraus.\n\nContents:\n\nTranslation - English\n\nText.\n");
  EXPECT_EQ(xpath_string(cable.get(), "string(//t:msIdentifier/t:repository)"),
            "Archives of the Ministry of Foreign Affairs of the People's Republic of China");
  EXPECT_EQ(xpath_string(cable.get(), "string(//t:msIdentifier/t:settlement)"), "Beijing");
  EXPECT_EQ(xpath_string(cable.get(), "string(//t:msIdentifier/t:idno)"), "PRC FMA 118-01154-05");
  // An unknown prefix names no repository: the shelfmark stays in the bibl only.
  const auto other = tei_of(
      "April 30, 1962\n\nA cable\n\nCitation:\n\n\"A cable\", April 30, 1962, Some Archive, "
      "XYZ 12-3, 4.\n\nText.\n");
  EXPECT_EQ(xpath_count(other.get(), "//t:msDesc"), 0);
  EXPECT_EQ(xpath_string(other.get(), "string(//t:bibl/t:idno[@type='archival'])"), "XYZ 12-3, 4");
}

TEST(HeaderTei, CreditsGiveRespStmtsAndTheTranscriberIsResponsibleForReadings) {
  const auto doc = tei_of(kLetter);
  ASSERT_TRUE(doc);
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:respStmt[@xml:id='transcriber']/t:name)"), "Sharon Messenger");
  EXPECT_EQ(xpath_count(doc.get(), "//t:respStmt[@xml:id='transcriber']/t:resp"), 2);
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:respStmt[@xml:id='proofreader']/t:name)"), "Justin Livingstone");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:body//t:sic/@resp)"), "#transcriber");
}

// Issue 10 item 2: a translation whose Credits name a translator and a transcriber in two
// sentences. The readings of the source (word [?], [illegible], word [sic]) point at the
// transcriber, the translation's brackets ([is], [...]) at the translator.
TEST(HeaderTei, ReadingsGoToTheTranscriberAndTranslationBracketsToTheTranslator) {
  const auto doc = tei_of(
      "June 28, 1989\n\nCable from Ambassador Han Xu to the Foreign Ministry\n\nCitation:\n\n\"Cable from "
      "Ambassador Han Xu to the Foreign Ministry\", June 28, 1989, Wilson Center Digital Archive. Translated by "
      "Chen Jian.\n\nCredits:\n\nTranslated by Chen Jian. Transcribed by Amy Huang.\n\nContents:\n\n"
      "Translation - English\n\nCongress [is] still pressing. Senator Helms [?] said so [...]. The "
      "[illegible] report was wrongg [sic].\n");
  ASSERT_TRUE(doc);
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:respStmt[@xml:id='translator']/t:name)"), "Chen Jian");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:respStmt[@xml:id='transcriber']/t:name)"), "Amy Huang");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:body//t:supplied/@resp)"), "#translator");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:body//t:gap[@reason='editorial']/@resp)"), "#translator");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:body//t:unclear/@resp)"), "#transcriber");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:body//t:gap[@reason='illegible']/@resp)"), "#transcriber");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:body//t:sic/@resp)"), "#transcriber");
  // With the translator alone, every intervention is the translator's.
  const auto one = tei_of(
      "June 28, 1989\n\nCable from Ambassador Han Xu\n\nCredits:\n\nTranslated by Chen Jian.\n\nContents:\n\n"
      "Translation - English\n\nSenator Helms [?] said [that].\n");
  ASSERT_TRUE(one);
  EXPECT_EQ(xpath_string(one.get(), "string(//t:body//t:unclear/@resp)"), "#translator");
  EXPECT_EQ(xpath_count(one.get(), "//t:respStmt"), 1);
}

TEST(HeaderTei, StatedLicenceAndUnpublishedEdition) {
  const auto doc = tei_of(kLetter);
  ASSERT_TRUE(doc);
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:availability/t:licence/@target)"),
            "https://creativecommons.org/licenses/by-nc/3.0/");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:availability/@status)"), "restricted");
  // No publisher configured: an authority says the edition is unpublished; no internal wording.
  EXPECT_EQ(xpath_count(doc.get(), "//t:publicationStmt/t:publisher"), 0);
  EXPECT_NE(xpath_string(doc.get(), "string(//t:publicationStmt/t:authority)").find("Unpublished"), std::string::npos);
  const auto frus = tei_of(kFrus);
  const std::string p = xpath_string(frus.get(), "string(//t:availability/t:p)");
  EXPECT_NE(p.find("unpublished"), std::string::npos) << p;
  EXPECT_EQ(p.find("teikit"), std::string::npos) << p;
  // A configured licence wins over the stated one; a configured publisher is the publisher.
  PublicationOptions pub;
  pub.publisher = "Example Press";
  pub.licence = "CC BY 4.0";
  pub.licence_url = "https://creativecommons.org/licenses/by/4.0/";
  const auto mine = tei_of(kLetter, pub);
  EXPECT_EQ(xpath_string(mine.get(), "string(//t:publicationStmt/t:publisher)"), "Example Press");
  EXPECT_EQ(xpath_string(mine.get(), "string(//t:availability/t:licence/@target)"),
            "https://creativecommons.org/licenses/by/4.0/");
  EXPECT_EQ(xpath_string(mine.get(), "string(//t:availability/t:p)"), "");
}

TEST(Header, WritingTheTeiReleasesTheFieldsWhenAsked) {
  // A header of 10⁵ fields held every field (~3 bytes a byte of input) while the document was
  // copied together: with release_notes the writer frees them once their notes are written.
  std::string text = "April 30, 1962\n\nMany fields\n\n";
  for (int i = 0; i < 50; ++i) text += "Field" + std::to_string(i) + ":\n\nvalue " + std::to_string(i) + "\n\n";
  text += "Contents:\n\nTranslation - English\n\nThe text.\n";
  std::size_t body = 0;
  Header h = parse(text, &body);
  ASSERT_EQ(h.fields.size(), 51u);
  TeiInput tei;
  tei.header = &h;
  tei.profile = default_profile().get();
  tei.publication.edition_id = "x";
  std::vector<std::string> pieces{"      <div/>\n"};
  const std::string kept = write_tei(tei, pieces);
  EXPECT_EQ(h.fields.size(), 51u);  // not asked: the header is left as it was
  Header released = parse(text, &body);
  tei.header = &released;
  tei.release_notes = &released;
  std::vector<std::string> again{"      <div/>\n"};
  EXPECT_EQ(write_tei(tei, again), kept);  // the same document
  EXPECT_TRUE(released.fields.empty());
  EXPECT_EQ(released.fields.capacity(), 0u);
}
