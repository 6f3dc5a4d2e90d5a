#include "teikit/render/edition_index.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <libxml/xmlreader.h>
#include <libxml/xpathInternals.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <memory>
#include <thread>
#include <cctype>
#include <set>
#include <tuple>
#include <unordered_map>

#include "teikit/base/file_io.hpp"
#include "teikit/base/file_names.hpp"
#include "teikit/base/publication.hpp"
#include "teikit/base/version.hpp"
#include "teikit/base/text_util.hpp"
#include "teikit/render/transform.hpp"
#include "teikit/base/xml_source.hpp"

namespace fs = boost::filesystem;

namespace teikit {

namespace {

constexpr const char* kTeiNs = "http://www.tei-c.org/ns/1.0";

bool is_tei(const xmlNode* n, const char* name) {
  return n && n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, BAD_CAST kTeiNs) &&
         xmlStrEqual(n->name, BAD_CAST name);
}

// String value of an XPath expression (prefix "t" = TEI) evaluated at `node`.
std::string xpath_string(xmlDoc* doc, xmlNode* node, const char* expr) {
  xml::XPathContextPtr ctx(xmlXPathNewContext(doc));
  if (!ctx) return "";
  xmlXPathRegisterNs(ctx.get(), BAD_CAST "t", BAD_CAST kTeiNs);
  ctx->node = node;
  xml::XPathObjectPtr r(
      xmlXPathEvalExpression(BAD_CAST(std::string("string(") + expr + ")").c_str(), ctx.get()));
  return r && r->stringval ? reinterpret_cast<const char*>(r->stringval) : "";
}

// What xpath_string(doc, root, "t:a/t:b/.../t:last[1]") (or ".../t:last[1]/@attribute") gives,
// by walking the children: no XPath context per look-up (three per document of a tree index
// were 1% of a build). `path` names the TEI elements down from `root`, the last one's first
// occurrence is taken; the first match in document order is the string, as XPath's string()
// of a node-set.
std::string tei_path_string(xmlNode* root, std::initializer_list<const char*> path,
                            const char* attribute = nullptr) {
  std::string out;
  bool found = false;
  const auto walk = [&](auto& self, xmlNode* at, const char* const* step, const char* const* end) -> void {
    const bool last = step + 1 == end;
    for (xmlNode* c = at->children; c && !found; c = c->next) {
      if (!is_tei(c, *step)) continue;
      if (!last) {
        self(self, c, step + 1, end);
        continue;
      }
      // Only the first such child counts (the [1]); without the attribute it selects nothing.
      xml::XmlCharPtr v(attribute ? xmlGetNoNsProp(c, BAD_CAST attribute) : xmlNodeGetContent(c));
      if (v || !attribute) found = true;
      if (v) out = reinterpret_cast<const char*>(v.get());
      break;
    }
  };
  if (root && path.size() > 0) walk(walk, root, path.begin(), path.end());
  return out;
}

xmlNode* add_child(xmlNode* parent, xmlNs* ns, const char* name, const std::string& text = "") {
  return xmlNewTextChild(parent, ns, BAD_CAST name, text.empty() ? nullptr : BAD_CAST text.c_str());
}

bool is_xml_id(const xmlAttr* a) {
  return a->ns && xmlStrEqual(a->ns->href, XML_XML_NAMESPACE) && xmlStrEqual(a->name, BAD_CAST "id");
}

void collect_ids(xmlNode* n, std::vector<xmlAttr*>& ids) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    for (xmlAttr* a = n->properties; a; a = a->next)
      if (is_xml_id(a)) ids.push_back(a);
    collect_ids(n->children, ids);
  }
}

// Rewrites every "#old" token of every attribute value (resp, hand, corresp, target, …) whose id
// was renamed; other values are left as they are.
void repoint(xmlNode* n, const std::unordered_map<std::string, std::string>& renamed) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    for (xmlAttr* a = n->properties; a; a = a->next) {
      if (is_xml_id(a)) continue;
      xml::XmlCharPtr raw(xmlNodeListGetString(n->doc, a->children, 1));
      if (!raw) continue;
      const std::string value = reinterpret_cast<const char*>(raw.get());
      if (value.find('#') == std::string::npos) continue;
      std::string out;
      bool changed = false;
      std::size_t i = 0;
      while (i < value.size()) {
        const std::size_t start = value.find_first_not_of(" \t\r\n", i);
        out += value.substr(i, (start == std::string::npos ? value.size() : start) - i);
        if (start == std::string::npos) break;
        std::size_t end = value.find_first_of(" \t\r\n", start);
        if (end == std::string::npos) end = value.size();
        std::string token = value.substr(start, end - start);
        if (token.size() > 1 && token[0] == '#') {
          const auto it = renamed.find(token.substr(1));
          if (it != renamed.end()) {
            token = "#" + it->second;
            changed = true;
          }
        }
        out += token;
        i = end;
      }
      if (changed) xmlSetNsProp(n, a->ns, a->name, BAD_CAST out.c_str());
    }
    repoint(n->children, renamed);
  }
}

// Gives a copied TEI element the id `doc_id` and prefixes every xml:id inside it with
// "doc_id." so that ids from different documents (every translator is "translator") cannot
// collide in the corpus.
void make_ids_unique(xmlNode* tei, const std::string& doc_id) {
  std::vector<xmlAttr*> ids;
  collect_ids(tei, ids);
  std::unordered_map<std::string, std::string> renamed;
  for (xmlAttr* a : ids) {
    xml::XmlCharPtr raw(xmlNodeListGetString(tei->doc, a->children, 1));
    const std::string old = raw ? reinterpret_cast<const char*>(raw.get()) : "";
    const std::string now = a->parent == tei ? doc_id : doc_id + "." + old;
    renamed[old] = now;
    xmlSetNsProp(a->parent, a->ns, a->name, BAD_CAST now.c_str());
  }
  if (!xmlHasNsProp(tei, BAD_CAST "id", XML_XML_NAMESPACE)) {
    xmlNs* xml_ns = xmlSearchNsByHref(tei->doc, tei, XML_XML_NAMESPACE);
    xmlSetNsProp(tei, xml_ns, BAD_CAST "id", BAD_CAST doc_id.c_str());
  }
  repoint(tei, renamed);
}

// The copy of a member declares the TEI namespace again; pointing its nodes at the corpus
// root's declaration and dropping the duplicate keeps corpus.xml plain (<TEI>, not
// <TEI xmlns="…">). Only the default TEI declaration on the member itself is touched.
void share_tei_namespace(xmlNode* member, xmlNs* corpus_ns) {
  xmlNs** link = &member->nsDef;
  while (*link && !((*link)->prefix == nullptr && xmlStrEqual((*link)->href, BAD_CAST kTeiNs)))
    link = &(*link)->next;
  xmlNs* own = *link;
  if (!own) return;
  struct Walk {
    static void run(xmlNode* n, xmlNs* from, xmlNs* to) {
      for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (n->ns == from) n->ns = to;
        for (xmlAttr* a = n->properties; a; a = a->next)
          if (a->ns == from) a->ns = to;
        run(n->children, from, to);
      }
    }
  };
  if (member->ns == own) member->ns = corpus_ns;
  for (xmlAttr* a = member->properties; a; a = a->next)
    if (a->ns == own) a->ns = corpus_ns;
  Walk::run(member->children, own, corpus_ns);
  *link = own->next;
  own->next = nullptr;
  xmlFreeNs(own);
}

// The local name of the root element of the XML file `path` when it is in the TEI namespace,
// "-" when it is another element, "" when there is none (not well-formed before it). Reads the
// file only up to that element, with the safe options and the entity loader of SettingsScope.
std::string root_element(const std::string& path) {
  const xml::SettingsScope settings;
  std::unique_ptr<xmlTextReader, decltype(&xmlFreeTextReader)> reader(
      xmlReaderForFile(path.c_str(), nullptr, xml::safe_parse_options()), xmlFreeTextReader);
  if (!reader) return "";
  while (xmlTextReaderRead(reader.get()) == 1) {
    if (xmlTextReaderNodeType(reader.get()) != XML_READER_TYPE_ELEMENT) continue;
    const xmlChar* ns = xmlTextReaderConstNamespaceUri(reader.get());
    const xmlChar* local = xmlTextReaderConstLocalName(reader.get());
    if (!ns || !xmlStrEqual(ns, BAD_CAST kTeiNs) || !local) return "-";
    return reinterpret_cast<const char*>(local);
  }
  return "";
}

}  // namespace

namespace {

// The corpus publisher build_corpus names: options.publisher, else the one all `publishers`
// (each document's first publisher, whitespace collapsed) share, else teikit's default.
std::string corpus_publisher(const std::set<std::string>& publishers,
                             const EditionIndexOptions& options) {
  if (!options.publisher.empty()) return options.publisher;
  return publishers.size() == 1 && !publishers.begin()->empty() ? *publishers.begin()
                                                                : PublicationOptions{}.publisher;
}

// A teiCorpus with its header and no members yet: `count` documents by `publisher` ("": none
// named), dated `first` to `last` ("": undated).
xml::DocPtr corpus_shell(std::size_t count, const std::string& publisher, const std::string& first,
                         const std::string& last, const EditionIndexOptions& options) {
  xml::DocPtr corpus(xmlNewDoc(BAD_CAST "1.0"));
  xmlNode* root = xmlNewDocNode(corpus.get(), nullptr, BAD_CAST "teiCorpus", nullptr);
  xmlNs* ns = xmlNewNs(root, BAD_CAST kTeiNs, nullptr);
  xmlSetNs(root, ns);
  xmlDocSetRootElement(corpus.get(), root);

  // Corpus header: what the collection is, who publishes it, what it spans. publicationStmt is
  // never empty (ENCODING.md §2).
  xmlNode* header = add_child(root, ns, "teiHeader");
  xmlNode* file_desc = add_child(header, ns, "fileDesc");
  add_child(add_child(file_desc, ns, "titleStmt"), ns, "title",
            options.title.empty() ? "Edition" : options.title);
  // No publisher named anywhere: the collection is unpublished, and its header says so as its
  // documents' do.
  if (publisher.empty())
    add_child(add_child(file_desc, ns, "publicationStmt"), ns, "authority",
              "Unpublished edition, not yet issued by a publisher");
  else
    add_child(add_child(file_desc, ns, "publicationStmt"), ns, "publisher", publisher);
  add_child(add_child(file_desc, ns, "sourceDesc"), ns, "p",
            "Compiled by teikit from " + std::to_string(count) +
                " TEI document" + (count == 1 ? "" : "s") +
                "; each keeps its own header, which names the source it was transcribed from.");
  xmlNode* app = add_child(add_child(add_child(header, ns, "encodingDesc"), ns, "appInfo"), ns,
                           "application");
  xmlNewProp(app, BAD_CAST "ident", BAD_CAST "teikit");
  xmlNewProp(app, BAD_CAST "version", BAD_CAST version());
  add_child(app, ns, "label", "teikit");
  add_child(app, ns, "desc", "Edition index: the TEI documents of one directory gathered into a teiCorpus.");
  if (!first.empty()) {
    xmlNode* date = add_child(add_child(add_child(header, ns, "profileDesc"), ns, "creation"), ns,
                              "date", first == last ? first : first + " – " + last);
    if (first == last) {
      xmlNewProp(date, BAD_CAST "when", BAD_CAST first.c_str());
    } else {
      xmlNewProp(date, BAD_CAST "from", BAD_CAST first.c_str());
      xmlNewProp(date, BAD_CAST "to", BAD_CAST last.c_str());
    }
  }
  return corpus;
}

// Adds a deep copy of `doc`'s TEI element to the corpus `corpus` as its last member, made a
// member as build_corpus says (id `id`, inner ids prefixed, the corpus's TEI namespace).
xmlNode* add_member(xmlDoc* corpus, xmlDoc* doc, const std::string& id) {
  xmlNode* root = xmlDocGetRootElement(corpus);
  xmlNode* copy = xmlDocCopyNode(xmlDocGetRootElement(doc), corpus, 1);
  if (!copy) return nullptr;
  xmlAddChild(root, copy);
  share_tei_namespace(copy, root->ns);
  make_ids_unique(copy, id);
  return copy;
}

}  // namespace

xml::DocPtr build_corpus(const std::vector<std::pair<std::string, xmlDoc*>>& documents,
                         const std::vector<std::string>& ids, const EditionIndexOptions& options) {
  const xml::SettingsScope settings;
  std::set<std::string> seen;
  if (options.publisher.empty())
    for (const auto& [file, doc] : documents)
      seen.insert(collapse_space(xpath_string(
          doc, xmlDocGetRootElement(doc), "t:teiHeader/t:fileDesc/t:publicationStmt/t:publisher[1]")));
  const std::string publisher = corpus_publisher(seen, options);
  std::string first, last;
  for (const auto& [file, doc] : documents) {
    const std::string when = xpath_string(doc, xmlDocGetRootElement(doc),
                                          "t:teiHeader/t:profileDesc/t:creation/t:date[1]/@when");
    if (when.empty()) continue;
    if (first.empty() || when < first) first = when;
    if (last.empty() || when > last) last = when;
  }
  xml::DocPtr corpus = corpus_shell(documents.size(), publisher, first, last, options);
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const auto& [file, doc] = documents[i];
    xmlNode* copy = add_member(corpus.get(), doc, ids[i]);
    if (!copy) continue;
    // @source is a URI reference: a file name with spaces, '<', control bytes or bytes that
    // are not UTF-8 is percent-encoded (index.html links to it as it stands).
    xmlSetProp(copy, BAD_CAST "source", BAD_CAST name_as_uri(file).c_str());
  }
  return corpus;
}

std::string edition_dir_problem(const std::string& dir) {
  const fs::path base(dir);
  for (const char* name : {kCorpusFileName, kIndexFileName}) {
    const std::string path = (base / name).string();
    if (std::string problem = output_target_problem(path); !problem.empty()) return problem;
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) continue;
    if (!written_by_teikit(path))  // a symbolic link is not teikit's either
      return path + ": exists and was not written by teikit (or was changed since); not "
                    "replaced: move it away, or index another directory";
    if (std::string(name) == kCorpusFileName) {
      // teikit may have written it as a document (`convert corpus.txt -o DIR/`): that is not
      // the corpus, and indexing would replace it and leave the document out. Only the root
      // element is read (the corpus of a large edition is tens of megabytes).
      const std::string root = root_element(path);
      if (!root.empty() && root != "teiCorpus")
        return path + ": is a document, not the corpus teikit writes there; rename it (the "
                      "names corpus.xml and index.xml are reserved in an edition directory)";
    }
  }
  const std::string index_doc = (base / (std::string(kIndexStem) + ".xml")).string();
  struct stat st;
  if (::stat(index_doc.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    std::string error;
    xml::DocPtr doc = xml::parse_file(index_doc, error);
    if (doc && is_tei(xmlDocGetRootElement(doc.get()), "TEI"))
      return index_doc + ": a document named 'index' would have its page at index.html, the "
                         "edition's index; rename it (the names corpus.xml and index.xml are "
                         "reserved in an edition directory)";
  }
  return "";
}

namespace {

// The outputs' paths in `result`, and whether `dir` can hold an edition: false with
// `result.error` (and `refused` for a directory that is not teikit's to write) otherwise.
bool start_index(const std::string& dir, EditionIndexResult& result) {
  const fs::path base(dir);
  result.corpus_path = (base / kCorpusFileName).string();
  result.index_path = (base / kIndexFileName).string();
  boost::system::error_code ec;
  if (!fs::is_directory(base, ec)) {
    result.error = dir + ": not a directory";
    return false;
  }
  if (std::string problem = edition_dir_problem(dir); !problem.empty()) {
    result.refused = true;
    result.error = std::move(problem);
    return false;
  }
  return true;
}

}  // namespace

EditionIndexResult write_edition_index(const std::string& dir, const EditionIndexOptions& options) {
  const xml::SettingsScope settings;
  EditionIndexResult result;
  const fs::path base(dir);
  if (!start_index(dir, result)) return result;
  boost::system::error_code ec;
  std::vector<std::string> files;
  for (fs::directory_iterator it(base, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    // Hidden files are skipped: they include the temporaries of a concurrent atomic write.
    if (p.extension() != ".xml" || name == kCorpusFileName || name.empty() || name[0] == '.')
      continue;
    if (fs::is_regular_file(p, ec)) files.push_back(name);
  }
  if (ec) {
    result.error = dir + ": cannot list the directory: " + ec.message();
    return result;
  }
  std::sort(files.begin(), files.end());

  struct Loaded {
    EditionEntry entry;
    xml::DocPtr doc;
  };
  std::vector<Loaded> loaded;
  std::set<std::string> used_ids;
  for (const auto& name : files) {
    std::string error, bytes;
    xml::DocPtr doc;
    if (read_input((base / name).string(), bytes, error, options.max_input_size)) {
      error = check_xml_shape(bytes);  // as render and validate do (xml_source.hpp)
      if (error.empty()) doc = xml::parse_memory(bytes, (base / name).string(), error);
    }
    else if (error.rfind((base / name).string() + ": ", 0) == 0)
      error = error.substr((base / name).string().size() + 2);
    if (!doc) {
      result.skipped.push_back(name + ": " + error);
      continue;
    }
    xmlNode* root = xmlDocGetRootElement(doc.get());
    if (!is_tei(root, "TEI")) {
      result.skipped.push_back(name + ": not a TEI document (root element '" +
                               (root ? reinterpret_cast<const char*>(root->name) : "none") + "')");
      continue;
    }
    EditionEntry e;
    e.file = name;
    e.title = collapse_space(
        xpath_string(doc.get(), root, "t:teiHeader/t:fileDesc/t:titleStmt/t:title[1]"));
    e.when = xpath_string(doc.get(), root, "t:teiHeader/t:profileDesc/t:creation/t:date[1]/@when");
    const std::string stem = fs::path(name).stem().string();
    e.has_page = fs::is_regular_file(base / (stem + ".html"), ec);
    // No '.' in a document id (name_as_ncname), so no document id equals another's prefixed
    // inner id ("x" + ".translator" vs the file x.translator.xml).
    std::string id = name_as_ncname(stem);
    for (int n = 2; used_ids.count(id); ++n) id = name_as_ncname(stem) + "-" + std::to_string(n);
    used_ids.insert(id);
    e.id = id;
    loaded.push_back({std::move(e), std::move(doc)});
  }
  if (loaded.empty()) {
    result.error = dir + ": no TEI documents (*.xml) to index";
    return result;
  }
  // By date (ISO values sort as strings), undated last; then title and file name so that the
  // order is stable from run to run.
  std::sort(loaded.begin(), loaded.end(), [](const Loaded& a, const Loaded& b) {
    return std::make_tuple(a.entry.when.empty(), a.entry.when, a.entry.title, a.entry.file) <
           std::make_tuple(b.entry.when.empty(), b.entry.when, b.entry.title, b.entry.file);
  });

  std::vector<std::pair<std::string, xmlDoc*>> docs;
  std::vector<std::string> ids;
  std::string pages = " ";
  for (auto& l : loaded) {
    docs.emplace_back(l.entry.file, l.doc.get());
    ids.push_back(l.entry.id);
    if (l.entry.has_page) pages += l.entry.id + " ";
    result.entries.push_back(l.entry);
  }
  xml::DocPtr corpus = build_corpus(docs, ids, options);

  const Stylesheet sheet(options.stylesheet.empty() ? stylesheet_dir() + "/edition-index.xsl"
                                                    : options.stylesheet);
  if (!sheet.valid()) {
    result.error = sheet.error();
    result.stylesheet_failed = true;
    return result;
  }
  std::map<std::string, std::string> params = options.params;
  params["pages"] = pages;
  std::string error;
  const std::string html = sheet.apply(corpus.get(), params, error);
  if (!error.empty()) {
    result.error = result.index_path + ": " + error;
    return result;
  }
  // corpus.xml first: the index links to it. Each is recorded as teikit's, so that the next
  // run may replace it (and only it).
  if (!write_atomically(result.corpus_path, xml::serialize(corpus.get()), error, true) ||
      !write_atomically(result.index_path, html, error, true)) {
    result.error = error;
    return result;
  }
  result.ok = true;
  return result;
}

namespace {

// A relative path as a URI reference: each segment as name_as_uri encodes it, '/' kept.
std::string path_as_uri(const std::string& path) {
  std::string out;
  std::size_t from = 0;
  for (;;) {
    const std::size_t slash = path.find('/', from);
    out += name_as_uri(path.substr(from, slash == std::string::npos ? std::string::npos : slash - from));
    if (slash == std::string::npos) break;
    out += '/';
    from = slash + 1;
  }
  return out;
}

// Reads one document of the tree; null (and `why`) when it is not a TEI document.
xml::DocPtr read_member(const std::string& path, std::uintmax_t max_size, std::string& why) {
  std::string bytes;
  xml::DocPtr doc;
  if (read_input(path, bytes, why, max_size)) {
    why = check_xml_shape(bytes);
    if (why.empty()) doc = xml::parse_memory(bytes, path, why);
  } else if (why.rfind(path + ": ", 0) == 0) {
    why = why.substr(path.size() + 2);
  }
  if (!doc) return doc;
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!is_tei(root, "TEI")) {
    why = std::string("not a TEI document (root element '") +
          (root ? reinterpret_cast<const char*>(root->name) : "none") + "')";
    return nullptr;
  }
  return doc;
}

// What of a teiHeader the index page and the corpus header read (edition-index.xsl,
// build_corpus): `kWhole` elements are kept with all they contain, `kPath` ones only as the way
// to them. The rest (particDesc, encodingDesc, revisionDesc, …) is dropped, so that ten
// thousand headers held together stay small.
bool keep_in_index(const std::string& path, bool& whole) {
  static const char* const kWhole[] = {"fileDesc/titleStmt/title", "fileDesc/publicationStmt/publisher",
                                       "fileDesc/sourceDesc/msDesc/msIdentifier/idno",
                                       "profileDesc/creation", "profileDesc/abstract"};
  static const char* const kPath[] = {"fileDesc", "fileDesc/titleStmt", "fileDesc/publicationStmt",
                                      "fileDesc/sourceDesc", "fileDesc/sourceDesc/msDesc",
                                      "fileDesc/sourceDesc/msDesc/msIdentifier", "profileDesc"};
  for (const char* w : kWhole)
    if (path == w) return whole = true;
  whole = false;
  for (const char* p : kPath)
    if (path == p) return true;
  return false;
}

void trim_for_index(xmlNode* parent, const std::string& path) {
  for (xmlNode* c = parent->children; c;) {
    xmlNode* next = c->next;
    if (c->type == XML_ELEMENT_NODE) {
      const std::string p =
          (path.empty() ? "" : path + "/") + reinterpret_cast<const char*>(c->name);
      bool whole = false;
      if (!c->ns || !xmlStrEqual(c->ns->href, BAD_CAST kTeiNs) || !keep_in_index(p, whole)) {
        xmlUnlinkNode(c);
        xmlFreeNode(c);
      } else if (!whole) {
        trim_for_index(c, p);
      }
    }
    c = next;
  }
}

// A copy of `header` (a teiHeader) into `doc` with only what the index reads.
xmlNode* index_header(const xmlNode* header, xmlDoc* doc) {
  xmlNode* copy = xmlDocCopyNode(const_cast<xmlNode*>(header), doc, 1);
  if (copy) trim_for_index(copy, "");
  return copy;
}

// Serialises `node` (of `doc`) as a child of the corpus root: indented one level, formatted as
// xml::serialize formats a whole corpus.
bool dump_member(xmlDoc* doc, xmlNode* node, const ByteSink& sink) {
  std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buffer(xmlBufferCreate(), xmlBufferFree);
  if (!buffer) return false;
  if (xmlNodeDump(buffer.get(), doc, node, 1, 1) < 0) return false;
  return sink("  ", 2) &&
         sink(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
              static_cast<std::size_t>(xmlBufferLength(buffer.get()))) &&
         sink("\n", 1);
}

}  // namespace

namespace {

// An unnamed file in the edition directory (same file system as the outputs, not memory) that
// holds the pieces of corpus.xml and index.html one thread made, until they are put together.
class Spool {
 public:
  explicit Spool(const std::string& dir) {
#ifdef O_TMPFILE
    fd_ = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
    if (fd_ < 0) {
      // No O_TMPFILE (or a file system without it): a hidden temporary, unlinked at once.
      std::string name = (fs::path(dir) / ".teikit-index-XXXXXX").string();
      fd_ = ::mkstemp(name.data());
      if (fd_ >= 0) ::unlink(name.c_str());
    }
  }
  ~Spool() {
    if (fd_ >= 0) ::close(fd_);
  }
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  bool ok() const { return fd_ >= 0 && !failed_; }
  // Appends `size` bytes; `at` is where they are.
  bool append(const char* data, std::size_t size, std::uint64_t& at) {
    at = size_;
    while (size > 0 && ok()) {
      const ssize_t n = ::pwrite(fd_, data, size, static_cast<off_t>(size_));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        failed_ = true;
        break;
      }
      data += n;
      size -= static_cast<std::size_t>(n);
      size_ += static_cast<std::uint64_t>(n);
    }
    return ok();
  }
  // Gives the `size` bytes at `at` to `sink`.
  bool copy(std::uint64_t at, std::uint64_t size, const ByteSink& sink) const {
    char buf[65536];
    while (size > 0) {
      const ssize_t n = ::pread(fd_, buf, static_cast<std::size_t>(std::min<std::uint64_t>(size, sizeof buf)),
                                static_cast<off_t>(at));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || !sink(buf, static_cast<std::size_t>(n))) return false;
      at += static_cast<std::uint64_t>(n);
      size -= static_cast<std::uint64_t>(n);
    }
    return true;
  }

 private:
  int fd_ = -1;
  bool failed_ = false;
  std::uint64_t size_ = 0;
};

// What the tree index keeps of one document while the edition's index is made: its entry (file,
// id, title, date) and where its corpus member and index entry are spooled. Nothing of its text:
// a few hundred bytes, whatever the document's size.
struct IndexRecord {
  EditionEntry entry;
  bool ok = false;
  std::string skipped;  // why it is not indexed, when !ok
  std::uint32_t spool = 0;
  std::uint64_t member_at = 0, member_size = 0, entry_at = 0, entry_size = 0;
};

// The ids of the documents `ok` marks, in order: the stem made an NCName, with "-2", "-3", …
// for one that another earlier document has already.
std::vector<std::string> member_ids(const std::vector<TreeDocument>& documents,
                                    const std::vector<char>& ok) {
  std::vector<std::string> ids(documents.size());
  std::set<std::string> used;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    if (!ok[i]) continue;
    const std::string stem = fs::path(documents[i].file).replace_extension().string();
    std::string id = name_as_ncname(stem);
    for (int n = 2; used.count(id); ++n) id = name_as_ncname(stem) + "-" + std::to_string(n);
    used.insert(id);
    ids[i] = std::move(id);
  }
  return ids;
}

// One thread's share of the tree index: its stylesheet, its spool, the publishers it saw.
struct IndexWorker {
  IndexWorker(const std::string& dir, const std::string& stylesheet) : sheet(stylesheet), spool(dir) {}
  Stylesheet sheet;
  Spool spool;
  std::uint32_t number = 0;
  std::set<std::string> publishers;  // at most two: all the corpus header needs to know
  std::size_t documents_read = 0;
  std::string error;
};

constexpr std::size_t kIndexBatch = 64;
constexpr const char* kEntryMark = "<!--teikit-entry-->";
constexpr const char* kEntriesMark = "<!--teikit-entries-->";

// Reads the documents `batch` (indices into `documents`), spools each one's corpus member and
// index entry (edition-index.xsl, part=entries, on a light corpus of the batch's headers) and
// fills its record. False with w.error when the spool or the stylesheet failed (the index
// cannot be made); a document that is not TEI is only marked skipped.
bool index_batch(const fs::path& base, const std::vector<TreeDocument>& documents,
                 const std::vector<std::size_t>& batch, const std::vector<std::string>& ids,
                 const EditionIndexOptions& options, const std::map<std::string, std::string>& params,
                 std::vector<IndexRecord>& records, IndexWorker& w) {
  xml::DocPtr shell = corpus_shell(0, "", "", "", options);
  std::vector<xml::DocPtr> headers;
  std::vector<std::pair<std::string, xmlDoc*>> light_docs;
  std::vector<std::string> light_ids;
  std::vector<std::size_t> in_light;
  for (const std::size_t k : batch) {
    const TreeDocument& d = documents[k];
    IndexRecord& r = records[k];
    r = IndexRecord{};
    ++w.documents_read;
    std::string why;
    xml::DocPtr doc = read_member((base / d.file).string(), options.max_input_size, why);
    if (!doc) {
      r.skipped = d.file + ": " + why;
      continue;
    }
    xmlNode* root = xmlDocGetRootElement(doc.get());
    EditionEntry& e = r.entry;
    e.file = d.file;
    e.title = collapse_space(tei_path_string(root, {"teiHeader", "fileDesc", "titleStmt", "title"}));
    e.when = tei_path_string(root, {"teiHeader", "profileDesc", "creation", "date"}, "when");
    e.has_page = d.has_page;
    e.id = ids[k];
    if (options.publisher.empty() && w.publishers.size() < 2)
      w.publishers.insert(collapse_space(
          tei_path_string(root, {"teiHeader", "fileDesc", "publicationStmt", "publisher"})));
    // The member of corpus.xml, as the corpus writes it.
    xmlNode* member = add_member(shell.get(), doc.get(), e.id);
    if (!member) {
      w.error = d.file + ": out of memory";
      return false;
    }
    xmlSetProp(member, BAD_CAST "source", BAD_CAST path_as_uri(d.file).c_str());
    std::string bytes;
    const bool dumped = dump_member(shell.get(), member, [&bytes](const char* p, std::size_t n) {
      bytes.append(p, n);
      return true;
    });
    xmlUnlinkNode(member);
    xmlFreeNode(member);
    if (!dumped || !w.spool.append(bytes.data(), bytes.size(), r.member_at)) {
      w.error = base.string() + ": cannot write the index's temporary file";
      return false;
    }
    r.member_size = bytes.size();
    // Its header, which is all the index entry reads.
    xml::DocPtr header(xmlNewDoc(BAD_CAST "1.0"));
    xmlNode* tei = xmlDocCopyNode(root, header.get(), 2);  // attributes and namespaces only
    if (!tei) {
      w.error = d.file + ": out of memory";
      return false;
    }
    xmlDocSetRootElement(header.get(), tei);
    for (xmlNode* c = root->children; c; c = c->next)
      if (is_tei(c, "teiHeader")) xmlAddChild(tei, index_header(c, header.get()));
    light_docs.emplace_back(d.file, header.get());
    light_ids.push_back(e.id);
    headers.push_back(std::move(header));
    in_light.push_back(k);
    r.spool = w.number;
    r.ok = true;
  }
  if (in_light.empty()) return true;
  xml::DocPtr light = build_corpus(light_docs, light_ids, options);
  headers.clear();
  if (!light) {
    w.error = base.string() + ": out of memory";
    return false;
  }
  {
    // Which members have a page is said on the members (edition-index.xsl reads @tk:page).
    xmlNs* tk = xmlNewNs(xmlDocGetRootElement(light.get()), BAD_CAST "urn:x-teikit:index",
                         BAD_CAST "tk");
    std::size_t i = 0;
    for (xmlNode* m = xmlDocGetRootElement(light.get())->children; m; m = m->next)
      if (is_tei(m, "TEI") && i < in_light.size()) {
        const EditionEntry& e = records[in_light[i]].entry;
        xmlSetProp(m, BAD_CAST "source", BAD_CAST path_as_uri(e.file).c_str());
        if (e.has_page) xmlSetNsProp(m, tk, BAD_CAST "page", BAD_CAST "yes");
        ++i;
      }
  }
  std::string error;
  const std::string html = w.sheet.apply(light.get(), params, error);
  // The entries, each after its mark, the last one followed by the end of the list.
  std::vector<std::size_t> marks;
  const std::size_t mark_size = std::strlen(kEntryMark);
  for (std::size_t at = html.find(kEntryMark); error.empty() && at != std::string::npos;
       at = html.find(kEntryMark, at + mark_size))
    marks.push_back(at);
  const std::size_t end = html.rfind("</ol>");
  if (!error.empty() || marks.size() != in_light.size() || end == std::string::npos ||
      (!marks.empty() && end < marks.back())) {
    w.error = base.string() + "/" + kIndexFileName + ": " +
              (error.empty() ? std::string("the index stylesheet did not make one entry per document")
                             : error);
    return false;
  }
  for (std::size_t i = 0; i < marks.size(); ++i) {
    const std::size_t from = marks[i] + mark_size;
    const std::size_t to = i + 1 < marks.size() ? marks[i + 1] : end;
    IndexRecord& r = records[in_light[i]];
    if (!w.spool.append(html.data() + from, to - from, r.entry_at)) {
      w.error = base.string() + ": cannot write the index's temporary file";
      return false;
    }
    r.entry_size = to - from;
  }
  return true;
}

}  // namespace

EditionIndexResult write_tree_index(const std::string& dir, const std::vector<TreeDocument>& documents,
                                    const EditionIndexOptions& options) {
  const xml::SettingsScope settings;
  EditionIndexResult result;
  const fs::path base(dir);
  if (!start_index(dir, result)) return result;
  const std::string stylesheet =
      options.stylesheet.empty() ? stylesheet_dir() + "/edition-index.xsl" : options.stylesheet;
  const std::size_t batches = (documents.size() + kIndexBatch - 1) / kIndexBatch;
  const unsigned jobs = static_cast<unsigned>(
      std::max<std::size_t>(1, std::min<std::size_t>(options.jobs ? options.jobs : 1, batches)));
  // Each thread compiles the stylesheet for itself (a compiled stylesheet is not shared between
  // transformations running at once); the first is compiled here, so that one that does not
  // compile is reported as such.
  std::vector<std::unique_ptr<IndexWorker>> workers;
  for (unsigned j = 0; j < jobs; ++j) {
    workers.push_back(std::make_unique<IndexWorker>(dir, stylesheet));
    workers.back()->number = j;
    ++result.stylesheets_compiled;
    if (!workers.back()->sheet.valid()) {
      result.error = workers.back()->sheet.error();
      result.stylesheet_failed = true;
      return result;
    }
    if (!workers.back()->spool.ok()) {
      result.error = dir + ": cannot make a temporary file for the index";
      return result;
    }
  }
  std::map<std::string, std::string> params = options.params;
  params["pages"] = "";
  std::map<std::string, std::string> entry_params = params;
  entry_params["part"] = "entries";

  // Pass 1, in parallel: every document read once; its corpus member and index entry spooled,
  // its record kept. Ids are given as if every document were TEI; those that a skipped
  // document changes are made again below.
  std::vector<IndexRecord> records(documents.size());
  std::vector<std::string> ids = member_ids(documents, std::vector<char>(documents.size(), 1));
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  const auto work = [&](IndexWorker& w) {
    const xml::SettingsScope thread_settings;
    std::vector<std::size_t> batch;
    for (;;) {
      if (failed) return;
      const std::size_t b = next.fetch_add(1);
      if (b >= batches) return;
      batch.clear();
      for (std::size_t k = b * kIndexBatch; k < std::min(documents.size(), (b + 1) * kIndexBatch); ++k)
        batch.push_back(k);
      if (!index_batch(base, documents, batch, ids, options, entry_params, records, w)) {
        failed = true;
        return;
      }
    }
  };
  {
    std::vector<std::thread> threads;
    for (unsigned j = 1; j < jobs; ++j) threads.emplace_back(work, std::ref(*workers[j]));
    work(*workers[0]);
    for (auto& t : threads) t.join();
  }
  for (const auto& w : workers)
    if (!w->error.empty()) {
      result.error = w->error;
      return result;
    }
  for (;;) {
    std::vector<char> ok(documents.size());
    for (std::size_t i = 0; i < documents.size(); ++i) ok[i] = records[i].ok;
    std::vector<std::string> now = member_ids(documents, ok);
    std::vector<std::size_t> again;
    for (std::size_t i = 0; i < documents.size(); ++i)
      if (ok[i] && now[i] != ids[i]) again.push_back(i);
    ids = std::move(now);
    if (again.empty()) break;
    if (!index_batch(base, documents, again, ids, options, entry_params, records, *workers[0])) {
      result.error = workers[0]->error;
      return result;
    }
  }
  ids.clear();
  ids.shrink_to_fit();

  std::vector<std::size_t> order;  // corpus.xml's: date, undated last, title, file
  std::set<std::string> publishers;
  std::string first, last;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!records[i].ok) {
      result.skipped.push_back(std::move(records[i].skipped));
      continue;
    }
    order.push_back(i);
    const std::string& when = records[i].entry.when;
    if (!when.empty() && (first.empty() || when < first)) first = when;
    if (!when.empty() && (last.empty() || when > last)) last = when;
  }
  for (const auto& w : workers) {
    publishers.insert(w->publishers.begin(), w->publishers.end());
    result.documents_read += w->documents_read;
  }
  if (order.empty()) {
    result.error = dir + ": no TEI documents to index";
    return result;
  }
  std::sort(order.begin(), order.end(), [&records](std::size_t a, std::size_t b) {
    const EditionEntry &x = records[a].entry, &y = records[b].entry;
    return std::make_tuple(x.when.empty(), std::cref(x.when), std::cref(x.title), std::cref(x.file)) <
           std::make_tuple(y.when.empty(), std::cref(y.when), std::cref(y.title), std::cref(y.file));
  });
  // The index page's order is the stylesheet's (edition-index.xsl sorts by date, title and
  // @source, the percent-encoded path): the same but where a date and title are shared.
  std::vector<std::size_t> page_order = order;
  for (std::size_t i = 0; i < page_order.size();) {
    std::size_t j = i + 1;
    const EditionEntry& x = records[page_order[i]].entry;
    while (j < page_order.size() && records[page_order[j]].entry.when == x.when &&
           records[page_order[j]].entry.title == x.title)
      ++j;
    if (j - i > 1)
      std::sort(page_order.begin() + static_cast<std::ptrdiff_t>(i),
                page_order.begin() + static_cast<std::ptrdiff_t>(j),
                [&records](std::size_t a, std::size_t b) {
                  return path_as_uri(records[a].entry.file) < path_as_uri(records[b].entry.file);
                });
    i = j;
  }

  const xml::DocPtr shell =
      corpus_shell(order.size(), corpus_publisher(publishers, options), first, last, options);
  if (!shell) {
    result.error = dir + ": out of memory";
    return result;
  }
  std::string error, copy_error;
  // corpus.xml first (the index links to it): its header, then the members as spooled.
  const ByteProducer corpus = [&](const ByteSink& sink) {
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<teiCorpus xmlns=\"http://www.tei-c.org/ns/1.0\">\n";
    if (!sink(head, sizeof head - 1)) return false;
    for (xmlNode* c = xmlDocGetRootElement(shell.get())->children; c; c = c->next)
      if (is_tei(c, "teiHeader") && !dump_member(shell.get(), c, sink)) return false;
    for (const std::size_t i : order) {
      const IndexRecord& r = records[i];
      if (!workers[r.spool]->spool.copy(r.member_at, r.member_size, sink)) {
        copy_error = dir + ": cannot read the index's temporary file";
        return false;
      }
    }
    return sink("</teiCorpus>\n", 13);
  };
  if (!write_atomically(result.corpus_path, corpus, error, true)) {
    result.error = error.empty() ? copy_error : error;
    return result;
  }
  // index.html: the page without its entries (part=frame), the entries put where it says.
  std::map<std::string, std::string> frame_params = params;
  frame_params["part"] = "frame";
  frame_params["count"] = std::to_string(order.size());
  const std::string frame = workers[0]->sheet.apply(shell.get(), frame_params, error);
  const std::size_t at = frame.find(kEntriesMark);
  if (!error.empty() || at == std::string::npos) {
    result.error = result.index_path + ": " +
                   (error.empty() ? std::string("the index stylesheet has no place for the entries") : error);
    return result;
  }
  const ByteProducer page = [&](const ByteSink& sink) {
    if (!sink(frame.data(), at)) return false;
    for (const std::size_t i : page_order) {
      const IndexRecord& r = records[i];
      if (!workers[r.spool]->spool.copy(r.entry_at, r.entry_size, sink)) {
        copy_error = dir + ": cannot read the index's temporary file";
        return false;
      }
    }
    const std::size_t after = at + std::strlen(kEntriesMark);
    return sink(frame.data() + after, frame.size() - after);
  };
  if (!write_atomically(result.index_path, page, error, true)) {
    result.error = error.empty() ? copy_error : error;
    return result;
  }
  result.entries.reserve(order.size());
  for (const std::size_t i : order) result.entries.push_back(std::move(records[i].entry));
  result.ok = true;
  return result;
}

}  // namespace teikit
