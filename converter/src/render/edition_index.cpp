#include "teikit/render/edition_index.hpp"

#include <sys/stat.h>

#include <boost/filesystem.hpp>
#include <libxml/xmlreader.h>
#include <libxml/xpathInternals.h>

#include <algorithm>
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

xml::DocPtr build_corpus(const std::vector<std::pair<std::string, xmlDoc*>>& documents,
                         const std::vector<std::string>& ids, const EditionIndexOptions& options) {
  const xml::SettingsScope settings;
  xml::DocPtr corpus(xmlNewDoc(BAD_CAST "1.0"));
  xmlNode* root = xmlNewDocNode(corpus.get(), nullptr, BAD_CAST "teiCorpus", nullptr);
  xmlNs* ns = xmlNewNs(root, BAD_CAST kTeiNs, nullptr);
  xmlSetNs(root, ns);
  xmlDocSetRootElement(corpus.get(), root);

  // Corpus header: what the collection is, who publishes it, what it spans. publicationStmt is
  // never empty (ENCODING.md §2).
  std::string publisher = options.publisher;
  if (publisher.empty()) {
    std::set<std::string> seen;
    for (const auto& [file, doc] : documents)
      seen.insert(collapse_space(xpath_string(
          doc, xmlDocGetRootElement(doc), "t:teiHeader/t:fileDesc/t:publicationStmt/t:publisher[1]")));
    publisher = seen.size() == 1 && !seen.begin()->empty() ? *seen.begin() : PublicationOptions{}.publisher;
  }
  std::string first, last;
  for (const auto& [file, doc] : documents) {
    const std::string when = xpath_string(doc, xmlDocGetRootElement(doc),
                                          "t:teiHeader/t:profileDesc/t:creation/t:date[1]/@when");
    if (when.empty()) continue;
    if (first.empty() || when < first) first = when;
    if (last.empty() || when > last) last = when;
  }
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
            "Compiled by teikit from " + std::to_string(documents.size()) +
                " TEI document" + (documents.size() == 1 ? "" : "s") +
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

  for (std::size_t i = 0; i < documents.size(); ++i) {
    const auto& [file, doc] = documents[i];
    xmlNode* copy = xmlDocCopyNode(xmlDocGetRootElement(doc), corpus.get(), 1);
    if (!copy) continue;
    xmlAddChild(root, copy);
    share_tei_namespace(copy, ns);
    make_ids_unique(copy, ids[i]);
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

EditionIndexResult write_tree_index(const std::string& dir, const std::vector<TreeDocument>& documents,
                                    const EditionIndexOptions& options) {
  const xml::SettingsScope settings;
  EditionIndexResult result;
  const fs::path base(dir);
  if (!start_index(dir, result)) return result;
  boost::system::error_code ec;
  // Pass 1: each document's header, in a document of its own (a TEI element with only its
  // teiHeader), which is all the index page reads.
  struct Loaded {
    EditionEntry entry;
    xml::DocPtr header;
  };
  std::vector<Loaded> loaded;
  std::set<std::string> used_ids;
  for (const TreeDocument& d : documents) {
    std::string why;
    xml::DocPtr doc = read_member((base / d.file).string(), options.max_input_size, why);
    if (!doc) {
      result.skipped.push_back(d.file + ": " + why);
      continue;
    }
    xmlNode* root = xmlDocGetRootElement(doc.get());
    EditionEntry e;
    e.file = d.file;
    e.title = collapse_space(
        xpath_string(doc.get(), root, "t:teiHeader/t:fileDesc/t:titleStmt/t:title[1]"));
    e.when = xpath_string(doc.get(), root, "t:teiHeader/t:profileDesc/t:creation/t:date[1]/@when");
    e.has_page = d.has_page;
    const std::string stem = fs::path(d.file).replace_extension().string();
    std::string id = name_as_ncname(stem);
    for (int n = 2; used_ids.count(id); ++n) id = name_as_ncname(stem) + "-" + std::to_string(n);
    used_ids.insert(id);
    e.id = id;
    xml::DocPtr header(xmlNewDoc(BAD_CAST "1.0"));
    xmlNode* tei = xmlDocCopyNode(root, header.get(), 2);  // attributes and namespaces only
    if (!tei) continue;
    xmlDocSetRootElement(header.get(), tei);
    for (xmlNode* c = root->children; c; c = c->next)
      if (is_tei(c, "teiHeader")) xmlAddChild(tei, index_header(c, header.get()));
    loaded.push_back({std::move(e), std::move(header)});
  }
  if (loaded.empty()) {
    result.error = dir + ": no TEI documents to index";
    return result;
  }
  std::sort(loaded.begin(), loaded.end(), [](const Loaded& a, const Loaded& b) {
    return std::make_tuple(a.entry.when.empty(), a.entry.when, a.entry.title, a.entry.file) <
           std::make_tuple(b.entry.when.empty(), b.entry.when, b.entry.title, b.entry.file);
  });
  std::vector<std::pair<std::string, xmlDoc*>> headers;
  std::vector<std::string> ids;
  for (auto& l : loaded) {
    headers.emplace_back(l.entry.file, l.header.get());
    ids.push_back(l.entry.id);
    result.entries.push_back(l.entry);
  }
  xml::DocPtr light = build_corpus(headers, ids, options);
  headers.clear();
  for (auto& l : loaded) l.header.reset();  // copied into `light`
  if (!light) {
    result.error = dir + ": out of memory";
    return result;
  }
  {
    // Which members have a page is said on the members of this copy (edition-index.xsl reads
    // @tk:page), not by a list of every id in the "pages" parameter.
    xmlNs* tk = xmlNewNs(xmlDocGetRootElement(light.get()), BAD_CAST "urn:x-teikit:index",
                         BAD_CAST "tk");
    std::size_t i = 0;
    for (xmlNode* m = xmlDocGetRootElement(light.get())->children; m; m = m->next)
      if (is_tei(m, "TEI") && i < loaded.size()) {
        xmlSetProp(m, BAD_CAST "source", BAD_CAST path_as_uri(loaded[i].entry.file).c_str());
        if (loaded[i].entry.has_page) xmlSetNsProp(m, tk, BAD_CAST "page", BAD_CAST "yes");
        ++i;
      }
  }
  const Stylesheet sheet(options.stylesheet.empty() ? stylesheet_dir() + "/edition-index.xsl"
                                                    : options.stylesheet);
  if (!sheet.valid()) {
    result.error = sheet.error();
    result.stylesheet_failed = true;
    return result;
  }
  std::map<std::string, std::string> params = options.params;
  params["pages"] = "";
  std::string error, member_error;
  // corpus.xml first (the index links to it): its header is the light corpus's; each member is
  // read again, made a member as build_corpus makes it, written and freed.
  const ByteProducer corpus = [&](const ByteSink& sink) {
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<teiCorpus xmlns=\"http://www.tei-c.org/ns/1.0\">\n";
    if (!sink(head, sizeof head - 1)) return false;
    for (xmlNode* c = xmlDocGetRootElement(light.get())->children; c; c = c->next)
      if (is_tei(c, "teiHeader") && !dump_member(light.get(), c, sink)) return false;
    for (std::size_t i = 0; i < loaded.size(); ++i) {
      std::string why;
      xml::DocPtr doc = read_member((base / loaded[i].entry.file).string(), options.max_input_size, why);
      if (!doc) {
        member_error = loaded[i].entry.file + ": " + why + " (changed while the index was written)";
        return false;
      }
      xml::DocPtr one = build_corpus({{loaded[i].entry.file, doc.get()}}, {ids[i]}, options);
      doc.reset();
      xmlNode* member = nullptr;
      for (xmlNode* c = one ? xmlDocGetRootElement(one.get())->children : nullptr; c; c = c->next)
        if (is_tei(c, "TEI")) member = c;
      if (!member) {
        member_error = loaded[i].entry.file + ": out of memory";
        return false;
      }
      xmlSetProp(member, BAD_CAST "source", BAD_CAST path_as_uri(loaded[i].entry.file).c_str());
      if (!dump_member(one.get(), member, sink)) return false;
    }
    return sink("</teiCorpus>\n", 13);
  };
  if (!write_atomically(result.corpus_path, corpus, error, true)) {
    result.error = error.empty() ? member_error : error;
    return result;
  }
  std::string render_error;
  const ByteProducer page = [&](const ByteSink& sink) {
    return sheet.apply_to(light.get(), params, sink, render_error);
  };
  if (!write_atomically(result.index_path, page, error, true)) {
    result.error = error.empty() ? result.index_path + ": " + render_error : error;
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace teikit
