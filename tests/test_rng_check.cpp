// The RELAX NG correctness check (rng_check.hpp): every incorrect schema of
// tests/data/rng-incorrect (one per rule of sections 3, 4 and 7 of the specification, each
// breaking its rule only where the test document does not reach, so that pruning alone would
// hide it) is refused with exit 5 with and without pruning, naming its rule and line; correct
// schemas that come close to a rule are accepted; hrefs follow xml:base in both modes.
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <regex>
#include <string>
#include <vector>

#include "teikit/validate/rng_check.hpp"
#include "teikit/validate/rng_prune.hpp"
#include "teikit/validate/validate.hpp"
#include "test_support.hpp"

using namespace teikit;
using namespace teikit::test;

namespace {

std::string incorrect_dir() { return source_dir() + "/tests/data/rng-incorrect"; }

// The rule a schema of rng-incorrect breaks, from its comment: "(RELAX NG 7.1.3)".
std::string rule_of(const std::string& schema_text) {
  std::smatch m;
  const std::regex rule(R"(\(RELAX NG ([0-9](?:[0-9., ]*[0-9])?)\))");
  return std::regex_search(schema_text, m, rule) ? m[1].str() : "";
}

bool check_text(const std::string& text, GrammarError& error, const std::string& url = "t.rng") {
  std::string parse_error;
  xml::DocPtr doc = xml::parse_memory(text, url, parse_error);
  EXPECT_TRUE(doc) << parse_error;
  return doc && check_grammar(doc.get(), error);
}

const char* kRng = R"(xmlns="http://relaxng.org/ns/structure/1.0")";

}  // namespace

TEST(RngCheck, EveryIncorrectSchemaIsRefusedWithAndWithoutPruning) {
  const std::string doc = incorrect_dir() + "/doc.xml";
  int checked = 0;
  for (const auto& schema : files(incorrect_dir(), ".rng")) {
    const std::string rule = rule_of(read_file(schema));
    ASSERT_FALSE(rule.empty()) << schema << " names no rule";
    for (const bool prune : {true, false}) {
      std::vector<std::string> args = {"validate", "--schema", schema, doc};
      if (!prune) args.insert(args.begin() + 1, "--no-prune");
      const CliRun r = teikit_cli(args);
      EXPECT_EQ(r.code, 5) << schema << (prune ? "" : " --no-prune") << ": " << r.err;
      EXPECT_NE(r.err.find("schema did not compile"), std::string::npos) << r.err;
      EXPECT_NE(r.err.find("(RELAX NG " + rule + ")"), std::string::npos)
          << schema << ": the message should name RELAX NG " << rule << ": " << r.err;
      EXPECT_TRUE(std::regex_search(r.err, std::regex("line [1-9][0-9]*: "))) << r.err;
    }
    ++checked;
  }
  EXPECT_GE(checked, 60);
}

// The same through the library, with the grammar pruned for the test document: what pruning
// alone would have compiled (most of these compile once pruned, which is why the check exists).
TEST(RngCheck, PruningWouldHideMostOfTheIncorrectSchemas) {
  std::string error;
  xml::DocPtr doc = xml::parse_file(incorrect_dir() + "/doc.xml", error);
  ASSERT_TRUE(doc) << error;
  NameSet names;
  names.add_document(doc.get());
  int hidden = 0, total = 0;
  for (const auto& schema : files(incorrect_dir(), ".rng")) {
    xml::DocPtr grammar = read_grammar(schema, error);
    ASSERT_TRUE(grammar) << error;
    GrammarError wrong;
    EXPECT_FALSE(check_grammar(grammar.get(), wrong)) << schema;
    // The schema itself, or the file it includes or refers to that is wrong.
    EXPECT_TRUE(wrong.file == schema || wrong.file.rfind(incorrect_dir() + "/parts/", 0) == 0)
        << schema << ": " << wrong.file;
    xml::DocPtr pruned = prune_grammar(grammar.get(), names);
    hidden += RelaxNgSchema(pruned.get()).valid();
    ++total;
  }
  EXPECT_GE(hidden, total / 2) << "the test schemas should break their rules where pruning "
                                  "removes the offending part";
}

TEST(RngCheck, MessageSaysWhichRuleAndWhere) {
  GrammarError e;
  EXPECT_FALSE(check_text(std::string("<element name=\"a\" ") + kRng + ">\n" +
                              "  <list>\n"
                              "    <attribute name=\"b\"/>\n"
                              "  </list>\n"
                              "</element>\n",
                          e));
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.file, "t.rng");
  EXPECT_EQ(e.message, "list//attribute is not allowed (RELAX NG 7.1.3)");
  EXPECT_EQ(describe(e, "t.rng"), "line 3: list//attribute is not allowed (RELAX NG 7.1.3)");
  EXPECT_EQ(describe(e, "other.rng"),
            "t.rng: line 3: list//attribute is not allowed (RELAX NG 7.1.3)");
}

// Schemas that come close to a rule without breaking it (most from the specification's own
// examples): the check must not be stricter than the specification.
TEST(RngCheck, AcceptsCorrectSchemasNearTheRules) {
  const std::vector<std::string> correct = {
      // 4.20 before 7.2: the bad element vanishes with the group.
      std::string("<choice ") + kRng +
          "><element name=\"foo\"><empty/></element><group><notAllowed/><element name=\"bar\">"
          "<group><data type=\"token\"/><data type=\"token\"/></group></element></group>"
          "</choice>",
      // 4.20 before 7.1.1: the nested attribute is normalised out.
      std::string("<element name=\"foo\" ") + kRng +
          "><attribute name=\"bar\"><choice><text/><group><notAllowed/><attribute "
          "name=\"baz\"/></group></choice></attribute></element>",
      // 4.21 before 7.1.2: group(attribute, empty) is the attribute.
      std::string("<element name=\"foo\" ") + kRng +
          "><oneOrMore><group><attribute><anyName/></attribute><empty/></group></oneOrMore>"
          "</element>",
      // An unreachable ref loop is removed before 4.19 looks for loops.
      std::string("<grammar ") + kRng +
          "><start><element name=\"foo\"><empty/></element></start><define name=\"bar\">"
          "<ref name=\"bar\"/></define></grammar>",
      // A loop through an element is fine.
      std::string("<grammar ") + kRng +
          "><start><ref name=\"bar\"/></start><define name=\"bar\"><element name=\"bar\">"
          "<optional><ref name=\"bar\"/></optional></element></define></grammar>",
      // Choice of the same attribute, anyName except the other attribute, disjoint interleave.
      std::string("<element name=\"foo\" ") + kRng +
          "><choice><attribute name=\"bar\"/><attribute name=\"bar\"/></choice>"
          "<oneOrMore><attribute><anyName><except><name>bar</name></except></anyName>"
          "</attribute></oneOrMore><interleave><element name=\"bar\"><empty/></element>"
          "<element><anyName><except><name>bar</name></except></anyName><empty/></element>"
          "</interleave></element>",
      // Lists of tokens, a value without type ignores the datatypeLibrary (4.4), foreign
      // elements and attributes anywhere, an element named xmlns.
      std::string("<element name=\"xmlns\" ") + kRng +
          " xmlns:eg=\"http://example.com/\" eg:note=\"x\"><eg:note/><list><oneOrMore>"
          "<data type=\"token\"/></oneOrMore></list><attribute name=\"v\"><value "
          "datatypeLibrary=\"http://example.com/none\">bar</value></attribute></element>",
      // Parameters where they apply, with values of the right type.
      std::string("<element name=\"foo\" ") + kRng +
          " datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\"><attribute "
          "name=\"a\"><data type=\"decimal\"><param name=\"totalDigits\">3</param><param "
          "name=\"minInclusive\">-1.5</param></data></attribute><attribute name=\"b\"><data "
          "type=\"date\"><param name=\"maxExclusive\">2020-01-01</param></data></attribute>"
          "<list><data type=\"NMTOKENS\"><param name=\"minLength\">1</param><param "
          "name=\"pattern\">[a-z]+( [a-z]+)*</param></data></list></element>",
      // Starts and defines combined by choice, a nested grammar with parentRef.
      std::string("<grammar ") + kRng +
          "><start combine=\"choice\"><ref name=\"a\"/></start><start><grammar><start>"
          "<parentRef name=\"a\"/></start></grammar></start><define name=\"a\" "
          "combine=\"choice\"><element name=\"a\"><empty/></element></define>"
          "<define name=\"a\"><element name=\"b\"><attribute name=\"x\"/></element>"
          "</define></grammar>",
  };
  for (const auto& text : correct) {
    GrammarError e;
    EXPECT_TRUE(check_text(text, e)) << text << "\n-> line " << e.line << ": " << e.message;
  }
}

TEST(RngCheck, SchemasInUseAreCorrect) {
  std::string error;
  std::vector<std::string> schemas = {project_schema_path()};
  const std::string shared = shared_dir();
  if (!shared.empty())
    for (const auto& s : files(shared + "/tei-schemas", ".rng")) schemas.push_back(s);
  for (const auto& s : schemas) {
    xml::DocPtr grammar = read_grammar(s, error);
    ASSERT_TRUE(grammar) << error;
    GrammarError e;
    EXPECT_TRUE(check_grammar(grammar.get(), e)) << s << ": " << describe(e, s);
  }
}

// 4.5: an href is resolved against the base URI of its element, xml:base included (the
// specification's own example, with decoys where a resolver ignoring xml:base would look).
class RngHref : public TempDirTest {};

TEST_F(RngHref, XmlBaseIsFollowedWithAndWithoutPruning) {
  const std::string foo = std::string("<element ") + kRng + " name=\"foo\"><empty/></element>";
  const std::string bar = std::string("<element ") + kRng + " name=\"bar\"><empty/></element>";
  write("x", bar);
  write("sub1/x", bar);
  write("sub1/sub3/x", foo);
  const std::string main = write(
      "main.rng", std::string("<group ") + kRng +
                      " xml:base=\"sub1/\"><group><group xml:base=\"sub2\"><group><group "
                      "xml:base=\"sub3/y\"><externalRef href=\"x\"/></group></group></group>"
                      "</group></group>");
  write("inc/g.rng", std::string("<grammar ") + kRng + "><start>" + foo + "</start></grammar>");
  write("g.rng", std::string("<grammar ") + kRng + "><start>" + bar + "</start></grammar>");
  const std::string with_include =
      write("include.rng", std::string("<grammar ") + kRng +
                               "><div xml:base=\"inc/\"><include href=\"g.rng\"/></div></grammar>");
  const std::string valid = write("foo.xml", "<foo/>");
  const std::string invalid = write("bar.xml", "<bar/>");
  for (const auto& schema : {main, with_include})
    for (const bool prune : {true, false}) {
      auto run = [&](const std::string& doc) {
        std::vector<std::string> args = {"validate", "--schema", schema, doc};
        if (!prune) args.insert(args.begin() + 1, "--no-prune");
        return teikit_cli(args);
      };
      const CliRun good = run(valid), bad = run(invalid);
      EXPECT_EQ(good.code, 0) << schema << (prune ? "" : " --no-prune") << ": " << good.err;
      EXPECT_EQ(bad.code, 3) << schema << (prune ? "" : " --no-prune") << ": " << bad.err;
    }
}

TEST_F(RngHref, IncludeAndExternalRefErrorsNameTheirFile) {
  write("part.rng", std::string("<grammar ") + kRng +
                        "><start><element name=\"a\"><list><list><text/></list></list>"
                        "</element></start></grammar>");
  const std::string main =
      write("main.rng", std::string("<grammar ") + kRng + ">\n<include href=\"part.rng\"/>\n" +
                            "</grammar>");
  std::string error;
  xml::DocPtr grammar = read_grammar(main, error);
  ASSERT_TRUE(grammar) << error;
  GrammarError e;
  EXPECT_FALSE(check_grammar(grammar.get(), e));
  EXPECT_EQ(e.file, path("part.rng"));
  EXPECT_EQ(e.message, "list//list is not allowed (RELAX NG 7.1.3)");
  EXPECT_EQ(describe(e, main).rfind(path("part.rng") + ": line 1: ", 0), 0u) << describe(e, main);
}

// A chain of defines deeper than the check's recursion allows is refused with a message, not
// a crashed validator (the specification has no such limit; no real grammar comes near it).
TEST(RngCheck, DeepChainsOfDefinesAreRefusedCleanly) {
  std::string text = std::string("<grammar ") + kRng +
                     "><start><element name=\"doc\"><ref name=\"d0\"/></element></start>";
  const int n = 20000;
  for (int i = 0; i < n; ++i)
    text += "<define name=\"d" + std::to_string(i) + "\"><choice><element name=\"e" +
            std::to_string(i) + "\"><empty/></element>" +
            (i + 1 < n ? "<ref name=\"d" + std::to_string(i + 1) + "\"/>" : "<empty/>") +
            "</choice></define>";
  text += "</grammar>";
  GrammarError e;
  EXPECT_FALSE(check_text(text, e));
  EXPECT_NE(e.message.find("a limit of teikit's check"), std::string::npos) << e.message;
}

// A schema named by a relative path: its includes resolve from where it is, once (a resolved
// href must not be resolved again against the document), pruned or not.
TEST_F(RngHref, RelativeSchemaPathWithIncludes) {
  write("s/parts/p.rng", std::string("<grammar ") + kRng +
                             "><start><element name=\"foo\"><empty/></element></start></grammar>");
  write("s/main.rng", std::string("<grammar ") + kRng + "><include href=\"parts/p.rng\"/></grammar>");
  const std::string valid = write("foo.xml", "<foo/>");
  // From the test's directory, so that the path is "s/main.rng" (a path of ../.. would reach
  // the file however often it is resolved, the root being its own parent).
  struct Cwd {
    boost::filesystem::path was = boost::filesystem::current_path();
    ~Cwd() { boost::filesystem::current_path(was); }
  } restore;
  boost::filesystem::current_path(dir_);
  const std::string relative = "s/main.rng";
  for (const bool prune : {true, false}) {
    std::vector<std::string> args = {"validate", "--schema", relative, valid};
    if (!prune) args.insert(args.begin() + 1, "--no-prune");
    const CliRun r = teikit_cli(args);
    EXPECT_EQ(r.code, 0) << relative << (prune ? "" : " --no-prune") << ": " << r.err;
  }
}
