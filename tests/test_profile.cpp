#include <gtest/gtest.h>

#include "teikit/convert/brackets.hpp"
#include "teikit/convert/profile.hpp"
#include "test_support.hpp"

#include <cctype>
#include <regex>

using namespace teikit;

TEST(Profile, DefaultProfileIsTheFileInTheRepository) {
  std::string error;
  auto from_file = load_profile_file(
      teikit::test::source_dir() + "/converter/profiles/archive-translation.xml", error);
  ASSERT_TRUE(from_file) << error;
  auto builtin = default_profile();
  ASSERT_EQ(from_file->rules.size(), builtin->rules.size());
  for (std::size_t i = 0; i < builtin->rules.size(); ++i)
    EXPECT_EQ(from_file->rules[i].pattern_source, builtin->rules[i].pattern_source);
}

TEST(Profile, ClassifiesTheConventionsOfEncodingMd) {
  auto p = default_profile();
  auto id = [&](const char* content) { return p->classify(content).id; };
  EXPECT_EQ(id("..."), "omission");
  EXPECT_EQ(id("\xE2\x80\xA6"), "omission");
  EXPECT_EQ(id(". . ."), "omission");
  EXPECT_EQ(id("illegible"), "illegible");
  EXPECT_EQ(id("ILLEGIBLE"), "illegible");
  EXPECT_EQ(id("2 words illegible"), "illegible-extent");
  EXPECT_EQ(id("illegible signature"), "illegible-extent");
  EXPECT_EQ(id("sic"), "sic");
  EXPECT_EQ(id("sic!"), "sic");
  EXPECT_EQ(id("?"), "unclear");
  EXPECT_EQ(id("Urumqi?"), "conjecture");
  EXPECT_EQ(id("name not declassified"), "withheld");
  EXPECT_EQ(id("Page 12"), "page");
  EXPECT_EQ(id("p. 12"), "page");
  EXPECT_EQ(id("Here follows discussion of trade"), "editorial-omission");
  EXPECT_EQ(id("2 paragraphs omitted"), "editorial-omission");
  EXPECT_EQ(id("Received October 9, 9.30 p.m."), "received");
  EXPECT_EQ(id("Source: Central Files"), "source-note");
  EXPECT_EQ(id("Telegram"), "document-label");
  EXPECT_EQ(id("Translation."), "document-label");
  EXPECT_EQ(id("l. s."), "seal");
  EXPECT_EQ(id("handwritten: OK"), "handwritten");
  EXPECT_EQ(id("stamp: SECRET"), "stamp");
  EXPECT_EQ(id("To the"), "supplied");
  EXPECT_EQ(id("Urumqi"), "supplied");
}

TEST(Profile, ALeidenStyleProfileIsJustData) {
  std::string error;
  auto p = parse_profile(
      "<profile name='leiden' open='{' close='}'><title>t</title>"
      "<rule id='surplus' action='element' element='surplus' pattern='.+'/>"
      "<default id='x' action='supplied'/></profile>", "leiden.xml", error);
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->open, "{");
  EXPECT_EQ(p->classify("abc").element, "surplus");
}

TEST(Profile, ErrorsAreReported) {
  std::string error;
  EXPECT_FALSE(parse_profile("<profile name='x'><rule id='a' action='gap' pattern='('/>"
                             "<default id='d' action='supplied'/></profile>", "x", error));
  EXPECT_NE(error.find("bad pattern"), std::string::npos);
  EXPECT_FALSE(parse_profile("<profile name='x'/>", "x", error));
  EXPECT_NE(error.find("default"), std::string::npos);
  EXPECT_FALSE(parse_profile("not xml", "x", error));
}

TEST(Measure, ReadsQuantitiesAndBounds) {
  auto measure = [](const char* text) {
    Node gap = Node::make_element("gap");
    read_measure(text, gap);
    std::string r;
    for (const auto& [k, v] : gap.attributes) r += k + "=" + v + " ";
    return r;
  };
  EXPECT_EQ(measure("2 words illegible"), "quantity=2 unit=word ");
  EXPECT_EQ(measure("three lines illegible"), "quantity=3 unit=line ");
  EXPECT_EQ(measure("1\xC2\xBD lines not declassified"), "quantity=1.5 unit=line ");
  EXPECT_EQ(measure("less than 1 line of source text not declassified"), "atMost=1 unit=line ");
  EXPECT_EQ(measure("illegible word"), "quantity=1 unit=word ");
  EXPECT_EQ(measure("4 characters illegible"), "quantity=4 unit=char ");
  EXPECT_EQ(measure("name not declassified"), "");
}

// ---- Language knowledge in the profile (issue 9) -------------------------------------------

#include <cstdlib>

#include "teikit/base/diagnostics.hpp"
#include "teikit/convert/convert.hpp"
#include "teikit/convert/dates.hpp"
#include "teikit/validate/validate.hpp"

namespace {

std::string profile_path(const std::string& name) {
  return teikit::test::source_dir() + "/converter/profiles/" + name;
}

std::string measure_with(const char* text, const Profile& p) {
  Node gap = Node::make_element("gap");
  read_measure(text, gap, p);
  std::string r;
  for (const auto& [k, v] : gap.attributes) r += k + "=" + v + " ";
  return r;
}

// Every diagnostic as "line:col: severity: [code]".
std::vector<std::string> problems(const std::string& xml) {
  DiagnosticSink sink;
  parse_profile(xml, "p.xml", sink);
  std::vector<std::string> out;
  for (const auto& d : sink.diagnostics())
    out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
                  to_string(d.severity) + ": [" + d.code + "]");
  return out;
}

bool has(const std::vector<std::string>& all, const std::string& what) {
  for (const auto& a : all)
    if (a == what) return true;
  return false;
}

}  // namespace

TEST(Profile, BuiltinProfilesAreValidAgainstProfileRng) {
  RelaxNgSchema schema(teikit::test::source_dir() + "/schemas/profile.rng");
  ASSERT_TRUE(schema.valid()) << schema.error();
  for (const std::string& file :
       {profile_path("archive-translation.xml"), profile_path("de-archive.xml"),
        teikit::test::source_dir() + "/tests/data/profiles/fr-test.xml"}) {
    std::string error;
    xml::DocPtr doc = xml::parse_file(file, error);
    ASSERT_TRUE(doc) << error;
    std::vector<ValidityError> errors;
    EXPECT_TRUE(schema.validate(doc.get(), errors))
        << file << ": " << (errors.empty() ? "" : errors.front().message);
  }
  // …and the schema does say no: an attribute the loader never reads is refused.
  std::string error;
  xml::DocPtr bad = xml::parse_memory(
      "<profile name='x'><rule id='r' action='note' type='received' dates='yes' pattern='x'/>"
      "<default id='d' action='supplied'/></profile>", "bad.xml", error);
  std::vector<ValidityError> errors;
  EXPECT_FALSE(schema.validate(bad.get(), errors));
}

TEST(Profile, BuiltinProfilesAreTheFilesInTheRepository) {
  EXPECT_EQ(builtin_profile_names(), (std::vector<std::string>{"archive-translation", "de-archive"}));
  for (const auto& name : builtin_profile_names()) {
    EXPECT_EQ(builtin_profile_xml(name), teikit::test::read_file(profile_path(name + ".xml")));
    ASSERT_TRUE(builtin_profile(name)) << name;
    EXPECT_EQ(builtin_profile(name)->name, name);
  }
  EXPECT_EQ(builtin_profile("archive-translation"), default_profile());
  EXPECT_EQ(builtin_profile("klingon-archive"), nullptr);
  EXPECT_EQ(builtin_profile_xml("klingon-archive"), nullptr);
  EXPECT_EQ(default_profile()->language, "en");
  EXPECT_EQ(builtin_profile("de-archive")->language, "de");
  EXPECT_EQ(builtin_profile("de-archive")->text_language, "de");
}

TEST(Profile, TheDefaultProfileHoldsTheEnglishKnowledge) {
  auto p = default_profile();
  EXPECT_EQ(p->field_of("Original Language"), "original-language");
  EXPECT_EQ(p->field_of("citation"), "citation");
  EXPECT_EQ(p->field_of("Zitat"), "");
  EXPECT_EQ(p->language_code("Farsi"), "fa");
  EXPECT_EQ(p->language_code("Persian"), "fa");
  EXPECT_EQ(p->languages.size(), 56u);
  EXPECT_EQ(p->label_max_length, 24u);
  EXPECT_EQ(month_number("Sept"), 9);
  EXPECT_EQ(month_number("März"), 0);
}

TEST(Profile, TheGermanProfileReadsGermanDatesAndMeasures) {
  auto de = builtin_profile("de-archive");
  ASSERT_TRUE(de);
  auto iso = [&](const char* text) {
    auto d = parse_date(text, *de);
    return d ? d->iso() : std::string("-");
  };
  EXPECT_EQ(iso("29. März 1962"), "1962-03-29");
  EXPECT_EQ(iso("1. Jänner 1962"), "1962-01-01");
  EXPECT_EQ(iso("Montag, den 30. April 1962"), "1962-04-30");
  EXPECT_EQ(iso("Sept. 1961"), "1961-09");
  EXPECT_EQ(iso("Monday, April 30, 1962"), "-");  // an English weekday
  // The English profile does not read German, and keeps its own.
  EXPECT_FALSE(parse_date("29. März 1962"));
  EXPECT_EQ(parse_date("Monday, April 30, 1962")->iso(), "1962-04-30");
  EXPECT_EQ(month_number("MÄRZ", *de), 3);
  EXPECT_EQ(month_number("Dez", *de), 12);
  EXPECT_EQ(measure_with("zwei Wörter unleserlich", *de), "quantity=2 unit=word ");
  EXPECT_EQ(measure_with("drei Zeilen unleserlich", *de), "quantity=3 unit=line ");
  EXPECT_EQ(measure_with("weniger als eine Zeile", *de), "atMost=1 unit=line ");
  EXPECT_EQ(measure_with("mindestens 2 Seiten", *de), "atLeast=2 unit=page ");
  EXPECT_EQ(measure_with("unleserliches Wort", *de), "quantity=1 unit=word ");
  EXPECT_EQ(measure_with("Wörter unleserlich", *de), "");  // a plural alone is no quantity
  EXPECT_EQ(measure_with("two words", *de), "");
  EXPECT_EQ(de->language_code("Russisch"), "ru");
  EXPECT_EQ(de->language_code("französisch"), "fr");
}

TEST(Profile, LoaderChecksSayWhereAndWhat) {
  const auto all = problems(
      "<profile name='x'>\n"
      "  <rule id='a' action='gap' pattern='('/>\n"
      "  <rule id='b' action='explode' pattern='x'/>\n"
      "  <rule id='c' action='gap' pattern='c'/>\n"
      "  <rule id='c' action='gap' pattern='d'/>\n"
      "  <months></months>\n"
      "  <languages><language code='German'>Deutsch</language></languages>\n"
      "  <surprise/>\n"
      "  <default id='d' action='supplied'/>\n"
      "</profile>\n");
  EXPECT_TRUE(has(all, "2:29: error: [profile-bad-pattern]")) << testing::PrintToString(all);
  EXPECT_TRUE(has(all, "3:16: error: [profile-unknown-action]")) << testing::PrintToString(all);
  EXPECT_TRUE(has(all, "5:9: error: [profile-duplicate-id]")) << testing::PrintToString(all);
  EXPECT_TRUE(has(all, "6:3: error: [profile-empty-list]")) << testing::PrintToString(all);
  EXPECT_TRUE(has(all, "7:24: error: [profile-bad-value]")) << testing::PrintToString(all);
  EXPECT_TRUE(has(all, "8:3: error: [profile-unknown-element]")) << testing::PrintToString(all);
  EXPECT_EQ(all.size(), 6u) << testing::PrintToString(all);

  const auto months = problems(
      "<profile name='x'>\n"
      "  <months>\n"
      "    <month n='1'>Jan</month>\n"
      "    <month n='13'>Smarch</month>\n"
      "    <month n='2'>Feb|Jan</month>\n"
      "  </months>\n"
      "  <default id='d' action='supplied'/>\n"
      "</profile>\n");
  EXPECT_TRUE(has(months, "4:12: error: [profile-bad-value]")) << testing::PrintToString(months);
  EXPECT_TRUE(has(months, "5:5: error: [profile-duplicate]")) << testing::PrintToString(months);
  EXPECT_TRUE(has(months, "2:3: error: [profile-incomplete]")) << testing::PrintToString(months);

  // A missing header label is a warning: the profile loads, the field is never recognised.
  DiagnosticSink sink;
  auto p = parse_profile("<profile name='x'><header-labels><label field='citation'>Quelle</label>"
                         "</header-labels><default id='d' action='supplied'/></profile>",
                         "p.xml", sink);
  ASSERT_TRUE(p);
  EXPECT_EQ(sink.count(Severity::Warning), 4u);
  EXPECT_EQ(sink.diagnostics().front().code, "profile-missing-label");
  EXPECT_EQ(p->field_of("Quelle"), "citation");
  EXPECT_EQ(p->field_of("Citation"), "");
}

TEST(Profile, ASectionLeftOutIsInheritedFromTheDefault) {
  std::string error;
  auto p = parse_profile("<profile name='brackets-only' open='{' close='}'>"
                         "<default id='d' action='supplied'/></profile>", "p.xml", error);
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->field_of("Citation"), "citation");
  EXPECT_EQ(month_number("April", *p), 4);
  EXPECT_EQ(p->language_code("Chinese"), "zh");
  EXPECT_EQ(p->text_language, "");
}

TEST(Profile, OneLabelLengthForHeaderAndOpener) {
  // label-max-length is the longest label of the header and of the opener alike.
  auto with_limit = [](int n) {
    std::string error;
    auto p = parse_profile("<profile name='x'><label-max-length>" + std::to_string(n) +
                               "</label-max-length><default id='d' action='supplied'/></profile>",
                           "p.xml", error);
    EXPECT_TRUE(p) << error;
    return p;
  };
  const std::string doc =
      "April 30, 1962\n\nTitle\n\nOriginal Language:\n\nChinese\n\nContents:\n\nTranslation - English\n\n"
      "Participants Of The Talk: A, B\n\nThe talks were long and nobody said anything of note.\n";
  auto run = [&](int n) {
    ConvertOptions o;
    o.profile = with_limit(n);
    return convert("x", doc, o).xml;
  };
  const std::string wide = run(24), narrow = run(17);
  EXPECT_NE(wide.find("<language ident=\"zh\" n=\"original\">"), std::string::npos);
  EXPECT_NE(wide.find("<seg type=\"participants-of-the-talk\">"), std::string::npos) << wide;
  // 17 bytes: "Original Language" (17) is still a label, the 24-byte opener label is not.
  EXPECT_NE(narrow.find("<language ident=\"zh\" n=\"original\">"), std::string::npos);
  EXPECT_EQ(narrow.find("participants-of-the-talk"), std::string::npos) << narrow;
  const std::string narrower = run(16);
  EXPECT_EQ(narrower.find("n=\"original\""), std::string::npos) << narrower;
}

// The proof that a third language needs no C++: a French profile written from docs/profiles.md.
TEST(Profile, AFrenchProfileFromTheDocsAlone) {
  std::string error;
  auto fr = load_profile_file(teikit::test::source_dir() + "/tests/data/profiles/fr-test.xml", error);
  ASSERT_TRUE(fr) << error;
  const std::string text =
      "29 avril 1962\n\n"
      "Lettre de l'ambassadeur\n\n"
      "Référence:\n\n"
      "\"Lettre de l'ambassadeur\", 29 avril 1962, Archives diplomatiques, AD 12-34, 5. "
      "Traduit par Jean Dupont et Marie Curie.\n\n"
      "Résumé:\n\n"
      "L'ambassadeur rend compte des entretiens.\n\n"
      "Langue originale:\n\n"
      "Russe\n\n"
      "Contenu:\n\n"
      "Traduction - Français\n\n"
      "Paris, le 29 avril 1962\n\n"
      "À: Ministère des Affaires étrangères\n\n"
      "Objet: Entretiens de mai\n\n"
      "Monsieur le Ministre,\n\n"
      "Les entretiens du 1er mai se sont bien passés [deux mots illisibles], et ceux du 3 au 5 "
      "juin aussi.\n\n"
      "Veuillez agréer mes salutations distinguées.\n\n"
      "Jean Dupont\n";
  ConvertOptions o;
  o.profile = fr;
  const ConvertResult r = convert("lettre", text, o);
  EXPECT_EQ(r.diagnostics.count(Severity::Warning), 0u);
  std::string xml_error;
  xml::DocPtr doc = xml::parse_memory(r.xml, "lettre.xml", xml_error);
  ASSERT_TRUE(doc) << xml_error;
  using teikit::test::xpath_count;
  using teikit::test::xpath_string;
  // Header labels.
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:abstract/t:p)"), "L'ambassadeur rend compte des entretiens.");
  EXPECT_EQ(xpath_count(doc.get(), "//t:language[@ident='ru'][@n='original']"), 1);
  EXPECT_EQ(xpath_count(doc.get(), "//t:language[@ident='fr'][@n='text']"), 1);
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:text/@xml:lang)"), "fr");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:respStmt[@xml:id='translator2']/t:name)"), "Marie Curie");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:sourceDesc//t:date/@when)"), "1962-04-29");
  EXPECT_EQ(xpath_count(doc.get(), "//t:notesStmt"), 0);
  // Dates, the salutation, the closer, a measure.
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:creation/t:date/@when)"), "1962-04-29");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:opener/t:dateline/t:date/@when)"), "1962-04-29");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:body//t:p/t:date[1]/@when)"), "1962-05-01");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:body//t:p/t:date[1])"), "1er mai");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:body//t:p/t:date[2]/@from)"), "1962-06-03");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:opener/t:salute)"), "Monsieur le Ministre,");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:correspAction[@type='received']/t:orgName)"),
            "Ministère des Affaires étrangères");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:opener/t:seg[@type='subject'])"), "Objet: Entretiens de mai");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:closer/t:salute)"), "Veuillez agréer mes salutations distinguées.");
  EXPECT_EQ(xpath_string(doc.get(), "string(//t:closer/t:signed)"), "Jean Dupont");
  EXPECT_EQ(xpath_count(doc.get(), "//t:gap[@quantity='2'][@unit='word'][@resp='#translator']"), 1);
}

// ---- teikit profile check / list / show, --profile NAME ---------------------------------------

class ProfileCli : public teikit::test::TempDirTest {};

TEST_F(ProfileCli, CheckAcceptsTheBuiltinProfiles) {
  auto r = teikit::test::teikit_cli({"profile", "check", profile_path("archive-translation.xml"),
                                     profile_path("de-archive.xml"),
                                     teikit::test::source_dir() + "/tests/data/profiles/fr-test.xml"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  r = teikit::test::teikit_cli({"profile", "check", "de-archive", "archive-translation"});
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(ProfileCli, CheckSaysWhatIsWrongAtLineAndColumn) {
  const std::string bad = write("bad.xml",
                                "<profile name=\"bad\">\n"
                                "  <rule id=\"a\" action=\"gap\" pattern=\"(\"/>\n"
                                "  <months></months>\n"
                                "  <default id=\"d\" action=\"supplied\"/>\n"
                                "</profile>\n");
  auto r = teikit::test::teikit_cli({"profile", "check", bad});
  EXPECT_EQ(r.code, 5);
  EXPECT_NE(r.err.find(bad + ":2:29: error: rule 'a': bad pattern"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[profile-bad-pattern]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(bad + ":3:3: error: <months> names no month [profile-empty-list]"),
            std::string::npos) << r.err;
  // The schema sees what the loader lets pass: an empty <months> and an unknown attribute.
  const std::string odd = write("odd.xml",
                                "<profile name=\"odd\">\n"
                                "  <rule id=\"r\" action=\"note\" type=\"received\" dates=\"yes\" pattern=\"x\"/>\n"
                                "  <default id=\"d\" action=\"supplied\"/>\n"
                                "</profile>\n");
  r = teikit::test::teikit_cli({"profile", "check", odd});
  EXPECT_EQ(r.code, 5);
  EXPECT_NE(r.err.find(odd + ":2:3: error: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[profile-schema]"), std::string::npos) << r.err;
  r = teikit::test::teikit_cli({"profile", "check", "--diagnostics=json", bad});
  EXPECT_EQ(r.code, 5);
  EXPECT_NE(r.err.find("\"line\":2,\"column\":29,\"severity\":\"error\",\"code\":\"profile-bad-pattern\""),
            std::string::npos) << r.err;
  const std::string broken = write("broken.xml", "<profile name=\"x\">\n<rule>\n</profile>\n");
  r = teikit::test::teikit_cli({"profile", "check", broken});
  EXPECT_EQ(r.code, 5);
  EXPECT_NE(r.err.find("[profile-not-xml]"), std::string::npos) << r.err;
  r = teikit::test::teikit_cli({"profile", "check", path("missing.xml")});
  EXPECT_EQ(r.code, 4);
  EXPECT_NE(r.err.find("[profile-unreadable]"), std::string::npos) << r.err;
}

TEST_F(ProfileCli, ListAndShow) {
  auto r = teikit::test::teikit_cli({"profile", "list"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("archive-translation\ten\t", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\nde-archive\tde\t"), std::string::npos) << r.out;
  r = teikit::test::teikit_cli({"profile", "show", "de-archive"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, teikit::test::read_file(profile_path("de-archive.xml")));
  r = teikit::test::teikit_cli({"profile", "show", "nope"});
  EXPECT_EQ(r.code, 1);
}

TEST_F(ProfileCli, ConvertTakesABuiltinNameBeforeAFile) {
  const std::string in = write("brief.txt",
                               "30. April 1962\n\nBrief\n\nInhalt:\n\nÜbersetzung - Deutsch\n\n"
                               "Sehr geehrter Herr Minister,\n\n"
                               "am 24. [April] fand das Gespräch statt [zwei Wörter unleserlich].\n\n"
                               "Mit freundlichen Grüßen\n\nHans Schmidt\n");
  auto r = teikit::test::teikit_cli({"convert", "--profile", "de-archive", in, "-o", "-"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("<salute>Sehr geehrter Herr Minister,</salute>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<date when=\"1962-04-24\" evidence=\"internal\">24. <supplied>April</supplied></date>"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("quantity=\"2\" unit=\"word\""), std::string::npos);
  EXPECT_NE(r.out.find("<text xml:lang=\"de\">"), std::string::npos);
  // A profile file still works, and a name that is neither is an unreadable input.
  r = teikit::test::teikit_cli({"convert", "--profile", profile_path("de-archive.xml"), in, "-o", "-"});
  EXPECT_EQ(r.code, 0) << r.err;
  r = teikit::test::teikit_cli({"convert", "--profile", path("no-such-profile"), in, "-o", "-"});
  EXPECT_EQ(r.code, 4);
}

// The German samples, converted as scripts/run-samples.sh converts them: German structure, no
// warnings (test_validate_corpus checks them against the schemas with the other samples).
TEST(Profile, GermanSamplesConvertWithDeArchive) {
  for (const char* name : {"brief-deutsch.txt", "vermerk-deutsch.txt"}) {
    ConvertOptions o;
    o.profile = builtin_profile("de-archive");
    const std::string path = teikit::test::source_dir() + "/samples/" + name;
    const ConvertResult r = convert(path, teikit::test::read_file(path), o);
    EXPECT_EQ(r.diagnostics.count(Severity::Warning), 0u) << name;
    std::string error;
    xml::DocPtr doc = xml::parse_memory(r.xml, name, error);
    ASSERT_TRUE(doc) << error;
    EXPECT_EQ(teikit::test::xpath_string(doc.get(), "string(//t:text/@xml:lang)"), "de") << name;
    EXPECT_GE(teikit::test::xpath_count(doc.get(), "//t:body//t:date[@when or @from]"), 5) << name;
    EXPECT_EQ(teikit::test::xpath_count(doc.get(), "//t:closer/t:signed"), 1) << name;
    EXPECT_EQ(teikit::test::xpath_count(doc.get(), "//t:abstract"), 1) << name;
  }
}

// ENCODING.md §4's rows for the bracket forms of real archives (issue 10): classes of wording,
// in the default profile and its German counterpart.
TEST(Profile, ClassifiesTheNewRowsAsClassesOfWording) {
  auto p = default_profile();
  auto id = [&](const char* content) { return p->classify(content).id; };
  for (const char* omission : {".\xE2\x80\xA6", "\xE2\x80\xA6.", "....", ". . . .", "..", "* * *",
                               "\xE2\x80\xA6\xE2\x80\xA6", ". \xE2\x80\xA6"})
    EXPECT_EQ(id(omission), "omission") << omission;
  EXPECT_EQ(id("."), "supplied");  // a supplied full stop (letters-dev 021, 031)
  EXPECT_EQ(id("*"), "supplied");
  EXPECT_EQ(id("unreadable"), "illegible");
  EXPECT_EQ(id("3 words indecipherable"), "illegible-extent");
  for (const char* s : {"unknown signature", "Unknown signature", "unidentified initials",
                        "signature unclear"})
    EXPECT_EQ(id(s), "unknown-signature") << s;
  for (const char* s : {"signature", "Signature", "signatures", "signed", "initials",
                        "signature of the Ambassador", "signature and stamp", "handwritten signature"})
    EXPECT_EQ(id(s), "signature-note") << s;
  for (const char* s : {"seal", "Seal.", "official seal", "seal of the Ministry", "signature and seal",
                        "L.S.", "l. s."})
    EXPECT_EQ(id(s), "seal") << s;
  for (const char* s : {"stamp", "round stamp", "letterhead", "handwritten", "handwritten note"})
    EXPECT_EQ(id(s), "feature-label") << s;
  for (const char* s : {"emphasis in the original", "underlined in the original",
                        "in English in the original", "as in the original", "Emphasis in original.",
                        "italics in the original", "in the original: geheim", "emphasis added",
                        "underlined", "crossed out", "as in the source"})
    EXPECT_EQ(id(s), "original-remark") << s;
  for (const char* s : {"Translator's note: Mao Zedong", "Translator\xE2\x80\x99s Note: x",
                        "Note: see above", "Editor's comment: x"})
    EXPECT_EQ(id(s), "editor-note") << s;
  for (const char* s : {"In the margin: approved", "Handwritten in the upper corner: Seen",
                        "marginal note: no"})
    EXPECT_EQ(id(s), "editor-note") << s;
  for (const char* s : {"text missing", "page missing", "2 lines missing", "page torn", "missing text"})
    EXPECT_EQ(id(s), "lost") << s;
  for (const char* s : {"Translation from Russian", "End of document", "continued on next page"})
    EXPECT_EQ(id(s), "document-label") << s;
  EXPECT_EQ(id("not translated"), "editorial-omission");
  EXPECT_EQ(id("original in Russian"), "original-remark");
  EXPECT_EQ(id("in the margin"), "original-remark");
  EXPECT_EQ(id("unclear"), "unclear-passage");
  EXPECT_EQ(id("2 words unclear"), "unclear-passage");
  EXPECT_EQ(id("handwritten:"), "hand-shift");
  EXPECT_EQ(id("handwritten: OK"), "handwritten");
  EXPECT_EQ(id("sic."), "sic");
  EXPECT_EQ(id("??"), "unclear");
  for (const char* s : {"1", "12", "123"}) EXPECT_EQ(id(s), "footnote-mark") << s;
  // Still insertions of the translator: words that only look like the classes.
  for (const char* s : {"1962", "the original plan", "the Soviet side", "signatory states",
                        "stamps and coins", "To the", "original", "in English", "the missing documents",
                        "end", "continued", "missing", "lost", "torn", "damaged"})
    EXPECT_EQ(id(s), "supplied") << s;

  auto de = builtin_profile("de-archive");
  auto de_id = [&](const char* content) { return de->classify(content).id; };
  EXPECT_EQ(de_id(".\xE2\x80\xA6"), "omission");
  EXPECT_EQ(de_id("."), "supplied");
  EXPECT_EQ(de_id("unbekannte Unterschrift"), "unknown-signature");
  EXPECT_EQ(de_id("Unterschrift"), "signature-note");
  EXPECT_EQ(de_id("Siegel"), "seal");
  EXPECT_EQ(de_id("Stempel"), "feature-label");
  EXPECT_EQ(de_id("Hervorhebung im Original"), "original-remark");
  EXPECT_EQ(de_id("im Original unterstrichen"), "original-remark");
  EXPECT_EQ(de_id("so im Original"), "original-remark");
  EXPECT_EQ(de_id("handschriftlich:"), "hand-shift");
  EXPECT_EQ(de_id("3"), "footnote-mark");
  EXPECT_EQ(de_id("2 Zeilen fehlen"), "lost");
  EXPECT_EQ(de_id("Am Rand: einverstanden"), "margin-note");
  EXPECT_EQ(de->parenthesised_rules, std::vector<std::string>{"received"});
  EXPECT_EQ(de->footnote_headings.front(), "anmerkungen");
}

// The sections of issue 10 are checked like the others: a parenthesised rule must be a note
// rule of the profile, a rule line's length a number, and nothing unknown inside.
TEST(Profile, ParenthesisedNotesAndFootnotesAreChecked) {
  const auto all = problems(
      "<profile name='x'>\n"
      "  <rule id='a' action='supplied' pattern='a'/>\n"
      "  <default id='d' action='supplied'/>\n"
      "  <parenthesised-notes>a|none</parenthesised-notes>\n"
      "  <footnotes><rule-line min-length='0'>_</rule-line><other/></footnotes>\n"
      "</profile>\n");
  EXPECT_TRUE(has(all, "4:3: error: [profile-bad-value]")) << testing::PrintToString(all);
  EXPECT_TRUE(has(all, "5:25: error: [profile-bad-value]")) << testing::PrintToString(all);
  EXPECT_TRUE(has(all, "5:53: error: [profile-unknown-element]")) << testing::PrintToString(all);
  EXPECT_EQ(all.size(), 4u) << testing::PrintToString(all);
}

// <signature-brackets> names rules of the profile; the built-in profiles name their signature,
// unknown-signature and seal rules.
TEST(Profile, SignatureBracketsNameRulesOfTheProfile) {
  const auto all = problems(
      "<profile name='x'>\n"
      "  <rule id='a' action='supplied' pattern='a'/>\n"
      "  <default id='d' action='supplied'/>\n"
      "  <signature-brackets>a|none</signature-brackets>\n"
      "</profile>\n");
  EXPECT_TRUE(has(all, "4:3: error: [profile-bad-value]")) << testing::PrintToString(all);
  EXPECT_EQ(all.size(), 1u) << testing::PrintToString(all);
  const std::vector<std::string> expected{"signature-note", "unknown-signature", "seal"};
  for (const auto& name : builtin_profile_names())
    EXPECT_EQ(builtin_profile(name)->signature_bracket_rules, expected) << name;
}

TEST(Profile, MatchBracketIsClassifyWithTheGroupsAndRemembersPerProfile) {
  auto p = default_profile();
  for (const char* content : {"handwritten: OK", "Page 12", "sic", "Urumqi", "stamp: SECRET"}) {
    for (int twice = 0; twice < 2; ++twice) {  // computed, then remembered
      const BracketMatch m = p->match_bracket(content);
      EXPECT_EQ(m.rule, &p->classify(content)) << content;
    }
  }
  const BracketMatch hw = p->match_bracket("handwritten: OK");
  ASSERT_GE(hw.groups.size(), 2u);
  EXPECT_EQ(hw.group("handwritten: OK", 0), "handwritten: OK");
  EXPECT_EQ(hw.group("handwritten: OK", 1), "OK");
  EXPECT_TRUE(p->match_bracket("Urumqi").groups.empty());  // the fallback: no groups

  // A copy of a profile given other rules does not answer from the original's memory.
  Profile copy = *p;
  copy.rules.clear();
  EXPECT_EQ(copy.match_bracket("handwritten: OK").rule, &copy.fallback);
  EXPECT_EQ(p->match_bracket("handwritten: OK").rule->id, "handwritten");
}

// ProfileRegexTraits only looks the locale's facets up once: every pattern of the built-in
// profiles must match exactly what std::regex matches, with the same groups, on the bracket
// contents of the samples (as written and upper-cased) and on a few forms that exercise
// case-insensitive ranges, classes and equivalence classes.
TEST(Profile, PatternsMatchAsStdRegexDoes) {
  std::vector<std::string> probes = {"", "x", "A", "Z", "_", "\xC3\xA9", "\xC3\x89", "3 WORDS",
                                     "Page 12", "ILLEGIBLE", "...", "\xE2\x80\xA6", "sic?"};
  for (const std::string& file : test::files(test::source_dir() + "/samples", ".txt")) {
    const std::string text = test::read_file(file);
    for (std::size_t open = text.find('['); open != std::string::npos;
         open = text.find('[', open + 1)) {
      const std::size_t close = text.find_first_of("[]\n", open + 1);
      if (close == std::string::npos || text[close] != ']') continue;
      std::string content = text.substr(open + 1, close - open - 1);
      probes.push_back(content);
      for (char& c : content) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      probes.push_back(content);
    }
  }
  ASSERT_GT(probes.size(), 100u);
  std::vector<std::string> patterns = {"[a-c]x", "[[:upper:]]+", "\\w+\\s*\\d*", "[[=a=]]b",
                                       "[^x-z]+", ".*\\bWORD\\b.*", "[\\W_]+"};
  std::string error;
  for (const char* name : {"archive-translation.xml", "de-archive.xml"}) {
    auto p = load_profile_file(test::source_dir() + "/converter/profiles/" + name, error);
    ASSERT_TRUE(p) << error;
    for (const auto& rule : p->rules) patterns.push_back(rule.pattern_source);
  }
  std::size_t matched = 0;
  for (const std::string& source : patterns) {
    const std::string anchored = "^(?:" + source + ")$";
    const auto flags = std::regex::ECMAScript | std::regex::icase;
    const std::regex standard(anchored, flags);
    const ProfileRegex ours(anchored, flags);
    for (const std::string& probe : probes) {
      std::smatch a, b;
      const bool sa = std::regex_match(probe, a, standard), sb = std::regex_match(probe, b, ours);
      ASSERT_EQ(sa, sb) << source << " on '" << probe << "'";
      if (!sa) continue;
      ++matched;
      ASSERT_EQ(a.size(), b.size());
      for (std::size_t g = 0; g < a.size(); ++g) {
        EXPECT_EQ(a[g].matched, b[g].matched) << source << " on '" << probe << "' group " << g;
        EXPECT_EQ(a.position(g), b.position(g)) << source << " on '" << probe << "' group " << g;
        EXPECT_EQ(a.length(g), b.length(g)) << source << " on '" << probe << "' group " << g;
      }
    }
  }
  EXPECT_GT(matched, 50u);
  // Case-insensitive: ranges and literals meet either case (the facet really is used).
  EXPECT_TRUE(std::regex_match("BX", ProfileRegex("[a-c]x", std::regex::icase)));
  EXPECT_FALSE(std::regex_match("BX", ProfileRegex("[a-c]x")));
}
