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
  // The children all at once, handed on in one run.
  std::vector<Node> out;
  OwnDatesMarker marker(
      node, context,
      [&](std::vector<Node>& run) {
        if (out.empty())
          out = std::move(run);
        else
          out.insert(out.end(), std::make_move_iterator(run.begin()),
                     std::make_move_iterator(run.end()));
      },
      SIZE_MAX);
  marker.add(node.children);
  marker.finish();
  node.children = std::move(out);
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

OwnDatesMarker::OwnDatesMarker(const Node& element, DateContext& context, Emit emit,
                               std::size_t run)
    : reads_(element.kind == Node::Kind::Element && !skipped(element)),
      reader_(context, kBarrier, kDateWindow),
      emit_(std::move(emit)),
      run_(std::max<std::size_t>(run, 1)) {}

void OwnDatesMarker::add(std::vector<Node>& kids) {
  const DateReader::Matches take = [this](std::vector<DateMatch>& m, std::size_t final_to) {
    this->take(m, final_to);
  };
  // Room for the new children at once (growing geometrically, as push_back would): moving the
  // held children on every reallocation cost ~6 % of converting bracket-dense text.
  const auto make_room = [](std::vector<Node>& v, std::size_t more) {
    if (v.capacity() < v.size() + more) v.reserve(std::max(v.size() + more, 2 * v.capacity()));
  };
  make_room(reads_ ? held_ : out_, kids.size());
  if (reads_) make_room(out_, kids.size());
  for (auto& c : kids) {
    if (!reads_) {
      out_.push_back(std::move(c));
      continue;
    }
    // The flat text of mark_own_dates: text and transparent supplied elements contribute their
    // characters, anything else one barrier character (no date runs across it).
    const std::size_t begin = flat_size_;
    if (c.kind == Node::Kind::Text) {
      held_.push_back(std::move(c));
      flat_size_ += held_.back().text.size();
      pieces_.emplace_back(begin, flat_size_);
      reader_.feed(held_.back().text, take);
    } else if (transparent(c)) {
      const std::string plain = c.plain_text();
      held_.push_back(std::move(c));
      flat_size_ += plain.size();
      pieces_.emplace_back(begin, flat_size_);
      reader_.feed(plain, take);
    } else {
      // No date runs across an element that interrupts every date (nor does the reader's look
      // at the token before a start), so the reading can be closed before one: done once a
      // run of children is held, so that text dense with such elements and with numbers is
      // handed on a run at a time. (A whole reading, run = SIZE_MAX, is never closed.)
      if (held_.size() - first_ > run_) {
        reader_.finish(take);
        while (first_ < held_.size()) emit_rest(first_++);
        hand_on(false);
      }
      held_.push_back(std::move(c));
      flat_size_ += 1;
      pieces_.emplace_back(begin, flat_size_);
      reader_.feed(std::string_view(&kBarrier, 1), take);
    }
  }
  kids.clear();
  hand_on(false);
}

void OwnDatesMarker::finish() {
  if (reads_) {
    reader_.finish([this](std::vector<DateMatch>& m, std::size_t final_to) { take(m, final_to); });
    while (first_ < held_.size()) emit_rest(first_++);
  }
  hand_on(true);
  held_.clear();
  pieces_.clear();
  first_ = used_ = 0;
}

void OwnDatesMarker::emit_rest(std::size_t i) {
  Node& c = held_[i];
  if (c.kind == Node::Kind::Text && used_ > 0) {
    if (c.text.size() > used_) out_.push_back(Node::make_text(c.text.substr(used_), c.span));
  } else {
    out_.push_back(std::move(c));
  }
  used_ = 0;
}

void OwnDatesMarker::take(std::vector<DateMatch>& matches, std::size_t final_to) {
  // The children are rebuilt in one pass, left to right (the matches are sorted and do not
  // overlap): wrapping each match in place, with an erase and an insert in the middle of the
  // children, was quadratic in a paragraph of 10⁵ elements. A text child cut by matches is
  // handed on piece by piece; used_ counts its bytes handed on already. Every piece keeps the
  // span of the child it comes from.
  const std::size_t n = held_.size();
  auto text_piece = [&](std::size_t i, std::size_t from, std::size_t to) {
    if (to > from)
      out_.push_back(Node::make_text(held_[i].text.substr(from, to - from), held_[i].span));
  };
  for (const DateMatch& m : matches) {
    std::size_t first = first_;
    while (first < n && pieces_[first].second <= m.begin) ++first;
    std::size_t last = first;
    while (last < n && pieces_[last].second < m.end) ++last;
    if (first >= n || last >= n) continue;
    const Node& fn = held_[first];
    const Node& ln = held_[last];
    // A supplied element cannot be split: the match must cover it whole.
    if (fn.kind != Node::Kind::Text && pieces_[first].first != m.begin) continue;
    if (ln.kind != Node::Kind::Text && pieces_[last].second != m.end) continue;
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
    while (first_ < first) emit_rest(first_++);
    // The text before the match, then the match itself (appended as the whole-tree version
    // did: Node::append drops empty text).
    const bool first_text = fn.kind == Node::Kind::Text, last_text = ln.kind == Node::Kind::Text;
    const std::size_t begin_cut = first_text ? m.begin - pieces_[first].first : 0;
    const std::size_t end_cut = last_text ? m.end - pieces_[last].first : 0;
    if (first_text) text_piece(first, used_, begin_cut);
    if (first == last) {
      date.append(Node::make_text(held_[first].text.substr(begin_cut, end_cut - begin_cut),
                                  held_[first].span));
    } else {
      if (first_text)
        date.append(Node::make_text(held_[first].text.substr(begin_cut), held_[first].span));
      else
        date.append(std::move(held_[first]));
      for (std::size_t j = first + 1; j < last; ++j) date.append(std::move(held_[j]));
      if (last_text)
        date.append(Node::make_text(held_[last].text.substr(0, end_cut), held_[last].span));
      else
        date.append(std::move(held_[last]));
    }
    // A text child used up to its end is done; so is an element child, which went in whole.
    first_ = last;
    used_ = end_cut;
    if (!last_text || used_ >= held_[last].text.size()) {
      first_ = last + 1;
      used_ = 0;
    }
    date.span = {date.children.front().span.begin, date.children.back().span.end};
    out_.push_back(std::move(date));
  }
  // No later match begins before final_to: the children that end there are final.
  while (first_ < n && pieces_[first_].second <= final_to) emit_rest(first_++);
  hand_on(false);
}

void OwnDatesMarker::hand_on(bool all) {
  if (!out_.empty() && (all || out_.size() >= run_)) {
    emit_(out_);
    out_.clear();
  }
  // The children handed on are dropped once they are half of those held (each child is moved
  // a bounded number of times).
  if (first_ > 0 && 2 * first_ >= held_.size()) {
    held_.erase(held_.begin(), held_.begin() + static_cast<long>(first_));
    pieces_.erase(pieces_.begin(), pieces_.begin() + static_cast<long>(first_));
    first_ = 0;
  }
}

}  // namespace teikit
