#include "teikit/convert/brackets.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string_view>
#include <unordered_map>

#include "teikit/base/diagnostics.hpp"
#include "teikit/base/text_util.hpp"
#include "teikit/convert/footnotes.hpp"

namespace teikit {

namespace {

// Brackets deeper than this are kept as literal text: no archive nests editorial brackets more
// than two or three levels, and a bounded tree depth keeps every later stage (writer, XSLT,
// validators) safe from pathological input (cmark limits its inline nesting for the same reason).
constexpr std::size_t kMaxNesting = 32;
// Contents longer than this are never matched against the profile's patterns (they cannot be
// a convention; the fallback applies). Keeps classification O(1) per bracket.
constexpr std::size_t kMaxClassifiedLength = 400;

struct Frame {
  std::size_t open;       // byte offset of the delimiter in the block text
  Node holder;            // collects the children
  // The block's one bracket whose children are handed on (InlineParser::bracket_hand_off):
  // what the final children seen so far hold, and whether they went out.
  std::size_t scanned = 0, flat = 0;
  bool other = false, streamed = false;
  bool opened_out = false;  // a bracket that never closes: its delimiter went out as text
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// The first position at or after `from` holding byte a or b, or t.size(): eight bytes at a time
// (a word holds a when word XOR a·0x0101… has a zero byte).
std::size_t find_either(std::string_view t, std::size_t from, char a, char b) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  const std::uint64_t ma = kOnes * static_cast<unsigned char>(a), mb = kOnes * static_cast<unsigned char>(b);
  auto has_zero = [&](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const std::size_t n = t.size();
  std::size_t i = from;
  for (;;) {
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, t.data() + i, 8);
      if (has_zero(w ^ ma) | has_zero(w ^ mb)) break;
      i += 8;
    }
    const std::size_t stop = std::min(n, i + 8);
    while (i < stop && t[i] != a && t[i] != b) ++i;
    if (i < stop || i >= n) return i;
  }
}

// A number of a measure: a number word of the profile ("three", "a", "half"; -2 for a vague
// "several"), or digits with an optional vulgar half ("2", "1½", "1.5"); -1 for anything else.
double number_word(const std::string& w, const Profile& profile) {
  for (const auto& [word, value] : profile.numbers)
    if (w == word) return value;
  double v = 0;
  std::size_t i = 0;
  bool digits = false;
  while (i < w.size() && std::isdigit(static_cast<unsigned char>(w[i]))) {
    if (v < 1e12) v = v * 10 + (w[i] - '0');  // extents beyond this are not quantities
    ++i;
    digits = true;
  }
  if (!digits) return -1;
  if (i == w.size()) return v;
  if (w.compare(i, std::string::npos, "\xC2\xBD") == 0) return v + 0.5;
  if (w[i] == '.' && i + 1 < w.size()) {
    double f = 0.1;
    for (++i; i < w.size() && std::isdigit(static_cast<unsigned char>(w[i])); ++i, f /= 10)
      v += (w[i] - '0') * f;
    if (i == w.size()) return v;
  }
  return -1;
}

// ENCODING.md §4: the unit words of the profile, each the TEI unit it stands for (word, line,
// char, group, page, paragraph), or null.
const Profile::UnitWord* unit_word(const std::string& w, const Profile& profile) {
  for (const auto& u : profile.units)
    if (u.word == w) return &u;
  return nullptr;
}

// xsd:decimal form (never an exponent): "2", "1.5".
std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string r = buf;
  while (!r.empty() && r.back() == '0') r.pop_back();
  if (!r.empty() && r.back() == '.') r.pop_back();
  return r;
}

// True when `text` says nothing but an extent: numbers, units and "illegible" ("2 words
// illegible", "illegible word"); ENCODING.md §4: a description that is not a quantity goes to
// <desc>, a quantity does not.
bool only_measure(const std::string& text, const Profile& profile) {
  for (const auto& w : split_any(to_lower_utf8(collapse_space(text)), {" "}))
    if (std::find(profile.measure_words.begin(), profile.measure_words.end(), w) ==
            profile.measure_words.end() &&
        number_word(w, profile) < 0 && !unit_word(w, profile))
      return false;
  return true;
}

class InlineParser {
 public:
  InlineParser(const SourceText& source, const Block& block, const InlineContext& ctx,
               DiagnosticSink& sink, const FinalChildren* on_final = nullptr,
               std::size_t batch = 0, const BracketChildren* on_bracket = nullptr)
      : source_(source), block_(block), ctx_(ctx), profile_(*ctx.profile), sink_(sink),
        on_final_(on_final), on_bracket_(on_bracket), batch_(batch > 0 ? batch : 1) {}

  void run(Node& parent) {
    const std::string_view t = block_.text;
    const std::string& open = profile_.open;
    const std::string& close = profile_.close;
    first_unclosed_ = on_final_ && opens_unclosed(t);
    std::size_t run_start = 0, i = 0;
    bool warned_depth = false;
    // Whether a delimiter starts at i (i < t.size()): one byte compared in place for the
    // usual one-byte delimiters.
    auto delimiter_at = [&t](std::size_t k, const std::string& d) {
      return d.size() == 1 ? t[k] == d[0] : t.compare(k, d.size(), d) == 0;
    };
    while (i < t.size()) {
      // Outside every bracket, only the last two children can still change (a mark such as
      // [sic] takes the word or element before it, after at most one whitespace text).
      if (on_final_ && stack_.empty() && root_.children.size() >= batch_ + 2) hand_off();
      if (on_bracket_ && stack_.size() == 1 && root_.children.empty() &&
          stack_[0].holder.children.size() >= batch_ + 2 && !bracket_hand_off())
        return;
      if (first_unclosed_ && stack_.size() == 1 && root_.children.empty() &&
          stack_[0].holder.children.size() >= batch_ + 2)
        unclosed_hand_off();
      if (delimiter_at(i, open)) {
        flush(run_start, i);
        if (stack_.size() >= kMaxNesting) {
          // Too deep: the bracket stays text in the innermost real frame (appending in place
          // keeps the work linear; a frame per level would copy the text at every level).
          if (!warned_depth) {
            warn(i, "bracket-nesting-too-deep",
                 "brackets nested more than " + std::to_string(kMaxNesting) +
                     " deep are kept as text");
            warned_depth = true;
          }
          literal_opens_.push_back(i);
          top().append_text(open, span(i, i + open.size()));
        } else {
          stack_.push_back(Frame{i, Node::make_element("#frame")});
        }
        i += open.size();
        run_start = i;
      } else if (delimiter_at(i, close)) {
        flush(run_start, i);
        i += close.size();
        run_start = i;
        if (!literal_opens_.empty()) {
          literal_opens_.pop_back();
          top().append_text(close, span(i - close.size(), i));
          continue;
        }
        if (stack_.empty()) {
          warn(i - close.size(), "unmatched-close-bracket",
               "'" + close + "' without a matching '" + open + "'; kept as text");
          top().append_text(close, span(i - close.size(), i));
          continue;
        }
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        close_frame(std::move(f), i);
      } else {
        // Only the delimiters' first bytes can start one: skip to the next of them.
        ++i;
        if (!open.empty() && !close.empty()) i = find_either(t, i, open[0], close[0]);
      }
    }
    flush(run_start, t.size());
    // Unclosed openers stay literal (ENCODING.md §3). In text order they read: root, "[",
    // frame 0, "[", frame 1, … so they are appended outermost first, each once: linear even
    // for 10⁵ unclosed brackets.
    for (std::size_t at : literal_opens_)
      warn(at, "unmatched-open-bracket",
           "'" + open + "' without a matching '" + close + "'; kept as text");
    // Into an empty parent the children go as they are (no copy: a paragraph may hold 10⁵).
    if (parent.children.empty()) parent.children = std::move(root_.children);
    else for (auto& c : root_.children) parent.append(std::move(c));
    for (auto& f : stack_) {
      warn(f.open, "unmatched-open-bracket",
           "'" + open + "' without a matching '" + close + "'; kept as text");
      if (!f.opened_out) parent.append_text(open, span(f.open, f.open + open.size()));
      for (auto& c : f.holder.children) parent.append(std::move(c));
    }
    stack_.clear();
  }

 private:
  Span span(std::size_t b, std::size_t e) const {
    if (ctx_.text_spans) return {static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)};
    return {block_.source_offset(b), block_.exact ? block_.source_offset(e) : block_.span.end};
  }
  void warn(std::size_t at, const char* code, const std::string& msg) {
    sink_.report(source_, block_.source_offset(at), Severity::Warning, code, msg);
  }
  Node& top() { return stack_.empty() ? root_ : stack_.back().holder; }
  void hand_off() {
    auto& kids = root_.children;
    const auto keep = kids.end() - 2;
    std::vector<Node> done(std::make_move_iterator(kids.begin()), std::make_move_iterator(keep));
    kids.erase(kids.begin(), keep);
    (*on_final_)(done);
  }
  // The children of the block's one bracket but the last two (which a mark such as [sic] may
  // still take), once the bracket's fate is sealed: its final children are longer than any
  // content the profile classifies (close_frame gives it no content to match) and not all text
  // and unclear readings (close_frame's "[illegible [?]]" case), so it becomes the default
  // element, which keeps them. Until then they wait in the frame.
  // False when the receiver stops the parse.
  bool bracket_hand_off() {
    Frame& f = stack_[0];
    auto& kids = f.holder.children;
    const std::size_t final_kids = kids.size() - 2;
    if (!f.streamed) {
      const BracketRule& r = profile_.fallback;
      if (r.action != RuleAction::Supplied && r.action != RuleAction::Note &&
          r.action != RuleAction::Element) {
        on_bracket_ = nullptr;
        return true;
      }
      for (; f.scanned < final_kids; ++f.scanned) {
        const Node& c = kids[f.scanned];
        f.flat += c.kind == Node::Kind::Text ? c.text.size() : 3;
        f.other |= c.kind == Node::Kind::Element &&
                   !(c.is("unclear") && c.children.size() == 1 && c.children[0].kind == Node::Kind::Text);
      }
      if (f.flat <= 4 * kMaxClassifiedLength || !f.other) return true;
      f.streamed = true;
      bracket_ = Node::make_element(r.element, span(f.open, f.open));
      for (const auto& [k, v] : r.attributes) bracket_.set(k, v);
      set_resp(bracket_, r);
    }
    std::vector<Node> done(std::make_move_iterator(kids.begin()),
                           std::make_move_iterator(kids.begin() + static_cast<long>(final_kids)));
    kids.erase(kids.begin(), kids.begin() + static_cast<long>(final_kids));
    return (*on_bracket_)(bracket_, done);
  }
  // True when `t` starts with an opening delimiter that is never closed (delimiters pair as
  // run() pairs them: a close at depth 0 is text, brackets past kMaxNesting still count).
  bool opens_unclosed(std::string_view t) const {
    const std::string& open = profile_.open;
    const std::string& close = profile_.close;
    if (open.empty() || close.empty() || t.compare(0, open.size(), open) != 0) return false;
    std::size_t depth = 0;
    for (std::size_t i = 0; i < t.size();) {
      if (t.compare(i, open.size(), open) == 0) {
        ++depth;
        i += open.size();
      } else if (t.compare(i, close.size(), close) == 0) {
        i += close.size();
        if (depth > 0 && --depth == 0) return false;
      } else {
        ++i;
      }
    }
    return true;
  }
  // A block whose first bracket never closes: that bracket stays text (run()'s end: the open
  // delimiter, then its children, at the top level), so its children but the last two are
  // final top-level children, handed on as such; the delimiter goes out with the first.
  void unclosed_hand_off() {
    Frame& f = stack_[0];
    auto& kids = f.holder.children;
    const auto keep = kids.end() - 2;
    Node done = Node::make_element("#done");
    if (!f.opened_out) done.append_text(profile_.open, span(f.open, f.open + profile_.open.size()));
    f.opened_out = true;
    for (auto it = kids.begin(); it != keep; ++it) done.append(std::move(*it));
    kids.erase(kids.begin(), keep);
    (*on_final_)(done.children);
  }
  void flush(std::size_t b, std::size_t e) {
    if (e <= b) return;
    if (!profile_.parenthesised_rules.empty() && stack_.empty()) return flush_parenthesised(b, e);
    // The piece is made once and moved in (append_text would copy it again).
    top().append(Node::make_text(std::string(block_.text.substr(b, e - b)), span(b, e)));
  }
  // Text outside brackets, with the parenthesised notes of the profile ("(Received November 9,
  // 1870.)"): a parenthesis whose whole content matches one of the profile's
  // parenthesised-notes rules becomes that rule's note, rend="parentheses" (so the text round
  // trip writes the parentheses back). Any other parenthesis is text.
  void flush_parenthesised(std::size_t b, std::size_t e) {
    const std::string_view t = block_.text;
    const std::string& po = profile_.parenthesis_open;
    const std::string& pc = profile_.parenthesis_close;
    // Searches end at the run's end: a search to the end of a long block for every run of text
    // between brackets would be quadratic.
    const std::string_view run(t.data(), e);
    std::size_t from = b;
    for (std::size_t i = run.find(po, b); i != std::string_view::npos; i = run.find(po, i + 1)) {
      const std::size_t c = run.find(pc, i + po.size());
      if (c == std::string_view::npos) break;
      // Only the innermost opening before this close can hold a note without a parenthesis
      // inside: every step goes past a closing delimiter, so the scan stays linear.
      i = t.rfind(po, c - po.size());
      const std::string inner(t.substr(i + po.size(), c - i - po.size()));
      if (inner.size() > kMaxClassifiedLength) {
        i = c;
        continue;
      }
      const std::string content = collapse_space(inner);
      // An editor's note in parentheses is written as one: capitalised, and ending in a full
      // stop or holding a number (a date). Running text in parentheses, "(received
      // yesterday)", is no note.
      bool upper = false;
      const bool shaped = !content.empty() && utf8_letter(content, 0, &upper) > 0 && upper &&
                          (content.back() == '.' ||
                           content.find_first_of("0123456789") != std::string::npos);
      const BracketRule* rule = nullptr;
      for (const auto& id : profile_.parenthesised_rules) {
        if (!shaped) break;
        for (const auto& r : profile_.rules)
          if (!rule && r.id == id && r.action == RuleAction::Note && std::regex_match(content, r.pattern))
            rule = &r;
      }
      if (!rule) {
        i = c;
        continue;
      }
      if (i > from) top().append(Node::make_text(std::string(t.substr(from, i - from)), span(from, i)));
      const Span whole = span(i, c + pc.size());
      Node n = Node::make_element(rule->element, whole);
      for (const auto& [k, v] : rule->attributes) n.set(k, v);
      n.set("rend", "parentheses");
      set_resp(n, *rule);
      n.append_text(inner, span(i + po.size(), c));
      used(*rule);
      top().append(std::move(n));
      from = c + pc.size();
      i = c;
    }
    if (e > from) top().append(Node::make_text(std::string(t.substr(from, e - from)), span(from, e)));
  }
  // A footnote mark: the note of the notes area, when this is the first mark of its number.
  bool footnote(Node& n, const std::string& content, std::size_t open_at) const {
    if (!ctx_.footnotes) return false;
    const Node* note = ctx_.footnotes->note_for(content, block_.source_offset(open_at));
    if (!note) return false;
    const Span bracket = n.span;
    n = *note;
    n.span = bracket;
    return true;
  }
  // Puts a frame back as text: open delimiter, children, close delimiter (if any).
  void flatten(Frame f, const std::string& close_text, std::size_t end) {
    Node& parent = top();
    parent.append_text(profile_.open, span(f.open, f.open + profile_.open.size()));
    for (auto& c : f.holder.children) parent.append(std::move(c));
    if (!close_text.empty()) parent.append_text(close_text, span(end - close_text.size(), end));
  }
  void used(const BracketRule& rule) {
    if (!ctx_.rules_used) return;
    for (const auto& id : *ctx_.rules_used)
      if (id == rule.id) return;
    ctx_.rules_used->push_back(rule.id);
  }
  void set_resp(Node& n, const BracketRule& rule) const {
    if (!rule.resp) return;
    const std::string& who = rule.resp_reading && !ctx_.reading_resp.empty() ? ctx_.reading_resp : ctx_.resp;
    if (!who.empty()) n.set("resp", who);
  }

  void close_frame(Frame f, std::size_t end) {
    const Span whole = span(f.open, end);
    auto& kids = f.holder.children;
    if (f.streamed) {  // sealed (bracket_hand_off): the default element, its last children
      Node n = std::move(bracket_);
      n.span = whole;
      n.children = std::move(kids);
      used(profile_.fallback);
      top().append(std::move(n));
      return;
    }
    const bool pure = kids.size() == 1 && kids[0].kind == Node::Kind::Text;
    // The content as the profile sees it: text, with each nested element as U+FFFC (object
    // replacement character), whitespace collapsed.
    std::string content;
    if (pure) {
      content = collapse_space(kids[0].text);
    } else {
      std::string flat;
      for (const auto& c : kids) flat += c.kind == Node::Kind::Text ? c.text : "\xEF\xBF\xBC";
      if (flat.size() <= 4 * kMaxClassifiedLength) content = collapse_space(flat);
    }
    if (kids.empty() || (pure && content.empty())) {
      warn(f.open, "empty-brackets", "empty brackets are kept as text");
      return flatten(std::move(f), profile_.close, end);
    }
    // "[illegible [?]]": the whole content is an uncertain reading of a gap convention; the
    // gap carries cert="low" instead of a supplied word "illegible" (ENCODING.md §3: claim no
    // more than the source says).
    // Also "[illegible word [?]]": text with an unclear reading inside reads as one wording.
    std::string inner_text;
    bool text_and_unclear = !pure && !kids.empty();
    bool has_unclear = false;
    for (const auto& c : kids) {
      if (c.kind == Node::Kind::Text) {
        inner_text += c.text;
      } else if (c.is("unclear") && c.children.size() == 1 &&
                 c.children[0].kind == Node::Kind::Text) {
        inner_text += c.children[0].text;
        has_unclear = true;
      } else {
        text_and_unclear = false;
      }
    }
    if (text_and_unclear && has_unclear) {
      const std::string inner = collapse_space(inner_text);
      const BracketRule& r = profile_.classify(inner);
      if (r.action == RuleAction::Gap) {
        Node gap = Node::make_element("gap", whole);
        for (const auto& [k, v] : r.attributes) gap.set(k, v);
        set_resp(gap, r);
        gap.set("cert", "low");
        const bool measured = r.quantity_group < 0 && read_measure(inner, gap, profile_);
        if (r.keep_desc && !(r.desc_unless_measure && measured && only_measure(inner, profile_)))
          gap.append(Node::make_element("desc", whole)).append_text(inner, whole);
        used(r);
        top().append(std::move(gap));
        return;
      }
    }
    const BracketRule* rule = &profile_.fallback;
    BracketMatch groups;
    if (!content.empty() && content.size() <= kMaxClassifiedLength) {
      // Contents repeat a lot ([...], [sic], [illegible]); the profile classifies each
      // distinct one once.
      groups = profile_.match_bracket(content);
      rule = groups.rule;
    }
    // A number in brackets inside a number ("[19]62", "196[2]") is a supplied part of it, not
    // a footnote mark.
    if (rule->action == RuleAction::Footnote) {
      const std::string_view t = block_.text;
      auto digit = [&](std::size_t k) { return k < t.size() && t[k] >= '0' && t[k] <= '9'; };
      if ((f.open > 0 && digit(f.open - 1)) || digit(end)) rule = &profile_.fallback;
    }
    // Rules that drop or replace the content need plain text; with nested markup inside, only
    // the content-keeping actions are safe (ENCODING.md §3: nothing lost), and a content group
    // must be a suffix ("handwritten: X [illegible] Y") so that a prefix of text can be cut.
    if (!pure) {
      const bool keeps = rule->action == RuleAction::Supplied || rule->action == RuleAction::Note ||
                         rule->action == RuleAction::Element;
      const int g = rule->content_group;
      bool sliceable = g == 0;
      const std::size_t gi = static_cast<std::size_t>(g);
      if (keeps && g > 0 && gi < groups.groups.size() && groups.groups[gi].first >= 0 &&
          static_cast<std::size_t>(groups.groups[gi].first + groups.groups[gi].second) == content.size())
        sliceable = cut_text_prefix(kids, content.substr(0, static_cast<std::size_t>(groups.groups[gi].first)));
      if (!keeps || !sliceable) rule = &profile_.fallback;
    }
    auto group = [&](int g) -> std::string {
      return (g > 0 && static_cast<std::size_t>(g) < groups.groups.size())
                 ? groups.group(content, static_cast<std::size_t>(g))
                 : content;
    };

    Node n = Node::make_element(rule->element, whole);
    for (const auto& [k, v] : rule->attributes) n.set(k, v);
    switch (rule->action) {
      case RuleAction::Gap: {
        set_resp(n, *rule);
        const bool measured = rule->quantity_group < 0 && read_measure(content, n, profile_);
        if (rule->keep_desc && !(rule->desc_unless_measure && measured && only_measure(content, profile_)))
          n.append(Node::make_element("desc", whole)).append_text(content, whole);
        break;
      }
      case RuleAction::PageBreak:
        n.set("n", trim(group(rule->n_group)));
        break;
      case RuleAction::Empty:
        // The wording is the rule's canonical notation (ENCODING.md §4: "[handwritten:]"), so
        // the element alone gives it back.
        break;
      case RuleAction::Footnote:
        if (!footnote(n, content, f.open)) {
          warn(f.open, "footnote-without-note",
               "footnote mark '" + profile_.open + content + profile_.close +
                   "' has no note after the text; kept as text");
          return flatten(std::move(f), profile_.close, end);
        }
        break;
      case RuleAction::MarkPrevious:
        mark_too_deep_ = false;
        if (!mark_previous(n, *rule, whole)) {
          if (mark_too_deep_)
            warn(f.open, "bracket-nesting-too-deep",
                 "'" + content + "' would nest its element more than " +
                     std::to_string(kMaxNesting) + " deep; kept as text");
          else
            warn(f.open, "nothing-to-mark",
                 "'" + content + "' follows no word it could apply to; kept as text");
          return flatten(std::move(f), profile_.close, end);
        }
        used(*rule);
        return;
      case RuleAction::Supplied:
      case RuleAction::Note:
      case RuleAction::Element:
        set_resp(n, *rule);
        if (pure && rule->content_group > 0) {
          n.append_text(group(rule->content_group), whole);
          for (auto& c : n.children) c.span = whole;
        } else if (n.children.empty()) {
          // The frame's children are final and hold no two adjacent texts: moved as they are.
          // One by one, a long bracket's children were held twice while they were moved.
          n.children = std::move(kids);
        } else {
          for (auto& c : kids) n.append(std::move(c));
        }
        break;
    }
    used(*rule);
    top().append(std::move(n));
  }

  // Removes `prefix` (whitespace-collapsed, as in the content the rule saw) from the start of
  // the first text child. False when the children do not start that way.
  static bool cut_text_prefix(std::vector<Node>& kids, const std::string& prefix) {
    if (prefix.empty()) return true;
    if (kids.empty() || kids[0].kind != Node::Kind::Text) return false;
    const std::string& t = kids[0].text;
    std::size_t i = 0, k = 0;
    while (i < t.size() && is_space(t[i])) ++i;
    while (k < prefix.size() && i < t.size()) {
      if (prefix[k] == ' ') {
        if (!is_space(t[i])) return false;
        while (i < t.size() && is_space(t[i])) ++i;
        ++k;
      } else if (prefix[k] == t[i]) {
        ++i, ++k;
      } else {
        return false;
      }
    }
    while (k < prefix.size() && prefix[k] == ' ') ++k;
    if (k < prefix.size()) return false;
    while (i < t.size() && is_space(t[i])) ++i;
    kids[0].text.erase(0, i);
    if (kids[0].text.empty()) kids.erase(kids.begin());
    return true;
  }

  // True when `n` holds elements more than `limit` levels deep (looks no deeper than that).
  static bool deeper_than(const Node& n, std::size_t limit) {
    if (n.kind != Node::Kind::Element) return false;
    if (limit == 0) return true;
    for (const Node& c : n.children)
      if (deeper_than(c, limit - 1)) return true;
    return false;
  }

  // `word [sic]`: the element wraps the token before the bracket (ENCODING.md §4: hyphenated
  // tokens included), or the element right before it (`[Hanfu] [sic]`).
  bool mark_previous(Node& mark, const BracketRule& rule, Span bracket) {
    Node& parent = top();
    auto& kids = parent.children;
    if (kids.empty()) return false;
    set_resp(mark, rule);
    // Wraps the element at the end of `kids` (after removing `drop` trailing nodes). Not one
    // that is kMaxNesting deep already: `[sic][sic]…` wraps each mark in the next, and without a
    // bound the tree grew as deep as the marks were many (80,000 overflowed the stack; past 256
    // levels no XML parser of the toolkit reads the TEI back).
    auto mark_element = [&](std::size_t drop) {
      if (deeper_than(kids[kids.size() - 1 - drop], kMaxNesting))
        return mark_too_deep_ = true, false;
      kids.resize(kids.size() - drop);
      Node prev = std::move(kids.back());
      kids.pop_back();
      mark.span.begin = prev.span.begin;
      mark.append(std::move(prev));
      parent.append(std::move(mark));
      return true;
    };
    Node& last = kids.back();
    if (last.kind == Node::Kind::Text) {
      std::string& s = last.text;
      std::size_t e = s.size();
      while (e > 0 && is_space(s[e - 1])) --e;
      if (e == 0) {
        // Only whitespace between an element and the bracket: mark the element.
        if (kids.size() < 2) return false;
        return mark_element(1);
      }
      // Trailing , ; : belong to the sentence, not to the marked word ("recieved, [sic]").
      std::size_t punct_end = e;
      while (e > 0 && (s[e - 1] == ',' || s[e - 1] == ';' || s[e - 1] == ':')) --e;
      if (e == 0 || is_space(s[e - 1])) e = punct_end;  // punctuation alone: mark it as it is
      std::size_t b = e;
      while (b > 0 && !is_space(s[b - 1])) --b;
      // Offsets inside a merged text node map linearly when the block is exact.
      const std::uint32_t token_begin =
          last.span.end >= (s.size() - b) ? last.span.end - static_cast<std::uint32_t>(s.size() - b)
                                          : last.span.begin;
      std::string token = s.substr(b, e - b);
      const std::string after = s.substr(e, punct_end - e);
      s.resize(b);
      last.span.end = token_begin;
      if (s.empty()) kids.pop_back();
      mark.span.begin = token_begin;
      mark.span.end = bracket.end;
      const auto token_end = token_begin + static_cast<std::uint32_t>(token.size());
      mark.append_text(token, {token_begin, token_end});
      parent.append(std::move(mark));
      if (!after.empty())
        parent.append_text(after, {token_end, token_end + static_cast<std::uint32_t>(after.size())});
      return true;
    }
    return mark_element(0);
  }

  const SourceText& source_;
  const Block& block_;
  const InlineContext& ctx_;
  const Profile& profile_;
  DiagnosticSink& sink_;
  Node root_ = Node::make_element("#root");
  std::vector<std::size_t> literal_opens_;  // unmatched-so-far openers past kMaxNesting
  std::vector<Frame> stack_;
  const FinalChildren* on_final_;
  const BracketChildren* on_bracket_;
  bool first_unclosed_ = false;  // the block's first bracket never closes (opens_unclosed)
  bool mark_too_deep_ = false;   // mark_previous refused an element kMaxNesting deep
  Node bracket_;  // the element of a sealed bracket (bracket_hand_off)
  std::size_t batch_;
};

}  // namespace

bool read_measure(const std::string& text, Node& gap) {
  return read_measure(text, gap, *default_profile());
}

bool read_measure(const std::string& text, Node& gap, const Profile& profile) {
  // Words of the content, lower-cased, split on spaces.
  std::vector<std::string> words;
  for (auto& w : split_any(to_lower_utf8(text), {" "}))
    if (!w.empty()) words.push_back(w);
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const double q = number_word(words[i], profile);
    const Profile::UnitWord* unit = unit_word(words[i + 1], profile);
    // One word may stand between number and unit: "three illegible words", "2 more lines".
    if (!unit && i + 2 < words.size() && q >= 0) unit = unit_word(words[i + 2], profile);
    if (q < 0 || !unit) continue;
    // "less than 1 line", "more than 2 pages", "at least", "at most" (the profile's bounds).
    std::string bound;
    for (const auto& [phrase, type] : profile.measure_bounds) {
      if (phrase.empty() || i < phrase.size()) continue;
      bool match = true;
      for (std::size_t k = 0; k < phrase.size() && match; ++k)
        match = words[i - phrase.size() + k] == phrase[k];
      if (match) bound = type;
    }
    gap.set(bound.empty() ? "quantity" : bound, format_number(q));
    gap.set("unit", unit->unit);
    return true;
  }
  // "[illegible word]", "[one line illegible]": a singular unit alone means one of it.
  for (const auto& w : words) {
    if (const Profile::UnitWord* unit = unit_word(w, profile); unit && !unit->plural) {
      gap.set("quantity", "1");
      gap.set("unit", unit->unit);
      return true;
    }
  }
  return false;
}

void parse_inlines(const SourceText& source, const Block& block, const InlineContext& context,
                   Node& parent, DiagnosticSink& sink) {
  if (context.parses) ++*context.parses;
  InlineParser(source, block, context, sink).run(parent);
}

void parse_inlines(const SourceText& source, const Block& block, const InlineContext& context,
                   Node& parent, DiagnosticSink& sink, const FinalChildren& on_final,
                   std::size_t batch) {
  if (context.parses) ++*context.parses;
  InlineParser(source, block, context, sink, &on_final, batch).run(parent);
}

void parse_inlines(const SourceText& source, const Block& block, const InlineContext& context,
                   Node& parent, DiagnosticSink& sink, const FinalChildren& on_final,
                   std::size_t batch, const BracketChildren& on_bracket) {
  if (context.parses) ++*context.parses;
  InlineParser(source, block, context, sink, &on_final, batch, &on_bracket).run(parent);
}

}  // namespace teikit
