#include "teikit/base/xml.hpp"

#include <sys/stat.h>

#include <libxml/globals.h>
#include <libxml/uri.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>
#include <libxslt/security.h>
#include <libxslt/xsltutils.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

namespace teikit::xml {

namespace {

// libxml2 reports parse errors through a global callback; collecting the first one per parse
// lets callers show "line N: message" instead of noise on stderr.
thread_local std::string* current_error = nullptr;
thread_local int refuse_all_loads = 0;

void structured_error(void*, xmlErrorPtr e) {
  if (!current_error || !e) return;
  // libxml2 2.9 leaves the message null when it could not allocate it (__xmlRaiseError), and
  // says XML_ERR_NO_MEMORY or XML_FROM_MEMORY for a failed allocation; that is the reason the
  // parse failed, whatever error came first, and it is not the file's fault. Reading the file
  // itself short of memory is XML_IO_ENOMEM ("Not enough space"), from its I/O layer.
  if (!e->message || e->code == XML_ERR_NO_MEMORY || e->code == XML_IO_ENOMEM ||
      e->domain == XML_FROM_MEMORY) {
    if (!parse_ran_out_of_memory(*current_error)) *current_error = kParseOutOfMemory;
    return;
  }
  if (!current_error->empty()) return;
  std::string msg = e->message;
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  *current_error = "line " + std::to_string(e->line) + ": " + msg;
}

void silent_generic(void*, const char*, ...) {}

// Refuses every URL that is not a plain local path, so that no parser or stylesheet in this
// process can reach the network even if an option is forgotten somewhere.
xmlParserInputPtr no_network_loader(const char* url, const char* id, xmlParserCtxtPtr ctxt) {
  if (refuse_all_loads) return nullptr;
  if (url && (xmlStrncasecmp(BAD_CAST url, BAD_CAST "http://", 7) == 0 ||
              xmlStrncasecmp(BAD_CAST url, BAD_CAST "https://", 8) == 0 ||
              xmlStrncasecmp(BAD_CAST url, BAD_CAST "ftp://", 6) == 0)) {
    return nullptr;
  }
  // A local resource is read only when it is a regular file of bounded size: an XInclude, a
  // document() or a schema's include of /dev/zero or of a FIFO would be read until memory runs
  // out, or block (issue 8: every input bounded, however it is read).
  if (url) {
    constexpr std::uintmax_t kMaxResourceSize = 512u * 1024 * 1024;  // --max-input-size's default
    std::string path = url;
    if (xmlURIPtr parsed = xmlParseURI(url)) {
      if (!parsed->scheme || xmlStrcasecmp(BAD_CAST parsed->scheme, BAD_CAST "file") == 0)
        path = parsed->path ? parsed->path : "";
      else
        path.clear();  // another scheme: the default loader says what it can do
      xmlFreeURI(parsed);
    }
    struct stat st {};
    if (!path.empty() && ::stat(path.c_str(), &st) == 0 &&
        (!S_ISREG(st.st_mode) || static_cast<std::uintmax_t>(st.st_size) > kMaxResourceSize)) {
      return nullptr;  // the caller reports that the resource could not be loaded
    }
  }
  // libxml2's own loader for what passes, never a host's: its loader may reach the network.
  return xmlNoNetExternalEntityLoader(url, id, ctxt);
}

}  // namespace

RefuseAllLoads::RefuseAllLoads() { ++refuse_all_loads; }
RefuseAllLoads::~RefuseAllLoads() { --refuse_all_loads; }

void initialise() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

namespace {

// Stylesheets may read local files (document() on a sibling file) but never write, create
// directories or touch the network (libxslt security preferences).
int forbid_network_read(xsltSecurityPrefsPtr, xsltTransformContextPtr, const char* value) {
  if (!value) return 0;
  const std::string v = value;
  const auto colon = v.find("://");
  if (colon == std::string::npos) return 1;
  return v.compare(0, colon, "file") == 0 ? 1 : 0;
}

// What a host program had set when the outermost scope of this thread was opened.
struct HostSettings {
  xmlGenericErrorFunc generic = nullptr;
  void* generic_context = nullptr;
  xmlStructuredErrorFunc structured = nullptr;
  void* structured_context = nullptr;
  xmlExternalEntityLoader loader = nullptr;
  xmlGenericErrorFunc xslt_generic = nullptr;
  void* xslt_generic_context = nullptr;
  xsltSecurityPrefsPtr xslt_prefs = nullptr;
};
thread_local int scope_depth = 0;
thread_local HostSettings host;
// The loader is process-wide: the one a host had is restored when the last scope of any thread
// closes.
std::mutex loader_mutex;
int loader_users = 0;
xmlExternalEntityLoader host_loader = nullptr;

}  // namespace

xsltSecurityPrefs* locked_security_prefs() {
  struct PrefsFree {
    void operator()(xsltSecurityPrefs* p) const { xsltFreeSecurityPrefs(p); }
  };
  static std::unique_ptr<xsltSecurityPrefs, PrefsFree> prefs;
  static std::once_flag once;
  std::call_once(once, [] {
    prefs.reset(xsltNewSecurityPrefs());
    xsltSetSecurityPrefs(prefs.get(), XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
    xsltSetSecurityPrefs(prefs.get(), XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid);
    xsltSetSecurityPrefs(prefs.get(), XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid);
    xsltSetSecurityPrefs(prefs.get(), XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
    xsltSetSecurityPrefs(prefs.get(), XSLT_SECPREF_READ_FILE, forbid_network_read);
  });
  return prefs.get();
}

SettingsScope::SettingsScope() {
  initialise();
  if (scope_depth++ > 0) return;
  host.generic = xmlGenericError;
  host.generic_context = xmlGenericErrorContext;
  host.structured = xmlStructuredError;
  host.structured_context = xmlStructuredErrorContext;
  host.xslt_generic = xsltGenericError;
  host.xslt_generic_context = xsltGenericErrorContext;
  host.xslt_prefs = xsltGetDefaultSecurityPrefs();
  {
    std::lock_guard<std::mutex> lock(loader_mutex);
    if (loader_users++ == 0) {
      host_loader = xmlGetExternalEntityLoader();
      xmlSetExternalEntityLoader(no_network_loader);
    }
  }
  xmlSetGenericErrorFunc(nullptr, silent_generic);
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  xsltSetGenericErrorFunc(nullptr, silent_generic);
  xsltSetDefaultSecurityPrefs(locked_security_prefs());
}

SettingsScope::~SettingsScope() {
  if (--scope_depth > 0) return;
  xsltSetDefaultSecurityPrefs(host.xslt_prefs);
  xsltSetGenericErrorFunc(host.xslt_generic_context, host.xslt_generic);
  xmlSetStructuredErrorFunc(host.structured_context, host.structured);
  xmlSetGenericErrorFunc(host.generic_context, host.generic);
  std::lock_guard<std::mutex> lock(loader_mutex);
  if (--loader_users == 0) xmlSetExternalEntityLoader(host_loader);
}

int safe_parse_options() {
  // No XML_PARSE_NOENT (entities are not substituted, so external entities are never loaded),
  // no XML_PARSE_DTDLOAD / DTDATTR / XINCLUDE, no XML_PARSE_HUGE (keeps the entity-expansion
  // limits of libxml2 in force against billion-laughs documents).
  return XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOWARNING | XML_PARSE_NOERROR;
}

namespace {

// Feeds the parser from text held in memory. Read through callbacks rather than xmlReadMemory,
// which copies the whole text into a buffer of its own first (another 1-2 x the document at the
// peak, beside the tree). With `blocks`, each block is freed once the parser has it.
struct MemoryReader {
  const std::string* bytes = nullptr;  // read in place, or
  std::vector<std::string> blocks;     // consumed block by block
  std::size_t block = 0, at = 0;
};

int read_memory(void* context, char* buffer, int len) {
  auto* r = static_cast<MemoryReader*>(context);
  const std::string* from = r->bytes;
  if (!from) {
    while (r->block < r->blocks.size() && r->at == r->blocks[r->block].size()) {
      std::string().swap(r->blocks[r->block++]);
      r->at = 0;
    }
    if (r->block == r->blocks.size()) return 0;
    from = &r->blocks[r->block];
  }
  const std::size_t n = std::min(static_cast<std::size_t>(len), from->size() - r->at);
  std::memcpy(buffer, from->data() + r->at, n);
  r->at += n;
  return static_cast<int>(n);
}

DocPtr parse_with(MemoryReader& reader, const std::string& url, std::string& error, int options) {
  const SettingsScope settings;
  error.clear();
  current_error = &error;
  xmlSetStructuredErrorFunc(nullptr, structured_error);
  DocPtr doc(xmlReadIO(read_memory, nullptr, &reader, url.c_str(), nullptr, options));
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  current_error = nullptr;
  if (!doc && error.empty()) error = "not well-formed XML";
  if (parse_ran_out_of_memory(error)) doc.reset();  // a tree read short of memory may be short
  if (doc && !error.empty()) error.clear();  // recovered warnings are not failures
  return doc;
}

}  // namespace

bool parse_ran_out_of_memory(const std::string& error) {
  return error.rfind(kParseOutOfMemory, 0) == 0;
}

DocPtr parse_memory(const std::string& bytes, const std::string& url, std::string& error) {
  MemoryReader reader;
  reader.bytes = &bytes;
  return parse_with(reader, url, error, safe_parse_options());
}

DocPtr parse_memory_for_reading(std::string& bytes, const std::string& url, std::string& error) {
  // Blocks of 1 MiB, each freed as soon as it was parsed: text and copy coexist (2 x the text)
  // only before the tree grows, and the tree then grows as the text shrinks.
  constexpr std::size_t kBlock = 1 << 20;
  MemoryReader reader;
  for (std::size_t from = 0; from < bytes.size(); from += kBlock)
    reader.blocks.emplace_back(bytes, from, std::min(kBlock, bytes.size() - from));
  std::string().swap(bytes);
  return parse_with(reader, url, error, safe_parse_options() | XML_PARSE_COMPACT);
}

DocPtr parse_file(const std::string& path, std::string& error) {
  const SettingsScope settings;
  error.clear();
  current_error = &error;
  xmlSetStructuredErrorFunc(nullptr, structured_error);
  DocPtr doc(xmlReadFile(path.c_str(), nullptr, safe_parse_options()));
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  current_error = nullptr;
  if (parse_ran_out_of_memory(error)) doc.reset();  // as in parse_with
  if (!doc && error.empty()) error = "cannot read " + path;
  if (doc) error.clear();
  return doc;
}

std::string serialize(xmlDoc* doc) {
  xmlChar* mem = nullptr;
  int size = 0;
  xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
  XmlCharPtr owner(mem);
  return mem ? std::string(reinterpret_cast<const char*>(mem), static_cast<std::size_t>(size))
             : std::string();
}

std::string attribute(xmlNode* node, const char* name) {
  XmlCharPtr v(xmlGetProp(node, BAD_CAST name));
  return v ? std::string(reinterpret_cast<const char*>(v.get())) : std::string();
}

std::string text_content(xmlNode* node) {
  XmlCharPtr v(xmlNodeGetContent(node));
  return v ? std::string(reinterpret_cast<const char*>(v.get())) : std::string();
}

}  // namespace teikit::xml
