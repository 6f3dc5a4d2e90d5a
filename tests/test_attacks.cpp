// XML that attacks the reader (issue 5): external entities, entity expansion, DTD loads and
// XInclude are refused or inert when teikit reads TEI (render; the same reader serves validate).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "cli.hpp"
#include "teikit/base/xml.hpp"
#include "test_support.hpp"

using namespace teikit;

namespace {

struct Result {
  int code;
  std::string out, err;
};

Result render_text(const std::string& xml_text) {
  const std::string path = "/tmp/teikit-attack-" + std::to_string(::getpid()) + ".xml";
  std::ofstream(path) << xml_text;
  const char* argv[] = {"teikit", "render", "--to", "text", path.c_str()};
  std::ostringstream out, err;
  const int code = run(5, argv, out, err);
  std::remove(path.c_str());
  return {code, out.str(), err.str()};
}

const char* const kTei =
    "<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader><fileDesc><titleStmt><title>T</title>"
    "</titleStmt></fileDesc></teiHeader><text><body><p>BODY</p></body></text></TEI>";

std::string with_body(const std::string& prolog, const std::string& body) {
  std::string t = kTei;
  t.replace(t.find("BODY"), 4, body);
  return prolog + t;
}

}  // namespace

TEST(Attacks, ExternalEntityIsNotRead) {
  Result r = render_text(with_body(
      "<!DOCTYPE TEI [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>", "leak: &xxe;"));
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("leak:"), std::string::npos);  // the document was read and rendered…
  EXPECT_EQ(r.out.find("root:"), std::string::npos) << r.out;  // …without the file
}

TEST(Attacks, ParameterEntityAndExternalDtdAreNotLoaded) {
  Result r = render_text(with_body(
      "<!DOCTYPE TEI SYSTEM 'http://127.0.0.1:9/evil.dtd' [<!ENTITY % p SYSTEM "
      "'file:///etc/passwd'> %p;]>", "x"));
  EXPECT_TRUE(r.code == kExitOk || r.code == kExitUnreadable) << r.err;
  EXPECT_EQ(r.out.find("root:"), std::string::npos);
  EXPECT_EQ(r.err.find("root:"), std::string::npos);
}

TEST(Attacks, BillionLaughsIsBounded) {
  std::string dtd = "<!DOCTYPE TEI [<!ENTITY a0 'lol'>";
  for (int i = 1; i <= 10; ++i)
    dtd += "<!ENTITY a" + std::to_string(i) + " '" + std::string() +
           [&] {
             std::string refs;
             for (int k = 0; k < 10; ++k) refs += "&a" + std::to_string(i - 1) + ";";
             return refs;
           }() + "'>";
  dtd += "]>";
  const auto start = std::chrono::steady_clock::now();
  Result r = render_text(with_body(dtd, "&a10;"));
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(r.code == kExitOk || r.code == kExitUnreadable) << r.err;
  EXPECT_LT(r.out.size(), 1000000u);  // 10^10 "lol"s were never produced
  EXPECT_LT(s, 30.0);
}

TEST(Attacks, XIncludeIsNotProcessed) {
  Result r = render_text(with_body(
      "", "inc <xi:include xmlns:xi='http://www.w3.org/2001/XInclude' href='/etc/passwd' parse='text'/>"));
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("inc"), std::string::npos);
  EXPECT_EQ(r.out.find("root:"), std::string::npos);
}

TEST(Attacks, SafeParseOptionsHaveNoEntitySubstitutionOrNetwork) {
  const int o = xml::safe_parse_options();
  EXPECT_TRUE(o & XML_PARSE_NONET);
  EXPECT_FALSE(o & XML_PARSE_NOENT);
  EXPECT_FALSE(o & XML_PARSE_DTDLOAD);
  EXPECT_FALSE(o & XML_PARSE_XINCLUDE);
  EXPECT_FALSE(o & XML_PARSE_HUGE);
}
