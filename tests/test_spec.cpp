// The spec is the test suite (cmark's spec.txt, md4c's per-extension spec files): every example
// in tests/spec/*.md becomes two GoogleTest cases, registered before RUN_ALL_TESTS so that
// gtest_discover_tests sees them: `SpecLibrary.<file>_<NNN>_<section>` runs the example through
// teikit::convert, `SpecExecutable.<file>_<NNN>_<section>` through the teikit executable of an
// installed tree (`teikit convert FILE -o -`; TEIKIT_SPEC_BINARY, staged by ctest's fixture
// staged_install, or by hand: tests/install/install-tree.sh build prefix build/staged-install).
// NNN is the example's number in its file, <section> the `## ` heading it stands under.
//
// An example is an ```input``` (or ```input-full```) block followed by any of ```tei```,
// ```tei-header``` and ```diagnostics``` blocks; a `<!-- known-failure: reason -->` line right
// before its heading turns it into a skipped test that prints the reason.
//
// - ```input```: the document body; the file's ```header``` block (or kHeader below) is put in
//   front of it. ```input-full```: used as it stands. The info string may name options after the
//   word, as md4c's spec files name flags: ```` ```input profile=de-archive from=markdown ````.
//   A line `<!-- spec-options: profile=… from=… -->` sets the options of every later example of
//   the file; an example's own options override them.
// - ```tei```: the whole <body> element the example must produce (`<body>…</body>`), compared
//   after normalise(); a failure prints a diff of the expected against the produced body.
//   ```tei-header```: XML fragments (separated by blank lines) that must each occur in
//   <teiHeader>.
// - ```diagnostics```: one `LINE:COL: severity: [code]` per line, LINE counted from the first line
//   of the input block. The warnings and errors must be exactly these (an empty or absent block:
//   none); notes are compared only where listed.
//
// Options: `profile=NAME` (a built-in profile, read from converter/profiles/NAME.xml, the file it
// is compiled from) or `profile=PATH.xml` (relative to the spec file); `from=auto|plain|markdown`.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "teikit/convert/convert.hpp"
#include "teikit/convert/profile.hpp"


namespace {

namespace fs = std::filesystem;

// Put in front of every ```input``` block of a file without a ```header``` block: names the
// translator (so @resp="#translator" appears) and dates the document 1962-04-30 (the year that
// dates without one inherit, ENCODING.md §5).
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

using Options = std::map<std::string, std::string>;

struct SpecExample {
  std::string file;           // full path of the .md file
  std::string file_name;      // e.g. "brackets.md"
  int number = 0;             // 1, 2, … in its file
  int line = 0;               // line of the heading (or of the input fence when there is none)
  std::string section;        // the heading text
  std::string known_failure;  // reason, empty unless marked
  std::string header;         // put in front of `input` (empty for input-full)
  std::string input;          // the body (or the whole document for input-full)
  Options options;            // profile, from
  bool has_tei = false;       // a ```tei``` block was given
  std::string tei;            // the whole expected <body>
  std::vector<std::string> tei_header;   // fragments expected in <teiHeader>
  std::vector<std::string> diagnostics;  // "LINE:COL: severity: [code]"
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

// A normalised fragment as lines for a diff: a line break before every tag.
std::vector<std::string> diff_lines(const std::string& normalised) {
  std::vector<std::string> lines;
  std::string cur;
  for (char c : normalised) {
    if (c == '<' && !cur.empty()) {
      lines.push_back(cur);
      cur.clear();
    }
    cur += c;
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

// A unified-style line diff of `want` against `got` (longest common subsequence): "-" lines are
// expected and missing, "+" lines produced and not expected.
std::string line_diff(const std::vector<std::string>& want, const std::vector<std::string>& got) {
  const std::size_t n = want.size(), m = got.size();
  std::ostringstream out;
  if (n * m > 4'000'000) {  // too large for the table: show both whole
    for (const auto& l : want) out << "    - " << l << "\n";
    for (const auto& l : got) out << "    + " << l << "\n";
    return out.str();
  }
  std::vector<std::vector<unsigned>> lcs(n + 1, std::vector<unsigned>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = want[i] == got[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && want[i] == got[j]) {
      out << "      " << want[i] << "\n";
      ++i, ++j;
    } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out << "    + " << got[j++] << "\n";
    } else {
      out << "    - " << want[i++] << "\n";
    }
  }
  return out.str();
}

// Fragments of a ```tei-header``` block are separated by blank lines; one may span lines.
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

// The text of a `<!-- NAME: text -->` line, or nullopt-like "" with found=false.
bool comment_value(const std::string& line, const std::string& name, std::string& value) {
  const std::string t = trim(line);
  const std::string open = "<!-- " + name + ":";
  if (t.rfind(open, 0) != 0) return false;
  value = t.substr(open.size());
  if (const auto e = value.rfind("-->"); e != std::string::npos) value.resize(e);
  value = trim(value);
  return true;
}

// "profile=de-archive from=plain" → {profile: de-archive, from: plain}; a word without "=" is
// kept with an empty value, so that a typo shows up as an unknown option.
Options parse_options(const std::string& words) {
  Options o;
  std::istringstream in(words);
  std::string w;
  while (in >> w) {
    const auto eq = w.find('=');
    o[w.substr(0, eq)] = eq == std::string::npos ? "" : w.substr(eq + 1);
  }
  return o;
}

std::vector<SpecExample> parse_spec(const std::string& path) {
  const std::vector<std::string> lines = read_lines(path);
  const std::string file_name = fs::path(path).filename().string();
  std::vector<SpecExample> examples;
  int heading_line = 0;  // last heading not yet used by an example
  std::string heading, known_failure, header = kHeader;
  Options file_options;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    std::string value;
    if (comment_value(l, "spec-options", value)) {
      file_options = parse_options(value);
      continue;
    }
    if (l.rfind("## ", 0) == 0) {
      heading_line = static_cast<int>(i) + 1;
      heading = trim(l.substr(3));
      known_failure.clear();
      if (i > 0 && comment_value(lines[i - 1], "known-failure", known_failure) &&
          known_failure.empty())
        known_failure = "(no reason given)";
      continue;
    }
    if (l.rfind("```", 0) != 0) continue;
    std::istringstream info_words(trim(l.substr(3)));
    std::string info, rest;
    info_words >> info;
    std::getline(info_words, rest);
    const int fence_line = static_cast<int>(i) + 1;
    std::vector<std::string> content;
    std::size_t j = i + 1;
    for (; j < lines.size() && trim(lines[j]) != "```"; ++j) content.push_back(lines[j]);
    i = j;  // the closing fence (or the end of the file)
    if (info == "header") {
      // A blank line ends the header, as in kHeader: the input is the document's text.
      header = join_lines(content);
      while (header.size() >= 2 && header.compare(header.size() - 2, 2, "\n\n") != 0)
        header += '\n';
    } else if (info == "input" || info == "input-full") {
      SpecExample ex;
      ex.file = path;
      ex.file_name = file_name;
      ex.number = static_cast<int>(examples.size()) + 1;
      ex.line = heading_line ? heading_line : fence_line;
      ex.section = heading_line ? heading : "untitled";
      ex.known_failure = heading_line ? known_failure : "";
      ex.header = info == "input-full" ? "" : header;
      ex.input = join_lines(content);
      ex.options = file_options;
      for (const auto& [k, v] : parse_options(rest)) ex.options[k] = v;
      examples.push_back(std::move(ex));
      heading_line = 0;
      heading.clear();
      known_failure.clear();
    } else if (!examples.empty() && info == "tei") {
      examples.back().has_tei = true;
      examples.back().tei += join_lines(content);
    } else if (!examples.empty() && info == "tei-header") {
      auto frags = split_fragments(content);
      auto& into = examples.back().tei_header;
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

// One diagnostic as the spec writes it, LINE counted from the first line of the input block.
struct Found {
  std::string key;   // "LINE:COL: severity: [code]"
  std::string text;  // key and message, for failure output
  bool note = false;
};

// What a run produced: the TEI and its diagnostics.
struct Produced {
  std::string xml;
  std::vector<Found> diagnostics;
  std::string error;  // why the run itself failed; empty when it ran
};

Found found(long line, long column, const std::string& severity, const std::string& code,
            const std::string& message) {
  Found f;
  f.key = std::to_string(line) + ":" + std::to_string(column) + ": " + severity + ": [" + code +
          "]";
  f.text = f.key + "  (" + message + ")";
  f.note = severity == "note";
  return f;
}

// The profile an example names: a built-in name is read from the data file it is compiled
// from, a .xml path relative to the spec file.
std::string profile_path(const SpecExample& ex, const std::string& value) {
  if (value.size() > 4 && value.compare(value.size() - 4, 4, ".xml") == 0)
    return (fs::path(ex.file).parent_path() / value).string();
  return (fs::path(TEIKIT_SOURCE_DIR) / "converter" / "profiles" / (value + ".xml")).string();
}

std::string unknown_options(const Options& options) {
  std::string bad;
  for (const auto& [k, v] : options)
    if (k != "profile" && k != "from") bad += " " + k;
  return bad;
}

Produced run_library(const SpecExample& ex, const std::string& name, int header_lines) {
  Produced p;
  teikit::ConvertOptions options;
  if (auto it = ex.options.find("from"); it != ex.options.end())
    options.flavour = it->second == "plain"      ? teikit::Flavour::Plain
                      : it->second == "markdown" ? teikit::Flavour::Markdown
                                                 : teikit::Flavour::Auto;
  if (auto it = ex.options.find("profile"); it != ex.options.end()) {
    std::string error;
    options.profile = teikit::load_profile_file(profile_path(ex, it->second), error);
    if (!options.profile) {
      p.error = "profile " + it->second + ": " + error;
      return p;
    }
  }
  teikit::ConvertResult r = teikit::convert(name, ex.header + ex.input, options);
  p.xml = r.xml;
  for (const auto& d : r.diagnostics.diagnostics()) {
    const long line = d.line == 0 ? 0 : static_cast<long>(d.line) - header_lines;
    p.diagnostics.push_back(
        found(line, static_cast<long>(d.column), teikit::to_string(d.severity), d.code, d.message));
  }
  return p;
}

// Runs `argv` with standard output and error to files; returns the exit status (-1: not run).
int run_process(std::vector<std::string> argv, const fs::path& out, const fs::path& err) {
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (!std::freopen(out.c_str(), "w", stdout) || !std::freopen(err.c_str(), "w", stderr))
      _exit(126);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Produced run_executable(const SpecExample& ex, const std::string& name, int header_lines) {
  Produced p;
  const fs::path dir = fs::temp_directory_path() /
                       ("teikit-spec-" + std::to_string(getpid()) + "-" + name);
  fs::create_directories(dir);
  const fs::path input = dir / (name + ".txt");
  std::ofstream(input, std::ios::binary) << ex.header << ex.input;
  std::vector<std::string> argv{TEIKIT_SPEC_BINARY, "convert"};
  if (auto it = ex.options.find("from"); it != ex.options.end())
    argv.insert(argv.end(), {"--from", it->second});
  if (auto it = ex.options.find("profile"); it != ex.options.end()) {
    const bool file = it->second.size() > 4 &&
                      it->second.compare(it->second.size() - 4, 4, ".xml") == 0;
    argv.insert(argv.end(), {"--profile", file ? profile_path(ex, it->second) : it->second});
  }
  // The file name as the library run sees it, so the diagnostics name the same file.
  argv.insert(argv.end(), {input.string(), "-o", "-"});
  if (::access(TEIKIT_SPEC_BINARY, X_OK) != 0) {
    fs::remove_all(dir);
    p.error = std::string("no installed teikit at ") + TEIKIT_SPEC_BINARY +
              " (ctest installs it first: fixture staged_install)";
    return p;
  }
  const int code = run_process(argv, dir / "out.xml", dir / "err.txt");
  p.xml = slurp(dir / "out.xml");
  const std::string err = slurp(dir / "err.txt");
  fs::remove_all(dir);
  if (code != 0 && code != 2) {
    p.error = "exit " + std::to_string(code) + ": " + err;
    return p;
  }
  // file:line:col: severity: message [code] (ENCODING.md diagnostics, print_text).
  static const std::regex line_re(
      R"(^[^\n]*?(?::(\d+)(?::(\d+))?)?: (error|warning|note): (.*) \[([^\]\n]+)\]$)");
  std::istringstream lines(err);
  std::string l;
  while (std::getline(lines, l)) {
    std::smatch m;
    if (!std::regex_match(l, m, line_re)) {
      p.error = "a diagnostic line that is not file:line:col: severity: message [code]: " + l;
      return p;
    }
    const long line = m[1].matched ? std::stol(m[1]) - header_lines : 0;
    const long column = m[2].matched ? std::stol(m[2]) : 0;
    p.diagnostics.push_back(found(line, column, m[3], m[5], m[4]));
  }
  return p;
}

class SpecTest : public testing::Test {
 public:
  SpecTest(SpecExample example, bool executable)
      : ex_(std::move(example)), executable_(executable) {}

  void TestBody() override {
    if (!ex_.known_failure.empty())
      GTEST_SKIP() << ex_.file_name << ":" << ex_.line << ": " << ex_.section
                   << ": known failure: " << ex_.known_failure;
    const std::string where = ex_.file + ":" + std::to_string(ex_.line) + ": example " +
                              std::to_string(ex_.number) + " (" + ex_.section + ")";
    if (const std::string bad = unknown_options(ex_.options); !bad.empty())
      FAIL() << where << ": unknown spec options:" << bad;
    if (!ex_.has_tei && ex_.tei_header.empty() && ex_.diagnostics.empty())
      FAIL() << where << ": an example without a ```tei```, ```tei-header``` or ```diagnostics``` "
                         "block checks nothing";

    const int header_lines = count_lines(ex_.header);
    const std::string name =
        fs::path(ex_.file_name).stem().string() + "-" + std::to_string(ex_.number);
    const Produced r = executable_ ? run_executable(ex_, name, header_lines)
                                   : run_library(ex_, name, header_lines);
    if (!r.error.empty()) FAIL() << where << ": " << r.error;

    if (ex_.has_tei) {
      const std::string want = normalise(ex_.tei);
      const std::string got = normalise(element_text(r.xml, "body"));
      if (want != got)
        ADD_FAILURE_AT(ex_.file.c_str(), ex_.line)
            << where << "\n  <body> differs (- expected, + produced):\n"
            << line_diff(diff_lines(want), diff_lines(got));
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
    for (const auto& d : r.diagnostics) {
      actual_list.push_back(d.text);
      if (d.note && actual[d.key] >= expected[d.key]) continue;
      ++actual[d.key];
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
  bool executable_;
};

// A test name from the file, the example's number and its section:
// "brackets.md", 3, "Omission: `[. . .]` (spaced dots)" → "brackets_003_omission_spaced_dots".
std::string test_name(const SpecExample& ex) {
  std::string n = fs::path(ex.file_name).stem().string();
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  char number[8];
  std::snprintf(number, sizeof number, "_%03d_", ex.number);
  n += number;
  std::string slug;
  for (char c : ex.section) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      slug += static_cast<char>(std::tolower(u));
    } else if (!slug.empty() && slug.back() != '_') {
      slug += '_';
    }
    if (slug.size() >= 48) break;
  }
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  return n + (slug.empty() ? "example" : slug);
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
      testing::RegisterTest("SpecLibrary", "NoSpecFiles", nullptr, nullptr, __FILE__, __LINE__,
                            [d]() -> SpecTest* {
                              SpecExample ex;
                              ex.file_name = d;
                              ex.section = "no spec files found in " + d;
                              return new SpecTest(ex, false);
                            });
      return;
    }
    for (const auto& file : files) {
      for (auto& ex : parse_spec(file)) {
        const std::string name = test_name(ex);
        const std::string path = ex.file;
        const int line = ex.line;
        testing::RegisterTest("SpecLibrary", name.c_str(), nullptr, nullptr, path.c_str(), line,
                              [ex]() -> SpecTest* { return new SpecTest(ex, false); });
        testing::RegisterTest("SpecExecutable", name.c_str(), nullptr, nullptr, path.c_str(),
                              line, [ex]() -> SpecTest* { return new SpecTest(ex, true); });
      }
    }
  }
};

const SpecRegistrar registrar;

}  // namespace
