#include "teikit/validate.hpp"

#include <cstdlib>

namespace teikit {

namespace {

struct ParserCtxtFree {
  void operator()(xmlRelaxNGParserCtxt* c) const { xmlRelaxNGFreeParserCtxt(c); }
};
struct ValidCtxtFree {
  void operator()(xmlRelaxNGValidCtxt* c) const { xmlRelaxNGFreeValidCtxt(c); }
};

// A pathological document must not turn into an unbounded error list.
constexpr std::size_t kMaxErrors = 1000;

void collect(void* data, xmlErrorPtr e) {
  auto* errors = static_cast<std::vector<ValidityError>*>(data);
  if (!e || errors->size() >= kMaxErrors) return;
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

std::string schema_dir() {
  if (const char* env = std::getenv("TEIKIT_SCHEMA_DIR"); env && *env) return env;
  return TEIKIT_SCHEMA_DIR;
}

}  // namespace

RelaxNgSchema::RelaxNgSchema(const std::string& path) {
  xml::initialise();
  std::unique_ptr<xmlRelaxNGParserCtxt, ParserCtxtFree> ctxt(xmlRelaxNGNewParserCtxt(path.c_str()));
  compile(ctxt.get(), path);
}

RelaxNgSchema::RelaxNgSchema(const xmlDoc* grammar) {
  xml::initialise();
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
  xmlRelaxNGSetParserStructuredErrors(ctxt, collect, &errors);
  schema_.reset(xmlRelaxNGParse(ctxt));
  if (!schema_) {
    error_ = name + ": schema did not compile";
    if (!errors.empty()) {
      error_ += ": ";
      if (errors.front().line > 0) error_ += "line " + std::to_string(errors.front().line) + ": ";
      error_ += errors.front().message;
    }
  }
}

bool RelaxNgSchema::validate(xmlDoc* doc, std::vector<ValidityError>& errors) const {
  if (!schema_) return false;
  std::unique_ptr<xmlRelaxNGValidCtxt, ValidCtxtFree> ctxt(xmlRelaxNGNewValidCtxt(schema_.get()));
  xmlRelaxNGSetValidStructuredErrors(ctxt.get(), collect, &errors);
  return xmlRelaxNGValidateDoc(ctxt.get(), doc) == 0;
}

xml::DocPtr read_grammar(const std::string& path, std::string& error) {
  return xml::parse_file(path, error);
}

std::string project_schema_path() { return schema_dir() + "/teikit.rng"; }

std::string project_rules_path() { return schema_dir() + "/teikit.sch"; }

}  // namespace teikit
