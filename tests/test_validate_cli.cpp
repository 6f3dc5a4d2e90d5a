// `teikit validate` and `teikit convert --validate` run in-process through teikit::run: exit
// codes, the text, JSON and JUnit forms, the golden diagnostics of tests/validate/, and
// validation errors mapped back to the transcription.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "teikit/validate/validate.hpp"
#include "test_support.hpp"

namespace fs = boost::filesystem;
using namespace teikit;
using teikit::test::source_dir;

using teikit::test::CliRun;
using teikit::test::teikit_cli;

namespace {


class ValidateCli : public teikit::test::TempDirTest {
 protected:
  // A converted sample, valid against the project schema and rules.
  std::string converted(const std::string& sample = "cable-plain") {
    const std::string out = path(sample + ".xml");
    EXPECT_EQ(teikit_cli({"convert", source_dir() + "/samples/" + sample + ".txt", "-o", out}).code,
              kExitOk);
    return out;
  }
};

std::string golden(const std::string& name) { return source_dir() + "/tests/validate/" + name; }

std::vector<std::string> golden_cases() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(source_dir() + "/tests/validate"))
    if (e.path().extension() == ".xml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

// The header of the transcription used for convert --validate.
const char* const kDoc =
    "April 30, 1962\n\nA cable\n\nCitation:\n\n\"A cable\", April 30, 1962, Test Archive, ABC 1-2, "
    "3. Translated by Jane Roe. https://example.org/1\n\nContents:\n\nTranslation - English\n\n"
    "Zhang came [illegible] today.\nAnd [...] then.\n";

}  // namespace

TEST_F(ValidateCli, ConverterOutputIsValidAndNothingIsPrinted) {
  CliRun r = teikit_cli({"validate", converted("cable-plain"), converted("letter-markdown")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "");
}

TEST_F(ValidateCli, VerboseSaysWhatWasCompiledAndEachVerdict) {
  CliRun r = teikit_cli({"validate", "-v", converted()});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("cable-plain.xml: valid ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("teikit.rng: compiled in "), std::string::npos) << r.out;
}

TEST_F(ValidateCli, GoldenDiagnostics) {
  const bool update = std::getenv("TEIKIT_UPDATE_GOLDEN") != nullptr;
  const auto cases = golden_cases();
  ASSERT_GE(cases.size(), 8u);
  for (const auto& name : cases) {
    const std::string xml = golden(name + ".xml");
    CliRun r = teikit_cli({"validate", xml});
    EXPECT_EQ(r.code, name == "not-well-formed" ? kExitUnreadable : kExitInvalid) << name;
    // Without the file name, so that the golden files do not depend on where the tree is.
    std::string got;
    std::istringstream lines(r.err);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(xml + ":", 0) == 0) line = line.substr(xml.size() + 1);
      got += line + "\n";
    }
    if (update) {
      std::ofstream(golden(name + ".expected"), std::ios::binary) << got;
      continue;
    }
    EXPECT_EQ(got, teikit::test::read_file(golden(name + ".expected"))) << name;
  }
}

TEST_F(ValidateCli, StandardInput) {
  CliRun r = teikit_cli({"validate", "-"}, teikit::test::read_file(golden("sic-empty.xml")));
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_EQ(r.err.rfind("<stdin>:73:34: error: sic is empty", 0), 0u) << r.err;
}

TEST_F(ValidateCli, JsonDiagnosticsCarryTheNodePath) {
  CliRun r = teikit_cli({"validate", "--diagnostics=json", golden("gap-reason-unknown.xml")});
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_EQ(r.err.front(), '[');
  EXPECT_NE(r.err.find("\"line\":67,\"column\":150,\"severity\":\"error\","
                       "\"code\":\"invalid-attribute-value\""),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("\"path\":\"/TEI/text/body/div/opener/seg[1]/gap[2]\""), std::string::npos)
      << r.err;
  CliRun ok = teikit_cli({"validate", "--diagnostics=json", converted()});
  EXPECT_EQ(ok.code, kExitOk);
  EXPECT_EQ(ok.err, "[]\n");
}

TEST_F(ValidateCli, JUnitReport) {
  const std::string report = path("report.xml");
  CliRun r = teikit_cli({"validate", "--report=junit", report, converted(), golden("sic-empty.xml"),
                         path("missing.xml")});
  EXPECT_EQ(r.code, kExitUnreadable);
  std::string error;
  xml::DocPtr doc = xml::parse_file(report, error);
  ASSERT_TRUE(doc) << error;
  using teikit::test::xpath_count;
  using teikit::test::xpath_string;
  EXPECT_EQ(xpath_count(doc.get(), "/testsuites/testsuite[@tests='3'][@failures='1'][@errors='1']"),
            1);
  EXPECT_EQ(xpath_count(doc.get(), "//testcase"), 3);
  EXPECT_EQ(xpath_count(doc.get(), "//testcase[contains(@name, 'cable-plain.xml')][not(*)]"), 1);
  EXPECT_EQ(xpath_string(doc.get(), "//testcase[contains(@name, 'sic-empty')]/failure/@message"),
            "1 error");
  EXPECT_NE(xpath_string(doc.get(), "//testcase[contains(@name, 'sic-empty')]/failure")
                .find(":73:34: error: sic is empty"),
            std::string::npos);
  EXPECT_EQ(xpath_count(doc.get(),
                        "//testcase[contains(@name, 'missing.xml')]/error[@type='unreadable']"),
            1);
  // The space form works too, and a wrong format is a usage error.
  EXPECT_EQ(teikit_cli({"validate", "--report", "junit", report, converted()}).code, kExitOk);
  EXPECT_EQ(teikit_cli({"validate", "--report=tap", report, converted()}).code, kExitUsage);
}

TEST_F(ValidateCli, ExitCodes) {
  EXPECT_EQ(teikit_cli({"validate", converted()}).code, kExitOk);
  EXPECT_EQ(teikit_cli({"validate", golden("unknown-element.xml")}).code, kExitInvalid);
  EXPECT_EQ(teikit_cli({"validate", write("a.xml", "<TEI>")}).code, kExitUnreadable);
  CliRun missing_schema = teikit_cli({"validate", "--schema", path("none.rng"), converted()});
  EXPECT_EQ(missing_schema.code, kExitSchema);
  EXPECT_NE(missing_schema.err.find("[schema-did-not-compile]"), std::string::npos)
      << missing_schema.err;
  const std::string bad_rules = write("r.sch",
                                      "<schema xmlns='http://purl.oclc.org/dsdl/schematron'>"
                                      "<pattern><rule context='a'><assert test='(('/>"
                                      "</rule></pattern></schema>");
  EXPECT_EQ(teikit_cli({"validate", "--rules", bad_rules, converted()}).code, kExitSchema);
  EXPECT_EQ(teikit_cli({"validate"}).code, kExitUsage);
}

// validate -j N: the same output, in the same order, and the same exit code as -j 1, for a mix
// of valid, invalid, unreadable and missing documents, in text and JSON.
TEST_F(ValidateCli, ParallelValidationSaysWhatSequentialSays) {
  std::vector<std::string> inputs = {converted("cable-plain"), write("broken.xml", "<TEI>"),
                                     path("missing.xml"), converted("letter-markdown")};
  for (const auto& name : golden_cases()) inputs.push_back(golden(name + ".xml"));
  inputs.push_back(converted("cable-plain"));
  for (const std::string format : {"text", "json"}) {
    auto run = [&](const std::string& jobs) {
      std::vector<std::string> args = {"validate", "-j", jobs, "--diagnostics", format};
      args.insert(args.end(), inputs.begin(), inputs.end());
      return teikit_cli(args);
    };
    const CliRun one = run("1");
    EXPECT_EQ(one.code, kExitUnreadable) << one.err;
    EXPECT_NE(one.err.find("broken.xml"), std::string::npos) << one.err;
    for (const std::string jobs : {"2", "4", "0"}) {
      const CliRun many = run(jobs);
      EXPECT_EQ(many.code, one.code) << format << " -j" << jobs;
      EXPECT_EQ(many.err, one.err) << format << " -j" << jobs;
      EXPECT_EQ(many.out, one.out) << format << " -j" << jobs;
    }
  }
  // Only invalid documents: exit 3 either way.
  std::vector<std::string> args = {"validate", "-j", "3"};
  for (const auto& name : golden_cases()) args.push_back(golden(name + ".xml"));
  const CliRun invalid = teikit_cli(args);
  args[2] = "1";
  EXPECT_EQ(invalid.code, teikit_cli(args).code);
}

TEST_F(ValidateCli, RulesAreTheProjectsByDefaultAndOptional) {
  // sic-empty.xml breaks only a rule: invalid with the project schema and rules, valid with
  // --no-rules, and valid against the schema alone when the schema is named.
  EXPECT_EQ(teikit_cli({"validate", golden("sic-empty.xml")}).code, kExitInvalid);
  EXPECT_EQ(teikit_cli({"validate", "--no-rules", golden("sic-empty.xml")}).code, kExitOk);
  EXPECT_EQ(
      teikit_cli({"validate", "--schema", project_schema_path(), golden("sic-empty.xml")}).code,
      kExitOk);
  EXPECT_EQ(teikit_cli({"validate", "--schema", project_schema_path(), "--rules",
                        project_rules_path(), golden("sic-empty.xml")})
                .code,
            kExitInvalid);
  // A rule with role="warning" reports without failing.
  const std::string warn =
      write("w.sch",
            "<schema xmlns='http://purl.oclc.org/dsdl/schematron'><ns prefix='t' "
            "uri='http://www.tei-c.org/ns/1.0'/><pattern><rule context='t:TEI'><report id='hello' "
            "role='warning' test='true()'>a TEI document</report></rule></pattern></schema>");
  CliRun r = teikit_cli({"validate", "--rules", warn, converted()});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.err.find(": warning: a TEI document [hello]"), std::string::npos) << r.err;
}

// A link a page must not hold (javascript:, data:) is reported by the project rules, which
// `teikit validate` applies by default; the converter refuses such a --licence-url outright.
TEST_F(ValidateCli, ScriptUrlsAreReported) {
  const std::string tei = path("licence.xml");
  for (const char* url : {"javascript:alert(document.domain)", " JavaScript:x", "data:,x",
                          "creativecommons.org/licenses/by/4.0/"}) {
    const CliRun refused = teikit_cli({"convert", source_dir() + "/samples/cable-plain.txt",
                                       "--licence", "CC", "--licence-url", url, "-o", tei});
    EXPECT_EQ(refused.code, kExitUsage) << url;
    EXPECT_NE(refused.err.find("must be an absolute http: or https: URL"), std::string::npos)
        << refused.err;
    EXPECT_FALSE(boost::filesystem::exists(tei)) << url;
  }
  const std::string allowed = "https://creativecommons.org/licenses/by/4.0/";
  ASSERT_EQ(teikit_cli({"convert", source_dir() + "/samples/cable-plain.txt", "--licence", "CC",
                        "--licence-url", allowed, "-o", tei})
                .code,
            kExitOk);
  std::string licensed = teikit::test::read_file(tei);
  ASSERT_NE(licensed.find(allowed), std::string::npos);
  licensed.replace(licensed.find(allowed), allowed.size(), "javascript:alert(document.domain)");
  CliRun r = teikit_cli({"validate", write("licence-js.xml", licensed)});
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_NE(r.err.find("@target=\"javascript:alert(document.domain)\" is not a link a page may hold"),
            std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[url-scheme-not-allowed]"), std::string::npos) << r.err;
  // A data: URL in the text, written as a browser would still read it.
  std::string doc = teikit::test::read_file(converted());
  const std::string at = "</p>";
  doc.insert(doc.find(at), "<ref target=\" DaTa&#9;:text/html,x\">x</ref>");
  r = teikit_cli({"validate", write("data.xml", doc)});
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_NE(r.err.find("[url-scheme-not-allowed]"), std::string::npos) << r.err;
}

TEST_F(ValidateCli, PruningDoesNotChangeWhatIsSaid) {
  for (const auto& name : golden_cases()) {
    CliRun pruned = teikit_cli({"validate", golden(name + ".xml")});
    CliRun whole = teikit_cli({"validate", "--no-prune", golden(name + ".xml")});
    EXPECT_EQ(pruned.code, whole.code) << name;
  }
}

// Documents that use almost none of the project schema's names: the grammar pruned to them
// (a div with @type and little else) was one libxml2 refuses ("Element or text conflicts in
// interleave"), so a document was told "schema did not compile" (exit 5) where the whole
// grammar says invalid (exit 3). The verdict must be the whole grammar's.
TEST_F(ValidateCli, AGrammarPrunedIntoOneLibxml2RefusesIsNotTheVerdict) {
  for (const std::string& xml :
       {std::string("<x type=\"a\"/>\n"),
        std::string("<TEI><text><body><div type=\"letter\"/></body></text></TEI>\n"),
        std::string("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><div "
                    "type=\"letter\"/></body></text></TEI>\n")}) {
    const std::string file = write("few-names.xml", xml);
    CliRun pruned = teikit_cli({"validate", file});
    CliRun whole = teikit_cli({"validate", "--no-prune", file});
    EXPECT_EQ(whole.code, kExitInvalid) << xml << whole.err;
    EXPECT_EQ(pruned.code, whole.code) << xml << pruned.err;
    EXPECT_EQ(pruned.err.find("schema-did-not-compile"), std::string::npos) << pruned.err;
  }
}

// A gap without @reason when no element of the document has a @reason: the pruned grammar keeps
// no pattern for gap at all (it requires the attribute), so libxml2 only says the gap is out of
// place; the message names the missing attribute, as the whole grammar's does.
TEST_F(ValidateCli, MissingRequiredAttributeIsNamedPrunedOrNot) {
  std::string xml = teikit::test::read_file(converted());
  const std::size_t p = xml.find("<p>");
  ASSERT_NE(p, std::string::npos);
  xml.insert(p + 3, "<gap/>");
  std::size_t at = 0;  // drop every other @reason, so that no document uses it
  while ((at = xml.find(" reason=\"", at)) != std::string::npos)
    xml.erase(at, xml.find('"', at + 9) + 1 - at);
  const std::string file = write("no-reason.xml", xml);
  CliRun pruned = teikit_cli({"validate", "--no-rules", file});
  CliRun whole = teikit_cli({"validate", "--no-rules", "--no-prune", file});
  EXPECT_EQ(pruned.code, kExitInvalid);
  EXPECT_NE(pruned.err.find("element gap lacks the required attribute reason [missing-attribute]"),
            std::string::npos)
      << pruned.err;
  EXPECT_EQ(pruned.err.substr(0, pruned.err.find('\n')), whole.err.substr(0, whole.err.find('\n')));
}

TEST_F(ValidateCli, ConvertValidatePointsAtTheTranscription) {
  // A profile whose [illegible] writes a gap reason the project schema does not know.
  std::string profile =
      teikit::test::read_file(source_dir() + "/converter/profiles/archive-translation.xml");
  const std::string from = "reason=\"illegible\" resp=\"reading\" canonical=\"[illegible]\"";
  ASSERT_NE(profile.find(from), std::string::npos);
  profile.replace(profile.find(from), from.size(),
                  "reason=\"faded\" resp=\"reading\" canonical=\"[illegible]\"");
  const std::string faded = write("faded.xml", profile);
  const std::string in = write("t.txt", kDoc);
  CliRun r = teikit_cli({"convert", "--validate", "--profile", faded, in, "-o", path("t.xml")});
  EXPECT_EQ(r.code, kExitInvalid);
  // Line 13, column 12: the "[illegible]" of "Zhang came [illegible] today."
  EXPECT_EQ(r.err, in + ":13:12: error: invalid value for attribute reason of element gap: "
                        "\"faded\" (in the TEI at /TEI/text/body/div/p/gap[1]) "
                        "[invalid-attribute-value]\n");
  EXPECT_TRUE(fs::exists(path("t.xml")));  // written all the same, like --fail-on-warnings
  CliRun json = teikit_cli(
      {"convert", "--validate", "--diagnostics=json", "--profile", faded, in, "-o", path("t.xml")});
  EXPECT_NE(json.err.find("\"line\":13,\"column\":12"), std::string::npos) << json.err;
  CliRun ok = teikit_cli({"convert", "--validate", in, "-o", path("t.xml")});
  EXPECT_EQ(ok.code, kExitOk) << ok.err;
  EXPECT_EQ(ok.err, "");
}
