#include "teikit/tei_writer.hpp"

#include <libxml/uri.h>

#include <cstring>
#include <functional>
#include <map>
#include <unordered_set>

#include "teikit/text_util.hpp"

namespace teikit {

namespace {

constexpr const char* kTeiNs = "http://www.tei-c.org/ns/1.0";

class Writer {
 public:
  explicit Writer(const TeiInput& in) : in_(in), h_(*in.header) {
    doc_.reset(xmlNewDoc(BAD_CAST "1.0"));
    root_ = xmlNewDocNode(doc_.get(), nullptr, BAD_CAST "TEI", nullptr);
    xmlDocSetRootElement(doc_.get(), root_);
    ns_ = xmlNewNs(root_, BAD_CAST kTeiNs, nullptr);
    xmlSetNs(root_, ns_);
  }

  xml::DocPtr write() {
    // ENCODING.md §2: xml:lang on TEI and text, "und" (undetermined) when not known.
    std::string lang = language_code(h_.text_language);
    if (lang.empty()) lang = "und";
    attr(root_, "xml:lang", lang);
    xmlNode* header = el(root_, "teiHeader");
    file_desc(el(header, "fileDesc"));
    encoding_desc(el(header, "encodingDesc"));
    profile_desc(el(header, "profileDesc"));
    xmlNode* text = el(root_, "text");
    attr(text, "xml:lang", lang);
    xmlNode* body = el(text, "body");
    if (in_.body)
      for (const auto& part : in_.body->children) tree(body, part);
    return std::move(doc_);
  }

 private:
  // New element `name` in the TEI namespace, appended to `parent`, with optional text.
  xmlNode* el(xmlNode* parent, const char* name, const std::string& text = "") {
    xmlNode* n = xmlNewDocNode(doc_.get(), ns_, BAD_CAST name, nullptr);
    xmlAddChild(parent, n);
    if (!text.empty()) add_text(n, text);
    return n;
  }
  // Text goes in as text (xmlNodeAddContentLen): never parsed for entities.
  static void add_text(xmlNode* n, const std::string& text) {
    xmlNodeAddContentLen(n, BAD_CAST text.data(), static_cast<int>(text.size()));
  }
  void attr(xmlNode* n, const std::string& key, const std::string& value) {
    if (starts_with(key, "xml:")) {
      xmlNs* xmlns = xmlSearchNs(doc_.get(), n, BAD_CAST "xml");
      xmlSetNsProp(n, xmlns, BAD_CAST key.c_str() + 4, BAD_CAST value.c_str());
    } else {
      xmlSetProp(n, BAD_CAST key.c_str(), BAD_CAST value.c_str());
    }
  }

  void tree(xmlNode* parent, const Node& node) {
    if (node.kind == Node::Kind::Text) {
      xmlNode* t = xmlNewDocTextLen(doc_.get(), BAD_CAST node.text.data(),
                                    static_cast<int>(node.text.size()));
      xmlAddChild(parent, t);
      return;
    }
    xmlNode* n = el(parent, node.name.c_str());
    if (in_.spans) (*in_.spans)[n] = node.span;
    for (const auto& [k, v] : node.attributes) attr(n, k, v);
    for (const auto& c : node.children) tree(n, c);
  }

  // Appends `text` to `parent`, wrapping the listed parts (found left to right) in elements.
  struct Part {
    std::string text;
    std::function<void(xmlNode*, const std::string&)> make;
  };
  void marked_text(xmlNode* parent, const std::string& text, const std::vector<Part>& parts) {
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

  void file_desc(xmlNode* fd) {
    xmlNode* ts = el(fd, "titleStmt");
    if (h_.title_block) {
      el(ts, "title", collapse_space(h_.title_block->text));
    } else {
      // No title block: the citation's quoted title if there is one, else a made-up label;
      // either way marked generated (the round trip leaves it out: it is not a line of the input).
      const std::string& cited = h_.citation.title;
      xmlNode* t = el(ts, "title", cited.empty() ? "Untitled transcription (" +
                                                       in_.publication.edition_id + ")"
                                                 : cited);
      attr(t, "type", "generated");
    }
    if (!h_.funder.empty()) el(ts, "funder", h_.funder);
    // One respStmt per responsible person, @xml:id the role ("translator", "translator2", …).
    std::map<std::string, int> per_role;
    for (const auto& r : h_.citation.responsible) {
      const int k = ++per_role[r.role];
      xmlNode* rs = el(ts, "respStmt");
      attr(rs, "xml:id", r.role + (k > 1 ? std::to_string(k) : ""));
      el(rs, "resp", r.role == "translator" ? "translation"
                     : r.role == "transcriber" ? "transcription" : "editing");
      el(rs, "name", r.name);
    }

    xmlNode* ps = el(fd, "publicationStmt");
    const auto& pub = in_.publication;
    el(ps, "publisher", pub.publisher.empty() ? "teikit (unpublished conversion)" : pub.publisher);
    if (!pub.pub_place.empty()) el(ps, "pubPlace", pub.pub_place);
    xmlNode* idno = el(ps, "idno", pub.edition_id);
    attr(idno, "type", "edition");
    xmlNode* av = el(ps, "availability");
    if (!pub.licence.empty() || !pub.licence_url.empty()) {
      xmlNode* lic = el(av, "licence", pub.licence.empty() ? pub.licence_url : pub.licence);
      if (!pub.licence_url.empty() && parses_as_uri(uri_escape(pub.licence_url)))
        attr(lic, "target", uri_escape(pub.licence_url));
    } else {
      attr(av, "status", "unknown");
      el(av, "p", "No licence was declared for this edition (teikit --licence).");
    }

    // Fields we do not place elsewhere (ENCODING.md §3: kept, never dropped), including a
    // known label given twice.
    // A set, not a scan of the labels seen so far: a header of 10⁵ fields stays linear.
    std::vector<const HeaderField*> unplaced;
    std::unordered_set<std::string> seen;
    for (const auto& f : h_.fields) {
      const bool dup = !seen.insert(to_lower(f.label)).second;
      if (!is_known_field(f.label) || dup) unplaced.push_back(&f);
    }
    if (!unplaced.empty()) {
      xmlNode* ns = el(fd, "notesStmt");
      for (const HeaderField* f : unplaced) {
        xmlNode* note = el(ns, "note");
        const std::string type = slug(f->label);
        attr(note, "type", type.empty() ? "field" : type);
        el(note, "label", f->label);
        add_text(note, " " + collapse_space(f->text()));
      }
    }

    xmlNode* sd = el(fd, "sourceDesc");
    const Citation& c = h_.citation;
    xmlNode* bibl = el(sd, "bibl");
    if (!c.text.empty()) {
      std::vector<Part> parts;
      parts.push_back({c.title, [&](xmlNode* p, const std::string& t) { el(p, "title", t); }});
      parts.push_back({c.date_text, [&](xmlNode* p, const std::string& t) {
                         xmlNode* d = el(p, "date", t);
                         if (c.date) attr(d, "when", c.date->iso());
                       }});
      parts.push_back({c.archive, [&](xmlNode* p, const std::string& t) { el(p, "publisher", t); }});
      parts.push_back({c.signature, [&](xmlNode* p, const std::string& t) {
                         attr(el(p, "idno", t), "type", c.signature_is_archival ? "archival" : "document");
                       }});
      for (const auto& r : c.responsible)
        parts.push_back({r.name, [&, role = r.role](xmlNode* p, const std::string& t) {
                           attr(el(p, "editor", t), "role", role);
                         }});
      if (parses_as_uri(uri_escape(c.url)))
        parts.push_back({c.url, [&](xmlNode* p, const std::string& t) {
                           attr(el(p, "ref", t), "target", uri_escape(t));
                         }});
      marked_text(bibl, c.text, parts);
    } else {
      add_text(bibl, h_.title.empty() ? "No citation was given." : h_.title);
      if (!h_.title.empty()) attr(bibl, "type", "title-only");
      else attr(bibl, "type", "none");
    }
    if (const HeaderField* f = h_.field("Credits")) {
      xmlNode* n = el(bibl, "note", collapse_space(f->text()));
      attr(n, "type", "credits");
    }
    if (const HeaderField* f = h_.field("Contents")) {
      xmlNode* n = el(bibl, "note", collapse_space(f->text()));
      attr(n, "type", "contents");
    }
    if (c.signature_is_archival && !c.signature.empty()) {
      // The weaker claim (ENCODING.md §3): the archive that publishes the scan is not
      // necessarily the one that holds the document, so no repository; the identifier is the
      // shelf-mark without the page ("…-05, 28" → "…-05").
      xmlNode* ms = el(el(sd, "msDesc"), "msIdentifier");
      el(ms, "idno", c.shelfmark.empty() ? c.signature : c.shelfmark);
    }
  }

  void encoding_desc(xmlNode* ed) {
    xmlNode* app = el(el(ed, "appInfo"), "application");
    attr(app, "ident", "teikit");
    attr(app, "version", version());
    el(app, "label", "teikit");
    el(app, "desc", "Conversion of a plain-text transcription to TEI P5.");
    xmlNode* decl = el(ed, "editorialDecl");
    const Profile& p = *in_.profile;
    xmlNode* intro = el(decl, "p", "Editorial brackets of the transcription were encoded with the teikit profile '" +
                                       p.name + "' (" + p.title + "). " + p.description);
    (void)intro;
    xmlNode* para = el(decl, "p");
    if (in_.rules_used.empty()) {
      add_text(para, "No bracket convention of the profile occurs in this document.");
      return;
    }
    add_text(para, "Conventions applied in this document:");
    xmlNode* list = el(para, "list");
    auto describe = [&](const BracketRule& r) {
      xmlNode* item = el(list, "item");
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

  void profile_desc(xmlNode* pd) {
    if (h_.date_block && h_.date) {
      xmlNode* d = el(el(pd, "creation"), "date", collapse_space(h_.date_block->text));
      attr(d, "when", h_.date->iso());
    } else if (h_.date) {
      xmlNode* d = el(el(pd, "creation"), "date");
      attr(d, "when", h_.date->iso());
    }
    // langUsage needs at least one language: without any it is left out.
    xmlNode* lu = (h_.text_language.empty() && h_.original_languages.empty())
                      ? nullptr : el(pd, "langUsage");
    auto language = [&](const std::string& name, const char* role) {
      std::string code = language_code(name);
      xmlNode* l = el(lu, "language", name);
      attr(l, "ident", code.empty() ? "und" : code);
      attr(l, "n", role);
    };
    if (!h_.text_language.empty()) language(h_.text_language, "text");
    for (const auto& l : h_.original_languages) language(l, "original");
    if (const HeaderField* f = h_.field("Summary")) el(el(pd, "abstract"), "p", collapse_space(f->text()));
    if (in_.correspondence) tree(pd, *in_.correspondence);
    if (in_.handwritten) {
      xmlNode* hn = el(el(pd, "handNotes"), "handNote", "Handwritten additions on the source.");
      attr(hn, "xml:id", "handwritten");
    }
  }

  const TeiInput& in_;
  const Header& h_;
  xml::DocPtr doc_;
  xmlNode* root_ = nullptr;
  xmlNs* ns_ = nullptr;
};

}  // namespace

const char* version() { return TEIKIT_VERSION; }

xml::DocPtr write_tei(const TeiInput& input) { return Writer(input).write(); }

}  // namespace teikit
