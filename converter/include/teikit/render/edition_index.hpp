// The edition index: the TEI documents of one directory gathered into a teiCorpus (corpus.xml)
// and listed by date in a reading page (index.html, through xslt/edition-index.xsl).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "teikit/base/xml.hpp"

namespace teikit {

/// How the index is built.
struct EditionIndexOptions {
  /// Title of the corpus (its teiHeader) and heading of index.html; "" = "Edition".
  std::string title;
  /// publicationStmt/publisher of the corpus; "" = the publisher all documents share, else
  /// teikit's default.
  std::string publisher;
  /// The index stylesheet; "" = stylesheet_dir() + "/edition-index.xsl".
  std::string stylesheet;
  /// Extra string parameters for the stylesheet (from `--param name=value`).
  std::map<std::string, std::string> params;
  /// A document of the directory larger than this many bytes is skipped (0: no limit).
  std::uintmax_t max_input_size = 0;
  /// write_tree_index: documents read in parallel by this many threads (0 or 1: one).
  unsigned jobs = 1;
};

/// One document of the edition, as the index lists it.
struct EditionEntry {
  std::string file;      ///< file name in the directory ("cable-plain.xml")
  std::string id;        ///< xml:id of its TEI element in corpus.xml ("cable-plain")
  std::string title;     ///< titleStmt/title, whitespace collapsed
  std::string when;      ///< profileDesc/creation/date/@when; "" when undated
  bool has_page = false; ///< the rendered page (same name, .html) exists beside it
};

/// What a run of write_edition_index did.
struct EditionIndexResult {
  bool ok = false;                    ///< corpus.xml and index.html were written
  bool stylesheet_failed = false;     ///< failure was the index stylesheet not compiling
  /// Refused before writing anything: corpus.xml or index.html would replace a file teikit did
  /// not write, or a document's name collides with them (see edition_dir_problem).
  bool refused = false;
  std::string error;                  ///< why not, when !ok
  std::vector<EditionEntry> entries;  ///< the documents, in index order (date, title, file)
  std::vector<std::string> skipped;   ///< "FILE: reason" for each *.xml that is not a TEI document
  std::string corpus_path;            ///< DIR/corpus.xml
  std::string index_path;             ///< DIR/index.html
  /// write_tree_index: how many times the index stylesheet was compiled (once per thread).
  unsigned stylesheets_compiled = 0;
  /// write_tree_index: how many documents were read (each once; a few twice when a document
  /// that is not TEI changes the ids of others).
  std::size_t documents_read = 0;
};

/// Name of the corpus file in the edition directory; never read back as a document.
inline constexpr const char* kCorpusFileName = "corpus.xml";
/// Name of the index page in the edition directory.
inline constexpr const char* kIndexFileName = "index.html";
/// Stem of the index page: a document `index.xml` (or a page `index.html` rendered from a
/// document named index) would collide with it, and is refused.
inline constexpr const char* kIndexStem = "index";

/// "" when write_edition_index may write DIR/corpus.xml and DIR/index.html; otherwise why not:
/// one of them exists and is not a regular file, or was not written by teikit (written_by_teikit,
/// file_io.hpp), or DIR/corpus.xml is a document rather than the corpus. `render` asks this
/// before it writes any page, so a refused index leaves the directory as it was.
std::string edition_dir_problem(const std::string& dir);

/// Builds a teiCorpus (TEI namespace) from `documents` (file name → parsed TEI document, in the
/// order wanted): a corpus-level teiHeader, then a deep copy of every document's TEI element,
/// whose xml:id becomes `ids[i]` and whose other xml:ids are prefixed with it (and every
/// "#id" pointer inside the copy follows), so the corpus keeps ids unique and stays valid
/// against tei_all.rng; @source records the file each member came from.
xml::DocPtr build_corpus(const std::vector<std::pair<std::string, xmlDoc*>>& documents,
                         const std::vector<std::string>& ids, const EditionIndexOptions& options);

/// Reads every *.xml file of `dir` (not corpus.xml), keeps the TEI documents, orders them by
/// creation date (undated last, then by title and file name), and writes DIR/corpus.xml and
/// DIR/index.html, each atomically and recorded as teikit's (write_atomically). Refuses (`refused`)
/// to write when edition_dir_problem objects, or when DIR holds a TEI document index.xml. Files that are not TEI documents are reported in
/// `skipped`, not fatal; no TEI document at all is an error. Never prints.
EditionIndexResult write_edition_index(const std::string& dir, const EditionIndexOptions& options);

/// One document of a tree edition (write_tree_index).
struct TreeDocument {
  std::string file;       ///< its path relative to the edition directory ("1962/cable.xml")
  bool has_page = false;  ///< its page (same path, .html) was written
};

/// The index of an edition whose documents lie in folders below `dir` (what `teikit build`
/// writes): DIR/index.html lists `documents` in the order write_edition_index uses, linking
/// each to its page ("1962/cable.html") where it has one and to its TEI, and DIR/corpus.xml
/// gathers them into one teiCorpus (ids made unique as build_corpus does; @source is the
/// relative path, each segment percent-encoded). Each document is read once (by
/// `options.jobs` threads): its corpus member and its index entry are made then and spooled to
/// an unnamed temporary file in DIR, so memory holds only a record of a few hundred bytes per
/// document (file, id, title, date) whatever their text; the two files are then put together
/// from the spool in order. Both are written atomically and recorded as teikit's.
/// Refuses (`refused`) as write_edition_index does; a document that cannot be read or is not
/// TEI is reported in `skipped`. Never prints.
EditionIndexResult write_tree_index(const std::string& dir, const std::vector<TreeDocument>& documents,
                                    const EditionIndexOptions& options);

}  // namespace teikit
