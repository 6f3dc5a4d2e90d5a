// The RELAX NG correctness check (see rng_check.hpp). The grammar is read into a small pattern
// graph following section 4's simplification (4.1-4.19: syntax, inheritance, includes,
// combine, grammars and refs), with the errors of those steps raised where the specification
// raises them; notAllowed and empty are then propagated (4.20, 4.21) and the restrictions of
// section 7 checked on what start reaches.
#include "teikit/validate/rng_check.hpp"

#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlregexp.h>
#include <libxml/xmlschemastypes.h>

#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace teikit {

namespace {

constexpr const char* kRngNs = "http://relaxng.org/ns/structure/1.0";
constexpr const char* kXmlNs = "http://www.w3.org/XML/1998/namespace";
constexpr const char* kXmlnsNs = "http://www.w3.org/2000/xmlns";
constexpr const char* kXsdLib = "http://www.w3.org/2001/XMLSchema-datatypes";
constexpr const char* kXsdNs = "http://www.w3.org/2001/XMLSchema";

const char* str(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

bool is_rng(const xmlNode* n) {
  return n && n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, BAD_CAST kRngNs);
}
bool is_rng(const xmlNode* n, const char* name) {
  return is_rng(n) && xmlStrEqual(n->name, BAD_CAST name);
}
bool is_whitespace(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}
std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// An incorrect grammar: thrown from deep inside the walk, caught by check_grammar.
struct Incorrect {
  const xmlNode* node;
  std::string message;
};

[[noreturn]] void fail(const xmlNode* node, const std::string& message) {
  throw Incorrect{node, message};
}

std::string element_name(const xmlNode* n) { return std::string("<") + str(n->name) + ">"; }

bool has_attr(const xmlNode* n, const char* name) {
  return xmlHasNsProp(n, BAD_CAST name, nullptr) != nullptr;
}
std::string attr(const xmlNode* n, const char* name) {
  xml::XmlCharPtr v(xmlGetNoNsProp(n, BAD_CAST name));
  return v ? str(v.get()) : std::string();
}
std::string content(const xmlNode* n) {
  xml::XmlCharPtr v(xmlNodeGetContent(n));
  return v ? str(v.get()) : std::string();
}

// ---------------------------------------------------------------------------------------------
// The pattern graph.

enum class P : unsigned char {
  Empty, NotAllowed, Text, Data, Value, List, Attribute, Element, Group, Interleave, Choice,
  OneOrMore, Ref
};

enum class N : unsigned char { Name, NsName, AnyName, Choice };

struct NC {
  N kind;
  std::string ns, local;
  const NC* except = nullptr;
  std::vector<const NC*> kids;
};

struct Def;

struct Pat {
  P kind;
  const xmlNode* src;
  std::vector<Pat*> kids;       // content (one for element, attribute, list, oneOrMore)
  const NC* nc = nullptr;       // element, attribute
  Def* def = nullptr;           // ref
  Pat* except = nullptr;        // data
  bool shared = false;          // a normalised define body (reached from several places)
};

struct Def {
  std::string name;
  const xmlNode* src = nullptr;
  Pat* body = nullptr;
  int state = 0;  // normalisation: 0 not yet, 1 in progress, 2 done
  Pat* norm = nullptr;
};

struct Grammar {
  Grammar* parent = nullptr;
  std::map<std::string, Def*> defs;
  Def* start = nullptr;
};

// What is inherited down the tree (4.3, 4.9) and the grammar refs resolve in (4.18).
struct Ctx {
  std::string ns;
  std::string dtlib;
  Grammar* grammar = nullptr;
};

struct Component {
  xmlNode* node;
  Ctx ctx;
};

struct Components {
  std::vector<Component> starts;
  std::map<std::string, std::vector<Component>> defines;
};

// ---------------------------------------------------------------------------------------------
// URIs (4.3, 4.5).

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// False when `s` has a malformed %-escape or a character no URI reference may hold.
bool uri_chars_ok(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 2;
      continue;
    }
    if (c <= 0x20 || c == 0x7f || std::strchr("<>\"{}|\\^`", c)) return false;
  }
  return true;
}

// The datatypeLibrary value: "" or an absolute URI without a fragment (4.3).
void check_datatype_library(const xmlNode* n, const std::string& v) {
  if (v.empty()) return;
  const auto colon = v.find(':');
  bool scheme = colon != std::string::npos && colon > 0 &&
                std::isalpha(static_cast<unsigned char>(v[0]));
  for (std::size_t i = 1; scheme && i < colon; ++i) {
    const char c = v[i];
    scheme = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  }
  if (!scheme)
    fail(n, "datatypeLibrary \"" + v + "\" is not an absolute URI (RELAX NG 4.3)");
  if (v.find('#') != std::string::npos)
    fail(n, "datatypeLibrary \"" + v + "\" has a fragment identifier (RELAX NG 4.3)");
  if (colon + 1 == v.size() || !uri_chars_ok(v))
    fail(n, "datatypeLibrary \"" + v + "\" is not a valid URI (RELAX NG 4.3)");
}

// ---------------------------------------------------------------------------------------------
// Datatypes (4.16 via the libraries' rules, 6.2.9 for the built-in library).

bool builtin_library(const std::string& lib) { return lib.empty() || lib == kRngNs; }

void check_datatype(const xmlNode* n, const std::string& lib, const std::string& type) {
  if (builtin_library(lib)) {
    if (type != "string" && type != "token")
      fail(n, "the built-in datatype library has the types string and token only, not \"" +
                  type + "\" (RELAX NG 6.2.9)");
    return;
  }
  if (lib == kXsdLib) {
    if (!xmlSchemaGetPredefinedType(BAD_CAST type.c_str(), BAD_CAST kXsdNs))
      fail(n, "the XML Schema datatype library has no type \"" + type + "\" (RELAX NG 4.16)");
    return;
  }
  fail(n, "datatype library \"" + lib + "\" is not supported (RELAX NG 4.16)");
}

bool xsd_valid(const std::string& type, const std::string& value, const xmlNode* n) {
  xmlSchemaTypePtr t = xmlSchemaGetPredefinedType(BAD_CAST type.c_str(), BAD_CAST kXsdNs);
  if (!t) return true;
  xmlSchemaValPtr v = nullptr;
  const int rc =
      xmlSchemaValPredefTypeNode(t, BAD_CAST value.c_str(), &v, const_cast<xmlNode*>(n));
  if (v) xmlSchemaFreeValue(v);
  return rc == 0;
}

// Which facets apply to which built-in types (XML Schema Part 2, 4.1.5 and the type
// definitions of section 3); pattern applies to all.
enum class Facets { Length, Decimal, Ordered, Other, Unknown };

Facets facets_of(const std::string& type) {
  static const std::set<std::string> length = {
      "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN",
      "NMTOKENS", "ID", "IDREF", "IDREFS", "ENTITY", "ENTITIES", "hexBinary", "base64Binary",
      "anyURI", "QName", "NOTATION"};
  static const std::set<std::string> decimal = {
      "decimal", "integer", "nonPositiveInteger", "negativeInteger", "long", "int", "short",
      "byte", "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
      "unsignedByte", "positiveInteger"};
  static const std::set<std::string> ordered = {
      "float", "double", "duration", "dateTime", "time", "date", "gYearMonth", "gYear",
      "gMonthDay", "gDay", "gMonth"};
  if (length.count(type)) return Facets::Length;
  if (decimal.count(type)) return Facets::Decimal;
  if (ordered.count(type)) return Facets::Ordered;
  if (type == "boolean") return Facets::Other;
  return Facets::Unknown;
}

void check_param(const xmlNode* n, const std::string& lib, const std::string& type,
                 const std::string& name, const std::string& value) {
  if (builtin_library(lib))
    fail(n, "the built-in datatype library takes no parameters (RELAX NG 6.2.9)");
  static const std::set<std::string> facets = {
      "length",       "minLength",      "maxLength",    "pattern",
      "totalDigits",  "fractionDigits", "maxInclusive", "maxExclusive",
      "minInclusive", "minExclusive"};
  if (!facets.count(name))
    fail(n, "\"" + name + "\" is not a parameter of the XML Schema datatypes (RELAX NG 4.16)");
  if (name == "pattern") {
    xmlRegexpPtr re = xmlRegexpCompile(BAD_CAST value.c_str());
    if (!re)
      fail(n, "the pattern \"" + value + "\" is not a regular expression (RELAX NG 4.16)");
    xmlRegFreeRegexp(re);
    return;
  }
  const Facets kind = facets_of(type);
  if (kind == Facets::Unknown) return;
  const bool length = name == "length" || name == "minLength" || name == "maxLength";
  const bool digits = name == "totalDigits" || name == "fractionDigits";
  const bool applies = length    ? kind == Facets::Length
                       : digits ? kind == Facets::Decimal
                                : kind == Facets::Decimal || kind == Facets::Ordered;
  if (!applies)
    fail(n, "the parameter " + name + " does not apply to the type " + type +
                " (RELAX NG 4.16)");
  const std::string value_type = name == "totalDigits" ? "positiveInteger"
                                 : length || digits    ? "nonNegativeInteger"
                                                       : type;
  if (!xsd_valid(value_type, trimmed(value), n))
    fail(n, "\"" + value + "\" is not a valid value for the parameter " + name + " of " +
                type + " (RELAX NG 4.16)");
}

void check_value(const xmlNode* n, const std::string& lib, const std::string& type,
                 const std::string& value) {
  // ENTITY and NOTATION values depend on the instance's DTD, not on the schema.
  if (lib != kXsdLib || type == "ENTITY" || type == "ENTITIES" || type == "NOTATION") return;
  if (!xsd_valid(type, value, n))
    fail(n, "\"" + value + "\" is not a valid " + type + " (RELAX NG 4.16)");
}

// ---------------------------------------------------------------------------------------------
// Name classes (6.1) and their overlap (7.3, 7.4).

struct QN {
  std::string ns, local;
  bool any_ns = false, any_local = false;  // stands for a name no real name equals
};

bool contains(const NC* nc, const QN& q) {
  switch (nc->kind) {
    case N::Name:
      return !q.any_ns && !q.any_local && nc->ns == q.ns && nc->local == q.local;
    case N::NsName:
      return !q.any_ns && nc->ns == q.ns && !(nc->except && contains(nc->except, q));
    case N::AnyName:
      return !(nc->except && contains(nc->except, q));
    case N::Choice:
      for (const NC* k : nc->kids)
        if (contains(k, q)) return true;
      return false;
  }
  return false;
}

void representatives(const NC* nc, std::vector<QN>& out) {
  switch (nc->kind) {
    case N::Name:
      out.push_back({nc->ns, nc->local});
      return;
    case N::NsName:
      out.push_back({nc->ns, "", false, true});
      break;
    case N::AnyName:
      out.push_back({"", "", true, true});
      break;
    case N::Choice:
      for (const NC* k : nc->kids) representatives(k, out);
      return;
  }
  if (nc->except) representatives(nc->except, out);
}

// Two name classes overlap when some representative name of either is in both (the algorithm
// of the specification's appendix on name-class overlap).
bool overlap(const NC* a, const NC* b, QN* witness) {
  std::vector<QN> reps;
  representatives(a, reps);
  representatives(b, reps);
  for (const QN& q : reps)
    if (contains(a, q) && contains(b, q)) {
      if (witness) *witness = q;
      return true;
    }
  return false;
}

bool infinite(const NC* nc) {
  if (nc->kind == N::AnyName || nc->kind == N::NsName) return true;
  for (const NC* k : nc->kids)
    if (infinite(k)) return true;
  return false;
}

std::string display(const std::string& ns, const std::string& local) {
  return ns.empty() ? local : "{" + ns + "}" + local;
}
std::string display(const QN& q) {
  if (q.any_ns) return "any name";
  if (q.any_local) return "any name in namespace \"" + q.ns + "\"";
  return display(q.ns, q.local);
}

// The name classes met so far in the parts of one group or interleave, with the part each came
// from: plain names hashed, the rest (anyName, nsName) listed. Adding a name class of part `i`
// that overlaps one of another part is the error of 7.3 (attributes) or 7.4 (elements).
class Owners {
 public:
  // False, with `witness` set to a name both match, when `nc` overlaps a class of another part.
  bool add(const NC* nc, std::size_t part, std::string& witness) {
    if (nc->kind == N::Choice) {
      for (const NC* k : nc->kids)
        if (!add(k, part, witness)) return false;
      return true;
    }
    if (nc->kind == N::Name) {
      const QN q{nc->ns, nc->local};
      auto [it, fresh] = names_.emplace(key(nc->ns, nc->local), Entry{nc, part});
      if (!fresh && it->second.part != part) return found(q, witness);
      for (const Entry& w : wild_)
        if (w.part != part && contains(w.nc, q)) return found(q, witness);
      return true;
    }
    for (const auto& [k, e] : names_) {
      const QN q{e.nc->ns, e.nc->local};
      if (e.part != part && contains(nc, q)) return found(q, witness);
    }
    for (const Entry& w : wild_) {
      QN q;
      if (w.part != part && overlap(w.nc, nc, &q)) return found(q, witness);
    }
    wild_.push_back({nc, part});
    return true;
  }

 private:
  struct Entry {
    const NC* nc;
    std::size_t part;
  };
  static std::string key(const std::string& ns, const std::string& local) {
    return ns + '\x1f' + local;
  }
  static bool found(const QN& q, std::string& witness) {
    witness = display(q);
    return false;
  }
  std::unordered_map<std::string, Entry> names_;
  std::vector<Entry> wild_;
};

// ---------------------------------------------------------------------------------------------
// Reading the grammar (sections 3 and 4.1-4.18).

class Reader {
 public:
  explicit Reader(const xmlDoc* doc) : main_(doc) {}

  Def* read() {
    xmlNode* root = main_ ? xmlDocGetRootElement(main_) : nullptr;
    if (!root) fail(nullptr, "the schema has no document element");
    if (!is_rng(root)) fail(root, "the root element is not in the RELAX NG namespace, so this is "
                                  "not a RELAX NG schema (RELAX NG 3)");
    Ctx ctx;
    if (main_->URL) loading_.push_back(canonical(str(main_->URL)));
    return top(root, ctx);
  }

 private:
  // A document element as a grammar: a pattern that is not a grammar becomes the start of one
  // (4.18).
  Def* top(xmlNode* root, const Ctx& ctx) {
    if (is_rng(root, "grammar")) {
      Ctx c = inherit(root, ctx);
      return grammar(root, c);
    }
    Grammar* g = new_grammar(nullptr);
    Ctx c = ctx;
    c.grammar = g;
    g->start->body = pattern(root, c);
    return g->start;
  }

  Grammar* new_grammar(Grammar* parent) {
    grammars_.emplace_back();
    Grammar* g = &grammars_.back();
    g->parent = parent;
    g->start = new_def("start", nullptr);
    return g;
  }

  Def* new_def(const std::string& name, const xmlNode* src) {
    defs_.emplace_back();
    Def* d = &defs_.back();
    d->name = name;
    d->src = src;
    return d;
  }

  Pat* pat(P kind, const xmlNode* src, std::vector<Pat*> kids = {}) {
    pats_.emplace_back();
    Pat* p = &pats_.back();
    p->kind = kind;
    p->src = src;
    p->kids = std::move(kids);
    return p;
  }

  const NC* nc(N kind, std::string ns = "", std::string local = "") {
    ncs_.emplace_back();
    NC* n = &ncs_.back();
    n->kind = kind;
    n->ns = std::move(ns);
    n->local = std::move(local);
    return n;
  }

  // 4.3, 4.9: ns and datatypeLibrary are inherited; the values are checked where they appear.
  Ctx inherit(const xmlNode* n, const Ctx& parent) {
    Ctx c = parent;
    if (has_attr(n, "ns")) c.ns = attr(n, "ns");
    if (has_attr(n, "datatypeLibrary")) {
      c.dtlib = attr(n, "datatypeLibrary");
      check_datatype_library(n, c.dtlib);
    }
    return c;
  }

  // Section 3: the attributes each element may have (ns and datatypeLibrary on all; foreign,
  // that is qualified in another namespace, anywhere).
  static void check_attributes(const xmlNode* n, std::initializer_list<const char*> extra) {
    for (const xmlAttr* a = n->properties; a; a = a->next) {
      if (a->ns) {
        if (xmlStrEqual(a->ns->href, BAD_CAST kRngNs))
          fail(n, std::string("attribute ") + str(a->name) + " in the RELAX NG namespace on " +
                      element_name(n) + " (RELAX NG 3)");
        continue;
      }
      const char* name = str(a->name);
      bool ok = !std::strcmp(name, "ns") || !std::strcmp(name, "datatypeLibrary");
      for (const char* e : extra) ok = ok || !std::strcmp(name, e);
      if (!ok)
        fail(n, std::string("attribute ") + name + " is not allowed on " + element_name(n) +
                    " (RELAX NG 3)");
    }
  }

  // The RELAX NG children of `n`; text other than whitespace is an error unless `text_ok`.
  static std::vector<xmlNode*> children(xmlNode* n, bool text_ok = false) {
    std::vector<xmlNode*> out;
    for (xmlNode* c = n->children; c; c = c->next) {
      if (c->type == XML_ELEMENT_NODE) {
        if (is_rng(c)) out.push_back(c);
      } else if (!text_ok && (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)) {
        if (!is_whitespace(str(c->content)))
          fail(n, "text is not allowed in " + element_name(n) + " (RELAX NG 3)");
      }
    }
    return out;
  }

  // For name, value and param: character content only, no elements at all (3).
  static std::string text_only(xmlNode* n) {
    for (xmlNode* c = n->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE)
        fail(n, element_name(n) + " holds only text (RELAX NG 3)");
    return content(n);
  }

  static std::string ncname(const xmlNode* n, const char* attribute) {
    if (!has_attr(n, attribute))
      fail(n, element_name(n) + " needs a " + attribute + " attribute (RELAX NG 3)");
    const std::string v = trimmed(attr(n, attribute));
    if (xmlValidateNCName(BAD_CAST v.c_str(), 0) != 0)
      fail(n, "\"" + v + "\" is not an NCName (RELAX NG 3)");
    return v;
  }

  // 4.10: a QName written at `n`.
  const NC* qname(const xmlNode* n, const std::string& written, const std::string& default_ns) {
    const std::string q = trimmed(written);
    if (xmlValidateQName(BAD_CAST q.c_str(), 0) != 0)
      fail(n, "\"" + q + "\" is not a QName (RELAX NG 3)");
    const auto colon = q.find(':');
    if (colon == std::string::npos) return nc(N::Name, default_ns, q);
    const std::string prefix = q.substr(0, colon);
    std::string uri;
    if (prefix == "xml") {
      uri = kXmlNs;
    } else {
      xmlNs* ns = xmlSearchNs(n->doc, const_cast<xmlNode*>(n), BAD_CAST prefix.c_str());
      if (!ns) fail(n, "the prefix \"" + prefix + "\" is not declared (RELAX NG 4.10)");
      uri = str(ns->href);
    }
    return nc(N::Name, uri, q.substr(colon + 1));
  }

  // 4.5: href resolved against the base URI of its element (xml:base, then the document).
  std::string resolve(const xmlNode* n) {
    if (!has_attr(n, "href")) fail(n, element_name(n) + " needs an href attribute (RELAX NG 3)");
    const std::string href = trimmed(attr(n, "href"));
    if (href.find('#') != std::string::npos)
      fail(n, "href \"" + href + "\" has a fragment identifier (RELAX NG 4.5)");
    if (!uri_chars_ok(href)) fail(n, "href \"" + href + "\" is not a valid URI (RELAX NG 4.5)");
    xml::XmlCharPtr base(xmlNodeGetBase(n->doc, n));
    xml::XmlCharPtr uri(xmlBuildURI(BAD_CAST href.c_str(), base.get()));
    if (!uri) fail(n, "href \"" + href + "\" cannot be resolved (RELAX NG 4.5)");
    return str(uri.get());
  }

  // Reads the document an include or externalRef names; recursion is an error (4.6, 4.7).
  xmlNode* load(const xmlNode* n, const std::string& uri) {
    std::string path = local_path(n, uri);
    for (const auto& u : loading_)
      if (u == canonical(path)) fail(n, "\"" + uri + "\" refers to itself (RELAX NG 4.6, 4.7)");
    auto cached = docs_.find(path);
    if (cached == docs_.end()) {
      std::string error;
      xml::DocPtr doc = xml::parse_file(path, error);
      if (!doc) fail(n, "cannot read \"" + uri + "\": " + error + " (RELAX NG 4.5)");
      cached = docs_.emplace(path, std::move(doc)).first;
    }
    xmlNode* root = xmlDocGetRootElement(cached->second.get());
    if (!is_rng(root))
      fail(n, "\"" + uri + "\" is not a RELAX NG pattern (RELAX NG 4.6, 4.7)");
    return root;
  }

  // The same file however it is named (relative, absolute, through links): for loops.
  static std::string canonical(const std::string& path) {
    char* real = ::realpath(path.c_str(), nullptr);
    if (!real) return path;
    std::string out = real;
    std::free(real);
    return out;
  }

  static std::string local_path(const xmlNode* n, const std::string& uri) {
    std::string path = uri;
    if (path.rfind("file://", 0) == 0) {
      path = path.substr(7);
      if (path.rfind("localhost/", 0) == 0) path = path.substr(9);
    } else if (path.find("://") != std::string::npos) {
      fail(n, "\"" + uri + "\" is not a local file (schemas are read from local files only)");
    }
    if (char* unescaped = xmlURIUnescapeString(path.c_str(), 0, nullptr)) {
      path = unescaped;
      xmlFree(unescaped);
    }
    return path;
  }

  // Pushes the file `uri` names onto the chain being read (see load).
  void enter(const xmlNode* n, const std::string& uri) {
    // Each file read adds its depth to the recursion; a chain of hundreds is refused.
    if (loading_.size() >= 200)
      fail(n, "includes and externalRefs nest more than 200 files deep (a limit of teikit's "
              "check, not of RELAX NG)");
    loading_.push_back(canonical(local_path(n, uri)));
  }

  // 4.7 (include), 4.11 (div), 4.17 (the parts of a grammar).
  void collect(xmlNode* parent, const Ctx& ctx, Components& out, bool in_include) {
    for (xmlNode* c : children(parent)) {
      Ctx cc = inherit(c, ctx);
      if (is_rng(c, "start")) {
        check_attributes(c, {"combine"});
        out.starts.push_back({c, cc});
      } else if (is_rng(c, "define")) {
        check_attributes(c, {"name", "combine"});
        out.defines[ncname(c, "name")].push_back({c, cc});
      } else if (is_rng(c, "div")) {
        check_attributes(c, {});
        collect(c, cc, out, in_include);
      } else if (is_rng(c, "include") && !in_include) {
        check_attributes(c, {"href"});
        include(c, cc, out);
      } else {
        fail(c, element_name(c) + " is not allowed in " + element_name(parent) +
                    " (RELAX NG 3)");
      }
    }
  }

  void include(xmlNode* n, const Ctx& ctx, Components& out) {
    const std::string uri = resolve(n);
    xmlNode* root = load(n, uri);
    if (!is_rng(root, "grammar"))
      fail(n, "\"" + uri + "\" is not a grammar, so it cannot be included (RELAX NG 4.7)");
    Ctx base = ctx;  // ns goes into the included grammar (4.7); datatypeLibrary does not (4.3)
    base.dtlib.clear();
    Ctx ic = inherit(root, base);
    check_attributes(root, {});
    Components included;
    enter(n, uri);
    collect(root, ic, included, false);
    loading_.pop_back();
    Components overrides;
    collect(n, ctx, overrides, true);
    if (!overrides.starts.empty()) {
      if (included.starts.empty())
        fail(n, "the include replaces start, but \"" + uri + "\" has none (RELAX NG 4.7)");
      included.starts.clear();
    }
    for (const auto& [name, parts] : overrides.defines) {
      if (!included.defines.count(name))
        fail(parts.front().node, "the include replaces define \"" + name + "\", but \"" + uri +
                                     "\" has none (RELAX NG 4.7)");
      included.defines.erase(name);
    }
    for (auto* from : {&included, &overrides}) {
      out.starts.insert(out.starts.end(), from->starts.begin(), from->starts.end());
      for (auto& [name, parts] : from->defines)
        out.defines[name].insert(out.defines[name].end(), parts.begin(), parts.end());
    }
  }

  // 4.17: at most one part without combine, and one combine method.
  static std::string combine(const std::vector<Component>& parts, const std::string& what) {
    std::string method;
    const xmlNode* bare = nullptr;
    for (const auto& p : parts) {
      if (!has_attr(p.node, "combine")) {
        if (bare)
          fail(p.node, "two " + what + " without a combine attribute (RELAX NG 4.17)");
        bare = p.node;
        continue;
      }
      const std::string m = trimmed(attr(p.node, "combine"));
      if (m != "choice" && m != "interleave")
        fail(p.node, "combine must be choice or interleave, not \"" + m + "\" (RELAX NG 3)");
      if (!method.empty() && m != method)
        fail(p.node, what + " combined both by choice and by interleave (RELAX NG 4.17)");
      method = m;
    }
    return method;
  }

  Pat* combined(const std::vector<Component>& parts, const std::string& method, bool start) {
    std::vector<Pat*> bodies;
    for (const auto& p : parts) {
      std::vector<Pat*> kids;
      for (xmlNode* k : children(p.node)) kids.push_back(pattern(k, p.ctx));
      if (kids.empty())
        fail(p.node, element_name(p.node) + " needs a pattern (RELAX NG 3)");
      if (start && kids.size() > 1)
        fail(p.node, "<start> holds one pattern (RELAX NG 3)");
      bodies.push_back(kids.size() == 1 ? kids.front() : pat(P::Group, p.node, kids));
    }
    if (bodies.size() == 1) return bodies.front();
    return pat(method == "interleave" ? P::Interleave : P::Choice, parts.front().node, bodies);
  }

  // 4.18: a grammar's defines are its own; refs inside resolve here, parentRefs in `ctx`'s.
  Def* grammar(xmlNode* n, const Ctx& ctx) {
    check_attributes(n, {});
    Grammar* g = new_grammar(ctx.grammar);
    Ctx gc = ctx;
    gc.grammar = g;
    Components parts;
    collect(n, gc, parts, false);
    const std::string start_method = combine(parts.starts, "starts");
    std::vector<std::pair<Def*, std::string>> methods;
    for (const auto& [name, defs] : parts.defines) {
      Def* d = new_def(name, defs.front().node);
      g->defs[name] = d;
      methods.emplace_back(d, combine(defs, "defines named \"" + name + "\""));
    }
    if (parts.starts.empty()) fail(n, "a grammar must have a start (RELAX NG 4.18)");
    g->start->src = parts.starts.front().node;
    for (auto& [d, method] : methods) d->body = combined(parts.defines[d->name], method, false);
    g->start->body = combined(parts.starts, start_method, true);
    return g->start;
  }

  // The patterns of `n`'s RELAX NG children from `from` on, as one (4.12).
  Pat* group_of(xmlNode* n, const std::vector<xmlNode*>& kids, std::size_t from, const Ctx& c) {
    std::vector<Pat*> ps;
    for (std::size_t i = from; i < kids.size(); ++i) ps.push_back(pattern(kids[i], c));
    if (ps.empty()) fail(n, element_name(n) + " needs a pattern (RELAX NG 3)");
    return ps.size() == 1 ? ps.front() : pat(P::Group, n, ps);
  }

  Pat* pattern(xmlNode* n, const Ctx& parent) {
    Ctx c = inherit(n, parent);
    const std::string name = str(n->name);
    if (name == "element") {
      check_attributes(n, {"name"});
      auto kids = children(n);
      Pat* p = pat(P::Element, n);
      std::size_t from = 0;
      if (has_attr(n, "name")) {
        p->nc = qname(n, attr(n, "name"), c.ns);
      } else {
        if (kids.empty()) fail(n, "<element> needs a name (RELAX NG 3)");
        p->nc = name_class(kids[0], c, 0);
        from = 1;
      }
      p->kids = {group_of(n, kids, from, c)};
      return p;
    }
    if (name == "attribute") {
      check_attributes(n, {"name"});
      auto kids = children(n);
      Pat* p = pat(P::Attribute, n);
      std::size_t from = 0;
      if (has_attr(n, "name")) {
        // 4.8: the name attribute of attribute takes its ns only from the attribute itself.
        p->nc = qname(n, attr(n, "name"), has_attr(n, "ns") ? attr(n, "ns") : "");
      } else {
        if (kids.empty()) fail(n, "<attribute> needs a name (RELAX NG 3)");
        p->nc = name_class(kids[0], c, 0);
        from = 1;
      }
      if (kids.size() > from + 1) fail(n, "<attribute> holds one pattern (RELAX NG 3)");
      p->kids = {kids.size() == from + 1 ? pattern(kids[from], c) : pat(P::Text, n)};
      check_xmlns(n, p->nc);
      return p;
    }
    if (name == "group" || name == "interleave" || name == "choice" || name == "optional" ||
        name == "zeroOrMore" || name == "oneOrMore" || name == "list" || name == "mixed") {
      check_attributes(n, {});
      auto kids = children(n);
      if (kids.empty()) fail(n, element_name(n) + " needs a pattern (RELAX NG 3)");
      std::vector<Pat*> ps;
      for (xmlNode* k : kids) ps.push_back(pattern(k, c));
      auto one = [&]() { return ps.size() == 1 ? ps.front() : pat(P::Group, n, ps); };
      if (name == "group") return pat(P::Group, n, ps);
      if (name == "interleave") return pat(P::Interleave, n, ps);
      if (name == "choice") return pat(P::Choice, n, ps);
      if (name == "optional") return pat(P::Choice, n, {one(), pat(P::Empty, n)});  // 4.14
      if (name == "zeroOrMore")                                                        // 4.15
        return pat(P::Choice, n, {pat(P::OneOrMore, n, {one()}), pat(P::Empty, n)});
      if (name == "oneOrMore") return pat(P::OneOrMore, n, {one()});
      if (name == "list") return pat(P::List, n, {one()});
      return pat(P::Interleave, n, {pat(P::Text, n), one()});  // mixed, 4.13
    }
    if (name == "ref" || name == "parentRef") {
      check_attributes(n, {"name"});
      if (!children(n).empty()) fail(n, element_name(n) + " holds no pattern (RELAX NG 3)");
      const std::string ref = ncname(n, "name");
      Grammar* g = c.grammar;
      if (name == "parentRef") {
        g = g ? g->parent : nullptr;
        if (!g) fail(n, "<parentRef> outside a nested grammar (RELAX NG 4.18)");
      }
      auto it = g->defs.find(ref);
      if (it == g->defs.end())
        fail(n, "no define named \"" + ref + "\" for this " + name + " (RELAX NG 4.18)");
      Pat* p = pat(P::Ref, n);
      p->def = it->second;
      return p;
    }
    if (name == "empty" || name == "text" || name == "notAllowed") {
      check_attributes(n, {});
      if (!children(n).empty()) fail(n, element_name(n) + " holds no pattern (RELAX NG 3)");
      return pat(name == "empty" ? P::Empty : name == "text" ? P::Text : P::NotAllowed, n);
    }
    if (name == "data") {
      check_attributes(n, {"type"});
      const std::string type = ncname(n, "type");
      check_datatype(n, c.dtlib, type);
      Pat* p = pat(P::Data, n);
      for (xmlNode* k : children(n)) {
        if (is_rng(k, "param") && !p->except) {
          check_attributes(k, {"name"});
          check_param(k, c.dtlib, type, ncname(k, "name"), text_only(k));
        } else if (is_rng(k, "except") && !p->except) {
          Ctx ec = inherit(k, c);
          check_attributes(k, {});
          std::vector<Pat*> ps;
          for (xmlNode* e : children(k)) ps.push_back(pattern(e, ec));
          if (ps.empty()) fail(k, "<except> needs a pattern (RELAX NG 3)");
          p->except = ps.size() == 1 ? ps.front() : pat(P::Choice, k, ps);
        } else {
          fail(k, element_name(k) + " is not allowed in <data> here (RELAX NG 3)");
        }
      }
      return p;
    }
    if (name == "value") {
      check_attributes(n, {"type"});
      // 4.4: a value without type is a token of the built-in library.
      const bool typed = has_attr(n, "type");
      const std::string type = typed ? ncname(n, "type") : "token";
      const std::string lib = typed ? c.dtlib : "";
      check_datatype(n, lib, type);
      check_value(n, lib, type, text_only(n));
      return pat(P::Value, n);
    }
    if (name == "externalRef") {
      check_attributes(n, {"href"});
      if (!children(n).empty()) fail(n, "<externalRef> holds no pattern (RELAX NG 3)");
      const std::string uri = resolve(n);
      xmlNode* root = load(n, uri);
      static const std::set<std::string> patterns = {
          "element", "attribute", "group",    "interleave", "choice",      "optional",
          "zeroOrMore", "oneOrMore", "list",  "mixed",      "ref",         "parentRef",
          "empty",   "text",      "value",    "data",       "notAllowed",  "externalRef",
          "grammar"};
      if (!patterns.count(str(root->name)))
        fail(n, "\"" + uri + "\" holds " + element_name(root) +
                    ", not a pattern, so an externalRef cannot refer to it (RELAX NG 4.6)");
      Ctx ec = c;  // 4.6: the ns in force goes into the referenced pattern; datatypeLibrary not
      ec.dtlib.clear();
      enter(n, uri);
      Pat* p = is_rng(root, "grammar") ? ref_to(grammar(root, inherit(root, ec)), root)
                                       : pattern(root, ec);
      loading_.pop_back();
      return p;
    }
    if (name == "grammar") return ref_to(grammar(n, c), n);
    fail(n, element_name(n) + " is not a pattern (RELAX NG 3)");
  }

  Pat* ref_to(Def* start, const xmlNode* src) {
    Pat* p = pat(P::Ref, src);
    p->def = start;
    return p;
  }

  // `forbid`: 1 = no anyName (inside anyName/except), 2 = no nsName either (nsName/except).
  const NC* name_class(xmlNode* n, const Ctx& parent, int forbid) {
    Ctx c = inherit(n, parent);
    const std::string name = str(n->name);
    if (name == "name") {
      check_attributes(n, {});
      return qname(n, text_only(n), c.ns);
    }
    if (name == "anyName" || name == "nsName") {
      check_attributes(n, {});
      if (name == "anyName" && forbid >= 1)
        fail(n, "anyName inside the except of anyName or nsName (RELAX NG 4.16)");
      if (name == "nsName" && forbid >= 2)
        fail(n, "nsName inside the except of nsName (RELAX NG 4.16)");
      NC* out = const_cast<NC*>(nc(name == "anyName" ? N::AnyName : N::NsName,
                                   name == "nsName" ? c.ns : ""));
      for (xmlNode* k : children(n)) {
        if (!is_rng(k, "except") || out->except)
          fail(k, element_name(k) + " is not allowed in " + element_name(n) + " (RELAX NG 3)");
        Ctx ec = inherit(k, c);
        check_attributes(k, {});
        std::vector<const NC*> kids;
        for (xmlNode* e : children(k))
          kids.push_back(name_class(e, ec, name == "anyName" ? std::max(forbid, 1) : 2));
        if (kids.empty()) fail(k, "<except> needs a name class (RELAX NG 3)");
        if (kids.size() == 1) {
          out->except = kids.front();
        } else {
          NC* choice = const_cast<NC*>(nc(N::Choice));
          choice->kids = kids;
          out->except = choice;
        }
      }
      return out;
    }
    if (name == "choice") {
      check_attributes(n, {});
      NC* out = const_cast<NC*>(nc(N::Choice));
      for (xmlNode* k : children(n)) out->kids.push_back(name_class(k, c, forbid));
      if (out->kids.empty()) fail(n, "<choice> needs a name class (RELAX NG 3)");
      return out;
    }
    fail(n, element_name(n) + " is not a name class (RELAX NG 3)");
  }

  // 4.16: no attribute may be named xmlns or be in the xmlns namespace.
  static void check_xmlns(const xmlNode* n, const NC* nc) {
    if ((nc->kind == N::Name || nc->kind == N::NsName) && nc->ns == kXmlnsNs)
      fail(n, "an attribute in the namespace " + std::string(kXmlnsNs) + " (RELAX NG 4.16)");
    if (nc->kind == N::Name && nc->ns.empty() && nc->local == "xmlns")
      fail(n, "an attribute named xmlns (RELAX NG 4.16)");
    if (nc->except) check_xmlns(n, nc->except);
    for (const NC* k : nc->kids) check_xmlns(n, k);
  }

  const xmlDoc* main_;
  std::deque<Pat> pats_;
  std::deque<NC> ncs_;
  std::deque<Def> defs_;
  std::deque<Grammar> grammars_;
  std::map<std::string, xml::DocPtr> docs_;
  std::vector<std::string> loading_;  // the include/externalRef chain being read
};

// ---------------------------------------------------------------------------------------------
// 4.19: reachability and ref loops; 4.20, 4.21: notAllowed and empty; section 7.

class Checker {
  // The walks below recurse along the grammar: through the patterns of a define (at most as
  // deep as the XML) and through refs to defines that are not elements. A chain of thousands
  // of such defines would overflow the stack; it is refused instead (no real grammar comes
  // near: TEI's deepest chain of classes is about 20).
  static constexpr int kMaxDepth = 2000;
  struct Deeper {
    Deeper(int& depth, const Pat* p) : depth_(depth) {
      if (++depth_ > kMaxDepth)
        fail(p->src, "patterns nest more than " + std::to_string(kMaxDepth) +
                         " deep through refs (a limit of teikit's check, not of RELAX NG)");
    }
    ~Deeper() { --depth_; }
    int& depth_;
  };

 public:
  void run(Def* start) {
    check_loops(start);
    Pat* s = norm_def(start);
    drain();
    restrict(s, kStart);
    while (!elements_.empty()) {
      Pat* e = elements_.back();
      elements_.pop_back();
      drain();
      Pat* content = e->kids.front();
      restrict(content, 0);
      info(content);
    }
  }

 private:
  // --- 4.19 ----------------------------------------------------------------------------------
  // Defines reachable from start (through everything); among them, a ref cycle that does not
  // pass through an element is an error: expanding it would not terminate.
  void check_loops(Def* start) {
    std::vector<Def*> reachable;
    std::unordered_set<Def*> seen{start};
    std::vector<Def*> todo{start};
    while (!todo.empty()) {
      Def* d = todo.back();
      todo.pop_back();
      reachable.push_back(d);
      std::vector<Pat*> stack{d->body};
      while (!stack.empty()) {
        Pat* p = stack.back();
        stack.pop_back();
        if (p->kind == P::Ref && seen.insert(p->def).second) todo.push_back(p->def);
        for (Pat* k : p->kids) stack.push_back(k);
        if (p->except) stack.push_back(p->except);
      }
    }
    // Colouring DFS over the refs not under an element.
    std::unordered_map<Def*, int> colour;  // 1 on the stack, 2 done
    for (Def* root : reachable) {
      if (colour[root]) continue;
      struct Frame {
        Def* def;
        std::vector<Pat*> refs;
        std::size_t next = 0;
      };
      std::vector<Frame> frames;
      auto enter = [&](Def* d) {
        colour[d] = 1;
        Frame f{d, {}, 0};
        std::vector<Pat*> stack{d->body};
        while (!stack.empty()) {
          Pat* p = stack.back();
          stack.pop_back();
          if (p->kind == P::Element) continue;
          if (p->kind == P::Ref) {
            f.refs.push_back(p);
            continue;
          }
          for (Pat* k : p->kids) stack.push_back(k);
          if (p->except) stack.push_back(p->except);
        }
        frames.push_back(std::move(f));
      };
      enter(root);
      while (!frames.empty()) {
        Frame& f = frames.back();
        if (f.next == f.refs.size()) {
          colour[f.def] = 2;
          frames.pop_back();
          continue;
        }
        Pat* r = f.refs[f.next++];
        const int c = colour[r->def];
        if (c == 1)
          fail(r->src, "the define \"" + r->def->name +
                           "\" refers to itself without an element in between (RELAX NG 4.19)");
        if (c == 0) enter(r->def);
      }
    }
  }

  // --- 4.20, 4.21 ----------------------------------------------------------------------------
  Pat* make(P kind, const xmlNode* src, std::vector<Pat*> kids = {}) {
    pats_.emplace_back();
    Pat* p = &pats_.back();
    p->kind = kind;
    p->src = src;
    p->kids = std::move(kids);
    return p;
  }

  Pat* norm_def(Def* d) {
    if (d->state == 2) return d->norm;
    d->state = 1;  // no loop can reach here again (check_loops), except through an element
    d->norm = norm(d->body);
    d->norm->shared = true;
    d->state = 2;
    return d->norm;
  }

  // The normalised form of `p`, with refs replaced by what their defines normalise to (shared,
  // not copied). Element contents are normalised later (drain), so recursion stays shallow.
  Pat* norm(Pat* p) {
    const Deeper deeper(depth_, p);
    switch (p->kind) {
      case P::Empty:
      case P::NotAllowed:
      case P::Text:
      case P::Value:
        return p;
      case P::Ref:
        return norm_def(p->def);
      case P::Data: {
        if (!p->except) return p;
        Pat* e = norm(p->except);
        Pat* out = make(P::Data, p->src);
        if (e->kind != P::NotAllowed) out->except = e;
        return out;
      }
      case P::Element: {
        Pat* out = make(P::Element, p->src, {p->kids.front()});
        out->nc = p->nc;
        pending_.push_back(out);
        return out;
      }
      case P::Attribute:
      case P::List:
      case P::OneOrMore: {
        Pat* k = norm(p->kids.front());
        if (k->kind == P::NotAllowed) return k;
        if (p->kind == P::OneOrMore && k->kind == P::Empty) return k;
        Pat* out = make(p->kind, p->src, {k});
        out->nc = p->nc;
        return out;
      }
      case P::Group:
      case P::Interleave: {
        std::vector<Pat*> kids;
        for (Pat* k : p->kids) {
          Pat* n = norm(k);
          if (n->kind == P::NotAllowed) return n;
          if (n->kind != P::Empty) kids.push_back(n);
        }
        if (kids.empty()) return make(P::Empty, p->src);
        if (kids.size() == 1) return kids.front();
        return make(p->kind, p->src, std::move(kids));
      }
      case P::Choice: {
        std::vector<Pat*> kids;
        bool empty = false;
        for (Pat* k : p->kids) {
          Pat* n = norm(k);
          if (n->kind == P::NotAllowed) continue;
          if (n->kind == P::Empty) {
            if (empty) continue;
            empty = true;
          }
          kids.push_back(n);
        }
        if (kids.empty()) return make(P::NotAllowed, p->src);
        if (kids.size() == 1) return kids.front();
        return make(P::Choice, p->src, std::move(kids));
      }
    }
    return p;
  }

  // Normalises the content of every element met so far (not all are reachable: an element
  // in a group with notAllowed is normalised, then dropped with the group; only those the
  // restriction walk reaches from start are checked, as 4.20 comes before section 7).
  void drain() {
    while (!pending_.empty()) {
      Pat* e = pending_.back();
      pending_.pop_back();
      e->kids.front() = norm(e->kids.front());
    }
  }

  // --- 7.1 -----------------------------------------------------------------------------------
  enum : unsigned {
    kStart = 1, kAttribute = 2, kList = 4, kExcept = 8, kOneOrMore = 16, kOneOrMoreGroup = 32
  };

  static void prohibited(const Pat* p, unsigned flags, unsigned bad, const char* what) {
    if (!(flags & bad)) return;
    const char* where = (flags & bad & kStart)             ? "start"
                        : (flags & bad & kAttribute)       ? "attribute"
                        : (flags & bad & kList)            ? "list"
                        : (flags & bad & kExcept)          ? "data/except"
                        : (flags & bad & kOneOrMoreGroup)  ? "oneOrMore//group or interleave"
                                                           : "?";
    const char* section = (flags & bad & kStart)            ? "7.1.5"
                          : (flags & bad & kAttribute)      ? "7.1.1"
                          : (flags & bad & kList)           ? "7.1.3"
                          : (flags & bad & kExcept)         ? "7.1.4"
                                                            : "7.1.2";
    fail(p->src, std::string(where) + "//" + what + " is not allowed (RELAX NG " + section + ")");
  }

  void restrict(Pat* p, unsigned flags) {
    if (p->shared && !restricted_.insert({p, flags}).second) return;
    const Deeper deeper(depth_, p);
    switch (p->kind) {
      case P::Element:
        prohibited(p, flags, kAttribute | kList | kExcept, "element");
        // Checked on its own (its content is a new context), once.
        if (visited_.insert(p).second) elements_.push_back(p);
        return;
      case P::Attribute:
        prohibited(p, flags, kStart | kAttribute | kList | kExcept | kOneOrMoreGroup,
                   "attribute");
        if (infinite(p->nc) && !(flags & kOneOrMore))
          fail(p->src, "an attribute with anyName or nsName must be inside oneOrMore "
                       "(RELAX NG 7.3)");
        restrict(p->kids.front(), flags | kAttribute);
        return;
      case P::Group:
      case P::Interleave:
        prohibited(p, flags, kStart | kExcept, p->kind == P::Group ? "group" : "interleave");
        if (p->kind == P::Interleave) prohibited(p, flags, kList, "interleave");
        for (Pat* k : p->kids)
          restrict(k, (flags & kOneOrMore) ? flags | kOneOrMoreGroup : flags);
        return;
      case P::OneOrMore:
        prohibited(p, flags, kStart | kExcept, "oneOrMore");
        restrict(p->kids.front(), flags | kOneOrMore);
        return;
      case P::List:
        prohibited(p, flags, kStart | kList | kExcept, "list");
        restrict(p->kids.front(), flags | kList);
        return;
      case P::Text:
        prohibited(p, flags, kStart | kList | kExcept, "text");
        return;
      case P::Data:
        prohibited(p, flags, kStart, "data");
        if (p->except) restrict(p->except, flags | kExcept);
        return;
      case P::Value:
        prohibited(p, flags, kStart, "value");
        return;
      case P::Empty:
        prohibited(p, flags, kStart | kExcept, "empty");
        return;
      case P::Choice:
        for (Pat* k : p->kids) restrict(k, flags);
        return;
      case P::NotAllowed:
      case P::Ref:
        return;
    }
  }

  // --- 7.2, 7.3, 7.4 -------------------------------------------------------------------------
  enum class CT : unsigned char { Empty, Complex, Simple, Error };

  struct Info {
    CT ct = CT::Empty;
    bool text = false;
  };

  static bool groupable(CT a, CT b) {
    return a == CT::Empty || b == CT::Empty || (a == CT::Complex && b == CT::Complex);
  }

  // The content type of `p` (7.2) and whether it holds text; checks 7.2 at every group,
  // interleave and oneOrMore, 7.3 at every group and interleave, 7.4 at every interleave.
  Info info(Pat* p) {
    if (p->shared) {
      auto it = infos_.find(p);
      if (it != infos_.end()) return it->second;
    }
    const Deeper deeper(depth_, p);
    Info out;
    switch (p->kind) {
      case P::Attribute:
        // An attribute's value is a string sequence too (7.2: the attribute has content type
        // empty only if its content has one); jing agrees, libxml2 does not check it.
        info(p->kids.front());
        break;
      case P::Empty:
      case P::NotAllowed:
      case P::Ref:
        break;
      case P::Text:
        out = {CT::Complex, true};
        break;
      case P::Element:
        out.ct = CT::Complex;
        break;
      case P::Data:
      case P::Value:
      case P::List:
        out.ct = CT::Simple;
        break;
      case P::OneOrMore: {
        out = info(p->kids.front());
        if (!groupable(out.ct, out.ct))
          fail(p->src, "oneOrMore of data, value or list outside a list: a string sequence "
                       "(RELAX NG 7.2)");
        break;
      }
      case P::Choice: {
        for (Pat* k : p->kids) {
          const Info i = info(k);
          out.ct = std::max(out.ct, i.ct);
          out.text = out.text || i.text;
        }
        break;
      }
      case P::Group:
      case P::Interleave: {
        Owners attributes, elements;
        bool any_text = false;
        for (std::size_t n = 0; n < p->kids.size(); ++n) {
          Pat* k = p->kids[n];
          const Info i = info(k);
          if (!groupable(out.ct, i.ct))
            fail(p->src, std::string(p->kind == P::Group ? "group" : "interleave") +
                             " of data, value or list with other content: a string sequence "
                             "(RELAX NG 7.2)");
          out.ct = std::max(out.ct, i.ct);
          std::string witness;
          for (const NC* nc : names_in(k, true))
            if (!attributes.add(nc, n, witness))
              fail(p->src, "the attribute " + witness + " can occur twice (RELAX NG 7.3)");
          if (p->kind == P::Interleave) {
            if (i.text && any_text)
              fail(p->src, "text on both sides of an interleave (RELAX NG 7.4)");
            for (const NC* nc : names_in(k, false))
              if (!elements.add(nc, n, witness))
                fail(p->src, "the element " + witness +
                                 " on both sides of an interleave (RELAX NG 7.4)");
          }
          any_text = any_text || i.text;
        }
        out.text = any_text;
        break;
      }
    }
    if (p->shared) infos_[p] = out;
    return out;
  }

  // The name classes of the attributes (or child elements) `p` holds, not those inside child
  // elements, each shared part visited once. Found afresh for each group: keeping the sets
  // would cost memory quadratic in a chain of defines; parts without attributes are skipped.
  std::vector<const NC*> names_in(Pat* p, bool attributes) {
    std::vector<const NC*> out;
    std::unordered_set<const Pat*> seen;
    collect_names(p, attributes, out, seen);
    return out;
  }

  void collect_names(Pat* p, bool attributes, std::vector<const NC*>& out,
                     std::unordered_set<const Pat*>& seen) {
    if (p->shared && !seen.insert(p).second) return;
    if (attributes && !has_attributes(p)) return;
    const Deeper deeper(depth_, p);
    if (p->kind == P::Attribute || p->kind == P::Element) {
      if ((p->kind == P::Attribute) == attributes) out.push_back(p->nc);
      return;
    }
    if (p->kind == P::List || p->kind == P::Data) return;
    for (Pat* k : p->kids) collect_names(k, attributes, out, seen);
  }

  bool has_attributes(Pat* p) {
    if (p->kind == P::Attribute) return true;
    if (p->kind == P::Element || p->kind == P::List || p->kind == P::Data || p->kids.empty())
      return false;
    if (p->shared) {
      auto it = has_attributes_.find(p);
      if (it != has_attributes_.end()) return it->second;
    }
    const Deeper deeper(depth_, p);
    bool out = false;
    for (Pat* k : p->kids) out = out || has_attributes(k);
    if (p->shared) has_attributes_[p] = out;
    return out;
  }

  int depth_ = 0;
  std::deque<Pat> pats_;
  std::vector<Pat*> pending_;
  std::vector<Pat*> elements_;
  std::unordered_set<Pat*> visited_;
  std::set<std::pair<Pat*, unsigned>> restricted_;
  std::unordered_map<Pat*, Info> infos_;
  std::unordered_map<const Pat*, bool> has_attributes_;
};

}  // namespace

bool check_grammar(const xmlDoc* grammar, GrammarError& error) {
  const xml::SettingsScope settings;
  xmlSchemaInitTypes();
  Reader reader(grammar);  // outlives the error's node, which may be in a document it read
  try {
    Def* start = reader.read();
    Checker().run(start);
    return true;
  } catch (const Incorrect& e) {
    error.file = e.node && e.node->doc && e.node->doc->URL ? str(e.node->doc->URL)
                 : grammar && grammar->URL                ? str(grammar->URL)
                                                          : "";
    error.line = e.node ? static_cast<int>(xmlGetLineNo(e.node)) : 0;
    error.message = e.message;
    return false;
  }
}

std::string describe(const GrammarError& error, const std::string& main_file) {
  std::string out;
  if (!error.file.empty() && error.file != main_file) out += error.file + ": ";
  if (error.line > 0) out += "line " + std::to_string(error.line) + ": ";
  return out + error.message;
}

}  // namespace teikit
