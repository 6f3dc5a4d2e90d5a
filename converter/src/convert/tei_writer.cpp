#include "teikit/convert/tei_writer.hpp"

#include "teikit/base/version.hpp"

#include <libxml/uri.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cstring>
#include <functional>
#include <unordered_set>

#include "teikit/base/text_util.hpp"
#include "teikit/convert/document_kind.hpp"

namespace teikit {

namespace {

constexpr const char* kTeiNs = "http://www.tei-c.org/ns/1.0";

class Writer {
 public:
  explicit Writer(const TeiInput& in) : in_(in), h_(*in.header) {}

  // The whole document: the header is a small tree built here; the body arrives serialised.
  std::string write(std::vector<std::string>& body, std::vector<Span>* spans) {
    // ENCODING.md §2: xml:lang on TEI and text, "und" (undetermined) when not known.
    std::string lang = in_.profile->language_code(h_.text_language);
    if (lang.empty()) lang = "und";
    Node root = Node::make_element("TEI", kNoSpan);
    root.set("xmlns", kTeiNs);
    root.set("xml:lang", lang);
    Node header = Node::make_element("teiHeader", kNoSpan);
    file_desc(el(header, "fileDesc"));
    encoding_desc(el(header, "encodingDesc"));
    profile_desc(el(header, "profileDesc"));
    Node text = Node::make_element("text", kNoSpan);
    text.set("xml:lang", lang);

    std::vector<Span> head_spans;
    std::vector<Span>* hs = spans ? &head_spans : nullptr;
    std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    write_start_tag(root, head);
    if (hs) hs->push_back(root.span);
    head += "\n  ";
    write_xml(header, 1, true, head, hs);
    std::string after_notes;
    std::vector<std::string> notes = write_notes(head, after_notes, hs);
    // Nothing reads the fields after their notes: a header of 10⁵ fields held them (~3 bytes a
    // byte of input) while the document was copied together below.
    if (in_.release_notes == &h_) {
      unplaced_.clear();  // it points into the fields
      std::vector<HeaderField>().swap(in_.release_notes->fields);
    }
    std::string& rest = notes.empty() ? head : after_notes;
    rest += "\n  ";
    write_start_tag(text, rest);
    if (hs) hs->insert(hs->end(), {text.span, kNoSpan});  // text, body
    rest += "\n    <body>\n";
    header = Node();  // the header tree is not needed any more
    static const char tail[] = "    </body>\n  </text>\n</TEI>\n";

    // One buffer, sized once; each body piece is released as soon as it is copied, so the
    // pieces and the document are not both held whole.
    std::size_t size = head.size() + after_notes.size() + sizeof tail - 1;
    for (const auto& piece : notes) size += piece.size();
    for (const auto& piece : body) size += piece.size();
    std::string out;
    out.reserve(size);
    out += head;
    std::string().swap(head);
    for (auto& piece : notes) {
      out += piece;
      std::string().swap(piece);
#if defined(__GLIBC__)
      malloc_trim(0);  // as for the body's pieces below
#endif
    }
    out += after_notes;
    std::string().swap(after_notes);
    std::size_t untrimmed = 0;
    for (auto& piece : body) {
      out += piece;
      untrimmed += piece.size();
      std::string().swap(piece);
#if defined(__GLIBC__)
      // glibc keeps freed heap pages mapped (the pieces are below its mmap threshold once the
      // input's buffer was freed); without this the pieces and the document are held at once.
      // Once per MiB released: the body may come in many small pieces (BodyWriter's holes).
      if (untrimmed >= (std::size_t{1} << 20)) {
        malloc_trim(0);
        untrimmed = 0;
      }
#endif
    }
    out += tail;
    if (spans) spans->insert(spans->begin(), head_spans.begin(), head_spans.end());
    return out;
  }

 private:
  // New element `name` appended to `parent`, with optional text. The reference is valid until
  // the next child is appended to `parent`.
  static Node& el(Node& parent, const char* name, const std::string& text = "") {
    Node& n = parent.append(Node::make_element(name, kNoSpan));
    if (!text.empty()) n.append_text(text);
    return n;
  }
  static void add_text(Node& n, const std::string& text) { n.append_text(text); }
  static void attr(Node& n, const std::string& key, const std::string& value) { n.set(key, value); }

  // Appends `text` to `parent`, wrapping the listed parts (found left to right) in elements.
  struct Part {
    std::string text;
    std::function<void(Node&, const std::string&)> make;
  };
  void marked_text(Node& parent, const std::string& text, const std::vector<Part>& parts) {
    std::size_t pos = 0;
    for (const auto& part : parts) {
      if (part.text.empty()) continue;
      const auto at = text.find(part.text, pos);
      if (at == std::string::npos) continue;
      if (at > pos) add_text(parent, text.substr(pos, at - pos));
      part.make(parent, part.text);
      pos = at + part.text.size();
    }
    if (pos < text.size()) add_text(parent, text.substr(pos));
  }

  static std::string uri_escape(const std::string& url) {
    static const char* const hex = "0123456789ABCDEF";
    std::string r;
    for (unsigned char c : url) {
      if (c > 0x20 && c < 0x7F && !std::strchr("<>\"{}|\\^`", c)) {
        r += static_cast<char>(c);
      } else {
        r += '%';
        r += hex[c >> 4];
        r += hex[c & 15];
      }
    }
    return r;
  }

  // True when libxml2 (and so xsd:anyURI as libxml2's RelaxNG checks it) accepts `uri`; a
  // citation's "URL" can be garbled ("https://host:g/…"), and then it stays plain text.
  static bool parses_as_uri(const std::string& uri) {
    xmlURIPtr parsed = xmlParseURI(uri.c_str());
    if (!parsed) return false;
    xmlFreeURI(parsed);
    return true;
  }

  void file_desc(Node& fd) {
    Node& ts = el(fd, "titleStmt");
    if (h_.title_block) {
      el(ts, "title", collapse_space(h_.title_block->text));
    } else {
      // No title block: the citation's quoted title if there is one, else a made-up label;
      // either way marked generated (the round trip leaves it out: it is not a line of the input).
      const std::string& cited = h_.citation.title;
      Node& t = el(ts, "title", cited.empty() ? "Untitled transcription (" +
                                                       in_.publication.edition_id + ")"
                                                 : cited);
      attr(t, "type", "generated");
    }
    if (!h_.funder.empty()) el(ts, "funder", h_.funder);
    // One respStmt per responsible person (the citation's, then those Credits names), @xml:id
    // the role ("translator", "translator2", "transcriber", "proofreader"; header.cpp).
    for (const auto& person : h_.credited) {
      Node& rs = el(ts, "respStmt");
      attr(rs, "xml:id", person.id);
      for (const auto& r : person.resps) el(rs, "resp", r);
      el(rs, "name", person.name);
    }

    Node& ps = el(fd, "publicationStmt");
    const auto& pub = in_.publication;
    // Without a configured publisher the edition is unpublished, and says so in the words an
    // editor would use; an authority, not a publisher, for nobody has published it.
    const bool unpublished = pub.publisher.empty();
    if (unpublished) el(ps, "authority", "Unpublished edition, not yet issued by a publisher");
    else el(ps, "publisher", pub.publisher);
    if (!pub.pub_place.empty()) el(ps, "pubPlace", pub.pub_place);
    Node& idno = el(ps, "idno", pub.edition_id);
    attr(idno, "type", "edition");
    Node& av = el(ps, "availability");
    if (!pub.licence.empty() || !pub.licence_url.empty()) {
      Node& lic = el(av, "licence", pub.licence.empty() ? pub.licence_url : pub.licence);
      if (!pub.licence_url.empty() && parses_as_uri(uri_escape(pub.licence_url)))
        attr(lic, "target", uri_escape(pub.licence_url));
    } else if (h_.licence) {
      // The licence the source states for itself (Credits, citation): the edition is made
      // from it and under it.
      attr(av, "status", h_.licence->status);
      Node& lic = el(av, "licence", h_.licence->name + ", the licence stated for the source");
      if (!h_.licence->target.empty() && parses_as_uri(h_.licence->target)) attr(lic, "target", h_.licence->target);
    } else {
      attr(av, "status", "unknown");
      el(av, "p", unpublished ? "No licence has been stated for this unpublished edition."
                              : "No licence has been stated for this edition.");
    }

    // Fields we do not place elsewhere (ENCODING.md §3: kept, never dropped), including a
    // known label given twice.
    // A set, not a scan of the labels seen so far: a header of 10⁵ fields stays linear.
    std::vector<const HeaderField*> unplaced;
    std::unordered_set<std::string> seen;
    for (const auto& f : h_.fields) {
      const bool dup = !seen.insert(to_lower(f.label)).second;
      if (f.field.empty() || dup) unplaced.push_back(&f);
    }
    if (!unplaced.empty()) {
      // The notes are serialised one by one where the placeholder stands (write): a tree of
      // 10⁵ notes cost ~25× the header's text.
      Node& ns = el(fd, "notesStmt");
      ns.append(Node::make_element(kNotesPlaceholder, kPlaceholderSpan));
      unplaced_ = std::move(unplaced);
    }

    Node& sd = el(fd, "sourceDesc");
    const Citation& c = h_.citation;
    Node& bibl = el(sd, "bibl");
    if (!c.text.empty()) {
      std::vector<Part> parts;
      parts.push_back({c.title, [&](Node& p, const std::string& t) {
                         Node& title = el(p, "title", t);
                         if (!c.series.empty()) attr(title, "level", "a");
                       }});
      parts.push_back({c.date_text, [&](Node& p, const std::string& t) {
                         Node& d = el(p, "date", t);
                         if (c.date) attr(d, "when", c.date->iso());
                       }});
      // A series ("Foreign Relations of the United States, …") is a title, not the publisher.
      if (!c.series.empty())
        parts.push_back({c.series, [&](Node& p, const std::string& t) { attr(el(p, "title", t), "level", "s"); }});
      else
        parts.push_back({c.archive, [&](Node& p, const std::string& t) { el(p, "publisher", t); }});
      parts.push_back({c.signature, [&](Node& p, const std::string& t) {
                         attr(el(p, "idno", t), "type", c.signature_is_archival ? "archival" : "document");
                       }});
      parts.push_back({c.document_number, [&](Node& p, const std::string& t) {
                         attr(el(p, "idno", t), "type", "document");
                       }});
      if (!c.signature_is_archival)
        parts.push_back({c.holding_signature, [&](Node& p, const std::string& t) {
                           attr(el(p, "idno", t), "type", "archival");
                         }});
      parts.push_back({c.publisher, [&](Node& p, const std::string& t) { el(p, "publisher", t); }});
      for (const auto& r : c.responsible)
        parts.push_back({r.name, [&, role = r.role](Node& p, const std::string& t) {
                           attr(el(p, "editor", t), "role", role);
                         }});
      if (parses_as_uri(uri_escape(c.url)))
        parts.push_back({c.url, [&](Node& p, const std::string& t) {
                           attr(el(p, "ref", t), "target", uri_escape(t));
                         }});
      marked_text(bibl, c.text, parts);
    } else {
      add_text(bibl, h_.title.empty() ? "No citation was given." : h_.title);
      if (!h_.title.empty()) attr(bibl, "type", "title-only");
      else attr(bibl, "type", "none");
    }
    if (const HeaderField* f = h_.known("credits")) {
      Node& n = el(bibl, "note", collapse_space(f->text()));
      attr(n, "type", "credits");
    }
    if (const HeaderField* f = h_.known("contents")) {
      Node& n = el(bibl, "note", collapse_space(f->text()));
      attr(n, "type", "contents");
    }
    // A Summary that is the edition's source note ("Source: …", "File No. …") describes the
    // source, not the document's content: a note of the bibl, not an abstract.
    if (const HeaderField* f = h_.known("summary"); f && h_.source_note.is_source_note) {
      Node& n = el(bibl, "note", collapse_space(f->text()));
      attr(n, "type", "source");
    }
    // The holding repository and its shelfmark (msId_minimal: a repository in every
    // msIdentifier): the citation's, else the source note's. A shelfmark whose repository is
    // not named stays in the bibl only: an msIdentifier without it would claim less than
    // TEI requires, and the archive publishing a scan need not hold the document.
    std::string repository = c.repository, shelfmark = c.holding_shelfmark;
    if (repository.empty() && !h_.source_note.repository.empty()) {
      repository = h_.source_note.repository;
      shelfmark = h_.source_note.shelfmark;
    }
    if (!repository.empty()) {
      Node& ms = el(el(sd, "msDesc"), "msIdentifier");
      if (repository == c.repository && !c.settlement.empty()) el(ms, "settlement", c.settlement);
      el(ms, "repository", repository);
      if (!shelfmark.empty()) el(ms, "idno", shelfmark);
    }
  }

  void encoding_desc(Node& ed) {
    Node& app = el(el(ed, "appInfo"), "application");
    attr(app, "ident", "teikit");
    attr(app, "version", version());
    el(app, "label", "teikit");
    el(app, "desc", "Conversion of a plain-text transcription to TEI P5.");
    Node& decl = el(ed, "editorialDecl");
    const Profile& p = *in_.profile;
    Node& intro = el(decl, "p", "Editorial brackets of the transcription were encoded with the teikit profile '" +
                                       p.name + "' (" + p.title + "). " + p.description);
    (void)intro;
    Node& para = el(decl, "p");
    if (in_.rules_used.empty()) {
      add_text(para, "No bracket convention of the profile occurs in this document.");
      return;
    }
    add_text(para, "Conventions applied in this document:");
    Node& list = el(para, "list");
    auto describe = [&](const BracketRule& r) {
      Node& item = el(list, "item");
      attr(item, "n", r.id);
      add_text(item, r.description.empty() ? r.id : r.description);
    };
    for (const auto& id : in_.rules_used) {
      if (id == p.fallback.id) {
        describe(p.fallback);
        continue;
      }
      for (const auto& r : p.rules)
        if (r.id == id) describe(r);
    }
  }

  void profile_desc(Node& pd) {
    if (h_.date_block && h_.date) {
      Node& d = el(el(pd, "creation"), "date", collapse_space(h_.date_block->text));
      attr(d, "when", h_.date->iso());
    } else if (h_.date) {
      Node& d = el(el(pd, "creation"), "date");
      attr(d, "when", h_.date->iso());
    }
    // langUsage needs at least one language: without any it is left out.
    Node* lu = (h_.text_language.empty() && h_.original_languages.empty())
                   ? nullptr : &el(pd, "langUsage");
    auto language = [&](const std::string& name, const char* role) {
      std::string code = in_.profile->language_code(name);
      Node& l = el(*lu, "language", name);
      attr(l, "ident", code.empty() ? "und" : code);
      attr(l, "n", role);
    };
    if (!h_.text_language.empty()) language(h_.text_language, "text");
    for (const auto& l : h_.original_languages) language(l, "original");
    if (const HeaderField* f = h_.known("summary"); f && !h_.source_note.is_source_note)
      el(el(pd, "abstract"), "p", collapse_space(f->text()));
    if (in_.correspondence) pd.append(*in_.correspondence);
    if (in_.handwritten) {
      Node& hn = el(el(pd, "handNotes"), "handNote", "Handwritten additions on the source.");
      attr(hn, "xml:id", "handwritten");
    }
    // The document's kind, where the Guidelines classify a text (textClass): a keyword of the
    // profile's closed list of kinds, so that index and search read it from the TEI.
    if (const std::string kind = document_kind(h_, *in_.profile); !kind.empty())
      attr(el(el(el(pd, "textClass"), "keywords"), "term", kind), "type", "document-kind");
  }

  // The notes of notesStmt (level 4: TEI, teiHeader, fileDesc, notesStmt, note), serialised
  // as write_xml writes them in place of the placeholder element, in pieces of about 1 MiB;
  // `head` is cut at the placeholder, its rest goes to `after`, and their spans go where its
  // span stood.
  std::vector<std::string> write_notes(std::string& head, std::string& after,
                                       std::vector<Span>* spans) {
    std::vector<std::string> pieces;
    if (unplaced_.empty()) return pieces;
    const std::string mark = std::string("<") + kNotesPlaceholder + "/>";
    const std::size_t at = head.find(mark);
    if (at == std::string::npos) return pieces;
    after = head.substr(at + mark.size());
    head.resize(at);
    head.shrink_to_fit();
    std::string notes;
    std::vector<Span> note_spans;
    for (std::size_t k = 0; k < unplaced_.size(); ++k) {
      const HeaderField* f = unplaced_[k];
      Node note = Node::make_element("note", kNoSpan);
      const std::string type = slug(f->label);
      attr(note, "type", type.empty() ? "field" : type);
      el(note, "label", f->label);
      add_text(note, " " + collapse_space(f->text()));
      if (k > 0) {
        notes += '\n';
        indent_to(4, notes);
      }
      write_xml(note, 4, true, notes, spans ? &note_spans : nullptr);
      if (in_.release_notes == &h_) {
        const auto index = static_cast<std::size_t>(f - h_.fields.data());
        std::vector<Block>().swap(in_.release_notes->fields[index].value);
      }
      if (notes.size() >= (std::size_t{1} << 20)) {
        notes.shrink_to_fit();
        pieces.push_back(std::move(notes));
        notes.clear();
      }
    }
    if (!notes.empty()) pieces.push_back(std::move(notes));
    if (spans) {
      auto p = std::find_if(spans->begin(), spans->end(), [](const Span& s) {
        return s.begin == kPlaceholderSpan.begin && s.end == kPlaceholderSpan.end;
      });
      if (p != spans->end()) {
        p = spans->erase(p);
        spans->insert(p, note_spans.begin(), note_spans.end());
      }
    }
    return pieces;
  }
  static void indent_to(unsigned level, std::string& out) { out.append(2 * level, ' '); }

  static constexpr const char* kNotesPlaceholder = "\x01notes";
  static constexpr Span kPlaceholderSpan{UINT32_MAX - 1, UINT32_MAX - 1};
  const TeiInput& in_;
  const Header& h_;
  std::vector<const HeaderField*> unplaced_;
};

}  // namespace

std::string write_tei(const TeiInput& input, std::vector<std::string>& body,
                      std::vector<Span>* spans) {
  return Writer(input).write(body, spans);
}

}  // namespace teikit
