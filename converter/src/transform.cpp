#include "teikit/transform.hpp"

#include <libxml/parserInternals.h>
#include <libxslt/documents.h>
#include <libxslt/imports.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include <libexslt/exslt.h>

#include <cstring>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <mutex>

namespace teikit {

namespace {

struct SecurityPrefsFree {
  void operator()(xsltSecurityPrefs* p) const { xsltFreeSecurityPrefs(p); }
};
struct TransformContextFree {
  void operator()(xsltTransformContext* c) const { xsltFreeTransformContext(c); }
};

// Stylesheets may read local files (document() on a sibling file) but never write, create
// directories or touch the network (issue: libxslt security preferences).
int forbid_network_read(xsltSecurityPrefsPtr, xsltTransformContextPtr, const char* value) {
  if (!value) return 0;
  const std::string v = value;
  const auto colon = v.find("://");
  if (colon == std::string::npos) return 1;
  return v.compare(0, colon, "file") == 0 ? 1 : 0;
}

xsltSecurityPrefs* locked_prefs() {
  static std::unique_ptr<xsltSecurityPrefs, SecurityPrefsFree> prefs;
  static std::once_flag once;
  std::call_once(once, [] {
    prefs.reset(xsltNewSecurityPrefs());
    xsltSetSecurityPrefs(prefs.get(), XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
    xsltSetSecurityPrefs(prefs.get(), XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid);
    xsltSetSecurityPrefs(prefs.get(), XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid);
    xsltSetSecurityPrefs(prefs.get(), XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
    xsltSetSecurityPrefs(prefs.get(), XSLT_SECPREF_READ_FILE, forbid_network_read);
    xsltSetDefaultSecurityPrefs(prefs.get());
    exsltRegisterAll();
  });
  return prefs.get();
}

thread_local std::string* xslt_error = nullptr;

void collect_xslt_error(void*, const char* fmt, ...) {
  if (!xslt_error) return;
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (xslt_error->size() < 4000) *xslt_error += buf;
}

// document() and xsl:import/xsl:include go through libxslt's document loader, whose default
// parses with XML_PARSE_NOENT | XML_PARSE_DTDATTR: entities would be expanded and external ones
// read (a notes.xml could pull /etc/hostname into the page). This loader parses like every other
// reader of the project (xml::safe_parse_options(): no entity substitution, no DTD loading, no
// network), keeping libxslt's sharing of the dictionary with the transformation.
xmlDocPtr locked_down_loader(const xmlChar* uri, xmlDictPtr dict, int /*options*/, void*,
                             xsltLoadType) {
  xmlParserCtxtPtr pctxt = xmlNewParserCtxt();
  if (!pctxt) return nullptr;
  if (dict) {
    if (pctxt->dict) xmlDictFree(pctxt->dict);
    pctxt->dict = dict;
    xmlDictReference(dict);
  }
  xmlCtxtUseOptions(pctxt, xml::safe_parse_options());
  xmlParserInputPtr input = xmlLoadExternalEntity(reinterpret_cast<const char*>(uri), nullptr, pctxt);
  if (!input) {
    xmlFreeParserCtxt(pctxt);
    return nullptr;
  }
  inputPush(pctxt, input);
  if (!pctxt->directory) pctxt->directory = xmlParserGetDirectory(reinterpret_cast<const char*>(uri));
  xmlParseDocument(pctxt);
  xmlDocPtr doc = pctxt->myDoc;
  if (!pctxt->wellFormed) {
    xmlFreeDoc(doc);
    doc = nullptr;
  }
  pctxt->myDoc = nullptr;
  xmlFreeParserCtxt(pctxt);
  return doc;
}

// The loader is process-wide libxslt state: installed while any stylesheet is compiled or
// applied here (counted, so that concurrent transformations share it) and the previous loader
// restored after the last one.
class LockedDownLoader {
 public:
  LockedDownLoader() {
    std::lock_guard<std::mutex> lock(mutex());
    if (users()++ == 0) {
      previous() = xsltDocDefaultLoader;
      xsltSetLoaderFunc(locked_down_loader);
    }
  }
  ~LockedDownLoader() {
    std::lock_guard<std::mutex> lock(mutex());
    if (--users() == 0) xsltSetLoaderFunc(previous());
  }
  LockedDownLoader(const LockedDownLoader&) = delete;
  LockedDownLoader& operator=(const LockedDownLoader&) = delete;

 private:
  static std::mutex& mutex() { static std::mutex m; return m; }
  static int& users() { static int n = 0; return n; }
  static xsltDocLoaderFunc& previous() { static xsltDocLoaderFunc f = nullptr; return f; }
};

// HTML's void elements: the only ones an HTML parser reads as complete without an end tag.
bool html_void(const xmlChar* name) {
  static const char* const kVoid[] = {"area", "base", "br",    "col",  "embed", "hr",
                                      "img",  "input", "link", "meta", "param", "source",
                                      "track", "wbr"};
  for (const char* v : kVoid)
    if (xmlStrEqual(name, BAD_CAST v)) return true;
  return false;
}

// A page written with the xml output method serialises an empty element as <x/>, which an HTML
// parser reads as an open tag that swallows what follows (<span class="figure"/>). An empty text
// child makes the serialiser write <x></x> instead; void elements keep <br/>. Only elements in
// the XHTML namespace are touched, so other XML results are written as before. Iterative: result
// trees may be deep.
void close_empty_xhtml_elements(xmlNode* root) {
  static const xmlChar* const kXhtml = BAD_CAST "http://www.w3.org/1999/xhtml";
  xmlNode* n = root;
  while (n) {
    if (n->type == XML_ELEMENT_NODE && !n->children && n->ns && xmlStrEqual(n->ns->href, kXhtml) &&
        !html_void(n->name)) {
      xmlAddChild(n, xmlNewDocText(n->doc, BAD_CAST ""));
    }
    if (n->type == XML_ELEMENT_NODE && n->children) {
      n = n->children;
      continue;
    }
    while (n && n != root && !n->next) n = n->parent;
    if (!n || n == root) break;
    n = n->next;
  }
}

// XPath string literal for a parameter value (XSLT params are XPath expressions).
std::string xpath_literal(const std::string& v) {
  if (v.find('\'') == std::string::npos) return "'" + v + "'";
  if (v.find('"') == std::string::npos) return "\"" + v + "\"";
  std::string r = "concat(";
  std::size_t start = 0;
  for (std::size_t i = 0; i <= v.size(); ++i) {
    if (i == v.size() || v[i] == '\'') {
      if (start > 0) r += ",\"'\",";
      r += "'" + v.substr(start, i - start) + "'";
      start = i + 1;
    }
  }
  return r + ")";
}

}  // namespace

Stylesheet::Stylesheet(const std::string& path) {
  xml::initialise();
  locked_prefs();
  std::string parse_error;
  xml::DocPtr doc = xml::parse_file(path, parse_error);
  if (!doc) {
    error_ = path + ": " + parse_error;
    return;
  }
  std::string msg;
  xslt_error = &msg;
  xsltSetGenericErrorFunc(nullptr, collect_xslt_error);
  const LockedDownLoader loader;  // xsl:import and xsl:include read through it
  xsltStylesheet* sheet = xsltParseStylesheetDoc(doc.get());
  xsltSetGenericErrorFunc(nullptr, nullptr);
  xslt_error = nullptr;
  if (!sheet) {
    error_ = path + ": stylesheet did not compile" + (msg.empty() ? "" : ": " + msg);
    return;
  }
  doc.release();  // owned by the stylesheet now
  // libxslt returns a stylesheet even when it reported compilation errors (an unknown xsl:
  // instruction, a bad XPath); running it would fail or silently drop output, so it is refused.
  if (sheet->errors > 0) {
    xsltFreeStylesheet(sheet);
    error_ = path + ": stylesheet did not compile" + (msg.empty() ? "" : ": " + msg);
    return;
  }
  sheet_.reset(sheet);
}

std::string Stylesheet::apply(xmlDoc* doc, const std::map<std::string, std::string>& params,
                              std::string& error) const {
  error.clear();
  if (!sheet_) {
    error = error_;
    return "";
  }
  std::vector<std::string> storage;
  std::vector<const char*> args;
  for (const auto& [k, v] : params) {
    storage.push_back(k);
    storage.push_back(xpath_literal(v));
  }
  for (const auto& s : storage) args.push_back(s.c_str());
  args.push_back(nullptr);
  std::unique_ptr<xsltTransformContext, TransformContextFree> ctxt(
      xsltNewTransformContext(sheet_.get(), doc));
  xsltSetCtxtSecurityPrefs(locked_prefs(), ctxt.get());
  std::string msg;
  xslt_error = &msg;
  xsltSetGenericErrorFunc(nullptr, collect_xslt_error);
  const LockedDownLoader loader;  // document() reads through it
  xml::DocPtr out(xsltApplyStylesheetUser(sheet_.get(), doc, args.data(), nullptr, nullptr,
                                          ctxt.get()));
  const int state = ctxt->state;
  xsltSetGenericErrorFunc(nullptr, nullptr);
  xslt_error = nullptr;
  if (!out || state != XSLT_STATE_OK) {
    error = "transformation failed" + (msg.empty() ? std::string() : ": " + msg);
    return "";
  }
  const xmlChar* method = nullptr;
  XSLT_GET_IMPORT_PTR(method, sheet_.get(), method)
  if (!method || xmlStrEqual(method, BAD_CAST "xml") || xmlStrEqual(method, BAD_CAST "xhtml"))
    close_empty_xhtml_elements(xmlDocGetRootElement(out.get()));
  xmlChar* mem = nullptr;
  int size = 0;
  if (xsltSaveResultToString(&mem, &size, out.get(), sheet_.get()) != 0) {
    error = "cannot serialise the transformation result";
    return "";
  }
  xml::XmlCharPtr owner(mem);
  return mem ? std::string(reinterpret_cast<const char*>(mem), static_cast<std::size_t>(size)) : "";
}

std::string stylesheet_dir() {
  if (const char* env = std::getenv("TEIKIT_XSLT_DIR"); env && *env) return env;
  return TEIKIT_XSLT_DIR;
}

}  // namespace teikit
