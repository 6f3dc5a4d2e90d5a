#include "teikit/convert/document.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace teikit {

Node Node::make_text(std::string text, Span span) {
  Node n;
  n.kind = Kind::Text;
  n.text = std::move(text);
  n.span = span;
  return n;
}

Node Node::make_element(std::string name, Span span) {
  Node n;
  n.kind = Kind::Element;
  n.name = std::move(name);
  n.span = span;
  return n;
}

Node& Node::set(const std::string& key, std::string value) {
  for (auto& [k, v] : attributes)
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  attributes.emplace_back(key, std::move(value));
  return *this;
}

const std::string* Node::get(const std::string& key) const {
  for (const auto& [k, v] : attributes)
    if (k == key) return &v;
  return nullptr;
}

Node& Node::append(Node child) {
  if (child.kind == Kind::Text) {
    if (child.text.empty()) return children.empty() ? *this : children.back();
    if (!children.empty() && children.back().kind == Kind::Text) {
      children.back().text += child.text;
      children.back().span.end = child.span.end;
      return children.back();
    }
  }
  children.push_back(std::move(child));
  return children.back();
}

void Node::append_text(const std::string& t, Span s) { append(make_text(t, s)); }

std::string Node::plain_text() const {
  if (kind == Kind::Text) return text;
  std::string r;
  for (const auto& c : children) r += c.plain_text();
  return r;
}

namespace {

void indent(unsigned level, std::string& out) {
  // libxml2 caps the indentation at MAX_INDENT (60) characters: 30 levels of two spaces.
  out.append(2 * std::min(level, 30u), ' ');
}

// The first byte at or after `from` that escape_text replaces ('<', '>', '&', CR), or s.size():
// eight bytes at a time (a word holds byte c when word XOR c·0x0101… has a zero byte).
std::size_t next_text_special(const std::string& s, std::size_t from) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto has = [&](std::uint64_t w, unsigned char c) {
    const std::uint64_t v = w ^ (kOnes * c);
    return (v - kOnes) & ~v & kHigh;
  };
  const std::size_t n = s.size();
  std::size_t i = from;
  while (i + 8 <= n) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (has(w, '<') | has(w, '>') | has(w, '&') | has(w, '\r')) break;
    i += 8;
  }
  return i;
}

void escape_text(const std::string& s, std::string& out) {
  std::size_t run = 0;
  for (std::size_t i = next_text_special(s, 0); i < s.size(); ++i) {
    const char* rep = nullptr;
    switch (s[i]) {
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '&': rep = "&amp;"; break;
      case '\r': rep = "&#13;"; break;
      default: continue;
    }
    out.append(s, run, i - run);
    out += rep;
    run = i + 1;
    i = next_text_special(s, run) - 1;  // plain words skipped; the loop's ++i looks at the next
  }
  out.append(s, run, std::string::npos);
}

void escape_attribute(const std::string& s, std::string& out) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char* rep = nullptr;
    switch (s[i]) {
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '&': rep = "&amp;"; break;
      case '"': rep = "&quot;"; break;
      case '\n': rep = "&#10;"; break;
      case '\r': rep = "&#13;"; break;
      case '\t': rep = "&#9;"; break;
      default: continue;
    }
    out.append(s, run, i - run);
    out += rep;
    run = i + 1;
  }
  out.append(s, run, std::string::npos);
}

}  // namespace

namespace {
// `<name a="v"`, without the closing '>' or "/>".
void open_tag(const Node& node, std::string& out) {
  out += '<';
  out += node.name;
  for (const auto& [k, v] : node.attributes) {
    out += ' ';
    out += k;
    out += "=\"";
    escape_attribute(v, out);
    out += '"';
  }
}
}  // namespace

void write_start_tag(const Node& node, std::string& out) {
  open_tag(node, out);
  out += '>';
}

void write_xml(const Node& node, unsigned level, bool format, std::string& out,
               std::vector<Span>* spans) {
  if (node.kind == Node::Kind::Text) {
    escape_text(node.text, out);
    return;
  }
  if (spans) spans->push_back(node.span);
  if (node.children.empty()) {
    open_tag(node, out);
    out += "/>";
    return;
  }
  write_start_tag(node, out);
  // libxml2 (xmlsave.c) indents an element's children only when none of them is text; once
  // off, formatting stays off for the whole subtree.
  bool fmt = format;
  for (const auto& c : node.children)
    if (c.kind == Node::Kind::Text) fmt = false;
  if (fmt) out += '\n';
  for (const auto& c : node.children) {
    if (fmt) indent(level + 1, out);
    write_xml(c, level + 1, fmt, out, spans);
    if (fmt) out += '\n';
  }
  if (fmt) indent(level, out);
  out += "</";
  out += node.name;
  out += '>';
}

std::string check_tree(const Node& root) {
  if (root.kind == Node::Kind::Text) {
    if (!root.children.empty() || !root.attributes.empty())
      return "text node with children or attributes";
    return "";
  }
  if (root.name.empty()) return "element without a name";
  for (std::size_t i = 0; i < root.children.size(); ++i) {
    const Node& c = root.children[i];
    if (i > 0 && c.kind == Node::Kind::Text && root.children[i - 1].kind == Node::Kind::Text)
      return "adjacent text nodes in <" + root.name + ">";
    if (auto e = check_tree(c); !e.empty()) return e;
  }
  return "";
}

}  // namespace teikit
