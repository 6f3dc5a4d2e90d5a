// The document kind (cable, telegram, letter, record of conversation, ...): the profile's cue
// words in the title, or an explicit header field; written to profileDesc/textClass, valid
// against the project schema and tei_all.rng, and read from there by the page's search facet.
#include <gtest/gtest.h>

#include <string>

#include "teikit/base/xml.hpp"
#include "teikit/convert/convert.hpp"
#include "teikit/convert/profile.hpp"
#include "teikit/validate/validation_job.hpp"
#include "test_support.hpp"

using namespace teikit;

namespace {

std::string transcription(const std::string& title, const std::string& extra = "") {
  return "April 30, 1962\n\n" + title + "\n\nCitation:\n\n\"" + title +
         "\", April 30, 1962, Test Archive, ABC 1-2, 3. https://example.org/1\n\n" + extra +
         "Contents:\n\nTranslation - English\n\nSome text.\n";
}

ConvertResult convert_with(const std::string& text, const std::string& profile = "") {
  ConvertOptions o;
  if (!profile.empty()) o.profile = builtin_profile(profile);
  return convert("doc.txt", text, o);
}

// The kind the TEI carries ("" for none), and how many textClass elements it has.
std::string kind_of(const ConvertResult& c, int* count = nullptr) {
  std::string error;
  xml::DocPtr doc = xml::parse_memory(c.xml, "doc.xml", error);
  EXPECT_TRUE(doc) << error;
  if (!doc) return "";
  if (count) *count = teikit::test::xpath_count(doc.get(), "//t:textClass");
  return teikit::test::xpath_string(
      doc.get(), "/t:TEI/t:teiHeader/t:profileDesc/t:textClass/t:keywords/t:term[@type='document-kind']");
}

}  // namespace

TEST(DocumentKind, TheProfilesCueWordsInTheTitleNameTheKind) {
  const std::pair<const char*, const char*> cases[] = {
      {"Telegram, Shtykov to Vyshinsky", "telegram"},
      {"Ciphered Telegram from Roshchin to Filippov [Stalin]", "telegram"},
      {"Memorandum of Conversation between Mao Zedong and Kim Il Sung", "record of conversation"},
      {"Record of a Conversation with Ambassador Puzanov", "record of conversation"},
      {"Memorandum to the Central Committee", "memorandum"},
      {"Letter from Kim Il Sung to Stalin concerning the conversation", "letter"},
      {"Cable from the Chinese Embassy in Pyongyang", "cable"},
      {"Report on the Situation in Korea", "report"},
      {"Minutes of the Politburo Meeting", "minutes"},
      {"Note from the Soviet Government", "note"},
  };
  for (const auto& [title, kind] : cases) {
    EXPECT_EQ(kind_of(convert_with(transcription(title))), kind) << title;
  }
  // Whole words only, and no cue: no textClass at all.
  int count = -1;
  EXPECT_EQ(kind_of(convert_with(transcription("Notebooks of the Cabled Reportage")), &count), "");
  EXPECT_EQ(count, 0);
}

TEST(DocumentKind, AnExplicitHeaderFieldWins) {
  const ConvertResult c =
      convert_with(transcription("Letter-like Title", "Document Type:\n\nCablegram\n\n"));
  EXPECT_EQ(kind_of(c), "cable");  // the field's cue names the kind
  // A value no cue names is taken as written (lower-cased), and not kept as an unknown field.
  const ConvertResult d =
      convert_with(transcription("Letter to the Editor", "Document Type:\n\nPetition\n\n"));
  EXPECT_EQ(kind_of(d), "petition");
  EXPECT_EQ(d.xml.find("<label>Document Type</label>"), std::string::npos) << d.xml;
}

TEST(DocumentKind, TheGermanProfileHasItsOwnCues) {
  EXPECT_EQ(kind_of(convert_with("30. April 1962\n\nTelegramm der Botschaft in Peking\n\nText.\n",
                                 "de-archive")),
            "telegram");
  EXPECT_EQ(kind_of(convert_with("30. April 1962\n\nAktenvermerk über das Gespräch\n\nText.\n",
                                 "de-archive")),
            "note");
}

TEST(DocumentKind, TheTeiIsValidAgainstTheProjectSchemaAndTeiAll) {
  REQUIRE_SHARED();
  const ConvertResult c = convert_with(transcription("Telegram, Shtykov to Vyshinsky"));
  ASSERT_EQ(kind_of(c), "telegram");
  std::vector<std::string> schemas = {teikit::test::source_dir() + "/schemas/teikit.rng",
                                      shared + "/tei-schemas/tei_all.rng"};
  for (const std::string& schema : schemas) {
    ValidationOptions options;
    options.schema_path = schema;
    ValidationInput in;
    in.name = "doc.xml";
    in.bytes = c.xml;
    const ValidationReport r = validate_documents({in}, options);
    ASSERT_EQ(r.schema, SchemaStatus::Compiled) << r.schema_error;
    EXPECT_EQ(r.documents.at(0).verdict, Verdict::Valid) << schema;
    for (const auto& d : r.documents.at(0).diagnostics) ADD_FAILURE() << d.diagnostic.message;
  }
}
