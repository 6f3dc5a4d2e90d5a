// The real command line, run in-process through teikit::run (the xmllint model): exit codes,
// stdout and stderr.
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "teikit/base/source_text.hpp"
#include "test_support.hpp"

namespace fs = boost::filesystem;
using namespace teikit;

using teikit::test::CliRun;
using teikit::test::teikit_cli;

namespace {


class Cli : public teikit::test::TempDirTest {
 protected:
};

const char* const kDoc =
    "April 30, 1962\n\nA cable\n\nCitation:\n\n\"A cable\", April 30, 1962, Test Archive, ABC 1-2, "
    "3. Translated by Jane Roe. https://example.org/1\n\nContents:\n\nTranslation - English\n\n"
    "Zhang [Hanfu] came [...].\n";

std::string sample(const char* name) { return teikit::test::source_dir() + "/samples/" + name; }

}  // namespace

TEST_F(Cli, HelpListsCommandsAndExitCodes) {
  CliRun r = teikit_cli({"--help"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("convert"), std::string::npos);
  EXPECT_NE(r.out.find("Exit codes"), std::string::npos);
}

TEST_F(Cli, NoCommandIsAUsageError) {
  CliRun r = teikit_cli({});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_FALSE(r.err.empty());
}

TEST_F(Cli, UnknownFlavourIsAUsageError) {
  EXPECT_EQ(teikit_cli({"convert", "--from", "docx", write("a.txt", kDoc)}).code, kExitUsage);
}

TEST_F(Cli, MissingInputExitsFourAndNamesTheFile) {
  CliRun r = teikit_cli({"convert", path("nope.txt")});
  EXPECT_EQ(r.code, kExitUnreadable);
  EXPECT_NE(r.err.find("nope.txt"), std::string::npos);
}

TEST_F(Cli, ConvertsOneFileToAnOutputFile) {
  CliRun r = teikit_cli({"convert", write("a.txt", kDoc), "-o", path("a.xml")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");  // nothing to warn about
  std::string error;
  auto doc = xml::parse_file(path("a.xml"), error);
  ASSERT_TRUE(doc) << error;
  EXPECT_EQ(teikit::test::xpath_count(doc.get(), "//t:supplied[@resp='#translator']"), 1);
  // No temporary is left beside the output.
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir_)) files += fs::is_regular_file(e.path());
  EXPECT_EQ(files, 2);
}

TEST_F(Cli, StandardInputToStandardOutput) {
  CliRun r = teikit_cli({"convert", "-"}, kDoc);
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out.rfind("<?xml", 0), 0u);
  EXPECT_NE(r.out.find("<idno type=\"edition\">stdin</idno>"), std::string::npos);
}

TEST_F(Cli, ManyFilesIntoADirectory) {
  CliRun r = teikit_cli({"convert", sample("cable-plain.txt"), sample("letter-markdown.txt"), "-o",
                      path("out") + "/"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_TRUE(fs::exists(path("out/cable-plain.xml")));
  EXPECT_TRUE(fs::exists(path("out/letter-markdown.xml")));
}

TEST_F(Cli, ManyFilesNeedAnOutputDirectory) {
  EXPECT_EQ(teikit_cli({"convert", sample("cable-plain.txt"), sample("letter-plain.txt")}).code,
            kExitUsage);
}

TEST_F(Cli, WarningsArePrintedWithLineAndColumn) {
  const std::string in = write("w.txt", std::string(kDoc) + "\nAn [open bracket.\n");
  CliRun r = teikit_cli({"convert", in, "-o", path("w.xml")});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_EQ(r.err, in + ":15:4: warning: '[' without a matching ']'; kept as text "
                        "[unmatched-open-bracket]\n");
}

TEST_F(Cli, FailOnWarningsExitsTwoButStillWrites) {
  const std::string in = write("w.txt", std::string(kDoc) + "\nA stray ] here.\n");
  CliRun r = teikit_cli({"convert", "--fail-on-warnings", in, "-o", path("w.xml")});
  EXPECT_EQ(r.code, kExitWarnings);
  EXPECT_TRUE(fs::exists(path("w.xml")));
}

TEST_F(Cli, DiagnosticsAsJson) {
  const std::string in = write("w.txt", std::string(kDoc) + "\nEmpty [] here.\n");
  CliRun r = teikit_cli({"convert", "--diagnostics=json", in, "-o", path("w.xml")});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.err.find("\"code\":\"empty-brackets\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\"line\":15,\"column\":7"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.front(), '[');
}

TEST_F(Cli, UnwritableOutputExitsFourAndLeavesNothing) {
  write("file", "x");
  CliRun r = teikit_cli({"convert", write("a.txt", kDoc), "-o", path("file") + "/sub/a.xml"});
  EXPECT_EQ(r.code, kExitUnreadable);
  EXPECT_NE(r.err.find("a.xml"), std::string::npos);
}

TEST_F(Cli, PublicationOptionsReachTheHeader) {
  CliRun r = teikit_cli({"convert", "-", "--publisher", "Example Press", "--licence", "CC BY 4.0",
                      "--licence-url", "https://creativecommons.org/licenses/by/4.0/",
                      "--edition-id", "ed-1"}, kDoc);
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("<publisher>Example Press</publisher>"), std::string::npos);
  EXPECT_NE(r.out.find("<licence target=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</licence>"),
            std::string::npos);
  EXPECT_NE(r.out.find("<idno type=\"edition\">ed-1</idno>"), std::string::npos);
}

TEST_F(Cli, ConfigFileSetsThePublisher) {
  const std::string cfg = write("teikit.conf", "# edition\npublisher = Config Press\npub-place = Bern\n");
  CliRun r = teikit_cli({"convert", "-", "--config", cfg}, kDoc);
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("<publisher>Config Press</publisher>"), std::string::npos);
  EXPECT_NE(r.out.find("<pubPlace>Bern</pubPlace>"), std::string::npos);
  const std::string bad = write("bad.conf", "colour = blue\n");
  EXPECT_EQ(teikit_cli({"convert", "-", "--config", bad}, kDoc).code, kExitUsage);
}

TEST_F(Cli, BrokenProfileExitsFive) {
  const std::string p = write("p.xml", "<profile name='x'><rule id='a' action='explode' pattern='x'/></profile>");
  CliRun r = teikit_cli({"convert", "-", "--profile", p}, kDoc);
  EXPECT_EQ(r.code, kExitSchema);
  EXPECT_NE(r.err.find("unknown action"), std::string::npos);
}

TEST_F(Cli, RenderTextRoundTrip) {
  ASSERT_EQ(teikit_cli({"convert", write("a.txt", kDoc), "-o", path("a.xml")}).code, kExitOk);
  CliRun r = teikit_cli({"render", "--to", "text", path("a.xml")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("Zhang [Hanfu] came [...]."), std::string::npos) << r.out;
}

TEST_F(Cli, RenderRefusesNonXml) {
  CliRun r = teikit_cli({"render", "--to", "text", write("a.txt", kDoc)});
  EXPECT_EQ(r.code, kExitUnreadable);
}

TEST_F(Cli, RenderWithAMissingStylesheetExitsFive) {
  ASSERT_EQ(teikit_cli({"convert", write("a.txt", kDoc), "-o", path("a.xml")}).code, kExitOk);
  EXPECT_EQ(teikit_cli({"render", "--xslt", path("none.xsl"), path("a.xml")}).code, kExitSchema);
}

TEST_F(Cli, ReadsWindows1252WhenTold) {
  std::string doc = kDoc;
  doc += "\n\x93Quoted\x94 in the old encoding, and long enough to be a paragraph of text.\n";
  CliRun r = teikit_cli({"convert", "--encoding", "windows-1252", write("w.txt", doc)});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("\xE2\x80\x9CQuoted\xE2\x80\x9D"), std::string::npos);
  CliRun plain = teikit_cli({"convert", write("w2.txt", doc)});
  EXPECT_NE(plain.err.find("[invalid-utf8]"), std::string::npos);  // default: replace and warn
}

TEST_F(Cli, RefusesInputsOverTheSizeLimit) {
  CliRun r = teikit_cli({"convert", "--max-input-size", "100", write("a.txt", kDoc), "-o",
                         path("a.xml")});
  EXPECT_EQ(r.code, kExitUnreadable);
  EXPECT_NE(r.err.find("--max-input-size"), std::string::npos);
  EXPECT_FALSE(fs::exists(path("a.xml")));
  CliRun in = teikit_cli({"convert", "--max-input-size", "100", "-"}, kDoc);
  EXPECT_EQ(in.code, kExitUnreadable);
}

TEST_F(Cli, Utf16AndUtf32InputGiveTheSameTeiAsUtf8) {
  // A sample with non-ASCII characters, re-encoded with a byte order mark; same base name, so
  // the edition id (and with it the whole TEI) must be byte for byte the same.
  const std::string utf8 = teikit::test::read_file(sample("cable-plain.txt"));
  ASSERT_FALSE(utf8.empty());
  std::u32string chars;
  for (std::size_t i = 0, n = 0; i < utf8.size(); i += n) {
    bool valid = true;
    chars += decode_utf8(utf8, i, n, valid);
    ASSERT_TRUE(valid);
  }
  const CliRun want = teikit_cli({"convert", write("u8/cable.txt", utf8)});
  ASSERT_EQ(want.code, kExitOk) << want.err;
  int k = 0;
  for (int unit : {2, 4})
    for (bool little : {true, false}) {
      const std::string dir = "u" + std::to_string(k++) + "/cable.txt";
      const CliRun got = teikit_cli({"convert", write(dir, teikit::test::encode_with_bom(chars, unit, little))});
      EXPECT_EQ(got.code, kExitOk) << got.err;
      EXPECT_EQ(got.err.find("invalid"), std::string::npos) << got.err;
      EXPECT_EQ(got.out, want.out) << unit << (little ? " LE" : " BE");
    }
  // --encoding does not override the mark; it is named in a warning.
  const CliRun told = teikit_cli({"convert", "--encoding", "latin-1", path("u0/cable.txt")});
  EXPECT_EQ(told.out, want.out);
  EXPECT_NE(told.err.find("[bom-overrides-encoding]"), std::string::npos) << told.err;
}
