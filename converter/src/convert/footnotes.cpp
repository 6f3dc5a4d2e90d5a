#include "teikit/convert/footnotes.hpp"

#include <algorithm>
#include <regex>
#include <unordered_map>

#include "teikit/base/text_util.hpp"
#include "teikit/convert/brackets.hpp"
#include "teikit/convert/profile.hpp"

namespace teikit {

namespace {

// Marks longer than this are never footnote marks (the profile's pattern sees no more): keeps
// the scan for marks linear however the text is bracketed.
constexpr std::size_t kMaxMark = 16;

const BracketRule* footnote_rule(const Profile& profile) {
  for (const auto& r : profile.rules)
    if (r.action == RuleAction::Footnote) return &r;
  return nullptr;
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Part [from, to) of a block, whitespace trimmed, with its source span.
Block part_of(const Block& b, std::size_t from, std::size_t to) {
  while (from < to && is_blank(b.text[from])) ++from;
  while (to > from && is_blank(b.text[to - 1])) --to;
  Block s = b;
  s.text = b.text.substr(from, to - from);
  if (b.exact) s.span = {b.source_offset(from), b.source_offset(to)};
  return s;
}

class Labels {
 public:
  Labels(const Profile& profile, const BracketRule& rule) : profile_(profile), rule_(rule) {}

  // A footnote mark at byte `at` of `text` in brackets ("[1]"): its number and the byte after
  // the closing delimiter, or "".
  std::string bracketed(std::string_view text, std::size_t at, std::size_t& end) const {
    const std::string& open = profile_.open;
    const std::string& close = profile_.close;
    if (text.compare(at, open.size(), open) != 0) return "";
    const std::size_t from = at + open.size();
    // The closing delimiter within kMaxMark bytes only: a search to the end of the text for
    // every opening one would be quadratic in "[[[[…".
    const std::size_t c = text.substr(from, kMaxMark + close.size()).find(close);
    if (c == std::string::npos) return "";
    const std::size_t close_at = from + c;
    const std::string n = trim(text.substr(from, close_at - from));
    if (n.empty() || n.find(open) != std::string::npos || !std::regex_match(n, rule_.pattern))
      return "";
    end = close_at + close.size();
    return n;
  }
  // A note's label at the start of `line`: "[1]" or (when `numbered` is allowed) "1." followed
  // by a space or the end. Sets `is_numbered`.
  std::string label(const std::string& line, bool numbered, bool& is_numbered, std::size_t& end) const {
    is_numbered = false;
    if (std::string n = bracketed(line, 0, end); !n.empty()) return n;
    if (!numbered) return "";
    const std::size_t dot = line.find('.');
    if (dot == std::string::npos || dot == 0 || dot > kMaxMark) return "";
    if (dot + 1 < line.size() && !is_blank(line[dot + 1])) return "";
    const std::string n = line.substr(0, dot);
    if (!std::regex_match(n, rule_.pattern)) return "";
    is_numbered = true;
    end = dot + 1;
    return n;
  }

 private:
  const Profile& profile_;
  const BracketRule& rule_;
};

// A line of rule characters only ("___", "- - -", "———"), at least as many as the profile asks.
bool is_rule_line(const std::string& line, const Profile& profile) {
  if (profile.footnote_rule_characters.empty()) return false;
  std::size_t count = 0, i = 0;
  while (i < line.size()) {
    if (is_blank(line[i])) {
      ++i;
      continue;
    }
    bool matched = false;
    for (const auto& c : profile.footnote_rule_characters)
      if (line.compare(i, c.size(), c) == 0) {
        i += c.size();
        ++count;
        matched = true;
        break;
      }
    if (!matched) return false;
  }
  return count >= profile.footnote_rule_length;
}

bool is_heading(const std::string& line, const Profile& profile) {
  std::string t = trim(line);
  if (!t.empty() && t.back() == ':') t.pop_back();
  t = to_lower_utf8(collapse_space(t));
  return !t.empty() && std::find(profile.footnote_headings.begin(), profile.footnote_headings.end(), t) !=
                           profile.footnote_headings.end();
}

// The starts of the lines of `text`.
std::vector<std::size_t> line_starts(std::string_view text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n' && i + 1 < text.size()) starts.push_back(i + 1);
  return starts;
}

std::string line_at(std::string_view text, std::size_t start) {
  const std::size_t eol = text.find('\n', start);
  return std::string(text.substr(start, (eol == std::string::npos ? text.size() : eol) - start));
}

}  // namespace

Footnotes Footnotes::take(BlockList& body, const Profile& profile) {
  Footnotes none;
  const BracketRule* rule = footnote_rule(profile);
  if (!rule || body.empty()) return none;
  const Labels labels(profile, *rule);

  // The notes: the longest run of blocks at the end whose every line starts with a label or
  // continues the note of the line before (the block's first line must be a label).
  struct Found {
    std::string n;
    std::size_t block, from, to;  // the note's text: bytes [from, to) of block
    bool numbered;
  };
  auto notes_of = [&](std::size_t b, bool numbered, std::size_t skip_lines, std::vector<Found>& out) {
    const std::string_view text = body[b].text;
    const auto starts = line_starts(text);
    if (skip_lines >= starts.size()) return false;
    std::vector<Found> here;
    for (std::size_t l = skip_lines; l < starts.size(); ++l) {
      bool is_numbered = false;
      std::size_t end = 0;
      const std::string line = line_at(text, starts[l]);
      std::size_t lead = 0;
      while (lead < line.size() && is_blank(line[lead])) ++lead;
      std::string n = labels.label(line.substr(lead), numbered, is_numbered, end);
      if (n.empty()) {
        if (here.empty()) return false;
        continue;  // the note of the line before goes on
      }
      if (!here.empty()) here.back().to = starts[l];
      here.push_back({n, b, starts[l] + lead + end, text.size(), is_numbered});
    }
    out.insert(out.begin(), here.begin(), here.end());
    return true;
  };

  for (const bool numbered : {false, true}) {
    std::vector<Found> found;
    std::size_t first = body.size();
    while (first > 0 && notes_of(first - 1, numbered, 0, found)) --first;
    // Before the notes: a rule line and/or a heading, as blocks of their own or as the first
    // lines of the first note block.
    std::string rule_line;
    std::size_t heading_block = SIZE_MAX;
    std::size_t area = first;
    auto frame = [&](std::size_t b) {
      const std::string t = trim(body[b].text);
      if (t.find('\n') != std::string::npos) return false;
      if (rule_line.empty() && is_rule_line(t, profile)) {
        rule_line = t;
        return true;
      }
      if (heading_block == SIZE_MAX && is_heading(t, profile)) {
        heading_block = b;
        return true;
      }
      return false;
    };
    while (area > 0 && area + 2 > first && frame(area - 1)) --area;
    // Rule or heading lines at the top of the first block that is not all notes.
    Block heading_part;
    bool heading_in_block = false;
    if (area == first && first > 0) {
      const std::string_view text = body[first - 1].text;
      const auto starts = line_starts(text);
      std::size_t l = 0;
      std::string r;
      bool h = false;
      while (l < starts.size() && l < 2) {
        const std::string line = line_at(text, starts[l]);
        if (r.empty() && !h && is_rule_line(line, profile)) r = trim(line);
        else if (!h && is_heading(line, profile)) {
          h = true;
          heading_part = part_of(body[first - 1], starts[l], starts[l] + line.size());
        } else break;
        ++l;
      }
      std::vector<Found> more;
      if (l > 0 && notes_of(first - 1, numbered, l, more)) {
        found.insert(found.begin(), more.begin(), more.end());
        rule_line = r;
        heading_in_block = h;
        --first;
        area = first;
      }
    }
    const bool framed = !rule_line.empty() || heading_block != SIZE_MAX || heading_in_block;
    if (found.empty() || (numbered && !framed)) continue;
    // One label form for the whole area, numbers unique.
    bool same_form = true;
    for (const auto& f : found) same_form &= f.numbered == found.front().numbered;
    if (!same_form) continue;
    std::vector<Entry> entries;
    std::unordered_map<std::string, std::size_t> index;
    bool unique = true;
    for (const auto& f : found) {
      unique &= index.emplace(f.n, entries.size()).second;
      Entry e;
      e.n = f.n;
      e.text = part_of(body[f.block], f.from, f.to);
      entries.push_back(std::move(e));
    }
    if (!unique) continue;
    if (!mark_all(entries, index, body, area, profile)) continue;
    Footnotes result;
    result.entries_ = std::move(entries);
    result.index_ = std::move(index);
    result.rule_ = rule_line;
    result.numbered_ = found.front().numbered;
    if (heading_block != SIZE_MAX) {
      result.has_heading_ = true;
      result.heading_ = part_of(body[heading_block], 0, body[heading_block].text.size());
    } else if (heading_in_block) {
      result.has_heading_ = true;
      result.heading_ = heading_part;
    }
    body.truncate(area);
    return result;
  }
  return take_framed(body, profile);
}

// The notes area after the last rule line or heading block of `body` that the search above
// did not take: notes whose labels mix "[1]" and "1.", or that run over several paragraphs
// (a block that opens with no label goes on with the note before it). The frame makes that
// safe: without one, an unlabelled block after "[1] …" may be text of the document.
Footnotes Footnotes::take_framed(BlockList& body, const Profile& profile) {
  Footnotes none;
  const BracketRule* rule = footnote_rule(profile);
  if (!rule) return none;
  const Labels labels(profile, *rule);
  // A frame is one short line: longer blocks are text (and are not copied to be looked at).
  auto single_line = [&](std::size_t b) {
    if (body[b].text.size() > 200) return std::string();
    const std::string t = trim(body[b].text);
    return t.find('\n') == std::string::npos ? t : std::string();
  };
  std::size_t f = body.size();
  while (f > 0) {
    const std::string t = single_line(f - 1);
    if (!t.empty() && (is_rule_line(t, profile) || is_heading(t, profile))) break;
    --f;
  }
  if (f == 0 || f >= body.size()) return none;
  const std::size_t frame = f - 1;  // the rule line or heading right above the notes
  std::string rule_line;
  std::size_t heading_block = SIZE_MAX, area = frame;
  if (is_rule_line(single_line(frame), profile)) rule_line = single_line(frame);
  else heading_block = frame;
  if (frame > 0) {  // a rule line and a heading, in either order
    const std::string above = single_line(frame - 1);
    if (!above.empty() && rule_line.empty() && is_rule_line(above, profile)) rule_line = above, area = frame - 1;
    else if (!above.empty() && heading_block == SIZE_MAX && is_heading(above, profile))
      heading_block = frame - 1, area = frame - 1;
  }
  struct Para {
    std::size_t block, from, to;
  };
  struct Found {
    std::string n;
    bool numbered;
    std::vector<Para> paras;
  };
  std::vector<Found> found;
  for (std::size_t b = f; b < body.size(); ++b) {
    const std::string_view text = body[b].text;
    const auto starts = line_starts(text);
    for (std::size_t l = 0; l < starts.size(); ++l) {
      const std::string line = line_at(text, starts[l]);
      std::size_t lead = 0;
      while (lead < line.size() && is_blank(line[lead])) ++lead;
      bool is_numbered = false;
      std::size_t end = 0;
      const std::string n = labels.label(line.substr(lead), true, is_numbered, end);
      if (!n.empty()) {
        // The note before ends where this label's line begins, when it stands in this block.
        if (!found.empty() && found.back().paras.back().block == b) found.back().paras.back().to = starts[l];
        found.push_back({n, is_numbered, {{b, starts[l] + lead + end, text.size()}}});
      } else if (found.empty()) {
        return none;  // the first block under the frame is no note
      } else if (l == 0) {
        found.back().paras.push_back({b, 0, text.size()});  // the note goes on in a paragraph
      }
    }
  }
  std::vector<Entry> entries;
  std::unordered_map<std::string, std::size_t> index;
  bool all_numbered = true, none_numbered = true;
  for (const auto& fd : found) {
    if (!index.emplace(fd.n, entries.size()).second) return none;
    Entry e;
    e.n = fd.n;
    e.numbered = fd.numbered;
    all_numbered &= fd.numbered;
    none_numbered &= !fd.numbered;
    e.text = part_of(body[fd.paras[0].block], fd.paras[0].from, fd.paras[0].to);
    for (std::size_t k = 1; k < fd.paras.size(); ++k)
      e.more.push_back(part_of(body[fd.paras[k].block], fd.paras[k].from, fd.paras[k].to));
    entries.push_back(std::move(e));
  }
  if (!mark_all(entries, index, body, area, profile)) return none;
  Footnotes result;
  result.entries_ = std::move(entries);
  result.index_ = std::move(index);
  result.rule_ = rule_line;
  result.numbered_ = all_numbered;
  result.mixed_ = !all_numbered && !none_numbered;
  if (heading_block != SIZE_MAX) {
    result.has_heading_ = true;
    result.heading_ = part_of(body[heading_block], 0, body[heading_block].text.size());
  }
  body.truncate(area);
  return result;
}

// Finds each note's mark in the blocks before `area`: the first mark of each number gets the
// note. False when a note has none: an area with a note nothing points to is not a notes area
// (a numbered list at the end of a document), and stays text.
bool Footnotes::mark_all(std::vector<Entry>& entries, const std::unordered_map<std::string, std::size_t>& index,
                         const BlockList& body, std::size_t area, const Profile& profile) {
  const BracketRule* rule = footnote_rule(profile);
  if (!rule) return false;
  const Labels labels(profile, *rule);
  // The marks in the text before the area: the first of each number gets the note.
  std::vector<bool> marked(entries.size());
  for (std::size_t b = 0; b < area; ++b) {
    const std::string_view text = body[b].text;
    for (std::size_t i = text.find(profile.open); i != std::string::npos; i = text.find(profile.open, i + 1)) {
      std::size_t end = 0;
      const std::string n = labels.bracketed(text, i, end);
      if (n.empty()) continue;
      // "[19]62": part of a number, no mark (as the bracket parser reads it).
      auto digit = [&](std::size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '9'; };
      if ((i > 0 && digit(i - 1)) || digit(end)) continue;
      const auto it = index.find(n);
      if (it == index.end()) continue;
      const std::size_t k = it->second;
      const std::uint32_t at = body[b].source_offset(i);
      if (!marked[k]) entries[k].mark = at, marked[k] = true;
      else if (entries[k].mark == at) entries[k].ambiguous = true;
    }
  }
  // Every note must have its mark: an area with a note nothing points to is not a notes area
  // (a numbered list at the end of a document), and stays text.
  return std::find(marked.begin(), marked.end(), false) == marked.end();
}

void Footnotes::parse_notes(const SourceText& source, const InlineContext& context, DiagnosticSink& sink) {
  InlineContext inner = context;
  inner.footnotes = nullptr;  // a mark inside a note points nowhere: it stays text
  for (auto& e : entries_) {
    e.note = Node::make_element("note", e.text.span);
    e.note.set("n", e.n);
    e.note.set("place", "foot");
    // In an area that mixes "[1]" and "1.", each note says how it was labelled (the round trip
    // writes the label back).
    if (mixed_ && e.numbered) e.note.set("rend", "numbered");
    if (e.more.empty()) {
      parse_inlines(source, e.text, inner, e.note, sink);
      continue;
    }
    // A note of several paragraphs: one p each (TEI note holds paragraphs, also at its mark).
    parse_inlines(source, e.text, inner, e.note.append(Node::make_element("p", e.text.span)), sink);
    for (const Block& more : e.more)
      parse_inlines(source, more, inner, e.note.append(Node::make_element("p", more.span)), sink);
  }
  if (has_heading_) {
    heading_node_ = Node::make_element("head", heading_.span);
    parse_inlines(source, heading_, inner, heading_node_, sink);
  }
}

const Node* Footnotes::note_for(const std::string& n, std::uint32_t offset) const {
  const auto it = index_.find(n);
  if (it == index_.end()) return nullptr;
  const Entry& e = entries_[it->second];
  return e.mark == offset && !e.ambiguous ? &e.note : nullptr;
}

Node Footnotes::area() const {
  Node gen = Node::make_element("divGen", entries_.empty() ? Span{} : entries_.front().text.span);
  gen.set("type", "footnotes");
  if (numbered_) gen.set("subtype", "numbered");
  // TEI's @rend is a list of words: the rule's characters without its spaces ("- - -" is
  // "---"; the round trip compares without whitespace).
  std::string rule;
  for (char c : rule_)
    if (!is_blank(c)) rule += c;
  if (!rule.empty()) gen.set("rend", rule);
  if (has_heading_) gen.append(heading_node_);
  return gen;
}

}  // namespace teikit
