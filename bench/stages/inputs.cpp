#include "inputs.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "teikit/convert/convert.hpp"

namespace teikit::bench {

namespace fs = std::filesystem;

namespace {

std::vector<std::string>& scratch_dirs() {
  static std::vector<std::string> dirs;
  return dirs;
}

}  // namespace

const std::string& document_of_size(std::size_t size) {
  static std::map<std::size_t, std::string> made;
  auto it = made.find(size);
  if (it != made.end()) return it->second;
  const auto& docs = inputs().transcriptions;
  std::string text;
  text.reserve(size + 1);
  // The crlf-bom sample would put a byte order mark and CRs in the middle of the text: the
  // reader's replacement path, not what a long transcription looks like.
  while (text.size() < size) {
    for (const auto& d : docs) {
      if (d.name.find("crlf-bom") != std::string::npos) continue;
      text += d.bytes;
      text += "\n\n";
      if (text.size() >= size) break;
    }
  }
  // Cut at a blank line so that no bracket or word is cut in two.
  if (std::size_t cut = text.rfind("\n\n", size); cut != std::string::npos && cut > 0)
    text.resize(cut + 1);
  return made.emplace(size, std::move(text)).first->second;
}

const std::string& tei_of_size(std::size_t size) {
  static std::map<std::size_t, std::string> made;
  auto it = made.find(size);
  if (it != made.end()) return it->second;
  ConvertOptions options;
  options.element_spans = false;
  std::string tei = convert("bench-" + size_label(size) + ".txt", document_of_size(size), options).xml;
  return made.emplace(size, std::move(tei)).first->second;
}

std::string size_label(std::size_t size) {
  auto fmt = [](double v, const char* unit) {
    std::ostringstream s;
    s << v << unit;
    return s.str();
  };
  if (size >= (1u << 20) && size % (1u << 20) == 0) return fmt(double(size >> 20), "M");
  if (size >= (1u << 20)) return fmt(double(size) / (1 << 20), "M");
  if (size >= 1024 && size % 1024 == 0) return fmt(double(size >> 10), "K");
  return std::to_string(size);
}

std::size_t parse_size(const std::string& text) {
  if (text.empty()) return 0;
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    return 0;
  }
  const std::string unit = text.substr(used);
  double scale = 1;
  if (unit == "K" || unit == "k" || unit == "KB") scale = 1024;
  else if (unit == "M" || unit == "m" || unit == "MB") scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "g" || unit == "GB") scale = 1024.0 * 1024 * 1024;
  else if (!unit.empty()) return 0;
  return v > 0 ? static_cast<std::size_t>(v * scale) : 0;
}

std::string scratch_dir(const std::string& stem) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/teikit-bench-" + stem + ".XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) throw std::runtime_error("cannot make a directory like " + pattern);
  scratch_dirs().emplace_back(buf.data());
  return scratch_dirs().back();
}

namespace {
std::size_t g_failures = 0;
}  // namespace

void fail(benchmark::State& state, const std::string& why) {
  ++g_failures;
  state.SkipWithError(why.c_str());
}

std::size_t failures() { return g_failures; }

void remove_scratch_dirs() {
  for (const auto& d : scratch_dirs()) {
    std::error_code ec;
    fs::remove_all(d, ec);
  }
  scratch_dirs().clear();
}

}  // namespace teikit::bench
