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

void collect(void* data, xmlErrorPtr e) {
  auto* errors = static_cast<std::vector<ValidityError>*>(data);
  if (!e || errors->size() >= 1000) return;
  std::string msg = e->message ? e->message : "invalid";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  errors->push_back({e->line, msg});
}

}  // namespace

RelaxNgSchema::RelaxNgSchema(const std::string& path) {
  xml::initialise();
  std::unique_ptr<xmlRelaxNGParserCtxt, ParserCtxtFree> ctxt(xmlRelaxNGNewParserCtxt(path.c_str()));
  std::vector<ValidityError> errors;
  xmlRelaxNGSetParserStructuredErrors(ctxt.get(), collect, &errors);
  schema_.reset(xmlRelaxNGParse(ctxt.get()));
  if (!schema_) {
    error_ = path + ": schema did not compile";
    if (!errors.empty()) error_ += ": " + errors.front().message;
  }
}

bool RelaxNgSchema::validate(xmlDoc* doc, std::vector<ValidityError>& errors) const {
  if (!schema_) return false;
  std::unique_ptr<xmlRelaxNGValidCtxt, ValidCtxtFree> ctxt(xmlRelaxNGNewValidCtxt(schema_.get()));
  xmlRelaxNGSetValidStructuredErrors(ctxt.get(), collect, &errors);
  return xmlRelaxNGValidateDoc(ctxt.get(), doc) == 0;
}

std::string project_schema_path() {
  if (const char* env = std::getenv("TEIKIT_SCHEMA_DIR"); env && *env)
    return std::string(env) + "/teikit.rng";
  return std::string(TEIKIT_SCHEMA_DIR) + "/teikit.rng";
}

}  // namespace teikit
