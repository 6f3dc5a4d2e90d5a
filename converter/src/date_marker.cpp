// The date stage: runs over the document tree after the bracket parser, so that dates may
// include supplied text (ENCODING.md §5: "the 29th of [April]").
#include <cstring>

#include "teikit/dates.hpp"

namespace teikit {

namespace {

constexpr char kBarrier = '\x01';

bool transparent(const Node& n) {
  if (!n.is("supplied")) return false;
  for (const auto& c : n.children)
    if (c.kind != Node::Kind::Text) return false;
  return true;
}

bool skipped(const Node& n) {
  // Text in these is not running text that can hold a date of the document.
  static const char* const names[] = {"desc", "date", "time", "pb", "gap", "sic", "unclear", "ref",
                                      "idno"};
  for (const char* s : names)
    if (n.is(s)) return true;
  return false;
}

struct Piece {
  std::size_t begin, end;  // range in the flat string
};

void wrap_dates(Node& node, DateContext& context) {
  // Flat text of the direct children: text and transparent supplied elements contribute their
  // characters, anything else one barrier character.
  std::string flat;
  std::vector<Piece> pieces;
  for (const auto& c : node.children) {
    const std::size_t b = flat.size();
    if (c.kind == Node::Kind::Text) flat += c.text;
    else if (transparent(c)) flat += c.plain_text();
    else flat += kBarrier;
    pieces.push_back({b, flat.size()});
  }
  // Recursion into element children happens in document order, interleaved with the matches
  // of this level, so that "the nearest date before" is right.
  std::vector<DateMatch> matches = find_dates(flat, context, kBarrier);
  (void)matches;
  // Wrap right to left so earlier indices stay valid.
  for (auto m = matches.rbegin(); m != matches.rend(); ++m) {
    std::size_t first = 0, last = 0;
    while (first < pieces.size() && pieces[first].end <= m->begin) ++first;
    last = first;
    while (last < pieces.size() && pieces[last].end < m->end) ++last;
    if (first >= pieces.size() || last >= pieces.size()) continue;
    // A supplied element cannot be split: the match must cover it whole.
    const Node& fn = node.children[first];
    const Node& ln = node.children[last];
    if (fn.kind != Node::Kind::Text && pieces[first].begin != m->begin) continue;
    if (ln.kind != Node::Kind::Text && pieces[last].end != m->end) continue;
    if (first == last && fn.kind != Node::Kind::Text) continue;
    Node date = Node::make_element(m->time_only ? "time" : "date");
    if (m->time_only) {
      date.set("when", m->value.iso_time());
    } else if (m->to) {
      date.set("from", m->value.iso());
      date.set("to", m->to->iso());
    } else {
      date.set("when", m->value.iso());
    }
    if (m->value.inferred() || (m->to && m->to->inferred())) date.set("evidence", "internal");
    std::vector<Node> before, after;
    auto& kids = node.children;
    // Split the text at the start and end of the match.
    if (kids[last].kind == Node::Kind::Text) {
      const std::size_t cut = m->end - pieces[last].begin;
      std::string& s = kids[last].text;
      if (cut < s.size()) {
        Node tail = Node::make_text(s.substr(cut), kids[last].span);
        s.resize(cut);
        after.push_back(std::move(tail));
      }
    }
    if (kids[first].kind == Node::Kind::Text) {
      const std::size_t cut = m->begin - pieces[first].begin;
      std::string& s = kids[first].text;
      if (cut > 0) {
        before.push_back(Node::make_text(s.substr(0, cut), kids[first].span));
        s.erase(0, cut);
      }
    }
    for (std::size_t k = first; k <= last; ++k) date.append(std::move(kids[k]));
    date.span = {date.children.front().span.begin, date.children.back().span.end};
    std::vector<Node> replacement;
    const std::size_t before_len = before.empty() ? 0 : before.front().text.size();
    for (auto& b : before) replacement.push_back(std::move(b));
    replacement.push_back(std::move(date));
    for (auto& a : after) replacement.push_back(std::move(a));
    kids.erase(kids.begin() + static_cast<long>(first), kids.begin() + static_cast<long>(last) + 1);
    kids.insert(kids.begin() + static_cast<long>(first), std::make_move_iterator(replacement.begin()),
                std::make_move_iterator(replacement.end()));
    // Keep `pieces` consistent for the matches still to come (they lie further left): only the
    // text left before this date remains at index `first`.
    if (before_len > 0) {
      pieces.resize(first + 1);
      pieces[first].end = pieces[first].begin + before_len;
    } else {
      pieces.resize(first);
    }
  }
}

}  // namespace

void mark_dates(Node& node, DateContext& context) {
  if (node.kind != Node::Kind::Element || skipped(node)) return;
  // The date of a received note is the receiver's, not a date of the text: a later "the 18th"
  // must not take its month from it.
  if (node.is("note") && node.get("type") && *node.get("type") == "received") {
    const auto previous = context.previous;
    DateContext inner = context;
    if (!node.children.empty()) wrap_dates(node, inner);
    context.previous = previous;
    return;
  }
  bool has_text = false;
  for (const auto& c : node.children) has_text |= c.kind == Node::Kind::Text || transparent(c);
  if (has_text) wrap_dates(node, context);
  for (auto& c : node.children)
    if (c.kind == Node::Kind::Element && !c.is("date") && !transparent(c)) mark_dates(c, context);
}

}  // namespace teikit
