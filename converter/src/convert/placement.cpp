#include "teikit/convert/placement.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>

#include "teikit/base/text_util.hpp"
#include "teikit/convert/dates.hpp"

namespace teikit {

namespace {

bool only_space(const std::string& s) { return s.find_first_not_of(" \t\n") == std::string::npos; }

bool starts_with_capital(std::string_view s) {
  bool upper = false;
  return utf8_letter(s, 0, &upper) > 0 && upper;
}

// A block at least this long is parsed in batches of children (brackets.hpp), and a paragraph
// that long is marked for dates and written in batches: bracket-dense text makes an element
// every few bytes, and a whole paragraph's tree cost ~25× its text.
constexpr std::size_t kLongBlock = std::size_t{1} << 16;
// Children per batch of the inline parser, and at least per batch of date marking.
constexpr std::size_t kParseBatch = 1024;
// Children of an opener or postscript from which it is written child by child.
constexpr std::size_t kContainerBatch = 256;

void set_spans(Node& n, Span s) {
  n.span = s;
  for (auto& c : n.children) set_spans(c, s);
}

// The range of block text a top-level child of a parsed block covers.
struct Range {
  std::size_t begin, end;
};
Range text_range(const Node& c, const Block& b, bool text_spans) {
  if (text_spans) return {c.span.begin, c.span.end};
  return {c.span.begin - b.span.begin, c.span.end - b.span.begin};
}

// [from, to) of the block text trimmed of spaces and newlines, as a block of its own would be.
Range trimmed(std::string_view text, std::size_t from, std::size_t to) {
  while (from < to && (text[from] == ' ' || text[from] == '\n')) ++from;
  while (to > from && (text[to - 1] == ' ' || text[to - 1] == '\n')) --to;
  return {from, to};
}

// The cuts of `cuts` that fall outside every element (an element running across a cut, such
// as a bracket opened on one line and closed on the next, keeps the lines together), or none
// when a text child does not cover its range verbatim (then offsets cannot be trusted).
std::vector<std::size_t> honoured_cuts(const Node& content, const Block& b, bool text_spans,
                                       const std::vector<std::size_t>& cuts) {
  std::vector<std::size_t> kept;
  for (const auto& c : content.children) {
    const Range r = text_range(c, b, text_spans);
    if (c.kind == Node::Kind::Text && (r.end < r.begin || c.text.size() != r.end - r.begin ||
                                       r.end > b.text.size()))
      return {};
  }
  for (const std::size_t cut : cuts) {
    bool inside = false;
    for (const auto& c : content.children) {
      if (c.kind != Node::Kind::Element) continue;
      const Range r = text_range(c, b, text_spans);
      inside |= r.begin < cut && cut < r.end;
    }
    if (!inside) kept.push_back(cut);
  }
  return kept;
}


// True when the dates of an element named and typed as `e` are marked as those of any
// element (mark_dates: own text, then its elements), not skipped, nor read in a context of
// their own (a received note, a footnote) nor making the date of writing (a dateline).
bool ordinary_for_dates(const Node& e, const Profile& profile) {
  const std::string* type = e.get("type");
  const std::string* place = e.get("place");
  if (e.is("dateline") || (e.is("note") && ((type && *type == "received") || (place && *place == "foot"))))
    return false;
  Node probe = e;  // mixed content, as the bracket's: read by mark_dates itself
  probe.append_text("30 April 1962, April 30, 1962, 1962-04-30");
  probe.append(Node::make_element("pb"));
  return may_hold_dates(probe, &profile);
}

}  // namespace

bool is_standalone_content(const Node& content) {
  const Node* found = nullptr;
  for (const auto& c : content.children) {
    if (c.kind == Node::Kind::Text) {
      if (!only_space(c.text)) return false;
      continue;
    }
    if (found) return false;
    found = &c;
  }
  return found && (found->is("gap") || found->is("note") || found->is("pb"));
}

BlockInlines::BlockInlines(const SourceText& source, const BlockList& blocks,
                           const InlineContext& context, DiagnosticSink& sink)
    : source_(source), blocks_(blocks), context_(context), sink_(sink) {}

bool BlockInlines::text_spans(const Block& b) const {
  // A block that is not exact maps every offset to its first line: its parts are found by
  // offsets of its text instead. A long block is never cut.
  return !b.exact && b.text.size() < kLongBlock;
}

bool BlockInlines::standalone(std::size_t i) {
  const Block& b = blocks_[i];
  if (b.text.size() >= kLongBlock && !bracket_blocks_.count(i) && !ahead_.count(i) &&
      is_one_bracket(b.text, *context_.profile)) {
    // A long block that is one bracket: its tree, parsed ahead, cost ~50x its text. A first
    // parse that keeps nothing tells whether the bracket is sealed as the default element
    // (brackets.hpp); if that is no standalone one, the block is parsed once more as it is
    // placed, its content handed on in batches. The first parse is no parse of the text: it
    // stops once the bracket is sealed (a few KiB in), its diagnostics and rules are dropped,
    // and it is not counted.
    InlineContext ctx = context_;
    std::vector<std::string> rules;
    ctx.rules_used = &rules;
    ctx.parses = nullptr;
    DiagnosticSink scratch;
    Node rest = Node::make_element("#block"), element;
    bool sealed = false;
    parse_inlines(source_, b, ctx, rest, scratch, [](std::vector<Node>& kids) { kids.clear(); },
                  kParseBatch, [&](const Node& e, std::vector<Node>&) {
                    element = e;
                    sealed = true;
                    return false;
                  });
    if (sealed) {
      Node content = Node::make_element("#block");
      content.append(std::move(element));
      if (!is_standalone_content(content) &&
          ordinary_for_dates(content.children[0], *context_.profile)) {
        bracket_blocks_.insert(i);
        return false;
      }
    }
  }
  auto [it, fresh] = ahead_.try_emplace(i);
  Parsed& p = it->second;
  if (fresh) {
    InlineContext ctx = context_;
    ctx.rules_used = &p.rules_used;
    ctx.text_spans = text_spans(blocks_[i]);
    parse_inlines(source_, blocks_[i], ctx, p.content, p.diagnostics);
  }
  return is_standalone_content(p.content);
}

std::vector<BlockInlines::Part> BlockInlines::take(std::size_t i,
                                                   const std::vector<std::size_t>& cuts) {
  const Block& b = blocks_[i];
  const bool offsets = text_spans(b);
  std::vector<Part> parts;
  if (!cuts.empty() && !held(i)) {
    // Each part is parsed as a block of its own, once: a bracket does not run from one
    // labelled line into the next (tests/spec/structure.md).
    std::vector<std::size_t> bounds{0};
    bounds.insert(bounds.end(), cuts.begin(), cuts.end());
    bounds.push_back(b.text.size());
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
      const Range r = trimmed(b.text, bounds[k], bounds[k + 1]);
      Block sub;
      sub.text = b.text.substr(r.begin, r.end - r.begin);
      sub.span = b.exact ? Span{b.source_offset(r.begin), b.source_offset(r.end)} : b.span;
      sub.exact = b.exact;
      sub.strong = b.strong;
      Part part;
      part.begin = r.begin;
      part.end = r.end;
      part.content = Node::make_element("#block");
      parse_inlines(source_, sub, context_, part.content, sink_);
      parts.push_back(std::move(part));
    }
    return parts;
  }
  Part whole;
  whole.end = b.text.size();
  if (auto it = ahead_.find(i); it != ahead_.end()) {
    sink_.absorb(it->second.diagnostics);
    if (context_.rules_used)
      for (const auto& id : it->second.rules_used)
        if (std::find(context_.rules_used->begin(), context_.rules_used->end(), id) ==
            context_.rules_used->end())
          context_.rules_used->push_back(id);
    whole.content = std::move(it->second.content);
    ahead_.erase(it);
  } else {
    whole.content = Node::make_element("#block");
    InlineContext ctx = context_;
    ctx.text_spans = offsets;
    parse_inlines(source_, b, ctx, whole.content, sink_);
  }
  const std::vector<std::size_t> kept =
      cuts.empty() ? cuts : honoured_cuts(whole.content, b, offsets, cuts);
  if (kept.empty()) {
    if (offsets) set_spans(whole.content, b.span);
    parts.push_back(std::move(whole));
    return parts;
  }
  // Each part: the children (and pieces of text children) inside its trimmed range.
  std::vector<std::size_t> bounds{0};
  bounds.insert(bounds.end(), kept.begin(), kept.end());
  bounds.push_back(b.text.size());
  for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
    const Range r = trimmed(b.text, bounds[k], bounds[k + 1]);
    Part part;
    part.begin = r.begin;
    part.end = r.end;
    part.content = Node::make_element("#block");
    parts.push_back(std::move(part));
  }
  for (auto& c : whole.content.children) {
    const Range r = text_range(c, b, offsets);
    for (auto& part : parts) {
      const std::size_t from = std::max(r.begin, part.begin), to = std::min(r.end, part.end);
      if (from >= to) continue;
      if (c.kind == Node::Kind::Element) {
        part.content.append(std::move(c));
        break;
      }
      const Span s = offsets ? b.span : Span{b.source_offset(from), b.source_offset(to)};
      part.content.append_text(c.text.substr(from - r.begin, to - from), s);
    }
  }
  if (offsets)
    for (auto& part : parts) set_spans(part.content, b.span);
  return parts;
}

void BlockInlines::stream(std::size_t i, const FinalChildren& on_final, std::size_t batch,
                          Node& rest) {
  parse_inlines(source_, blocks_[i], context_, rest, sink_, on_final, batch);
}

void BlockInlines::stream_bracket(std::size_t i, const BracketChildren& on_bracket,
                                  std::size_t batch, Node& rest) {
  // Nothing leaves the block's top level before its one bracket closes, at its end.
  parse_inlines(source_, blocks_[i], context_, rest, sink_, [](std::vector<Node>&) {}, batch,
                on_bracket);
}

namespace {

// Offsets of the lines of `text` that start with an apparatus label ("Level: …"), when every
// line does; otherwise just {0}.
std::vector<std::size_t> labelled_line_starts(std::string_view text, std::size_t max_label) {
  std::vector<std::size_t> starts;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto colon = text.find(':', pos);
    const auto eol = std::min(text.find('\n', pos), text.size());
    const std::string head(text.substr(pos, std::min(colon, eol) - pos));
    if (colon == std::string::npos || colon > eol || head.empty() || head.size() > max_label ||
        !starts_with_capital(head))
      return {0};
    starts.push_back(pos);
    if (eol == text.size()) break;
    pos = eol + 1;
  }
  return starts.empty() ? std::vector<std::size_t>{0} : starts;
}

// Offsets in `text` where one of `labels` starts a field of its own on a line that has one
// already ("To: Wulumuqi [Urumqi] Level: Urgent" → the offset of "Level"): after a space,
// outside every bracket, followed by ':'.
std::vector<std::size_t> inline_field_starts(std::string_view text, const Profile& profile) {
  std::vector<std::size_t> starts;
  if (profile.inline_field_labels.empty()) return starts;
  std::size_t depth = 0;
  bool field_on_line = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, profile.open.size(), profile.open) == 0) {
      ++depth;
      continue;
    }
    if (text.compare(i, profile.close.size(), profile.close) == 0) {
      if (depth > 0) --depth;
      continue;
    }
    if (text[i] == '\n') field_on_line = false;
    if (text[i] == ':') field_on_line = true;
    if (depth > 0 || !field_on_line || i == 0 || text[i - 1] != ' ') continue;
    for (const auto& label : profile.inline_field_labels)
      if (text.compare(i, label.size(), label) == 0 && i + label.size() < text.size() &&
          text[i + label.size()] == ':') {
        starts.push_back(i);
        break;
      }
  }
  return starts;
}

void move_children(Node& from, Node& to) {
  if (to.children.empty()) {
    to.children = std::move(from.children);  // no copy of a long paragraph's children
  } else {
    for (auto& c : from.children) to.append(std::move(c));
  }
  from.children = std::vector<Node>();
}

// What is_standalone_content says of a block whose children arrive in batches.
struct StandaloneScan {
  bool spoilt = false;
  std::size_t elements = 0;
  bool kind_ok = false;
  void add(const std::vector<Node>& kids) {
    for (const auto& c : kids) {
      if (c.kind == Node::Kind::Text) {
        spoilt |= !only_space(c.text);
      } else if (++elements == 1) {
        kind_ok = c.is("gap") || c.is("note") || c.is("pb");
      }
    }
  }
  bool standalone() const { return !spoilt && elements == 1 && kind_ok; }
  // Known not to be a single bracket, whatever follows.
  bool ruled_out() const { return spoilt || elements > 1 || (elements == 1 && !kind_ok); }
};

// The placement of one document text: the div being filled, its open opener and closer, and
// the parts already final on their way through the dates to the writer. Blocks are only ever
// added to the last part, to an opener before the text has started and to the closer, so every
// part before those is final and is written at once.
class Placement {
 public:
  Placement(const PlacementInput& in, BlockList& body, BlockPlans& plan,
            BlockInlines& inlines, DiagnosticSink& sink, BodyWriter& writer)
      : in_(in), profile_(*in.profile), body_(body), plan_(plan), inlines_(inlines), sink_(sink),
        writer_(writer) {
    dctx_.document = in.header->date;
    dctx_.profile = &profile_;
    div_ = new_div(in.header->translation ? "translation" : "transcription");
  }

  Correspondence run() {
    // Placement reads block i and the ones after it, never one before (the parts keep their
    // own nodes): the chunks of blocks and plans before i are freed as it goes.
    for (std::size_t i = 0; i < body_.size(); ++i) {
      place(i);
      body_.release_before(i);
      plan_.release_before(i);
    }
    close_div();
    return std::move(corr_);
  }

 private:
  // --- the parts on their way out: dates, correspondence, writer -------------------------
  void check_part(const Node& part) {
    if (tree_reported_) return;
    if (auto problem = check_tree(part); !problem.empty()) {
      sink_.report({Severity::Error, "internal-tree", "document tree invariant broken: " + problem,
                    in_.name, 0, 0});
      tree_reported_ = true;
    }
  }
  // The sending date and place: the first dateline's of the first div's opener or closer.
  void note_dateline(const Node& part, const Node& c) {
    if (!first_div_ || !(part.is("opener") || part.is("closer"))) return;
    const bool first = corr_.sent_when.empty();
    read_dateline(c, profile_, corr_);
    // Issue 10: the header's date and the text's dateline disagree (FRUS misdates): the text's
    // dates are read from the dateline (DateContext::written), the header's is kept as given.
    if (first && !corr_.sent_when.empty() && in_.header->date &&
        dates_conflict(in_.header->date->iso(), corr_.sent_when))
      sink_.report(*in_.source, c.span.begin, Severity::Warning, "date-conflict",
                   "the dateline gives " + corr_.sent_when.substr(0, 10) + ", the header " +
                       in_.header->date->iso() + "; the text's dates are read from the dateline");
  }
  void finish_part(Node& part) {
    mark_dates(part, dctx_);
    for (const auto& c : part.children) note_dateline(part, c);
    collect_received(part, corr_.received_when);
    check_part(part);
    writer_.part(div_, part);
  }
  // An opener that is still open (the text has not started) or a postscript, when it is the
  // only part not written yet, is written child by child once it has many: only children are
  // ever added to it, and its children are all elements, so mark_dates on each in turn does
  // what it does on the whole part (ENCODING.md §5 order). An opener of 10⁵ lines held as a
  // tree cost ~60× its text.
  void finish_children(Node& part) {
    for (auto& c : part.children) {
      mark_dates(c, dctx_);
      note_dateline(part, c);
      collect_received(c, corr_.received_when);
      check_part(c);
      writer_.container_child(c);
    }
    part.children = std::vector<Node>();
  }
  void stream_container() {
    if (div_.children.size() != 1) return;
    Node& part = div_.children[0];
    const bool open_opener = opener_at_ == 0 && !text_started_;
    const bool postscript = part.is("postscript") && closer_at_ == SIZE_MAX;
    if (!(open_opener || postscript) || part.children.size() < kContainerBatch) return;
    for (const auto& c : part.children)
      if (c.kind != Node::Kind::Element) return;
    if (!streaming_) {
      writer_.open_container(div_, part);
      streaming_ = true;
    }
    finish_children(part);
  }
  // Finishes the first `keep` parts.
  void flush_first(std::size_t keep) {
    if (keep == 0) return;
    for (std::size_t k = 0; k < keep; ++k) {
      if (k == 0 && streaming_) {
        finish_children(div_.children[0]);
        writer_.close_container(div_.children[0]);
        streaming_ = false;
        continue;
      }
      finish_part(div_.children[k]);
    }
    div_.children.erase(div_.children.begin(), div_.children.begin() + static_cast<long>(keep));
    for (std::size_t* at : {&opener_at_, &closer_at_})
      if (*at != SIZE_MAX) *at = *at >= keep ? *at - keep : SIZE_MAX;
  }
  // Finishes every part that can no longer change (`all`: every part).
  void flush(bool all) {
    std::size_t keep = all ? div_.children.size() : div_.children.empty() ? 0 : div_.children.size() - 1;
    if (!all && opener_at_ != SIZE_MAX && !text_started_) keep = std::min(keep, opener_at_);
    if (!all && closer_at_ != SIZE_MAX) keep = std::min(keep, closer_at_);
    flush_first(keep);
  }
  void close_div() {
    flush(true);
    writer_.close_div(div_);
    first_div_ = false;
  }

  // --- blocks into parts ------------------------------------------------------------------
  // The text: one div, plus one div per enclosed document (FRUS despatches quote letters).
  Node new_div(const char* type) const {
    Node d = Node::make_element("div");
    d.set("type", type);
    const std::string code = profile_.language_code(in_.header->text_language);
    d.set("xml:lang", code.empty() ? "und" : code);
    return d;
  }
  Node* opener() { return opener_at_ == SIZE_MAX ? nullptr : &div_.children[opener_at_]; }
  Node* closer() { return closer_at_ == SIZE_MAX ? nullptr : &div_.children[closer_at_]; }
  // Where a standalone bracket goes: into the open postscript, closer or opener, else the div.
  Node& container() {
    if (!div_.children.empty() && div_.children.back().is("postscript")) return div_;
    if (closer()) return *closer();
    if (opener() && !text_started_) return *opener();
    return div_;
  }
  Node& element_in(Node& parent, const char* el, Node& content, Span span) {
    Node& e = parent.append(Node::make_element(el, span));
    move_children(content, e);
    return e;
  }
  Span part_span(const Block& b, const BlockInlines::Part& p) const {
    return b.exact ? Span{b.source_offset(p.begin), b.source_offset(p.end)} : b.span;
  }
  Node make_paragraph(std::size_t i, BlockRole role) {
    Node p = Node::make_element(role == BlockRole::Milestone ? "ab" : "p", body_[i].span);
    if (role == BlockRole::Milestone) p.set("type", "omission");
    // "Recent Developments:" before the text: TEI's head stands only at a div's top, and a
    // heading may follow the opener's fields; a paragraph marked as a heading may stand there.
    if (role == BlockRole::Heading) p.set("rend", "heading");
    std::string n;
    // A number of two or more digits before any paragraph number of the div is the
    // telegram's number ("977. Re: GUAT 973"), not the paragraph's: no @n.
    if (role == BlockRole::Paragraph && paragraph_number(trim(body_[i].text), n) &&
        (numbered_ || n.size() < 2)) {
      p.set("n", n);
      numbered_ = true;
    }
    return p;
  }

  void place(std::size_t i) {
    const BlockPlan& plan = plan_[i];
    if (plan.starts_enclosure) {
      close_div();
      div_ = new_div("enclosure");
      opener_at_ = closer_at_ = SIZE_MAX;
      text_started_ = false;
      numbered_ = false;
    }
    if (!place_long(i)) place_short(i, plan.role);
    // The block's text is placed; release it, and write out what can no longer change.
    body_[i].text = BlockText();
    flush(false);
    stream_container();
  }

  // A long paragraph (or a long postscript paragraph, when every later block of this div is
  // postscript too, so that nothing goes into the closer any more) not parsed ahead: parsed,
  // marked for dates and written in batches. False when the block is placed otherwise.
  bool place_long(std::size_t i) {
    const BlockRole role = plan_[i].role;
    if (body_[i].text.size() < kLongBlock || inlines_.held(i)) return false;
    if ((role == BlockRole::Paragraph || role == BlockRole::Milestone) && closer_at_ == SIZE_MAX) {
      if (inlines_.bracket_streams(i)) return stream_bracket(i, make_paragraph(i, role));
      return stream_paragraph(i, make_paragraph(i, role), false);
    }
    if (role != BlockRole::Postscript) return false;
    for (std::size_t k = i + 1; k < body_.size() && !plan_[k].starts_enclosure; ++k)
      if (plan_[k].role != BlockRole::Postscript) return false;
    if (div_.children.empty() || !div_.children.back().is("postscript"))
      div_.append(Node::make_element("postscript", body_[i].span));
    flush_first(div_.children.size() - 1);
    if (!streaming_) {
      writer_.open_container(div_, div_.children[0]);
      streaming_ = true;
    }
    finish_children(div_.children[0]);
    return stream_paragraph(i, Node::make_element("p", body_[i].span), true);
  }

  void place_short(std::size_t i, BlockRole role) {
    if (plan_[i].may_be_standalone || role == BlockRole::Paragraph || role == BlockRole::Milestone ||
        role == BlockRole::Heading ||
        role == BlockRole::Head || role == BlockRole::Postscript || role == BlockRole::Standalone) {
      auto parts = inlines_.take(i);
      Node& content = parts[0].content;
      if (plan_[i].may_be_standalone && is_standalone_content(content)) role = BlockRole::Standalone;
      place_whole(i, role, content);
      return;
    }
    if (role == BlockRole::Address)
      place_address(i);
    else if (role == BlockRole::Distribution)
      place_distribution(i);
    else if (role == BlockRole::ListItem)
      place_list_item(i);
    else if (role == BlockRole::Valediction || role == BlockRole::Signed || role == BlockRole::CloserDate)
      place_closer(i, role);
    else
      place_opener(i, role);
  }

  void place_whole(std::size_t i, BlockRole role, Node& content) {
    const Span span = body_[i].span;
    switch (role) {
      case BlockRole::Postscript:
        // Consecutive trailing blocks share one postscript (TEI: after the closer).
        if (div_.children.empty() || !div_.children.back().is("postscript"))
          div_.append(Node::make_element("postscript", span));
        // "P.S. …" / "D. L.": the postscript's own signature.
        element_in(div_.children.back(), plan_[i].signs_postscript ? "signed" : "p", content, span);
        break;
      case BlockRole::Head:
        element_in(div_, "head", content, span);
        break;
      case BlockRole::Standalone: {
        Node& parent = container();
        for (auto& c : content.children)
          if (c.kind == Node::Kind::Element) parent.append(std::move(c));
        break;
      }
      default: {  // Paragraph, Milestone
        text_started_ = true;
        Node& p = div_.append(make_paragraph(i, role));
        move_children(content, p);
        break;
      }
    }
  }

  void place_opener(std::size_t i, BlockRole role) {
    const Block& b = body_[i];
    const Span span = b.span;
    // The second line of a field ("Contents: … from" / "Xinjiang's Border Areas …"): the
    // field's seg goes on, after the line break that stood between them.
    if (plan_[i].continues_field && opener() && !text_started_ && !opener()->children.empty() &&
        opener()->children.back().is("seg")) {
      auto parts = inlines_.take(i);
      Node& seg = opener()->children.back();
      seg.append_text("\n", span);
      for (auto& c : parts[0].content.children) seg.append(std::move(c));
      return;
    }
    if (!opener() || text_started_) {
      div_.append(Node::make_element("opener", span));
      opener_at_ = div_.children.size() - 1;
    }
    // "To: …\nLevel: …\nContents: …" in one block: one seg per labelled line; and one per
    // field when several stand on one line ("To: Wulumuqi [Urumqi] Level: Urgent").
    std::vector<std::size_t> cuts;
    bool labelled_lines = false;
    if (role == BlockRole::Opener) {
      const auto starts = labelled_line_starts(b.text, profile_.label_max_length);
      labelled_lines = starts.size() > 1;
      if (labelled_lines) cuts.assign(starts.begin() + 1, starts.end());
      if (starts.size() > 1 || starts_with_capital(b.text)) {
        const auto fields = inline_field_starts(b.text, profile_);
        cuts.insert(cuts.end(), fields.begin(), fields.end());
        std::sort(cuts.begin(), cuts.end());
      }
    }
    auto parts = inlines_.take(i, cuts);
    if (parts.size() > 1) {
      for (auto& part : parts) {
        const std::string line(b.text.substr(part.begin, part.end - part.begin));
        Node seg = Node::make_element("seg", part_span(b, part));
        seg.set("type", slug(line.substr(0, line.find(':'))));
        move_children(part.content, seg);
        opener()->append(std::move(seg));
      }
      const std::string t = trim(b.text);
      if (!labelled_lines && t.find(':') != std::string::npos) note_addressee(t, t.find(':'));
      return;
    }
    Node& content = parts[0].content;
    if (role == BlockRole::Dateline) {
      element_in(*opener(), "dateline", content, span);
      return;
    }
    if (role == BlockRole::Reference) {  // "No. 308.]", "Telegram No. 977"
      element_in(*opener(), "seg", content, span).set("type", "reference");
      return;
    }
    if (role == BlockRole::Salute) {
      element_in(*opener(), "salute", content, span);
      return;
    }
    const std::string t = trim(b.text);
    const auto colon = t.find(':');
    std::string label;
    if (role == BlockRole::Subject) label = "subject";
    else if (colon != std::string::npos && colon <= profile_.label_max_length)
      label = slug(t.substr(0, colon));
    if (label.empty()) label = "apparatus";
    element_in(*opener(), "seg", content, span).set("type", label);
    if (role != BlockRole::Subject && colon != std::string::npos) note_addressee(t, colon);
  }

  // The addressee of a "To: …" line: its value up to a bracket, a double space or a stop word.
  void note_addressee(const std::string& t, std::size_t colon) {
    const std::string written = to_lower_utf8(trim(t.substr(0, colon)));
    bool addressee = false;
    for (const auto& w : profile_.addressee_labels) addressee |= written == w;
    if (!addressee || !corr_.addressee.empty()) return;
    std::string a = trim(t.substr(colon + 1));
    std::vector<std::string> stops = profile_.addressee_stops;
    stops.push_back(" " + profile_.open);
    stops.push_back("  ");
    for (const auto& stop : stops)
      if (auto p = a.find(stop); p != std::string::npos) a.resize(p);
    corr_.addressee = trim(a);
  }

  void place_closer(std::size_t i, BlockRole role) {
    const Span span = body_[i].span;
    const BlockPlan& plan = plan_[i];
    text_started_ = true;
    if (!closer()) {
      div_.append(Node::make_element("closer", span));
      closer_at_ = div_.children.size() - 1;
    }
    // "Sincerely yours,\nE. B. Washburne": formula and signature; "Ministry of Foreign Affairs
    // 30 April [1962]": signature and its dateline.
    const std::size_t split = role == BlockRole::Valediction ? plan.signature_split
                              : role == BlockRole::Signed    ? plan.split
                                                             : 0;
    auto parts = inlines_.take(i, split > 0 ? std::vector<std::size_t>{split} : std::vector<std::size_t>{});
    if (parts.size() == 2) {
      const bool formula = role == BlockRole::Valediction;
      Node first = Node::make_element(formula ? "salute" : "signed", span);
      Node second = Node::make_element(formula ? "signed" : "dateline", span);
      move_children(parts[0].content, first);
      move_children(parts[1].content, second);
      // An enclosed document's signer is never the sender of the document (issue 10).
      if (first_div_) corr_.sender = formula ? collapse_space(second.plain_text()) : first.plain_text();
      closer()->append(std::move(first));
      closer()->append(std::move(second));
      return;
    }
    Node& content = parts[0].content;
    if (role == BlockRole::Valediction) {
      element_in(*closer(), "salute", content, span);
    } else if (role == BlockRole::CloserDate) {
      element_in(*closer(), "dateline", content, span);
    } else {
      Node& s = element_in(*closer(), "signed", content, span);
      if (first_div_ && corr_.sender.empty()) corr_.sender = collapse_space(s.plain_text());
    }
  }

  // An address panel at the end of the letter: closer/address, one addrLine per line (the
  // blocks of a panel share one address; TEI allows no ab after a closer).
  void place_address(std::size_t i) {
    const Block& b = body_[i];
    Node* into = nullptr;
    if (!text_started_) {
      // The addressee's address above the salutation: in the opener.
      if (!opener()) {
        div_.append(Node::make_element("opener", b.span));
        opener_at_ = div_.children.size() - 1;
      }
      into = opener();
    } else {
      // In the closer, unless something stands after it (a postscript): then in a closer of
      // its own, so that the text keeps its order.
      if (!closer() || closer_at_ + 1 != div_.children.size()) {
        div_.append(Node::make_element("closer", b.span));
        closer_at_ = div_.children.size() - 1;
      }
      into = closer();
    }
    if (into->children.empty() || !into->children.back().is("address"))
      into->append(Node::make_element("address", b.span));
    Node& address = into->children.back();
    std::vector<std::size_t> lines;
    for (std::size_t p = b.text.find('\n'); p != std::string::npos; p = b.text.find('\n', p + 1))
      lines.push_back(p + 1);
    for (auto& part : inlines_.take(i, lines)) {
      if (part.begin >= part.end) continue;
      Node line = Node::make_element("addrLine", part_span(b, part));
      move_children(part.content, line);
      address.append(std::move(line));
    }
  }

  // An item of a numbered or lettered sequence ("1. …", "a. …"): list/label + item, as FRUS's
  // own TEI has them; an item of a nested sequence goes into a list at the end of the last item
  // of the list one level up. Items go into the div's last part while it is their list; the list
  // is final (and written) once another part follows.
  void place_list_item(std::size_t i) {
    const Block& b = body_[i];
    const BlockPlan& plan = plan_[i];
    auto parts = inlines_.take(i, {plan.split});
    text_started_ = true;
    if (parts.size() != 2) {  // the label could not be cut off: the block as a paragraph
      Node& p = div_.append(make_paragraph(i, BlockRole::Paragraph));
      for (auto& part : parts) move_children(part.content, p);
      return;
    }
    // The list this item goes into: depth 0 is the div's last part, depth d the list ending
    // the last item of the list at depth d - 1. Where the list above is not there (the
    // sequence above was broken), the item starts a list where the walk stopped.
    Node* parent = &div_;
    bool fresh = plan.starts_list;
    for (std::uint8_t d = 0;; ++d) {
      Node* list = !parent->children.empty() && parent->children.back().is("list")
                       ? &parent->children.back()
                       : nullptr;
      if (d == plan.list_depth || !list || list->children.empty()) {
        if (d != plan.list_depth) fresh = true;
        if (fresh || !list) list = &parent->append(Node::make_element("list", b.span));
        parent = list;
        break;
      }
      parent = &list->children.back();  // the item the deeper list stands in
    }
    Node& list = *parent;
    // A numbered sequence counts as the div's paragraph numbers: "10." after it keeps its @n.
    numbered_ = true;
    Node label = Node::make_element("label", part_span(b, parts[0]));
    move_children(parts[0].content, label);
    Node item = Node::make_element("item", part_span(b, parts[1]));
    move_children(parts[1].content, item);
    list.append(std::move(label));
    list.append(std::move(item));
  }

  // A distribution or reading list at the end of the text ("Copies:", "Seen by Comrade …"):
  // closer/note[@type='distribution']/list[@type='distribution'], the label with its colon as
  // the list's head and one item per line. A block opening with a label starts a list of its
  // own in the same note; a block without one continues the last list. In the closer where it
  // is the last part, else in a closer of its own (TEI allows a list in a closer only inside a
  // note; a note of its own keeps the closer's salute, signed and dateline together).
  void place_distribution(std::size_t i) {
    const Block& b = body_[i];
    text_started_ = true;
    if (!closer() || closer_at_ + 1 != div_.children.size()) {
      div_.append(Node::make_element("closer", b.span));
      closer_at_ = div_.children.size() - 1;
    }
    Node& c = *closer();
    const std::size_t head_end = distribution_head_end(b.text, profile_);
    const bool labelled = opens_distribution(b.text, profile_);
    if (c.children.empty() || !c.children.back().is("note") || !c.children.back().get("type") ||
        *c.children.back().get("type") != "distribution") {
      c.append(Node::make_element("note", b.span)).set("type", "distribution");
    }
    Node& note = c.children.back();
    if (labelled || note.children.empty())
      note.append(Node::make_element("list", b.span)).set("type", "distribution");
    Node& list = note.children.back();
    bool first = true;
    for (auto& part : inlines_.take(i, distribution_parts(b.text, profile_))) {
      if (part.begin >= part.end) continue;
      const bool head = first && head_end > 0 && part.end <= head_end;
      first = false;
      Node e = Node::make_element(head ? "head" : "item", part_span(b, part));
      move_children(part.content, e);
      list.append(std::move(e));
    }
  }

  // --- long paragraphs ----------------------------------------------------------------------
  // Block i parsed in batches of children, the dates of its own text marked as they come
  // (OwnDatesMarker: runs of children, marked as mark_own_dates on all of them marks them),
  // each run handed to `marked` as an element named `name`. While the block may still be a
  // single bracket (`scan`), its children wait: they are few. A block never ruled out one is
  // handed whole and unmarked to `whole`.
  void in_batches(std::size_t i, const std::string& name, DateContext& own, StandaloneScan* scan,
                  const std::function<void()>& decided, const std::function<void(Node&)>& marked,
                  const std::function<void(Node&)>& whole) {
    const Node element = Node::make_element(name);
    OwnDatesMarker marker(element, own, [&](std::vector<Node>& run) {
      Node batch = Node::make_element(name);
      batch.children = std::move(run);
      marked(batch);
    });
    std::vector<Node> waiting;
    auto take = [&](std::vector<Node>& kids) {
      if (!scan) return marker.add(kids);
      scan->add(kids);
      for (auto& c : kids) waiting.push_back(std::move(c));
      kids.clear();
      if (!scan->ruled_out()) return;
      scan = nullptr;
      decided();
      marker.add(waiting);
      waiting = std::vector<Node>();
    };
    Node rest = Node::make_element("#block");
    inlines_.stream(i, take, kParseBatch, rest);
    if (scan) {
      scan->add(rest.children);
      if (!scan->ruled_out()) {
        // Moved whole when nothing waits (a block that is one bracket: all its children come
        // here): moved one by one, the children were held twice.
        Node held = Node::make_element(name);
        if (waiting.empty())
          held.children = std::move(rest.children);
        else {
          held.children = std::move(waiting);
          for (auto& c : rest.children) held.children.push_back(std::move(c));
        }
        rest.children = std::vector<Node>();
        whole(held);
        return;
      }
      decided();
      marker.add(waiting);
    }
    marker.add(rest.children);
    rest.children = std::vector<Node>();
    marker.finish();
  }

  // The children of a part written as they come (stream_paragraph, stream_bracket), in runs
  // whose own dates are marked. Until a text child comes they wait in `early` (a part of
  // elements only is written indented at its end, as libxml2 would); at the first, `open_part`
  // opens the part in the writer. An element child that may hold a date of its own takes its
  // context from the whole part's own text (mark_dates: own text first, then the elements'), so
  // it waits in a hole of the writer until fill_holes(), once all the own text is marked.
  class StreamedPart {
   public:
    StreamedPart(Placement& placement, const std::string& name, std::function<void()> open_part)
        : placement_(placement),
          early_(Node::make_element(name)),
          open_part_(std::move(open_part)) {}
    /// A run of children, its own dates marked.
    void add(Node& batch) {
      collect_received(batch, placement_.corr_.received_when);
      placement_.check_part(batch);
      if (!open) {
        bool text = false;
        for (const auto& c : batch.children) text |= c.kind == Node::Kind::Text;
        if (!text) {
          for (auto& c : batch.children) early_.children.push_back(std::move(c));
          return;
        }
        open_part_();
        open = true;
        for (auto& c : early_.children) write(c);
        early_.children = std::vector<Node>();
      }
      for (auto& c : batch.children) write(c);
    }
    /// Marks the elements held in holes (in the context placement_.dctx_) and writes them.
    void fill_holes() {
      for (auto& [hole, c] : deferred_) {
        mark_dates(c, placement_.dctx_);
        collect_received(c, placement_.corr_.received_when);
        placement_.check_part(c);
        placement_.writer_.fill_hole(hole, c);
      }
      deferred_.clear();
    }
    /// The children still waiting when no text child came (the part is not open).
    Node take_early() { return std::move(early_); }
    bool open = false;  ///< the part is open in the writer

   private:
    void write(Node& c) {
      if (c.kind == Node::Kind::Element && may_hold_dates(c, &placement_.profile_)) {
        deferred_.emplace_back(placement_.writer_.hole(), std::move(c));
      } else {
        placement_.writer_.child(c);
      }
    }
    Placement& placement_;
    Node early_;
    std::function<void()> open_part_;
    std::vector<std::pair<std::size_t, Node>> deferred_;
  };

  // A long paragraph, parsed once, marked for dates and written in batches. Every part before
  // it is final (no closer yet: later blocks go after it), so it is written at once. The
  // paragraph's own text is marked as it is parsed; an element that may hold a date takes its
  // context from the whole paragraph's own text (mark_dates: own text first, then the
  // elements'), so its place is kept in the writer and it is written at the paragraph's end.
  // In a postscript (`in_postscript`: the postscript, div.children[0], is open in the writer)
  // the paragraph is one level deeper and the parts before are written already. A block that
  // may be a single bracket is one if its parse says so: then it is placed as such.
  bool stream_paragraph(std::size_t i, Node p, bool in_postscript) {
    StandaloneScan scan;
    const bool unresolved = plan_[i].may_be_standalone;
    auto start = [&] {
      if (in_postscript) return;
      flush(true);
      text_started_ = true;
    };
    if (!unresolved) start();
    DateContext own = dctx_;
    StreamedPart part(*this, p.name, [&] { writer_.open_part(div_, p, in_postscript ? 10 : 8); });
    bool standalone = false;
    const auto marked = [&](Node& batch) { part.add(batch); };
    in_batches(i, p.name, own, unresolved ? &scan : nullptr, start, marked, [&](Node& batch) {
      if (scan.standalone()) {
        standalone = true;
        place_whole(i, BlockRole::Standalone, batch);
        return;
      }
      start();  // e.g. only whitespace: a paragraph
      mark_own_dates(batch, own);
      part.add(batch);
    });
    if (standalone) return true;
    dctx_ = own;
    part.fill_holes();
    if (part.open) {
      writer_.close_part(p);
    } else {
      Node early = part.take_early();
      mark_element_dates(early, dctx_);
      collect_received(early, corr_.received_when);
      p.children = std::move(early.children);
      if (in_postscript) writer_.container_child(p);
      else writer_.part(div_, p);
    }
    return true;
  }

  // A long paragraph that is one bracket sealed as the default element (BlockInlines::
  // bracket_streams): the paragraph holds that element only, so it is written as
  // stream_paragraph writes a paragraph, one level deeper: the element's own text is marked
  // for dates batch by batch, its elements that may hold a date wait in holes of the writer and
  // are marked once its own text is, and the rest is written at once (mark_dates on the
  // paragraph: no own text, then the element: own text first, then its elements). Until a text
  // child comes, the children wait (an element of elements only is written one per line).
  bool stream_bracket(std::size_t i, Node p) {
    flush(true);
    text_started_ = true;
    DateContext own = dctx_;
    Node element;
    bool sealed = false;
    StreamedPart part(*this, "#batch", [&] { writer_.open_wrapped(div_, p, element); });
    std::optional<OwnDatesMarker> marker;
    Node rest = Node::make_element("#block");
    inlines_.stream_bracket(
        i,
        [&](const Node& e, std::vector<Node>& kids) {
          if (!sealed) {
            element = e;
            marker.emplace(element, own, [&](std::vector<Node>& run) {
              Node batch = Node::make_element(element.name);
              batch.children = std::move(run);
              part.add(batch);
            });
          }
          sealed = true;
          marker->add(kids);
          return true;
        },
        kParseBatch, rest);
    if (!sealed) {  // parsed as the first parse was, so not reached: placed as parsed
      move_children(rest, p);
      div_.append(std::move(p));
      return true;
    }
    // The bracket's element with its last children (the block is that bracket only).
    for (auto& c : rest.children) {
      if (c.kind != Node::Kind::Element) continue;
      element.span = c.span;
      marker->add(c.children);
      break;
    }
    marker->finish();
    dctx_ = own;
    part.fill_holes();
    if (part.open) {
      writer_.close_wrapped(p, element);
    } else {
      element.children = part.take_early().children;
      mark_element_dates(element, dctx_);
      collect_received(element, corr_.received_when);
      p.append(std::move(element));
      writer_.part(div_, p);
    }
    return true;
  }

  const PlacementInput& in_;
  const Profile& profile_;
  BlockList& body_;
  BlockPlans& plan_;
  BlockInlines& inlines_;
  DiagnosticSink& sink_;
  BodyWriter& writer_;
  Correspondence corr_;
  DateContext dctx_;
  Node div_;
  bool first_div_ = true;
  // Indices into div_.children (pointers would dangle when the vector grows).
  std::size_t opener_at_ = SIZE_MAX, closer_at_ = SIZE_MAX;
  bool text_started_ = false;
  bool numbered_ = false;   // a paragraph of div_ has a number (@n)
  bool streaming_ = false;  // div_.children[0] is open in the writer
  bool tree_reported_ = false;
};

}  // namespace

Correspondence place_blocks(const PlacementInput& input, BlockList& body,
                            BlockPlans& plan, BlockInlines& inlines,
                            DiagnosticSink& sink, BodyWriter& writer) {
  return Placement(input, body, plan, inlines, sink, writer).run();
}

}  // namespace teikit
