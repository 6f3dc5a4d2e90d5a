#include "test_support.hpp"

#include <libxml/xpathInternals.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli.hpp"
#include "teikit/convert/convert.hpp"

#include <iostream>

namespace teikit::test {

std::string source_dir() { return TEIKIT_SOURCE_DIR; }

std::string shared_dir() {
  std::string dir;
  if (const char* env = std::getenv("TEIKIT_SHARED"); env && *env) dir = env;
  else dir = source_dir() + "/../shared";
  std::ifstream probe(dir + "/ENCODING.md");
  return probe ? dir : "";
}

std::vector<std::string> files(const std::string& dir, const std::string& ext) {
  namespace fs = boost::filesystem;
  std::vector<std::string> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ext) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

void TempDirTest::SetUp() {
  namespace fs = boost::filesystem;
  dir_ = fs::temp_directory_path() / fs::unique_path("teikit-test-%%%%%%%%");
  fs::create_directories(dir_);
}

void TempDirTest::TearDown() { boost::filesystem::remove_all(dir_); }

std::string TempDirTest::path(const std::string& name) const { return (dir_ / name).string(); }

std::string TempDirTest::write(const std::string& name, const std::string& text) const {
  boost::filesystem::create_directories(boost::filesystem::path(path(name)).parent_path());
  std::ofstream(path(name), std::ios::binary) << text;
  return path(name);
}

std::string encode_with_bom(const std::u32string& text, int unit, bool little) {
  std::string out;
  auto put = [&](char32_t v) {
    for (int k = 0; k < unit; ++k) {
      const int shift = 8 * (little ? k : unit - 1 - k);
      out += static_cast<char>((v >> shift) & 0xFF);
    }
  };
  put(0xFEFF);
  for (char32_t c : text) {
    if (unit == 2 && c >= 0x10000) {
      put(0xD800 + ((c - 0x10000) >> 10));
      put(0xDC00 + ((c - 0x10000) & 0x3FF));
    } else {
      put(c);
    }
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {
xml::XPathObjectPtr eval(xmlDoc* doc, const std::string& expr) {
  xml::XPathContextPtr ctx(xmlXPathNewContext(doc));
  xmlXPathRegisterNs(ctx.get(), BAD_CAST "t", BAD_CAST "http://www.tei-c.org/ns/1.0");
  return xml::XPathObjectPtr(xmlXPathEvalExpression(BAD_CAST expr.c_str(), ctx.get()));
}
}  // namespace

int xpath_count(xmlDoc* doc, const std::string& expr) {
  auto r = eval(doc, "count(" + expr + ")");
  return r ? static_cast<int>(r->floatval) : -1;
}

std::string xpath_string(xmlDoc* doc, const std::string& expr) {
  auto r = eval(doc, "string(" + expr + ")");
  return r && r->stringval ? reinterpret_cast<const char*>(r->stringval) : "";
}

CliRun teikit_cli(std::vector<std::string> args, const std::string& stdin_text) {
  args.insert(args.begin(), "teikit");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::istringstream in(stdin_text);
  std::streambuf* saved = std::cin.rdbuf(in.rdbuf());
  std::ostringstream out, err;
  const int code = run(static_cast<int>(argv.size()), argv.data(), out, err);
  std::cin.rdbuf(saved);
  return {code, out.str(), err.str()};
}

xml::DocPtr convert_to_doc(const std::string& name, const std::string& text) {
  ConvertResult r = convert(name, text, ConvertOptions{});
  std::string error;
  return xml::parse_memory(r.xml, name, error);
}

}  // namespace teikit::test
