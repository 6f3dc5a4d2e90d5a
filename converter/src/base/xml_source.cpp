#include "teikit/base/xml_source.hpp"

#include <libxml/parserInternals.h>
#include <libxml/xinclude.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cctype>
#include <cstring>
#include <fstream>
#include <iostream>
#include <new>
#include <sstream>

namespace teikit {

namespace {

// Collects the first error of a parse and of XInclude processing (libxml2 reports through a
// global structured handler when XML_PARSE_NOERROR silences the context's own). Validity
// errors the parser notices on the side (an xml:id that is not an NCName, a duplicate ID) are
// not well-formedness errors: the schema reports them.
struct ParseErrors {
  std::string first, first_xinclude;
  std::uint32_t line = 0, xinclude_line = 0;
  bool out_of_memory = false;  // libxml2 could not allocate: no verdict on well-formedness
};

void note_parse_error(ParseErrors* errors, xmlErrorPtr e);

// libxml2 calls this from C: no exception may leave it.
void on_parse_error(void* data, xmlErrorPtr e) {
  auto* errors = static_cast<ParseErrors*>(data);
  try {
    note_parse_error(errors, e);
  } catch (const std::bad_alloc&) {
    errors->out_of_memory = true;
  }
}

void note_parse_error(ParseErrors* errors, xmlErrorPtr e) {
  if (e && (e->domain == XML_FROM_MEMORY ||
            (e->code == XML_ERR_NO_MEMORY &&
             (e->domain == XML_FROM_PARSER || e->domain == XML_FROM_TREE ||
              e->domain == XML_FROM_IO || e->domain == XML_FROM_XINCLUDE))))
    errors->out_of_memory = true;
  if (!e || e->level < XML_ERR_ERROR || e->domain == XML_FROM_VALID) return;
  std::string msg = e->message ? e->message : "not well-formed";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  const auto line = e->line > 0 ? static_cast<std::uint32_t>(e->line) : 0;
  if (e->domain == XML_FROM_XINCLUDE) {
    if (errors->first_xinclude.empty()) errors->first_xinclude = msg, errors->xinclude_line = line;
  } else if (errors->first.empty()) {
    errors->first = msg;
    errors->line = line;
  }
}

// The parser's startElementNs is wrapped so that each element's position is noted while the
// input is at hand. libxml2 2.9's own record_info loses the start offset of every element that
// has content (xmlParseElementEnd reads an uninitialised begin_pos), so it cannot be used.
struct Recorder {
  startElementNsSAX2Func inner = nullptr;
  std::vector<std::pair<const xmlNode*, std::size_t>>* ends = nullptr;
  bool out_of_memory = false;
};

void record_start(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri,
                  int nb_namespaces, const xmlChar** namespaces, int nb_attributes,
                  int nb_defaulted, const xmlChar** attributes) {
  auto* ctxt = static_cast<xmlParserCtxt*>(ctx);
  auto* rec = static_cast<Recorder*>(ctxt->_private);
  rec->inner(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes, nb_defaulted,
             attributes);
  if (ctxt->node && ctxt->input && ctxt->input->base) {
    // At this point the input stands at the '>' (or "/>") that ends the start tag. No '<' can
    // occur inside a start tag (attribute values must escape it), so the last '<' before this
    // offset is where the element starts.
    const auto offset = static_cast<std::size_t>(ctxt->input->consumed) +
                        static_cast<std::size_t>(ctxt->input->cur - ctxt->input->base);
    try {
      rec->ends->emplace_back(ctxt->node, offset);
    } catch (const std::bad_alloc&) {
      // No exception may cross libxml2's C frames: stop the parse and say why.
      rec->out_of_memory = true;
      xmlStopParser(ctxt);
    }
  }
}

std::uint32_t code_points(const std::string& s, std::size_t from, std::size_t to) {
  std::uint32_t n = 0;
  for (std::size_t i = from; i < to && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return n;
}

std::string qualified_name(const xmlNode* node) {
  std::string name = reinterpret_cast<const char*>(node->name);
  if (node->ns && node->ns->prefix)
    name = reinterpret_cast<const char*>(node->ns->prefix) + (":" + name);
  return name;
}

// ---------------------------------------------------------------------------------------------
// The shape check: one pass over the bytes before libxml2 sees them.

// The document's code units: UTF-8 and other ASCII-compatible encodings byte by byte, UTF-16 and
// UTF-32 (told by their byte order mark or by how "<?" is written) unit by unit. Only ASCII
// matters to the check; any other unit reads as 0x80.
class Units {
 public:
  explicit Units(const std::string& b) : b_(b) {
    auto at = [&](std::size_t i) { return i < b.size() ? static_cast<unsigned char>(b[i]) : 1; };
    if (at(0) == 0 && at(1) == 0 && (at(2) == 0xFE || at(2) == 0) && (at(3) == 0xFF || at(3) == '<'))
      width_ = 4, big_ = true;
    else if ((at(0) == 0xFF && at(1) == 0xFE && at(2) == 0 && at(3) == 0) ||
             (at(0) == '<' && at(1) == 0 && at(2) == 0 && at(3) == 0))
      width_ = 4, big_ = false;
    else if ((at(0) == 0xFE && at(1) == 0xFF) || (at(0) == 0 && at(1) == '<'))
      width_ = 2, big_ = true;
    else if ((at(0) == 0xFF && at(1) == 0xFE) || (at(0) == '<' && at(1) == 0))
      width_ = 2, big_ = false;
    size_ = b.size() / width_;
  }
  std::size_t size() const { return size_; }
  /// The first unit at or after `from` that is the ASCII character `c`, or size(). Text between
  /// tags is most of a document: memchr skips it in UTF-8 (a '<' byte is never part of a
  /// multi-byte sequence), unit by unit otherwise.
  std::size_t find_unit(std::size_t from, unsigned c) const {
    if (from >= size_) return size_;
    if (width_ == 1) {
      const void* hit = std::memchr(b_.data() + from, static_cast<int>(c), size_ - from);
      return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - b_.data()) : size_;
    }
    for (std::size_t i = from; i < size_; ++i)
      if ((*this)[i] == c) return i;
    return size_;
  }
  unsigned operator[](std::size_t i) const {
    if (width_ == 1) return static_cast<unsigned char>(b_[i]);
    unsigned v = 0;
    for (std::size_t k = 0; k < width_; ++k) {
      const unsigned byte = static_cast<unsigned char>(b_[i * width_ + (big_ ? k : width_ - 1 - k)]);
      v = (v << 8) | byte;
    }
    return v < 0x80 ? v : 0x80;
  }

 private:
  const std::string& b_;
  std::size_t width_ = 1;
  bool big_ = false;
  std::size_t size_ = 0;
};

bool is_space(unsigned c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The line of unit `i`: lines are counted as the scan goes (`line` at unit `pos`).
struct Cursor {
  const Units& u;
  std::size_t pos = 0;
  std::uint32_t line = 1;
  std::uint32_t line_of(std::size_t i) {
    for (; pos < i && pos < u.size(); ++pos)
      if (u[pos] == '\n') ++line;
    return line;
  }
};

// The first index at or after `from` where `s` (ASCII) begins, or u.size().
std::size_t find(const Units& u, std::size_t from, const char* s) {
  const std::size_t n = std::strlen(s);
  for (std::size_t i = from;; ++i) {
    i = u.find_unit(i, static_cast<unsigned char>(s[0]));
    if (i + n > u.size()) return u.size();
    std::size_t k = 1;
    while (k < n && u[i + k] == static_cast<unsigned char>(s[k])) ++k;
    if (k == n) return i;
  }
}

bool starts(const Units& u, std::size_t i, const char* s) {
  for (std::size_t k = 0; s[k]; ++k)
    if (i + k >= u.size() || u[i + k] != static_cast<unsigned char>(s[k])) return false;
  return true;
}

}  // namespace

std::string check_xml_shape(const std::string& bytes, std::uint32_t* line) {
  const Units u(bytes);
  Cursor cursor{u};
  std::vector<std::size_t> open;  // namespace declarations of each open element
  std::size_t in_scope = 0;
  auto refuse = [&](std::size_t at, const std::string& why) {
    if (line) *line = cursor.line_of(at);
    return why;
  };
  const std::size_t n = u.size();
  // libxml2's cost of the attributes: each compared with each other one of its element.
  const std::size_t pair_budget = kAttributePairsBase + kAttributePairsPerUnit * n;
  std::size_t pairs = 0;
  std::size_t i = 0;
  while (i < n) {
    if (u[i] != '<') {
      i = u.find_unit(i, '<');
      continue;
    }
    // The unit after '<' tells the kind of markup; only "<!" needs a longer look.
    const unsigned kind = i + 1 < n ? u[i + 1] : 0;
    if (kind == '!' && starts(u, i, "<!--")) {
      i = find(u, i + 4, "-->") + 3;
    } else if (kind == '!' && starts(u, i, "<![CDATA[")) {
      i = find(u, i + 9, "]]>") + 3;
    } else if (kind == '?') {
      i = find(u, i + 2, "?>") + 2;
    } else if (kind == '!') {
      // A document type declaration: its internal subset, if any, is measured.
      const std::size_t begin = i;
      std::size_t subset_begin = 0;
      unsigned quote = 0;
      bool in_subset = false;
      for (i += 2; i < n; ++i) {
        const unsigned c = u[i];
        if (quote) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (in_subset && starts(u, i, "<!--")) {
          i = find(u, i + 4, "-->") + 2;
        } else if (in_subset && starts(u, i, "<?")) {
          i = find(u, i + 2, "?>") + 1;
        } else if (!in_subset && c == '[') {
          in_subset = true;
          subset_begin = i;
        } else if (in_subset && c == ']') {
          in_subset = false;
          if (i - subset_begin > kMaxInternalSubsetUnits)
            return refuse(begin, "the document type declaration's internal subset is larger than " +
                                     std::to_string(kMaxInternalSubsetUnits / 1024) +
                                     " KiB, more than teikit reads");
        } else if (!in_subset && c == '>') {
          break;
        }
      }
      if (in_subset && i - subset_begin > kMaxInternalSubsetUnits)
        return refuse(begin, "the document type declaration's internal subset is larger than " +
                                 std::to_string(kMaxInternalSubsetUnits / 1024) +
                                 " KiB, more than teikit reads");
      ++i;
    } else if (kind == '/') {
      if (!open.empty()) {
        in_scope -= open.back();
        open.pop_back();
      }
      i = find(u, i + 2, ">") + 1;
    } else {
      // A start tag: count its attributes (one '=' outside quotes each) and namespace
      // declarations (those named xmlns or xmlns:…).
      const std::size_t begin = i;
      std::size_t attributes = 0, declarations = 0;
      std::size_t run_begin = i + 1, run_end = i + 1;  // the last run of name characters
      bool in_run = false;
      bool empty = false;
      for (++i; i < n; ++i) {
        const unsigned c = u[i];
        if (c == '"' || c == '\'') {
          // An attribute value: nothing in it counts, so the scan goes to its closing quote.
          i = u.find_unit(i + 1, c);
          in_run = false;
        } else if (c == '>') {
          empty = u[i - 1] == '/';
          break;
        } else if (c == '<') {
          break;  // not well-formed: libxml2 says so
        } else if (c == '=') {
          in_run = false;
          ++attributes;
          const std::size_t len = run_end - run_begin;
          if ((len == 5 && starts(u, run_begin, "xmlns")) ||
              (len > 6 && starts(u, run_begin, "xmlns:")))
            ++declarations;
          run_begin = run_end = i + 1;
          if (attributes > kMaxAttributes)
            return refuse(begin, "an element has more than " + std::to_string(kMaxAttributes) +
                                     " attributes, more than teikit reads");
        } else if (is_space(c)) {
          in_run = false;
        } else {
          if (!in_run) run_begin = i;
          in_run = true;
          run_end = i + 1;
        }
      }
      pairs += attributes * attributes;
      if (pairs > pair_budget)
        return refuse(begin, "too many attributes on too many elements for the document's size "
                             "(the sum of the squares of the elements' attribute counts exceeds " +
                                 std::to_string(pair_budget) + "), more than teikit reads");
      if (!empty) {
        open.push_back(declarations);
        in_scope += declarations;
        if (in_scope > kMaxNamespaceDeclarations)
          return refuse(begin, "more than " + std::to_string(kMaxNamespaceDeclarations) +
                                   " namespace declarations are in scope, more than teikit reads");
      }
      ++i;
    }
  }
  return "";
}

XmlSource::XmlSource(std::string name, std::string bytes, const XmlReadOptions& options)
    : name_(std::move(name)), bytes_(std::move(bytes)) {
  const xml::SettingsScope settings;
  if (bytes_.size() > static_cast<std::size_t>(INT32_MAX)) {
    error_ = "document too large";
    return;
  }
  // Refused before parsing: shapes libxml2 2.9 parses in super-linear time.
  if (std::string why = check_xml_shape(bytes_, &error_line_); !why.empty()) {
    limit_exceeded_ = true;
    error_ = "line " + std::to_string(error_line_) + ": " + why;
    return;
  }
  xmlParserCtxt* ctxt = xmlCreateMemoryParserCtxt(bytes_.data(), static_cast<int>(bytes_.size()));
  if (!ctxt) {
    // For bytes in memory it fails on no bytes, or on an allocation (it copies them).
    if (bytes_.empty()) {
      error_ = "Document is empty";
    } else {
      out_of_memory_ = true;
      error_ = "out of memory while parsing (cannot create a parser)";
    }
    return;
  }
  xmlCtxtUseOptions(ctxt, xml::safe_parse_options());
  // The base URI of the document: relative XIncludes are resolved against it.
  if (ctxt->input && !ctxt->input->filename && name_ != "-" && name_ != "<stdin>")
    ctxt->input->filename = reinterpret_cast<char*>(xmlStrdup(BAD_CAST name_.c_str()));
  Recorder recorder{ctxt->sax->startElementNs, &ends_};
  ctxt->sax->startElementNs = record_start;
  ctxt->_private = &recorder;

  ParseErrors errors;
  xmlSetStructuredErrorFunc(&errors, on_parse_error);
  xmlParseDocument(ctxt);
  xml::DocPtr doc(ctxt->myDoc);
  ctxt->myDoc = nullptr;
  const bool well_formed = ctxt->wellFormed != 0;
  // Offsets are offsets into `bytes_` only when no transcoding took place.
  offsets_are_bytes_ = !(ctxt->input && ctxt->input->buf && ctxt->input->buf->encoder);
  xmlFreeParserCtxt(ctxt);
  bool xinclude_failed = false;
  if (doc && well_formed && options.xinclude) {
    xinclude_failed =
        xmlXIncludeProcessFlags(doc.get(), xml::safe_parse_options() | XML_PARSE_NOXINCNODE) < 0;
  } else if (doc && well_formed) {
    // Without --xinclude an xi:include reads nothing: every inclusion fails on purpose and its
    // xi:fallback is used, as jing does for a resource it cannot read. An inclusion without a
    // fallback is refused with an error (issue 5: XInclude cannot pull files into the tree).
    const xml::RefuseAllLoads refuse;
    xinclude_failed =
        xmlXIncludeProcessFlags(doc.get(), xml::safe_parse_options() | XML_PARSE_NOXINCNODE) < 0;
    if (xinclude_failed && errors.first_xinclude.empty())
      errors.first_xinclude = "an xi:include without xi:fallback";
    if (xinclude_failed)
      errors.first_xinclude = "refused (teikit reads no included resource unless --xinclude is "
                              "given): " + errors.first_xinclude;
  }
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  out_of_memory_ = recorder.out_of_memory || errors.out_of_memory;
  if (out_of_memory_) {
    error_ = "out of memory while parsing";
    return;
  }
  if (!doc || !well_formed) {
    error_ = errors.first.empty() ? "not well-formed XML" : errors.first;
    error_line_ = errors.line;
  } else if (xinclude_failed) {
    error_ = "XInclude failed: " + (errors.first_xinclude.empty()
                                        ? std::string("an inclusion could not be loaded")
                                        : errors.first_xinclude);
    error_line_ = errors.xinclude_line;
  }
  if (!error_.empty()) {
    if (error_line_ > 0) error_ = "line " + std::to_string(error_line_) + ": " + error_;
    return;
  }
  doc_ = std::move(doc);
}

// The index of lines and element starts is built on the first question about a position: most
// documents validated have no finding to place, and building it for each was a tenth of the
// time of validating a collection (a hash-map entry and a backward search per element).
void XmlSource::index() const {
  std::call_once(*indexed_, [this] {
    if (!doc_) return;  // nothing to place (as before: no index for a document that failed)
    line_starts_.push_back(0);
    checkpoints_.push_back(0);
    std::uint32_t points = 0;
    for (std::size_t i = 0; i < bytes_.size(); ++i) {
      if (bytes_[i] == '\n') line_starts_.push_back(i + 1);
      if ((static_cast<unsigned char>(bytes_[i]) & 0xC0) != 0x80) ++points;
      if ((i + 1) % kCheckpointBytes == 0) checkpoints_.push_back(points);
    }
    if (offsets_are_bytes_) {
      starts_.reserve(ends_.size());
      for (const auto& [node, end] : ends_) {
        if (end == 0 || end > bytes_.size()) continue;
        const std::size_t lt = bytes_.rfind('<', end - 1);
        if (lt != std::string::npos) starts_[node] = lt;
      }
    }
    std::vector<std::pair<const xmlNode*, std::size_t>>().swap(ends_);
  });
}

std::uint32_t XmlSource::code_points_before(std::size_t offset) const {
  // Counted from the last checkpoint: a column on a line of megabytes costs at most one block,
  // not the line, however many diagnostics the line has.
  const std::size_t block = std::min(offset / kCheckpointBytes, checkpoints_.size() - 1);
  return checkpoints_[block] + code_points(bytes_, block * kCheckpointBytes, offset);
}

XmlPosition XmlSource::at_offset(std::size_t offset) const {
  XmlPosition p;
  if (line_starts_.empty()) return p;
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const std::size_t line_index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  p.line = static_cast<std::uint32_t>(line_index + 1);
  p.column = code_points_before(offset) - code_points_before(line_starts_[line_index]) + 1;
  return p;
}

std::size_t XmlSource::start_tag_end(std::size_t begin) const {
  char quote = 0;
  for (std::size_t i = begin + 1; i < bytes_.size(); ++i) {
    const char c = bytes_[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i;
    }
  }
  return bytes_.size();
}

XmlPosition XmlSource::position(const xmlNode* node, int fallback_line) const {
  index();
  if (node && node->type == XML_ATTRIBUTE_NODE)
    return attribute_position(node->parent, reinterpret_cast<const char*>(node->name));
  // Text and other non-element nodes: their element. Nodes copied in by XInclude were never
  // seen by the parser: the nearest recorded ancestor (the element that held the xi:include) is
  // the best place in this file.
  for (const xmlNode* n = node; n; n = n->parent) {
    if (n->type != XML_ELEMENT_NODE) continue;
    auto it = starts_.find(n);
    if (it != starts_.end()) return at_offset(it->second);
  }
  // Nothing recorded (an input that was transcoded): libxml2's line, without a column.
  XmlPosition p;
  p.line = fallback_line > 0 ? static_cast<std::uint32_t>(fallback_line) : 0;
  return p;
}

XmlPosition XmlSource::attribute_position(const xmlNode* element,
                                          const std::string& attr_name) const {
  index();
  const XmlPosition fallback =
      position(element, element ? static_cast<int>(xmlGetLineNo(element)) : 0);
  if (!element) return fallback;
  auto it = starts_.find(element);
  if (it == starts_.end()) return fallback;
  // The attribute's name as written (with its prefix, e.g. xml:id for libxml2's "id").
  std::string written = attr_name;
  for (const xmlAttr* a = element->properties; a; a = a->next) {
    if (attr_name == reinterpret_cast<const char*>(a->name)) {
      if (a->ns && a->ns->prefix)
        written = reinterpret_cast<const char*>(a->ns->prefix) + (":" + attr_name);
      break;
    }
  }
  const std::size_t begin = it->second, end = start_tag_end(begin);
  char quote = 0;
  for (std::size_t i = begin + 1; i + written.size() <= end; ++i) {
    const char c = bytes_[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(bytes_[i - 1]))) continue;
    if (bytes_.compare(i, written.size(), written) != 0) continue;
    std::size_t j = i + written.size();
    while (j < end && std::isspace(static_cast<unsigned char>(bytes_[j]))) ++j;
    if (j < end && bytes_[j] == '=') return at_offset(i);
  }
  return fallback;
}

std::string node_path(const xmlNode* node) {
  std::string attr;
  if (node && node->type == XML_ATTRIBUTE_NODE) {
    attr = "/@" + qualified_name(node);
    node = node->parent;
  }
  while (node && node->type != XML_ELEMENT_NODE) node = node->parent;
  std::string path;
  for (; node && node->type == XML_ELEMENT_NODE; node = node->parent) {
    auto same = [node](const xmlNode* n) {
      return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, node->name) &&
             (n->ns == node->ns || (n->ns && node->ns && xmlStrEqual(n->ns->href, node->ns->href)));
    };
    int before = 0;
    for (const xmlNode* s = node->prev; s; s = s->prev) before += same(s);
    // Only whether a later sibling has the name matters: stopping at the first keeps a path
    // proportional to the node's position, not to its number of siblings (a diagnostic on each
    // of the first N of 10^5 siblings would otherwise cost N x 10^5).
    bool after = false;
    for (const xmlNode* s = node->next; s && !after; s = s->next) after = same(s);
    std::string step = "/" + qualified_name(node);
    if (before > 0 || after) step += "[" + std::to_string(before + 1) + "]";
    path = step + path;
  }
  return path + attr;
}

}  // namespace teikit
