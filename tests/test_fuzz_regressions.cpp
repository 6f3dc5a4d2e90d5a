// Replays every input the fuzzer ever found (tests/fuzz/regressions/) and a set of hostile inputs
// written by hand, checking the invariant of issue 5 on each.
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>

#include "fuzz/invariant.hpp"
#include "fuzz/validate_invariant.hpp"
#include "supervised_validation.hpp"
#include "test_support.hpp"

namespace fs = boost::filesystem;
using namespace teikit;

namespace {

// A job as `teikit validate` runs it: in a child process, with generous time limits.
ValidationReport supervised(const std::vector<ValidationInput>& inputs,
                            const ValidationOptions& options) {
  return validate_supervised(inputs, options, ValidationLimits{20, 20});
}
const RelaxNgSchema& schema() {
  static const RelaxNgSchema s(project_schema_path());
  return s;
}
const std::string kHeader = "April 30, 1962\n\nT\n\nContents:\n\nTranslation - English\n\n";
}  // namespace

TEST(FuzzRegressions, EveryCheckedInFindingHolds) {
  ASSERT_TRUE(schema().valid()) << schema().error();
  const fs::path dir = fs::path(teikit::test::source_dir()) / "tests/fuzz/regressions";
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!fs::is_regular_file(e.path()) || e.path().filename() == "README.md") continue;
    ++n;
    EXPECT_EQ(fuzz::check_invariant(teikit::test::read_file(e.path().string()), schema()), "")
        << e.path();
  }
  std::printf("  replayed %d fuzzer findings\n", n);
}

TEST(FuzzRegressions, HostileTextHolds) {
  ASSERT_TRUE(schema().valid()) << schema().error();
  const std::vector<std::string> inputs = {
      "",
      std::string(1, '\0'),
      std::string("\0\0\0[\0]", 6),
      "\xEF\xBB\xBF",
      "\xFF\xFE\xFD",
      "\xED\xA0\x80 lone surrogate [x]",
      "\xEF\xBF\xBE\xEF\xBF\xBF [\xEF\xBF\xBE]",
      "\x01\x02\x03\x1B[31m",
      kHeader + "\r\n\r\nmixed\rline\nends [a\r\nb]\n",
      kHeader + "[\xC2\xA0illegible\xC2\xA0] [\xE2\x80\x8B...\xE2\x80\x8B] [sic\xE2\x80\x8B]\n",
      kHeader + "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D [\xD7\xA2\xD7\x95\xD7\x9C\xD7\x9D] \xE2\x80\x8F\n",
      kHeader + "Cafe\xCC\x81 [a\xCC\x8A] [Page \xE2\x85\xA0]\n",
      kHeader + "[Page ]] [p. x] [stamp: ] [handwritten: ] [Received] [Source:]\n",
      kHeader + "[1e400 words illegible] [99999999999999999999 lines illegible]\n",
      "April 31, 1962\n\nFebruary 29, 1900\n\n1962-13-45\n\non the 31st of [February]\n",
      "Citation:\n\n\"\", , , . Translated by . http://\n",
      "Citation:\n\n\"T\", April 30, 1962, A, ZZ 1, 2. Translated by <&>\"'. https://x/<>\"{}\n",
      kHeader + "To: [\n\nLevel: ]\n\nSincerely yours,\n\n[name not declassified]\n",
      kHeader + "Foo Bar:\n\nDear:\n\n:\n\n[:]\n",
      std::string(5000, '\n') + std::string(3000, ' ') + "[",
  };
  for (const auto& in : inputs)
    EXPECT_EQ(fuzz::check_invariant(in, schema()), "") << "input: " << in.substr(0, 80);
}

// Inputs found by tests/fuzz/fuzz_validate.cpp (regressions/validate/), replayed both ways: in
// this process, as the fuzzer ran them, and in the forked child `teikit validate` uses.
TEST(FuzzRegressions, EveryCheckedInValidateFindingHolds) {
  const fs::path dir = fs::path(teikit::test::source_dir()) / "tests/fuzz/regressions/validate";
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!fs::is_regular_file(e.path()) || e.path().filename() == "README.md") continue;
    ++n;
    const std::string input = teikit::test::read_file(e.path().string());
    EXPECT_EQ(fuzz::check_validate_invariant(input, validate_documents, false), "") << e.path();
    EXPECT_EQ(fuzz::check_validate_invariant(input, supervised, true), "") << e.path();
  }
  std::printf("  replayed %d validate fuzzer findings\n", n);
}

TEST(FuzzRegressions, HostileSchemasAndDocumentsHold) {
  const std::string rng = "<element name='a' xmlns='http://relaxng.org/ns/structure/1.0'>"
                          "<zeroOrMore><attribute><anyName/></attribute></zeroOrMore><text/>"
                          "</element>";
  const std::string nul(1, '\0');
  const std::vector<std::string> inputs = {
      "",
      "<",
      "<TEI xmlns='http://www.tei-c.org/ns/1.0'/>",
      "<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader xml:id='a'/><text xml:id='a'/></TEI>",
      "<TEI xmlns='http://www.tei-c.org/ns/1.0'><p xml:id='" + std::string(200, 'x') +
          "\xC3\xA9\xC3\xA9'/><p xml:id='" + std::string(200, 'x') + "\xC3\xA9\xC3\xA9'/></TEI>",
      // A quoted value once cut inside a character: the message was not UTF-8.
      "<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader><fileDesc><titleStmt><title>t</title>"
      "</titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>"
      "</fileDesc></teiHeader><text><body><div type='a'><p><gap reason='" +
          std::string(76, 'v') + "\xE2\x82\xAC\xE2\x82\xAC'/></p></div></body></text></TEI>",
      nul,
      rng + nul,
      rng + nul + "<a x='1'>t</a>",
      "<grammar/>" + nul + "<a/>",
      "<element xmlns='http://relaxng.org/ns/structure/1.0'/>" + nul + "<a/>",
      rng + nul + "<b/>",
  };
  for (const auto& in : inputs) {
    EXPECT_EQ(fuzz::check_validate_invariant(in, validate_documents, false), "") << "input: " << in.substr(0, 80);
    EXPECT_EQ(fuzz::check_validate_invariant(in, supervised, true), "") << "input: " << in.substr(0, 80);
  }
}
