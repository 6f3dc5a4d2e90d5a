// `teikit convert --jsonl` (one JSON object per line in, one result per line out) and the JSON
// reader and line reader under it.
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>

#include <sstream>

#include "cli.hpp"
#include "teikit/base/json.hpp"
#include "teikit/base/line_reader.hpp"
#include "test_support.hpp"

namespace fs = boost::filesystem;
using namespace teikit;

using teikit::test::CliRun;
using teikit::test::read_file;
using teikit::test::teikit_cli;

namespace {

const char* const kDoc =
    "April 30, 1962\n\nA cable\n\nCitation:\n\n\"A cable\", April 30, 1962, Test Archive, ABC 1-2, "
    "3. Translated by Jane Roe. https://example.org/1\n\nContents:\n\nTranslation - English\n\n"
    "Zhang [Hanfu] came [...].\n";

std::string line(const std::string& id_json, const std::string& text,
                 const std::string& options = "") {
  return "{\"id\":" + id_json + ",\"text\":" + json_string(text) +
         (options.empty() ? "" : ",\"options\":" + options) + "}\n";
}

std::vector<JsonValue> results(const std::string& out) {
  std::vector<JsonValue> all;
  std::istringstream in(out);
  std::string l, error;
  while (std::getline(in, l)) {
    JsonValue v;
    EXPECT_TRUE(parse_json(l, v, error)) << error << ": " << l.substr(0, 200);
    all.push_back(std::move(v));
  }
  return all;
}

class Jsonl : public teikit::test::TempDirTest {};

}  // namespace

TEST(Json, ReadsEveryKindOfValue) {
  JsonValue v;
  std::string error;
  ASSERT_TRUE(parse_json(
      " {\"a\": [1, -2.5e3, true, false, null], \"s\": \"x\\n\\u00e9\\ud83d\\ude00\\/\\\"\", "
      "\"o\": {}} ",
      v, error))
      << error;
  const JsonValue* a = v.find("a");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->items.size(), 5u);
  EXPECT_EQ(a->items[0].number, 1);
  EXPECT_EQ(a->items[1].number, -2500);
  EXPECT_EQ(a->items[1].text, "-2.5e3");
  EXPECT_TRUE(a->items[2].boolean);
  EXPECT_EQ(a->items[4].type, JsonValue::Type::Null);
  EXPECT_EQ(v.find("s")->text, "x\n\xC3\xA9\xF0\x9F\x98\x80/\"");
  EXPECT_EQ(v.find("o")->type, JsonValue::Type::Object);
  EXPECT_EQ(json_write(*a), "[1,-2.5e3,true,false,null]");
  EXPECT_EQ(json_write(*v.find("s")), "\"x\\n\xC3\xA9\xF0\x9F\x98\x80/\\\"\"");
}

TEST(Json, RefusesWhatIsNotJson) {
  JsonValue v;
  std::string error;
  for (const char* bad : {"", "{", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "1.", "\"\\x\"",
                          "\"\\ud800\"", "\"\\udc00\"", "\"a\nb\"", "\"\xff\"", "nul", "{} {}",
                          "{'a':1}"})
    EXPECT_FALSE(parse_json(bad, v, error)) << bad;
  EXPECT_FALSE(parse_json("[1, 2", v, error));
  EXPECT_EQ(error.rfind("column ", 0), 0u) << error;
  // Nesting is bounded: a line of ten thousand '[' does not exhaust the stack.
  EXPECT_FALSE(parse_json(std::string(10000, '['), v, error));
  EXPECT_NE(error.find("nested too deeply"), std::string::npos);
  EXPECT_TRUE(parse_json(std::string(60, '[') + std::string(60, ']'), v, error));
}

TEST_F(Jsonl, LinesAreSkippedBeyondTheLimitAndTheLastLineNeedsNoNewline) {
  write("in.jsonl", "short\r\n" + std::string(100, 'x') + "\n\nlast");
  LineReader reader(path("in.jsonl"), 50);
  std::string l;
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader.next(l), LineReader::Status::Line);
  EXPECT_EQ(l, "short");
  EXPECT_EQ(reader.next(l), LineReader::Status::TooLong);
  EXPECT_EQ(reader.line_number(), 2u);
  EXPECT_EQ(reader.next(l), LineReader::Status::Line);
  EXPECT_EQ(l, "");
  EXPECT_EQ(reader.next(l), LineReader::Status::Line);
  EXPECT_EQ(l, "last");
  EXPECT_EQ(reader.next(l), LineReader::Status::End);
  LineReader missing(path("none.jsonl"), 0);
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("none.jsonl"), std::string::npos);
}

// JSON Lines are UTF-8: a stream with a UTF-16 or UTF-32 byte-order mark is refused (exit 4,
// no output file) instead of giving "invalid-json" for every line; a UTF-8 mark is skipped.
TEST_F(Jsonl, AByteOrderMarkOtherThanUtf8IsRefused) {
  const std::string line = "{\"id\":\"a\",\"text\":\"x\"}\n";
  for (const auto& [bom, name] : {std::pair<std::string, std::string>{"\xFF\xFE", "UTF-16 LE"},
                                  {"\xFE\xFF", "UTF-16 BE"},
                                  {std::string("\xFF\xFE\0\0", 4), "UTF-32 LE"},
                                  {std::string("\0\0\xFE\xFF", 4), "UTF-32 BE"}}) {
    write("in.jsonl", bom + line);  // the rest need not be in that encoding: the mark decides
    const CliRun r = teikit_cli({"convert", "--jsonl", path("in.jsonl"), "-o", path("out.jsonl")});
    EXPECT_EQ(r.code, kExitUnreadable) << name;
    EXPECT_NE(r.err.find("starts with a " + name + " byte-order mark"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(path("out.jsonl"))) << name;
  }
  write("in.jsonl", "\xEF\xBB\xBF" + line);
  const CliRun r = teikit_cli({"convert", "--jsonl", path("in.jsonl")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("\"status\":\"warnings\""), std::string::npos) << r.out;  // a TEI, no error
}

TEST_F(Jsonl, EachLineGivesOneResultInOrderWithTheTeiConvertWrites) {
  const std::string file = write("cable.txt", kDoc);
  CliRun single = teikit_cli({"convert", file});
  ASSERT_EQ(single.code, kExitOk);
  const std::string in = line(json_string(file), kDoc) + line("2", "Just a line of text.\n") +
                         line("{\"n\":3}", kDoc, "{\"from\":\"plain\"}");
  CliRun r = teikit_cli({"convert", "--jsonl"}, in);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  const std::vector<JsonValue> out = results(r.out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].find("id")->text, file);
  EXPECT_EQ(out[0].find("tei")->text, single.out);  // byte for byte
  EXPECT_EQ(out[0].find("status")->text, "ok");
  EXPECT_TRUE(out[0].find("diagnostics")->items.empty());
  EXPECT_EQ(json_write(*out[1].find("id")), "2");
  EXPECT_EQ(out[1].find("status")->text, "warnings");
  const JsonValue& d = out[1].find("diagnostics")->items.at(0);
  EXPECT_EQ(d.find("severity")->text, "warning");
  EXPECT_EQ(d.find("line")->number, 1);
  EXPECT_FALSE(d.find("code")->text.empty());
  EXPECT_EQ(json_write(*out[2].find("id")), "{\"n\":3}");
  // Keys in this order: id, tei, diagnostics, status.
  EXPECT_EQ(r.out.rfind("{\"id\":" + json_string(file) + ",\"tei\":\"", 0), 0u);
  // The id names the document: the default idno is its base name, as for a file.
  EXPECT_NE(out[0].find("tei")->text.find("<idno type=\"edition\">cable</idno>"), std::string::npos);
}

TEST_F(Jsonl, ABadLineIsAnErrorResultAndTheStreamGoesOn) {
  const std::string in = std::string("this is not json\n") + "[1,2]\n" + "{\"id\":\"no-text\"}\n" +
                         line("\"opt\"", kDoc, "{\"colour\":\"red\"}") +
                         line("\"prof\"", kDoc, "{\"profile\":\"no-such-profile\"}") +
                         line("\"url\"", kDoc, "{\"licence-url\":\"javascript:x\"}") +
                         "{\"id\":\"long\",\"text\":\"" + std::string(3000, 'a') + "\"}\n" +
                         line("\"fine\"", kDoc);
  CliRun r = teikit_cli({"convert", "--jsonl", "--max-input-size", "2000"}, in);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const std::vector<JsonValue> out = results(r.out);
  ASSERT_EQ(out.size(), 8u);
  const char* codes[] = {"invalid-json", "invalid-json", "no-text",      "bad-options",
                         "bad-profile",  "bad-options",  "line-too-long"};
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(out[i].find("status")->text, "error") << i;
    EXPECT_EQ(out[i].find("tei")->type, JsonValue::Type::Null) << i;
    const JsonValue& d = out[i].find("diagnostics")->items.at(0);
    EXPECT_EQ(d.find("code")->text, codes[i]) << i;
    EXPECT_EQ(d.find("severity")->text, "error");
    EXPECT_FALSE(d.find("message")->text.empty());
  }
  EXPECT_EQ(out[0].find("diagnostics")->items[0].find("column")->number, 1);
  EXPECT_EQ(out[2].find("id")->text, "no-text");
  EXPECT_EQ(out[7].find("status")->text, "ok");
}

TEST_F(Jsonl, OptionsApplyToTheirLineOnlyOverTheCommandLine) {
  const std::string in = line("\"de\"", kDoc, "{\"profile\":\"de-archive\",\"publisher\":\"P1\"}") +
                         line("\"default\"", kDoc) +
                         line("\"id\"", kDoc, "{\"edition-id\":\"E-7\",\"pub-place\":\"Bonn\"}");
  CliRun r = teikit_cli({"convert", "--jsonl", "--publisher", "Command Line Press"}, in);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const std::vector<JsonValue> out = results(r.out);
  ASSERT_EQ(out.size(), 3u);
  const std::string& de = out[0].find("tei")->text;
  EXPECT_NE(de.find("<publisher>P1</publisher>"), std::string::npos);
  EXPECT_NE(de.find("xml:lang=\"de\""), std::string::npos);
  const std::string& plain = out[1].find("tei")->text;
  EXPECT_NE(plain.find("<publisher>Command Line Press</publisher>"), std::string::npos);
  EXPECT_EQ(plain.find("xml:lang=\"de\""), std::string::npos);
  EXPECT_NE(out[2].find("tei")->text.find("E-7"), std::string::npos);
  EXPECT_NE(out[2].find("tei")->text.find("<pubPlace>Bonn</pubPlace>"), std::string::npos);
}

TEST_F(Jsonl, ReadsAFileAndWritesAFileAtomically) {
  const std::string in = write("in.jsonl", line("1", kDoc) + line("2", kDoc));
  CliRun r = teikit_cli({"convert", "--jsonl", in, "-o", path("out.jsonl")});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(results(read_file(path("out.jsonl"))).size(), 2u);
  // The output may not be the input, and --jsonl takes one stream.
  EXPECT_EQ(teikit_cli({"convert", "--jsonl", in, "-o", in}).code, kExitUsage);
  EXPECT_EQ(read_file(in), line("1", kDoc) + line("2", kDoc));
  EXPECT_EQ(teikit_cli({"convert", "--jsonl", in, in}).code, kExitUsage);
  EXPECT_EQ(teikit_cli({"convert", "--jsonl", "--encoding", "latin-1"}, "").code, kExitUsage);
  EXPECT_EQ(teikit_cli({"convert", "--jsonl", path("missing.jsonl")}).code, kExitUnreadable);
  // Without --jsonl, convert still needs its inputs.
  EXPECT_EQ(teikit_cli({"convert"}).code, kExitUsage);
}

TEST_F(Jsonl, ValidateAddsTheValidationFindings) {
  CliRun r = teikit_cli({"convert", "--jsonl", "--validate"}, line("1", kDoc));
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const std::vector<JsonValue> out = results(r.out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].find("status")->text, "ok");
}
