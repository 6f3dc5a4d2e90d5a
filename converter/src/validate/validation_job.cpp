// The validation job: compile the schema once, validate each document, localise the errors.
#include "teikit/validate/validation_job.hpp"

#include "error_report.hpp"

#include "teikit/base/file_io.hpp"

#include <sys/stat.h>

#include <libxml/parserInternals.h>
#include <libxml/xinclude.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <set>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "teikit/validate/schematron.hpp"
#include "teikit/validate/rng_check.hpp"
#include "teikit/validate/validate.hpp"

namespace teikit {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

const char* str(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

// ---------------------------------------------------------------------------------------------
// The child: compile, then validate each document.

struct Job {
  const std::vector<ValidationInput>& inputs;
  const std::vector<std::size_t>& indices;  // which of them this job does, in order
  const ValidationOptions& options;
  ValidationProgress& progress;
};

std::unique_ptr<XmlSource> read_source(const ValidationInput& in, const XmlReadOptions& options,
                                       std::uintmax_t max_size, std::string& error) {
  std::string bytes;
  if (!in.path.empty()) {
    if (!read_input(in.path, bytes, error, max_size)) return nullptr;
  } else {
    bytes = in.bytes;
  }
  return std::make_unique<XmlSource>(in.name, std::move(bytes), options);
}

// No verdict: memory ran out while reading or validating the document.
DocumentResult out_of_memory(const std::string& name) {
  DocumentResult r;
  r.name = name;
  r.verdict = Verdict::NotValidated;
  ValidationDiagnostic v;
  v.diagnostic.file = name;
  v.diagnostic.severity = Severity::Error;
  v.diagnostic.code = "out-of-memory";
  v.diagnostic.message = "out of memory while reading or validating this document";
  r.diagnostics.push_back(std::move(v));
  return r;
}

// Raw findings of libxml2 kept per document for `max_errors` diagnostics: a cascade gives
// several per fault ("extra content", "failed to validate content" of each ancestor), folded
// into one diagnostic by ErrorReport.
std::size_t raw_error_cap(std::size_t max_errors) {
  return max_errors ? 4 * max_errors + 64 : 0;
}

// The note that closes a document's diagnostics when some were left out (max_errors).
ValidationDiagnostic too_many_errors(const std::string& file, std::size_t max_errors,
                                     std::size_t omitted, std::size_t unexamined) {
  ValidationDiagnostic v;
  v.diagnostic.file = file;
  v.diagnostic.severity = Severity::Note;
  v.diagnostic.code = "too-many-errors";
  const std::string cap = "at most " + std::to_string(max_errors) + " per document; --max-errors";
  if (unexamined == 0) {
    v.diagnostic.message = std::to_string(omitted) + " more error" + (omitted == 1 ? "" : "s") +
                           " not shown (" + cap + ")";
  } else {
    v.diagnostic.message = "at least " + std::to_string(omitted) + " more errors not shown (" +
                           cap + "); " + std::to_string(unexamined) +
                           " further findings of the validator were not examined";
  }
  return v;
}

DocumentResult validate_one(const ValidationInput& in, const XmlSource* source,
                            const std::string& read_error, const RelaxNgSchema& schema,
                            const RuleSet* rules, ErrorReport& report, std::size_t max_errors) {
  DocumentResult r;
  r.name = in.name;
  xmlDoc* doc = in.doc ? in.doc : source && source->ok() ? source->doc() : nullptr;
  if (!doc) {
    ValidationDiagnostic v;
    v.diagnostic.file = in.name;
    v.diagnostic.severity = Severity::Error;
    if (source && source->out_of_memory()) return out_of_memory(in.name);
    if (!source) {
      v.diagnostic.code = "unreadable";
      v.diagnostic.message = read_error.rfind(in.name + ": ", 0) == 0
                                 ? read_error.substr(in.name.size() + 2)
                                 : read_error;
    } else {
      v.diagnostic.code = source->limit_exceeded() ? "document-too-complex" : "not-well-formed";
      v.diagnostic.line = source->error_line();
      std::string m = source->error();
      if (m.rfind("line ", 0) == 0 && m.find(": ") != std::string::npos)
        m = m.substr(m.find(": ") + 2);
      v.diagnostic.message = source->limit_exceeded() ? "refused before parsing: " + m
                                                      : "not well-formed XML: " + m;
    }
    r.verdict = Verdict::Unreadable;
    r.diagnostics.push_back(std::move(v));
    return r;
  }
  const Locator locator(in.name, in.doc ? nullptr : source, in.doc ? &in.locate : nullptr);
  std::vector<ValidityError> errors;
  std::size_t unexamined = 0;  // libxml2's findings past the cap, counted only
  bool valid = schema.validate(doc, errors, raw_error_cap(max_errors), unexamined);
  if (!valid && errors.empty()) {
    ValidityError e;  // libxml2 said no without saying why
    e.message = "the document does not match the schema";
    e.node = xmlDocGetRootElement(doc);
    errors.push_back(e);
  }
  if (std::any_of(errors.begin(), errors.end(), is_out_of_memory)) return out_of_memory(in.name);
  std::size_t omitted = 0;
  r.diagnostics = report.diagnostics(doc, errors, valid, locator, max_errors, omitted);
  if (rules) {
    NodePaths rule_paths;
    for (const RuleFinding& f : rules->check(doc)) {
      if (max_errors && r.diagnostics.size() >= max_errors) {
        valid = valid && f.warning;
        ++omitted;
        continue;
      }
      ValidationDiagnostic v;
      v.diagnostic.severity = f.warning ? Severity::Warning : Severity::Error;
      v.diagnostic.code = f.id;
      v.diagnostic.message = f.message;
      const xmlNode* element =
          f.node && f.node->type == XML_ATTRIBUTE_NODE ? f.node->parent : f.node;
      locator.place(v.diagnostic, element, element ? static_cast<int>(xmlGetLineNo(element)) : 0,
                    f.node && f.node->type == XML_ATTRIBUTE_NODE ? str(f.node->name) : "");
      v.path = rule_paths.of(f.node);
      valid = valid && f.warning;
      r.diagnostics.push_back(std::move(v));
    }
  }
  if (omitted || unexamined)
    r.diagnostics.push_back(too_many_errors(in.name, max_errors, omitted, unexamined));
  r.verdict = valid ? Verdict::Valid : Verdict::Invalid;
  return r;
}

// ---- pass 1: the names a document uses, without building its tree
//
// Pruning needs only the element and attribute names of the documents. Building each tree (and
// keeping trees between the passes, as this once did) made memory grow with the collection
// (10,000 documents: 630 MB); a SAX pass that only records names keeps one document's bytes at a
// time. The names must be exactly those NameSet::add_document() finds on the tree XmlSource
// builds, or the pruned grammar (and with it a diagnostic) could differ: where the tree can hold
// other names than the start tags (a document type declaration: entities, defaulted attributes;
// XInclude: included content, xi: elements replaced), or the document is not well-formed or
// too complex to parse, the scan gives up and the tree is built as before.

struct NameScan {
  std::vector<std::pair<std::string, std::string>> elements, attributes;  // (namespace, local)
  // The (namespace, local name) pointers already recorded. libxml2 hands names and namespace
  // URIs over from its dictionary, so a name seen again has the same pointers: it is recorded
  // once per document, not once per occurrence (a name not interned only costs a duplicate,
  // which NameSet drops).
  struct PointerPairHash {
    std::size_t operator()(const std::pair<const xmlChar*, const xmlChar*>& p) const {
      return std::hash<const void*>()(p.first) * 31 + std::hash<const void*>()(p.second);
    }
  };
  std::unordered_set<std::pair<const xmlChar*, const xmlChar*>, PointerPairHash> seen_elements,
      seen_attributes;
  bool needs_tree = false;
};

void scan_start(void* context, const xmlChar* localname, const xmlChar*, const xmlChar* uri, int,
                const xmlChar**, int nb_attributes, int, const xmlChar** attributes) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(context);
  auto* scan = static_cast<NameScan*>(ctxt->_private);
  if (uri && (xmlStrEqual(uri, XINCLUDE_NS) || xmlStrEqual(uri, XINCLUDE_OLD_NS))) {
    scan->needs_tree = true;
    xmlStopParser(ctxt);
    return;
  }
  try {
    if (scan->seen_elements.emplace(uri, localname).second)
      scan->elements.emplace_back(str(uri), str(localname));
    // attributes: nb_attributes × (localname, prefix, URI, value, end)
    for (int a = 0; a < nb_attributes; ++a)
      if (scan->seen_attributes.emplace(attributes[5 * a + 2], attributes[5 * a]).second)
        scan->attributes.emplace_back(str(attributes[5 * a + 2]), str(attributes[5 * a]));
  } catch (const std::bad_alloc&) {
    // No exception may cross libxml2's C frames: the tree is built instead (as for a document
    // the scan cannot read), where running out of memory is handled.
    scan->needs_tree = true;
    xmlStopParser(ctxt);
  }
}

void scan_subset(void* context, const xmlChar*, const xmlChar*, const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(context);
  static_cast<NameScan*>(ctxt->_private)->needs_tree = true;
  xmlStopParser(ctxt);
}

// Adds the names of `bytes` to `names` (under `lock`); false when only the tree can say (see
// above).
bool scan_names(const std::string& bytes, NameSet& names, std::mutex& lock) {
  if (bytes.empty() || bytes.size() > static_cast<std::size_t>(INT32_MAX)) return false;
  if (!check_xml_shape(bytes).empty()) return false;
  xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(bytes.data(), static_cast<int>(bytes.size()));
  if (!ctxt) return false;
  xmlCtxtUseOptions(ctxt, xml::safe_parse_options());
  auto* sax = static_cast<xmlSAXHandler*>(xmlMalloc(sizeof(xmlSAXHandler)));
  if (!sax) {
    xmlFreeParserCtxt(ctxt);
    return false;
  }
  std::memset(sax, 0, sizeof *sax);
  sax->initialized = XML_SAX2_MAGIC;
  sax->startElementNs = scan_start;
  sax->internalSubset = scan_subset;
  xmlFree(ctxt->sax);
  ctxt->sax = sax;
  ctxt->userData = ctxt;
  NameScan scan;
  ctxt->_private = &scan;
  xmlParseDocument(ctxt);
  const bool well_formed = ctxt->wellFormed != 0 && !scan.needs_tree;
  xmlFreeDoc(ctxt->myDoc);
  ctxt->myDoc = nullptr;
  xmlFreeParserCtxt(ctxt);
  if (!well_formed) return false;
  const std::lock_guard<std::mutex> guard(lock);
  for (const auto& [ns, local] : scan.elements) names.add_element(ns, local);
  for (const auto& [ns, local] : scan.attributes) names.add_attribute(ns, local);
  return true;
}

// How many threads validate at once: `jobs`, 0 meaning the machine's cores, never more than
// there are documents.
std::size_t worker_count(unsigned jobs, std::size_t documents) {
  std::size_t n = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(1, std::min(n, documents));
}

void run_job(const Job& job) {
  const auto& inputs = job.inputs;
  const auto& options = job.options;
  std::vector<std::string> read_errors(inputs.size());
  std::vector<char> read_failed(inputs.size(), 0);  // written by several threads: not bool
  // The bytes of inputs that cannot be read a second time (a FIFO, a device, a process
  // substitution), kept from pass 1 for pass 2; files are read again.
  std::vector<std::string> read_once(inputs.size());
  std::vector<char> has_read_once(inputs.size(), 0);
  NameSet names;
  std::mutex progress_mutex, names_mutex;
  // Runs `one(i)` on every document of the job, in this thread or in `workers` threads (each
  // with its own libxml2 error handlers), the next document going to the next free thread.
  auto for_each_document = [&](std::size_t workers, const auto& one) {
    if (workers <= 1) {
      for (std::size_t i : job.indices) one(i);
      return;
    }
    std::atomic<std::size_t> next{0};
    std::mutex failure_mutex;
    std::exception_ptr failure;  // the first exception of a thread, thrown again here
    auto work = [&] {
      try {
        const xml::SettingsScope thread_settings;
        for (std::size_t k; (k = next.fetch_add(1)) < job.indices.size();) one(job.indices[k]);
      } catch (...) {
        next = job.indices.size();  // the others stop after their current document
        const std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    };
    std::vector<std::thread> threads;
    try {
      for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work);
    } catch (const std::system_error&) {
      // No more threads to be had: the ones started and this one do the work.
    }
    work();
    for (auto& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);
  };
  const std::size_t workers = worker_count(options.jobs, job.indices.size());
  if (options.prune) {
    // Pass 1: the names the documents use decide what of the grammar is compiled. Nothing of a
    // document is kept: pass 2 reads it again.
    auto read_one = [&](std::size_t i) {
      if (inputs[i].doc) {
        const std::lock_guard<std::mutex> lock(names_mutex);
        names.add_document(inputs[i].doc);
        return;
      }
      {
        const std::lock_guard<std::mutex> lock(progress_mutex);
        job.progress.reading(i);  // the document's clock starts
      }
      try {
        std::string bytes;
        if (!inputs[i].path.empty()) {
          if (!read_input(inputs[i].path, bytes, read_errors[i], options.max_input_size)) {
            read_failed[i] = 1;
            return;
          }
          struct stat st;
          if (::stat(inputs[i].path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
            read_once[i] = bytes;
            has_read_once[i] = 1;
          }
        } else {
          bytes = inputs[i].bytes;
        }
        if (!options.read.xinclude && scan_names(bytes, names, names_mutex)) return;
        const XmlSource source(inputs[i].name, std::move(bytes), options.read);
        const std::lock_guard<std::mutex> lock(names_mutex);
        if (source.ok()) names.add_document(source.doc());
      } catch (const std::bad_alloc&) {
        // Read again in pass 2, where running out of memory again is that document's verdict.
      }
    };
    for_each_document(workers, [&](std::size_t i) {
      read_one(i);
      if (inputs[i].doc) return;
      const std::lock_guard<std::mutex> lock(progress_mutex);
      job.progress.read(i);  // its clock stops
    });
  }
  job.progress.compiling();
  const auto t0 = Clock::now();
  std::string error;
  xml::DocPtr grammar = read_grammar(options.schema_path, error);
  if (!grammar) {
    if (xml::parse_ran_out_of_memory(error))
      job.progress.out_of_memory(options.schema_path + ": out of memory while reading the schema");
    else
      job.progress.failed(options.schema_path + ": " + error);
    return;
  }
  // The grammar's correctness is checked whole, before pruning could hide an error in a part
  // the documents do not use, and in both modes, so that pruning never changes a verdict.
  if (GrammarError wrong; !check_grammar(grammar.get(), wrong)) {
    job.progress.failed(options.schema_path + ": schema did not compile: " +
           describe(wrong, str(grammar->URL)));
    return;
  }
  PruneStats stats;
  std::unique_ptr<RelaxNgSchema> schema;
  xml::DocPtr pruned;
  if (options.prune) {
    pruned = prune_grammar(grammar.get(), names, &stats);
    if (!pruned) {
      job.progress.out_of_memory(options.schema_path + ": out of memory while pruning the schema");
      return;
    }
    schema = std::make_unique<RelaxNgSchema>(pruned.get());
    if (!schema->valid() && !schema->out_of_memory()) {
      // The whole grammar passed check_grammar, yet libxml2 refuses the pruned one: its
      // interleave check (RELAX NG 7.4) can trip over a shape only pruning made, as it does on
      // the project schema for documents that use almost none of its elements. Pruning must
      // never change a verdict, so the whole grammar is compiled instead, as --no-prune does.
      pruned.reset();
      stats = PruneStats{};
      schema = std::make_unique<RelaxNgSchema>(with_resolved_hrefs(grammar.get()).get());
    }
  } else {
    // The whole grammar as read, hrefs resolved as RELAX NG 4.5 says (see with_resolved_hrefs).
    schema = std::make_unique<RelaxNgSchema>(with_resolved_hrefs(grammar.get()).get());
  }
  if (!schema->valid()) {
    if (schema->out_of_memory())
      job.progress.out_of_memory(schema->error());
    else
      job.progress.failed(schema->error());
    return;
  }
  std::unique_ptr<RuleSet> rules;
  if (!options.rules_path.empty()) {
    rules = std::make_unique<RuleSet>(options.rules_path);
    if (!rules->valid()) {
      if (rules->out_of_memory())
        job.progress.out_of_memory(options.rules_path + ": out of memory while reading the rules");
      else
        job.progress.failed("rules did not compile: " + rules->error());
      return;
    }
  }
  job.progress.compiled(seconds_since(t0), pruned != nullptr, stats);
  // Pass 2: each document read, validated and forgotten. With several workers, each thread has
  // its own validation context (RelaxNgSchema::validate makes one per call) over the one
  // compiled schema, and its own ErrorReport (the localiser keeps per-document state); what is
  // reported goes through one lock, in the order the documents finish (the supervisor and the
  // report builder put results back in input order by index).
  auto validate_index = [&](std::size_t i, ErrorReport& report) {
    {
      const std::lock_guard<std::mutex> lock(progress_mutex);
      job.progress.validating(i);  // the document's clock starts
    }
    const auto t = Clock::now();
    DocumentResult r;
    try {
      std::unique_ptr<XmlSource> source;
      if (has_read_once[i])
        source = std::make_unique<XmlSource>(inputs[i].name, std::move(read_once[i]), options.read);
      else if (!inputs[i].doc && !read_failed[i])
        source = read_source(inputs[i], options.read, options.max_input_size, read_errors[i]);
      r = validate_one(inputs[i], source.get(), read_errors[i], *schema, rules.get(), report,
                       options.max_errors);
    } catch (const std::bad_alloc&) {
      r = out_of_memory(inputs[i].name);  // what this document needed is released by now
    }
    r.seconds = seconds_since(t);
    const std::lock_guard<std::mutex> lock(progress_mutex);
    job.progress.document(i, std::move(r));
  };
  if (workers <= 1) {
    ErrorReport report(grammar.get(), pruned.get());
    for (std::size_t i : job.indices) validate_index(i, report);
    return;
  }
  // One ErrorReport per thread, made on the thread's first document.
  std::mutex reports_mutex;
  std::map<std::thread::id, std::unique_ptr<ErrorReport>> reports;
  for_each_document(workers, [&](std::size_t i) {
    ErrorReport* report = nullptr;
    {
      const std::lock_guard<std::mutex> lock(reports_mutex);
      auto& slot = reports[std::this_thread::get_id()];
      if (!slot) slot = std::make_unique<ErrorReport>(grammar.get(), pruned.get());
      report = slot.get();
    }
    validate_index(i, *report);
  });
}

}  // namespace

// Memory running out outside a document (compiling the schema) fails the schema.
void run_validation_job(const std::vector<ValidationInput>& inputs,
                        const std::vector<std::size_t>& indices, const ValidationOptions& options,
                        ValidationProgress& progress) {
  const xml::SettingsScope settings;
  const Job job{inputs, indices, options, progress};
  try {
    run_job(job);
  } catch (const std::bad_alloc&) {
    try {
      progress.out_of_memory(options.schema_path + ": out of memory while compiling the schema");
    } catch (const std::bad_alloc&) {
      progress.out_of_memory("out of memory");  // a literal's string: a few bytes
    }
  }
}

namespace {

// The report of a job run in this process, built from what it reports.
class ReportBuilder : public ValidationProgress {
 public:
  explicit ReportBuilder(const std::vector<ValidationInput>& inputs) : results_(inputs.size()) {}
  void failed(const std::string& why) override {
    failed_ = true;
    why_ = why;
  }
  void out_of_memory(const std::string& why) override {
    failed(why);
    out_of_memory_ = true;
  }
  void compiled(double seconds, bool pruned, const PruneStats& stats) override {
    compiled_ = true;
    seconds_ = seconds;
    pruned_ = pruned;
    stats_ = stats;
  }
  void document(std::size_t index, DocumentResult result) override {
    if (index < results_.size()) results_[index] = std::move(result);
  }
  ValidationReport report(const std::vector<ValidationInput>& inputs) {
    ValidationReport r;
    r.schema = compiled_ && !failed_ ? SchemaStatus::Compiled
               : out_of_memory_     ? SchemaStatus::OutOfMemory
                                    : SchemaStatus::Failed;
    r.schema_error = why_;
    r.compile_seconds = seconds_;
    r.pruned = pruned_;
    r.prune = stats_;
    collect_documents(r, inputs, results_);
    return r;
  }

 private:
  std::vector<std::optional<DocumentResult>> results_;
  bool failed_ = false, compiled_ = false, pruned_ = false, out_of_memory_ = false;
  std::string why_;
  double seconds_ = 0;
  PruneStats stats_;
};

}  // namespace

struct DocumentValidator::State {
  xml::DocPtr grammar;
  std::unique_ptr<RelaxNgSchema> schema;
  std::unique_ptr<RuleSet> rules;
  // The error reports keep caches: one per thread that validates, made on its first document.
  std::mutex reports_mutex;
  std::map<std::thread::id, std::unique_ptr<ErrorReport>> reports;
  ErrorReport& report() {
    const std::lock_guard<std::mutex> lock(reports_mutex);
    auto& slot = reports[std::this_thread::get_id()];
    if (!slot) slot = std::make_unique<ErrorReport>(grammar.get(), nullptr);
    return *slot;
  }
};

DocumentValidator::DocumentValidator(const ValidationOptions& options) : options_(options) {
  const xml::SettingsScope settings;
  const auto t0 = Clock::now();
  try {
    auto state = std::make_unique<State>();
    std::string why;
    state->grammar = read_grammar(options.schema_path, why);
    if (!state->grammar) {
      error_ = options.schema_path + ": " + why;
      return;
    }
    // As in a job: the grammar's correctness is checked before it is compiled.
    if (GrammarError wrong; !check_grammar(state->grammar.get(), wrong)) {
      error_ = options.schema_path + ": schema did not compile: " +
               describe(wrong, str(state->grammar->URL));
      return;
    }
    state->schema = std::make_unique<RelaxNgSchema>(with_resolved_hrefs(state->grammar.get()).get());
    if (!state->schema->valid()) {
      error_ = state->schema->error();
      return;
    }
    if (!options.rules_path.empty()) {
      state->rules = std::make_unique<RuleSet>(options.rules_path);
      if (!state->rules->valid()) {
        error_ = "rules did not compile: " + state->rules->error();
        return;
      }
    }
    state->report();  // the constructing thread's, made now (as before: no cost on a document)
    state_ = std::move(state);
  } catch (const std::bad_alloc&) {
    error_ = options.schema_path + ": schema did not compile: out of memory";
  }
  compile_seconds_ = seconds_since(t0);
}

DocumentValidator::~DocumentValidator() = default;

bool DocumentValidator::ok() const { return state_ != nullptr; }

DocumentResult DocumentValidator::validate(const ValidationInput& input) const {
  const xml::SettingsScope settings;
  const auto t = Clock::now();
  DocumentResult r;
  if (!state_) {
    r.name = input.name;
    r.verdict = Verdict::NotValidated;
    return r;
  }
  try {
    std::string read_error;
    std::unique_ptr<XmlSource> source;
    if (!input.doc)
      source = read_source(input, options_.read, options_.max_input_size, read_error);
    r = validate_one(input, source.get(), read_error, *state_->schema, state_->rules.get(),
                     state_->report(), options_.max_errors);
  } catch (const std::bad_alloc&) {
    r = out_of_memory(input.name);
  }
  r.seconds = seconds_since(t);
  return r;
}

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::Valid:
      return "valid";
    case Verdict::Invalid:
      return "invalid";
    case Verdict::Unreadable:
      return "unreadable";
    case Verdict::NotValidated:
      break;
  }
  return "not validated";
}

void collect_documents(ValidationReport& report, const std::vector<ValidationInput>& inputs,
                       std::vector<std::optional<DocumentResult>>& results) {
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (report.schema == SchemaStatus::Compiled && i < results.size() && results[i]) {
      report.documents.push_back(std::move(*results[i]));
    } else {
      DocumentResult d;
      d.name = inputs[i].name;
      d.verdict = Verdict::NotValidated;
      report.documents.push_back(std::move(d));
    }
  }
}

JobOutcome ValidationReport::outcome() const {
  // Nothing validated for want of memory is what a document's running out of memory is too.
  if (schema == SchemaStatus::OutOfMemory) return JobOutcome::SomeNotValidated;
  if (schema != SchemaStatus::Compiled) return JobOutcome::SchemaNotCompiled;
  JobOutcome worst = JobOutcome::AllValid;
  for (const auto& d : documents) {
    if (d.verdict == Verdict::Unreadable || d.verdict == Verdict::NotValidated)
      return JobOutcome::SomeNotValidated;
    if (d.verdict == Verdict::Invalid) worst = JobOutcome::SomeInvalid;
  }
  return worst;
}

ValidationReport validate_documents(const std::vector<ValidationInput>& inputs,
                                    const ValidationOptions& options) {
  std::vector<std::size_t> all(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) all[i] = i;
  ReportBuilder builder(inputs);
  run_validation_job(inputs, all, options, builder);
  return builder.report(inputs);
}

}  // namespace teikit
