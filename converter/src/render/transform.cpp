#include "teikit/render/transform.hpp"

#include <libexslt/exslt.h>
#include <libxml/parserInternals.h>
#include <libxml/xpathInternals.h>
#include <libxslt/documents.h>
#include <libxslt/extensions.h>
#include <libxslt/imports.h>
#include <libxslt/keys.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>

#include <algorithm>
#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

// The namespace of teikit's extension element (chunk, below).
constexpr const char* kChunkNamespace = "urn:x-teikit:xslt";
void chunk_element(xsltTransformContextPtr, xmlNodePtr, xmlNodePtr, xsltElemPreCompPtr);
void lines_element(xsltTransformContextPtr, xmlNodePtr, xmlNodePtr, xsltElemPreCompPtr);
void checkpoint_element(xsltTransformContextPtr, xmlNodePtr, xmlNodePtr, xsltElemPreCompPtr);
void key_first_function(xmlXPathParserContextPtr, int);

// Teikit's security preferences (xml.hpp), and the extensions every stylesheet may use,
// registered once (registrations add to libxslt's tables and change nothing a host set).
xsltSecurityPrefs* locked_prefs() {
  static std::once_flag once;
  std::call_once(once, [] {
    exsltRegisterAll();
    xsltRegisterExtModuleElement(BAD_CAST "chunk", BAD_CAST kChunkNamespace, nullptr, chunk_element);
    xsltRegisterExtModuleElement(BAD_CAST "lines", BAD_CAST kChunkNamespace, nullptr, lines_element);
    xsltRegisterExtModuleElement(BAD_CAST "checkpoint", BAD_CAST kChunkNamespace, nullptr,
                                 checkpoint_element);
    xsltRegisterExtModuleFunction(BAD_CAST "key-first", BAD_CAST kChunkNamespace,
                                  key_first_function);
  });
  return xml::locked_security_prefs();
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

// ---- teikit:key-first(name, value)
//
// The first node, in document order, of key(name, value) in the context node's document, or an
// empty node-set. libxslt's key() hands back a copy of the key's whole node-set, so a test such
// as key('pb-by-n', @n)[1] costs the number of nodes with that value: with one pb of the same
// number per paragraph, rendering grew with the square of the document (10 MB of bracket-dense
// text: 65 s against 1.2 s for 1 MB). This reads the key's table in place. Its nodes are in
// document order: libxslt fills a key by evaluating its match as a path over the document.
void key_first_function(xmlXPathParserContextPtr ctxt, int nargs) {
  if (nargs != 2) {
    xmlXPathSetArityError(ctxt);
    return;
  }
  xml::XmlCharPtr value(xmlXPathPopString(ctxt));
  xml::XmlCharPtr qname(xmlXPathPopString(ctxt));
  if (ctxt->error != XPATH_EXPRESSION_OK) return;
  xsltTransformContextPtr tctxt = xsltXPathGetTransformContext(ctxt);
  xmlNodePtr node = ctxt->context->node;
  if (!tctxt || !node || !qname || !value) {
    xmlXPathSetError(ctxt, XPATH_INVALID_OPERAND);
    return;
  }
  // The key's name as key() reads it: a QName resolved against the stylesheet's namespaces.
  const xmlChar* uri = nullptr;
  xml::XmlCharPtr prefix;
  const xmlChar* local = xmlSplitQName2(qname.get(), reinterpret_cast<xmlChar**>(&prefix));
  xml::XmlCharPtr local_owner(const_cast<xmlChar*>(local));
  if (!local) local = qname.get();
  if (prefix) {
    uri = xmlXPathNsLookup(ctxt->context, prefix.get());
    if (!uri) {
      xmlXPathSetError(ctxt, XPATH_UNDEF_PREFIX_ERROR);
      return;
    }
  }
  xmlDocPtr doc = node->doc;
  xsltDocumentPtr keyed = doc ? xsltFindDocument(tctxt, doc) : nullptr;
  xmlNodePtr first = nullptr;
  if (keyed) {
    // xsltGetKey reads the keys of tctxt->document, as key() does for the context's document.
    xsltDocumentPtr saved = tctxt->document;
    tctxt->document = keyed;
    xmlNodeSetPtr set = xsltGetKey(tctxt, local, uri, value.get());
    tctxt->document = saved;
    if (set && set->nodeNr > 0) first = set->nodeTab[0];
  }
  valuePush(ctxt, xmlXPathNewNodeSet(first));
}

// ---- streaming the page by chunks
//
// libxslt builds the whole result tree before anything is written: for a page that is ~1 KB of
// nodes per editorial intervention, against ~50 bytes of TEI. The extension element
// <teikit:chunk> (namespace kChunkNamespace; used by tei-to-html.xsl around each paragraph, under
// element-available() so that xsltproc runs the sheet as before) instantiates its content where
// it stands and then flushes the page: everything of it built so far is written to the sink and
// removed from the result tree, which then holds only the elements still open (the chunk's
// ancestors) and what was added since the last flush. <teikit:lines/> (the lines of a text node
// with a <br/> between them) flushes every kLinesPerFlush lines, and <teikit:checkpoint/> (at the
// end of each inline template) every kCheckpointsPerFlush times it is reached, wherever it stands:
// one paragraph of 10^5 interventions (or a note holding them) is not held whole either.
//
// What to write at a flush is found with the serialiser itself: a marker processing instruction
// is put at the insertion point and the (pruned) result is serialised as the whole page would
// be; the bytes before the marker are the page up to there. After the pruning, the same is done
// again: those bytes ("head": the XML declaration, the doctype, the start tags of the open
// elements) are written already, and every later serialisation of the pruned result must begin
// with them (checked; a difference is an error, never a page with misplaced parts).
struct ChunkState {
  std::string marker;                 // the marker PI's target, unique per transformation
  xsltStylesheet* style = nullptr;
  const xmlChar* doctype_public = nullptr;  // xsl:output's, for the doctype libxslt adds at the end
  const xmlChar* doctype_system = nullptr;
  const ByteSink* sink = nullptr;
  std::string head;                   // written already; every serialisation starts with it
  std::size_t checkpoints = 0;        // checkpoints reached since the last flush
  bool text_method = false;           // xsl:output method="text": the page is its text nodes
  bool failed = false;
  bool sink_failed = false;
};
thread_local ChunkState* chunk_state = nullptr;

constexpr std::size_t kLinesPerFlush = 1024;
// An inline template makes ~1 KB of result nodes (a span with its label, signs and views): a
// flush per 512 keeps the result tree under a megabyte, and a flush's cost (two serialisations of
// the open elements and a search for the marker) small beside what it writes.
constexpr std::size_t kCheckpointsPerFlush = 512;

bool send(ChunkState& st, const char* data, std::size_t size) {
  if (size == 0) return true;
  if (!(*st.sink)(data, size)) {
    st.sink_failed = st.failed = true;
    return false;
  }
  return true;
}

// The result document serialised as xsltSaveResultTo does, with a marker PI as the last child of
// `parent`; `before` gets the bytes before the marker. libxslt adds the doctype of xsl:output only
// after the transformation; it is added here for the serialisation (as libxslt makes it: the
// root's qualified name, first child of the document) and removed again, so that libxslt's own
// is the only one in the end.
bool serialise_up_to(ChunkState& st, xmlDocPtr doc, xmlNodePtr parent, std::string& before) {
  xmlNodePtr pi = xmlNewDocPI(doc, BAD_CAST st.marker.c_str(), nullptr);
  if (!pi || !xmlAddChild(parent, pi)) {
    xmlFreeNode(pi);
    return false;
  }
  xmlDtdPtr dtd = nullptr;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  if ((st.doctype_public || st.doctype_system) && root && !doc->intSubset) {
    std::string name = reinterpret_cast<const char*>(root->name);
    if (root->ns && root->ns->prefix)
      name = reinterpret_cast<const char*>(root->ns->prefix) + (":" + name);
    // libxslt makes the doctype the document's first child (xmlCreateIntSubset on the document
    // would put it after a comment or PI before the root).
    dtd = xmlCreateIntSubset(nullptr, BAD_CAST name.c_str(), st.doctype_public, st.doctype_system);
    if (dtd) {
      dtd->doc = doc;
      dtd->parent = doc;
      doc->intSubset = dtd;
      xmlNodePtr node = reinterpret_cast<xmlNodePtr>(dtd);
      node->next = doc->children;
      if (doc->children) doc->children->prev = node;
      else doc->last = node;
      doc->children = node;
    }
  }
  if (root) close_empty_xhtml_elements(root);
  xmlChar* mem = nullptr;
  int size = 0;
  const int saved = xsltSaveResultToString(&mem, &size, doc, st.style);
  xml::XmlCharPtr owner(mem);
  if (dtd) {
    xmlUnlinkNode(reinterpret_cast<xmlNodePtr>(dtd));
    xmlFreeDtd(dtd);
  }
  xmlUnlinkNode(pi);
  xmlFreeNode(pi);
  if (saved != 0 || !mem) return false;
  const std::string text(reinterpret_cast<const char*>(mem), static_cast<std::size_t>(size));
  const std::size_t at = text.find("<?" + st.marker + "?>");
  if (at == std::string::npos) return false;
  before.assign(text, 0, at);
  return true;
}

// Removes from the result everything that precedes `parent` in document order and every child of
// `parent`: all of it was written. What stays are `parent` and its ancestors, whose end tags are
// still to come. `parent` gets an empty text node, so that it is never serialised as <x/> (its
// start tag <x> is written already). Nothing else in libxslt points at the removed nodes (text
// is not appended to them: the caller resets lasttext).
bool prune_written(xmlNodePtr parent) {
  xmlNodePtr keep = nullptr;
  for (xmlNodePtr n = parent; n; keep = n, n = n->parent) {
    for (xmlNodePtr c = n->children; c && c != keep;) {
      xmlNodePtr next = c->next;
      xmlUnlinkNode(c);
      xmlFreeNode(c);
      c = next;
    }
    if (n->type == XML_DOCUMENT_NODE) break;
  }
  if (parent->type == XML_ELEMENT_NODE) {
    xmlNodePtr empty = xmlNewDocText(parent->doc, BAD_CAST "");
    if (!empty || !xmlAddChild(parent, empty)) {
      xmlFreeNode(empty);
      return false;
    }
  }
  return true;
}

// Whether the transformation writes where a flush can write: within the page's root element
// (not a variable's tree fragment, nor the detached node libxslt builds an attribute's or a
// comment's value in; not the document node, where the doctype, made from the root's name,
// would not be known yet).
bool streaming_here(xsltTransformContextPtr ctxt) {
  ChunkState* st = chunk_state;
  if (!st || st->failed || !ctxt->insert || !ctxt->output || XSLT_IS_RES_TREE_FRAG(ctxt->output))
    return false;
  // A text page has no doctype or tags: it may be written from the document node as well.
  if (ctxt->insert->type != XML_ELEMENT_NODE &&
      !(st->text_method && ctxt->insert == reinterpret_cast<xmlNodePtr>(ctxt->output)))
    return false;
  xmlNodePtr n = ctxt->insert;
  while (n->parent) n = n->parent;
  return n == reinterpret_cast<xmlNodePtr>(ctxt->output);
}

// The text of a text page's result: its text nodes in document order, as xsltSaveResultTo
// writes them for method="text" (UTF-8: the only encoding streamed, see apply_to). Iterative.
bool write_text_nodes(ChunkState& st, xmlNodePtr root) {
  for (xmlNodePtr n = root->children; n;) {
    if (n->type == XML_TEXT_NODE && n->content &&
        !send(st, reinterpret_cast<const char*>(n->content),
              std::strlen(reinterpret_cast<const char*>(n->content))))
      return false;
    if (n->children && n->type == XML_ELEMENT_NODE) {
      n = n->children;
      continue;
    }
    while (n && n != root && !n->next) n = n->parent;
    if (!n || n == root) break;
    n = n->next;
  }
  return true;
}

// Writes everything of the page built so far and removes it from the result tree.
void flush(xsltTransformContextPtr ctxt) {
  ChunkState& st = *chunk_state;
  xmlNodePtr insert = ctxt->insert;
  // libxslt appends text to the last text node it wrote when that node is still last; that node
  // is freed below.
  ctxt->lasttext = nullptr;
  ctxt->lasttsize = ctxt->lasttuse = 0;
  st.checkpoints = 0;
  if (st.text_method) {
    // Everything in the result is before the insertion point: write its text, keep the open
    // elements (prune_written gives `insert` an empty text node, which writes nothing).
    if (!write_text_nodes(st, reinterpret_cast<xmlNodePtr>(ctxt->output)) || !prune_written(insert))
      st.failed = true;
    if (st.failed) ctxt->state = XSLT_STATE_STOPPED;
    return;
  }
  std::string before;
  if (!serialise_up_to(st, ctxt->output, insert, before) ||
      before.compare(0, st.head.size(), st.head) != 0) {
    st.failed = true;
  } else if (send(st, before.data() + st.head.size(), before.size() - st.head.size())) {
    // The head is serialised again at every flush: an element's address says nothing once
    // written elements are freed (a new element may take the address of a pruned one).
    if (!prune_written(insert) || !serialise_up_to(st, ctxt->output, insert, st.head))
      st.failed = true;
  }
  if (st.failed) ctxt->state = XSLT_STATE_STOPPED;
}

void chunk_element(xsltTransformContextPtr ctxt, xmlNodePtr node, xmlNodePtr inst,
                   xsltElemPreCompPtr) {
  xsltApplyOneTemplate(ctxt, node, inst->children, nullptr, nullptr);
  if (ctxt->state == XSLT_STATE_OK && streaming_here(ctxt)) flush(ctxt);
}

void checkpoint_element(xsltTransformContextPtr ctxt, xmlNodePtr, xmlNodePtr, xsltElemPreCompPtr) {
  // A text page's flush only writes the text of a small tree: it is done at every checkpoint, so
  // that libxslt never appends to a long text node (each append to a node it did not just write
  // copies the node: a page of 3 × 10^5 blocks took 44 s).
  if (ctxt->state == XSLT_STATE_OK && streaming_here(ctxt) &&
      (chunk_state->text_method || ++chunk_state->checkpoints >= kCheckpointsPerFlush))
    flush(ctxt);
}

bool xml_blank(const xmlChar* from, const xmlChar* to) {
  for (; from != to; ++from)
    if (*from != ' ' && *from != '\t' && *from != '\r' && *from != '\n') return false;
  return true;
}

// <teikit:lines/> on a text node: its lines, with a <br/> (XHTML) after each but where nothing
// follows (no non-blank line after it in the node and no sibling after the node) — what the
// stylesheet's fallback does with str:split, without a node per line, and flushing the page every
// kLinesPerFlush lines, so that a paragraph of any length is never held whole.
void lines_element(xsltTransformContextPtr ctxt, xmlNodePtr node, xmlNodePtr,
                   xsltElemPreCompPtr) {
  if (!node || (node->type != XML_TEXT_NODE && node->type != XML_CDATA_SECTION_NODE) ||
      !node->content || !ctxt->insert) {
    return;
  }
  static const xmlChar* const kXhtml = BAD_CAST "http://www.w3.org/1999/xhtml";
  const xmlChar* text = node->content;
  const xmlChar* end = text + xmlStrlen(text);
  const bool more = node->next != nullptr;
  // The end of the last non-blank line: a <br/> goes after each line before it.
  const xmlChar* last_text = nullptr;
  for (const xmlChar* line = text; line <= end;) {
    const xmlChar* eol = line;
    while (eol != end && *eol != '\n') ++eol;
    if (!xml_blank(line, eol)) last_text = eol;
    if (eol == end) break;
    line = eol + 1;
  }
  const bool streaming = streaming_here(ctxt);
  std::size_t count = 0;
  for (const xmlChar* line = text;;) {
    const xmlChar* eol = line;
    while (eol != end && *eol != '\n') ++eol;
    ctxt->lasttext = nullptr;  // text nodes are added here, not through libxslt
    ctxt->lasttsize = ctxt->lasttuse = 0;
    xmlNodePtr insert = ctxt->insert;
    if (eol != line) {
      xmlNodePtr t = xmlNewDocTextLen(ctxt->output, line, static_cast<int>(eol - line));
      if (!t || !xmlAddChild(insert, t)) {
        xmlFreeNode(t);
        ctxt->state = XSLT_STATE_STOPPED;
        return;
      }
    }
    if (eol == end) break;
    if (more || (last_text && eol < last_text)) {
      xmlNodePtr br = xmlNewDocNode(ctxt->output, nullptr, BAD_CAST "br", nullptr);
      if (!br || !xmlAddChild(insert, br)) {
        xmlFreeNode(br);
        ctxt->state = XSLT_STATE_STOPPED;
        return;
      }
      xmlNsPtr ns = xmlSearchNsByHref(ctxt->output, br, kXhtml);
      xmlSetNs(br, ns ? ns : xmlNewNs(br, kXhtml, nullptr));
    }
    line = eol + 1;
    if (streaming && ++count % kLinesPerFlush == 0) {
      flush(ctxt);
      if (ctxt->state != XSLT_STATE_OK) return;
    }
  }
  ctxt->lasttext = nullptr;
  ctxt->lasttsize = ctxt->lasttuse = 0;
}

// xmlOutputBuffer callbacks writing the final serialisation to the sink; the first bytes, which
// the chunks wrote already (ChunkState::head), are checked and skipped.
struct FinalWriter {
  ChunkState* st;
  std::size_t skipped = 0;
  bool mismatch = false;
};
int final_write(void* context, const char* data, int len) {
  auto* w = static_cast<FinalWriter*>(context);
  std::size_t n = static_cast<std::size_t>(len);
  const std::string& head = w->st->head;
  if (w->skipped < head.size()) {
    const std::size_t take = std::min(n, head.size() - w->skipped);
    if (head.compare(w->skipped, take, data, take) != 0) {
      w->mismatch = true;
      return -1;
    }
    w->skipped += take;
    data += take;
    n -= take;
  }
  if (!send(*w->st, data, n)) return -1;
  return len;
}
int final_close(void*) { return 0; }

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
  const xml::SettingsScope settings;
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
  std::string page;
  const ByteSink to_string = [&page](const char* data, std::size_t size) {
    page.append(data, size);
    return true;
  };
  if (!apply_to(doc, params, to_string, error)) return "";
  return page;
}

bool Stylesheet::apply_to(xmlDoc* doc, const std::map<std::string, std::string>& params,
                          const ByteSink& sink, std::string& error) const {
  const xml::SettingsScope settings;
  error.clear();
  if (!sheet_) {
    error = error_;
    return false;
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
  // The marker is unguessable by a document (random) and unique per transformation (counted).
  // std::random_device is opened once per process, not once per page: it cost 1.8% of a build.
  static const std::string marker_prefix = "teikit-chunk-" + std::to_string(std::random_device{}()) + "-";
  static std::atomic<unsigned long> transformations{0};
  chunks.marker = marker_prefix + std::to_string(++transformations);
  chunks.style = sheet_.get();
  chunks.sink = &sink;
  const xmlChar* encoding = nullptr;
  XSLT_GET_IMPORT_PTR(encoding, sheet_.get(), encoding)
  XSLT_GET_IMPORT_PTR(chunks.doctype_public, sheet_.get(), doctypePublic)
  XSLT_GET_IMPORT_PTR(chunks.doctype_system, sheet_.get(), doctypeSystem)
  // Chunks are serialised as the xml method does, without indentation, or, for a text page, as
  // its text; other outputs (html, no method named: libxslt may choose html afterwards) are
  // built whole.
  // A text page is streamed when it is UTF-8 (its text nodes are written as they are).
  chunks.text_method = method && xmlStrEqual(method, BAD_CAST "text") &&
                       (!encoding || xmlStrcasecmp(encoding, BAD_CAST "UTF-8") == 0);
  chunk_state = (method && xmlStrEqual(method, BAD_CAST "xml") && indent != 1) || chunks.text_method
                    ? &chunks
                    : nullptr;
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
  if (chunks.sink_failed) {
    error = "cannot write the result";
    return false;
  }
  if (chunks.failed) {
    error = "cannot serialise the transformation result";
    return false;
  }
  if (!out || state != XSLT_STATE_OK) {
    error = "transformation failed" + (msg.empty() ? std::string() : ": " + msg);
    return false;
  }
  if (xml_method) close_empty_xhtml_elements(xmlDocGetRootElement(out.get()));
  // The rest of the page (all of it when no chunk was written) goes to the sink through an
  // output buffer, encoded as xsltSaveResultToString would.
  xmlCharEncodingHandlerPtr encoder = nullptr;
  if (encoding) {
    encoder = xmlFindCharEncodingHandler(reinterpret_cast<const char*>(encoding));
    if (encoder && xmlStrEqual(BAD_CAST encoder->name, BAD_CAST "UTF-8")) encoder = nullptr;
  }
  FinalWriter writer{&chunks};
  xmlOutputBufferPtr buf = xmlOutputBufferCreateIO(final_write, final_close, &writer, encoder);
  if (!buf) {
    error = "cannot serialise the transformation result";
    return false;
  }
  const int written = xsltSaveResultTo(buf, out.get(), sheet_.get());
  const int closed = xmlOutputBufferClose(buf);
  if (chunks.sink_failed) {
    error = "cannot write the result";
    return false;
  }
  if (written < 0 || closed < 0 || writer.mismatch || writer.skipped != chunks.head.size()) {
    error = writer.mismatch || writer.skipped != chunks.head.size()
                ? "cannot serialise the transformation result (chunks out of place)"
                : "cannot serialise the transformation result";
    return false;
  }
  return true;
}

}  // namespace teikit
