#include "teikit/validate/validate.hpp"

#include <algorithm>
#include <cstdlib>
#include <new>

#include "teikit/base/data_dir.hpp"

namespace teikit {

namespace {

struct ParserCtxtFree {
  void operator()(xmlRelaxNGParserCtxt* c) const { xmlRelaxNGFreeParserCtxt(c); }
};
struct ValidCtxtFree {
  void operator()(xmlRelaxNGValidCtxt* c) const { xmlRelaxNGFreeValidCtxt(c); }
};

// The document's URL, cleared for the life of the object and put back after (see validate()).
class DocUrlHidden {
 public:
  explicit DocUrlHidden(xmlDoc* doc) : doc_(doc), url_(doc ? doc->URL : nullptr) {
    if (doc_) doc_->URL = nullptr;
  }
  ~DocUrlHidden() {
    if (doc_) doc_->URL = url_;
  }
  DocUrlHidden(const DocUrlHidden&) = delete;
  DocUrlHidden& operator=(const DocUrlHidden&) = delete;

 private:
  xmlDoc* doc_;
  const xmlChar* url_;
};

// A pathological document must not turn into an unbounded error list.
constexpr std::size_t kMaxErrors = 1000;

// What libxml2 reports, and whether keeping it failed for want of memory. Past `max` errors
// (0: no limit) the rest are only counted: each costs libxml2's formatting and nothing more.
struct Collector {
  std::vector<ValidityError>* errors;
  std::size_t max = kMaxErrors;
  std::size_t dropped = 0;
  bool out_of_memory = false;
};

void collect_one(Collector& c, xmlErrorPtr e);

// libxml2 calls this from C: no exception may leave it.
void collect(void* data, xmlErrorPtr e) {
  auto* c = static_cast<Collector*>(data);
  try {
    collect_one(*c, e);
  } catch (const std::bad_alloc&) {
    c->out_of_memory = true;
  }
}

// A ValidityError saying that memory ran out.
ValidityError out_of_memory_error(const char* message) {
  ValidityError e;
  e.message = message;
  e.domain = XML_FROM_MEMORY;
  e.code = XML_ERR_NO_MEMORY;
  return e;
}

void collect_one(Collector& c, xmlErrorPtr e) {
  std::vector<ValidityError>* errors = c.errors;
  if (!e) return;
  if (c.max && errors->size() >= c.max) {
    ++c.dropped;
    return;
  }
  ValidityError v;
  v.message = e->message ? e->message : "invalid";
  while (!v.message.empty() && (v.message.back() == '\n' || v.message.back() == ' '))
    v.message.pop_back();
  v.line = e->line;
  v.node = static_cast<const xmlNode*>(e->node);
  v.domain = e->domain;
  v.code = e->code;
  if (e->str1) v.arg1 = e->str1;
  if (e->str2) v.arg2 = e->str2;
  errors->push_back(std::move(v));
}

}  // namespace

bool is_out_of_memory(const ValidityError& e) {
  // libxml2 2.9 reports a failed allocation during validation in the RELAX NG domain with a
  // code that is also one of that domain's own, so the message is what tells.
  return e.domain == XML_FROM_MEMORY || e.message.rfind("Memory allocation failed", 0) == 0;
}

RelaxNgSchema::RelaxNgSchema(const std::string& path) {
  const xml::SettingsScope settings;
  std::unique_ptr<xmlRelaxNGParserCtxt, ParserCtxtFree> ctxt(xmlRelaxNGNewParserCtxt(path.c_str()));
  compile(ctxt.get(), path);
}

RelaxNgSchema::RelaxNgSchema(const xmlDoc* grammar) {
  const xml::SettingsScope settings;
  // libxml2 copies the document before compiling (compilation rewrites it), so the cast is safe.
  std::unique_ptr<xmlRelaxNGParserCtxt, ParserCtxtFree> ctxt(
      xmlRelaxNGNewDocParserCtxt(const_cast<xmlDoc*>(grammar)));
  const char* url =
      grammar && grammar->URL ? reinterpret_cast<const char*>(grammar->URL) : "schema";
  compile(ctxt.get(), url);
}

void RelaxNgSchema::compile(xmlRelaxNGParserCtxt* ctxt, const std::string& name) {
  if (!ctxt) {
    error_ = name + ": schema did not compile: cannot create a parser";
    return;
  }
  std::vector<ValidityError> errors;
  Collector collector{&errors};
  xmlRelaxNGSetParserStructuredErrors(ctxt, collect, &collector);
  schema_.reset(xmlRelaxNGParse(ctxt));
  if (collector.out_of_memory) errors.insert(errors.begin(), out_of_memory_error("out of memory"));
  if (!schema_) {
    out_of_memory_ = std::any_of(errors.begin(), errors.end(), [](const ValidityError& e) {
      return is_out_of_memory(e) || e.code == XML_ERR_NO_MEMORY;
    });
    error_ = name + ": schema did not compile";
    if (!errors.empty()) {
      error_ += ": ";
      if (errors.front().line > 0) error_ += "line " + std::to_string(errors.front().line) + ": ";
      error_ += errors.front().message;
    }
  }
}

bool RelaxNgSchema::validate(xmlDoc* doc, std::vector<ValidityError>& errors) const {
  std::size_t dropped = 0;
  return validate(doc, errors, kMaxErrors, dropped);
}

bool RelaxNgSchema::validate(xmlDoc* doc, std::vector<ValidityError>& errors,
                             std::size_t max_errors, std::size_t& dropped) const {
  const xml::SettingsScope settings;
  dropped = 0;
  if (!schema_) return false;
  std::unique_ptr<xmlRelaxNGValidCtxt, ValidCtxtFree> ctxt(xmlRelaxNGNewValidCtxt(schema_.get()));
  int ret = -1;
  Collector collector{&errors};
  collector.max = max_errors ? errors.size() + max_errors : 0;
  if (ctxt) {
    xmlRelaxNGSetValidStructuredErrors(ctxt.get(), collect, &collector);
    // libxml2 2.9's __xmlRaiseError, for an error on a node of a document that has a URL, walks
    // every preceding sibling and ancestor of the node looking for an XInclude start (to name
    // the included file): each error costs its node's position, and 6x10^4 invalid siblings took
    // ~40 s. The URL is not needed to validate (the diagnostics carry the input's name, and
    // XInclude start nodes are never kept: XML_PARSE_NOXINCNODE), so it is taken away while
    // libxml2 validates and given back after.
    const DocUrlHidden hidden(doc);
    ret = xmlRelaxNGValidateDoc(ctxt.get(), doc);
  }
  dropped = collector.dropped;
  if (collector.out_of_memory)
    errors.push_back(out_of_memory_error("out of memory while collecting validation errors"));
  // -1: no validation context (its allocation failed): that is no verdict, and is said as such
  // (XML_FROM_MEMORY) rather than as an anonymous "does not match".
  if (ret < 0 && std::none_of(errors.begin(), errors.end(), is_out_of_memory)) {
    errors.push_back(
        out_of_memory_error("out of memory (or an internal error of libxml2) while validating"));
  }
  return ret == 0;
}

xml::DocPtr read_grammar(const std::string& path, std::string& error) {
  return xml::parse_file(path, error);
}

std::string project_schema_path() { return schema_dir() + "/teikit.rng"; }

std::string project_rules_path() { return schema_dir() + "/teikit.sch"; }

}  // namespace teikit
