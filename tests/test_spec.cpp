// The spec is the test suite (cmark's spec.txt, md4c's per-extension spec files): every example
// in tests/spec/*.md becomes one GoogleTest case, registered before RUN_ALL_TESTS so that
// gtest_discover_tests sees it.
//
// An example is an ```input``` (or ```input-full```) block followed by any of ```tei```,
// ```tei-header``` and ```diagnostics``` blocks; the `## ` heading before it names it, and a
// `<!-- known-failure: reason -->` line right before that heading turns it into a skipped test
// that prints the reason (a known converter defect, kept visible without turning the suite red).
//
// - ```input```: the document body; kHeader below is prepended. ```input-full```: used as-is.
// - ```tei```: XML fragments (separated by blank lines) that must each occur in the serialised
//   <body>, compared after normalise(). ```tei-header```: the same for <teiHeader>.
// - ```diagnostics```: one `LINE:COL: severity: [code]` per line, LINE counted from the first line
//   of the input block. The warnings and errors must be exactly these (an empty or absent block:
//   none); notes are compared only where listed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "teikit/convert/convert.hpp"

namespace {

namespace fs = std::filesystem;

// Prepended to every ```input``` block: names the translator (so @resp="#translator" appears)
// and dates the document 1962-04-30 (the year that dates without one inherit, ENCODING.md §5).
constexpr const char* kHeader =
    "April 30, 1962\n"
    "\n"
    "Spec example\n"
    "\n"
    "Citation:\n"
    "\n"
    "\"Spec example\", April 30, 1962, Test Archive, ABC DEF 1-2, 3. Translated by Jane Roe. "
    "https://example.org/spec\n"
    "\n"
    "Original Language:\n"
    "\n"
    "Chinese\n"
    "\n"
    "Contents:\n"
    "\n"
    "Translation - English\n"
    "\n";

struct SpecExample {
  std::string file;          // full path of the .md file
  std::string file_name;     // e.g. "brackets.md"
  int line = 0;              // line of the heading (or of the input fence when there is none)
  std::string title;         // the heading text
  std::string known_failure; // reason, empty unless marked
  std::string input;         // the body (or the whole document for input-full)
  bool full = false;         // input-full: no header prepended
  std::string profile;       // <!-- spec-options: profile=NAME --> of the file ("" default)
  std::string header;        // the file's ```header``` block ("" for kHeader)
  std::vector<std::string> tei;         // fragments expected in <body>
  std::vector<std::string> tei_header;  // fragments expected in <teiHeader>
  std::vector<std::string> diagnostics; // "LINE:COL: severity: [code]"
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Whitespace runs become one space, leading/trailing whitespace goes, and whitespace that is all
// there is between '>' and '<' goes: indentation of the serialiser is not part of the contract.
std::string normalise(const std::string& s) {
  std::string collapsed;
  bool pending = false;
  for (char c : s) {
    if (is_space(c)) {
      pending = true;
      continue;
    }
    if (pending && !collapsed.empty()) collapsed += ' ';
    pending = false;
    collapsed += c;
  }
  std::string out;
  out.reserve(collapsed.size());
  for (std::size_t i = 0; i < collapsed.size(); ++i) {
    if (collapsed[i] == ' ' && i > 0 && collapsed[i - 1] == '>' && i + 1 < collapsed.size() &&
        collapsed[i + 1] == '<')
      continue;
    out += collapsed[i];
  }
  return out;
}

// The serialised element `name` (start tag to end tag), or "" when it is not there.
std::string element_text(const std::string& xml, const std::string& name) {
  std::size_t b = xml.find("<" + name + ">");
  if (b == std::string::npos) b = xml.find("<" + name + " ");
  if (b == std::string::npos) return "";
  const std::string end = "</" + name + ">";
  const std::size_t e = xml.find(end, b);
  if (e == std::string::npos) return xml.substr(b);
  return xml.substr(b, e + end.size() - b);
}

// Fragments of a ```tei``` block are separated by blank lines; one may span several lines.
std::vector<std::string> split_fragments(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  std::string cur;
  for (const auto& l : lines) {
    if (trim(l).empty()) {
      if (!trim(cur).empty()) out.push_back(cur);
      cur.clear();
      continue;
    }
    cur += l;
    cur += '\n';
  }
  if (!trim(cur).empty()) out.push_back(cur);
  return out;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

int count_lines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  std::string l;
  while (std::getline(in, l)) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(l);
  }
  return lines;
}

std::string known_failure_reason(const std::string& line) {
  const std::string t = trim(line);
  const std::string open = "<!-- known-failure:";
  if (t.rfind(open, 0) != 0) return "";
  std::string reason = t.substr(open.size());
  if (const auto e = reason.rfind("-->"); e != std::string::npos) reason.resize(e);
  reason = trim(reason);
  return reason.empty() ? "(no reason given)" : reason;
}

std::vector<SpecExample> parse_spec(const std::string& path) {
  const std::vector<std::string> lines = read_lines(path);
  const std::string file_name = fs::path(path).filename().string();
  std::vector<SpecExample> examples;
  int heading_line = 0;  // last heading not yet used by an example
  std::string heading, known_failure;
  std::string profile, header;  // file-wide: spec-options and the ```header``` block
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (const std::string opt = "<!-- spec-options:"; trim(l).rfind(opt, 0) == 0) {
      std::string o = trim(trim(l).substr(opt.size()));
      if (const auto e = o.rfind("-->"); e != std::string::npos) o = trim(o.substr(0, e));
      if (o.rfind("profile=", 0) == 0) profile = o.substr(8);
      continue;
    }
    if (l.rfind("## ", 0) == 0) {
      heading_line = static_cast<int>(i) + 1;
      heading = trim(l.substr(3));
      known_failure = i > 0 ? known_failure_reason(lines[i - 1]) : "";
      continue;
    }
    if (l.rfind("```", 0) != 0) continue;
    const std::string info = trim(l.substr(3));
    const int fence_line = static_cast<int>(i) + 1;
    std::vector<std::string> content;
    std::size_t j = i + 1;
    for (; j < lines.size() && trim(lines[j]) != "```"; ++j) content.push_back(lines[j]);
    i = j;  // the closing fence (or the end of the file)
    if (info == "input" || info == "input-full") {
      SpecExample ex;
      ex.file = path;
      ex.file_name = file_name;
      ex.line = heading_line ? heading_line : fence_line;
      ex.title = heading_line ? heading : "(untitled)";
      ex.known_failure = heading_line ? known_failure : "";
      ex.full = info == "input-full";
      ex.input = join_lines(content);
      ex.profile = profile;
      ex.header = header;
      examples.push_back(std::move(ex));
      heading_line = 0;
      heading.clear();
      known_failure.clear();
    } else if (info == "header" && examples.empty()) {
      header = join_lines(content) + "\n";
    } else if (!examples.empty() && (info == "tei" || info == "tei-header")) {
      auto frags = split_fragments(content);
      auto& into = info == "tei" ? examples.back().tei : examples.back().tei_header;
      into.insert(into.end(), frags.begin(), frags.end());
    } else if (!examples.empty() && info == "diagnostics") {
      for (const auto& d : content)
        if (!trim(d).empty()) examples.back().diagnostics.push_back(trim(d));
    }
  }
  return examples;
}

std::string format_list(const std::vector<std::string>& items) {
  if (items.empty()) return "    (none)\n";
  std::string s;
  for (const auto& i : items) s += "    " + i + "\n";
  return s;
}

class SpecTest : public testing::Test {
 public:
  explicit SpecTest(SpecExample example) : ex_(std::move(example)) {}

  void TestBody() override {
    if (!ex_.known_failure.empty())
      GTEST_SKIP() << ex_.file_name << ":" << ex_.line << ": " << ex_.title
                   << ": known failure: " << ex_.known_failure;

    const std::string header = ex_.full ? "" : ex_.header.empty() ? kHeader : ex_.header;
    const int header_lines = count_lines(header);
    const std::string name = fs::path(ex_.file_name).stem().string() + "-L" +
                             std::to_string(ex_.line);
    teikit::ConvertOptions options;
    if (!ex_.profile.empty()) {
      options.profile = teikit::builtin_profile(ex_.profile);
      ASSERT_TRUE(options.profile) << ex_.file_name << ": no built-in profile '" << ex_.profile << "'";
    }
    teikit::ConvertResult r = teikit::convert(name, header + ex_.input, options);
    const std::string where = ex_.file_name + ":" + std::to_string(ex_.line) + ": " + ex_.title;

    const std::string body = normalise(element_text(r.xml, "body"));
    for (const auto& frag : ex_.tei) {
      const std::string want = normalise(frag);
      if (body.find(want) == std::string::npos)
        ADD_FAILURE_AT(ex_.file.c_str(), ex_.line)
            << where << "\n  expected in <body>:\n    " << want << "\n  actual <body>:\n    "
            << body;
    }
    if (!ex_.tei_header.empty()) {
      const std::string head = normalise(element_text(r.xml, "teiHeader"));
      for (const auto& frag : ex_.tei_header) {
        const std::string want = normalise(frag);
        if (head.find(want) == std::string::npos)
          ADD_FAILURE_AT(ex_.file.c_str(), ex_.line)
              << where << "\n  expected in <teiHeader>:\n    " << want
              << "\n  actual <teiHeader>:\n    " << head;
      }
    }

    // Diagnostics: the exact multiset of warnings and errors; notes only where listed.
    std::map<std::string, int> expected, actual;
    for (const auto& d : ex_.diagnostics) ++expected[d];
    std::vector<std::string> actual_list;
    for (const auto& d : r.diagnostics.diagnostics()) {
      const long line = d.line == 0 ? 0 : static_cast<long>(d.line) - header_lines;
      const std::string s = std::to_string(line) + ":" + std::to_string(d.column) + ": " +
                            teikit::to_string(d.severity) + ": [" + d.code + "]";
      actual_list.push_back(s + "  (" + d.message + ")");
      if (d.severity == teikit::Severity::Note && actual[s] >= expected[s]) continue;
      ++actual[s];
    }
    for (auto* m : {&expected, &actual})
      for (auto it = m->begin(); it != m->end();)
        it = it->second == 0 ? m->erase(it) : std::next(it);
    if (expected != actual)
      ADD_FAILURE_AT(ex_.file.c_str(), ex_.line)
          << where << "\n  expected diagnostics:\n"
          << format_list(ex_.diagnostics) << "  actual diagnostics:\n"
          << format_list(actual_list);
  }

 private:
  SpecExample ex_;
};

// A test name from a file name and a line: "brackets.md", 42 → "brackets_md_L42".
std::string test_name(const std::string& file_name, int line) {
  std::string n;
  for (char c : file_name) n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return n + "_L" + std::to_string(line);
}

// Registers every example at static-initialisation time, before RUN_ALL_TESTS.
struct SpecRegistrar {
  SpecRegistrar() {
    const fs::path dir = fs::path(TEIKIT_SOURCE_DIR) / "tests" / "spec";
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.is_regular_file() && entry.path().extension() == ".md")
        files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      const std::string d = dir.string();
      testing::RegisterTest("Spec", "NoSpecFiles", nullptr, nullptr, __FILE__, __LINE__,
                            [d]() -> SpecTest* {
                              SpecExample ex;
                              ex.file_name = d;
                              ex.tei.push_back("<no spec files found in " + d + ">");
                              return new SpecTest(ex);
                            });
      return;
    }
    for (const auto& file : files) {
      for (auto& ex : parse_spec(file)) {
        const std::string name = test_name(ex.file_name, ex.line);
        const std::string path = ex.file;
        const int line = ex.line;
        testing::RegisterTest("Spec", name.c_str(), nullptr, nullptr, path.c_str(), line,
                              [ex]() -> SpecTest* { return new SpecTest(ex); });
      }
    }
  }
};

const SpecRegistrar registrar;

}  // namespace
