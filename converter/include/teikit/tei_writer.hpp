// TEI writer: header + document tree → a libxml2 TEI document (ENCODING.md §2).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "teikit/document.hpp"
#include "teikit/header.hpp"
#include "teikit/profile.hpp"
#include "teikit/xml.hpp"

namespace teikit {

/// Publication data from options or a config file (ENCODING.md §2: publicationStmt is never
/// empty).
struct PublicationOptions {
  std::string publisher = "teikit (unpublished conversion)";  ///< publicationStmt/publisher
  std::string licence;          ///< licence text; empty: availability says it is unknown
  std::string licence_url;      ///< licence/@target
  std::string edition_id;       ///< idno of the edition; defaults to the input's base name
  std::string pub_place;        ///< pubPlace, optional
};

/// Everything the writer needs.
struct TeiInput {
  const Header* header = nullptr;              ///< parsed header
  const Node* body = nullptr;                  ///< <body> holding the text's div(s)
  const Profile* profile = nullptr;            ///< profile in force (for editorialDecl)
  std::vector<std::string> rules_used;         ///< ids of profile rules that fired
  PublicationOptions publication;              ///< publicationStmt data
  std::string resp_id;  ///< xml:id of the respStmt that @resp points at ("translator"), or ""
  bool handwritten = false;                    ///< a handNote for #handwritten is needed
  const Node* correspondence = nullptr;        ///< correspDesc, if built
  /// When set, receives the source span of every element written from the document tree, so
  /// that findings on the TEI (validation errors) can point back at the transcription.
  std::unordered_map<const xmlNode*, Span>* spans = nullptr;
};

/// Builds the TEI document. Text goes in as text nodes (never through entity parsing).
xml::DocPtr write_tei(const TeiInput& input);

/// The version of teikit, as written in appInfo.
const char* version();

}  // namespace teikit
