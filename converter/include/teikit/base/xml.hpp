// RAII wrappers over libxml2/libxslt handles and the locked-down XML reader used everywhere.
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxslt/security.h>
#include <libxslt/xsltInternals.h>

#include <memory>
#include <string>

namespace teikit::xml {

/// Deleters for libxml2/libxslt handles.
struct DocFree { void operator()(xmlDoc* d) const { xmlFreeDoc(d); } };
struct XPathContextFree { void operator()(xmlXPathContext* c) const { xmlXPathFreeContext(c); } };
struct XPathObjectFree { void operator()(xmlXPathObject* o) const { xmlXPathFreeObject(o); } };
struct StylesheetFree { void operator()(xsltStylesheet* s) const { xsltFreeStylesheet(s); } };
struct XmlCharFree { void operator()(xmlChar* s) const { xmlFree(s); } };

using DocPtr = std::unique_ptr<xmlDoc, DocFree>;                       ///< owns an xmlDoc
using XPathContextPtr = std::unique_ptr<xmlXPathContext, XPathContextFree>;  ///< owns a context
using XPathObjectPtr = std::unique_ptr<xmlXPathObject, XPathObjectFree>;     ///< owns a result
using StylesheetPtr = std::unique_ptr<xsltStylesheet, StylesheetFree>;       ///< owns a stylesheet
using XmlCharPtr = std::unique_ptr<xmlChar, XmlCharFree>;                    ///< owns an xmlChar*

/// Parser options for every XML we read: no network, no DTD loading, no entity substitution
/// (external entities are never fetched), no XInclude, huge documents refused.
int safe_parse_options();

/// The `error` the parse functions below give when libxml2 could not allocate memory while
/// reading (whatever error came first): it starts with this text, and no other error does.
inline constexpr const char kParseOutOfMemory[] = "out of memory";

/// True when `error`, set by one of the parse functions below, says memory ran out.
bool parse_ran_out_of_memory(const std::string& error);

/// Parses XML from memory with safe_parse_options(). On failure returns null and sets `error`
/// to "line N: message" of the first error, or to kParseOutOfMemory.
DocPtr parse_memory(const std::string& bytes, const std::string& url, std::string& error);

/// parse_memory for a document that is only read afterwards (rendered): `bytes` is consumed
/// (left empty; the text is freed piece by piece as the parser goes, so text and tree are never
/// held whole together) and short text nodes are stored in the nodes (XML_PARSE_COMPACT; the
/// tree's text must not be modified, nodes may be removed).
DocPtr parse_memory_for_reading(std::string& bytes, const std::string& url, std::string& error);

/// Parses an XML file with safe_parse_options(); see parse_memory.
DocPtr parse_file(const std::string& path, std::string& error);

/// Serialises `doc` as UTF-8 with an XML declaration, indented where that is safe.
std::string serialize(xmlDoc* doc);

/// The string value of attribute `name` of `node`, or "".
std::string attribute(xmlNode* node, const char* name);

/// The text content of `node`.
std::string text_content(xmlNode* node);

/// While alive, the entity loader refuses every resource, local files included: used to let
/// XInclude fall back (xi:fallback) without reading what an xi:include points at.
class RefuseAllLoads {
 public:
  RefuseAllLoads();
  ~RefuseAllLoads();
  RefuseAllLoads(const RefuseAllLoads&) = delete;
  RefuseAllLoads& operator=(const RefuseAllLoads&) = delete;
};

/// Initialises libxml2 once per process (xmlInitParser). Changes no setting a host program
/// may have made; SettingsScope does that, for a while.
void initialise();

/// While alive, libxml2 and libxslt run with teikit's process-wide settings: the entity loader
/// that never reaches the network and reads only bounded regular files, quiet generic error
/// handlers (libxml2 and libxslt) and no structured handler, and security preferences that
/// forbid every write and all network access as libxslt's defaults. The settings found on
/// entry are put back on exit, so a program that uses the library keeps its own handlers and
/// loader. Every entry point of the library that touches libxml2 or libxslt opens one; scopes
/// nest (only the outermost of a thread saves and restores). The entity loader is process-wide
/// in libxml2, the error handlers per thread: threads that use libxml2 on their own while
/// another thread is inside a scope see teikit's loader.
class SettingsScope {
 public:
  SettingsScope();
  ~SettingsScope();
  SettingsScope(const SettingsScope&) = delete;
  SettingsScope& operator=(const SettingsScope&) = delete;
};

/// The security preferences every teikit transformation runs with: writing files, creating
/// directories and any network access are forbidden; reading is limited to local files.
xsltSecurityPrefs* locked_security_prefs();

}  // namespace teikit::xml
