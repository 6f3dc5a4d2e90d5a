#include "teikit/document.hpp"

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
