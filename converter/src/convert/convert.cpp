#include "teikit/convert/convert.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>

#include <sys/resource.h>

#include "teikit/convert/brackets.hpp"
#include "teikit/convert/correspondents.hpp"
#include "teikit/convert/dates.hpp"
#include "teikit/base/file_names.hpp"
#include "teikit/convert/header.hpp"
#include "teikit/convert/structure.hpp"
#include "teikit/base/text_util.hpp"

namespace teikit {

namespace {

bool only_space(const std::string& s) { return s.find_first_not_of(" \t\n") == std::string::npos; }

bool starts_with_capital(const std::string& s) {
  bool upper = false;
  return utf8_letter(s, 0, &upper) > 0 && upper;
}

// The single element of a block that holds one bracket and nothing else (a gap, note or page
// break standing on its own line), or nullptr.
const Node* standalone_element(const Node& content) {
  const Node* found = nullptr;
  for (const auto& c : content.children) {
    if (c.kind == Node::Kind::Text) {
      if (!only_space(c.text)) return nullptr;
      continue;
    }
    if (found) return nullptr;
    found = &c;
  }
  if (found && (found->is("gap") || found->is("note") || found->is("pb"))) return found;
  return nullptr;
}

Block sub_block(const Block& b, std::size_t from, std::size_t to) {
  Block s = b;
  // Trim whitespace at both ends of the part.
  while (from < to && (b.text[from] == ' ' || b.text[from] == '\n')) ++from;
  while (to > from && (b.text[to - 1] == ' ' || b.text[to - 1] == '\n')) --to;
  s.text = b.text.substr(from, to - from);
  if (b.exact) s.span = {b.source_offset(from), b.source_offset(to)};
  return s;
}

// Offsets of the lines of `text` that start with an apparatus label ("Level: …"), when every
// line does; otherwise just {0}.
std::vector<std::size_t> labelled_line_starts(const std::string& text, std::size_t max_label) {
  std::vector<std::size_t> starts;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto colon = text.find(':', pos);
    const auto eol = std::min(text.find('\n', pos), text.size());
    const std::string head = text.substr(pos, std::min(colon, eol) - pos);
    if (colon == std::string::npos || colon > eol || head.empty() || head.size() > max_label ||
        !starts_with_capital(head))
      return {0};
    starts.push_back(pos);
    if (eol == text.size()) break;
    pos = eol + 1;
  }
  return starts.empty() ? std::vector<std::size_t>{0} : starts;
}

void move_children(Node& from, Node& to) {
  if (to.children.empty()) {
    to.children = std::move(from.children);  // no copy of a long paragraph's children
  } else {
    for (auto& c : from.children) to.append(std::move(c));
  }
  from.children = std::vector<Node>();
}

// correspDesc (ENCODING.md §2) from what the text says: the signer, the place and date of the
// dateline, the addressee of a "To:" line and the date of a received note.
struct Correspondence {
  std::string sender, sent_place, addressee;
  std::string sent_when, received_when;
};

void find_first_date(const Node& n, std::string& when) {
  if (!when.empty()) return;
  if (n.is("date")) {
    if (auto w = n.get("when")) when = *w;
    return;
  }
  for (const auto& c : n.children) find_first_date(c, when);
}

void collect_received(const Node& n, std::string& when) {
  if (n.is("note") && n.get("type") && *n.get("type") == "received") find_first_date(n, when);
  for (const auto& c : n.children) collect_received(c, when);
}

// Serialises the body part by part (a part: a child of a div, such as an opener, a p or a
// closer), so that the document tree only ever holds the parts that can still change. The
// bytes are those libxml2 writes for the whole tree (write_xml), in pieces of about 1 MiB that
// the writer copies into the document and releases one by one.
class BodyWriter {
 public:
  explicit BodyWriter(std::vector<Span>* spans) : spans_(spans) {}

  void part(const Node& div, const Node& part) {
    open_div(div);
    out_.append(8, ' ');
    write_xml(part, 4, true, out_, spans_);
    out_ += '\n';
    if (out_.size() >= kPiece) next_piece();
  }
  // A part written in pieces (a long paragraph): its start tag, then its children one by one,
  // then its end tag. Only for a part with a text child: mixed content is written as it is,
  // without indentation, so the pieces make the bytes write_xml makes of the whole part.
  void open_part(const Node& div, const Node& part, unsigned indent = 8) {
    open_div(div);
    out_.append(indent, ' ');
    write_start_tag(part, out_);
    if (spans_) spans_->push_back(part.span);
  }
  void child(const Node& c) {
    write_xml(c, 5, false, out_, spans_);
    if (out_.size() >= kPiece) next_piece();
  }
  void close_part(const Node& part) {
    out_ += "</";
    out_ += part.name;
    out_ += ">\n";
    if (out_.size() >= kPiece) next_piece();
  }
  // A part written in pieces whose children are all elements (an opener of many lines, a
  // postscript): its start tag, then its children one by one, indented, then its end tag — the
  // bytes write_xml makes of the whole part.
  void open_container(const Node& div, const Node& part) {
    open_div(div);
    out_.append(8, ' ');
    write_start_tag(part, out_);
    out_ += '\n';
    if (spans_) spans_->push_back(part.span);
  }
  void container_child(const Node& c) {
    out_.append(10, ' ');
    write_xml(c, 5, true, out_, spans_);
    out_ += '\n';
    if (out_.size() >= kPiece) next_piece();
  }
  void close_container(const Node& part) {
    out_.append(8, ' ');
    close_part(part);
  }
  void close_div(const Node& div) {
    if (div_open_) {
      out_ += "      </div>\n";
    } else {
      out_.append(6, ' ');
      write_xml(div, 3, true, out_, spans_);  // a div without parts: <div …/>
      out_ += '\n';
    }
    div_open_ = false;
  }
  std::vector<std::string>& pieces() {
    next_piece();
    return pieces_;
  }

 private:
  static constexpr std::size_t kPiece = 1 << 20;
  void open_div(const Node& div) {
    if (div_open_) return;
    out_.append(6, ' ');
    write_start_tag(div, out_);
    out_ += '\n';
    if (spans_) spans_->push_back(div.span);
    div_open_ = true;
  }
  void next_piece() {
    if (out_.empty()) return;
    out_.shrink_to_fit();
    pieces_.push_back(std::move(out_));
    out_.clear();
  }
  std::vector<Span>* spans_;
  std::vector<std::string> pieces_;
  std::string out_;
  bool div_open_ = false;
};

// What standalone_element says of a block whose children arrive in batches.
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
};

// A block at least this long is parsed in batches of children (brackets.hpp), and a paragraph
// that long is marked for dates and written in batches: bracket-dense text makes an element
// every few bytes, and a whole paragraph's tree cost ~25× its text.
constexpr std::size_t kLongBlock = std::size_t{1} << 16;
// Children per batch of the inline parser, and at least per batch of date marking.
constexpr std::size_t kParseBatch = 1024, kDateBatch = 1024;
// Children of an opener or postscript from which it is written child by child.
constexpr std::size_t kContainerBatch = 256;

}  // namespace

namespace {

ConvertResult convert_text(const std::string& name, const std::string& bytes, std::string* release,
                           const ConvertOptions& options) {
  ConvertResult result;
  DiagnosticSink& sink = result.diagnostics;
  const auto profile_ptr = options.profile ? options.profile : default_profile();
  const Profile& profile = *profile_ptr;

  result.source = std::make_shared<const SourceText>(name, bytes, sink, options.encoding);
  if (release) std::string().swap(*release);  // decoded: the raw bytes are not needed any more
  const SourceText& source = *result.source;
  result.flavour = options.flavour == Flavour::Auto ? detect_flavour(source) : options.flavour;
  std::vector<Block> body = segment_blocks(source, result.flavour, sink);

  std::size_t body_start = 0;
  Header header = parse_header(source, body, body_start, sink, profile);
  // The header keeps copies of its blocks; what remains is the document text.
  body.erase(body.begin(), body.begin() + static_cast<long>(body_start));
  body.shrink_to_fit();  // a header of 10⁵ fields left most of the vector unused
  if (body.empty())
    sink.report(source, static_cast<std::uint32_t>(source.text().size()), Severity::Warning,
                "empty-text", "the transcription has a header but no document text");

  TeiInput tei;
  tei.header = &header;
  tei.profile = &profile;
  tei.publication = options.publication;
  // @resp points at the translator; without one at the transcriber, then the editor (the
  // party responsible for the readings) — never at someone the header does not name.
  tei.resp_id = header.resp_id;

  InlineContext ictx;
  ictx.profile = &profile;
  if (!tei.resp_id.empty()) ictx.resp = "#" + tei.resp_id;
  ictx.rules_used = &tei.rules_used;

  // Every block is parsed here once for its diagnostics, the rules it uses and whether it is a
  // standalone bracket (what classify_blocks needs); the tree is dropped at once and made again
  // when the block is placed (quietly: its diagnostics are reported already). Holding every
  // block's tree until it was placed cost ~100× the input on bracket-dense text.
  std::vector<bool> standalone(body.size());
  // A long block whose elements (some child) may hold dates (see stream_paragraph).
  std::vector<bool> nested_dates(body.size());
  // Which of the sink's diagnostics each block's parse reported ([first, last)), so that a part
  // of a block parsed again on its own reports only what the whole block's parse did not.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> reported(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    const auto first_reported = static_cast<std::uint32_t>(sink.diagnostics().size());
    struct Mark {  // records the block's range however the loop body is left
      std::pair<std::uint32_t, std::uint32_t>& range;
      std::uint32_t first;
      const DiagnosticSink& sink;
      ~Mark() { range = {first, static_cast<std::uint32_t>(sink.diagnostics().size())}; }
    } mark{reported[i], first_reported, sink};
    Node content = Node::make_element("#block");
    if (body[i].text.size() >= kLongBlock) {
      StandaloneScan scan;
      bool nested = false;
      auto look = [&](std::vector<Node>& kids) {
        scan.add(kids);
        for (const auto& c : kids)
          if (!nested && may_hold_dates(c, &profile)) nested = true;
      };
      parse_inlines(source, body[i], ictx, content, sink, look, kParseBatch);
      look(content.children);
      standalone[i] = scan.standalone();
      nested_dates[i] = nested;
      continue;
    }
    parse_inlines(source, body[i], ictx, content, sink);
    standalone[i] = standalone_element(content) != nullptr;
  }
  DiagnosticSink quiet;  // the second parse's diagnostics: reported by the first
  // A part of block `block` parsed on its own (a labelled line, a signature): its diagnostics
  // are those of the whole block's parse, reported already, unless the part reads differently
  // (a bracket opened on one line and closed on the next): only those are reported now. A
  // "To: … [\nLevel: …" block gave every warning twice.
  auto parse_part = [&](std::size_t block, const Block& part, Node& into) {
    DiagnosticSink local;
    parse_inlines(source, part, ictx, into, local);
    const auto& all = sink.diagnostics();
    for (const Diagnostic& d : local.diagnostics()) {
      bool known = false;
      for (std::size_t k = reported[block].first; k < reported[block].second && !known; ++k)
        known = all[k].code == d.code && all[k].line == d.line && all[k].column == d.column;
      if (!known) sink.report(d);
    }
  };

  const auto plan = classify_blocks(body, profile, [&](std::size_t i) { return standalone[i]; });
  standalone = std::vector<bool>();

  if (tei.publication.edition_id.empty()) {
    std::string base = name;
    if (auto slash = base.find_last_of('/'); slash != std::string::npos) base = base.substr(slash + 1);
    if (auto dot = base.rfind('.'); dot != std::string::npos && dot > 0) base.resize(dot);
    // A file name is any bytes; the idno must be text an XML document can carry.
    tei.publication.edition_id =
        base == "-" || base == "<stdin>" || base.empty() ? "stdin" : name_as_text(base);
  }

  // The text: one div, plus one div per enclosed document (FRUS despatches quote letters).
  auto new_div = [&](const char* type) {
    Node d = Node::make_element("div");
    d.set("type", type);
    const std::string code = profile.language_code(header.text_language);
    d.set("xml:lang", code.empty() ? "und" : code);
    return d;
  };
  Node div = new_div(header.translation ? "translation" : "transcription");
  bool first_div = true;
  // Indices into div.children (pointers would dangle when the vector grows).
  std::size_t opener_at = SIZE_MAX, closer_at = SIZE_MAX;
  auto opener_node = [&]() -> Node* { return opener_at == SIZE_MAX ? nullptr : &div.children[opener_at]; };
  auto closer_node = [&]() -> Node* { return closer_at == SIZE_MAX ? nullptr : &div.children[closer_at]; };
  bool text_started = false;
  Correspondence corr;

  // What happens to a part once it can no longer change, in reading order: its dates
  // (ENCODING.md §5), what it tells about the correspondence, and its serialisation.
  DateContext dctx;
  dctx.document = header.date;
  dctx.profile = &profile;
  BodyWriter writer(options.element_spans ? &result.element_spans : nullptr);
  bool tree_reported = false;
  auto check_part = [&](const Node& part) {
    if (!tree_reported)
      if (auto problem = check_tree(part); !problem.empty()) {
        sink.report({Severity::Error, "internal-tree", "document tree invariant broken: " + problem,
                     name, 0, 0});
        tree_reported = true;
      }
  };
  // The sending date and place: the first dateline's date and the text before it
  // ("Legation of the United States, Paris, <date>" → the place), else the document date.
  auto read_dateline = [&](const Node& part, const Node& c) {
    if (!first_div || !(part.is("opener") || part.is("closer"))) return;
    if (!c.is("dateline") || !corr.sent_when.empty()) return;
    find_first_date(c, corr.sent_when);
    if (!c.children.empty() && c.children[0].kind == Node::Kind::Text && c.children.size() > 1 &&
        c.children[1].is("date")) {
      std::string place = trim(c.children[0].text);
      while (!place.empty() && (place.back() == ',' || place.back() == ' ')) place.pop_back();
      // "Moskau, den 29. März": the profile's date article belongs to the date, not the place.
      for (const auto& article : profile.date_articles) {
        if (!ends_with(to_lower_utf8(place), " " + article)) continue;
        place.resize(place.size() - article.size());
        while (!place.empty() && (place.back() == ',' || place.back() == ' ')) place.pop_back();
        break;
      }
      corr.sent_place = place;
    }
  };
  auto finish_part = [&](Node& part) {
    mark_dates(part, dctx);
    for (const auto& c : part.children) read_dateline(part, c);
    collect_received(part, corr.received_when);
    check_part(part);
    writer.part(div, part);
  };
  // An opener that is still open (the text has not started) or a postscript, when it is the
  // only part not written yet, is written child by child once it has many: only children are
  // ever added to it, and its children are all elements, so mark_dates on each in turn does
  // what it does on the whole part (ENCODING.md §5 order). An opener of 10⁵ lines held as a
  // tree cost ~60× its text.
  bool streaming = false;  // div.children[0] is open in the writer
  auto finish_children = [&](Node& part) {
    for (auto& c : part.children) {
      mark_dates(c, dctx);
      read_dateline(part, c);
      collect_received(c, corr.received_when);
      check_part(c);
      writer.container_child(c);
    }
    part.children = std::vector<Node>();
  };
  auto stream_container = [&]() {
    if (div.children.size() != 1) return;
    Node& part = div.children[0];
    const bool open_opener = opener_at == 0 && !text_started;
    const bool postscript = part.is("postscript") && closer_at == SIZE_MAX;
    if (!(open_opener || postscript) || part.children.size() < kContainerBatch) return;
    for (const auto& c : part.children)
      if (c.kind != Node::Kind::Element) return;
    if (!streaming) {
      writer.open_container(div, part);
      streaming = true;
    }
    finish_children(part);
  };

  // Parts before `keep` are final: blocks are only ever added to the last part, to an opener
  // before the text has started and to the closer.
  // Finishes the first `keep` parts.
  auto flush_first = [&](std::size_t keep) {
    if (keep == 0) return;
    for (std::size_t k = 0; k < keep; ++k) {
      if (k == 0 && streaming) {
        finish_children(div.children[0]);
        writer.close_container(div.children[0]);
        streaming = false;
        continue;
      }
      finish_part(div.children[k]);
    }
    div.children.erase(div.children.begin(), div.children.begin() + static_cast<long>(keep));
    auto shift = [&](std::size_t& at) {
      if (at != SIZE_MAX) at = at >= keep ? at - keep : SIZE_MAX;
    };
    shift(opener_at);
    shift(closer_at);
  };
  auto flush = [&](bool all) {
    std::size_t keep = all ? div.children.size() : div.children.empty() ? 0 : div.children.size() - 1;
    if (!all && opener_at != SIZE_MAX && !text_started) keep = std::min(keep, opener_at);
    if (!all && closer_at != SIZE_MAX) keep = std::min(keep, closer_at);
    flush_first(keep);
  };
  auto close_div = [&]() {
    flush(true);
    writer.close_div(div);
    first_div = false;
  };

  // A long paragraph, parsed, marked for dates and written in batches of children. Every part
  // before it is final (no closer yet: later blocks go after it), so it is written at once.
  // mark_dates on the whole paragraph reads its own text first, then its elements': a batch
  // ends at a cut DateCuts finds (mark_own_dates on the batches in turn does what it does on
  // the whole), and the elements' dates start from the context the paragraph's own text
  // leaves. When an element of the paragraph may hold a date (`nested`), that context is
  // found first, by one more pass over the paragraph's own text (parsed again, its trees
  // dropped batch by batch): holding the paragraph until its end cost ~50× its text.
  auto in_batches = [&](const Block& block, const std::function<void(Node&)>& each) {
    Node held = Node::make_element("#batch");
    DateCuts cuts;
    auto take = [&](std::vector<Node>& kids) {
      auto& h = held.children;
      for (auto& c : kids) {
        cuts.add(c);
        h.push_back(std::move(c));
      }
      if (const std::size_t cut = cuts.cut(); cut >= kDateBatch) {
        Node batch = Node::make_element("#batch");
        batch.children.assign(std::make_move_iterator(h.begin()),
                              std::make_move_iterator(h.begin() + static_cast<long>(cut)));
        h.erase(h.begin(), h.begin() + static_cast<long>(cut));
        cuts.drop(cut);
        each(batch);
      }
    };
    Node rest = Node::make_element("#block");
    parse_inlines(source, block, ictx, rest, quiet, take, kParseBatch);
    for (auto& c : rest.children) held.children.push_back(std::move(c));
    each(held);
  };
  // In a postscript (`in_postscript`: the postscript, div.children[0], is open in the writer),
  // the paragraph is one level deeper and the parts before are written already.
  auto stream_paragraph = [&](const Block& block, Node p, bool nested, bool in_postscript) {
    if (!in_postscript) {
      flush(true);
      text_started = true;
    }
    DateContext own = dctx;  // the paragraph's own text; dctx: its elements'
    if (nested) {
      DateContext after_own = dctx;
      in_batches(block, [&](Node& batch) {
        batch.name = p.name;
        mark_own_dates(batch, after_own);
      });
      dctx = after_own;
    }
    Node early = Node::make_element(p.name);
    bool open = false;
    // A batch is written once the paragraph is known to hold text (mixed content); before,
    // its children wait in `early` (a paragraph of elements only is indented).
    in_batches(block, [&](Node& batch) {
      batch.name = p.name;
      mark_own_dates(batch, own);
      mark_element_dates(batch, dctx);
      collect_received(batch, corr.received_when);
      check_part(batch);
      if (!open) {
        bool text = false;
        for (const auto& c : batch.children) text |= c.kind == Node::Kind::Text;
        if (!text) {
          for (auto& c : batch.children) early.children.push_back(std::move(c));
          return;
        }
        writer.open_part(div, p, in_postscript ? 10 : 8);
        open = true;
        for (const auto& c : early.children) writer.child(c);
        early.children = std::vector<Node>();
      }
      for (const auto& c : batch.children) writer.child(c);
    });
    if (!nested) dctx = own;
    if (open) {
      writer.close_part(p);
    } else {
      p.children = std::move(early.children);
      if (in_postscript) writer.container_child(p);
      else writer.part(div, p);
    }
  };

  for (std::size_t i = 0; i < body.size(); ++i) {
    const Span span = body[i].span;
    const BlockRole role = plan[i].role;
    if (plan[i].starts_enclosure) {
      close_div();
      div = new_div("enclosure");
      opener_at = closer_at = SIZE_MAX;
      text_started = false;
    }
    if ((role == BlockRole::Paragraph || role == BlockRole::Milestone) &&
        body[i].text.size() >= kLongBlock && closer_at == SIZE_MAX) {
      Node p = Node::make_element(role == BlockRole::Milestone ? "ab" : "p", span);
      if (role == BlockRole::Milestone) p.set("type", "omission");
      std::string n;
      if (role == BlockRole::Paragraph && paragraph_number(trim(body[i].text), n)) p.set("n", n);
      stream_paragraph(body[i], std::move(p), nested_dates[i], false);
      std::string().swap(body[i].text);
      continue;
    }
    // A long postscript paragraph, when every later block of this div is postscript too (so
    // that nothing goes into the closer any more): the parts before the postscript are final,
    // the postscript is open in the writer, and the paragraph is streamed into it.
    if (role == BlockRole::Postscript && body[i].text.size() >= kLongBlock) {
      bool only_postscript = true;
      for (std::size_t k = i + 1; k < body.size() && !plan[k].starts_enclosure && only_postscript; ++k)
        only_postscript = plan[k].role == BlockRole::Postscript;
      if (only_postscript) {
        if (div.children.empty() || !div.children.back().is("postscript"))
          div.append(Node::make_element("postscript", span));
        flush_first(div.children.size() - 1);
        if (!streaming) {
          writer.open_container(div, div.children[0]);
          streaming = true;
        }
        finish_children(div.children[0]);
        stream_paragraph(body[i], Node::make_element("p", span), nested_dates[i], true);
        std::string().swap(body[i].text);
        continue;
      }
    }
    Node content = Node::make_element("#block");
    parse_inlines(source, body[i], ictx, content, quiet);
    Node* opener = opener_node();
    Node* closer = closer_node();
    auto container = [&]() -> Node& {
      if (!div.children.empty() && div.children.back().is("postscript")) return div;
      if (closer) return *closer;
      if (opener && !text_started) return *opener;
      return div;
    };
    auto element_in = [&](Node& parent, const char* el) -> Node& {
      Node& e = parent.append(Node::make_element(el, span));
      move_children(content, e);
      return e;
    };
    switch (role) {
      case BlockRole::Opener:
      case BlockRole::Subject:
      case BlockRole::Dateline:
      case BlockRole::Salute: {
        if (!opener || text_started) {
          div.append(Node::make_element("opener", span));
          opener_at = div.children.size() - 1;
          opener = opener_node();
        }
        if (role == BlockRole::Dateline) {
          element_in(*opener, "dateline");
        } else if (role == BlockRole::Salute) {
          element_in(*opener, "salute");
        } else {
          std::string label;
          const std::string t = trim(body[i].text);
          const auto colon = t.find(':');
          if (role == BlockRole::Subject) label = "subject";
          else if (colon != std::string::npos && colon <= profile.label_max_length)
            label = slug(t.substr(0, colon));
          if (label.empty()) label = "apparatus";
          // "To: …\nLevel: …\nContents: …" in one block: one seg per labelled line.
          std::vector<std::size_t> starts = labelled_line_starts(body[i].text, profile.label_max_length);
          if (role == BlockRole::Opener && starts.size() > 1) {
            content.children.clear();
            for (std::size_t k = 0; k < starts.size(); ++k) {
              const std::size_t e = k + 1 < starts.size() ? starts[k + 1] : body[i].text.size();
              const Block line = sub_block(body[i], starts[k], e);
              Node seg = Node::make_element("seg", line.span);
              seg.set("type", slug(line.text.substr(0, line.text.find(':'))));
              parse_part(i, line, seg);
              opener->append(std::move(seg));
            }
            break;
          }
          Node& seg = element_in(*opener, "seg");
          seg.set("type", label);
          bool addressee = false;
          if (role != BlockRole::Subject && colon != std::string::npos) {
            const std::string written = to_lower_utf8(trim(t.substr(0, colon)));
            for (const auto& w : profile.addressee_labels) addressee |= written == w;
          }
          if (addressee && corr.addressee.empty()) {
            std::string a = trim(t.substr(colon + 1));
            std::vector<std::string> stops = profile.addressee_stops;
            stops.push_back(" " + profile.open);
            stops.push_back("  ");
            for (const auto& stop : stops)
              if (auto p = a.find(stop); p != std::string::npos) a.resize(p);
            corr.addressee = trim(a);
          }
        }
        break;
      }
      case BlockRole::Postscript: {
        // Consecutive trailing blocks share one postscript (TEI: after the closer).
        if (div.children.empty() || !div.children.back().is("postscript"))
          div.append(Node::make_element("postscript", span));
        element_in(div.children.back(), "p");
        break;
      }
      case BlockRole::Head: {
        Node& parent = div;
        Node& h = parent.append(Node::make_element("head", span));
        move_children(content, h);
        break;
      }
      case BlockRole::Standalone: {
        Node& parent = container();
        for (auto& c : content.children)
          if (c.kind == Node::Kind::Element) parent.append(std::move(c));
        content.children.clear();
        break;
      }
      case BlockRole::Paragraph:
      case BlockRole::Milestone: {
        text_started = true;
        Node& p = element_in(div, role == BlockRole::Milestone ? "ab" : "p");
        if (role == BlockRole::Milestone) p.set("type", "omission");
        std::string n;
        if (role == BlockRole::Paragraph && paragraph_number(trim(body[i].text), n)) p.set("n", n);
        break;
      }
      case BlockRole::Valediction:
      case BlockRole::Signed:
      case BlockRole::CloserDate: {
        text_started = true;
        if (!closer) {
          div.append(Node::make_element("closer", span));
          closer_at = div.children.size() - 1;
          closer = closer_node();
        }
        if (role == BlockRole::Valediction && plan[i].signature_split > 0) {
          Node formula = Node::make_element("salute", span), sig = Node::make_element("signed", span);
          parse_part(i, sub_block(body[i], 0, plan[i].signature_split), formula);
          parse_part(i, sub_block(body[i], plan[i].signature_split, body[i].text.size()), sig);
          content.children.clear();
          corr.sender = collapse_space(sig.plain_text());
          closer->append(std::move(formula));
          closer->append(std::move(sig));
        } else if (role == BlockRole::Valediction) {
          element_in(*closer, "salute");
        } else if (role == BlockRole::CloserDate) {
          element_in(*closer, "dateline");
        } else if (plan[i].date_split > 0) {
          // "Ministry of Foreign Affairs 30 April [1962]": signature, then its dateline.
          Node sig = Node::make_element("signed", span), line = Node::make_element("dateline", span);
          parse_part(i, sub_block(body[i], 0, plan[i].date_split), sig);
          parse_part(i, sub_block(body[i], plan[i].date_split, body[i].text.size()), line);
          content.children.clear();
          corr.sender = sig.plain_text();
          closer->append(std::move(sig));
          closer->append(std::move(line));
        } else {
          Node& s = element_in(*closer, "signed");
          if (corr.sender.empty()) corr.sender = collapse_space(s.plain_text());
        }
        break;
      }
    }
    // The block's text is placed; release it, and write out what can no longer change.
    std::string().swap(body[i].text);
    flush(false);
    stream_container();
  }
  close_div();
  body = std::vector<Block>();

  if (corr.sent_when.empty() && header.date) corr.sent_when = header.date->iso();
  Node corresp_node;
  if (auto desc = correspondence_desc(header, {corr.sender, corr.addressee, corr.sent_place, corr.sent_when,
                                               corr.received_when}, profile, source, sink)) {
    corresp_node = std::move(*desc);
    tei.correspondence = &corresp_node;
  }
  if (std::find(tei.rules_used.begin(), tei.rules_used.end(), "handwritten") != tei.rules_used.end())
    tei.handwritten = true;

  sink.summarise_suppressed(name);
  tei.release_notes = &header;  // not read after write_tei
  result.xml = write_tei(tei, writer.pieces(), options.element_spans ? &result.element_spans : nullptr);
  return result;
}

}  // namespace

ConvertResult convert(const std::string& name, const std::string& bytes,
                      const ConvertOptions& options) {
  return convert_text(name, bytes, nullptr, options);
}

ConvertResult convert(const std::string& name, std::string&& bytes, const ConvertOptions& options) {
  return convert_text(name, bytes, &bytes, options);
}

std::size_t conversion_memory_estimate(std::size_t input_size) {
  // Measured peaks (bench/convert_memory.sh) stay under 10× the input for real and
  // bracket-dense text; the estimate leaves room above that, plus the program itself.
  constexpr std::size_t kPerInputByte = 12, kBase = std::size_t{64} << 20;
  return input_size > (SIZE_MAX - kBase) / kPerInputByte ? SIZE_MAX
                                                          : input_size * kPerInputByte + kBase;
}

namespace {

// MemAvailable of /proc/meminfo in bytes, or SIZE_MAX when it cannot be read.
std::size_t memory_available() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::size_t kib = 0;
  std::string unit;
  while (in >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib > SIZE_MAX / 1024 ? SIZE_MAX : kib * 1024;
  return SIZE_MAX;
}

// What a resource limit still allows, given `used` bytes in use: SIZE_MAX when unlimited.
std::size_t limit_left(int resource, std::size_t used) {
  struct rlimit rl {};
  if (getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return SIZE_MAX;
  const auto cur = static_cast<std::size_t>(rl.rlim_cur);
  return cur > used ? cur - used : 0;
}

// The process's virtual size and data segment (bytes) from /proc/self/status.
void memory_in_use(std::size_t& vm, std::size_t& data) {
  vm = data = 0;
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    std::size_t kib = 0;
    if (std::sscanf(line.c_str(), "VmSize: %zu kB", &kib) == 1) vm = kib * 1024;
    if (std::sscanf(line.c_str(), "VmData: %zu kB", &kib) == 1) data = kib * 1024;
  }
}

}  // namespace

bool conversion_memory_available(std::size_t input_size, std::string& why) {
  const std::size_t need = conversion_memory_estimate(input_size);
  std::size_t vm = 0, data = 0;
  memory_in_use(vm, data);
  const std::size_t have = std::min({memory_available(), limit_left(RLIMIT_AS, vm),
                                     limit_left(RLIMIT_DATA, data)});
  if (need <= have) return true;
  auto mib = [](std::size_t b) { return std::to_string(b >> 20) + " MiB"; };
  why = "converting " + mib(input_size) + " of text needs up to about " + mib(need) +
        " of memory; " + mib(have) + " available";
  return false;
}

}  // namespace teikit
