// Rendering: each document to HTML with the project stylesheet compiled once (parse for
// reading, then the transformation, as `teikit render --to html` does), and the edition index
// of a folder of N documents (write_edition_index: corpus.xml and index.html), and of a tree of
// N documents in folders of 100 (write_tree_index, what `teikit build` writes).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "inputs.hpp"
#include "stages.hpp"
#include "teikit/base/xml.hpp"
#include "teikit/render/edition_index.hpp"
#include "teikit/render/transform.hpp"

namespace teikit::bench {

namespace {

namespace fs = std::filesystem;

void html(benchmark::State& state, const std::string& which) {
  static std::unique_ptr<Stylesheet> sheet;
  if (!sheet) sheet = std::make_unique<Stylesheet>(stylesheet_dir() + "/tei-to-html.xsl");
  if (!sheet->valid()) {
    fail(state, sheet->error());
    return;
  }
  std::vector<std::string> docs;
  if (which == "each") {
    for (const auto& d : inputs().tei) docs.push_back(d.bytes);
  } else {
    for (std::size_t size : inputs().sizes)
      if (size_label(size) == which) docs.push_back(tei_of_size(size));
  }
  std::size_t bytes = 0, out = 0, failed = 0;
  for (const auto& d : docs) bytes += d.size();
  const std::map<std::string, std::string> params;
  for (auto _ : state) {
    state.PauseTiming();  // the parse consumes its bytes: a fresh copy each round, not timed
    std::vector<std::string> copies = docs;
    state.ResumeTiming();
    out = failed = 0;
    for (auto& c : copies) {
      std::string error;
      xml::DocPtr doc = xml::parse_memory_for_reading(c, "bench.xml", error);
      const ByteSink sink = [&out](const char*, std::size_t n) {
        out += n;
        return true;
      };
      if (!doc || !sheet->apply_to(doc.get(), params, sink, error)) ++failed;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * docs.size()));
  state.counters["html_bytes"] = static_cast<double>(out);
  if (failed > 0) fail(state, std::to_string(failed) + " document(s) did not render");
}

// N converted transcriptions (in turn) written below a scratch directory: flat, or in folders
// of 100 (`tree`). Returns the directory and fills `files` with the relative paths.
// Made once per (n, tree): Google Benchmark calls a benchmark several times.
std::string edition(std::size_t n, bool tree, std::vector<TreeDocument>& files) {
  static std::map<std::pair<std::size_t, bool>, std::pair<std::string, std::vector<TreeDocument>>> made;
  if (auto it = made.find({n, tree}); it != made.end()) {
    files = it->second.second;
    return it->second.first;
  }
  const auto& tei = inputs().tei;
  const std::string dir = scratch_dir(tree ? "tree" : "flat");
  for (std::size_t i = 0; i < n; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "doc%06zu.xml", i);
    std::string rel = name;
    if (tree) {
      char folder[32];
      std::snprintf(folder, sizeof folder, "f%04zu", i / 100);
      fs::create_directories(fs::path(dir) / folder);
      rel = std::string(folder) + "/" + name;
    }
    std::ofstream(fs::path(dir) / rel, std::ios::binary) << tei[i % tei.size()].bytes;
    files.push_back({rel, false});
  }
  made[{n, tree}] = {dir, files};
  return dir;
}

void index_flat(benchmark::State& state, std::size_t n) {
  std::vector<TreeDocument> files;
  const std::string dir = edition(n, false, files);
  const EditionIndexOptions options;
  for (auto _ : state) {
    EditionIndexResult r = write_edition_index(dir, options);
    if (!r.ok) {
      fail(state, r.error);
      break;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}

void index_tree(benchmark::State& state, std::size_t n) {
  std::vector<TreeDocument> files;
  const std::string dir = edition(n, true, files);
  const EditionIndexOptions options;
  for (auto _ : state) {
    EditionIndexResult r = write_tree_index(dir, files, options);
    if (!r.ok) {
      fail(state, r.error);
      break;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}

}  // namespace

void register_render_stages() {
  benchmark::RegisterBenchmark("render/html/each", html, std::string("each"))
      ->Unit(benchmark::kMillisecond);
  for (std::size_t size : inputs().sizes)
    benchmark::RegisterBenchmark(("render/html/" + size_label(size)).c_str(), html, size_label(size))
        ->Unit(benchmark::kMillisecond);
  for (std::size_t n : inputs().collections) {
    benchmark::RegisterBenchmark(("render/edition_index/" + std::to_string(n)).c_str(), index_flat, n)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("render/tree_index/" + std::to_string(n)).c_str(), index_tree, n)
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace teikit::bench
