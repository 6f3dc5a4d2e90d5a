#include "teikit/render/transform.hpp"

#include <libxml/parserInternals.h>
#include <libxslt/documents.h>
#include <libxslt/extensions.h>
#include <libxslt/imports.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include <libexslt/exslt.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <vector>

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

// The namespace of teikit's extension element (chunk, below).
constexpr const char* kChunkNamespace = "urn:x-teikit:xslt";
void chunk_element(xsltTransformContextPtr, xmlNodePtr, xmlNodePtr, xsltElemPreCompPtr);

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
    xsltRegisterExtModuleElement(BAD_CAST "chunk", BAD_CAST kChunkNamespace, nullptr, chunk_element);
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

// ---- streaming the page by chunks
//
// libxslt builds the whole result tree before anything is written: for a page that is ~1 KB of
// nodes per editorial intervention, against ~50 bytes of TEI. The extension element
// <teikit:chunk> (namespace kChunkNamespace; used by tei-to-html.xsl around each paragraph, under
// element-available() so that xsltproc runs the sheet as before) instantiates its content into a
// detached container, serialises it at once exactly as the result tree would be serialised, frees
// it, and leaves a processing instruction as a placeholder; apply() puts the text back in place
// of the placeholders. The result tree then holds the page's skeleton only.
struct ChunkState {
  std::string marker;                // the placeholder PI's target, unique per transformation
  const xmlChar* encoding = nullptr;  // as xsl:output says, passed to the serialiser like libxslt
  std::string text;                  // every chunk, serialised, one after the other
  std::vector<std::size_t> ends;     // where each chunk ends in `text`
  bool inside = false;               // a chunk within a chunk is written in place
  bool failed = false;
};
thread_local ChunkState* chunk_state = nullptr;

void chunk_element(xsltTransformContextPtr ctxt, xmlNodePtr node, xmlNodePtr inst,
                   xsltElemPreCompPtr) {
  ChunkState* st = chunk_state;
  // Outside apply(), inside another chunk, or while a variable's tree fragment is built (its
  // placeholder could be lost by a conversion to string): the content goes where it stands.
  if (!st || st->inside || !ctxt->insert || !ctxt->output || XSLT_IS_RES_TREE_FRAG(ctxt->output)) {
    xsltApplyOneTemplate(ctxt, node, inst->children, nullptr, nullptr);
    return;
  }
  xmlNodePtr container = xmlNewDocNode(ctxt->output, nullptr, BAD_CAST "chunk", nullptr);
  if (!container) {
    st->failed = true;
    return;
  }
  // The namespaces in scope where the content belongs, so that none is declared again in it.
  if (xmlNsPtr* in_scope = xmlGetNsList(ctxt->output, ctxt->insert)) {
    for (xmlNsPtr* ns = in_scope; *ns; ++ns) xmlNewNs(container, (*ns)->href, (*ns)->prefix);
    xmlFree(in_scope);
  }
  xmlNodePtr insert = ctxt->insert;
  // libxslt appends text to the last text node it wrote when that node is still last; that node
  // must be neither the outer one nor (after the chunk is freed) one of the chunk's.
  ctxt->lasttext = nullptr;
  ctxt->lasttsize = ctxt->lasttuse = 0;
  ctxt->insert = container;
  st->inside = true;
  xsltApplyOneTemplate(ctxt, node, inst->children, nullptr, nullptr);
  st->inside = false;
  ctxt->insert = insert;
  ctxt->lasttext = nullptr;
  ctxt->lasttsize = ctxt->lasttuse = 0;
  close_empty_xhtml_elements(container);
  xmlOutputBufferPtr buf = xmlAllocOutputBuffer(nullptr);
  if (!buf) {
    st->failed = true;
    xmlFreeNode(container);
    return;
  }
  for (xmlNodePtr child = container->children; child; child = child->next)
    xmlNodeDumpOutput(buf, ctxt->output, child, 0, 0, reinterpret_cast<const char*>(st->encoding));
  xmlOutputBufferFlush(buf);
  const xmlChar* bytes = xmlOutputBufferGetContent(buf);
  const std::size_t size = xmlOutputBufferGetSize(buf);
  if (buf->error) st->failed = true;
  if (bytes) st->text.append(reinterpret_cast<const char*>(bytes), size);
  st->ends.push_back(st->text.size());
  xmlOutputBufferClose(buf);
  xmlFreeNode(container);
  xmlAddChild(insert, xmlNewDocPI(ctxt->output, BAD_CAST st->marker.c_str(), nullptr));
}

// The serialised page with each placeholder replaced by its chunk, in order; "" when the
// placeholders do not match the chunks one to one.
bool put_back_chunks(const ChunkState& st, std::string& page) {
  const std::string pi = "<?" + st.marker + "?>";
  std::string out;
  out.reserve(page.size() + st.text.size());
  std::size_t from = 0, chunk = 0, begin = 0;
  for (std::size_t at = page.find(pi); at != std::string::npos; at = page.find(pi, from)) {
    if (chunk >= st.ends.size()) return false;
    out.append(page, from, at - from);
    out.append(st.text, begin, st.ends[chunk] - begin);
    begin = st.ends[chunk++];
    from = at + pi.size();
  }
  if (chunk != st.ends.size()) return false;
  out.append(page, from, std::string::npos);
  page.swap(out);
  return true;
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
  const xmlChar* method = nullptr;
  XSLT_GET_IMPORT_PTR(method, sheet_.get(), method)
  const bool xml_method =
      !method || xmlStrEqual(method, BAD_CAST "xml") || xmlStrEqual(method, BAD_CAST "xhtml");
  int indent = -1;
  XSLT_GET_IMPORT_INT(indent, sheet_.get(), indent)
  ChunkState chunks;
  static std::atomic<unsigned long> transformations{0};
  chunks.marker = "teikit-chunk-" + std::to_string(std::random_device{}()) + "-" +
                  std::to_string(++transformations);
  XSLT_GET_IMPORT_PTR(chunks.encoding, sheet_.get(), encoding)
  // Chunks are serialised as the xml method does, without indentation; other outputs (html, text,
  // no method named: libxslt may choose html afterwards) are built whole.
  chunk_state = method && xmlStrEqual(method, BAD_CAST "xml") && indent != 1 ? &chunks : nullptr;
  std::string msg;
  xslt_error = &msg;
  xsltSetGenericErrorFunc(nullptr, collect_xslt_error);
  const LockedDownLoader loader;  // document() reads through it
  xml::DocPtr out(xsltApplyStylesheetUser(sheet_.get(), doc, args.data(), nullptr, nullptr,
                                          ctxt.get()));
  const int state = ctxt->state;
  chunk_state = nullptr;
  xsltSetGenericErrorFunc(nullptr, nullptr);
  xslt_error = nullptr;
  if (!out || state != XSLT_STATE_OK) {
    error = "transformation failed" + (msg.empty() ? std::string() : ": " + msg);
    return "";
  }
  if (chunks.failed) {
    error = "cannot serialise the transformation result";
    return "";
  }
  if (xml_method) close_empty_xhtml_elements(xmlDocGetRootElement(out.get()));
  xmlChar* mem = nullptr;
  int size = 0;
  if (xsltSaveResultToString(&mem, &size, out.get(), sheet_.get()) != 0) {
    error = "cannot serialise the transformation result";
    return "";
  }
  xml::XmlCharPtr owner(mem);
  std::string page =
      mem ? std::string(reinterpret_cast<const char*>(mem), static_cast<std::size_t>(size)) : "";
  owner.reset();
  out.reset();
  if (!chunks.ends.empty() && !put_back_chunks(chunks, page)) {
    error = "cannot serialise the transformation result (chunks out of place)";
    return "";
  }
  return page;
}

}  // namespace teikit
