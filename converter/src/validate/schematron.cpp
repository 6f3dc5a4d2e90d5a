// ISO Schematron evaluator over libxml2 XPath 1.0 (ISO/IEC 19757-3:2016; see schematron.hpp
// for what is supported and why this is not libxml2's xmlSchematron).
#include "teikit/validate/schematron.hpp"

#include <libexslt/exslt.h>
#include <libxml/xpathInternals.h>

#include <unordered_set>

namespace teikit {

namespace {

constexpr const char* kSchNs = "http://purl.oclc.org/dsdl/schematron";
constexpr const char* kExsltStrings = "http://exslt.org/strings";

const char* str(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

bool is_sch(const xmlNode* n, const char* name) {
  return n && n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, BAD_CAST kSchNs) &&
         xmlStrEqual(n->name, BAD_CAST name);
}

std::string attr(const xmlNode* n, const char* name) {
  xml::XmlCharPtr v(xmlGetNoNsProp(n, BAD_CAST name));
  return v ? str(v.get()) : std::string();
}

std::string normalise_space(const std::string& s) {
  std::string out;
  bool space = false;
  for (const char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

struct CompExprFree {
  void operator()(xmlXPathCompExpr* e) const { xmlXPathFreeCompExpr(e); }
};
using CompExprPtr = std::unique_ptr<xmlXPathCompExpr, CompExprFree>;

// State shared with the XPath callbacks through xmlXPathContext::userData.
struct EvalState {
  const xmlNode* current = nullptr;  // the rule's context node, for current()
  xmlDoc* scratch = nullptr;         // owns the token elements str:tokenize makes
  xmlDoc* document = nullptr;        // the document the rules are checked on, for id()
  std::string error;                 // the last XPath error
};

void on_xpath_error(void* data, xmlErrorPtr e) {
  auto* state = static_cast<EvalState*>(data);
  if (!state || !e) return;
  state->error = e->message ? e->message : "XPath error";
  while (!state->error.empty() && (state->error.back() == '\n' || state->error.back() == ' '))
    state->error.pop_back();
}

// XSLT's current(): inside a predicate, the node the rule fired on.
void current_function(xmlXPathParserContextPtr ctxt, int nargs) {
  if (nargs != 0) {
    xmlXPathSetArityError(ctxt);
    return;
  }
  auto* state = static_cast<EvalState*>(ctxt->context->userData);
  valuePush(ctxt, xmlXPathNewNodeSet(const_cast<xmlNode*>(state ? state->current : nullptr)));
}

// XPath's id(), looked up in the document the rules are checked on. libxml2's reads the IDs of
// the XPath context's document, which it sets to the context node's inside a predicate: in
// str:tokenize(@resp)[not(id(substring(., 2)))] that is the scratch document of the tokens, which
// has none. With id() the pointer rule is a hash lookup per pointer; comparing each pointer with
// //@xml:id made validation grow with pointers × ids (ENCODING.md's @resp pointers).
void id_function(xmlXPathParserContextPtr ctxt, int nargs) {
  auto* state = static_cast<EvalState*>(ctxt->context->userData);
  xmlDocPtr saved = ctxt->context->doc;
  if (state && state->document) ctxt->context->doc = state->document;
  xmlXPathIdFunction(ctxt, nargs);
  ctxt->context->doc = saved;
}

// EXSLT str:tokenize(string, delimiters?) (libexslt's own needs an XSLT transformation): a
// node-set of <token> elements, split at any delimiter character (default: white space); an
// empty delimiter string splits into characters.
void tokenize_function(xmlXPathParserContextPtr ctxt, int nargs) {
  if (nargs < 1 || nargs > 2) {
    xmlXPathSetArityError(ctxt);
    return;
  }
  std::string delimiters = "\t\n\r ";
  if (nargs == 2) {
    xml::XmlCharPtr d(xmlXPathPopString(ctxt));
    delimiters = str(d.get());
  }
  xml::XmlCharPtr input(xmlXPathPopString(ctxt));
  if (ctxt->error) return;
  auto* state = static_cast<EvalState*>(ctxt->context->userData);
  xmlNodeSet* set = xmlXPathNodeSetCreate(nullptr);
  if (!state || !state->scratch) {
    valuePush(ctxt, xmlXPathWrapNodeSet(set));
    return;
  }
  xmlNode* holder = xmlNewDocNode(state->scratch, nullptr, BAD_CAST "tokens", nullptr);
  xmlAddChild(xmlDocGetRootElement(state->scratch), holder);
  const std::string s = str(input.get());
  auto add = [&](const std::string& token) {
    xmlNode* t = xmlNewDocNode(state->scratch, nullptr, BAD_CAST "token", nullptr);
    xmlNodeAddContentLen(t, BAD_CAST token.data(), static_cast<int>(token.size()));
    xmlAddChild(holder, t);
    xmlXPathNodeSetAdd(set, t);
  };
  if (delimiters.empty()) {
    for (std::size_t i = 0; i < s.size();) {  // one token per UTF-8 character
      std::size_t len = 1;
      while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80) ++len;
      add(s.substr(i, len));
      i += len;
    }
  } else {
    std::string token;
    for (const char c : s) {
      if (delimiters.find(c) != std::string::npos) {
        if (!token.empty()) add(token);
        token.clear();
      } else {
        token += c;
      }
    }
    if (!token.empty()) add(token);
  }
  valuePush(ctxt, xmlXPathWrapNodeSet(set));
}

}  // namespace

struct RuleSet::Compiled {
  struct Expr {
    std::string text;
    CompExprPtr comp;
    int line = 0;
  };
  struct Let {
    std::string name;
    Expr value;
  };
  struct Part {
    enum Kind { Text, ValueOf, Name } kind = Text;
    std::string text;
    Expr expr;  // value-of/@select, name/@path (empty: the context node's name)
  };
  struct Assertion {
    bool report = false;
    Expr test;
    std::string id;
    bool warning = false;
    std::vector<Part> message;
  };
  struct Rule {
    std::vector<Expr> context;  // the alternatives of rule/@context (pattern_to_expressions)
    std::string id;
    bool warning = false;
    std::vector<Let> lets;
    std::vector<Assertion> assertions;
  };
  struct Pattern {
    std::string id;
    std::vector<Let> lets;
    std::vector<Rule> rules;
  };

  std::vector<std::pair<std::string, std::string>> namespaces;  // prefix → URI
  std::vector<Let> lets;
  std::vector<Pattern> patterns;
  std::string path;

  // A context with the rules' namespaces and functions; `state` receives errors.
  xml::XPathContextPtr new_context(xmlDoc* doc, EvalState* state) const {
    xml::XPathContextPtr ctxt(xmlXPathNewContext(doc));
    for (const auto& [prefix, uri] : namespaces)
      xmlXPathRegisterNs(ctxt.get(), BAD_CAST prefix.c_str(), BAD_CAST uri.c_str());
    exsltStrXpathCtxtRegister(ctxt.get(), BAD_CAST "exslt-str");
    exsltMathXpathCtxtRegister(ctxt.get(), BAD_CAST "exslt-math");
    exsltSetsXpathCtxtRegister(ctxt.get(), BAD_CAST "exslt-set");
    exsltDateXpathCtxtRegister(ctxt.get(), BAD_CAST "exslt-date");
    xmlXPathRegisterFuncNS(ctxt.get(), BAD_CAST "tokenize", BAD_CAST kExsltStrings,
                           tokenize_function);
    xmlXPathRegisterFunc(ctxt.get(), BAD_CAST "current", current_function);
    xmlXPathRegisterFunc(ctxt.get(), BAD_CAST "id", nullptr);  // libxml2's, replaced:
    xmlXPathRegisterFunc(ctxt.get(), BAD_CAST "id", id_function);
    ctxt->userData = state;
    ctxt->error = on_xpath_error;
    return ctxt;
  }
};

namespace {

using Compiled = RuleSet::Compiled;

// An XSLT pattern (rule/@context) as expressions selecting every node it matches, one per
// alternative of the union; a relative one is searched for anywhere ("tei:gap" → "//tei:gap").
// The alternatives are evaluated one by one and merged by the caller: libxml2 2.9 merges the
// two sides of an XPath `|` by comparing every node of one with every node of the other, so
// "tei:*/@when | tei:*/@notBefore" on a document of 10^5 dates took seconds per 10^5.
std::vector<std::string> pattern_to_expressions(const std::string& pattern) {
  std::vector<std::string> parts;
  std::string cur;
  int depth = 0;
  char quote = 0;
  for (const char c : pattern) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '(') {
      ++depth;
    } else if (c == ']' || c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      parts.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  parts.push_back(cur);
  std::vector<std::string> out;
  for (auto p : parts) {
    const auto b = p.find_first_not_of(" \t\r\n");
    p = b == std::string::npos ? "" : p.substr(b);
    out.push_back(p.rfind('/', 0) == 0 ? p : "//" + p);
  }
  return out;
}

class Compiler {
 public:
  Compiler(Compiled& out, std::string& error) : out_(out), error_(error) {}

  void run(xmlDoc* doc) {
    xmlNode* root = xmlDocGetRootElement(doc);
    if (!is_sch(root, "schema")) {
      fail(root, "the root element is not an ISO Schematron schema (namespace " +
                     std::string(kSchNs) + ")");
      return;
    }
    const std::string binding = attr(root, "queryBinding");
    if (!binding.empty() && binding != "xslt" && binding != "xslt1" && binding != "exslt" &&
        binding != "xpath") {
      fail(root, "queryBinding \"" + binding +
                     "\" is not supported (XPath 1.0 only: xslt, "
                     "exslt, xpath)");
      return;
    }
    // Namespaces first: every expression may use them.
    for (xmlNode* c = root->children; c; c = c->next)
      if (is_sch(c, "ns")) out_.namespaces.emplace_back(attr(c, "prefix"), attr(c, "uri"));
    state_ = std::make_unique<EvalState>();
    ctxt_ = out_.new_context(nullptr, state_.get());
    for (xmlNode* c = root->children; c && error_.empty(); c = c->next) {
      if (is_sch(c, "let"))
        out_.lets.push_back(let(c));
      else if (is_sch(c, "pattern"))
        pattern(c);
      else if (is_sch(c, "include") || is_sch(c, "extends"))
        fail(c, "include is not supported");
    }
  }

 private:
  void fail(const xmlNode* n, const std::string& message) {
    if (!error_.empty()) return;
    error_ = out_.path + ":" + std::to_string(n ? xmlGetLineNo(n) : 0) + ": " + message;
  }

  Compiled::Expr expr(const xmlNode* n, const char* attribute, const std::string& text) {
    Compiled::Expr e;
    e.text = text;
    e.line = static_cast<int>(xmlGetLineNo(n));
    state_->error.clear();
    e.comp.reset(xmlXPathCtxtCompile(ctxt_.get(), BAD_CAST text.c_str()));
    if (!e.comp)
      fail(n, std::string("invalid XPath in ") + str(n->name) + "/@" + attribute + " \"" + text +
                  "\"" + (state_->error.empty() ? "" : ": " + state_->error));
    return e;
  }

  Compiled::Let let(const xmlNode* n) {
    Compiled::Let l;
    l.name = attr(n, "name");
    if (l.name.empty()) fail(n, "let without @name");
    if (xmlHasNsProp(n, BAD_CAST "value", nullptr))
      l.value = expr(n, "value", attr(n, "value"));
    else
      fail(n, "let without @value (element content is not supported)");
    return l;
  }

  static bool warning_role(const std::string& role) {
    return role == "warning" || role == "warn" || role == "info" || role == "information";
  }

  void pattern(const xmlNode* n) {
    if (attr(n, "abstract") == "true" || xmlHasNsProp(n, BAD_CAST "is-a", nullptr)) {
      fail(n, "abstract patterns are not supported");
      return;
    }
    Compiled::Pattern p;
    p.id = attr(n, "id");
    for (xmlNode* c = n->children; c && error_.empty(); c = c->next) {
      if (is_sch(c, "let"))
        p.lets.push_back(let(c));
      else if (is_sch(c, "rule"))
        p.rules.push_back(rule(c));
    }
    out_.patterns.push_back(std::move(p));
  }

  Compiled::Rule rule(const xmlNode* n) {
    Compiled::Rule r;
    if (attr(n, "abstract") == "true") fail(n, "abstract rules are not supported");
    r.id = attr(n, "id");
    r.warning = warning_role(attr(n, "role"));
    for (const std::string& alternative : pattern_to_expressions(attr(n, "context")))
      r.context.push_back(expr(n, "context", alternative));
    for (xmlNode* c = n->children; c && error_.empty(); c = c->next) {
      if (is_sch(c, "let")) {
        r.lets.push_back(let(c));
      } else if (is_sch(c, "extends")) {
        fail(c, "extends is not supported");
      } else if (is_sch(c, "assert") || is_sch(c, "report")) {
        Compiled::Assertion a;
        a.report = is_sch(c, "report");
        a.id = attr(c, "id");
        const std::string role = attr(c, "role");
        a.warning = role.empty() ? r.warning : warning_role(role);
        a.test = expr(c, "test", attr(c, "test"));
        message(c, a.message);
        r.assertions.push_back(std::move(a));
      }
    }
    return r;
  }

  void message(const xmlNode* n, std::vector<Compiled::Part>& parts) {
    for (xmlNode* c = n->children; c; c = c->next) {
      Compiled::Part part;
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        part.text = str(c->content);
      } else if (is_sch(c, "value-of")) {
        part.kind = Compiled::Part::ValueOf;
        part.expr = expr(c, "select", attr(c, "select"));
      } else if (is_sch(c, "name")) {
        part.kind = Compiled::Part::Name;
        if (xmlHasNsProp(c, BAD_CAST "path", nullptr))
          part.expr = expr(c, "path", "name(" + attr(c, "path") + ")");
      } else if (c->type == XML_ELEMENT_NODE) {
        message(c, parts);  // emph, dir, span: their text
        continue;
      } else {
        continue;
      }
      parts.push_back(std::move(part));
    }
  }

  Compiled& out_;
  std::string& error_;
  std::unique_ptr<EvalState> state_;
  xml::XPathContextPtr ctxt_;
};

// Evaluation of one document.
class Evaluator {
 public:
  Evaluator(const Compiled& rules, xmlDoc* doc) : rules_(rules), doc_(doc) {
    scratch_.reset(xmlNewDoc(BAD_CAST "1.0"));
    xmlDocSetRootElement(scratch_.get(),
                         xmlNewDocNode(scratch_.get(), nullptr, BAD_CAST "scratch", nullptr));
    state_.scratch = scratch_.get();
    state_.document = doc;
    ctxt_ = rules_.new_context(doc, &state_);
    // Without document-order indices libxml2 compares two siblings by walking the sibling list,
    // so sorting a node set (every rule context, every location path) of a div with 10^5
    // paragraphs was quadratic: 100 MB of TEI took 30 s in the rules. libxslt indexes its
    // inputs the same way (the index is kept in the elements' unused content field).
    xmlXPathOrderDocElems(doc);
  }

  std::vector<RuleFinding> run() {
    std::vector<RuleFinding> findings;
    xmlNode* document = reinterpret_cast<xmlNode*>(doc_);
    for (const auto& l : rules_.lets) bind(l, document, findings);
    for (const auto& pattern : rules_.patterns) {
      for (const auto& l : pattern.lets) bind(l, document, findings);
      // ISO Schematron 6.5: within a pattern, a node is the context of the first rule that
      // matches it only.
      std::unordered_set<const xmlNode*> fired;
      for (const auto& rule : pattern.rules) {
        // The union of the alternatives, each node once, in document order.
        xml::XPathObjectPtr nodes(xmlXPathNewNodeSet(nullptr));
        std::unordered_set<const xmlNode*> in_union;
        bool failed = false;
        for (const auto& alternative : rule.context) {
          xml::XPathObjectPtr part = eval(alternative, document);
          if (!part) {
            findings.push_back(error_finding(document, alternative));
            failed = true;
            break;
          }
          if (part->type != XPATH_NODESET || !part->nodesetval) continue;
          for (int i = 0; i < part->nodesetval->nodeNr; ++i) {
            xmlNode* node = part->nodesetval->nodeTab[i];
            if (node->type == XML_NAMESPACE_DECL || !in_union.insert(node).second) continue;
            xmlXPathNodeSetAddUnique(nodes->nodesetval, node);
          }
        }
        if (failed || !nodes || !nodes->nodesetval) continue;
        xmlXPathNodeSetSort(nodes->nodesetval);
        for (int i = 0; i < nodes->nodesetval->nodeNr; ++i) {
          xmlNode* node = nodes->nodesetval->nodeTab[i];
          if (!fired.insert(node).second) continue;
          fire(pattern, rule, node, findings);
        }
      }
    }
    return findings;
  }

 private:
  xml::XPathObjectPtr eval(const Compiled::Expr& e, xmlNode* node) {
    ctxt_->node = node;
    state_.current = node;
    state_.error.clear();
    return xml::XPathObjectPtr(xmlXPathCompiledEval(e.comp.get(), ctxt_.get()));
  }

  RuleFinding error_finding(const xmlNode* node, const Compiled::Expr& e) {
    RuleFinding f;
    f.node = node && node->type != XML_DOCUMENT_NODE ? node : xmlDocGetRootElement(doc_);
    f.id = "schematron-error";
    f.message = "rules line " + std::to_string(e.line) + ": cannot evaluate \"" + e.text + "\"" +
                (state_.error.empty() ? "" : ": " + state_.error);
    return f;
  }

  void bind(const Compiled::Let& l, xmlNode* node, std::vector<RuleFinding>& findings) {
    xml::XPathObjectPtr value = eval(l.value, node);
    if (!value) {
      findings.push_back(error_finding(node, l.value));
      return;
    }
    // The context takes the value over (and frees the one bound before under this name).
    xmlXPathRegisterVariable(ctxt_.get(), BAD_CAST l.name.c_str(), value.release());
  }

  void fire(const Compiled::Pattern& pattern, const Compiled::Rule& rule, xmlNode* node,
            std::vector<RuleFinding>& findings) {
    for (const auto& l : rule.lets) bind(l, node, findings);
    for (const auto& a : rule.assertions) {
      xml::XPathObjectPtr result = eval(a.test, node);
      if (!result) {
        findings.push_back(error_finding(node, a.test));
        continue;
      }
      const bool holds = xmlXPathCastToBoolean(result.get()) != 0;
      if (holds != a.report) continue;  // an assert that holds, a report that does not fire
      RuleFinding f;
      f.node = node;
      f.id = !a.id.empty()         ? a.id
             : !rule.id.empty()    ? rule.id
             : !pattern.id.empty() ? pattern.id
                                   : "schematron";
      f.warning = a.warning;
      f.message = normalise_space(text(a.message, node));
      if (f.message.empty())
        f.message = (a.report ? "report: " : "assertion failed: ") + a.test.text;
      findings.push_back(std::move(f));
    }
  }

  std::string text(const std::vector<Compiled::Part>& parts, xmlNode* node) {
    std::string out;
    for (const auto& p : parts) {
      if (p.kind == Compiled::Part::Text) {
        out += p.text;
        continue;
      }
      if (p.kind == Compiled::Part::Name && !p.expr.comp) {
        if (node->type == XML_ATTRIBUTE_NODE || node->type == XML_ELEMENT_NODE) {
          if (node->ns && node->ns->prefix) out += str(node->ns->prefix) + std::string(":");
          out += str(node->name);
        }
        continue;
      }
      xml::XPathObjectPtr v = eval(p.expr, node);
      if (!v) continue;
      xml::XmlCharPtr s(xmlXPathCastToString(v.get()));
      out += str(s.get());
    }
    return out;
  }

  const Compiled& rules_;
  xmlDoc* doc_;
  xml::DocPtr scratch_;
  EvalState state_;
  xml::XPathContextPtr ctxt_;
};

}  // namespace

RuleSet::RuleSet(const std::string& path) : rules_(std::make_unique<Compiled>()) {
  const xml::SettingsScope settings;
  rules_->path = path;
  std::string error;
  xml::DocPtr doc = xml::parse_file(path, error);
  if (!doc) {
    out_of_memory_ = xml::parse_ran_out_of_memory(error);
    error_ = path + ": " + error;
    return;
  }
  Compiler(*rules_, error_).run(doc.get());
}

RuleSet::~RuleSet() = default;

std::size_t RuleSet::assertion_count() const {
  std::size_t n = 0;
  for (const auto& p : rules_->patterns)
    for (const auto& r : p.rules) n += r.assertions.size();
  return n;
}

std::vector<RuleFinding> RuleSet::check(xmlDoc* doc) const {
  const xml::SettingsScope settings;
  if (!valid() || !doc) return {};
  return Evaluator(*rules_, doc).run();
}

}  // namespace teikit
