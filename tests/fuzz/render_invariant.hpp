// The invariant of `teikit render --to html` on hostile input (issue 8), shared by the fuzzer
// (tests/fuzz/fuzz_render.cpp) and the ordinary test suite: for any bytes given as the TEI, the
// project stylesheet either refuses the input (not well-formed, not TEI) or writes a page that is
// well-formed XML, writes no non-void element as <x/> (an HTML parser would read an open tag),
// and links nothing outside the allow-list (http, https, mailto, relative; no on* attribute). Header-only so both link it directly.
#pragma once

#include <cctype>
#include <string>

#include "teikit/render/transform.hpp"
#include "teikit/base/xml.hpp"

namespace teikit::fuzz {

namespace render_detail {

// The first non-void element written in XML's empty form (<span/>, which an HTML parser reads
// as an open tag), or "". The serialiser escapes ">" in text and attribute values, so "/>" only
// ends a tag.
inline std::string self_closed(const std::string& html) {
  static const char* const kVoid[] = {"area", "base", "br", "col", "embed", "hr", "img", "input",
                                      "link", "meta", "param", "source", "track", "wbr"};
  for (std::size_t at = html.find("/>"); at != std::string::npos; at = html.find("/>", at + 2)) {
    const std::size_t lt = html.rfind('<', at);
    if (lt == std::string::npos) continue;
    const std::size_t end = html.find_first_of(" \t\n\r/", lt + 1);
    const std::string name = html.substr(lt + 1, end - lt - 1);
    bool is_void = false;
    for (const char* v : kVoid) is_void = is_void || name == v;
    if (!is_void) return name;
  }
  return "";
}

// The scheme of `url` as a browser reads it, lower case ("" when there is none).
inline std::string scheme(const std::string& url) {
  std::string u;
  for (char c : url)
    if (c != '\t' && c != '\n' && c != '\r') u += c;
  const std::size_t start = u.find_first_not_of(' ');
  if (start == std::string::npos) return "";
  u = u.substr(start);
  const std::size_t colon = u.find(':');
  if (colon == std::string::npos || u.substr(0, colon).find_first_of("/?#\\") != std::string::npos)
    return (u.size() >= 2 && (u[0] == '/' || u[0] == '\\') && (u[1] == '/' || u[1] == '\\')) ? "//"
                                                                                              : "";
  std::string s = u.substr(0, colon);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s.empty() ? ":" : s;
}

inline std::string bad_link(xmlNode* n) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    for (xmlAttr* a = n->properties; a; a = a->next) {
      const std::string name = reinterpret_cast<const char*>(a->name);
      if (name.size() > 2 && (name[0] == 'o' || name[0] == 'O') && (name[1] == 'n' || name[1] == 'N'))
        return "event handler attribute " + name;
      if (name == "href" || name == "src" || name == "action" || name == "formaction") {
        const std::string s = scheme(xml::text_content(reinterpret_cast<xmlNode*>(a)));
        if (!(s.empty() || s == "http" || s == "https" || s == "mailto"))
          return name + " with scheme " + s;
      }
    }
    if (std::string b = bad_link(n->children); !b.empty()) return b;
  }
  return "";
}

}  // namespace render_detail

/// Returns "" when the invariant holds for `bytes` rendered with `sheet` (the compiled
/// xslt/tei-to-html.xsl), else what broke.
inline std::string check_render_invariant(const std::string& bytes, const Stylesheet& sheet) {
  std::string error;
  xml::DocPtr tei = xml::parse_memory(bytes, "fuzz.xml", error);
  if (!tei) return "";  // refused as input: fine
  const std::string html = sheet.apply(tei.get(), {}, error);
  if (!error.empty()) return "";  // refused by the stylesheet (not TEI, …): fine
  xml::DocPtr page = xml::parse_memory(html, "page.html", error);
  if (!page) return "page is not well-formed XML: " + error;
  if (std::string e = render_detail::self_closed(html); !e.empty())
    return "non-void element written as <" + e + "/>";
  if (std::string bad = render_detail::bad_link(xmlDocGetRootElement(page.get())); !bad.empty())
    return "link outside the allow-list: " + bad;
  return "";
}

}  // namespace teikit::fuzz
