// Validation, one document at a time with the schema compiled once: the project schema with its
// Schematron rules (DocumentValidator, what `teikit build` does per document), and tei_all.rng
// pruned to the names of all the benchmark's documents and compiled once (what `teikit validate
// --schema tei_all.rng` does for a collection), then each document parsed and validated. The
// compilation of the pruned tei_all has a benchmark of its own.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "inputs.hpp"
#include "stages.hpp"
#include "teikit/base/xml.hpp"
#include "teikit/validate/rng_prune.hpp"
#include "teikit/validate/validate.hpp"
#include "teikit/validate/validation_job.hpp"

namespace teikit::bench {

namespace {

// The documents of the validation benchmarks: every converted transcription, and the TEI of
// each single-document size.
std::vector<const Document*> documents_of(const std::string& which) {
  std::vector<const Document*> out;
  if (which == "each") {
    for (const auto& d : inputs().tei) out.push_back(&d);
  } else {
    static std::vector<std::unique_ptr<Document>> sized;
    for (std::size_t size : inputs().sizes)
      if (size_label(size) == which) {
        sized.push_back(std::make_unique<Document>(Document{"bench-" + which + ".xml", tei_of_size(size)}));
        out.push_back(sized.back().get());
      }
  }
  return out;
}

void set_rates(benchmark::State& state, const std::vector<const Document*>& docs) {
  std::size_t bytes = 0;
  for (const Document* d : docs) bytes += d->bytes.size();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * docs.size()));
}

// Validates every document of `docs` once per iteration with `is_valid`, and sets the rates.
// A benchmark of documents that are not valid would measure the error paths: the count of
// invalid ones is shown beside the figures.
template <class IsValid>
void time_verdicts(benchmark::State& state, const std::vector<const Document*>& docs,
                   IsValid is_valid) {
  std::size_t invalid = 0;
  for (auto _ : state) {
    invalid = 0;
    for (const Document* d : docs)
      if (!is_valid(*d)) ++invalid;
  }
  set_rates(state, docs);
  state.counters["invalid"] = static_cast<double>(invalid);
}

void project_schema(benchmark::State& state, const std::string& which) {
  static std::unique_ptr<DocumentValidator> validator;
  if (!validator) {
    ValidationOptions options;
    options.schema_path = project_schema_path();
    options.rules_path = project_rules_path();
    validator = std::make_unique<DocumentValidator>(options);
  }
  if (!validator->ok()) {
    fail(state, "project schema: " + validator->error());
    return;
  }
  time_verdicts(state, documents_of(which), [](const Document& d) {
    ValidationInput input;
    input.name = d.name;
    input.bytes = d.bytes;
    return validator->validate(input).verdict == Verdict::Valid;
  });
}

// tei_all.rng pruned to the names of every document of the benchmarks (converted
// transcriptions and sized documents): one grammar for all, as one `validate` run makes it.
struct TeiAll {
  xml::DocPtr grammar;  // the whole grammar as read
  NameSet names;
  std::unique_ptr<RelaxNgSchema> schema;
  std::string error;
};

TeiAll& tei_all() {
  static TeiAll t;
  if (t.grammar || !t.error.empty()) return t;
  t.grammar = read_grammar(inputs().tei_all, t.error);
  if (!t.grammar) return t;
  std::vector<const Document*> all = documents_of("each");
  for (std::size_t size : inputs().sizes)
    for (const Document* d : documents_of(size_label(size))) all.push_back(d);
  for (const Document* d : all) {
    std::string error;
    if (xml::DocPtr doc = xml::parse_memory(d->bytes, d->name, error)) t.names.add_document(doc.get());
  }
  xml::DocPtr pruned = prune_grammar(t.grammar.get(), t.names);
  t.schema = std::make_unique<RelaxNgSchema>(pruned.get());
  if (!t.schema->valid()) t.error = "tei_all.rng (pruned) did not compile: " + t.schema->error();
  return t;
}

void tei_all_documents(benchmark::State& state, const std::string& which) {
  TeiAll& t = tei_all();
  if (!t.schema || !t.schema->valid()) {
    fail(state, t.error);
    return;
  }
  time_verdicts(state, documents_of(which), [&t](const Document& d) {
    std::string error;
    xml::DocPtr doc = xml::parse_memory(d.bytes, d.name, error);
    std::vector<ValidityError> errors;
    return doc && t.schema->validate(doc.get(), errors);
  });
}

void tei_all_compile(benchmark::State& state) {
  TeiAll& t = tei_all();
  if (!t.grammar) {
    fail(state, t.error);
    return;
  }
  for (auto _ : state) {
    PruneStats stats;
    xml::DocPtr pruned = prune_grammar(t.grammar.get(), t.names, &stats);
    RelaxNgSchema schema(pruned.get());
    benchmark::DoNotOptimize(schema.valid());
    state.counters["elements_kept"] = static_cast<double>(stats.elements_kept);
  }
}

}  // namespace

void register_validate_stages() {
  std::vector<std::string> sets = {"each"};
  for (std::size_t size : inputs().sizes) sets.push_back(size_label(size));
  for (const auto& s : sets)
    benchmark::RegisterBenchmark(("validate/project/" + s).c_str(), project_schema, s)
        ->Unit(benchmark::kMillisecond);
  if (inputs().tei_all.empty()) return;  // main() said why
  benchmark::RegisterBenchmark("validate/tei_all_prune_compile", tei_all_compile)
      ->Unit(benchmark::kMillisecond);
  for (const auto& s : sets)
    benchmark::RegisterBenchmark(("validate/tei_all/" + s).c_str(), tei_all_documents, s)
        ->Unit(benchmark::kMillisecond);
}

}  // namespace teikit::bench
