// teikit_bench: Google Benchmark over the stages of teikit (README.md, Benchmarks). Options of its
// own, before Google Benchmark's (--benchmark_filter, --benchmark_min_time, …):
//   --sizes=16K,1M,10M      sizes of the single documents (default 64K,1M,10M)
//   --collections=100,1000  documents of the edition-index benchmarks (default 100,1000)
// The inputs come from samples/ and, when $TEIKIT_SHARED names the shared folder, from its
// corpus; without it the tei_all benchmarks are left out, with a message on stderr.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "inputs.hpp"
#include "stages.hpp"
#include "teikit/convert/convert.hpp"

namespace teikit::bench {

namespace fs = std::filesystem;

namespace {

Inputs g_inputs;

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The transcriptions (.txt, .md) directly in `dir`, sorted by name, each named PREFIX + its
// file name (the corpora's folders hold the same file names: 001.txt).
void add_transcriptions(const fs::path& dir, const std::string& prefix, std::vector<Document>& out) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".txt" || ext == ".md")) found.push_back(e.path());
  }
  std::sort(found.begin(), found.end());
  for (const auto& p : found) out.push_back({prefix + p.filename().string(), read_all(p)});
}

// Reads "--name=value" out of argv (removing it, so Google Benchmark does not see it).
bool take_flag(int& argc, char** argv, const char* name, std::string& value) {
  const std::size_t n = std::strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') {
      value = argv[i] + n + 1;
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      return true;
    }
  }
  return false;
}

bool parse_list(const std::string& text, std::vector<std::size_t>& out, bool sizes) {
  out.clear();
  std::istringstream s(text);
  std::string item;
  while (std::getline(s, item, ',')) {
    std::size_t v = 0;
    if (sizes) {
      v = parse_size(item);
    } else {
      try {
        v = std::stoul(item);
      } catch (const std::exception&) {
        v = 0;
      }
    }
    if (v == 0) return false;
    out.push_back(v);
  }
  return !out.empty();
}

}  // namespace

const Inputs& inputs() { return g_inputs; }

}  // namespace teikit::bench

int main(int argc, char** argv) {
  using namespace teikit::bench;
  namespace fs = std::filesystem;
  std::string sizes = "64K,1M,10M", collections = "100,1000";
  take_flag(argc, argv, "--sizes", sizes);
  take_flag(argc, argv, "--collections", collections);
  if (!parse_list(sizes, g_inputs.sizes, true)) {
    std::cerr << "teikit_bench: --sizes wants sizes such as 16K,1M,10M\n";
    return 1;
  }
  if (!parse_list(collections, g_inputs.collections, false)) {
    std::cerr << "teikit_bench: --collections wants numbers of documents such as 100,1000\n";
    return 1;
  }

  g_inputs.source_dir = TEIKIT_SOURCE_DIR;
  add_transcriptions(fs::path(g_inputs.source_dir) / "samples", "", g_inputs.transcriptions);
  const std::size_t from_samples = g_inputs.transcriptions.size();
  if (const char* shared = std::getenv("TEIKIT_SHARED"); shared && fs::is_directory(shared)) {
    g_inputs.shared_dir = shared;
    std::error_code ec;
    std::vector<fs::path> corpora;
    for (const auto& e : fs::directory_iterator(fs::path(shared) / "corpus", ec))
      if (e.is_directory()) corpora.push_back(e.path());
    std::sort(corpora.begin(), corpora.end());
    for (const auto& c : corpora)
      add_transcriptions(c, c.filename().string() + "-", g_inputs.transcriptions);
    const fs::path tei_all = fs::path(shared) / "tei-schemas" / "tei_all.rng";
    if (fs::is_regular_file(tei_all)) g_inputs.tei_all = tei_all.string();
    else std::cerr << "teikit_bench: " << tei_all.string() << " is absent: tei_all benchmarks skipped\n";
  } else {
    std::cerr << "teikit_bench: TEIKIT_SHARED is not set (or not a directory): inputs from samples/ "
                 "only, tei_all benchmarks skipped\n";
  }
  if (g_inputs.transcriptions.empty()) {
    std::cerr << "teikit_bench: no transcriptions in " << g_inputs.source_dir << "/samples\n";
    return 1;
  }
  std::size_t total = 0;
  teikit::ConvertOptions options;
  options.element_spans = false;
  for (const auto& d : g_inputs.transcriptions) {
    total += d.bytes.size();
    std::string stem = d.name.substr(0, d.name.rfind('.'));
    g_inputs.tei.push_back({stem + ".xml", teikit::convert(d.name, d.bytes, options).xml});
  }
  std::cerr << "teikit_bench: " << g_inputs.transcriptions.size() << " transcriptions ("
            << from_samples << " from samples/), " << total << " bytes; single documents of "
            << sizes << "; editions of " << collections << " documents\n";

  register_convert_stages();
  register_validate_stages();
  register_render_stages();

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  remove_scratch_dirs();
  if (failures() > 0) {
    std::cerr << "teikit_bench: " << failures() << " benchmark(s) could not run\n";
    return 1;
  }
  return 0;
}
