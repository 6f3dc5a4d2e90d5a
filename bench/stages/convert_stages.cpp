// The conversion's stages, each on its own, on single documents of the sizes asked for, and the
// whole conversion on those and on every transcription one by one. Only the public headers of
// converter/include/teikit/convert/ are used; each stage gets the input the stage before it
// makes, prepared before the clock starts.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "inputs.hpp"
#include "stages.hpp"
#include "teikit/base/diagnostics.hpp"
#include "teikit/base/source_text.hpp"
#include "teikit/convert/blocks.hpp"
#include "teikit/convert/brackets.hpp"
#include "teikit/convert/convert.hpp"
#include "teikit/convert/dates.hpp"
#include "teikit/convert/document.hpp"
#include "teikit/convert/header.hpp"
#include "teikit/convert/profile.hpp"
#include "teikit/convert/tei_writer.hpp"

namespace teikit::bench {

namespace {

// One document taken apart as the pipeline does: decoded, split into blocks, its header read,
// its text blocks' inline content parsed. Made once per size, outside the timings.
struct Prepared {
  std::string name;
  std::shared_ptr<const Profile> profile = default_profile();
  std::unique_ptr<SourceText> source;
  BlockList blocks;            // every block, the header's included (segment_blocks)
  std::size_t body_start = 0;  // the first block of the document text
  Header header;
  std::vector<Node> parsed;    // each text block's inline content ("#block" elements)
};

const Prepared& prepared(const std::string& name, const std::string& bytes) {
  static std::vector<std::unique_ptr<Prepared>> made;
  for (const auto& p : made)
    if (p->name == name) return *p;
  auto p = std::make_unique<Prepared>();
  p->name = name;
  DiagnosticSink sink;
  p->source = std::make_unique<SourceText>(name, bytes, sink);
  p->blocks = segment_blocks(*p->source, detect_flavour(*p->source), sink);
  BlockList copy = p->blocks;
  p->header = parse_header(*p->source, copy, p->body_start, sink, *p->profile);
  InlineContext ctx;
  ctx.profile = p->profile.get();
  for (std::size_t i = p->body_start; i < p->blocks.size(); ++i) {
    Node block = Node::make_element("#block");
    parse_inlines(*p->source, p->blocks[i], ctx, block, sink);
    p->parsed.push_back(std::move(block));
  }
  made.push_back(std::move(p));
  return *made.back();
}

// The body of a prepared document as the writer gets it: one div of paragraphs.
Node body_div(const Prepared& p) {
  Node div = Node::make_element("div");
  div.set("type", "document");
  for (const auto& b : p.parsed) {
    Node para = Node::make_element("p");
    para.children = b.children;
    div.append(std::move(para));
  }
  return div;
}

void set_rates(benchmark::State& state, std::size_t bytes, std::size_t items) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * items));
}

std::string doc_name(std::size_t size) { return "bench-" + size_label(size) + ".txt"; }

// ---- the stages on one document of `size` bytes -------------------------------------------

void source_nfc(benchmark::State& state, std::size_t size) {
  const std::string& bytes = document_of_size(size);
  for (auto _ : state) {
    DiagnosticSink sink;
    SourceText source(doc_name(size), bytes, sink);
    benchmark::DoNotOptimize(source.text().data());
  }
  set_rates(state, bytes.size(), 1);
}

void blocks(benchmark::State& state, std::size_t size, Flavour flavour) {
  const std::string& bytes = document_of_size(size);
  const Prepared& p = prepared(doc_name(size), bytes);
  std::size_t n = 0;
  for (auto _ : state) {
    DiagnosticSink sink;
    auto b = segment_blocks(*p.source, flavour, sink);
    n = b.size();
    benchmark::DoNotOptimize(n);
  }
  set_rates(state, bytes.size(), n);
  state.counters["blocks"] = static_cast<double>(n);
}

void inlines(benchmark::State& state, std::size_t size) {
  const std::string& bytes = document_of_size(size);
  const Prepared& p = prepared(doc_name(size), bytes);
  InlineContext ctx;
  ctx.profile = p.profile.get();
  std::size_t text = 0;
  for (std::size_t i = p.body_start; i < p.blocks.size(); ++i) text += p.blocks[i].text.size();
  for (auto _ : state) {
    DiagnosticSink sink;
    for (std::size_t i = p.body_start; i < p.blocks.size(); ++i) {
      Node block = Node::make_element("#block");
      parse_inlines(*p.source, p.blocks[i], ctx, block, sink);
      benchmark::DoNotOptimize(block.children.data());
    }
  }
  set_rates(state, text, p.blocks.size() - p.body_start);
}

void dates(benchmark::State& state, std::size_t size) {
  const std::string& bytes = document_of_size(size);
  const Prepared& p = prepared(doc_name(size), bytes);
  std::size_t text = 0;
  for (std::size_t i = p.body_start; i < p.blocks.size(); ++i) text += p.blocks[i].text.size();
  for (auto _ : state) {
    // mark_dates changes the tree: each round works on a fresh copy, not timed.
    state.PauseTiming();
    std::vector<Node> parsed = p.parsed;
    state.ResumeTiming();
    DateContext ctx;
    ctx.document = p.header.date;
    ctx.profile = p.profile.get();
    for (auto& block : parsed) mark_dates(block, ctx);
    benchmark::DoNotOptimize(parsed.data());
  }
  set_rates(state, text, p.parsed.size());
}

void write_body(benchmark::State& state, std::size_t size) {
  const Prepared& p = prepared(doc_name(size), document_of_size(size));
  const Node div = body_div(p);
  std::size_t out_size = 0;
  for (auto _ : state) {
    std::string out;
    std::vector<Span> spans;
    write_xml(div, 3, true, out, &spans);
    out_size = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  // Bytes of TEI written per second (the body's serialisation).
  set_rates(state, out_size, p.parsed.size());
  state.counters["out_bytes"] = static_cast<double>(out_size);
}

void write_document(benchmark::State& state, std::size_t size) {
  const Prepared& p = prepared(doc_name(size), document_of_size(size));
  std::string serialised;
  write_xml(body_div(p), 3, true, serialised);
  // write_tei takes the body in pieces of about 1 MiB, as the body writer makes them.
  std::vector<std::string> pieces;
  for (std::size_t at = 0; at < serialised.size(); at += std::size_t{1} << 20)
    pieces.push_back(serialised.substr(at, std::size_t{1} << 20));
  std::size_t out_size = 0;
  for (auto _ : state) {
    state.PauseTiming();  // write_tei releases the pieces it copies: a fresh set each round
    std::vector<std::string> body = pieces;
    TeiInput input;
    input.header = &p.header;
    input.profile = p.profile.get();
    input.publication.edition_id = "bench";
    state.ResumeTiming();
    std::string tei = write_tei(input, body);
    out_size = tei.size();
    benchmark::DoNotOptimize(tei.data());
  }
  set_rates(state, out_size, 1);
}

void convert_one(benchmark::State& state, std::size_t size, bool spans) {
  const std::string& bytes = document_of_size(size);
  ConvertOptions options;
  options.element_spans = spans;
  for (auto _ : state) {
    ConvertResult r = convert(doc_name(size), bytes, options);
    benchmark::DoNotOptimize(r.xml.data());
  }
  set_rates(state, bytes.size(), 1);
}

// ---- per transcription (the collection of small documents) --------------------------------

void header_each(benchmark::State& state) {
  const auto& docs = inputs().transcriptions;
  std::vector<const Prepared*> all;
  std::size_t bytes = 0;
  for (const auto& d : docs) {
    all.push_back(&prepared(d.name, d.bytes));
    bytes += d.bytes.size();
  }
  const auto profile = default_profile();
  for (auto _ : state) {
    // parse_header moves the header's values out of the blocks: a copy of the blocks it reads
    // (the header's and the first of the text) for every document, not timed.
    state.PauseTiming();
    std::vector<BlockList> copies(all.size());
    for (std::size_t i = 0; i < all.size(); ++i)
      for (std::size_t k = 0; k < std::min(all[i]->blocks.size(), all[i]->body_start + 1); ++k)
        copies[i].push_back(all[i]->blocks[k]);
    state.ResumeTiming();
    for (std::size_t i = 0; i < all.size(); ++i) {
      DiagnosticSink sink;
      std::size_t start = 0;
      Header h = parse_header(*all[i]->source, copies[i], start, sink, *profile);
      benchmark::DoNotOptimize(h.title.data());
    }
  }
  set_rates(state, bytes, all.size());
}

void convert_each(benchmark::State& state) {
  const auto& docs = inputs().transcriptions;
  std::size_t bytes = 0;
  for (const auto& d : docs) bytes += d.bytes.size();
  ConvertOptions options;
  options.element_spans = false;
  for (auto _ : state) {
    for (const auto& d : docs) {
      ConvertResult r = convert(d.name, d.bytes, options);
      benchmark::DoNotOptimize(r.xml.data());
    }
  }
  set_rates(state, bytes, docs.size());
}

}  // namespace

void register_convert_stages() {
  for (std::size_t size : inputs().sizes) {
    const std::string s = "/" + size_label(size);
    auto ms = [](benchmark::internal::Benchmark* b) { b->Unit(benchmark::kMillisecond); };
    ms(benchmark::RegisterBenchmark(("convert/source_nfc" + s).c_str(), source_nfc, size));
    ms(benchmark::RegisterBenchmark(("convert/blocks_plain" + s).c_str(), blocks, size, Flavour::Plain));
    ms(benchmark::RegisterBenchmark(("convert/blocks_markdown" + s).c_str(), blocks, size,
                                    Flavour::Markdown));
    ms(benchmark::RegisterBenchmark(("convert/inlines" + s).c_str(), inlines, size));
    ms(benchmark::RegisterBenchmark(("convert/dates" + s).c_str(), dates, size));
    ms(benchmark::RegisterBenchmark(("convert/write_body" + s).c_str(), write_body, size));
    ms(benchmark::RegisterBenchmark(("convert/write_tei" + s).c_str(), write_document, size));
    ms(benchmark::RegisterBenchmark(("convert/whole" + s).c_str(), convert_one, size, false));
    ms(benchmark::RegisterBenchmark(("convert/whole_spans" + s).c_str(), convert_one, size, true));
  }
  benchmark::RegisterBenchmark("convert/header/each", header_each)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("convert/whole/each", convert_each)->Unit(benchmark::kMillisecond);
}

}  // namespace teikit::bench
