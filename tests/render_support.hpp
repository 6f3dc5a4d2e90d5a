// Helpers for the rendering tests (test_render*.cpp and browser/test_render_browser.cpp):
// the documents to render, the stylesheets, and reading an HTML page the way its two views show
// it. Header-only, so both test executables use it without a build change.
#pragma once

#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpathInternals.h>

#include <boost/filesystem.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "teikit/convert/convert.hpp"
#include "teikit/render/transform.hpp"
#include "teikit/base/xml.hpp"
#include "test_support.hpp"

namespace teikit::test {

/// A TEI document of the test corpus: samples/*.txt, and (when ../shared exists) the seeds and
/// the frus-dev transcriptions, each converted with the default options.
struct CorpusDoc {
  std::string name;    ///< "sample-cable-plain", "seed-000_…", "frus-001"
  std::string source;  ///< path of the transcription
  std::string tei;     ///< the converter's TEI
};

/// gtest prints a document parameter by its name.
inline void PrintTo(const CorpusDoc& d, std::ostream* os) { *os << d.name; }

/// The transcriptions under `dir` (*.txt), sorted, named "<prefix><stem>".
inline std::vector<std::pair<std::string, std::string>> transcriptions(const std::string& dir,
                                                                       const std::string& prefix) {
  namespace fs = boost::filesystem;
  std::vector<std::pair<std::string, std::string>> out;
  boost::system::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".txt")
      out.emplace_back(prefix + it->path().stem().string(), it->path().string());
  std::sort(out.begin(), out.end());
  return out;
}

/// Every document of the test corpus, converted once per process.
inline const std::vector<CorpusDoc>& corpus() {
  static const std::vector<CorpusDoc> docs = [] {
    std::vector<std::pair<std::string, std::string>> files =
        transcriptions(source_dir() + "/samples", "sample-");
    if (const std::string shared = shared_dir(); !shared.empty()) {
      for (auto& f : transcriptions(shared + "/corpus/seeds", "seed-")) files.push_back(f);
      for (auto& f : transcriptions(shared + "/corpus/frus-dev", "frus-")) files.push_back(f);
    }
    std::vector<CorpusDoc> out;
    for (const auto& [name, path] : files) {
      // German samples (*-deutsch.txt) with their profile, as scripts/run-samples.sh does.
      ConvertOptions options;
      if (path.size() > 12 && path.compare(path.size() - 12, 12, "-deutsch.txt") == 0)
        options.profile = builtin_profile("de-archive");
      out.push_back({name, path, convert(path, read_file(path), options).xml});
    }
    return out;
  }();
  return docs;
}

/// A project stylesheet (xslt/NAME), compiled once per process.
inline const Stylesheet& project_sheet(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Stylesheet>> sheets;
  auto& s = sheets[name];
  if (!s) s = std::make_unique<Stylesheet>(source_dir() + "/xslt/" + name);
  return *s;
}

/// Applies xslt/NAME to `doc`; "" with `error` set on failure.
inline std::string apply_sheet(const std::string& name, xmlDoc* doc, std::string& error,
                               const std::map<std::string, std::string>& params = {}) {
  const Stylesheet& s = project_sheet(name);
  if (!s.valid()) {
    error = s.error();
    return "";
  }
  return s.apply(doc, params, error);
}

/// Parses TEI text; null on error.
inline xml::DocPtr parse_tei(const std::string& tei) {
  std::string error;
  return xml::parse_memory(tei, "tei.xml", error);
}

/// The views of a page: diplomatic (signs shown) and reading.
enum class View { Diplomatic, Reading };

/// True when the element's class list holds `cls`.
inline bool has_class(xmlNode* n, const std::string& cls) {
  const std::string c = " " + xml::attribute(n, "class") + " ";
  return c.find(" " + cls + " ") != std::string::npos;
}

/// First element named `name` (any namespace) in document order under `n`, or null.
inline xmlNode* find_element(xmlNode* n, const char* name) {
  for (; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, BAD_CAST name) == 0) return n;
    if (xmlNode* r = find_element(n->children, name)) return r;
  }
  return nullptr;
}

/// Every element under `n` whose class list holds `cls`, in document order.
inline void find_by_class(xmlNode* n, const std::string& cls, std::vector<xmlNode*>& out) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (has_class(n, cls)) out.push_back(n);
    find_by_class(n->children, cls, out);
  }
}

/// The text of `n` as the given view shows it, by the stylesheet's rule: class "read" is shown
/// only in the reading view, class "dipl" only in the diplomatic view; <br> is a space; style,
/// script and title are not text.
inline void view_text(xmlNode* n, View view, std::string& out) {
  for (; n; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content) out += reinterpret_cast<const char*>(n->content);
      continue;
    }
    if (n->type != XML_ELEMENT_NODE) continue;
    if (!xmlStrcasecmp(n->name, BAD_CAST "style") || !xmlStrcasecmp(n->name, BAD_CAST "script") ||
        !xmlStrcasecmp(n->name, BAD_CAST "title"))
      continue;
    if (has_class(n, view == View::Diplomatic ? "read" : "dipl")) continue;
    if (!xmlStrcasecmp(n->name, BAD_CAST "br")) {
      out += ' ';
      continue;
    }
    // A block boundary separates words (as a browser's innerText does); inline elements do not
    // ("S<span>[umner]</span>" is one word in the reading view).
    static const char* const blocks[] = {"p", "div", "section", "main", "header", "footer", "li",
                                         "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
                                         "ol", "dl", "body", "details", "summary", "aside"};
    bool block = false;
    for (const char* b : blocks) block = block || !xmlStrcasecmp(n->name, BAD_CAST b);
    if (block) out += ' ';
    view_text(n->children, view, out);
    if (block) out += ' ';
  }
}

inline std::string view_text(xmlNode* n, View view) {
  std::string out;
  if (n) view_text(n->children, view, out);
  return out;
}

/// `s` without whitespace, with "..." written as "…" (the HTML writes the ellipsis character
/// where the text round trip writes three dots).
inline std::string squeeze(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')) out += c;
  std::string r;
  for (std::size_t i = 0; i < out.size();) {
    if (out.compare(i, 3, "...") == 0) {
      r += "\xE2\x80\xA6";
      i += 3;
    } else {
      r += out[i++];
    }
  }
  return r;
}

/// `s` without the characters in `chars`.
inline std::string without(const std::string& s, const std::string& chars) {
  std::string r;
  for (char c : s)
    if (chars.find(c) == std::string::npos) r += c;
  return r;
}

/// The words of `s`: maximal runs of letters and digits, where every non-ASCII character is a
/// letter except the punctuation of Latin-1 (U+00A0–U+00BF: no-break space, «, », …) and of the
/// General Punctuation block (U+2000–U+206F: quotes, dashes, "…"), which separate words.
inline std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string w;
  auto flush = [&] {
    if (!w.empty()) out.push_back(w);
    w.clear();
  };
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    const std::string ch = s.substr(i, len);
    i += len;
    bool letter = c < 0x80 ? std::isalnum(c) != 0 : true;
    if (len == 2 && c == 0xC2 && static_cast<unsigned char>(ch[1]) >= 0xA0) letter = false;
    if (len == 3 && c == 0xE2 && static_cast<unsigned char>(ch[1]) >= 0x80 &&
        static_cast<unsigned char>(ch[1]) <= 0x81)
      letter = false;
    if (letter) w += ch;
    else flush();
  }
  flush();
  return out;
}

/// The reading view's text as the text round trip writes it: a copy of the TEI in which every
/// gap is "…", a conjecture a plain supplied, and sic, unclear, add and stamp are their content
/// alone (the reading view drops "?]", "[sic]", "[?]", "handwritten:", "stamp:" and a change of hand), rendered
/// with tei-to-text.xsl (part=body).
inline std::string reading_round_trip(const std::string& tei, std::string& error) {
  xml::DocPtr doc = parse_tei(tei);
  if (!doc) {
    error = "TEI does not parse";
    return "";
  }
  xml::XPathContextPtr ctx(xmlXPathNewContext(doc.get()));
  xmlXPathRegisterNs(ctx.get(), BAD_CAST "t", BAD_CAST "http://www.tei-c.org/ns/1.0");
  xml::XPathObjectPtr r(xmlXPathEvalExpression(
      BAD_CAST "//t:text//t:gap | //t:text//t:sic | //t:text//t:unclear | //t:text//t:add | "
               "//t:text//t:stamp | //t:text//t:supplied[@cert] | //t:text//t:handShift",
      ctx.get()));
  std::vector<xmlNode*> nodes;
  if (r && r->nodesetval)
    for (int i = 0; i < r->nodesetval->nodeNr; ++i) nodes.push_back(r->nodesetval->nodeTab[i]);
  // Innermost first, so that unwrapping an outer element never frees an inner one still listed.
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    xmlNode* n = *it;
    if (xmlStrEqual(n->name, BAD_CAST "supplied")) {
      xmlUnsetProp(n, BAD_CAST "cert");  // [word?] reads as "word"
    } else if (xmlStrEqual(n->name, BAD_CAST "gap")) {
      xmlNode* t = xmlNewDocText(doc.get(), BAD_CAST "\xE2\x80\xA6");
      xmlReplaceNode(n, t);
      xmlFreeNode(n);
    } else {
      while (xmlNode* c = n->children) {
        xmlUnlinkNode(c);
        xmlAddPrevSibling(n, c);
      }
      xmlUnlinkNode(n);
      xmlFreeNode(n);
    }
  }
  return apply_sheet("tei-to-text.xsl", doc.get(), error, {{"part", "body"}});
}

/// One error the HTML parser reported.
struct HtmlParseError {
  int code;             ///< libxml2 error code
  std::string message;  ///< its message
};

/// Parses HTML with libxml2's HTML parser, collecting every error it reports.
inline xml::DocPtr parse_html(const std::string& html, std::vector<HtmlParseError>& errors) {
  xml::initialise();
  struct Sink {
    static void collect(void* ctx, xmlErrorPtr e) {
      if (e) static_cast<std::vector<HtmlParseError>*>(ctx)->push_back(
          {e->code, e->message ? e->message : ""});
    }
  };
  xmlSetStructuredErrorFunc(&errors, Sink::collect);
  xml::DocPtr doc(htmlReadMemory(html.data(), static_cast<int>(html.size()), "page.html", "UTF-8",
                                 HTML_PARSE_NONET));
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  return doc;
}

}  // namespace teikit::test
