#include "teikit/convert/blocks.hpp"

#include <cmark.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "teikit/base/diagnostics.hpp"

namespace teikit {

static_assert(sizeof(Block) <= 24, "a block is held per paragraph, all at once: keep it small");

BlockText BlockText::view_of(std::string_view source_slice) {
  BlockText t;
  t.data_ = source_slice.data();
  t.size_ = static_cast<std::uint32_t>(source_slice.size());
  return t;
}

void BlockText::assign(std::string_view text) {
  if (text.empty()) {
    data_ = "";
    size_ = 0;
    owned_ = false;
    return;
  }
  char* bytes = new char[text.size()];
  std::memcpy(bytes, text.data(), text.size());
  data_ = bytes;
  size_ = static_cast<std::uint32_t>(text.size());
  owned_ = true;
}

void BlockText::release() {
  if (owned_) delete[] data_;
  data_ = "";
  size_ = 0;
  owned_ = false;
}

BlockText::BlockText(const BlockText& other) {
  if (other.owned_) assign(other.view());
  else {
    data_ = other.data_;
    size_ = other.size_;
  }
}

BlockText::BlockText(BlockText&& other) noexcept
    : data_(other.data_), size_(other.size_), owned_(other.owned_) {
  other.data_ = "";
  other.size_ = 0;
  other.owned_ = false;
}

BlockText& BlockText::operator=(const BlockText& other) {
  if (this != &other) *this = BlockText(other);
  return *this;
}

BlockText& BlockText::operator=(BlockText&& other) noexcept {
  if (this != &other) {
    release();
    data_ = other.data_;
    size_ = other.size_;
    owned_ = other.owned_;
    other.data_ = "";
    other.size_ = 0;
    other.owned_ = false;
  }
  return *this;
}

BlockText& BlockText::operator=(std::string_view text) {
  // `text` may be part of this text: copied before the old bytes are released.
  BlockText copy(text);
  return *this = std::move(copy);
}

namespace {

bool is_blank(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t') return false;
  return true;
}

// Lines of the source as [begin, end) offsets without the '\n'.
std::vector<Span> line_spans(const std::string& text, std::uint32_t begin, std::uint32_t end);

std::vector<Span> line_spans(const std::string& text) {
  return line_spans(text, 0, static_cast<std::uint32_t>(text.size()));
}

BlockList segment_plain(const SourceText& source) {
  const std::string& text = source.text();
  // Lines as [begin, end) offsets without the '\n', read one at a time (a vector of every
  // line's span cost 8 bytes a line, more than the text of short lines).
  auto line_at = [&](std::uint32_t begin) {
    const auto nl = text.find('\n', begin);
    return Span{begin, static_cast<std::uint32_t>(nl == std::string::npos ? text.size() : nl)};
  };
  auto is_blank_line = [&](Span line) { return is_blank(source.slice(line)); };
  const auto size = static_cast<std::uint32_t>(text.size());
  // A last line exists after a final '\n' only if it is not empty.
  auto more = [&](std::uint32_t at) { return at < size; };
  // The blocks are counted first, so that the vector is allocated once at its size: grown by
  // doubling, it briefly held three times its final size for inputs of many short blocks.
  std::size_t count = 0;
  bool after_blank = true;
  for (std::uint32_t at = 0; more(at);) {
    const Span line = line_at(at);
    const bool blank = is_blank_line(line);
    if (!blank && after_blank) ++count;
    after_blank = blank;
    at = line.end + 1;
  }
  BlockList blocks;
  blocks.reserve(count);
  std::uint32_t at = 0;
  while (more(at)) {
    Span first = line_at(at);
    if (is_blank_line(first)) {
      at = first.end + 1;
      continue;
    }
    Span last = first;
    while (more(last.end + 1)) {
      const Span next = line_at(last.end + 1);
      if (is_blank_line(next)) break;
      last = next;
    }
    // Trailing spaces on the last line are kept out of the block: they are layout.
    Span span{first.begin, last.end};
    while (span.end > span.begin && (text[span.end - 1] == ' ' || text[span.end - 1] == '\t'))
      --span.end;
    Block b;
    b.text = BlockText::view_of(source.slice(span));
    b.span = span;
    b.exact = true;
    blocks.push_back(std::move(b));
    at = last.end + 1;
  }
  return blocks;
}

struct NodeFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterFree {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

// The text of a paragraph's inlines: markup dropped, breaks kept as newlines. `all_strong` is
// cleared when any text lies outside **…**. The walk is cmark's own iterator, not recursion:
// emphasis can nest as deep as the input has delimiters (10^5 `*` each side nest 5x10^4 deep),
// which would overflow the stack.
void inline_text(cmark_node* node, std::string& out, bool& all_strong) {
  std::unique_ptr<cmark_iter, IterFree> it(cmark_iter_new(node));
  int strong_depth = 0;
  // Where the text of each open link starts in `out`, to compare it with the URL at its end.
  std::vector<std::size_t> link_starts;
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    cmark_node* c = cmark_iter_get_node(it.get());
    if (c == node) continue;
    const bool enter = ev == CMARK_EVENT_ENTER;
    switch (cmark_node_get_type(c)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
      case CMARK_NODE_HTML_INLINE: {
        const char* lit = cmark_node_get_literal(c);
        const std::string_view s = lit ? lit : "";
        if (strong_depth == 0 && s.find_first_not_of(" \t") != std::string_view::npos)
          all_strong = false;
        out += s;
        break;
      }
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        out += '\n';
        break;
      case CMARK_NODE_STRONG:
        strong_depth += enter ? 1 : -1;
        break;
      case CMARK_NODE_LINK: {
        // An autolink's text is its URL; a [text](url) link keeps both, so nothing is lost.
        if (enter) {
          link_starts.push_back(out.size());
          break;
        }
        const std::string inner = out.substr(link_starts.back());
        link_starts.pop_back();
        const char* url = cmark_node_get_url(c);
        if (url && inner != url && std::string("mailto:") + inner != url)
          out += std::string(" (") + url + ")";
        break;
      }
      default:
        break;  // images and the other containers: their text only
    }
  }
}

// Lines of text[begin, end) as absolute [begin, end) offsets without the '\n' (`begin` is the
// start of a line).
std::vector<Span> line_spans(const std::string& text, std::uint32_t begin, std::uint32_t end) {
  // Line feeds found with memchr (a byte-by-byte loop was most of detecting the flavour).
  std::vector<Span> lines;
  std::uint32_t start = begin;
  const char* const base = text.data();
  while (start < end) {
    const void* nl = std::memchr(base + start, '\n', end - start);
    if (!nl) break;
    const auto i = static_cast<std::uint32_t>(static_cast<const char*>(nl) - base);
    lines.push_back({start, i});
    start = i + 1;
  }
  if (start < end) lines.push_back({start, end});
  return lines;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// True when CommonMark reads `text` as it reads the series of documents made by cutting it
// before any line that starts with a character other than space or tab and follows a blank
// line. Such a line closes every block but those that run across blank lines: fenced code,
// HTML blocks of kinds 1 to 5 (<script, <pre, <style, <textarea, <!, <?), and link reference
// definitions ("[label]: url" at the start of a line), which apply to the whole document. A
// text with anything that could start one of those is parsed whole (the test is deliberately
// coarse: it may refuse a text that could be cut, never the reverse).
bool cuttable(const std::string& text) {
  if (text.find("```") != std::string::npos || text.find("~~~") != std::string::npos)
    return false;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    // Past indentation and container markers (block quotes, list items).
    std::size_t i = at;
    while (i < nl && std::strchr(" \t>-*+0123456789.)", text[i]) != nullptr) ++i;
    if (i < nl && text[i] == '[') {
      // A definition is "[label]:" where it starts a line; the label ends at the first
      // unescaped ']' (it may run on over lines) and holds no unescaped '[' (which also keeps
      // this scan linear: it never passes the next line's bracket).
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != ']' && text[j] != '[') j += text[j] == '\\' ? 2 : 1;
      if (j + 1 < text.size() && text[j] == ']' && text[j + 1] == ':') return false;
    }
    if (i < nl && text[i] == '<') {
      const std::string_view tag(text.data() + i + 1, nl - i - 1);
      if (!tag.empty() && (tag[0] == '!' || tag[0] == '?')) return false;
      for (const char* name : {"script", "pre", "style", "textarea"})
        if (starts_with_nocase(tag, name)) return false;
    }
    at = nl + 1;
  }
  return true;
}

// The blocks of text[begin, end) parsed as one CommonMark document (`begin` starts a line).
void segment_markdown_part(const SourceText& source, std::uint32_t begin, std::uint32_t end,
                           DiagnosticSink& sink, BlockList& out) {
  const std::string& text = source.text();
  const auto lines = line_spans(text, begin, end);
  std::unique_ptr<cmark_node, NodeFree> doc(
      cmark_parse_document(text.data() + begin, end - begin, CMARK_OPT_DEFAULT));
  std::vector<Block> blocks;
  std::vector<bool> covered(lines.size() + 1, false);
  auto line_span = [&](int first, int last) -> Span {
    if (lines.empty()) return {0, 0};
    const std::size_t a = std::min<std::size_t>(std::max(first, 1) - 1, lines.size() - 1);
    const std::size_t b = std::min<std::size_t>(std::max(last, first) - 1, lines.size() - 1);
    return {lines[a].begin, lines[b].end};
  };
  auto verbatim = [&](int first, int last) {
    Block b;
    b.span = line_span(first, last);
    std::string_view lines_text = source.slice(b.span);
    while (!lines_text.empty() && (lines_text.back() == ' ' || lines_text.back() == '\t'))
      lines_text.remove_suffix(1);
    b.text = BlockText::view_of(lines_text);
    b.exact = true;
    return b;
  };
  std::unique_ptr<cmark_iter, IterFree> it(cmark_iter_new(doc.get()));
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* n = cmark_iter_get_node(it.get());
    const int first = cmark_node_get_start_line(n), last = cmark_node_get_end_line(n);
    Block b;
    std::string inlines;  // the text of an inline walk, then given to the block
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_PARAGRAPH:
      case CMARK_NODE_HEADING: {
        bool all_strong = true;
        inline_text(n, inlines, all_strong);
        // List markers ("1.", "a)") and quote markers belong to the text of this genre: numbered
        // paragraphs. Keep what stands on the first line before the paragraph's own start.
        const Span ls = line_span(first, first);
        const int col = cmark_node_get_start_column(n);
        std::string prefix(source.slice({ls.begin, ls.begin + static_cast<std::uint32_t>(
                                                                  std::max(col - 1, 0))}));
        if (prefix.find_first_not_of(" \t>") != std::string::npos) {
          while (!prefix.empty() && (prefix.back() == ' ' || prefix.back() == '\t'))
            prefix.pop_back();
          const auto lead = prefix.find_first_not_of(" \t>");
          inlines = prefix.substr(lead) + " " + inlines;
        }
        b.span = line_span(first, last);
        b.strong = all_strong && !inlines.empty();
        cmark_iter_reset(it.get(), n, CMARK_EVENT_EXIT);
        break;
      }
      case CMARK_NODE_THEMATIC_BREAK:
      case CMARK_NODE_CODE_BLOCK:
      case CMARK_NODE_HTML_BLOCK:
        // "* * * * *" is an omission line here, not a rule: keep the source as written.
        b = verbatim(first, last);
        cmark_iter_reset(it.get(), n, CMARK_EVENT_EXIT);
        break;
      default:
        continue;
    }
    for (int l = std::max(first, 1); l <= last && l <= static_cast<int>(lines.size()); ++l)
      covered[l] = true;
    if (!inlines.empty()) b.text = inlines;
    std::size_t kept = b.text.size();
    while (kept > 0 && (b.text[kept - 1] == '\n' || b.text[kept - 1] == ' ')) --kept;
    b.text.shorten(kept);
    if (!b.text.empty()) blocks.push_back(std::move(b));
  }
  // Lines cmark consumed without producing text (link reference definitions) are content here.
  std::size_t next = 0;
  for (std::size_t l = 1; l <= lines.size(); ++l) {
    if (covered[l] || is_blank(source.slice(lines[l - 1]))) continue;
    std::size_t e = l;
    while (e + 1 <= lines.size() && !covered[e + 1] && !is_blank(source.slice(lines[e]))) ++e;
    Block v = verbatim(static_cast<int>(l), static_cast<int>(e));
    sink.report(source, v.span.begin, Severity::Warning, "markdown-unrendered",
                "CommonMark would drop this line (a link reference definition?); kept as text");
    while (next < blocks.size() && blocks[next].span.begin < v.span.begin)
      out.push_back(std::move(blocks[next++]));
    out.push_back(std::move(v));
    l = e;
  }
  while (next < blocks.size()) out.push_back(std::move(blocks[next++]));
}

// The bytes is_literal_paragraph looks at inside a line.
constexpr std::array<bool, 256> kInlineSpecial = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  for (const unsigned char c : std::string_view("\\`*<]_&")) t[c] = true;
  return t;
}();

// The first byte of `s` at or after `from` that kInlineSpecial marks, or s.size(). Eight bytes
// at a time: most lines have none. Each test below is exact as a whole word's yes or no (a
// borrow can only mark bytes above one that really matches); the bytes of a marked word are
// then looked up one by one.
std::size_t next_inline_special(std::string_view s, std::size_t from) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto has = [](std::uint64_t w, unsigned char c) {
    const std::uint64_t x = w ^ (kOnes * c);
    return (x - kOnes) & ~x & kHigh;
  };
  std::size_t i = from;
  while (i + 8 <= s.size()) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    const std::uint64_t control = (w - kOnes * 0x20) & ~w & kHigh;  // a byte below 0x20
    if ((control | has(w, '\\') | has(w, '`') | has(w, '*') | has(w, '<') | has(w, ']') |
         has(w, '_') | has(w, '&')) != 0)
      break;
    i += 8;
  }
  while (i < s.size() && !kInlineSpecial[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

// The length of the ordered list marker that starts `s` (digits, then '.' or ')': "12." → 3),
// or 0 when there is none.
std::size_t ordered_marker_length(std::string_view s) {
  std::size_t d = 0;
  while (d < s.size() && s[d] >= '0' && s[d] <= '9') ++d;
  return d > 0 && d < s.size() && (s[d] == '.' || s[d] == ')') ? d + 1 : 0;
}

// True when CommonMark reads the lines text[begin, end) (a part of a cuttable text, see
// cuttable: it starts a line, follows a blank line or the start, and ends before the next cut)
// as one paragraph whose text is its lines joined with '\n', nothing taken out, or as an ordered
// list item holding such a paragraph (the text then starts with the marker, as
// segment_markdown_part writes it): non-blank lines and then only blank ones, no line indented
// or ending in whitespace, none starting with what can open a block or interrupt a paragraph
// (#, >, -, +, *, =, _, ~, <, `, a list marker), and no inline markup: no \ ` * <, no "&" that
// may start an entity ("&amp;"), no "_" but one between ASCII letters or digits (which can
// neither open nor close emphasis), no "](" of a link (a bracket alone is literal text without
// link definitions, which a cuttable text has none of), no control character. The test is
// coarse on purpose: it may send a paragraph to cmark that needed none, never the reverse. Most
// paragraphs of a transcription pass, and then need no cmark tree. `text_begin` is where the
// block's text starts: after the list marker's spaces, if any.
bool is_literal_paragraph(const std::string& text, std::uint32_t begin, std::uint32_t end,
                          Span& span, std::uint32_t& marker_end, std::uint32_t& text_begin) {
  auto alnum = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  // What may start a line of the paragraph (or the text after a list marker).
  auto plain_start = [](std::string_view s) {
    if (s.empty() || std::strchr(" \t#>-+*=_~<`", s[0]) != nullptr) return false;
    return ordered_marker_length(s) == 0;
  };
  std::uint32_t at = begin;
  span = {begin, begin};
  marker_end = text_begin = begin;
  bool in_paragraph = true;
  while (at < end) {
    const void* found = std::memchr(text.data() + at, '\n', end - at);
    const auto nl = found ? static_cast<std::uint32_t>(static_cast<const char*>(found) -
                                                       text.data())
                          : end;
    std::string_view line(text.data() + at, nl - at);
    if (is_blank(line)) {
      if (at == begin) return false;
      in_paragraph = false;
      at = nl + 1;
      continue;
    }
    if (!in_paragraph || line.back() == ' ') return false;
    if (at == begin && !plain_start(line)) {
      // An ordered list item: 1 to 9 digits, '.' or ')', 1 to 4 spaces (5 would start indented
      // code in the item), then a line of the paragraph.
      const std::size_t marker = ordered_marker_length(line);
      if (marker == 0 || marker - 1 > 9) return false;
      const std::size_t d = marker - 1;
      std::size_t s = marker;
      while (s < line.size() && line[s] == ' ') ++s;
      if (s == d + 1 || s - d - 1 > 4 || !plain_start(line.substr(s))) return false;
      marker_end = at + static_cast<std::uint32_t>(d + 1);
      text_begin = at + static_cast<std::uint32_t>(s);
      line.remove_prefix(s);
    } else if (at != begin && !plain_start(line)) {
      return false;
    }
    for (std::size_t i = next_inline_special(line, 0); i < line.size();
         i = next_inline_special(line, i + 1)) {
      const char c = line[i];
      if (static_cast<unsigned char>(c) < 0x20 || c == '\\' || c == '`' || c == '*' || c == '<')
        return false;
      if (c == ']' && i + 1 < line.size() && line[i + 1] == '(') return false;
      if (c == '_' && (i == 0 || i + 1 == line.size() || !alnum(line[i - 1]) ||
                       !alnum(line[i + 1])))
        return false;
      if (c == '&') {
        std::size_t j = i + 1;
        while (j < line.size() && (alnum(line[j]) || line[j] == '#')) ++j;
        if (j < line.size() && line[j] == ';') return false;
      }
    }
    span.end = nl;
    at = nl + 1;
  }
  return true;
}

// cmark holds the whole document as a tree (about 2.6 bytes per byte of text, its inlines
// included) until it is freed: a text that can be cut (cuttable) is parsed in parts of at least
// `part_bytes`, one tree at a time, which gives the same blocks. Between cuts, a part that is
// one literal paragraph (is_literal_paragraph) is made a block here, as cmark would make it:
// its text is its lines, not exact (cmark's blocks map offsets to their first line).
BlockList segment_markdown(const SourceText& source, DiagnosticSink& sink,
                                    std::size_t part_bytes) {
  const std::string& text = source.text();
  const auto size = static_cast<std::uint32_t>(text.size());
  BlockList blocks;
  if (size <= part_bytes || !cuttable(text)) {
    segment_markdown_part(source, 0, size, sink, blocks);
    return blocks;
  }
  // [begin, cut): the text still to be parsed by cmark; [cut, at): the part since the last cut.
  std::uint32_t begin = 0, cut = 0;
  auto end_part = [&](std::uint32_t at) {
    Span span;
    std::uint32_t marker_end, text_begin;
    if (is_literal_paragraph(text, cut, at, span, marker_end, text_begin)) {
      if (begin < cut) segment_markdown_part(source, begin, cut, sink, blocks);
      Block b;
      if (marker_end > span.begin) {
        std::string own;
        own.reserve(span.end - text_begin + marker_end - span.begin + 1);
        own.append(text, span.begin, marker_end - span.begin);
        own += ' ';
        own.append(text, text_begin, span.end - text_begin);
        b.text = own;
      } else {
        // The paragraph's text is the source as written: viewed, not copied.
        b.text = BlockText::view_of(std::string_view(text).substr(text_begin, span.end - text_begin));
      }
      b.span = span;
      blocks.push_back(std::move(b));
      begin = at;
    } else if (at - begin >= part_bytes) {
      segment_markdown_part(source, begin, at, sink, blocks);
      begin = at;
    }
    cut = at;
  };
  bool after_blank = false;
  for (std::uint32_t at = 0; at < size;) {
    const void* found = std::memchr(text.data() + at, '\n', size - at);
    const auto nl = found ? static_cast<std::uint32_t>(static_cast<const char*>(found) -
                                                       text.data())
                          : size;
    const std::string_view line(text.data() + at, nl - at);
    if (after_blank && at > cut && !line.empty() && line[0] != ' ' && line[0] != '\t')
      end_part(at);
    after_blank = is_blank(line);
    at = nl + 1;
  }
  end_part(size);
  if (begin < size) segment_markdown_part(source, begin, size, sink, blocks);
  return blocks;
}

}  // namespace

Flavour detect_flavour(const SourceText& source) {
  const std::string& text = source.text();
  const auto lines = line_spans(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view l = source.slice(lines[i]);
    while (!l.empty() && (l.back() == ' ' || l.back() == '\t')) {
      if (l.size() >= 2 && l.substr(l.size() - 2) == "  " && i + 1 < lines.size() &&
          !is_blank(source.slice(lines[i + 1])) && l.find_first_not_of(' ') != std::string::npos)
        return Flavour::Markdown;  // hard line break
      l.remove_suffix(1);
    }
    const auto lead = l.find_first_not_of(' ');
    if (lead == std::string_view::npos) continue;
    l.remove_prefix(lead);
    if (l.size() > 4 && l.substr(0, 2) == "**" && l.substr(l.size() - 2) == "**")
      return Flavour::Markdown;
    if (l.size() > 9 && l.front() == '<' && l.back() == '>' &&
        (l.substr(1, 7) == "http://" || l.substr(1, 8) == "https://"))
      return Flavour::Markdown;
  }
  return Flavour::Plain;
}

BlockList segment_blocks(const SourceText& source, Flavour flavour,
                                  DiagnosticSink& sink, std::size_t markdown_part_bytes) {
  if (flavour == Flavour::Auto) flavour = detect_flavour(source);
  return flavour == Flavour::Markdown ? segment_markdown(source, sink, markdown_part_bytes)
                                      : segment_plain(source);
}

}  // namespace teikit
