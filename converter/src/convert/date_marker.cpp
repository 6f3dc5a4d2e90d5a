// The date stage: runs over the document tree after the bracket parser, so that dates may
// include supplied text (ENCODING.md §5: "the 29th of [April]").
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "teikit/convert/dates.hpp"

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
  // desc, date, time, pb, gap, sic, unclear, ref, idno: told apart by length first (nine
  // string comparisons for every element were a visible cost).
  if (n.kind != Node::Kind::Element) return false;
  const std::string& s = n.name;
  switch (s.size()) {
    case 2: return s == "pb";
    case 3: return s == "gap" || s == "sic" || s == "ref";
    case 4: return s == "desc" || s == "date" || s == "time" || s == "idno";
    case 7: return s == "unclear";
    default: return false;
  }
}

struct Piece {
  std::size_t begin, end;  // range in the flat string
};

// True when `s` holds an ASCII digit: eight bytes at a time (digits XOR 0x30 are the bytes
// below 10).
bool has_ascii_digit(const std::string& s) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  std::size_t i = 0;
  const std::size_t n = s.size();
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    const std::uint64_t t = w ^ (0x30 * kOnes);
    if ((t - 10 * kOnes) & ~t & kHigh) return true;
  }
  for (; i < n; ++i)
    if (s[i] >= '0' && s[i] <= '9') return true;
  return false;
}

void wrap_dates(Node& node, DateContext& context) {
  // Every date and time holds a digit: text without one is left as it is (find_dates would
  // find nothing and change no context), without building its flat copy.
  bool digit = false;
  for (const auto& c : node.children) {
    if (c.kind == Node::Kind::Text) digit = has_ascii_digit(c.text);
    else if (transparent(c))
      for (const auto& t : c.children) digit |= has_ascii_digit(t.text);
    if (digit) break;
  }
  if (!digit) return;
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
  if (matches.empty()) return;
  // The children are rebuilt in one pass, left to right (the matches are sorted and do not
  // overlap): wrapping each match in place, with an erase and an insert in the middle of the
  // children, was quadratic in a paragraph of 10⁵ elements. A text child cut by matches is
  // emitted piece by piece; `used` counts its bytes already emitted. Every piece keeps the
  // span of the child it comes from.
  auto& kids = node.children;
  const std::size_t n = kids.size();
  std::vector<Node> out;
  out.reserve(n + 2 * matches.size());
  std::size_t k = 0, used = 0;
  // Into the new children: a piece of text child i, or (from `used` on) the rest of child i.
  auto emit_text = [&](std::size_t i, std::size_t from, std::size_t to) {
    if (to > from) out.push_back(Node::make_text(kids[i].text.substr(from, to - from), kids[i].span));
  };
  auto emit_rest = [&](std::size_t i) {
    if (kids[i].kind == Node::Kind::Text && used > 0) emit_text(i, used, kids[i].text.size());
    else out.push_back(std::move(kids[i]));
    used = 0;
  };
  std::size_t first = 0;
  for (const DateMatch& m : matches) {
    while (first < n && pieces[first].end <= m.begin) ++first;
    std::size_t last = first;
    while (last < n && pieces[last].end < m.end) ++last;
    if (first >= n || last >= n) continue;
    const Node& fn = kids[first];
    const Node& ln = kids[last];
    // A supplied element cannot be split: the match must cover it whole.
    if (fn.kind != Node::Kind::Text && pieces[first].begin != m.begin) continue;
    if (ln.kind != Node::Kind::Text && pieces[last].end != m.end) continue;
    if (first == last && fn.kind != Node::Kind::Text) continue;
    Node date = Node::make_element(m.time_only ? "time" : "date");
    if (m.time_only) {
      date.set("when", m.value.iso_time());
    } else if (m.to) {
      date.set("from", m.value.iso());
      date.set("to", m.to->iso());
    } else {
      date.set("when", m.value.iso());
    }
    if (m.value.inferred() || (m.to && m.to->inferred())) date.set("evidence", "internal");
    while (k < first) emit_rest(k++);
    // The text before the match, then the match itself (appended as the whole-tree version
    // did: Node::append drops empty text).
    const bool first_text = fn.kind == Node::Kind::Text, last_text = ln.kind == Node::Kind::Text;
    const std::size_t begin_cut = first_text ? m.begin - pieces[first].begin : 0;
    const std::size_t end_cut = last_text ? m.end - pieces[last].begin : 0;
    if (first_text) emit_text(first, used, begin_cut);
    if (first == last) {
      date.append(Node::make_text(kids[first].text.substr(begin_cut, end_cut - begin_cut),
                                  kids[first].span));
    } else {
      if (first_text)
        date.append(Node::make_text(kids[first].text.substr(begin_cut), kids[first].span));
      else
        date.append(std::move(kids[first]));
      for (std::size_t j = first + 1; j < last; ++j) date.append(std::move(kids[j]));
      if (last_text)
        date.append(Node::make_text(kids[last].text.substr(0, end_cut), kids[last].span));
      else
        date.append(std::move(kids[last]));
    }
    // A text child used up to its end is done; so is an element child, which went in whole.
    k = last;
    used = end_cut;
    if (!last_text || used >= kids[last].text.size()) {
      k = last + 1;
      used = 0;
    }
    date.span = {date.children.front().span.begin, date.children.back().span.end};
    out.push_back(std::move(date));
    first = k;
  }
  while (k < n) emit_rest(k++);
  kids = std::move(out);
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
  // A footnote stands outside the text's reading order: its dates are read in the context of
  // its mark, but are no anchor for the text's later dates.
  if (node.is("note") && node.get("place") && *node.get("place") == "foot") {
    DateContext inner = context;
    mark_own_dates(node, inner);
    mark_element_dates(node, inner);
    return;
  }
  const bool dateline = node.is("dateline");
  const std::string before = dateline && context.previous ? context.previous->iso() : "";
  mark_own_dates(node, context);
  mark_element_dates(node, context);
  // A dateline's date is the date of writing, for the relative dates after it.
  if (dateline && context.previous && context.previous->iso() != before && !context.probe)
    context.written = context.previous;
}

void mark_own_dates(Node& node, DateContext& context) {
  if (node.kind != Node::Kind::Element || skipped(node)) return;
  bool has_text = false;
  for (const auto& c : node.children) has_text |= c.kind == Node::Kind::Text || transparent(c);
  if (has_text) wrap_dates(node, context);
}

void mark_element_dates(Node& node, DateContext& context) {
  if (node.kind != Node::Kind::Element || skipped(node)) return;
  for (auto& c : node.children)
    if (c.kind == Node::Kind::Element && !c.is("date") && !transparent(c)) mark_dates(c, context);
}

namespace {
bool has_digit(const Node& n) {
  if (n.kind == Node::Kind::Text) {
    for (char c : n.text)
      if (c >= '0' && c <= '9') return true;
    return false;
  }
  for (const auto& c : n.children)
    if (has_digit(c)) return true;
  return false;
}
}  // namespace

bool interrupts_dates(const Node& child) {
  return child.kind == Node::Kind::Element && !transparent(child);
}

namespace {
// True when the text mark_dates reads in `node` and below holds anything find_dates takes for a
// date or a time in some context: the same levels and the same flat text as mark_dates.
bool finds_any_date(const Node& node, const Profile* profile) {
  if (node.kind != Node::Kind::Element || skipped(node)) return false;
  const bool received = node.is("note") && node.get("type") && *node.get("type") == "received";
  bool has_text = false;
  for (const auto& c : node.children) has_text |= c.kind == Node::Kind::Text || transparent(c);
  if (received ? !node.children.empty() : has_text) {
    std::string flat;
    for (const auto& c : node.children) {
      if (c.kind == Node::Kind::Text) flat += c.text;
      else if (transparent(c)) flat += c.plain_text();
      else flat += kBarrier;
    }
    DateContext probe;
    probe.probe = true;
    probe.profile = profile;
    if (!find_dates(flat, probe, kBarrier).empty()) return true;
  }
  if (received) return false;
  for (const auto& c : node.children)
    if (c.kind == Node::Kind::Element && !c.is("date") && !transparent(c) && finds_any_date(c, profile))
      return true;
  return false;
}
}  // namespace

bool may_hold_dates(const Node& child, const Profile* profile) {
  // What mark_dates recurses into (its own loop), and a received note (wrap_dates directly).
  // Every date and time has a digit: the cheap test first.
  return child.kind == Node::Kind::Element && !child.is("date") && !transparent(child) &&
         has_digit(child) && finds_any_date(child, profile);
}

namespace {
// Tokens of the date reader (dates.cpp) on either side of a cut with no digit among them. A
// match holds a digit and reaches at most 9 tokens past one ("6 p.m. on the Sept. 3") and 4
// before ("between the … 3"); the reader's decisions look no further.
constexpr std::size_t kDigitFreeTokens = 16;
}  // namespace

void DateCuts::add(const Node& child) {
  ++children_;
  // A cut before this child: confirmed at once before an element that interrupts every date,
  // else a candidate if the tokens before it hold no digit for long enough (its first byte
  // decides whether a word runs across it).
  if (children_ > 1 && interrupts_dates(child)) {
    cut_ = children_ - 1;
    pending_.clear();
  }
  boundary_ = children_ > 1;
  if (child.kind == Node::Kind::Text) feed(child.text);
  else if (transparent(child)) feed(child.plain_text());
  else feed(std::string(1, kBarrier));
}

void DateCuts::feed(const std::string& flat) {
  for (const char ch : flat) {
    const auto c = static_cast<unsigned char>(ch);
    const bool space = c == ' ' || c == '\t' || c == '\n', digit = c >= '0' && c <= '9',
               alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'),
               continuation = (c & 0xC0) == 0x80;
    if (boundary_) {
      boundary_ = false;
      const bool digit_free = last_digit_ == 0 || tokens_ - last_digit_ >= kDigitFreeTokens;
      if (digit_free && !(alpha && last_ == Last::Alpha) && !continuation &&
          !(alpha && (last_ == Last::Digit || last_ == Last::DigitTail)))
        pending_.emplace_back(children_ - 1, tokens_);
    }
    // Counted as the reader tokenises, never more tokens than it makes: letters right after
    // digits may be an ordinal suffix ("29th"), so they stay with the number; a continuation
    // byte never starts one.
    if (space) {
      last_ = Last::Space;
    } else if (digit) {
      if (last_ != Last::Digit && last_ != Last::DigitTail) ++tokens_;
      last_digit_ = tokens_;
      last_ = Last::Digit;
      pending_.clear();
    } else if (alpha) {
      if (last_ == Last::Digit || last_ == Last::DigitTail) {
        last_ = Last::DigitTail;
      } else {
        if (last_ != Last::Alpha) ++tokens_;
        last_ = Last::Alpha;
      }
    } else {
      if (!continuation) ++tokens_;
      last_ = Last::Other;
    }
    while (!pending_.empty() && tokens_ - pending_.front().second >= kDigitFreeTokens) {
      cut_ = std::max(cut_, pending_.front().first);
      pending_.erase(pending_.begin());
    }
  }
}

void DateCuts::drop(std::size_t n) {
  children_ -= n;
  cut_ -= n;
  std::vector<std::pair<std::size_t, std::size_t>> kept;
  for (const auto& p : pending_)
    if (p.first > n) kept.emplace_back(p.first - n, p.second);
  pending_ = std::move(kept);
}

}  // namespace teikit
