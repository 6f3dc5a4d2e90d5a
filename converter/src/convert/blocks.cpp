#include "teikit/convert/blocks.hpp"

#include <cmark.h>

#include <memory>

#include "teikit/base/diagnostics.hpp"

namespace teikit {

namespace {

bool is_blank(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t') return false;
  return true;
}

// Lines of the source as [begin, end) offsets without the '\n'.
std::vector<Span> line_spans(const std::string& text) {
  std::vector<Span> lines;
  std::uint32_t start = 0;
  for (std::uint32_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      if (i != text.size() || start < i) lines.push_back({start, i});
      start = i + 1;
    }
  }
  return lines;
}

std::vector<Block> segment_plain(const SourceText& source) {
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
  std::vector<Block> blocks;
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
    b.text = std::string(source.slice(span));
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
// cleared when any text lies outside **…**.
void inline_text(cmark_node* node, std::string& out, int strong_depth, bool& all_strong) {
  for (cmark_node* c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
    switch (cmark_node_get_type(c)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
      case CMARK_NODE_HTML_INLINE: {
        const char* lit = cmark_node_get_literal(c);
        std::string s = lit ? lit : "";
        if (strong_depth == 0 && s.find_first_not_of(" \t") != std::string::npos)
          all_strong = false;
        out += s;
        break;
      }
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        out += '\n';
        break;
      case CMARK_NODE_STRONG:
        inline_text(c, out, strong_depth + 1, all_strong);
        break;
      case CMARK_NODE_LINK: {
        // An autolink's text is its URL; a [text](url) link keeps both, so nothing is lost.
        std::string inner;
        inline_text(c, inner, strong_depth, all_strong);
        const char* url = cmark_node_get_url(c);
        out += inner;
        if (url && inner != url && std::string("mailto:") + inner != url)
          out += std::string(" (") + url + ")";
        break;
      }
      case CMARK_NODE_IMAGE: {
        std::string inner;
        inline_text(c, inner, strong_depth, all_strong);
        out += inner;
        break;
      }
      default:
        inline_text(c, out, strong_depth, all_strong);
    }
  }
}

std::vector<Block> segment_markdown(const SourceText& source, DiagnosticSink& sink) {
  const std::string& text = source.text();
  const auto lines = line_spans(text);
  std::unique_ptr<cmark_node, NodeFree> doc(
      cmark_parse_document(text.data(), text.size(), CMARK_OPT_DEFAULT));
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
    b.text = std::string(source.slice(b.span));
    while (!b.text.empty() && (b.text.back() == ' ' || b.text.back() == '\t')) b.text.pop_back();
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
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_PARAGRAPH:
      case CMARK_NODE_HEADING: {
        bool all_strong = true;
        inline_text(n, b.text, 0, all_strong);
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
          b.text = prefix.substr(lead) + " " + b.text;
        }
        b.span = line_span(first, last);
        b.strong = all_strong && !b.text.empty();
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
    while (!b.text.empty() && (b.text.back() == '\n' || b.text.back() == ' ')) b.text.pop_back();
    if (!b.text.empty()) blocks.push_back(std::move(b));
  }
  // Lines cmark consumed without producing text (link reference definitions) are content here.
  std::vector<Block> merged;
  std::size_t next = 0;
  for (std::size_t l = 1; l <= lines.size(); ++l) {
    if (covered[l] || is_blank(source.slice(lines[l - 1]))) continue;
    std::size_t e = l;
    while (e + 1 <= lines.size() && !covered[e + 1] && !is_blank(source.slice(lines[e]))) ++e;
    Block v = verbatim(static_cast<int>(l), static_cast<int>(e));
    sink.report(source, v.span.begin, Severity::Warning, "markdown-unrendered",
                "CommonMark would drop this line (a link reference definition?); kept as text");
    while (next < blocks.size() && blocks[next].span.begin < v.span.begin)
      merged.push_back(std::move(blocks[next++]));
    merged.push_back(std::move(v));
    l = e;
  }
  while (next < blocks.size()) merged.push_back(std::move(blocks[next++]));
  return merged;
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

std::vector<Block> segment_blocks(const SourceText& source, Flavour flavour,
                                  DiagnosticSink& sink) {
  if (flavour == Flavour::Auto) flavour = detect_flavour(source);
  return flavour == Flavour::Markdown ? segment_markdown(source, sink) : segment_plain(source);
}

}  // namespace teikit
